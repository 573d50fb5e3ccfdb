from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import auto, relay

from backend.analytics import rollups
from backend.orders.models import Order, OrderItem, OrderPart
from backend.orders.transitions import ORDER_FLOW

from ..analytics.fields import rollup_field, rollup_money
from ..catalog.types import FacilityType, ProductType
from ..enums import OrderKindEnum, OrderStatusEnum
from ..money import ORDER_CURRENCY, Money, money, order_currency, precise_money
from ..pagination import Connection, connection
from ..parties.types import PartyType, TaskConnection
from ..scoping import Scoped, up_link, viewer_can
from ..status import StatusChangeType, StatusTransition, allowed_transitions_field, status_history_field
from .filters import (
    OrderFilter,
    OrderItemFilter,
    OrderItemOrdering,
    OrderOrdering,
    OrderPartFilter,
    OrderPartOrdering,
)

if TYPE_CHECKING:
    from ..billing.types import InvoiceType, PaymentType
    from ..projects.types import ProjectType
    from ..returns.types import ReturnType
    from ..shipping.types import ShipmentType
    from ..work.types import JobType

ProjectRef = Annotated["ProjectType", strawberry.lazy("schema.projects.types")]
JobConnection = Connection[Annotated["JobType", strawberry.lazy("schema.work.types")]]
ShipmentConnection = Connection[Annotated["ShipmentType", strawberry.lazy("schema.shipping.types")]]
InvoiceConnection = Connection[Annotated["InvoiceType", strawberry.lazy("schema.billing.types")]]
PaymentConnection = Connection[Annotated["PaymentType", strawberry.lazy("schema.billing.types")]]
ReturnConnection = Connection[Annotated["ReturnType", strawberry.lazy("schema.returns.types")]]
OrderRef = Annotated["OrderType", strawberry.lazy("schema.orders.types")]
OrderPartRef = Annotated["OrderPartType", strawberry.lazy("schema.orders.types")]
OrderItemConnection = Connection[Annotated["OrderItemType", strawberry.lazy("schema.orders.types")]]


def _order_money(expression, description: str):
    return rollup_money(expression, description, lambda order: order.currency, only=["currency"])


@strawberry_django.type(Order, name="Order", filters=OrderFilter, ordering=OrderOrdering)
class OrderType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(Order, "change")
    viewer_can_delete: bool = viewer_can(Order, "delete")
    viewer_can_manage: bool = viewer_can(Order, "manage")
    allowed_transitions: list[StatusTransition] = allowed_transitions_field(Order, lambda _: ORDER_FLOW)
    status_history: list[StatusChangeType] = status_history_field()
    number: auto
    name: auto
    kind: OrderKindEnum = strawberry_django.field(
        description="SALES when the vendor is internal, PURCHASE when the customer is."
    )
    status: OrderStatusEnum
    currency: auto
    project: ProjectRef | None
    customer: PartyType
    vendor: PartyType
    entered_at: auto
    placed_at: auto
    approved_at: auto
    completed_at: auto
    created_at: auto
    updated_at: auto
    version: auto
    parts: Connection[OrderPartRef] = connection()
    items: OrderItemConnection = connection()
    jobs: JobConnection = connection()
    shipments: ShipmentConnection = connection()
    tasks: TaskConnection = connection()
    invoices: InvoiceConnection = connection()
    payments: PaymentConnection = connection()
    returns: ReturnConnection = connection()

    @strawberry_django.field(only=["total", "currency"], description="Sum of the item totals.")
    def total(self) -> Money:
        return money(self.total, self.currency)

    revenue: Money = _order_money(
        rollups.order_revenue,
        "The item total of a SALES order; 0 for a purchase order and for a CANCELLED or REJECTED one.",
    )
    invoiced_amount: Money = _order_money(
        rollups.order_invoiced,
        "Totals of the order's invoices that take or have taken payments (FINALIZED, SENT, ACKNOWLEDGED, "
        "PAYMENT_RECEIVED, WRITTEN_OFF; payable: APPROVED, PAYMENT_SENT, BILLED_THROUGH), less its credit "
        "memos and return invoices in those statuses. Drafts (IN_PROCESS, INCOMING, RECEIVED) and "
        "CANCELLED invoices never count.",
    )
    paid_amount: Money = _order_money(
        rollups.order_paid,
        "Payments applied to the order's counted invoices (credit memos reduce invoicedAmount instead).",
    )
    outstanding_amount: Money = _order_money(rollups.order_outstanding, "invoicedAmount − paidAmount.")
    cost: Money = _order_money(
        rollups.order_cost,
        "Sum of the APPROVED costs of all the order's jobs (pending and rejected ones do not count).",
    )
    margin: Money = _order_money(rollups.order_margin, "revenue − cost.")
    margin_percent: Decimal | None = rollup_field(
        rollups.order_margin_percent,
        "margin / revenue × 100, 2 decimal places; null when there is no revenue.",
    )


@strawberry_django.type(OrderPart, name="OrderPart", filters=OrderPartFilter, ordering=OrderPartOrdering)
class OrderPartType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(OrderPart, "change")
    viewer_can_delete: bool = viewer_can(OrderPart, "delete")
    viewer_can_manage: bool = viewer_can(OrderPart, "manage")
    allowed_transitions: list[StatusTransition] = allowed_transitions_field(OrderPart, lambda _: ORDER_FLOW)
    status_history: list[StatusChangeType] = status_history_field()
    order: OrderRef | None = up_link()
    name: auto
    status: OrderStatusEnum
    facility: FacilityType | None
    ship_to_address: auto
    carrier: PartyType | None
    ship_after: auto
    ship_before: auto
    version: auto
    items: OrderItemConnection = connection()

    @strawberry_django.field(only=["total"], annotate={"order_currency": ORDER_CURRENCY})
    def total(self) -> Money:
        return money(self.total, order_currency(self))


@strawberry_django.type(OrderItem, name="OrderItem", filters=OrderItemFilter, ordering=OrderItemOrdering)
class OrderItemType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(OrderItem, "change")
    viewer_can_delete: bool = viewer_can(OrderItem, "delete")
    viewer_can_manage: bool = viewer_can(OrderItem, "manage")
    order: OrderRef | None = up_link()
    part: OrderPartRef | None = up_link()
    product: ProductType | None
    description: auto
    quantity: auto
    version: auto

    @strawberry_django.field(only=["unit_price"], annotate={"order_currency": ORDER_CURRENCY})
    def unit_price(self) -> Money:
        return precise_money(self.unit_price, order_currency(self))

    @strawberry_django.field(
        only=["total"],
        annotate={"order_currency": ORDER_CURRENCY},
        description="quantity × unit price, rounded.",
    )
    def total(self) -> Money:
        return money(self.total, order_currency(self))
