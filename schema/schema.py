"""The schema: root types, limits and the optimizer."""

import strawberry
from django.conf import settings
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry_django.optimizer import DjangoOptimizerExtension

from .access.mutations import AccessMutation
from .accounts.mutations import AccountMutation
from .accounts.queries import AccountQuery
from .billing.mutations import BillingMutation
from .catalog.mutations import CatalogMutation
from .limits import DocumentRules, OperationLimits, tokens_limiter
from .links import guard_links
from .masking import ErrorMasking
from .orders.mutations import OrderMutation
from .parties.mutations import PartyMutation
from .projects.mutations import ProjectMutation
from .queries import Query as RecordQuery
from .returns.mutations import ReturnMutation
from .shipping.mutations import ShippingMutation
from .work.mutations import WorkMutation

Query = merge_types("Query", (RecordQuery, AccountQuery))
Mutation = merge_types(
    "Mutation",
    (
        AccountMutation,
        PartyMutation,
        CatalogMutation,
        ProjectMutation,
        OrderMutation,
        BillingMutation,
        ReturnMutation,
        WorkMutation,
        ShippingMutation,
        AccessMutation,
    ),
)


class Schema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        """Nothing logged here: a client's mistakes (syntax, validation, refusals) are answered, not
        logged at ERROR; unexpected errors are logged once by ErrorMasking, with the request id."""


schema = Schema(
    query=Query,
    mutation=Mutation,
    # Pages above the limit are refused before execution (schema.limits), never clamped.
    config=StrawberryConfig(relay_max_results=settings.GRAPHQL_MAX_PAGE_SIZE),
    # Factories and classes: instantiated for each operation, so they read the settings then.
    extensions=[
        DjangoOptimizerExtension,
        OperationLimits,
        ErrorMasking,
        DocumentRules,
        tokens_limiter,
    ],
)
guard_links(schema._schema)
