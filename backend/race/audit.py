"""The audit after the race, on the database itself: stored totals against totals recomputed from the
rows (items and application rows, as backend/billing/totals.py computes them), balances against
statuses, and each idempotency key against the one result its clients saw."""

from decimal import Decimal

from django.db import connection
from django.db.models import Q, Sum
from strawberry.relay import from_base64

from backend.billing.models import (
    IdempotencyKey,
    Invoice,
    InvoiceItem,
    InvoiceStatus,
    Payment,
    PaymentApplication,
)
from backend.billing.transitions import APPLICABLE_STATUSES, PAID_STATUS, SETTLED_PAYMENT_STATUSES

SHOWN = 10  # mismatches listed per check


def deadlocks() -> int:
    """Deadlocks PostgreSQL detected in this database since its statistics were reset."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def _sums(model, field: str, *sides: str) -> dict[int, Decimal]:
    """{record pk: sum of `field` of the rows pointing at it through any of `sides`}."""
    totals: dict[int, Decimal] = {}
    for side in sides:
        rows = model.objects.filter(**{f"{side}__isnull": False}).values(side).annotate(s=Sum(field))
        for row in rows:
            totals[row[side]] = totals.get(row[side], Decimal(0)) + row["s"]
    return totals


def _check(name: str, mismatches: list) -> dict:
    return {
        "check": name,
        "ok": not mismatches,
        "mismatches": len(mismatches),
        "examples": mismatches[:SHOWN],
    }


def invoice_totals() -> dict:
    items = _sums(InvoiceItem, "total", "invoice_id")
    applied = _sums(PaymentApplication, "amount", "invoice_id", "to_invoice_id")
    wrong = []
    for invoice in Invoice.objects.order_by("pk"):
        total, paid = items.get(invoice.pk, Decimal(0)), applied.get(invoice.pk, Decimal(0))
        stored = (invoice.total, invoice.applied_total, invoice.unpaid_total)
        if stored != (total, paid, total - paid):
            wrong.append({"invoice": invoice.pk, "stored": [str(v) for v in stored],
                          "recomputed": [str(v) for v in (total, paid, total - paid)]})  # fmt: skip
    return _check("invoice totals equal their items and applications", wrong)


def payment_totals() -> dict:
    applied = _sums(PaymentApplication, "amount", "payment_id", "to_payment_id")
    wrong = []
    for payment in Payment.objects.order_by("pk"):
        paid = applied.get(payment.pk, Decimal(0))
        stored = (payment.applied_total, payment.unapplied_total)
        if stored != (paid, payment.amount - paid) or paid > payment.amount:
            wrong.append({"payment": payment.pk, "stored": [str(v) for v in stored],
                          "recomputed": [str(v) for v in (paid, payment.amount - paid)]})  # fmt: skip
    return _check("payment totals equal their applications", wrong)


def balances_follow_status() -> dict:
    """Live applications only on settled payments and uncancelled invoices; an invoice that takes
    payments is paid exactly when nothing is unpaid."""
    live = PaymentApplication.objects.filter(unapplied_at__isnull=True, amount__gt=0)
    unsettled = live.filter(
        (Q(payment__isnull=False) & ~Q(payment__status__in=SETTLED_PAYMENT_STATUSES))
        | (Q(to_payment__isnull=False) & ~Q(to_payment__status__in=SETTLED_PAYMENT_STATUSES))
    )
    cancelled = live.filter(
        Q(invoice__status=InvoiceStatus.CANCELLED) | Q(to_invoice__status=InvoiceStatus.CANCELLED)
    )
    wrong = [
        {"application": pk, "why": "payment not settled"} for pk in unsettled.values_list("pk", flat=True)
    ]
    wrong += [
        {"application": pk, "why": "invoice cancelled"} for pk in cancelled.values_list("pk", flat=True)
    ]
    for invoice in Invoice.objects.order_by("pk"):
        paid_status = invoice.status == PAID_STATUS[invoice.direction]
        if (paid_status and invoice.unpaid_total != 0) or (
            invoice.status in APPLICABLE_STATUSES[invoice.direction]
            and invoice.total > 0
            and invoice.unpaid_total == 0
        ):
            wrong.append(
                {"invoice": invoice.pk, "status": invoice.status, "unpaid": str(invoice.unpaid_total)}
            )
    return _check("balances follow statuses", wrong)


def idempotency(keys: dict[str, dict]) -> dict:
    """Every key the clients saw succeed names, in the database, the record they got back."""
    stored = {row.key: row.result_id for row in IdempotencyKey.objects.filter(key__in=list(keys))}
    wrong = []
    for key, seen in sorted(keys.items()):
        _, pk = from_base64(seen["result"])
        if stored.get(key) != int(pk):
            wrong.append({"key": key, "client_saw": seen["result"], "stored_result_id": stored.get(key)})
    return _check("each idempotency key has the one result its clients saw", wrong)


def run(keys: dict[str, dict]) -> list[dict]:
    return [invoice_totals(), payment_totals(), balances_follow_status(), idempotency(keys)]
