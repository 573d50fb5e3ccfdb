"""The rollup fields of jobs, orders, projects and parties, compiled from the very expressions of
`backend.analytics` that the general path annotates its pages with.

A record with rollups is written inside a correlated subquery that reads its row again by the primary
key, selecting each distinct expression once as Django writes it (its parameters bound as the general
path binds them), so PostgreSQL computes the same values from the same rows; each field then formats
its value as the field's resolver serialises it.
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


def _for_everyone(user) -> tuple:
    return ()


def _visible_invoices(user) -> tuple:
    return (visible(user, Invoice.objects.all(), "view"),)


def _visible_invoices_today(user) -> tuple:
    return (*_visible_invoices(user), timezone.localdate())


@dataclass(frozen=True)
class Rollup:
    """How one field reads: `source(*arguments(user))` is the Django expression the general path
    annotates (fields of one record with the same source share its value)."""

    source: Callable[..., object]
    shape: str  # "money", "decimal", "flag", "hours", "amounts" (a Money per currency), "task_hours"
    currency: str = ""  # "money": the path to the record's currency
    terms: tuple[str, ...] = ()  # "amounts": the per-currency value, less the others listed
    arguments: Callable[[object], tuple] = _for_everyone

    @property
    def column(self) -> str:
        return f"rollup_{self.source.__name__}"


@dataclass
class RollupValue:
    rollup: Rollup
    parts: list[tuple[str, str]]  # (response key, field of Money or TaskStatusHours)
    currency: str | None  # the `currency:` argument of a per-currency list


def _job_money(source) -> Rollup:
    return Rollup(source, "money", currency="order__currency")


def _order_money(source) -> Rollup:
    return Rollup(source, "money", currency="currency")


def _project_amounts(*terms: str) -> Rollup:
    return Rollup(rollups.project_by_currency, "amounts", terms=terms)


def _receivables(name: str) -> Rollup:
    return Rollup(receivables.party_receivables, "amounts", terms=(name,), arguments=_visible_invoices_today)


ROLLUPS: dict[str, dict[str, Rollup]] = {
    "Job": {
        "actualCost": _job_money(rollups.job_actual_cost),
        "pendingCost": _job_money(rollups.job_pending_cost),
        "costVariance": _job_money(rollups.job_cost_variance),
        "budgetUsedPercent": Rollup(rollups.job_budget_used_percent, "decimal"),
        "isOverBudget": Rollup(rollups.job_is_over_budget, "flag"),
        "actualHours": Rollup(rollups.job_actual_hours, "hours"),
    },
    "Order": {
        "revenue": _order_money(rollups.order_revenue),
        "invoicedAmount": _order_money(rollups.order_invoiced),
        "paidAmount": _order_money(rollups.order_paid),
        "outstandingAmount": _order_money(rollups.order_outstanding),
        "cost": _order_money(rollups.order_cost),
        "margin": _order_money(rollups.order_margin),
        "marginPercent": Rollup(rollups.order_margin_percent, "decimal"),
    },
    "Project": {
        "revenue": _project_amounts("revenue"),
        "cost": _project_amounts("cost"),
        "margin": _project_amounts("revenue", "cost"),
        "invoicedAmount": _project_amounts("invoiced"),
        "paidAmount": _project_amounts("paid"),
        "outstandingAmount": _project_amounts("invoiced", "paid"),
        "budgetedHours": Rollup(rollups.project_budgeted_hours, "hours"),
        "hoursByTaskStatus": Rollup(rollups.project_hours_by_status, "task_hours"),
    },
    "Party": {
        "openReceivables": _receivables("open"),
        "overdueReceivables": _receivables("overdue"),
        "averageDaysToPay": Rollup(
            receivables.party_average_days_to_pay, "decimal", arguments=_visible_invoices
        ),
    },
}


def quoted(text: str) -> str:
    connection.ensure_connection()
    return Literal(text).as_string(connection.connection)


def _object(parts: list[tuple[str, str]], values: dict[str, str]) -> str:
    return f"json_build_object({', '.join(f'{quoted(key)}, {values[name]}' for key, name in parts)})"


class RecordRollups:
    """The rollups of one record's selection: the record again, by its primary key, selecting each
    distinct expression once (as Django writes it, its parameters bound as the general path's
    client-side binding binds them), around the record's JSON."""

    def __init__(self, info: TypeInfo, alias: str, user, values: list[RollupValue]):
        self.info, self.alias = info, alias
        self.row = f"{alias}_rollups"
        self.columns: dict[str, object] = {}
        for value in values:
            rollup = value.rollup
            if rollup.column not in self.columns:
                self.columns[rollup.column] = rollup.source(*rollup.arguments(user))
            if rollup.currency:
                self.columns["rollup_currency"] = F(rollup.currency)

    def around(self, record_sql: str) -> str:
        if not self.columns:
            return record_sql
        row = RawSQL(f'{self.alias}."{self.info.pk}"', ())
        rows = self.info.model._base_manager.filter(pk=row).values(**self.columns)
        sql, params = rows.query.sql_with_params()
        return f"(SELECT {record_sql} FROM ({connection.ops.compose_sql(sql, params)}) {self.row})"

    def value(self, part: RollupValue) -> str:
        """The field's JSON value, from the columns of the row around it."""
        rollup = part.rollup
        value = f"{self.row}.{rollup.column}"
        if rollup.shape == "money":
            currency = f"{self.row}.rollup_currency"
            amount = f"round({value}, {minor_units_sql(currency)})::text"
            return _object(part.parts, {"amount": amount, "currency": currency, "__typename": "'Money'"})
        if rollup.shape == "amounts":
            return _amounts(part, value)
        if rollup.shape == "task_hours":
            return _task_hours(part, value)
        return {"decimal": f"{value}::text", "flag": value, "hours": _hours(value)}[rollup.shape]


def _rows_of(array_sql: str) -> str:
    """A list of JSON rows as an array; Django writes one over no visible rows as an untyped NULL."""
    return f"{array_sql}::jsonb[]"


def _hours(number_sql: str) -> str:
    """`fields.hours`: 0 for null, two places."""
    return f"round(COALESCE({number_sql}, 0), 2)::text"


def _task_hours(part: RollupValue, rows_sql: str) -> str:
    values = {
        "status": "r.value->>'status'",  # WorkStatus stores its GraphQL names (the planner checks)
        "estimatedHours": _hours("(r.value->>'estimated')::numeric"),
        "actualHours": _hours("(r.value->>'actual')::numeric"),
        "__typename": "'TaskStatusHours'",
    }
    rows = f"unnest({_rows_of(rows_sql)}) WITH ORDINALITY r(value, n)"
    return f"(SELECT COALESCE(json_agg({_object(part.parts, values)} ORDER BY r.n), '[]'::json) FROM {rows})"


def _amounts(part: RollupValue, rows_sql: str) -> str:
    """`fields.money_list` over rows of per-currency amounts: a Money per currency in code order, or
    exactly one in the currency asked for (0 when it has no row)."""
    amount = " - ".join(f"(r.value->>{quoted(name)})::numeric" for name in part.rollup.terms)
    rows = f"unnest({_rows_of(rows_sql)}) r(value)"
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
