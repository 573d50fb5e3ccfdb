"""Returns take back no more units than a line had, and refund no more than was billed for it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from backend.billing.models import InvoiceStatus, Payment
from backend.billing.services import create_invoice_from_order, transition_invoice
from backend.returns.models import ReturnResponse, ReturnStatus
from backend.returns.services import add_return_item, create_return, transition_return

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def received_return(company, line, quantity: str, *, response=ReturnResponse.REFUND):
    record = create_return(
        actor=None, customer=company.customer, vendor=company.internal, currency="USD", order=line.order
    )
    add_return_item(record, actor=None, order_item=line, quantity=Decimal(quantity), response=response)
    for status in (ReturnStatus.APPROVED, ReturnStatus.RECEIVED):
        record = transition_return(record, to=status, actor=None)
    return record


@pytest.fixture
def billed_line(company):
    """A line of 3 × 3.335, billed 10.01 (3 × 3.335 = 10.005, rounded half-up)."""
    order = company.order(lines=((Decimal(3), Decimal("3.335")),))
    invoice = create_invoice_from_order(order=order, actor=None)
    invoice = transition_invoice(invoice, to=InvoiceStatus.FINALIZED, actor=None)
    assert invoice.total == Decimal("10.01")
    return order.items.get()


def test_returning_a_line_unit_by_unit_refunds_exactly_what_was_billed(company, billed_line):
    refunds = [received_return(company, billed_line, "1").refund_payment_id for _ in range(3)]
    amounts = [Payment.objects.get(pk=pk).amount for pk in refunds]
    assert amounts == [Decimal("3.34"), Decimal("3.34"), Decimal("3.33")]
    assert sum(amounts) == Decimal("10.01")


def test_a_line_not_yet_invoiced_shares_out_its_own_total(company):
    order = company.order(lines=((Decimal(3), Decimal("3.335")),))
    line = order.items.get()
    refunds = [received_return(company, line, q).refund_payment_id for q in ("2", "1")]
    assert [Payment.objects.get(pk=pk).amount for pk in refunds] == [Decimal("6.67"), Decimal("3.34")]


def test_returning_more_than_the_line_had_left_is_refused(company, billed_line):
    received_return(company, billed_line, "1")
    received_return(company, billed_line, "2")
    record = create_return(
        actor=None,
        customer=company.customer,
        vendor=company.internal,
        currency="USD",
        order=billed_line.order,
    )
    with pytest.raises(ValidationError) as refused:
        add_return_item(
            record, actor=None, order_item=billed_line, quantity=Decimal(2), response=ReturnResponse.REFUND
        )
    assert refused.value.error_dict["quantity"][0].code == "EXCEEDS_RETURNABLE"
    assert record.items.count() == 0


def test_a_cancelled_return_gives_its_units_back(company, billed_line):
    record = create_return(
        actor=None,
        customer=company.customer,
        vendor=company.internal,
        currency="USD",
        order=billed_line.order,
    )
    add_return_item(
        record, actor=None, order_item=billed_line, quantity=Decimal(3), response=ReturnResponse.CREDIT
    )
    transition_return(record, to=ReturnStatus.CANCELLED, actor=None)
    refund = received_return(company, billed_line, "3").refund_payment_id
    assert Payment.objects.get(pk=refund).amount == Decimal("10.01")
