"""Dashboard series: one measure over the orders (or their jobs), grouped, summed per currency.

Each order counts on its date: when it was placed, or when it was entered if it never was.
Money measures are summed per currency; HOURS and COUNT have no currency.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate, TruncMonth, TruncQuarter

from backend.common.errors import CommonErrorCode
from backend.orders.models import Order
from backend.work.models import Job

from . import rollups
from .sql import HOURS, nulls_largest


class Measure(models.TextChoices):
    REVENUE = "REVENUE", "Revenue of sales orders (item totals; none for cancelled or rejected ones)"
    COST = "COST", "Approved job costs"
    MARGIN = "MARGIN", "Revenue less approved job costs"
    HOURS = "HOURS", "Hours worked on the tasks of the jobs and their costs"
    COUNT = "COUNT", "Number of orders (of jobs, grouped by job kind)"
    OUTSTANDING = "OUTSTANDING", "Invoiced less paid"


class GroupBy(models.TextChoices):
    MONTH = "MONTH"
    QUARTER = "QUARTER"
    STATUS = "STATUS", "Order status"
    CUSTOMER = "CUSTOMER"
    PROJECT = "PROJECT"
    ORDER_KIND = "ORDER_KIND", "SALES or PURCHASE"
    JOB_KIND = "JOB_KIND", "Job kind (COST, HOURS and COUNT only)"


MONEY_MEASURES = frozenset({Measure.REVENUE, Measure.COST, Measure.MARGIN, Measure.OUTSTANDING})
JOB_MEASURES = frozenset({Measure.COST, Measure.HOURS, Measure.COUNT})

ORDER_MEASURES = {
    Measure.REVENUE: rollups.order_revenue,
    Measure.COST: rollups.order_cost,
    Measure.MARGIN: rollups.order_margin,
    Measure.OUTSTANDING: rollups.order_outstanding,
    Measure.HOURS: rollups.order_actual_hours,
}
JOB_MEASURE_EXPRESSIONS = {Measure.COST: rollups.job_actual_cost, Measure.HOURS: rollups.job_actual_hours}


def order_date(prefix: str = ""):
    return TruncDate(Coalesce(F(f"{prefix}placed_at"), F(f"{prefix}entered_at")))


# group key and label, on orders (prefix "") or on jobs (prefix "order__")
def _groups(group_by: str, prefix: str) -> dict:
    when = Coalesce(F(f"{prefix}placed_at"), F(f"{prefix}entered_at"))
    return {
        GroupBy.MONTH: {"key": TruncMonth(when)},
        GroupBy.QUARTER: {"key": TruncQuarter(when)},
        GroupBy.STATUS: {"key": F(f"{prefix}status")},
        GroupBy.CUSTOMER: {"key": F(f"{prefix}customer_id"), "label": F(f"{prefix}customer__name")},
        GroupBy.PROJECT: {"key": F(f"{prefix}project_id"), "label": F(f"{prefix}project__name")},
        GroupBy.ORDER_KIND: {"key": F(f"{prefix}kind")},
        GroupBy.JOB_KIND: {"key": F("kind")},
    }[group_by]


@dataclass
class Point:
    key: object  # a date (MONTH, QUARTER), a record id (CUSTOMER, PROJECT; None for no project), a code
    label: str | None
    value: Decimal


@dataclass
class Series:
    currency: str | None
    points: list[Point]


def within(orders: QuerySet[Order], start: date | None, end: date | None) -> QuerySet[Order]:
    """Orders whose date falls in [start, end] (either end open)."""
    orders = orders.alias(dashboard_date=order_date())
    if start is not None:
        orders = orders.filter(dashboard_date__gte=start)
    if end is not None:
        orders = orders.filter(dashboard_date__lte=end)
    return orders


def _refuse(message: str) -> ValidationError:
    return ValidationError({"group_by": ValidationError(message, code=CommonErrorCode.INVALID)})


def series(orders: QuerySet[Order], *, measure: str, group_by: str) -> list[Series]:
    """The measure over `orders`, one series per currency (one series without currency for
    HOURS and COUNT), points sorted by key (a null key, orders without a project, last)."""
    if group_by == GroupBy.JOB_KIND:
        if measure not in JOB_MEASURES:
            raise _refuse("Grouped by job kind, the measure is COST, HOURS or COUNT.")
        rows = Job.objects.filter(order__in=orders.values("pk"))
        prefix = "order__"
        value = Count("pk") if measure == Measure.COUNT else Sum(JOB_MEASURE_EXPRESSIONS[measure]())
    else:
        rows, prefix = orders, ""
        value = Count("pk") if measure == Measure.COUNT else Sum(ORDER_MEASURES[measure]())
    group = _groups(group_by, prefix)
    money = measure in MONEY_MEASURES
    columns = {"group_key": group["key"], "group_label": group.get("label", Value(None, models.CharField()))}
    if money:
        columns["group_currency"] = F(f"{prefix}currency")
    grouped = (
        rows.order_by()
        .annotate(**columns)
        .values(*columns)
        .annotate(value=value)
        .order_by(*(nulls_largest(F(name).asc()) for name in columns))
    )
    places = Decimal(1).scaleb(-HOURS.decimal_places)
    by_currency: dict[str | None, list[Point]] = {}
    for row in grouped:
        currency = row.get("group_currency")
        amount = Decimal(row["value"] if row["value"] is not None else 0)
        if measure == Measure.HOURS:
            amount = amount.quantize(places)  # 2 places, as every hours field shows them
        by_currency.setdefault(currency, []).append(Point(row["group_key"], row["group_label"], amount))
    return [
        Series(currency, points) for currency, points in sorted(by_currency.items(), key=lambda i: i[0] or "")
    ]
