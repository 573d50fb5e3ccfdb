"""Applications count only while both sides are in a status that counts them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from backend.billing.application import apply_payment, unapply
from backend.billing.models import InvoiceStatus, PaymentStatus
from backend.billing.services import transition_invoice, transition_payment

from .test_billing import make_invoice, make_payment

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.mark.parametrize(
    "to", [PaymentStatus.DECLINED, PaymentStatus.CANCELLED, PaymentStatus.VOID, PaymentStatus.AUTHORIZED]
)
def test_a_payment_leaving_settled_stops_paying_its_invoice(company, user, to):
    invoice = make_invoice(company, "10.00")
    payment = make_payment(company, "10.00")
    application = apply_payment(payment=payment, invoice=invoice, actor=user)
    transition_payment(payment, to=to, actor=user)
    invoice.refresh_from_db()
    payment.refresh_from_db()
    application.refresh_from_db()
    assert application.amount == 0 and application.original_amount == Decimal("10.00")
    assert invoice.status == InvoiceStatus.FINALIZED and invoice.unpaid_total == Decimal("10.00")
    assert payment.applied_total == 0 and payment.status == to


def test_a_confirmed_payment_keeps_paying(company, user):
    invoice = make_invoice(company, "10.00")
    payment = make_payment(company, "10.00")
    apply_payment(payment=payment, invoice=invoice, actor=user)
    transition_payment(payment, to=PaymentStatus.CONFIRMED, actor=user)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAYMENT_RECEIVED and invoice.unpaid_total == 0


def test_a_written_off_invoice_refuses_unapply_and_void_of_its_payments(company, user):
    invoice = make_invoice(company, "10.00")
    payment = make_payment(company, "10.00")
    application = apply_payment(payment=payment, invoice=invoice, actor=user)
    transition_invoice(invoice, to=InvoiceStatus.WRITTEN_OFF, actor=user)
    for undo in (
        lambda: unapply(application=application, actor=user),
        lambda: transition_payment(payment, to=PaymentStatus.VOID, actor=user),
    ):
        with pytest.raises(ValidationError) as refused:
            undo()
        assert refused.value.error_dict["application"][0].code == "INVOICE_CLOSED"
    invoice.refresh_from_db()
    application.refresh_from_db()
    assert invoice.status == InvoiceStatus.WRITTEN_OFF and invoice.unpaid_total == 0
    assert application.amount == Decimal("10.00")
