"""Writes that touch the same money rows from two sides queue on one lock order, never deadlock.

A third connection holds a row both writers need first, so both start and block; on release
they would deadlock if either took its locks in another order.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.db.models import Q, Sum

from backend.billing.application import apply_payment, refund_payment
from backend.billing.models import (
    Invoice,
    InvoiceItem,
    InvoiceStatus,
    Payment,
    PaymentApplication,
    PaymentStatus,
)
from backend.billing.services import transition_invoice, transition_payment

from .test_billing import make_invoice, make_payment
from .test_billing_concurrency import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def _waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def race_behind_a_held_lock(row, calls):
    """Hold `row` FOR UPDATE on a third connection until every call is blocked, then let go."""
    held, release = threading.Event(), threading.Event()

    def holder():
        try:
            with transaction.atomic():
                type(row).objects.select_for_update().get(pk=row.pk)
                held.set()
                release.wait(10)
        finally:
            connections["default"].close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert held.wait(10)
    outcome = {}
    racers = threading.Thread(target=lambda: outcome.update(result=run_concurrently(calls)))
    racers.start()
    deadline = time.monotonic() + 10
    while _waiting_on_locks() < len(calls) and time.monotonic() < deadline:
        time.sleep(0.02)
    blocked = _waiting_on_locks()
    release.set()
    thread.join()
    racers.join()
    assert blocked == len(calls)  # both really started and waited
    assert "result" in outcome  # run_concurrently asserts no deadlock or other failure


def _applied(q: Q) -> Decimal:
    return PaymentApplication.objects.filter(q).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def assert_totals_recomputed(payments, invoices):
    for payment in Payment.objects.filter(pk__in=[p.pk for p in payments]):
        applied = _applied(Q(payment=payment) | Q(to_payment=payment))
        assert payment.applied_total == applied
        assert payment.unapplied_total == payment.amount - applied
    for invoice in Invoice.objects.filter(pk__in=[i.pk for i in invoices]):
        total = InvoiceItem.objects.filter(invoice=invoice).aggregate(s=Sum("total"))["s"] or Decimal(0)
        applied = _applied(Q(invoice=invoice) | Q(to_invoice=invoice))
        assert (invoice.total, invoice.applied_total, invoice.unpaid_total) == (
            total,
            applied,
            total - applied,
        )


def test_invoice_cancel_and_payment_apply_queue(company, user):
    invoice = make_invoice(company, "100.00")
    payment = make_payment(company, "100.00")
    apply_payment(payment=payment, invoice=invoice, amount=Decimal("10.00"), actor=user)
    calls = [
        lambda: transition_invoice(invoice, to=InvoiceStatus.CANCELLED, actor=user),
        lambda: apply_payment(payment=payment, invoice=invoice, amount=Decimal("20.00"), actor=user),
    ]
    race_behind_a_held_lock(payment, calls)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED and invoice.applied_total == 0
    assert_totals_recomputed([payment], [invoice])


def test_payment_void_and_payment_apply_queue(company, user):
    first, second = make_invoice(company, "100.00"), make_invoice(company, "100.00")
    payment = make_payment(company, "100.00")
    other = make_payment(company, "100.00")
    # Applied to the higher id first, so application-row order differs from id order.
    apply_payment(payment=payment, invoice=second, amount=Decimal("10.00"), actor=user)
    apply_payment(payment=payment, invoice=first, amount=Decimal("10.00"), actor=user)
    calls = [
        lambda: transition_payment(payment, to=PaymentStatus.VOID, actor=user),
        lambda: apply_payment(payment=other, invoice=first, amount=Decimal("20.00"), actor=user),
    ]
    race_behind_a_held_lock(first, calls)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.VOID and payment.applied_total == 0
    assert_totals_recomputed([payment, other], [first, second])


def test_refund_and_void_of_the_refunded_payment_queue(company, user):
    # The refund has the lower id, so "payment then its refund" is not id order.
    refund = make_payment(company, "50.00", payer=company.internal, payee=company.customer)
    payment = make_payment(company, "100.00")
    refund_payment(payment=payment, refund=refund, amount=Decimal("10.00"), actor=user)
    calls = [
        lambda: transition_payment(payment, to=PaymentStatus.VOID, actor=user),
        lambda: refund_payment(payment=payment, refund=refund, amount=Decimal("10.00"), actor=user),
    ]
    race_behind_a_held_lock(refund, calls)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.VOID and payment.applied_total == 0
    assert_totals_recomputed([payment, refund], [])
