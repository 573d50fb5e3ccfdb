"""Invoices, payments, applications of every shape, returns, order parts, assets, facilities and task
templates on the compiled tests' company, built through the domain services."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from backend.billing.application import apply_credit_memo, apply_payment, refund_payment, unapply
from backend.billing.models import InvoiceKind, InvoiceStatus, PaymentInstrument, PaymentStatus
from backend.billing.services import create_invoice_from_order, create_payment, transition_invoice
from backend.catalog.models import Asset, Facility
from backend.orders.services import add_order_item, add_order_part
from backend.returns.models import ReturnResponse, ReturnStatus
from backend.returns.services import add_return_item, create_return, transition_return
from backend.work.models import TaskTemplate
from tests.analytics.data import invoice

D = Decimal
# Whole amounts, valid in every currency (JPY has no minor unit).
PAID, REFUNDED, CREDITED = D(10), D(3), D(2)


@dataclass
class Books:
    invoices: list
    payments: list
    applications: list
    returns: list


def _payment(company, order, amount: Decimal, *, back_to=None):
    payer, payee = (company.internal, company.customer) if back_to else (company.customer, company.internal)
    return create_payment(
        actor=None, from_party=payer, to_party=payee, instrument=PaymentInstrument.WIRE, amount=amount,
        currency=order.currency, status=PaymentStatus.DELIVERED, effective_date=date(2026, 3, 2),
        order=order, refund_for=back_to,
    )  # fmt: skip


def build_books(company, orders) -> Books:
    books = Books([], [], [], [])
    for order in orders:
        bill = create_invoice_from_order(
            order=order, actor=None, invoice_date=date(2026, 3, 1), due_date=date(2026, 4, 1)
        )
        bill = transition_invoice(bill, to=InvoiceStatus.FINALIZED, actor=None)
        payment = _payment(company, order, PAID + REFUNDED)
        applied = apply_payment(payment=payment, invoice=bill, amount=PAID, actor=None)
        refund = _payment(company, order, REFUNDED, back_to=payment)
        refunded = refund_payment(payment=payment, refund=refund, actor=None)
        memo = invoice(company, "5", order=order, kind=InvoiceKind.CREDIT_MEMO, status=InvoiceStatus.APPROVED,
                       currency=order.currency)  # fmt: skip
        credited = apply_credit_memo(credit_memo=memo, invoice=bill, amount=CREDITED, actor=None)
        undone = apply_credit_memo(credit_memo=memo, invoice=bill, amount=CREDITED, actor=None)
        undone = unapply(application=undone, actor=None)
        books.invoices += [bill, memo]
        books.payments += [payment, refund]
        books.applications += [applied, refunded, credited, undone]

        part = add_order_part(
            order, actor=None, name="Part A", facility=company.warehouse, carrier=company.carrier
        )
        line = add_order_item(
            order, actor=None, part=part, product=company.product, quantity=D(2), unit_price=D("1.23456")
        )
        record = create_return(
            actor=None, customer=company.customer, vendor=company.internal, currency=order.currency,
            facility=company.warehouse, order=order,
        )  # fmt: skip
        add_return_item(record, actor=None, order_item=line, quantity=D(1), response=ReturnResponse.REFUND)
        add_return_item(record, actor=None, product=company.product, quantity=D(1), return_price=D("4.5"),
                        response=ReturnResponse.CREDIT)  # fmt: skip
        add_return_item(record, actor=None, order_item=line, quantity=D(1), response=ReturnResponse.REPLACE)
        record = transition_return(record, to=ReturnStatus.APPROVED, actor=None)
        books.returns.append(transition_return(record, to=ReturnStatus.RECEIVED, actor=None))
    # A return still open: no shipment, invoice, refund or replacement yet.
    books.returns.append(
        create_return(actor=None, customer=company.customer, vendor=company.internal, currency="EUR")
    )
    site = Facility.objects.create(
        kind="WAREHOUSE", name="Annex", parent=company.warehouse, owner=company.internal
    )
    Asset.objects.create(kind="INVENTORY", product=company.product, facility=site, serial_number="S-1",
                         quantity_on_hand=D("3.5"), acquire_cost=D("1200"), currency="JPY")  # fmt: skip
    Asset.objects.create(kind="EQUIPMENT", product=company.product, acquire_cost=D("10.125"), currency="BHD")
    Asset.objects.create(kind="INVENTORY", product=company.product, facility=company.warehouse)
    TaskTemplate.objects.create(name="Onboarding", description="First week")
    return books
