"""Locks and maintained totals: always recomputed from the stored rows, never incremented.

Lock order for every write that touches money rows: all payments by id, then all invoices by id,
taken in one go (lock_money) before any amount is read. Two writers that follow it cannot wait on
each other in a cycle, so they queue instead of deadlocking. A legal-number counter
(numbering.py) comes after both, always in the same place: taken by transition_invoice /
transition_payment once the new status is written, as the last lock of the transaction.
"""

from decimal import Decimal

from django.db.models import F, Q, Sum

from backend.audit.services import transition

from .models import Invoice, InvoiceItem, Payment, PaymentApplication
from .transitions import APPLICABLE_STATUSES, PAID_STATUS, UNPAID_STATUS, invoice_flow


def lock_all(model, pks) -> dict:
    """Lock rows in primary-key order (so concurrent callers cannot deadlock) and return them by pk."""
    rows = model.objects.select_for_update().filter(pk__in=set(pks)).order_by("pk")
    return {row.pk: row for row in rows}


def _touching(payments: set, invoices: set) -> tuple[set, set]:
    """The given rows plus both sides of every live application that touches one of them."""
    rows = PaymentApplication.objects.filter(
        Q(payment_id__in=payments) | Q(to_payment_id__in=payments)
        | Q(invoice_id__in=invoices) | Q(to_invoice_id__in=invoices),
        unapplied_at__isnull=True,
    ).values_list("payment_id", "to_payment_id", "invoice_id", "to_invoice_id")  # fmt: skip
    found_payments, found_invoices = set(payments), set(invoices)
    for payment_id, to_payment_id, invoice_id, to_invoice_id in rows:
        found_payments.update(filter(None, (payment_id, to_payment_id)))
        found_invoices.update(filter(None, (invoice_id, to_invoice_id)))
    return found_payments, found_invoices


def lock_money(*, payments=(), invoices=(), with_applications: bool = False) -> tuple[dict, dict]:
    """Lock payments by id, then invoices by id; return both as {pk: row}.

    with_applications adds every row a live application links to the given ones (what undoing
    them will recompute): one step from the given rows, not further. That set is read before
    locking, so it is read again afterwards and the locking repeats only if a concurrent write
    changed it (locks already held are kept, re-taking them is free).
    """
    given = {pk for pk in payments if pk}, {pk for pk in invoices if pk}
    payments, invoices = given
    while True:
        if with_applications:
            # From the given rows each time: stepping on from the rows already added would grow the
            # set on every pass and lock new payments after invoices, out of order (deadlocks).
            found_payments, found_invoices = _touching(*given)
            payments, invoices = payments | found_payments, invoices | found_invoices
        locked_payments = lock_all(Payment, payments)
        locked_invoices = lock_all(Invoice, invoices)
        if not with_applications:
            return locked_payments, locked_invoices
        now_payments, now_invoices = _touching(*given)
        if now_payments <= payments and now_invoices <= invoices:
            return locked_payments, locked_invoices


def _sum(queryset, field: str) -> Decimal:
    return queryset.aggregate(s=Sum(field))["s"] or Decimal(0)


def recompute_invoice(invoice_id: int) -> Invoice:
    total = _sum(InvoiceItem.objects.filter(invoice_id=invoice_id), "total")
    applied = _sum(
        PaymentApplication.objects.filter(Q(invoice_id=invoice_id) | Q(to_invoice_id=invoice_id)), "amount"
    )
    Invoice.objects.filter(pk=invoice_id).update(
        total=total, applied_total=applied, unpaid_total=total - applied, version=F("version") + 1
    )
    return Invoice.objects.get(pk=invoice_id)


def recompute_payment(payment_id: int) -> Payment:
    applied = _sum(
        PaymentApplication.objects.filter(Q(payment_id=payment_id) | Q(to_payment_id=payment_id)), "amount"
    )
    Payment.objects.filter(pk=payment_id).update(
        applied_total=applied, unapplied_total=F("amount") - applied, version=F("version") + 1
    )
    return Payment.objects.get(pk=payment_id)


def sync_paid_status(invoice: Invoice, reason: str) -> Invoice:
    """Paid exactly when nothing is unpaid; back to finalized/approved when that stops being true."""
    paid, unpaid = PAID_STATUS[invoice.direction], UNPAID_STATUS[invoice.direction]
    if invoice.unpaid_total == 0 and invoice.status in APPLICABLE_STATUSES[invoice.direction]:
        target = paid
    elif invoice.unpaid_total > 0 and invoice.status == paid:
        target = unpaid
    else:
        return invoice
    return transition(invoice, flow=invoice_flow(invoice), to=target, actor=None, reason=reason)
