"""Small SQL building blocks shared by the rollups: typed sums, averages and day differences."""

from decimal import Decimal

from django.db.models import DecimalField, F, Func, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

MONEY = DecimalField(max_digits=30, decimal_places=4)
HOURS = DecimalField(max_digits=16, decimal_places=2)
PERCENT = DecimalField(max_digits=16, decimal_places=2)
DAYS = DecimalField(max_digits=12, decimal_places=1)


def zero(output_field=MONEY) -> Value:
    return Value(Decimal(0), output_field=output_field)


class _Sum(Func):
    """SUM without GROUP BY: one total over every row of a correlated subquery."""

    function = "SUM"


class _Avg(Func):
    function = "AVG"


class _Max(Func):
    function = "MAX"


def total(queryset: QuerySet, expression, output_field=MONEY) -> Coalesce:
    """Σ expression over the rows of `queryset` (0 when there are none), as a scalar subquery."""
    rows = queryset.order_by().annotate(_total=_Sum(expression, output_field=output_field)).values("_total")
    return Coalesce(Subquery(rows, output_field=output_field), zero(output_field), output_field=output_field)


def average(queryset: QuerySet, expression, output_field=DAYS) -> Subquery:
    """The mean of expression over the rows of `queryset` (null when there are none)."""
    rows = queryset.order_by().annotate(_avg=_Avg(expression, output_field=output_field)).values("_avg")
    return Subquery(rows, output_field=output_field)


def latest(queryset: QuerySet, field: str, output_field) -> Subquery:
    rows = queryset.order_by().annotate(_max=_Max(F(field), output_field=output_field)).values("_max")
    return Subquery(rows, output_field=output_field)


def days_between(start, end) -> Func:
    """`end - start` for two dates: whole days, as PostgreSQL subtracts dates."""
    return Func(end, start, template="(%(expressions)s)", arg_joiner=" - ", output_field=IntegerField())
