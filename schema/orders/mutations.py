import strawberry
from django.core.exceptions import ValidationError
from strawberry.types import Info

from backend.catalog.models import Facility, Product
from backend.common.errors import NotFound
from backend.orders import services
from backend.orders.models import Order, OrderItem, OrderPart
from backend.orders.transitions import transition_order, transition_order_part
from backend.parties.models import Party
from backend.projects.models import Project
from permissions.access import grant_to_creator, require_add

from ..crud import create_mutation, delete_mutation, update_mutation
from ..enums import OrderStatusEnum
from ..errors import NestedInputError, run_mutation
from ..inputs import actor, check_list_size, input_values
from ..payloads import payload
from ..status import transition_input, transition_mutation
from .inputs import (
    OrderCreateInput,
    OrderItemCreateInput,
    OrderItemUpdateInput,
    OrderPartCreateInput,
    OrderPartUpdateInput,
    OrderUpdateInput,
)
from .types import OrderItemType, OrderPartType, OrderType

ORDER_REFS = {"customer_id": Party, "vendor_id": Party, "project_id": Project}
PART_REFS = {"order_id": Order, "facility_id": Facility, "carrier_id": Party}
ITEM_REFS = {"order_id": Order, "part_id": OrderPart, "product_id": Product}

OrderCreatePayload = payload("OrderCreatePayload", "order", OrderType)


def _add_part(*, actor, order, **fields):
    return services.add_order_part(order, actor=actor, **fields)


def _add_item(*, actor, order, **fields):
    return services.add_order_item(order, actor=actor, **fields)


@strawberry.type
class OrderMutation:
    @strawberry.mutation(description="Create an order with its first part and, optionally, its lines.")
    def order_create(self, info: Info, input: OrderCreateInput) -> OrderCreatePayload:
        def act():
            user = actor(info)
            check_list_size(input.items, "items")
            values = input_values(info, input, ORDER_REFS, owner=Order, skip={"items"})
            require_add(user, Order, values)
            order = services.create_order(actor=user, **{k: v for k, v in values.items() if v is not None})
            for index, line in enumerate(input.items):
                try:
                    fields = input_values(info, line, {"product_id": Product})
                    services.add_order_item(order, actor=user, **fields)
                except ValidationError as exc:
                    raise NestedInputError(exc, OrderItem, f"items.{index}.") from None
                except NotFound as exc:
                    raise NotFound(exc.message, field=f"items.{index}.{exc.field}") from None
            grant_to_creator(user, order)
            order.refresh_from_db()
            return order

        order, errors = run_mutation(act, model=Order)
        return OrderCreatePayload(order=order, errors=errors)

    order_update = update_mutation(
        Order,
        OrderUpdateInput,
        payload("OrderUpdatePayload", "order", OrderType),
        "order",
        refs=ORDER_REFS,
        service=services.update_order,
    )
    order_delete = delete_mutation(Order)
    order_part_create = create_mutation(
        OrderPart,
        OrderPartCreateInput,
        payload("OrderPartCreatePayload", "order_part", OrderPartType),
        "order_part",
        refs=PART_REFS,
        service=_add_part,
    )
    order_part_update = update_mutation(
        OrderPart,
        OrderPartUpdateInput,
        payload("OrderPartUpdatePayload", "order_part", OrderPartType),
        "order_part",
        refs=PART_REFS,
    )
    order_part_delete = delete_mutation(OrderPart, service=services.delete_order_part)
    order_item_create = create_mutation(
        OrderItem,
        OrderItemCreateInput,
        payload("OrderItemCreatePayload", "order_item", OrderItemType),
        "order_item",
        refs=ITEM_REFS,
        service=_add_item,
    )
    order_item_update = update_mutation(
        OrderItem,
        OrderItemUpdateInput,
        payload("OrderItemUpdatePayload", "order_item", OrderItemType),
        "order_item",
        refs=ITEM_REFS,
        service=services.update_order_item,
    )
    order_item_delete = delete_mutation(OrderItem, service=services.delete_order_item)
    order_transition = transition_mutation(
        Order,
        transition_input("OrderTransitionInput", OrderStatusEnum),
        payload("OrderTransitionPayload", "order", OrderType),
        "order",
        transition_order,
        "Move an order along its flow; its parts in the same status move with it.",
    )
    order_part_transition = transition_mutation(
        OrderPart,
        transition_input("OrderPartTransitionInput", OrderStatusEnum),
        payload("OrderPartTransitionPayload", "order_part", OrderPartType),
        "order_part",
        transition_order_part,
        "Move one part; when all parts then agree, the order follows.",
    )
