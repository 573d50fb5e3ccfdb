"""Money follows status: every declared transition of every invoice and payment flow, taken from a
state with applications where the flow can hold them, leaves the balances its money table says."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from backend.analytics.rollups import order_paid
from backend.billing.application import apply_payment
from backend.billing.models import InvoiceDirection, InvoiceStatus, PaymentStatus
from backend.billing.services import add_invoice_item, create_invoice, transition_invoice, transition_payment
from backend.billing.transitions import (
    MONEY,
    PAID_STATUS,
    PAYABLE_FLOW,
    PAYMENT_FLOW,
    RECEIVABLE_FLOW,
    UNPAID_STATUS,
    Money,
    undoes_applications,
)
from backend.orders.models import Order
from backend.orders.services import create_order

from .test_billing import codes, make_invoice, make_payment

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

TOTAL, PART = Decimal("10.00"), Decimal("4.00")
COUNTED = (Money.OPEN, Money.PAID, Money.CLOSED)  # what an order counts as invoiced and paid


def _walk(flow, source: str, target: str, *, keeping_applications: bool) -> list[str] | None:
    """The shortest walk along `flow`, optionally only through moves that keep the applications;
    never into a paid status by hand (applications move an invoice there)."""

    def through(step) -> bool:
        if MONEY[flow][step.target] == Money.PAID:
            return False
        return not (keeping_applications and undoes_applications(flow, step.source, step.target))

    return flow.path(source, target, through=through)


def _order(company, *, payable: bool) -> Order:
    customer, vendor = (
        (company.internal, company.supplier) if payable else (company.customer, company.internal)
    )
    return create_order(actor=None, customer=customer, vendor=vendor, currency="USD")


def _paid(order) -> Decimal:
    return Order.objects.annotate(paid=order_paid()).get(pk=order.pk).paid


def _invoice_at(company, flow, source: str):
    """An invoice of TOTAL in `source`, with one application if `source` can hold one: PART when
    the status leaves something unpaid, all of it for a paid or closed status."""
    direction = InvoiceDirection.PAYABLE if flow is PAYABLE_FLOW else InvoiceDirection.RECEIVABLE
    order = _order(company, payable=flow is PAYABLE_FLOW)
    issuer, billed = (
        (company.supplier, company.internal) if flow is PAYABLE_FLOW else (company.internal, company.customer)
    )
    invoice = create_invoice(actor=None, from_party=issuer, to_party=billed, currency="USD", order=order)
    add_invoice_item(invoice, actor=None, description="Work", quantity=Decimal(1), unit_price=TOTAL)
    payment = make_payment(company, TOTAL, payer=billed, payee=issuer)
    standing = MONEY[flow][source]
    amount = TOTAL if standing in (Money.PAID, Money.CLOSED) else PART
    applied_at = PAID_STATUS[direction] if amount == TOTAL else UNPAID_STATUS[direction]
    applied = Decimal(0)
    if (
        standing != Money.NOT_COUNTED
        and _walk(flow, applied_at, source, keeping_applications=True) is not None
    ):
        for step in _walk(flow, invoice.status, UNPAID_STATUS[direction], keeping_applications=True):
            invoice = transition_invoice(invoice, to=step, actor=None)
        apply_payment(payment=payment, invoice=invoice, amount=amount, actor=None)
        applied = amount
        invoice.refresh_from_db()
    for step in _walk(flow, invoice.status, source, keeping_applications=applied > 0):
        invoice = transition_invoice(invoice, to=step, actor=None)
    invoice.refresh_from_db()
    assert invoice.status == source and invoice.applied_total == applied
    return invoice, payment, order, applied


def _transitions(*flows):
    return [
        pytest.param(flow, t, id=f"{flow.name}:{t.source}->{t.target}")
        for flow in flows
        for t in flow.transitions
    ]


@pytest.mark.parametrize(("flow", "step"), _transitions(RECEIVABLE_FLOW, PAYABLE_FLOW))
def test_every_invoice_transition_keeps_or_undoes_its_applications_as_declared(company, user, flow, step):
    invoice, payment, order, applied = _invoice_at(company, flow, step.source)
    table = MONEY[flow]
    if table[step.target] == Money.PAID and invoice.unpaid_total != 0:
        # paid is reached by applications: by hand it is refused while anything is unpaid
        with pytest.raises(ValidationError) as refused:
            transition_invoice(invoice, to=step.target, actor=user)
        assert codes(refused.value) == {"PAID_BY_APPLICATION"}
        expected, status = applied, step.source
    else:
        transition_invoice(invoice, to=step.target, actor=user)
        expected = Decimal(0) if undoes_applications(flow, step.source, step.target) else applied
        status = step.target
    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert invoice.status == status
    assert (invoice.applied_total, invoice.unpaid_total) == (expected, TOTAL - expected)
    assert (payment.applied_total, payment.unapplied_total) == (expected, TOTAL - expected)
    assert _paid(order) == (expected if table[status] in COUNTED else 0)
    # only an open invoice takes a new application
    fresh = make_payment(company, "1.00", payer=payment.from_party, payee=payment.to_party)
    if table[status] == Money.OPEN:
        apply_payment(payment=fresh, invoice=invoice, amount=Decimal("1.00"), actor=user)
    else:
        with pytest.raises(ValidationError) as refused:
            apply_payment(payment=fresh, invoice=invoice, amount=Decimal("1.00"), actor=user)
        assert codes(refused.value) == {"INVOICE_NOT_PAYABLE"}


def _payment_at(company, source: str):
    """A payment of TOTAL in `source`; a settled one has PART applied to an invoice of TOTAL."""
    order = _order(company, payable=False)
    invoice = make_invoice(company, TOTAL)
    invoice.order = order
    invoice.save(update_fields=["order"])
    if MONEY[PAYMENT_FLOW][source] != Money.OPEN:
        return make_payment(company, TOTAL, status=source), invoice, order, Decimal(0)
    payment = make_payment(company, TOTAL, status=PaymentStatus.DELIVERED)
    apply_payment(payment=payment, invoice=invoice, amount=PART, actor=None)
    if source != PaymentStatus.DELIVERED:
        payment = transition_payment(payment, to=source, actor=None)
    return payment, invoice, order, PART


@pytest.mark.parametrize(("flow", "step"), _transitions(PAYMENT_FLOW))
def test_every_payment_transition_keeps_or_undoes_its_applications_as_declared(company, user, flow, step):
    payment, invoice, order, applied = _payment_at(company, step.source)
    transition_payment(payment, to=step.target, actor=user)
    expected = Decimal(0) if undoes_applications(flow, step.source, step.target) else applied
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert payment.status == step.target
    assert (payment.applied_total, payment.unapplied_total) == (expected, TOTAL - expected)
    assert (invoice.applied_total, invoice.unpaid_total) == (expected, TOTAL - expected)
    assert invoice.status == InvoiceStatus.FINALIZED
    assert _paid(order) == expected
    # only a settled payment can be applied
    if MONEY[flow][step.target] == Money.OPEN:
        apply_payment(payment=payment, invoice=invoice, amount=Decimal("1.00"), actor=user)
    else:
        with pytest.raises(ValidationError) as refused:
            apply_payment(payment=payment, invoice=invoice, amount=Decimal("1.00"), actor=user)
        assert codes(refused.value) == {"PAYMENT_NOT_SETTLED"}


@pytest.mark.parametrize("flow", [RECEIVABLE_FLOW, PAYABLE_FLOW, PAYMENT_FLOW], ids=lambda flow: flow.name)
def test_every_status_of_a_flow_is_in_its_money_table(flow):
    used = {status for t in flow.transitions for status in (t.source, t.target)}
    assert used == set(MONEY[flow])


def test_the_walk_reaches_every_status_that_can_hold_applications(company):
    held = [
        (flow, status)
        for flow in (RECEIVABLE_FLOW, PAYABLE_FLOW)
        for status, standing in MONEY[flow].items()
        if standing != Money.NOT_COUNTED and status != InvoiceStatus.INCOMING  # nothing enters INCOMING
    ]
    for flow, status in held:
        assert _invoice_at(company, flow, status)[3] > 0, (flow.name, status)
