"""`dashboard` (series for chart builders) and `receivablesAging`, over what the viewer may see."""

from datetime import date
from decimal import Decimal

import strawberry
from django.core.exceptions import ValidationError
from django.utils import timezone
from graphql import GraphQLError
from strawberry import relay
from strawberry.types import Info
from strawberry_django.filters import apply as apply_filters

from backend.analytics import dashboard, receivables
from backend.billing.models import Invoice
from backend.common.money import round_money
from backend.orders.models import Order
from backend.parties.models import Party

from ..money import Money
from ..orders.filters import OrderFilter
from ..parties.types import PartyType
from ..scoping import scoped
from .fields import check_currency


def _described(choices) -> str:
    return "; ".join(
        f"{choice.value}: {choice.label}" for choice in choices if choice.label != choice.value.title()
    )


MeasureEnum = strawberry.enum(
    dashboard.Measure, name="DashboardMeasure", description=_described(dashboard.Measure)
)
GroupByEnum = strawberry.enum(
    dashboard.GroupBy, name="DashboardGroupBy", description=_described(dashboard.GroupBy)
)


@strawberry.input(name="DashboardInput")
class DashboardInput:
    measure: MeasureEnum
    group_by: GroupByEnum
    start: date | None = strawberry.field(
        default=None, description="First day (inclusive) of an order's date: when placed, else when entered."
    )
    end: date | None = strawberry.field(default=None, description="Last day (inclusive).")
    currency: str | None = strawberry.field(
        default=None, description="Only orders in this currency (then one series at most)."
    )
    filters: OrderFilter | None = strawberry.field(
        default=None, description="The same filters as the `orders` connection."
    )


@strawberry.type(name="DashboardPoint")
class DashboardPoint:
    key: str | None = strawberry.field(
        description="2026-03 (MONTH), 2026-Q1 (QUARTER), a status or kind, or the global id of the customer "
        "or project (null: orders without a project)."
    )
    label: str = strawberry.field(description="What to print on the axis.")
    value: Decimal = strawberry.field(description="The amount, hours or count.")
    money: Money | None = strawberry.field(description="The value as money, for money measures.")


@strawberry.type(name="DashboardSeries")
class DashboardSeries:
    currency: str | None = strawberry.field(description="Null for HOURS and COUNT.")
    points: list[DashboardPoint]


@strawberry.type(name="Dashboard")
class DashboardType:
    measure: MeasureEnum
    group_by: GroupByEnum
    series: list[DashboardSeries] = strawberry.field(
        description="One series per currency for money measures (sums never mix currencies)."
    )


def _key_and_label(group_by: str, point: dashboard.Point) -> tuple[str | None, str]:
    key = point.key
    if group_by == dashboard.GroupBy.MONTH:
        return key.strftime("%Y-%m"), key.strftime("%B %Y")
    if group_by == dashboard.GroupBy.QUARTER:
        text = f"{key.year}-Q{(key.month - 1) // 3 + 1}"
        return text, text
    if group_by in (dashboard.GroupBy.CUSTOMER, dashboard.GroupBy.PROJECT):
        if key is None:
            return None, "No project"
        type_name = "Party" if group_by == dashboard.GroupBy.CUSTOMER else "Project"
        return str(relay.GlobalID(type_name, str(key))), point.label
    return key, key


def _points(group_by: str, currency: str | None, points: list[dashboard.Point]) -> list[DashboardPoint]:
    result = []
    for point in points:
        key, label = _key_and_label(group_by, point)
        value = round_money(point.value, currency) if currency else point.value
        amount = Money(amount=value, currency=currency) if currency else None
        result.append(DashboardPoint(key=key, label=label, value=value, money=amount))
    return result


def resolve_dashboard(info: Info, input: DashboardInput) -> DashboardType:
    check_currency(input.currency)
    orders = scoped(Order.objects.all(), info)
    if input.filters is not None:
        orders = apply_filters(input.filters, orders, info)
    if input.currency:
        orders = orders.filter(currency=input.currency)
    orders = dashboard.within(orders, input.start, input.end)
    try:
        found = dashboard.series(orders, measure=input.measure.value, group_by=input.group_by.value)
    except ValidationError as exc:
        raise GraphQLError(" ".join(exc.messages)) from None
    series = [
        DashboardSeries(currency=s.currency, points=_points(input.group_by, s.currency, s.points))
        for s in found
    ]
    return DashboardType(measure=input.measure, group_by=input.group_by, series=series)


# --- aging ---------------------------------------------------------------------------------


@strawberry.type(name="ReceivablesAgingRow")
class AgingRowType:
    customer: PartyType | None = strawberry.field(description="Null on the totals rows.")
    currency: str
    current: Money = strawberry.field(description="Not yet due (unapplied credits count here, negative).")
    days_1_to_30: Money
    days_31_to_60: Money
    days_61_to_90: Money
    over_90: Money
    total: Money


@strawberry.type(name="ReceivablesAging")
class AgingType:
    as_of: date
    rows: list[AgingRowType] = strawberry.field(description="Per customer and currency, by customer name.")
    totals: list[AgingRowType] = strawberry.field(description="Per currency, over every row.")


def _row(customer, currency: str, amounts: dict[str, Decimal]) -> AgingRowType:
    def cash(value: Decimal) -> Money:
        return Money(amount=round_money(value, currency), currency=currency)

    return AgingRowType(
        customer=customer,
        currency=currency,
        total=cash(sum(amounts.values(), Decimal(0))),
        **{name: cash(value) for name, value in amounts.items()},
    )


def resolve_receivables_aging(
    info: Info, as_of: date | None = None, currency: str | None = None
) -> AgingType:
    check_currency(currency)
    as_of = as_of or timezone.localdate()
    found = receivables.receivables_aging(scoped(Invoice.objects.all(), info), as_of, currency)
    parties = Party.objects.in_bulk({row.customer_id for row in found})
    rows = sorted(
        found, key=lambda row: (parties[row.customer_id].name, parties[row.customer_id].pk, row.currency)
    )
    totals: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        bucket = totals.setdefault(row.currency, dict.fromkeys(row.amounts, Decimal(0)))
        for name, value in row.amounts.items():
            bucket[name] += value
    return AgingType(
        as_of=as_of,
        rows=[_row(parties[row.customer_id], row.currency, row.amounts) for row in rows],
        totals=[_row(None, code, amounts) for code, amounts in sorted(totals.items())],
    )
