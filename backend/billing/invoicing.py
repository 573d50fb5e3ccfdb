"""How much of an order line is billed: invoicing is bounded by what was ordered."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum

from .errors import BillingErrorCode
from .models import InvoiceItem, InvoiceKind, InvoiceStatus


def invoiced_quantity(order_item, *, besides: InvoiceItem | None = None) -> Decimal:
    """The line's quantity on sales invoices that are not cancelled (`besides` left out)."""
    lines = InvoiceItem.objects.filter(order_item=order_item, invoice__kind=InvoiceKind.SALES).exclude(
        invoice__status=InvoiceStatus.CANCELLED
    )
    if besides is not None and besides.pk is not None:
        lines = lines.exclude(pk=besides.pk)
    return lines.aggregate(q=Sum("quantity"))["q"] or Decimal(0)


def check_billable(item: InvoiceItem) -> None:
    """A sales line billing an order line bills at most what is left of it uninvoiced."""
    if item.order_item_id is None or item.quantity is None or item.invoice.kind != InvoiceKind.SALES:
        return
    left = item.order_item.quantity - invoiced_quantity(item.order_item, besides=item)
    if item.quantity > left:
        raise ValidationError(
            {"quantity": ValidationError(
                f"Only {left.normalize():f} of the order line's {item.order_item.quantity.normalize():f} "
                "is left to invoice.",
                code=BillingErrorCode.EXCEEDS_UNINVOICED,
            )}
        )  # fmt: skip
