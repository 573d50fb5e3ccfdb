"""Rollup fields, filters and orderings built from the SQL expressions in `backend.analytics`.

A rollup is an annotation the optimizer adds to the page's own query (nested pages included),
so a page of records with every rollup costs no query per record. A record loaded some other
way (a mutation's payload) gets its value from one query of its own.
"""

from collections.abc import Callable
from decimal import Decimal

import strawberry
import strawberry_django
from django.db.models import Q
from graphql import GraphQLError
from strawberry.types import Info
from strawberry_django import ComparisonFilterLookup
from strawberry_django.filters import process_filters
from strawberry_django.ordering import Ordering

from backend.analytics.sql import nulls_largest
from backend.common.money import CURRENCY_MINOR_UNITS, round_money

from ..money import Money, money

Expression = Callable[..., object]


def annotation_name(expression: Expression) -> str:
    return f"rollup_{expression.__name__}"


def rollup_annotation(expression: Expression, *args: Callable[[Info], object]) -> dict:
    """An annotation hint: `expression(*(arg(info) for arg in args))` on the page's query."""
    return {annotation_name(expression): lambda info: expression(*(arg(info) for arg in args))}


def rollup_value(root, expression: Expression, *args):
    """The annotated value, or one query for a record not loaded through the optimizer."""
    name = annotation_name(expression)
    if hasattr(root, name):
        return getattr(root, name)
    rows = type(root)._default_manager.filter(pk=root.pk).annotate(**{name: expression(*args)})
    return rows.values_list(name, flat=True).get()


def _alias(kind: str, prefix: str, name: str) -> str:
    return f"rollup_{kind}_{prefix.replace('__', '_')}{name}"


def rollup_filter(expression: Expression, description: str, lookup=ComparisonFilterLookup[Decimal]):
    """A filter on a rollup, at any depth of related filters (`jobs(filters: {order: {margin: …}})`).

    It needs no `info`, so the CSV exports apply the same filters outside a GraphQL request."""

    def resolve(self, queryset, value: lookup, prefix: str):  # type: ignore[valid-type]
        name = _alias("filter", prefix, expression.__name__)
        queryset = queryset.alias(**{name: expression(prefix)})
        return process_filters(value, queryset, None, prefix=f"{name}__")

    return strawberry_django.filter_field(resolver=resolve, description=description)


def flag_filter(expression: Expression, description: str):
    """A yes/no filter on a boolean rollup (`isOverBudget: true`)."""

    def resolve(self, queryset, value: bool, prefix: str):
        name = _alias("filter", prefix, expression.__name__)
        return queryset.alias(**{name: expression(prefix)}), Q(**{name: value})

    return strawberry_django.filter_field(resolver=resolve, description=description)


def rollup_order(expression: Expression, description: str):
    """Ordering by a rollup; ties fall back to the id like every other ordering. Nulls (a percentage
    without a base) sort as on PostgreSQL on every database: last ascending, first descending."""

    def resolve(self, queryset, value: Ordering, prefix: str):
        name = _alias("order", prefix, expression.__name__)
        return queryset.alias(**{name: expression(prefix)}), [nulls_largest(value.resolve(name))]

    return strawberry_django.order_field(resolver=resolve, description=description)


@strawberry.type(description="A percentage in one currency (e.g. a margin over revenue in that currency).")
class CurrencyPercent:
    currency: str
    percent: Decimal | None = strawberry.field(description="2 decimal places; null when undefined.")


def hours(value: Decimal | str | None) -> Decimal:
    """Hours with their 2 decimal places ("0.00", not "0")."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def check_currency(currency: str | None) -> None:
    if currency is not None and currency not in CURRENCY_MINOR_UNITS:
        raise GraphQLError(f"Unknown currency {currency!r}; use an ISO 4217 code such as USD or EUR.")


def money_list(amounts: dict[str, Decimal], currency: str | None) -> list[Money]:
    """One Money per currency (sorted), or exactly one in the currency asked for (0 when absent)."""
    if currency is not None:
        check_currency(currency)
        amounts = {currency: amounts.get(currency, Decimal(0))}
    return [
        Money(amount=round_money(amount, code), currency=code) for code, amount in sorted(amounts.items())
    ]


CURRENCY_ARGUMENT = strawberry.argument(
    description="Only this currency: the list then holds exactly one amount (0 when there is none)."
)


def rollup_field(expression: Expression, description: str, convert=None, **options):
    """A field showing a rollup as is (or through `convert`); declare its type on the class."""

    def resolve(root):
        value = rollup_value(root, expression)
        return convert(value) if convert is not None else value

    annotate = {**options.pop("annotate", {}), **rollup_annotation(expression)}
    return strawberry_django.field(resolver=resolve, annotate=annotate, description=description, **options)


def rollup_money(expression: Expression, description: str, currency: Callable[[object], str], **options):
    """A money rollup in the record's one currency (`currency(root)` names it)."""

    def resolve(root) -> Money:
        return money(rollup_value(root, expression), currency(root))

    annotate = {**options.pop("annotate", {}), **rollup_annotation(expression)}
    return strawberry_django.field(resolver=resolve, annotate=annotate, description=description, **options)
