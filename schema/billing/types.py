from typing import Annotated

import strawberry
import strawberry_django
from django.db.models import F
from django.db.models.functions import Coalesce
from strawberry import auto, relay

from backend.billing.models import Invoice, InvoiceItem, Payment, PaymentApplication
from backend.billing.transitions import PAYMENT_FLOW, invoice_flow

from ..catalog.types import ProductType
from ..enums import (
    InvoiceDirectionEnum,
    InvoiceKindEnum,
    InvoiceStatusEnum,
    PaymentInstrumentEnum,
    PaymentStatusEnum,
)
from ..money import Money, money, precise_money
from ..orders.types import OrderItemType, OrderRef
from ..pagination import Connection, connection
from ..parties.types import PartyType
from ..scoping import Scoped, up_link, viewer_can
from ..status import StatusChangeType, StatusTransition, allowed_transitions_field, status_history_field
from ..work.types import JobCostType
from .filters import (
    InvoiceFilter,
    InvoiceItemFilter,
    InvoiceItemOrdering,
    InvoiceOrdering,
    PaymentApplicationFilter,
    PaymentApplicationOrdering,
    PaymentFilter,
    PaymentOrdering,
)

InvoiceRef = Annotated["InvoiceType", strawberry.lazy("schema.billing.types")]
PaymentRef = Annotated["PaymentType", strawberry.lazy("schema.billing.types")]
InvoiceConnection = Connection[InvoiceRef]
PaymentConnection = Connection[PaymentRef]
InvoiceItemConnection = Connection[Annotated["InvoiceItemType", strawberry.lazy("schema.billing.types")]]
PaymentApplicationConnection = Connection[
    Annotated["PaymentApplicationType", strawberry.lazy("schema.billing.types")]
]

# The currency of the invoice or payment a row belongs to, joined into the row's own query.
INVOICE_CURRENCY = F("invoice__currency")
APPLICATION_CURRENCY = Coalesce(F("payment__currency"), F("invoice__currency"), F("to_invoice__currency"))


def invoice_currency(item) -> str:
    return getattr(item, "invoice_currency", None) or item.invoice.currency


def application_currency(application) -> str:
    annotated = getattr(application, "application_currency", None)
    if annotated:
        return annotated
    side = application.payment if application.payment_id else application.invoice
    return side.currency


@strawberry_django.type(Invoice, name="Invoice", filters=InvoiceFilter, ordering=InvoiceOrdering)
class InvoiceType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(Invoice, "change")
    viewer_can_delete: bool = viewer_can(Invoice, "delete")
    viewer_can_manage: bool = viewer_can(Invoice, "manage")
    allowed_transitions: list[StatusTransition] = allowed_transitions_field(
        Invoice, invoice_flow, only=["direction", "status"]
    )
    status_history: list[StatusChangeType] = status_history_field()
    number: str | None = strawberry_django.field(
        description="Legal number, gapless per issuing internal organisation and year; null until the "
        "invoice is finalised (a payable one: approved)."
    )
    kind: InvoiceKindEnum
    direction: InvoiceDirectionEnum
    status: InvoiceStatusEnum
    from_party: PartyType = strawberry_django.field(description="The issuer.")
    to_party: PartyType = strawberry_django.field(description="The billed party.")
    invoice_date: auto
    due_date: auto
    currency: auto
    order: OrderRef | None = up_link()
    created_at: auto
    updated_at: auto
    version: auto
    items: InvoiceItemConnection = connection()
    applications: PaymentApplicationConnection = connection(
        description="Applications this invoice is the source of: payments settling it, or this credit memo "
        "settling another invoice."
    )
    applications_received: PaymentApplicationConnection = connection(
        description="Credit memos applied to this invoice."
    )

    @strawberry_django.field(only=["total", "currency"], description="Sum of the item totals.")
    def total(self) -> Money:
        return money(self.total, self.currency)

    @strawberry_django.field(only=["applied_total", "currency"], description="Sum of the live applications.")
    def applied_total(self) -> Money:
        return money(self.applied_total, self.currency)

    @strawberry_django.field(only=["unpaid_total", "currency"], description="total − applied total.")
    def unpaid_total(self) -> Money:
        return money(self.unpaid_total, self.currency)


@strawberry_django.type(
    InvoiceItem, name="InvoiceItem", filters=InvoiceItemFilter, ordering=InvoiceItemOrdering
)
class InvoiceItemType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(InvoiceItem, "change")
    viewer_can_delete: bool = viewer_can(InvoiceItem, "delete")
    viewer_can_manage: bool = viewer_can(InvoiceItem, "manage")
    invoice: InvoiceRef | None = up_link()
    description: auto
    product: ProductType | None
    quantity: auto
    order_item: OrderItemType | None = up_link()
    job_cost: JobCostType | None = up_link()
    version: auto

    @strawberry_django.field(only=["unit_price"], annotate={"invoice_currency": INVOICE_CURRENCY})
    def unit_price(self) -> Money:
        return precise_money(self.unit_price, invoice_currency(self))

    @strawberry_django.field(
        only=["total"],
        annotate={"invoice_currency": INVOICE_CURRENCY},
        description="quantity × unit price, rounded.",
    )
    def total(self) -> Money:
        return money(self.total, invoice_currency(self))


@strawberry_django.type(Payment, name="Payment", filters=PaymentFilter, ordering=PaymentOrdering)
class PaymentType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(Payment, "change")
    viewer_can_delete: bool = viewer_can(Payment, "delete")
    viewer_can_manage: bool = viewer_can(Payment, "manage")
    allowed_transitions: list[StatusTransition] = allowed_transitions_field(
        Payment, lambda _: PAYMENT_FLOW, only=["status"]
    )
    status_history: list[StatusChangeType] = status_history_field()
    number: str | None = strawberry_django.field(
        description="Legal number, gapless per internal organisation (the payee, else the payer) and "
        "year; null until the payment is promised."
    )
    from_party: PartyType = strawberry_django.field(description="The payer.")
    to_party: PartyType = strawberry_django.field(description="The payee.")
    instrument: PaymentInstrumentEnum
    status: PaymentStatusEnum
    currency: auto
    effective_date: auto
    order: OrderRef | None = up_link()
    for_invoice: InvoiceRef | None = up_link()
    refund_for: PaymentRef | None = up_link()
    created_at: auto
    updated_at: auto
    version: auto
    applications: PaymentApplicationConnection = connection(
        description="Applications of this payment: to invoices, or to another payment as a refund."
    )
    applications_received: PaymentApplicationConnection = connection(
        description="Refunds applied to this payment."
    )

    @strawberry_django.field(only=["amount", "currency"])
    def amount(self) -> Money:
        return money(self.amount, self.currency)

    @strawberry_django.field(only=["applied_total", "currency"], description="Sum of the live applications.")
    def applied_total(self) -> Money:
        return money(self.applied_total, self.currency)

    @strawberry_django.field(only=["unapplied_total", "currency"], description="amount − applied total.")
    def unapplied_total(self) -> Money:
        return money(self.unapplied_total, self.currency)


@strawberry_django.type(
    PaymentApplication,
    name="PaymentApplication",
    filters=PaymentApplicationFilter,
    ordering=PaymentApplicationOrdering,
    description="Part of a payment (or credit memo) settling an invoice (or a payment, as a refund). "
    "Undoing it keeps the row with amount 0 and the original amount.",
)
class PaymentApplicationType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(PaymentApplication, "change")
    viewer_can_delete: bool = viewer_can(PaymentApplication, "delete")
    viewer_can_manage: bool = viewer_can(PaymentApplication, "manage")
    payment: PaymentRef | None = up_link()
    invoice: InvoiceRef | None = up_link()
    to_payment: PaymentRef | None = up_link()
    to_invoice: InvoiceRef | None = up_link()
    applied_at: auto
    unapplied_at: auto
    version: auto

    @strawberry_django.field(only=["amount"], annotate={"application_currency": APPLICATION_CURRENCY})
    def amount(self) -> Money:
        return money(self.amount, application_currency(self))

    @strawberry_django.field(
        only=["original_amount"],
        annotate={"application_currency": APPLICATION_CURRENCY},
        description="The amount that was applied, once undone.",
    )
    def original_amount(self) -> Money | None:
        return money(self.original_amount, application_currency(self))

    @strawberry_django.field(only=["applied_by__username"], select_related=["applied_by"])
    def applied_by(self) -> str | None:
        """Username of who applied it."""
        return self.applied_by.username if self.applied_by_id else None

    @strawberry_django.field(only=["unapplied_by__username"], select_related=["unapplied_by"])
    def unapplied_by(self) -> str | None:
        """Username of who undid it; null while it stands."""
        return self.unapplied_by.username if self.unapplied_by_id else None
