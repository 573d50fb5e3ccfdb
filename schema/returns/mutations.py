import strawberry
from django.core.exceptions import ValidationError
from strawberry.types import Info

from backend.catalog.models import Facility, Product
from backend.common.errors import NotFound
from backend.orders.models import Order, OrderItem
from backend.parties.models import Party
from backend.returns import services
from backend.returns.models import Return, ReturnItem
from permissions.access import grant_to_creator, require_add

from ..crud import create_mutation, fresh
from ..enums import ReturnStatusEnum
from ..errors import NestedInputError, UserError, run_mutation
from ..inputs import actor, check_list_size, input_values
from ..payloads import payload
from ..status import transition_input, transition_mutation
from .inputs import ReturnCreateInput, ReturnItemAddInput
from .types import ReturnItemType, ReturnType

RETURN_REFS = {"customer_id": Party, "vendor_id": Party, "facility_id": Facility, "order_id": Order}
LINE_REFS = {"order_item_id": OrderItem, "product_id": Product}
ITEM_REFS = {"return_header_id": Return, **LINE_REFS}


def _return_payload(name: str) -> type:
    """Like `payload`, with the record under `return` (a Python keyword)."""
    cls = type(
        name,
        (),
        {
            "__annotations__": {"return_": ReturnType | None, "errors": list[UserError]},
            "return_": strawberry.field(name="return", default=None),
            "errors": strawberry.field(default_factory=list),
        },
    )
    return strawberry.type(cls, description=f"The result of {name.removesuffix('Payload')}.")


ReturnCreatePayload = _return_payload("ReturnCreatePayload")
ReturnTransitionPayload = _return_payload("ReturnTransitionPayload")


def _add_item(*, actor, return_header, **fields):
    return services.add_return_item(return_header, actor=actor, **fields)


@strawberry.type
class ReturnMutation:
    @strawberry.mutation(description="Create a return and, optionally, its lines; it starts CREATED.")
    def return_create(self, info: Info, input: ReturnCreateInput) -> ReturnCreatePayload:
        def act():
            user = actor(info)
            check_list_size(input.items, "items")
            values = input_values(info, input, RETURN_REFS, owner=Return, skip={"items"})
            require_add(user, Return, values)
            record = services.create_return(actor=user, **values)
            for index, line in enumerate(input.items):
                try:
                    fields = input_values(info, line, LINE_REFS)
                    services.add_return_item(record, actor=user, **fields)
                except ValidationError as exc:
                    raise NestedInputError(exc, ReturnItem, f"items.{index}.") from None
                except NotFound as exc:
                    raise NotFound(exc.message, field=f"items.{index}.{exc.field}") from None
            grant_to_creator(user, record)
            return fresh(record)

        record, errors = run_mutation(act, model=Return)
        return ReturnCreatePayload(return_=record, errors=errors)

    return_item_add = create_mutation(
        ReturnItem,
        ReturnItemAddInput,
        payload("ReturnItemAddPayload", "return_item", ReturnItemType),
        "return_item",
        refs=ITEM_REFS,
        service=_add_item,
        description="Add a line to a return that is still created or requested.",
    )
    return_transition = transition_mutation(
        Return,
        transition_input("ReturnTransitionInput", ReturnStatusEnum),
        ReturnTransitionPayload,
        "return_",
        services.transition_return,
        "Move a return along its flow; approving creates the return shipment, receiving the credit, "
        "refund and replacement.",
    )
