"""Invoices, their items, payments and their status changes. Totals come from the rows."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from backend.audit.flows import Flow
from backend.audit.services import transition
from backend.common.errors import CommonErrorCode
from backend.common.money import round_money
from backend.common.services import change, delete_record, save_validated
from backend.orders.models import OrderItem

from .application import idempotent, unapply_all
from .errors import BillingErrorCode
from .invoicing import check_billable, invoiced_quantity
from .models import (
    EDITABLE_STATUSES,
    INITIAL_STATUS,
    Invoice,
    InvoiceItem,
    InvoiceKind,
    Payment,
    PaymentStatus,
    derive_direction,
)
from .numbering import assign_number, issues
from .totals import lock_all, lock_money, recompute_invoice, sync_paid_status
from .transitions import PAID_STATUS, PAYMENT_FLOW, UNPAID_STATUS, invoice_flow, undoes_applications

# --- invoices ------------------------------------------------------------------------------


@transaction.atomic
def create_invoice(
    *,
    actor,
    from_party,
    to_party,
    currency: str,
    kind: str = InvoiceKind.SALES,
    invoice_date: date | None = None,
    due_date: date | None = None,
    order=None,
) -> Invoice:
    """A new invoice starts in process (we issue it) or incoming (we are billed), in its order's currency."""
    if order is not None and currency != order.currency:
        raise ValidationError(
            {"currency": ValidationError(
                f"An invoice for order {order.number} is in the order's currency, {order.currency}.",
                code=CommonErrorCode.CURRENCY_MISMATCH,
            )}
        )  # fmt: skip
    invoice = Invoice(
        kind=kind, from_party=from_party, to_party=to_party, currency=currency, due_date=due_date, order=order
    )
    if invoice_date is not None:
        invoice.invoice_date = invoice_date
    if from_party.pk != to_party.pk:
        invoice.direction = derive_direction(from_party, to_party)
        invoice.status = INITIAL_STATUS[invoice.direction]
    return save_validated(invoice)


def _lock_editable(invoice_id: int) -> Invoice:
    invoice = lock_all(Invoice, [invoice_id])[invoice_id]
    if invoice.status not in EDITABLE_STATUSES:
        raise ValidationError(
            {"invoice": ValidationError(
                f"Items can change only while the invoice is in process or incoming (it is {invoice.status}).",
                code=BillingErrorCode.NOT_EDITABLE,
            )}
        )  # fmt: skip
    return invoice


def _lock_order_line(item: InvoiceItem) -> InvoiceItem:
    """Concurrent invoices of one order line queue on the line, so together they cannot overbill it."""
    if item.order_item_id is not None:
        OrderItem.objects.select_for_update().filter(pk=item.order_item_id).exists()
    return item


def _priced(item: InvoiceItem, currency: str) -> InvoiceItem:
    if item.quantity is not None and item.unit_price is not None:
        item.total = round_money(item.quantity * item.unit_price, currency)
    return item


def _recompute_items(invoice_id: int) -> Invoice:
    invoice = recompute_invoice(invoice_id)
    if invoice.unpaid_total < 0:  # applications made before the invoice went back in process
        raise ValidationError(
            {"items": ValidationError(
                f"The total ({invoice.total}) would fall below what is already applied ({invoice.applied_total}).",
                code=BillingErrorCode.TOTAL_BELOW_APPLIED,
            )}
        )  # fmt: skip
    return invoice


@transaction.atomic
def add_invoice_item(invoice: Invoice, *, actor, **fields) -> InvoiceItem:
    locked = _lock_editable(invoice.pk)
    item = _priced(InvoiceItem(invoice=locked, **fields), locked.currency)
    check_billable(_lock_order_line(item))
    save_validated(item)
    _recompute_items(locked.pk)
    return item


@transaction.atomic
def update_invoice_item(
    item: InvoiceItem, *, actor, expected_version: int | None = None, **changes
) -> InvoiceItem:
    locked = _lock_editable(item.invoice_id)
    item = change(item, expected_version, changes)
    check_billable(_lock_order_line(item))
    save_validated(_priced(item, locked.currency))
    _recompute_items(locked.pk)
    return item


@transaction.atomic
def delete_invoice_item(item: InvoiceItem, *, actor, expected_version: int | None = None) -> None:
    locked = _lock_editable(item.invoice_id)
    delete_record(item, actor=actor, expected_version=expected_version)
    _recompute_items(locked.pk)


@transaction.atomic
def create_invoice_from_order(
    *, order, actor, invoice_date: date | None = None, due_date: date | None = None
) -> Invoice:
    """Bill an order: vendor bills customer, one line per order item for what is not yet invoiced."""
    lines = list(order.items.select_for_update().order_by("pk"))
    left = {line.pk: line.quantity - invoiced_quantity(line) for line in lines}
    if not any(quantity > 0 for quantity in left.values()):
        raise ValidationError(
            {"order": ValidationError(
                "Every line of this order is already invoiced.", code=BillingErrorCode.ORDER_FULLY_INVOICED
            )}
        )  # fmt: skip
    invoice = create_invoice(
        actor=actor,
        from_party=order.vendor,
        to_party=order.customer,
        currency=order.currency,
        invoice_date=invoice_date,
        due_date=due_date,
        order=order,
    )
    for order_item in lines:
        if left[order_item.pk] <= 0:
            continue
        add_invoice_item(
            invoice,
            actor=actor,
            product=order_item.product,
            description=order_item.description,
            quantity=left[order_item.pk],
            unit_price=order_item.unit_price,
            order_item=order_item,
        )
    invoice.refresh_from_db()
    return invoice


def _unpay(invoice: Invoice, actor) -> None:
    unapply_all(invoice=invoice, actor=actor)


@transaction.atomic
def transition_invoice(
    invoice: Invoice, *, to: str, actor, reason: str = "", expected_version: int | None = None
) -> Invoice:
    """Move an invoice by hand; paid statuses follow the applications and cannot be set early."""
    # Payments before the invoice (totals.py): lock the payments applied to it first.
    locked = lock_money(invoices=[invoice.pk], with_applications=True)[1][invoice.pk]
    if to == PAID_STATUS[locked.direction] and locked.unpaid_total != 0:
        raise ValidationError(
            {"to": ValidationError(
                "An invoice becomes paid when its applications cover it; it is not fully paid.",
                code=BillingErrorCode.PAID_BY_APPLICATION,
            )}
        )  # fmt: skip
    if to == UNPAID_STATUS[locked.direction] and locked.total < 0:
        raise ValidationError(
            {
                "to": ValidationError(
                    "An invoice total cannot be negative.", code=BillingErrorCode.NEGATIVE_TOTAL
                )
            }
        )
    flow = invoice_flow(locked)
    # Cancelling, or leaving paid for open (Moqui's unpay#Invoice), undoes the applications.
    side_effects = {to: _unpay} if undoes_applications(flow, locked.status, to) else {}
    locked = transition(
        locked, flow=flow, to=to, actor=actor, reason=reason,
        expected_version=expected_version, side_effects=side_effects,
    )  # fmt: skip
    if issues(flow, to):
        assign_number(locked)  # the counter lock, after every money row (numbering.py)
    return sync_paid_status(recompute_invoice(locked.pk), "Nothing left to pay.")


# --- payments ------------------------------------------------------------------------------


def _path(flow: Flow, source: str, target: str) -> list[str]:
    """The shortest walk along the flow (create#Payment walks to the requested status)."""
    path = flow.path(source, target)
    if path is None:
        raise ValidationError(
            {
                "status": ValidationError(
                    f"A new payment cannot reach {target}.", code=CommonErrorCode.INVALID_CHOICE
                )
            }
        )
    return path


@transaction.atomic
def create_payment(
    *,
    actor,
    from_party,
    to_party,
    instrument: str,
    amount: Decimal,
    currency: str,
    status: str = PaymentStatus.PROPOSED,
    effective_date: date | None = None,
    order=None,
    for_invoice=None,
    refund_for=None,
    idempotency_key: str | None = None,
) -> Payment:
    def run():
        payment = Payment(
            from_party=from_party,
            to_party=to_party,
            instrument=instrument,
            amount=amount,
            currency=currency,
            effective_date=effective_date,
            order=order,
            for_invoice=for_invoice,
            refund_for=refund_for,
            unapplied_total=amount,
        )
        save_validated(payment)
        for step in _path(PAYMENT_FLOW, payment.status, status):
            payment = transition_payment(payment, to=step, actor=actor)
        return payment

    inputs = {
        "from_party": from_party.pk, "to_party": to_party.pk, "instrument": instrument, "amount": amount,
        "currency": currency, "status": status, "effective_date": effective_date,
        "order": getattr(order, "pk", None), "for_invoice": getattr(for_invoice, "pk", None),
        "refund_for": getattr(refund_for, "pk", None),
    }  # fmt: skip
    return idempotent(actor, idempotency_key, "create_payment", inputs, run)


def _void(payment: Payment, actor) -> None:
    unapply_all(payment=payment, actor=actor)


@transaction.atomic
def transition_payment(
    payment: Payment, *, to: str, actor, reason: str = "", expected_version: int | None = None
) -> Payment:
    """Move a payment; leaving delivered/confirmed for any other status undoes its applications."""
    if to == PaymentStatus.DELIVERED and payment.effective_date is None:
        raise ValidationError(
            {"effective_date": ValidationError("A delivered payment needs its effective date.",
                                               code=CommonErrorCode.REQUIRED)}
        )  # fmt: skip
    locked = lock_money(payments=[payment.pk], with_applications=True)[0][payment.pk]  # before transition()
    # Applications count only while the payment is settled (PAYMENT_MONEY): entering any other status
    # (declined, cancelled, void, back to promised or authorized) undoes them.
    payment = transition(
        payment, flow=PAYMENT_FLOW, to=to, actor=actor, reason=reason, expected_version=expected_version,
        side_effects={to: _void} if undoes_applications(PAYMENT_FLOW, locked.status, to) else {},
    )  # fmt: skip
    if issues(PAYMENT_FLOW, to):
        assign_number(payment)  # the counter lock, after every money row (numbering.py)
    return payment
