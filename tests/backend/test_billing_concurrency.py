"""Concurrent applications through real threads, each on its own database connection."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from backend.billing.application import apply_payment, unapply
from backend.billing.models import Invoice, InvoiceItem, InvoiceStatus, Payment, PaymentApplication

from .test_billing import codes, make_invoice, make_payment

pytestmark = pytest.mark.django_db(transaction=True)


def run_concurrently(calls) -> tuple[list, list]:
    """Start every call at once; collect results and refusals."""
    barrier = threading.Barrier(len(calls))
    results, refusals, failures = [], [], []
    guard = threading.Lock()

    def worker(call):
        try:
            barrier.wait()
            outcome = call()
            with guard:
                results.append(outcome)
        except ValidationError as exc:
            with guard:
                refusals.append(exc)
        except Exception as exc:
            with guard:
                failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    return results, refusals


def applied_sum(**filters) -> Decimal:
    return PaymentApplication.objects.filter(**filters).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def test_twenty_payments_race_for_one_invoice(company, user):
    invoice = make_invoice(company, "1000.00")
    payments = [make_payment(company, "100.00") for _ in range(20)]
    calls = [
        lambda p=p: apply_payment(payment=p, invoice=invoice, amount=Decimal("100.00"), actor=user)
        for p in payments
    ]
    results, refusals = run_concurrently(calls)

    assert len(results) == 10 and len(refusals) == 10
    invoice.refresh_from_db()
    assert invoice.unpaid_total == 0 and invoice.applied_total == Decimal("1000.00")
    assert invoice.status == InvoiceStatus.PAYMENT_RECEIVED
    assert applied_sum(invoice=invoice) == Decimal("1000.00")
    for payment in Payment.objects.filter(pk__in=[p.pk for p in payments]):
        assert payment.unapplied_total >= 0
        assert payment.applied_total == applied_sum(payment=payment)
        assert payment.applied_total in (0, Decimal("100.00"))
    assert not Invoice.objects.filter(unpaid_total__lt=0).exists()


def test_one_payment_never_over_applied_across_invoices(company, user):
    payment = make_payment(company, "500.00")
    invoices = [make_invoice(company, "200.00") for _ in range(6)]
    calls = [lambda i=i: apply_payment(payment=payment, invoice=i, actor=user) for i in invoices]
    results, refusals = run_concurrently(calls)

    payment.refresh_from_db()
    assert payment.applied_total == Decimal("500.00") and payment.unapplied_total == 0
    assert applied_sum(payment=payment) == Decimal("500.00")
    assert sum(r.amount for r in results) == Decimal("500.00")
    assert len(results) == 3 and len(refusals) == 3
    for invoice in Invoice.objects.filter(pk__in=[i.pk for i in invoices]):
        assert invoice.applied_total == applied_sum(invoice=invoice)
        assert invoice.unpaid_total == invoice.total - invoice.applied_total >= 0


def test_concurrent_retries_with_one_key_apply_once(company, user):
    invoice = make_invoice(company, "100.00")
    payment = make_payment(company, "100.00")
    calls = [
        lambda: apply_payment(
            payment=payment, invoice=invoice, amount=Decimal("25.00"), actor=user, idempotency_key="retry"
        )
        for _ in range(5)
    ]
    results, refusals = run_concurrently(calls)

    assert refusals == [] and len({r.pk for r in results}) == 1
    invoice.refresh_from_db()
    assert invoice.applied_total == Decimal("25.00")
    assert PaymentApplication.objects.filter(invoice=invoice).count() == 1


def test_one_payment_split_across_twenty_invoices_stops_at_its_amount(company, user):
    payment = make_payment(company, "1000.00")
    invoices = [make_invoice(company, "250.00") for _ in range(20)]
    calls = [
        lambda i=i: apply_payment(payment=payment, invoice=i, amount=Decimal("100.00"), actor=user)
        for i in invoices
    ]
    results, refusals = run_concurrently(calls)

    assert len(results) == 10 and len(refusals) == 10
    assert all(codes(exc) == {"EXCEEDS_UNAPPLIED"} for exc in refusals)
    payment.refresh_from_db()
    assert applied_sum(payment=payment) == Decimal("1000.00")
    assert payment.applied_total == applied_sum(payment=payment) == sum(r.amount for r in results)
    assert payment.unapplied_total == 0
    assert PaymentApplication.objects.filter(payment=payment).count() == 10
    for invoice in Invoice.objects.filter(pk__in=[i.pk for i in invoices]):
        assert invoice.applied_total == applied_sum(invoice=invoice) in (0, Decimal("100.00"))
        assert invoice.unpaid_total == invoice.total - invoice.applied_total > 0
        assert invoice.status == InvoiceStatus.FINALIZED


def test_ten_concurrent_retries_with_one_key_return_one_application(company, user):
    invoice = make_invoice(company, "500.00")
    payment = make_payment(company, "500.00")
    calls = [
        lambda: apply_payment(
            payment=payment, invoice=invoice, amount=Decimal("40.00"), actor=user, idempotency_key="same"
        )
        for _ in range(10)
    ]
    results, refusals = run_concurrently(calls)

    assert refusals == [] and len(results) == 10
    rows = list(PaymentApplication.objects.filter(payment=payment))
    assert len(rows) == 1
    assert {r.pk for r in results} == {rows[0].pk}
    assert all(r.amount == Decimal("40.00") for r in results)
    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert invoice.applied_total == payment.applied_total == Decimal("40.00")
    assert invoice.unpaid_total == Decimal("460.00") and payment.unapplied_total == Decimal("460.00")


def assert_consistent(invoice, payment):
    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert invoice.total == InvoiceItem.objects.filter(invoice=invoice).aggregate(s=Sum("total"))["s"]
    assert invoice.applied_total == applied_sum(invoice=invoice)
    assert invoice.unpaid_total == invoice.total - invoice.applied_total >= 0
    assert payment.applied_total == applied_sum(payment=payment)
    assert payment.unapplied_total == payment.amount - payment.applied_total >= 0
    assert (invoice.status == InvoiceStatus.PAYMENT_RECEIVED) == (invoice.unpaid_total == 0)
    assert not PaymentApplication.objects.filter(unapplied_at__isnull=False).exclude(amount=0).exists()


@pytest.mark.parametrize("amount", [Decimal("40.00"), Decimal("100.00"), None])
def test_concurrent_unapply_and_apply_leave_consistent_totals(company, user, amount):
    invoice = make_invoice(company, "100.00")
    payment = make_payment(company, "100.00")
    first = apply_payment(payment=payment, invoice=invoice, amount=Decimal("60.00"), actor=user)
    calls = [
        lambda: unapply(application=first, actor=user),
        lambda: apply_payment(payment=payment, invoice=invoice, amount=amount, actor=user),
    ]
    results, refusals = run_concurrently(calls)

    assert len(results) + len(refusals) == 2
    assert all(codes(exc) <= {"EXCEEDS_UNPAID", "EXCEEDS_UNAPPLIED"} for exc in refusals)
    first.refresh_from_db()
    assert first.unapplied_at is not None and first.amount == 0
    assert_consistent(invoice, payment)
    if amount == Decimal("40.00"):
        assert refusals == [] and invoice.applied_total == Decimal("40.00")
    assert invoice.applied_total in (0, Decimal("40.00"), Decimal("100.00"))
