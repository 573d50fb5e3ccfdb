"""Every analytics read over one small set of books, as JSON: the same answers are expected from
PostgreSQL and from the SQLite file of the quick-start server (`make run` without DATABASE_URL).

The test builds the books on its PostgreSQL database and runs `main` in a subprocess on a new SQLite
file (DATABASE_URL=sqlite:///…), which creates the tables from the models (what `makemigrations
--check` keeps equal to the migrations; running the migrations takes half a minute on SQLite), builds
the same books and writes its answers.
"""

import csv
import io
import json
from datetime import datetime, timedelta
from decimal import Decimal as D
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from guardian.shortcuts import assign_perm

from backend.orders.models import Order
from backend.parties.models import Party
from backend.projects.models import Project
from backend.work.models import ApprovalStatus, Job
from tests.factories import Company

from .data import build_books, cost, invoice, pay

MONEY = "{ amount currency }"
ORDER = f"""number revenue {MONEY} invoicedAmount {MONEY} paidAmount {MONEY} outstandingAmount {MONEY}
    cost {MONEY} margin {MONEY} marginPercent"""
JOB = f"""name actualCost {MONEY} pendingCost {MONEY} costVariance {MONEY} budgetUsedPercent isOverBudget
    budgetedHours actualHours"""
PROJECT = f"""code revenue {MONEY} cost {MONEY} margin {MONEY} invoicedAmount {MONEY} paidAmount {MONEY}
    outstandingAmount {MONEY} marginPercent {{ currency percent }} usd: revenue(currency: "USD") {MONEY}
    budgetedHours hoursByTaskStatus {{ status estimatedHours actualHours }}"""
PARTY = f"""name openReceivables {MONEY} overdueReceivables {MONEY} eur: openReceivables(currency: "EUR")
    {MONEY} averageDaysToPay"""
BUCKETS = (
    f"current {MONEY} days1To30 {MONEY} days31To60 {MONEY} days61To90 {MONEY} over90 {MONEY} total {MONEY}"
)
AGING = f"""query($asOf: Date, $currency: String) {{ receivablesAging(asOf: $asOf, currency: $currency) {{
    rows {{ customer {{ name }} currency {BUCKETS} }} totals {{ currency {BUCKETS} }} }} }}"""
DASHBOARD = """query($input: DashboardInput!) { dashboard(input: $input) {
    series { currency points { %s label value money { amount currency } } } } }"""

LISTS = {
    "orders": f"{{ orders(first: 100, ordering: [{{number: ASC}}]) {{ edges {{ node {{ {ORDER} }} }} }} }}",
    "jobs": f"{{ jobs(first: 100, ordering: [{{name: ASC}}]) {{ edges {{ node {{ {JOB} }} }} }} }}",
    "projects": f"{{ projects(first: 100, ordering: [{{code: ASC}}]) {{ edges {{ node {{ {PROJECT} }} }} }} }}",
    "parties": f"{{ parties(first: 100, ordering: [{{name: ASC}}]) {{ edges {{ node {{ {PARTY} }} }} }} }}",
    # a read PostgreSQL answers with one compiled statement; SQLite through the general path
    "hierarchy": "{ projects(first: 100) { edges { node { code orders(first: 10) { edges { node { number total "
    + MONEY
    + " } } } } } } }",
}
ORDER_ROLLUPS = (
    "revenue",
    "invoicedAmount",
    "paidAmount",
    "outstandingAmount",
    "cost",
    "margin",
    "marginPercent",
)
JOB_ROLLUPS = ("actualCost", "costVariance", "budgetUsedPercent", "actualHours")
FILTERS = {
    "orders": [
        '{marginPercent: {gt: "50"}}',
        '{marginPercent: {lt: "10"}}',
        "{marginPercent: {isNull: true}}",
        '{outstandingAmount: {gt: "0"}}',
        '{revenue: {gte: "1000"}}',
        '{cost: {range: {start: "0.30", end: "450"}}}',
        '{paidAmount: {exact: "250"}}',
        '{invoicedAmount: {lte: "0"}}',
    ],
    "jobs": [
        "{isOverBudget: true}",
        "{isOverBudget: false}",
        '{budgetUsedPercent: {gt: "100"}}',
        '{costVariance: {exact: "0"}}',
        '{actualCost: {exact: "0.30"}}',
        '{actualHours: {gt: "2"}}',
        '{pendingCost: {gt: "0"}}',
        '{order: {margin: {gte: "1000"}}}',
    ],
}
MEASURES = ("REVENUE", "COST", "MARGIN", "HOURS", "COUNT", "OUTSTANDING")
GROUPINGS = ("MONTH", "QUARTER", "STATUS", "CUSTOMER", "PROJECT", "ORDER_KIND", "JOB_KIND")
JOB_MEASURES = ("COST", "HOURS", "COUNT")  # the ones JOB_KIND (the last grouping) takes


def build() -> tuple[Client, Client]:
    """The books of `data.py` and a few more receivables, costs that add up exactly to a budget,
    and stable names; a superuser and a viewer of the BOOKS project, signed in."""
    company = Company.create()
    books = build_books(company)
    today = timezone.localdate()
    exact = company.job(books.eur, budgeted_cost=D("0.30"))
    cost(exact, "0.10")
    cost(exact, "0.20")  # 0.10 + 0.20 is the budget: not over it
    cost(company.job(books.usd, budgeted_cost=D("0")), "12.34", ApprovalStatus.PENDING)
    invoice(company, "70.00", order=books.usd, due=today - timedelta(days=5))
    invoice(company, "80.25", order=books.usd, due=today - timedelta(days=40))
    invoice(company, "90.00", order=books.usd, dated=today - timedelta(days=75))  # due on its date
    late = invoice(company, "330.50", order=books.eur, currency="EUR", due=today - timedelta(days=200))
    pay(company, late, "110.25")
    paid = invoice(company, "45.00", order=books.eur, currency="EUR", dated=today - timedelta(days=15))
    pay(company, paid, "45.00")  # with the first EUR invoice: 17.5 days on average
    for order, day in ((books.usd, "2026-01-15"), (books.eur, "2026-02-10"), (books.cancelled, "2026-02-20")):
        placed = timezone.make_aware(datetime.fromisoformat(f"{day}T10:00"))
        Order.objects.filter(pk=order.pk).update(placed_at=placed)
    _stable_names()
    admin = get_user_model().objects.create_superuser("quick-admin", password="pw-quick-admin-1")
    viewer = get_user_model().objects.create_user("quick-viewer", password="pw-quick-viewer-1")
    assign_perm("projects.view_project", viewer, books.project)
    clients = Client(), Client()
    clients[0].force_login(admin)
    clients[1].force_login(viewer)
    return clients


def _stable_names() -> None:
    """Names in creation order: ids and the factories' counters differ between the two databases."""
    for n, pk in enumerate(Party.objects.order_by("pk").values_list("pk", flat=True)):
        Party.objects.filter(pk=pk).update(name=f"Party {n}")
    for n, pk in enumerate(Project.objects.order_by("pk").values_list("pk", flat=True)):
        Project.objects.filter(pk=pk).update(code=f"P{n}", name=f"Project {n}")
    for n, pk in enumerate(Order.objects.order_by("pk").values_list("pk", flat=True)):
        Order.objects.filter(pk=pk).update(number=f"Q-{n}")
    for n, pk in enumerate(Job.objects.order_by("pk").values_list("pk", flat=True)):
        Job.objects.filter(pk=pk).update(name=f"Job {n}")


def _post(client: Client, query: str, variables: dict | None = None) -> dict:
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
    )
    body = response.json()
    body.pop("extensions", None)
    for error in body.get("errors", ()):
        error.get("extensions", {}).pop("requestId", None)
    return body


def _csv(client: Client, path: str, **params) -> list[dict]:
    query = urlencode({name: json.dumps(value) for name, value in params.items()})
    response = client.get(f"{path}?{query}")
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    if response.status_code != 200:
        return [{"status": str(response.status_code), "body": body}]
    return [
        {name: value for name, value in row.items() if name not in ("id", "job_id", "entered_at")}
        for row in csv.DictReader(io.StringIO(body))
    ]


def answers(admin: Client, viewer: Client) -> dict:
    """Every rollup, filter and ordering on them, the dashboard and the aging report, the exports."""
    today = timezone.localdate()
    found = {name: _post(admin, query) for name, query in LISTS.items()}
    for kind, names in (("orders", ORDER_ROLLUPS), ("jobs", JOB_ROLLUPS)):
        label = "number" if kind == "orders" else "name"
        for name in names:
            for direction in ("ASC", "DESC"):
                query = f"{{ {kind}(first: 100, ordering: [{{{name}: {direction}}}]) {{ edges {{ node {{ {label} }} }} }} }}"
                found[f"{kind} by {name} {direction}"] = _post(admin, query)
        for where in FILTERS[kind]:
            found[f"{kind} where {where}"] = _post(
                admin, f"{{ {kind}(first: 100, filters: {where}) {{ totalCount }} }}"
            )
    for measure in MEASURES:
        for group in GROUPINGS if measure in JOB_MEASURES else GROUPINGS[:-1]:
            key = "" if group in ("CUSTOMER", "PROJECT") else "key"  # ids differ between the databases
            found[f"dashboard {measure} {group}"] = _post(
                admin, DASHBOARD % key, {"input": {"measure": measure, "groupBy": group}}
            )
    ranged = {"measure": "MARGIN", "groupBy": "MONTH", "start": "2026-02-01", "end": "2026-03-31"}
    found["dashboard range"] = _post(admin, DASHBOARD % "key", {"input": ranged})
    filtered = {
        "measure": "COST",
        "groupBy": "ORDER_KIND",
        "currency": "USD",
        "filters": {"marginPercent": {"gt": "50"}},
    }
    found["dashboard filtered"] = _post(admin, DASHBOARD % "key", {"input": filtered})
    for days in (0, 20, 100):
        as_of = (today + timedelta(days=days)).isoformat()
        found[f"aging +{days}"] = _post(admin, AGING, {"asOf": as_of})
    found["aging EUR"] = _post(admin, AGING, {"currency": "EUR"})
    for name in ("projects", "parties"):
        found[f"viewer {name}"] = _post(viewer, LISTS[name])
    found["viewer aging"] = _post(viewer, AGING, {"asOf": (today + timedelta(days=20)).isoformat()})
    found["viewer dashboard"] = _post(
        viewer, DASHBOARD % "key", {"input": {"measure": "REVENUE", "groupBy": "MONTH"}}
    )
    found["orders.csv"] = _csv(admin, "/exports/orders.csv", ordering=[{"margin": "DESC"}])
    found["orders.csv filtered"] = _csv(admin, "/exports/orders.csv", filters={"marginPercent": {"gt": "10"}})
    found["job-costs.csv"] = _csv(admin, "/exports/job-costs.csv", ordering=[{"amount": "DESC"}])
    return found


def main(out: str) -> None:
    """On the configured SQLite database (set up by the caller): tables, books, answers to `out`."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    assert connection.vendor == "sqlite", connection.vendor
    settings.MIGRATION_MODULES = _NoMigrations()
    call_command("migrate", run_syncdb=True, verbosity=0)
    with open(out, "w") as file:
        json.dump(answers(*build()), file)


class _NoMigrations(dict):
    """Every app without migrations: `migrate --run-syncdb` creates the tables from the models."""

    def __contains__(self, app_label) -> bool:
        return True

    def __getitem__(self, app_label):
        return None
