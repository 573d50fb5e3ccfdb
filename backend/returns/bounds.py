"""What a return may take back: no more units than the line had, no more money than was billed for it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum

from backend.billing.models import InvoiceItem, InvoiceKind, InvoiceStatus
from backend.common.money import round_money
from backend.orders.models import OrderItem

from .errors import ReturnErrorCode
from .models import ReturnItem, ReturnStatus


def _sum(queryset, field: str) -> Decimal:
    return queryset.aggregate(s=Sum(field))["s"] or Decimal(0)


def check_returnable(order_item: OrderItem, quantity: Decimal) -> None:
    """Lock the order line (concurrent returns of one line queue here) and refuse a quantity beyond
    what earlier returns, cancelled ones aside, left of it."""
    line = OrderItem.objects.select_for_update().get(pk=order_item.pk)
    returned = _sum(
        ReturnItem.objects.filter(order_item=line).exclude(return_header__status=ReturnStatus.CANCELLED),
        "quantity",
    )
    left = line.quantity - returned
    if quantity > left:
        raise ValidationError(
            {"quantity": ValidationError(
                f"Only {left.normalize():f} of this line's {line.quantity.normalize():f} can still be returned.",
                code=ReturnErrorCode.EXCEEDS_RETURNABLE,
            )}
        )  # fmt: skip


def _lines(order_item: OrderItem, kind: str):
    return InvoiceItem.objects.filter(order_item=order_item, invoice__kind=kind).exclude(
        invoice__status=InvoiceStatus.CANCELLED
    )


def credited_total(
    order_item: OrderItem, quantity: Decimal, price: Decimal, currency: str, *, line: InvoiceItem
) -> Decimal:
    """The credit for returning `quantity` of the line at `price` per unit. The line's billed total
    (its invoices', or its own when not yet invoiced) is shared out so that the credits of all its
    returns never exceed it: each credit is capped at what is left, and the return that takes the
    last units at the billed price takes exactly the remainder (3 × 3.335 billed 10.01 refunds
    3.34 + 3.34 + 3.33). `line` is the return invoice's own line for it, not yet counted."""
    billed = _lines(order_item, InvoiceKind.SALES)
    billed_quantity, billed_total = _sum(billed, "quantity"), _sum(billed, "total")
    if not billed.exists():
        billed_quantity, billed_total = order_item.quantity, order_item.total
    credits = _lines(order_item, InvoiceKind.RETURN).exclude(pk=line.pk)
    # rounded: SQLite sums decimals as binary floats
    left = round_money(max(billed_total - _sum(credits, "total"), Decimal(0)), currency)
    if price == order_item.unit_price and _sum(credits, "quantity") + quantity >= billed_quantity:
        return left
    return min(round_money(quantity * price, currency), left)
