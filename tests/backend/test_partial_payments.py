"""Partial payments whose amounts binary floating point cannot hold: the quick start's SQLite file
compares them as PostgreSQL does (this module also runs on SQLite)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from backend.billing.application import apply_payment
from backend.billing.models import Invoice, InvoiceStatus, Payment, PaymentApplication

from .test_billing import make_invoice, make_payment

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.mark.parametrize(
    ("total", "parts", "currency"),
    [
        ("2345.67", ["1000.00", "1000.00", "345.67"], "USD"),
        ("0.30", ["0.10", "0.20"], "USD"),
        ("12.345", ["10.000", "2.345"], "KWD"),
        ("1000.01", ["0.01", "999.99", "0.01"], "EUR"),
    ],
)
def test_partial_payments_leave_the_exact_remainder_and_pay_the_invoice_at_zero(
    company, user, total, parts, currency
):
    invoice = make_invoice(company, total, currency=currency)
    remaining = Decimal(total)
    for part in parts:
        payment = make_payment(company, part, currency=currency)
        applied = apply_payment(payment=payment, invoice=invoice, actor=user)
        invoice.refresh_from_db()
        payment.refresh_from_db()
        expected = max(remaining - Decimal(part), Decimal(0))
        assert applied.amount == min(Decimal(part), remaining)
        assert invoice.unpaid_total == expected
        assert invoice.applied_total == Decimal(total) - expected
        assert payment.unapplied_total == Decimal(part) - applied.amount
        remaining = expected
    assert invoice.status == InvoiceStatus.PAYMENT_RECEIVED and invoice.unpaid_total == 0


@pytest.mark.parametrize("off_by", ["0.0001", "-0.0001", "1"])
def test_stored_totals_that_disagree_by_a_last_decimal_are_refused(company, off_by):
    invoice = make_invoice(company, "0.30")
    payment = make_payment(company, "0.30")
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(unpaid_total=F("unpaid_total") + Decimal(off_by))
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(unapplied_total=F("unapplied_total") + Decimal(off_by))


def test_one_idempotency_key_with_the_same_amount_written_another_way_replays_the_first_result(company, user):
    invoice = make_invoice(company, "100.00")
    payment = make_payment(company, "100.00")
    first = apply_payment(payment=payment, invoice=invoice, amount=Decimal("10.00"), actor=user,
                          idempotency_key="same-amount")  # fmt: skip
    again = apply_payment(payment=payment, invoice=invoice, amount=Decimal("10.0"), actor=user,
                          idempotency_key="same-amount")  # fmt: skip
    assert again.pk == first.pk and PaymentApplication.objects.count() == 1


def test_a_refused_amount_is_shown_with_the_currency_decimals(company, user):
    invoice = make_invoice(company, "10.00")
    payment = make_payment(company, "50.00")
    with pytest.raises(ValidationError) as info:
        apply_payment(payment=payment, invoice=invoice, amount=Decimal("12.50"), actor=user)
    message = info.value.error_dict["amount"][0].messages[0]
    assert message == "12.50 USD exceeds the invoice's unpaid total (10.00 USD)."
