"""Small SQL building blocks shared by the rollups: typed sums, averages, day differences, rounding,
lists of JSON rows and orderings.

PostgreSQL is the production database; the quick-start server runs on SQLite. Where the two differ
an expression here compiles to each one's SQL (`as_sqlite`), so PostgreSQL's statements stay as they
are and SQLite gives the same answers: SQLite has no arrays, no date subtraction and no exact
decimals (it stores them as integers or floating point), and sorts nulls first.
"""

import json
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import DecimalField, F, Func, IntegerField, OrderBy, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Round

MONEY = DecimalField(max_digits=30, decimal_places=4)
HOURS = DecimalField(max_digits=16, decimal_places=2)
PERCENT = DecimalField(max_digits=16, decimal_places=2)
DAYS = DecimalField(max_digits=12, decimal_places=1)


def zero(output_field=MONEY) -> Value:
    return Value(Decimal(0), output_field=output_field)


class _Sum(Func):
    """SUM without GROUP BY: one total over every row of a correlated subquery."""

    function = "SUM"

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite adds decimals as floating point (0.10 + 0.20 > 0.30): add whole units of the last
        # place instead, so that a total equals the same amount stored, as on PostgreSQL
        scale = 10**self.output_field.decimal_places
        template = f"SUM(ROUND(%(expressions)s * {scale})) / {scale}.0"
        return super().as_sqlite(compiler, connection, template=template, **extra_context)


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


class _DaysBetween(Func):
    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # dates are text there: subtracting them would subtract their years
        template = "CAST(julianday(%(expressions)s) AS INTEGER)"
        return self.as_sql(
            compiler, connection, template=template, arg_joiner=") - julianday(", **extra_context
        )


def days_between(start, end) -> Func:
    """`end - start` for two dates: whole days, as PostgreSQL subtracts dates."""
    return _DaysBetween(end, start)


class _Real(Value):
    def as_sqlite(self, compiler, connection):
        sql, params = self.as_sql(compiler, connection)
        return f"CAST({sql} AS REAL)", params


def real(number) -> Value:
    """A number to multiply by before dividing: SQLite keeps whole amounts as integers, and
    divides integers as integers (350 × 100 / 300 would be 116, not 116.67)."""
    return _Real(number)


class _Rounded(Round):
    """ROUND, read back with exactly the output field's places (SQLite computes in floating point:
    -133.2 would come back as -133.200000000000, where PostgreSQL's numeric gives -133.20)."""

    def get_db_converters(self, connection):
        converters = super().get_db_converters(connection)
        if connection.vendor == "postgresql":
            return converters
        places = Decimal(1).scaleb(-self.output_field.decimal_places)
        return [*converters, lambda value, *_: None if value is None else value.quantize(places)]


def rounded(expression, output_field) -> Round:
    """expression rounded half away from zero to the places of `output_field`."""
    return _Rounded(expression, output_field.decimal_places, output_field=output_field)


class _JsonRows(ArraySubquery):
    def as_sqlite(self, compiler, connection, **extra_context):
        [column] = [*self.query.values_select, *self.query.annotation_select]
        column = connection.ops.quote_name(column)
        # json() keeps each row a JSON object (a subquery's column is plain text to json_group_array);
        # the rows keep the subquery's order
        template = f"(SELECT json_group_array(json({column})) FROM (%(subquery)s))"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def get_db_converters(self, connection):
        if connection.vendor == "sqlite":
            return [lambda value, *_: None if value is None else json.loads(value)]
        return super().get_db_converters(connection)


def json_rows(queryset: QuerySet) -> ArraySubquery:
    """The rows of `queryset`, which selects one JSON object per row, as a list of dicts in its order:
    `ARRAY(subquery)` on PostgreSQL, `json_group_array` over the subquery on SQLite."""
    return _JsonRows(queryset)


class _NullsLargest(OrderBy):
    def as_sqlite(self, compiler, connection, **extra_context):
        order = self
        if not (self.nulls_first or self.nulls_last):
            order = self.copy()
            order.nulls_first, order.nulls_last = (True, None) if self.descending else (None, True)
        return order.as_sql(compiler, connection, **extra_context)


def nulls_largest(order: OrderBy) -> OrderBy:
    """`order` with nulls where PostgreSQL puts them unless it says otherwise (last ascending, first
    descending); SQLite sorts them as the smallest values."""
    return _NullsLargest(
        order.expression,
        descending=order.descending,
        nulls_first=order.nulls_first,
        nulls_last=order.nulls_last,
    )
