"""Applying payments and credit memos, refunds and unapplying (Moqui's rules, made safe).

Every operation locks the rows it reads (payments, then invoices, each in primary-key order),
checks the rules on the locked state, writes one application row and recomputes the totals
from the application rows.
"""

import hashlib
import json
from collections.abc import Callable
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from backend.common.errors import CommonErrorCode, Conflict
from backend.common.money import round_money, validate_amount

from .errors import BillingErrorCode
from .models import IdempotencyKey, Invoice, InvoiceKind, Payment, PaymentApplication
from .totals import lock_money, recompute_invoice, recompute_payment, sync_paid_status
from .transitions import APPLICABLE_STATUSES, CLOSED_STATUSES, SETTLED_PAYMENT_STATUSES


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


# --- idempotency ---------------------------------------------------------------------------


def _canonical(value):
    """Decimals by value: "10.00" and "10.0" are the same amount, so the same request."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def fingerprint(operation: str, inputs: dict) -> str:
    canonical = json.dumps({"operation": operation, **inputs}, sort_keys=True, default=_canonical)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotent(actor, key: str | None, operation: str, inputs: dict, run: Callable[[], models.Model]):
    """Run once per (user, key); a retry with the same input gets the first result back.

    The key row is inserted first: a concurrent retry blocks on the unique index until the first
    transaction ends, then replays its result (or proceeds, if the first one rolled back).
    """
    if key is None:
        return run()
    if actor is None:
        raise _error(
            "idempotency_key", "An idempotency key needs a signed-in user.", CommonErrorCode.REQUIRED
        )
    digest = fingerprint(operation, inputs)
    try:
        with transaction.atomic():
            row = IdempotencyKey.objects.create(user=actor, key=key, operation=operation, fingerprint=digest)
    except IntegrityError:
        row = IdempotencyKey.objects.select_for_update().get(user=actor, key=key)
        if row.operation != operation or row.fingerprint != digest:
            raise Conflict(
                "This idempotency key was already used for another request.",
                code=BillingErrorCode.IDEMPOTENCY_MISMATCH,
                field="idempotency_key",
            ) from None
        return row.result_type.get_object_for_this_type(pk=row.result_id)
    result = run()
    row.result_type = ContentType.objects.get_for_model(type(result))
    row.result_id = result.pk
    row.save(update_fields=["result_type", "result_id", "updated_at"])
    return result


# --- checks --------------------------------------------------------------------------------


def _check_same_currency(a, b) -> None:
    if a.currency != b.currency:
        raise _error(
            "currency",
            f"Cannot apply {a.currency} to {b.currency}; no conversion.",
            CommonErrorCode.CURRENCY_MISMATCH,
        )


def _check_reversed(a, b) -> None:
    if a.from_party_id != b.to_party_id or a.to_party_id != b.from_party_id:
        raise _error(
            "to_party", "The two sides must have reversed parties.", BillingErrorCode.PARTIES_NOT_REVERSED
        )


def _check_settled(payment: Payment, field: str = "payment") -> None:
    if payment.status not in SETTLED_PAYMENT_STATUSES:
        raise _error(
            field,
            f"Only delivered or confirmed payments can be applied (this one is {payment.status}).",
            BillingErrorCode.PAYMENT_NOT_SETTLED,
        )


def _check_applicable(invoice: Invoice, field: str = "invoice") -> None:
    if invoice.status not in APPLICABLE_STATUSES[invoice.direction]:
        raise _error(
            field,
            f"A {invoice.direction.lower()} invoice in {invoice.status} cannot take applications.",
            BillingErrorCode.INVOICE_NOT_PAYABLE,
        )


def _amount(amount: Decimal | None, currency: str, limits: list[tuple[Decimal, str, str]]) -> Decimal:
    """The requested amount (default: the smallest limit), refused when ≤ 0 or over any limit."""
    if amount is None:
        amount = min(limit for limit, _, _ in limits)
    if amount <= 0:
        raise _error("amount", "Nothing to apply: the amount must be positive.", CommonErrorCode.NOT_POSITIVE)
    try:
        validate_amount(amount, currency)
    except ValidationError as exc:
        raise ValidationError({"amount": exc}) from exc
    for limit, what, code in limits:
        if amount > limit:
            shown = round_money(limit, currency)  # totals are stored with 4 decimals
            raise _error("amount", f"{amount} {currency} exceeds the {what} ({shown} {currency}).", code)
    return amount


def _unpaid(invoice: Invoice) -> tuple[Decimal, str, str]:
    return invoice.unpaid_total, "invoice's unpaid total", BillingErrorCode.EXCEEDS_UNPAID


def _unapplied(payment: Payment) -> tuple[Decimal, str, str]:
    return payment.unapplied_total, "payment's unapplied total", BillingErrorCode.EXCEEDS_UNAPPLIED


def _settle(application: PaymentApplication, reason: str):
    """Recompute every record on both sides; move invoices to or from paid."""
    for pk in sorted(filter(None, (application.payment_id, application.to_payment_id))):
        recompute_payment(pk)
    for pk in sorted(filter(None, (application.invoice_id, application.to_invoice_id))):
        sync_paid_status(recompute_invoice(pk), reason)
    return application


# --- operations ----------------------------------------------------------------------------


@transaction.atomic
def apply_payment(
    *,
    payment: Payment,
    invoice: Invoice,
    amount: Decimal | None = None,
    actor,
    idempotency_key: str | None = None,
) -> PaymentApplication:
    def run():
        payments, invoices = lock_money(payments=[payment.pk], invoices=[invoice.pk])
        locked_payment, locked_invoice = payments[payment.pk], invoices[invoice.pk]
        _check_same_currency(locked_payment, locked_invoice)
        _check_reversed(locked_payment, locked_invoice)
        _check_settled(locked_payment)
        _check_applicable(locked_invoice)
        value = _amount(
            amount, locked_invoice.currency, [_unpaid(locked_invoice), _unapplied(locked_payment)]
        )
        application = PaymentApplication.objects.create(
            payment=locked_payment, invoice=locked_invoice, amount=value, applied_by=actor
        )
        return _settle(application, "Payment applied.")

    inputs = {"payment": payment.pk, "invoice": invoice.pk, "amount": amount}
    return idempotent(actor, idempotency_key, "apply_payment", inputs, run)


@transaction.atomic
def apply_credit_memo(
    *,
    credit_memo: Invoice,
    invoice: Invoice,
    amount: Decimal | None = None,
    actor,
    idempotency_key: str | None = None,
) -> PaymentApplication:
    def run():
        if credit_memo.pk == invoice.pk:
            raise _error("invoice", "A credit memo cannot settle itself.", CommonErrorCode.INVALID)
        _, locked = lock_money(invoices=[credit_memo.pk, invoice.pk])
        memo, target = locked[credit_memo.pk], locked[invoice.pk]
        if memo.kind not in (InvoiceKind.CREDIT_MEMO, InvoiceKind.RETURN):
            raise _error("credit_memo", "Only a credit memo or return invoice settles another invoice.",
                         BillingErrorCode.NOT_CREDIT_MEMO)  # fmt: skip
        _check_same_currency(memo, target)
        _check_reversed(memo, target)
        _check_applicable(memo, "credit_memo")
        _check_applicable(target)
        memo_limit = (memo.unpaid_total, "credit memo's open total", BillingErrorCode.EXCEEDS_UNAPPLIED)
        value = _amount(amount, target.currency, [_unpaid(target), memo_limit])
        application = PaymentApplication.objects.create(
            invoice=memo, to_invoice=target, amount=value, applied_by=actor
        )
        return _settle(application, "Credit memo applied.")

    inputs = {"credit_memo": credit_memo.pk, "invoice": invoice.pk, "amount": amount}
    return idempotent(actor, idempotency_key, "apply_credit_memo", inputs, run)


@transaction.atomic
def refund_payment(
    *,
    payment: Payment,
    refund: Payment,
    amount: Decimal | None = None,
    actor,
    idempotency_key: str | None = None,
) -> PaymentApplication:
    """Apply `refund` (going back from payee to payer) against the overpaid `payment`."""

    def run():
        if payment.pk == refund.pk:
            raise _error("refund", "A payment cannot refund itself.", CommonErrorCode.INVALID)
        locked, _ = lock_money(payments=[payment.pk, refund.pk])
        original, back = locked[payment.pk], locked[refund.pk]
        if back.refund_for_id not in (None, original.pk):
            raise _error(
                "refund", "This refund belongs to another payment.", BillingErrorCode.REFUND_MISMATCH
            )
        _check_same_currency(back, original)
        _check_reversed(back, original)
        _check_settled(original)
        _check_settled(back, "refund")
        refund_limit = (back.unapplied_total, "refund's unapplied total", BillingErrorCode.EXCEEDS_UNAPPLIED)
        value = _amount(amount, original.currency, [_unapplied(original), refund_limit])
        application = PaymentApplication.objects.create(
            payment=back, to_payment=original, amount=value, applied_by=actor
        )
        return _settle(application, "Refund applied.")

    inputs = {"payment": payment.pk, "refund": refund.pk, "amount": amount}
    return idempotent(actor, idempotency_key, "refund_payment", inputs, run)


def _lock_sides(application: PaymentApplication) -> PaymentApplication:
    """Lock both sides (payments, then invoices), then the application itself."""
    lock_money(
        payments=(application.payment_id, application.to_payment_id),
        invoices=(application.invoice_id, application.to_invoice_id),
    )
    return PaymentApplication.objects.select_for_update().get(pk=application.pk)


def _check_open(application: PaymentApplication) -> None:
    closed = Invoice.objects.filter(
        pk__in=filter(None, (application.invoice_id, application.to_invoice_id)), status__in=CLOSED_STATUSES
    ).first()
    if closed is not None:
        raise _error(
            "application",
            f"The invoice is {closed.status}; reopen it before undoing its applications.",
            BillingErrorCode.INVOICE_CLOSED,
        )


def _unapply_locked(application: PaymentApplication, actor) -> PaymentApplication:
    application.original_amount = application.amount
    application.amount = Decimal(0)
    application.unapplied_by = actor
    application.unapplied_at = timezone.now()
    application.version += 1
    application.save()
    return _settle(application, "Application undone.")


@transaction.atomic
def unapply(
    *, application: PaymentApplication, actor, idempotency_key: str | None = None
) -> PaymentApplication:
    """Undo an application: the row stays with amount 0, the original amount and who and when."""

    def run():
        locked = _lock_sides(application)
        _check_open(locked)
        if locked.unapplied_at is not None:
            raise _error(
                "application", "This application was already undone.", BillingErrorCode.ALREADY_UNAPPLIED
            )
        return _unapply_locked(locked, actor)

    return idempotent(actor, idempotency_key, "unapply", {"application": application.pk}, run)


def unapply_all(*, payment: Payment | None = None, invoice: Invoice | None = None, actor) -> None:
    """Undo every live application touching the payment or invoice (cancel, void, unpay)."""
    if payment is not None:
        touching = Q(payment=payment) | Q(to_payment=payment)
    else:
        touching = Q(invoice=invoice) | Q(to_invoice=invoice)
    # Everything the undo recomputes, locked in the one order before the first row is touched.
    lock_money(
        payments=[payment.pk] if payment is not None else [],
        invoices=[invoice.pk] if invoice is not None else [],
        with_applications=True,
    )
    for application in PaymentApplication.objects.filter(touching, unapplied_at__isnull=True).order_by("pk"):
        locked = _lock_sides(application)
        if payment is not None:  # a payment leaving settled; an invoice's own cancel may undo them
            _check_open(locked)
        _unapply_locked(locked, actor)
