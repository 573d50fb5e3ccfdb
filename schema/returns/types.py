from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from django.db.models import F
from strawberry import auto, relay

from backend.returns.models import Return, ReturnItem
from backend.returns.transitions import RETURN_FLOW

from ..catalog.types import FacilityType, ProductType
from ..enums import ReturnReasonEnum, ReturnResponseEnum, ReturnStatusEnum
from ..money import Money, precise_money
from ..orders.types import OrderItemType, OrderRef
from ..pagination import Connection, connection
from ..parties.types import PartyType
from ..scoping import Scoped, up_link, viewer_can
from ..status import StatusChangeType, StatusTransition, allowed_transitions_field, status_history_field
from .filters import ReturnFilter, ReturnItemFilter, ReturnItemOrdering, ReturnOrdering

if TYPE_CHECKING:
    from ..billing.types import InvoiceType, PaymentType
    from ..shipping.types import ShipmentType

ReturnRef = Annotated["ReturnType", strawberry.lazy("schema.returns.types")]
ReturnItemConnection = Connection[Annotated["ReturnItemType", strawberry.lazy("schema.returns.types")]]
ShipmentRef = Annotated["ShipmentType", strawberry.lazy("schema.shipping.types")]
InvoiceRef = Annotated["InvoiceType", strawberry.lazy("schema.billing.types")]
PaymentRef = Annotated["PaymentType", strawberry.lazy("schema.billing.types")]

RETURN_CURRENCY = F("return_header__currency")


@strawberry_django.type(Return, name="Return", filters=ReturnFilter, ordering=ReturnOrdering)
class ReturnType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(Return, "change")
    viewer_can_delete: bool = viewer_can(Return, "delete")
    viewer_can_manage: bool = viewer_can(Return, "manage")
    allowed_transitions: list[StatusTransition] = allowed_transitions_field(Return, lambda _: RETURN_FLOW)
    status_history: list[StatusChangeType] = status_history_field()
    status: ReturnStatusEnum
    customer: PartyType
    vendor: PartyType
    currency: auto
    facility: FacilityType | None
    order: OrderRef | None = up_link()
    shipment: ShipmentRef | None = strawberry_django.field(
        description="The return shipment, created on approval; null when not visible."
    )
    invoice: InvoiceRef | None = strawberry_django.field(
        description="The return invoice of the credited and refunded items; null when not visible."
    )
    refund_payment: PaymentRef | None = strawberry_django.field(
        description="The refund of the refunded items; null when not visible."
    )
    replacement_order: OrderRef | None = strawberry_django.field(
        description="The order replacing the replaced items; null when not visible."
    )
    created_at: auto
    updated_at: auto
    version: auto
    items: ReturnItemConnection = connection()


@strawberry_django.type(ReturnItem, name="ReturnItem", filters=ReturnItemFilter, ordering=ReturnItemOrdering)
class ReturnItemType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(ReturnItem, "change")
    viewer_can_delete: bool = viewer_can(ReturnItem, "delete")
    viewer_can_manage: bool = viewer_can(ReturnItem, "manage")
    return_header: ReturnRef | None = up_link()
    order_item: OrderItemType | None = up_link()
    product: ProductType | None
    description: auto
    quantity: auto
    reason: ReturnReasonEnum
    response: ReturnResponseEnum
    version: auto

    @strawberry_django.field(only=["return_price"], annotate={"return_currency": RETURN_CURRENCY})
    def return_price(self) -> Money:
        currency = getattr(self, "return_currency", None) or self.return_header.currency
        return precise_money(self.return_price, currency)
