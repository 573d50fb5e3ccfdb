"""lock_money takes every lock in one pass, payments before invoices, even where applications chain
invoices and payments together (as a few shared invoices and payments do under load)."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from backend.billing.application import apply_payment
from backend.billing.totals import lock_money

from .test_billing import make_invoice, make_payment

pytestmark = pytest.mark.django_db


def _locked_tables(queries) -> list[str]:
    return [
        "payment" if 'FROM "billing_payment"' in q["sql"] else "invoice"
        for q in queries
        if q["sql"].endswith("FOR UPDATE") and 'FROM "billing_' in q["sql"]
    ]


def test_the_rows_one_application_away_are_locked_in_one_pass_payments_first(company, user):
    first, second = make_invoice(company, "100.00"), make_invoice(company, "100.00")
    payment, other = make_payment(company, "100.00"), make_payment(company, "100.00")
    # first <- payment -> second <- other: a chain two applications long from the first invoice
    apply_payment(payment=payment, invoice=first, amount=Decimal("10.00"), actor=user)
    apply_payment(payment=payment, invoice=second, amount=Decimal("10.00"), actor=user)
    apply_payment(payment=other, invoice=second, amount=Decimal("10.00"), actor=user)

    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        payments, invoices = lock_money(invoices=[first.pk], with_applications=True)

    assert set(payments) == {payment.pk} and set(invoices) == {first.pk}
    # a second pass would lock `other` after the invoices: out of order, a deadlock under load
    assert _locked_tables(captured.captured_queries) == ["payment", "invoice"]
