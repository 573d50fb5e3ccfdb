"""CSV exports of orders (with their rollups) and job costs, streamed row by row.

The caller passes the queryset (already limited to what the viewer may see and filtered); rows
are read with a server-side cursor in chunks, so an export of any size holds one chunk in memory.
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from django.db.models import F, OuterRef, QuerySet
from django.db.models.functions import JSONObject

from backend.billing.models import Invoice
from backend.common.money import round_money
from backend.orders.models import Order
from backend.work.models import JobCost

from . import rollups
from .sql import json_rows

CHUNK_SIZE = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write returns the line, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def text(value) -> str:
    """Free text, made inert for spreadsheets (a leading =, +, -, @ would start a formula)."""
    value = "" if value is None else str(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def amount(value: Decimal | None, currency: str) -> str:
    return "" if value is None else str(round_money(value, currency))


def plain(value: Decimal) -> str:
    """A quantity or unit price without trailing zeros, never in exponent form."""
    return format(value.normalize(), "f")


def csv_lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


ORDER_HEADER = (
    "id", "number", "name", "kind", "status", "currency", "customer", "vendor", "project", "entered_at",
    "placed_at", "total", "revenue", "invoiced_amount", "paid_amount", "outstanding_amount", "cost",
    "margin", "margin_percent", "invoice_numbers",
)  # fmt: skip
ORDER_ROLLUPS = {
    "export_revenue": rollups.order_revenue,
    "export_invoiced": rollups.order_invoiced,
    "export_paid": rollups.order_paid,
    "export_outstanding": rollups.order_outstanding,
    "export_cost": rollups.order_cost,
    "export_margin": rollups.order_margin,
    "export_margin_percent": rollups.order_margin_percent,
}


def _invoice_numbers():
    """The legal numbers of the order's numbered invoices, in number order (one list per row)."""
    numbered = Invoice.objects.filter(order=OuterRef("pk"), number__isnull=False).order_by("number")
    return json_rows(numbered.values(json=JSONObject(number=F("number"))))


def order_rows(orders: QuerySet[Order], id_of: Callable[[Order], str]) -> Iterator[list]:
    rows = orders.select_related("customer", "vendor", "project").annotate(
        **{name: expression() for name, expression in ORDER_ROLLUPS.items()},
        export_invoice_numbers=_invoice_numbers(),
    )
    for order in rows.iterator(chunk_size=CHUNK_SIZE):
        money = [
            amount(getattr(order, name), order.currency)
            for name in ORDER_ROLLUPS
            if name != "export_margin_percent"
        ]
        yield [
            id_of(order), text(order.number), text(order.name), order.kind, order.status, order.currency,
            text(order.customer.name), text(order.vendor.name), text(order.project.code if order.project else ""),
            order.entered_at.isoformat(), order.placed_at.isoformat() if order.placed_at else "",
            amount(order.total, order.currency), *money, order.export_margin_percent or "",
            text(" ".join(row["number"] for row in order.export_invoice_numbers or [])),
        ]  # fmt: skip


JOB_COST_HEADER = (
    "id", "job_id", "job", "order", "kind", "description", "quantity", "unit_cost", "amount", "currency",
    "billable", "approval_status", "party", "incurred_on",
)  # fmt: skip


def job_cost_rows(costs: QuerySet[JobCost], id_of: Callable[[object], str]) -> Iterator[list]:
    rows = costs.select_related("job", "job__order", "party")
    for cost in rows.iterator(chunk_size=CHUNK_SIZE):
        yield [
            id_of(cost), id_of(cost.job), text(cost.job.name), text(cost.job.order.number), cost.kind,
            text(cost.description), plain(cost.quantity), plain(cost.unit_cost),
            amount(cost.amount, cost.currency), cost.currency, "true" if cost.billable else "false",
            cost.approval_status, text(cost.party.name if cost.party else ""),
            cost.incurred_on.isoformat() if cost.incurred_on else "",
        ]  # fmt: skip
