"""The rollup fields of jobs, orders, projects and parties, compiled from the very expressions of
`backend.analytics` that the general path annotates its pages with.

Each rollup is the expression's SQL (rendered by Django, its parameters bound as the general path
binds them) in a correlated subquery on the row's primary key, so PostgreSQL computes the same value
from the same rows; the SQL around it formats that value as the field's resolver serialises it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.utils import timezone
from psycopg.sql import Literal

from backend.analytics import receivables, rollups
from backend.billing.models import Invoice
from permissions.visibility import visible

from .catalog import TypeInfo, minor_units_sql


@dataclass(frozen=True)
class Rollup:
    """How one field reads: `expression(user)` is the Django expression the general path annotates."""

    expression: Callable[[object], object]
    shape: str  # "money", "decimal", "flag", "hours", "amounts" (a Money per currency), "task_hours"
    currency: str = ""  # "money": the path to the record's currency
    terms: tuple[str, ...] = ()  # "amounts": the per-currency value, less the others listed


@dataclass
class RollupValue:
    rollup: Rollup
    parts: list[tuple[str, str]]  # (response key, field of Money or TaskStatusHours)
    currency: str | None  # the `currency:` argument of a per-currency list


def _own(expression) -> Callable[[object], object]:
    """A rollup of the record itself, the same for every viewer."""
    return lambda user: expression()


def _visible_invoices(user):
    return visible(user, Invoice.objects.all(), "view")


def _job_money(expression) -> Rollup:
    return Rollup(_own(expression), "money", currency="order__currency")


def _order_money(expression) -> Rollup:
    return Rollup(_own(expression), "money", currency="currency")


def _project_amounts(*terms: str) -> Rollup:
    return Rollup(_own(rollups.project_by_currency), "amounts", terms=terms)


def _receivables(name: str) -> Rollup:
    def expression(user):
        return receivables.party_receivables(_visible_invoices(user), timezone.localdate())

    return Rollup(expression, "amounts", terms=(name,))


ROLLUPS: dict[str, dict[str, Rollup]] = {
    "Job": {
        "actualCost": _job_money(rollups.job_actual_cost),
        "pendingCost": _job_money(rollups.job_pending_cost),
        "costVariance": _job_money(rollups.job_cost_variance),
        "budgetUsedPercent": Rollup(_own(rollups.job_budget_used_percent), "decimal"),
        "isOverBudget": Rollup(_own(rollups.job_is_over_budget), "flag"),
        "actualHours": Rollup(_own(rollups.job_actual_hours), "hours"),
    },
    "Order": {
        "revenue": _order_money(rollups.order_revenue),
        "invoicedAmount": _order_money(rollups.order_invoiced),
        "paidAmount": _order_money(rollups.order_paid),
        "outstandingAmount": _order_money(rollups.order_outstanding),
        "cost": _order_money(rollups.order_cost),
        "margin": _order_money(rollups.order_margin),
        "marginPercent": Rollup(_own(rollups.order_margin_percent), "decimal"),
    },
    "Project": {
        "revenue": _project_amounts("revenue"),
        "cost": _project_amounts("cost"),
        "margin": _project_amounts("revenue", "cost"),
        "invoicedAmount": _project_amounts("invoiced"),
        "paidAmount": _project_amounts("paid"),
        "outstandingAmount": _project_amounts("invoiced", "paid"),
        "budgetedHours": Rollup(_own(rollups.project_budgeted_hours), "hours"),
        "hoursByTaskStatus": Rollup(_own(rollups.project_hours_by_status), "task_hours"),
    },
    "Party": {
        "openReceivables": _receivables("open"),
        "overdueReceivables": _receivables("overdue"),
        "averageDaysToPay": Rollup(
            lambda user: receivables.party_average_days_to_pay(_visible_invoices(user)), "decimal"
        ),
    },
}


def quoted(text: str) -> str:
    connection.ensure_connection()
    return Literal(text).as_string(connection.connection)


def _object(parts: list[tuple[str, str]], values: dict[str, str]) -> str:
    return f"json_build_object({', '.join(f'{quoted(key)}, {values[name]}' for key, name in parts)})"


def _row(info: TypeInfo, alias: str, **values) -> str:
    """The record of `alias` again, selecting `values`: the expressions as Django writes them, with
    their parameters bound as the general path's client-side binding binds them."""
    record = RawSQL(f'{alias}."{info.pk}"', ())
    rows = info.model._base_manager.filter(pk=record).values(**values)
    sql, params = rows.query.sql_with_params()
    return connection.ops.compose_sql(sql, params)


def _rows_of(array_sql: str) -> str:
    """A list of JSON rows as an array; Django writes one over no visible rows as an untyped NULL."""
    return f"{array_sql}::jsonb[]"


def _hours(number_sql: str) -> str:
    """`fields.hours`: 0 for null, two places."""
    return f"round(COALESCE({number_sql}, 0), 2)::text"


def rollup_sql(part: RollupValue, info: TypeInfo, alias: str, user) -> str:
    """The field's JSON value for the row of `alias`."""
    rollup = part.rollup
    if rollup.shape == "money":
        row = _row(info, alias, rollup_value=rollup.expression(user), rollup_currency=F(rollup.currency))
        currency = "x.rollup_currency"
        amount = f"round(x.rollup_value, {minor_units_sql(currency)})::text"
        money = _object(part.parts, {"amount": amount, "currency": currency, "__typename": "'Money'"})
        return f"(SELECT {money} FROM ({row}) x)"
    row = _row(info, alias, rollup_value=rollup.expression(user))
    if rollup.shape == "amounts":
        return _amounts(part, row)
    if rollup.shape == "task_hours":
        values = {
            "status": "r.value->>'status'",  # WorkStatus stores its GraphQL names (the planner checks)
            "estimatedHours": _hours("(r.value->>'estimated')::numeric"),
            "actualHours": _hours("(r.value->>'actual')::numeric"),
            "__typename": "'TaskStatusHours'",
        }
        rows = f"({row}) x, unnest({_rows_of('x.rollup_value')}) WITH ORDINALITY r(value, n)"
        return (
            f"(SELECT COALESCE(json_agg({_object(part.parts, values)} ORDER BY r.n), '[]'::json) FROM {rows})"
        )
    value = {"decimal": "x.rollup_value::text", "flag": "x.rollup_value", "hours": _hours("x.rollup_value")}
    return f"(SELECT {value[rollup.shape]} FROM ({row}) x)"


def _amounts(part: RollupValue, row: str) -> str:
    """`fields.money_list` over rows of per-currency amounts: a Money per currency in code order, or
    exactly one in the currency asked for (0 when it has no row)."""
    amount = " - ".join(f"(r.value->>{quoted(name)})::numeric" for name in part.rollup.terms)
    rows = f"({row}) x, unnest({_rows_of('x.rollup_value')}) r(value)"
    if part.currency is None:
        currency = "r.value->>'currency'"
        values = {
            "amount": f"round({amount}, {minor_units_sql(currency)})::text",
            "currency": currency,
            "__typename": "'Money'",
        }
        ordered = f'ORDER BY {currency} COLLATE "C"'
        return f"(SELECT COALESCE(json_agg({_object(part.parts, values)} {ordered}), '[]'::json) FROM {rows})"
    code = quoted(part.currency)
    found = f"(SELECT {amount} FROM {rows} WHERE r.value->>'currency' = {code})"
    values = {
        "amount": f"round(COALESCE({found}, 0), {minor_units_sql(code)})::text",
        "currency": code,
        "__typename": "'Money'",
    }
    return f"json_build_array({_object(part.parts, values)})"
