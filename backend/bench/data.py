"""The benchmark data set, written with set-based SQL (`INSERT … SELECT generate_series`).

At scale 1: 1,000 projects × 10 orders × 3 jobs × (5 job costs, 4 tasks × 2 time entries), one
order part with two items and two shipments per order, the parties they name, a superuser and a
benchmark user with object grants (view on half the projects through a group, view on a tenth of
the orders directly), and noise grants for 200 other users. Every value derives from the row's
number and the seed, so the same seed on an empty database gives the same rows. Derived values are
stored as the services compute them: item, part and order totals, job cost amounts (quantity ×
unit cost, rounded to the currency), task actual hours (the sum of its time entries).
PostgreSQL only.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

from backend.common.money import CURRENCY_MINOR_UNITS
from backend.orders.models import Order
from backend.projects.models import Project
from backend.work.models import Job
from permissions import scale as scale_loader
from permissions.models import group_table, user_table

from . import grants

PROJECTS_AT_SCALE_1 = 1000
ORDERS_PER_PROJECT = 10
JOBS_PER_ORDER = 3
COSTS_PER_JOB = 5
TASKS_PER_JOB = 4
ENTRIES_PER_TASK = 2
SHIPMENTS_PER_ORDER = 2
ITEMS_PER_ORDER = 2
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CHF")
PREFIX = "BENCH-"
DAY0 = "DATE '2026-01-05'"
TIME0 = "TIMESTAMPTZ '2026-01-05 08:00:00+00'"


@dataclass(frozen=True)
class Scale:
    factor: float = 1.0
    seed: int = 1

    @property
    def projects(self) -> int:
        return max(1, round(PROJECTS_AT_SCALE_1 * self.factor))

    @property
    def orders(self) -> int:
        return self.projects * ORDERS_PER_PROJECT

    @property
    def jobs(self) -> int:
        return self.orders * JOBS_PER_ORDER

    @property
    def customers(self) -> int:
        return max(2, self.projects // 10)

    @property
    def employees(self) -> int:
        return max(4, self.projects // 10)

    def expected_rows(self) -> dict[str, int]:
        return {
            "projects": self.projects,
            "orders": self.orders,
            "order_parts": self.orders,
            "order_items": self.orders * ITEMS_PER_ORDER,
            "jobs": self.jobs,
            "job_costs": self.jobs * COSTS_PER_JOB,
            "tasks": self.jobs * TASKS_PER_JOB,
            "time_entries": self.jobs * TASKS_PER_JOB * ENTRIES_PER_TASK,
            "shipments": self.orders * SHIPMENTS_PER_ORDER,
            "bench_project_grants": self.projects // 2,
            "bench_order_grants": max(1, self.orders // 10),
        }


def _mix(expr: str, salt: int, seed: int) -> str:
    """A deterministic spread of a row number over 0…1,000,002 (bigint arithmetic)."""
    return f"((({expr}) * 2654435761 + {int(seed)} * 40503 + {salt} * 97) %% 1000003)"


def _pick(values: tuple[str, ...], expr: str) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"(ARRAY[{quoted}])[1 + ({expr}) %% {len(values)}]"


def _money(minor_units: str, minor: str) -> str:
    """An amount of whole minor units, valid for the currency (no extra decimals)."""
    return f"round(({minor_units})::numeric / (10::numeric ^ {minor}), {minor})"


class Loader(scale_loader.Loader):
    """Writes the data set in one transaction, one statement per table (the steps, timing and row
    tally of the permission-scale loader, with a data set of its own)."""

    def __init__(self, scale: Scale, log: Callable[[str], None] = lambda _: None):
        super().__init__(scale, log)
        self._temp: list[str] = []

    def mix(self, expr: str, salt: int) -> str:
        return _mix(expr, salt, self.scale.seed)

    def run(self) -> scale_loader.LoadResult:
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            self.cursor = cursor
            # bulk statements may run longer than a request's statement timeout
            cursor.execute("SET LOCAL statement_timeout = 0")
            self.user_ids = {"superuser": None, "bench": None}
            for name, step in (
                ("parties", self._parties),
                ("projects", self._projects),
                ("orders", self._orders),
                ("order parts", self._parts),
                ("order items", self._items),
                ("totals", self._totals),
                ("jobs", self._jobs),
                ("job costs", self._costs),
                ("tasks", self._tasks),
                ("time entries", self._entries),
                ("task hours", self._task_hours),
                ("shipments", self._shipments),
                ("users", lambda: grants.users(self)),
                ("bench grants", lambda: grants.bench_grants(self)),
                ("noise grants", lambda: grants.noise_grants(self)),
            ):
                self._step(name, step)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name in self._temp:
                cursor.execute(f"DROP TABLE {name}")
        # VACUUM sets the visibility map as well; inside a transaction only ANALYZE can run.
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
            self._step(statement.lower(), lambda: cursor.execute(statement))
        self.result.seconds = time.perf_counter() - started
        return self.result

    def _keep_rows(self, name: str, columns: str, insert_sql: str, returning: str, params=()) -> None:
        """Run an INSERT and keep the new ids with extra columns, numbered from 0 by id, in a temp table."""
        table = f"bench_{name}"
        self.cursor.execute(f"DROP TABLE IF EXISTS {table}")
        self.cursor.execute(
            f"CREATE TEMP TABLE {table} (n bigint PRIMARY KEY, id bigint NOT NULL, {columns})"
        )
        self._temp = [*self._temp, table]
        names = ", ".join(column.split()[0] for column in columns.split(", "))
        self._insert(
            name,
            f"WITH ins AS ({insert_sql} RETURNING id, {returning}) "
            f"INSERT INTO {table} (n, id, {names}) SELECT row_number() OVER (ORDER BY id) - 1, * FROM ins",
            params,
        )

    # ------------------------------------------------------------------ parties and projects

    def _party_set(self, name: str, kind: str, role: str, count: int, label: str) -> None:
        self._keep_rows(
            name,
            "role text",
            "INSERT INTO parties_party (created_at, updated_at, version, kind, name, disabled)"
            f" SELECT {TIME0}, {TIME0}, 1, %s, %s || ' ' || g, false FROM generate_series(1, %s) g ORDER BY g",
            "%s::text",
            [kind, label, count, role],
        )
        self._insert(
            "party_roles",
            f"INSERT INTO parties_partyrole (party_id, role) SELECT id, role FROM bench_{name}",
        )

    def _parties(self) -> None:
        s = self.scale
        self.cursor.execute("DROP TABLE IF EXISTS bench_currencies")
        self.cursor.execute("CREATE TEMP TABLE bench_currencies (i int PRIMARY KEY, code text, minor int)")
        self._temp = ["bench_currencies"]
        for i, code in enumerate(CURRENCIES):
            self.cursor.execute(
                "INSERT INTO bench_currencies VALUES (%s, %s, %s)", [i, code, CURRENCY_MINOR_UNITS[code]]
            )
        self._party_set("internal", "ORGANIZATION", "INTERNAL", 1, "Bench company")
        self._party_set("customers", "ORGANIZATION", "CUSTOMER", s.customers, "Customer")
        self._party_set("employees", "PERSON", "EMPLOYEE", s.employees, "Employee")
        self._party_set("carriers", "ORGANIZATION", "CARRIER", 4, "Carrier")
        self.result.inserted["parties"] = sum(self.result.inserted.pop(k) for k in self._party_labels())

    def _party_labels(self):
        return ("internal", "customers", "employees", "carriers")

    def _projects(self) -> None:
        m = self.mix
        budget = m("g", 2)
        self._keep_rows(
            "projects",
            "customer_id bigint, currency text, minor int",
            "INSERT INTO projects_project (created_at, updated_at, version, code, name, description, status,"
            " budget, currency, start_date, end_date, customer_id, internal_org_id)"
            f" SELECT {TIME0}, {TIME0}, 1, '{PREFIX}' || g, 'Project ' || g, '',"
            f" {_pick(('PLANNING', 'APPROVED', 'IN_PROGRESS', 'COMPLETE'), m('g', 1))},"
            f" {_money(f'100000 + {budget} * 100', 'c.minor')}, c.code,"
            f" {DAY0} + (g %% 90)::int, {DAY0} + (g %% 90)::int + 180, cu.id, i.id"
            " FROM generate_series(0, %s - 1) g"
            f" JOIN bench_currencies c ON c.i = {m('g', 3)} %% {len(CURRENCIES)}"
            " JOIN bench_customers cu ON cu.n = g %% %s CROSS JOIN bench_internal i ORDER BY g",
            "customer_id, currency, (SELECT minor FROM bench_currencies WHERE code = currency)",
            [self.scale.projects, self.scale.customers],
        )

    # ------------------------------------------------------------------ orders

    def _orders(self) -> None:
        m = self.mix
        n = f"(p.n * {ORDERS_PER_PROJECT} + g)"
        status = _pick(("OPEN", "PLACED", "PROCESSING", "APPROVED", "COMPLETED"), m(n, 4))
        self._keep_rows(
            "orders",
            "currency text, minor int, customer_id bigint",
            "INSERT INTO orders_order (created_at, updated_at, version, number, name, project_id, customer_id,"
            " vendor_id, kind, currency, status, entered_at, placed_at, approved_at, completed_at, total)"
            f" SELECT {TIME0}, {TIME0}, 1, '{PREFIX}' || {n}, 'Order ' || {n}, p.id, p.customer_id, i.id,"
            f" 'SALES', p.currency, s.status, {TIME0} + {n} * interval '1 minute',"
            f" CASE WHEN s.status <> 'OPEN' THEN {TIME0} + {n} * interval '1 minute' + interval '1 day' END,"
            f" CASE WHEN s.status IN ('APPROVED', 'COMPLETED') THEN {TIME0} + {n} * interval '1 minute'"
            " + interval '2 days' END,"
            f" CASE WHEN s.status = 'COMPLETED' THEN {TIME0} + {n} * interval '1 minute' + interval '30 days' END,"
            " 0"
            f" FROM bench_projects p CROSS JOIN generate_series(0, {ORDERS_PER_PROJECT - 1}) g"
            f" CROSS JOIN LATERAL (SELECT {status} AS status) s CROSS JOIN bench_internal i ORDER BY p.n, g",
            "currency, (SELECT minor FROM bench_currencies WHERE code = currency), customer_id",
        )

    def _parts(self) -> None:
        self._keep_rows(
            "order_parts",
            "order_id bigint",
            "INSERT INTO orders_orderpart (created_at, updated_at, version, order_id, name, status,"
            " ship_to_address, total)"
            f" SELECT {TIME0}, {TIME0}, 1, o.id, 'Main', 'OPEN', '', 0 FROM bench_orders o ORDER BY o.n",
            "order_id",
        )

    def _items(self) -> None:
        m = self.mix
        n = f"(o.n * {ITEMS_PER_ORDER} + g)"
        self._insert(
            "order_items",
            "INSERT INTO orders_orderitem (created_at, updated_at, version, order_id, part_id, description,"
            " quantity, unit_price, total)"
            f" SELECT {TIME0}, {TIME0}, 1, o.id, pt.id, 'Line ' || (g + 1), q.quantity, q.price,"
            " round(q.quantity * q.price, o.minor)"
            f" FROM bench_orders o JOIN bench_order_parts pt ON pt.n = o.n"
            f" CROSS JOIN generate_series(0, {ITEMS_PER_ORDER - 1}) g"
            f" CROSS JOIN LATERAL (SELECT (1 + {m(n, 5)} %% 12)::numeric AS quantity,"
            f" {_money(f'500 + {m(n, 6)} %% 200000', 'o.minor')} AS price) q ORDER BY o.n, g",
        )

    def _totals(self) -> None:
        self.cursor.execute(
            "UPDATE orders_orderpart pt SET total = s.total FROM (SELECT i.part_id, sum(i.total) AS total"
            " FROM orders_orderitem i JOIN bench_order_parts b ON b.id = i.part_id GROUP BY i.part_id) s"
            " WHERE pt.id = s.part_id"
        )
        self.cursor.execute(
            "UPDATE orders_order o SET total = s.total FROM (SELECT i.order_id, sum(i.total) AS total"
            " FROM orders_orderitem i JOIN bench_orders b ON b.id = i.order_id GROUP BY i.order_id) s"
            " WHERE o.id = s.order_id"
        )

    # ------------------------------------------------------------------ work

    def _jobs(self) -> None:
        m = self.mix
        n = f"(o.n * {JOBS_PER_ORDER} + g)"
        self._keep_rows(
            "jobs",
            "currency text, minor int",
            "INSERT INTO work_job (created_at, updated_at, version, order_id, kind, name, status, budgeted_cost,"
            " budgeted_revenue, budgeted_hours, start_date, end_date)"
            f" SELECT {TIME0}, {TIME0}, 1, o.id, {_pick(('STANDARD', 'ORDER', 'PRODUCTION'), 'g')},"
            f" 'Job ' || {n}, {_pick(('PLANNING', 'APPROVED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETE'), m(n, 7))},"
            f" {_money(f'20000 + {m(n, 8)} * 10', 'o.minor')}, {_money(f'40000 + {m(n, 9)} * 20', 'o.minor')},"
            f" (4 + {m(n, 10)} %% 160) * 0.25, {DAY0} + ({n} %% 120)::int, {DAY0} + ({n} %% 120)::int + 30"
            f" FROM bench_orders o CROSS JOIN generate_series(0, {JOBS_PER_ORDER - 1}) g ORDER BY o.n, g",
            "(SELECT currency FROM orders_order WHERE id = order_id),"
            " (SELECT c.minor FROM orders_order o JOIN bench_currencies c ON c.code = o.currency"
            " WHERE o.id = order_id)",
        )

    def _costs(self) -> None:
        m = self.mix
        n = f"(j.n * {COSTS_PER_JOB} + g)"
        self._insert(
            "job_costs",
            "INSERT INTO work_jobcost (created_at, updated_at, version, job_id, kind, description, quantity,"
            " unit_cost, amount, currency, billable, approval_status, party_id, incurred_on)"
            f" SELECT {TIME0}, {TIME0}, 1, j.id, {_pick(('MATERIAL', 'EXPENSE', 'PURCHASE'), 'g')},"
            f" 'Cost ' || {n}, v.quantity, v.unit_cost, round(v.quantity * v.unit_cost, j.minor), j.currency,"
            f" {m(n, 11)} %% 5 <> 0, {_pick(('PENDING', 'APPROVED', 'APPROVED', 'REJECTED'), m(n, 12))},"
            f" e.id, {DAY0} + ({n} %% 200)::int"
            f" FROM bench_jobs j CROSS JOIN generate_series(0, {COSTS_PER_JOB - 1}) g"
            f" CROSS JOIN LATERAL (SELECT (1 + {m(n, 13)} %% 40) * 0.25 AS quantity,"
            f" (100 + {m(n, 14)} %% 500000) * 0.001 AS unit_cost) v"
            f" JOIN bench_employees e ON e.n = {n} %% {self.scale.employees} ORDER BY j.n, g",
        )

    def _tasks(self) -> None:
        m = self.mix
        n = f"(j.n * {TASKS_PER_JOB} + g)"
        self._keep_rows(
            "tasks",
            "currency text",
            "INSERT INTO work_task (created_at, updated_at, version, job_id, title, description, status,"
            " priority, assignee_id, due_date, estimated_hours, actual_hours)"
            f" SELECT {TIME0}, {TIME0}, 1, j.id, 'Task ' || {n}, '',"
            f" {_pick(('PLANNING', 'IN_PROGRESS', 'COMPLETE', 'CLOSED'), m(n, 15))},"
            f" (ARRAY[1, 3, 5, 7, 9])[1 + {m(n, 16)} %% 5], e.id, {DAY0} + ({n} %% 150)::int,"
            f" (2 + {m(n, 17)} %% 40) * 0.5, 0"
            f" FROM bench_jobs j CROSS JOIN generate_series(0, {TASKS_PER_JOB - 1}) g"
            f" JOIN bench_employees e ON e.n = {n} %% {self.scale.employees} ORDER BY j.n, g",
            "(SELECT o.currency FROM work_job jj JOIN orders_order o ON o.id = jj.order_id WHERE jj.id = job_id)",
        )

    def _entries(self) -> None:
        m = self.mix
        n = f"(t.n * {ENTRIES_PER_TASK} + g)"
        self._insert(
            "time_entries",
            "INSERT INTO work_timeentry (created_at, updated_at, version, task_id, party_id, from_at, thru_at,"
            " hours, break_hours, cost_rate, bill_rate, currency, billable, comments)"
            f" SELECT {TIME0}, {TIME0}, 1, t.id, e.id, v.from_at,"
            " v.from_at + (v.hours + v.break_hours)::float8 * interval '1 hour', v.hours, v.break_hours,"
            f" (2000 + {m(n, 18)} %% 6000) * 0.01, (5000 + {m(n, 19)} %% 9000) * 0.01, t.currency,"
            f" {m(n, 20)} %% 4 <> 0, ''"
            f" FROM bench_tasks t CROSS JOIN generate_series(0, {ENTRIES_PER_TASK - 1}) g"
            f" CROSS JOIN LATERAL (SELECT {TIME0} + ({n} %% 20000) * interval '1 hour' AS from_at,"
            f" (1 + {m(n, 21)} %% 32) * 0.25 AS hours, CASE WHEN {m(n, 22)} %% 3 = 0 THEN 0.5 ELSE 0 END"
            " AS break_hours) v"
            f" JOIN bench_employees e ON e.n = {n} %% {self.scale.employees} ORDER BY t.n, g",
        )

    def _task_hours(self) -> None:
        self.cursor.execute(
            "UPDATE work_task t SET actual_hours = s.hours FROM (SELECT e.task_id, sum(e.hours) AS hours"
            " FROM work_timeentry e JOIN bench_tasks b ON b.id = e.task_id GROUP BY e.task_id) s"
            " WHERE t.id = s.task_id"
        )

    def _shipments(self) -> None:
        m = self.mix
        n = f"(o.n * {SHIPMENTS_PER_ORDER} + g)"
        shipped = f"{TIME0} + ({n} %% 5000) * interval '1 hour'"
        self._insert(
            "shipments",
            "INSERT INTO shipping_shipment (created_at, updated_at, version, kind, status, from_party_id,"
            " to_party_id, carrier_id, tracking_code, estimated_ship_date, estimated_arrival_date,"
            " shipped_at, delivered_at, cost, currency, order_id)"
            f" SELECT {TIME0}, {TIME0}, 1, 'OUTGOING', s.status, i.id, o.customer_id, c.id, 'TRK' || {n},"
            f" {DAY0} + ({n} %% 200)::int, {DAY0} + ({n} %% 200)::int + 3,"
            f" CASE WHEN s.status IN ('SHIPPED', 'DELIVERED') THEN {shipped} END,"
            f" CASE WHEN s.status = 'DELIVERED' THEN {shipped} + interval '2 days' END,"
            f" {_money(f'1000 + {m(n, 23)} %% 50000', 'o.minor')}, o.currency, o.id"
            f" FROM bench_orders o CROSS JOIN generate_series(0, {SHIPMENTS_PER_ORDER - 1}) g"
            f" CROSS JOIN LATERAL (SELECT {_pick(('INPUT', 'SCHEDULED', 'PACKED', 'SHIPPED', 'DELIVERED'), m(n, 24))}"
            " AS status) s"
            " CROSS JOIN bench_internal i JOIN bench_carriers c ON c.n = o.n %% 4 ORDER BY o.n, g",
        )


def loaded() -> bool:
    return Project.objects.filter(code__startswith=PREFIX).exists()


COUNTED_TABLES = {
    "projects": "projects_project",
    "orders": "orders_order",
    "order_parts": "orders_orderpart",
    "order_items": "orders_orderitem",
    "jobs": "work_job",
    "job_costs": "work_jobcost",
    "tasks": "work_task",
    "time_entries": "work_timeentry",
    "shipments": "shipping_shipment",
    "parties": "parties_party",
    "users": "auth_user",
}


def row_counts() -> dict[str, int]:
    """Rows in the data set's tables as the database holds them, and object grants on the three
    guarded levels the benchmark reads through (projects, orders, jobs)."""
    grant_tables = [
        t(model)._meta.db_table for model in (Project, Order, Job) for t in (user_table, group_table)
    ]
    counts = {}
    with connection.cursor() as cursor:
        for label, table in COUNTED_TABLES.items():
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[label] = cursor.fetchone()[0]
        cursor.execute("SELECT " + " + ".join(f"(SELECT count(*) FROM {t})" for t in grant_tables))
        counts["object_grants"] = cursor.fetchone()[0]
    return counts
