from decimal import Decimal

import strawberry
from django.db.models import F

from backend.common.money import round_money


@strawberry.type(description="An amount in one currency; the amount is an exact decimal string.")
class Money:
    amount: Decimal = strawberry.field(description="Rounded to the currency's minor unit.")
    currency: str = strawberry.field(description="ISO 4217 code, e.g. USD.")


def money(amount: Decimal | None, currency: str) -> Money | None:
    if amount is None:
        return None
    return Money(amount=round_money(amount, currency), currency=currency)


def precise_money(amount: Decimal | None, currency: str) -> Money | None:
    """Unit prices and rates keep up to 5 decimals, but never show fewer than the currency's."""
    if amount is None:
        return None
    rounded = round_money(amount, currency)
    return Money(amount=rounded if rounded == amount else amount.normalize(), currency=currency)


# The order's currency joined into a row's own query (as an annotation), so the money fields of
# order items, parts and jobs add no query of their own.
ORDER_CURRENCY = F("order__currency")


def order_currency(record) -> str:
    # Records returned by a mutation are not loaded through the optimizer, so not annotated.
    return getattr(record, "order_currency", None) or record.order.currency
