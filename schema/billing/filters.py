import strawberry_django
from strawberry import auto
from strawberry_django import BaseFilterLookup, DateFilterLookup, DatetimeFilterLookup

from backend.billing.models import Invoice, InvoiceItem, Payment, PaymentApplication

from ..catalog.filters import ProductFilter
from ..enums import (
    InvoiceDirectionEnum,
    InvoiceKindEnum,
    InvoiceStatusEnum,
    PaymentInstrumentEnum,
    PaymentStatusEnum,
)
from ..orders.filters import OrderFilter
from ..parties.filters import PartyFilter


@strawberry_django.filter_type(Invoice, lookups=True)
class InvoiceFilter:
    id: auto
    number: auto
    kind: BaseFilterLookup[InvoiceKindEnum] | None
    direction: BaseFilterLookup[InvoiceDirectionEnum] | None
    status: BaseFilterLookup[InvoiceStatusEnum] | None
    currency: auto
    from_party: PartyFilter | None
    to_party: PartyFilter | None
    order: OrderFilter | None
    invoice_date: DateFilterLookup | None
    due_date: DateFilterLookup | None
    total: auto
    unpaid_total: auto


@strawberry_django.order_type(Invoice)
class InvoiceOrdering:
    id: auto
    number: auto
    status: auto
    invoice_date: auto
    due_date: auto
    total: auto
    unpaid_total: auto


@strawberry_django.filter_type(InvoiceItem, lookups=True)
class InvoiceItemFilter:
    id: auto
    description: auto
    invoice: InvoiceFilter | None
    product: ProductFilter | None
    quantity: auto
    unit_price: auto
    total: auto


@strawberry_django.order_type(InvoiceItem)
class InvoiceItemOrdering:
    id: auto
    description: auto
    quantity: auto
    unit_price: auto
    total: auto


@strawberry_django.filter_type(Payment, lookups=True)
class PaymentFilter:
    id: auto
    number: auto
    instrument: BaseFilterLookup[PaymentInstrumentEnum] | None
    status: BaseFilterLookup[PaymentStatusEnum] | None
    currency: auto
    from_party: PartyFilter | None
    to_party: PartyFilter | None
    order: OrderFilter | None
    for_invoice: InvoiceFilter | None
    effective_date: DateFilterLookup | None
    amount: auto
    unapplied_total: auto


@strawberry_django.order_type(Payment)
class PaymentOrdering:
    id: auto
    number: auto
    status: auto
    effective_date: auto
    amount: auto
    unapplied_total: auto


@strawberry_django.filter_type(PaymentApplication, lookups=True)
class PaymentApplicationFilter:
    id: auto
    payment: PaymentFilter | None
    invoice: InvoiceFilter | None
    to_payment: PaymentFilter | None
    to_invoice: InvoiceFilter | None
    amount: auto
    applied_at: DatetimeFilterLookup | None
    unapplied_at: DatetimeFilterLookup | None


@strawberry_django.order_type(PaymentApplication)
class PaymentApplicationOrdering:
    id: auto
    amount: auto
    applied_at: auto
    unapplied_at: auto
