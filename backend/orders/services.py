"""Orders, their parts and items. Totals are recomputed from the item rows, never incremented."""

import re
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from backend.common.errors import CommonErrorCode
from backend.common.money import round_money
from backend.common.services import change, delete_record, save_validated, update_record

from .errors import OrderErrorCode
from .models import Order, OrderItem, OrderPart


def _lock_order(order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def recompute_totals(order: Order) -> None:
    """Item totals → part totals → order total, all from the stored rows."""
    part_totals = dict(
        OrderItem.objects.filter(order=order)
        .values("part_id")
        .annotate(s=Sum("total"))
        .values_list("part_id", "s")
    )
    for part in OrderPart.objects.filter(order=order):
        total = part_totals.get(part.pk) or Decimal(0)
        if part.total != total:
            OrderPart.objects.filter(pk=part.pk).update(total=total)
    order.total = sum(part_totals.values(), Decimal(0))
    Order.objects.filter(pk=order.pk).update(total=order.total)


@transaction.atomic
def create_order(
    *,
    actor,
    customer,
    vendor,
    currency: str,
    number: str = "",
    name: str = "",
    project=None,
    part_name: str = "",
) -> Order:
    """Create an order with its first part (every order has at least one)."""
    if number and AUTO_NUMBER.fullmatch(number):
        raise ValidationError(
            {
                "number": ValidationError(
                    "Numbers like O-000123 are given by the system; leave the number out or choose another.",
                    code=OrderErrorCode.RESERVED_NUMBER,
                )
            }
        )
    order = Order(
        customer=customer,
        vendor=vendor,
        currency=currency,
        name=name,
        project=project,
        number=number or _provisional_number(),
    )
    save_validated(order)
    if not number:
        order.number = f"O-{order.pk:06d}"
        Order.objects.filter(pk=order.pk).update(number=order.number)
    save_validated(OrderPart(order=order, name=part_name))
    return order


AUTO_NUMBER = re.compile(r"O-\d+")


def _provisional_number() -> str:
    # Replaced by O-<id> right after the insert; unique so concurrent creations never collide.
    return f"pending-{uuid.uuid4().hex[:20]}"


@transaction.atomic
def update_order(order: Order, *, actor, expected_version: int | None = None, **changes) -> Order:
    locked = _lock_order(order.pk)
    if "currency" in changes and changes["currency"] != locked.currency and locked.items.exists():
        raise ValidationError(
            {
                "currency": ValidationError(
                    "The currency cannot change once the order has items.",
                    code=CommonErrorCode.CURRENCY_MISMATCH,
                )
            }
        )
    return update_record(locked, actor=actor, expected_version=expected_version, **changes)


@transaction.atomic
def add_order_part(order: Order, *, actor, **fields) -> OrderPart:
    _lock_order(order.pk)
    return save_validated(OrderPart(order=order, **fields))


@transaction.atomic
def delete_order_part(part: OrderPart, *, actor, expected_version: int | None = None) -> None:
    _lock_order(part.order_id)
    if not OrderPart.objects.filter(order_id=part.order_id).exclude(pk=part.pk).exists():
        raise ValidationError("An order keeps at least one part.", code=OrderErrorCode.LAST_PART)
    if part.items.exists():
        raise ValidationError("Move or delete the part's items first.", code=CommonErrorCode.IN_USE)
    delete_record(part, actor=actor, expected_version=expected_version)


def _priced(item: OrderItem, currency: str) -> OrderItem:
    if item.quantity is not None and item.unit_price is not None:
        item.total = round_money(item.quantity * item.unit_price, currency)
    return item


@transaction.atomic
def add_order_item(order: Order, *, actor, part: OrderPart | None = None, **fields) -> OrderItem:
    order = _lock_order(order.pk)
    part = part or order.parts.order_by("id").first()
    item = save_validated(_priced(OrderItem(order=order, part=part, **fields), order.currency))
    recompute_totals(order)
    return item


@transaction.atomic
def update_order_item(item: OrderItem, *, actor, expected_version: int | None = None, **changes) -> OrderItem:
    order = _lock_order(item.order_id)
    item = change(item, expected_version, changes)
    save_validated(_priced(item, order.currency))
    recompute_totals(order)
    return item


@transaction.atomic
def delete_order_item(item: OrderItem, *, actor, expected_version: int | None = None) -> None:
    order = _lock_order(item.order_id)
    delete_record(item, actor=actor, expected_version=expected_version)
    recompute_totals(order)
