"""The schema: root types, limits and the optimizer."""

import strawberry
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry_django.optimizer import DjangoOptimizerExtension

from .access.mutations import AccessMutation
from .accounts.mutations import AccountMutation
from .accounts.queries import AccountQuery
from .billing.mutations import BillingMutation
from .catalog.mutations import CatalogMutation
from .masking import masked_errors
from .orders.mutations import OrderMutation
from .pagination import PageSizeLimit
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

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    config=StrawberryConfig(relay_max_results=100),
    extensions=[
        DjangoOptimizerExtension,
        PageSizeLimit,
        masked_errors,
        lambda: QueryDepthLimiter(max_depth=20),
        lambda: MaxAliasesLimiter(max_alias_count=100),
        lambda: MaxTokensLimiter(max_token_count=15_000),
    ],
)
