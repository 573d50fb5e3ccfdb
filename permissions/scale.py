"""Load a large permission set with set-based SQL and measure the visibility filter against it.

Used by `manage.py permissions_scale`. PostgreSQL only: the loader writes with
`INSERT … SELECT generate_series(…)` and the measurements read `EXPLAIN (ANALYZE, BUFFERS)`.
"""

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import get_objects_for_user

from backend.orders.models import Order
from backend.parties.models import Party, PartyKind, PartyRole, RoleKind
from backend.projects.models import Project
from backend.work.models import Job

from .models import group_table, user_table
from .visibility import visible

ACTIONS = ("view", "change", "delete", "manage")
# Strides for spreading a holder's grants over the objects; one that does not divide the
# object count visits every object once before repeating.
STRIDES = (7919, 104_729, 1_299_709, 15_485_863)
# Noise grants, by direct table: (model, holder kind, share of the noise rows).
NOISE_SHARES: tuple[tuple[type[Model], str, float], ...] = (
    (Job, "user", 0.40),
    (Job, "group", 0.20),
    (Order, "user", 0.15),
    (Order, "group", 0.10),
    (Project, "user", 0.10),
    (Project, "group", 0.05),
)
# A scan that reads this many rows (or four times the rows the user sees, if more), or a sequential
# scan of a table that large, means the plan is not driven by the grant rows.
WASTE_THRESHOLD = 10_000
NESTED_QUERY = (
    "{ projects(first: 20) { edges { node { orders(first: 10) { edges { node {"
    " jobs(first: 10) { edges { node { id name } } } } } } } } } }"
)


@dataclass
class Scale:
    jobs: int = 200_000
    grants: int = 500_000
    orders_per_project: int = 10
    jobs_per_order: int = 10
    tasks_per_job: int = 1
    noise_holders: int = 200
    bench_user: str = "bench"
    bench_jobs: int = 300
    bench_orders: int = 50
    bench_projects: int = 20

    @property
    def projects(self) -> int:
        return max(1, self.jobs // (self.orders_per_project * self.jobs_per_order))

    @property
    def orders(self) -> int:
        return self.projects * self.orders_per_project

    @property
    def job_rows(self) -> int:
        return self.orders * self.jobs_per_order

    def bench_counts(self) -> dict[str, int]:
        """The measured user's grants, at most a third of each table (room for 'more' grants)."""
        return {
            "jobs_direct": min(self.bench_jobs, self.job_rows // 3),
            "orders_through_group": min(self.bench_orders, self.orders // 3),
            "projects_direct": min(self.bench_projects, self.projects // 3),
        }


@dataclass
class LoadResult:
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)
    inserted: dict[str, int] = field(default_factory=dict)


def _stride(count: int) -> int:
    return next(s for s in STRIDES if count % s) % max(count, 1) or 1


class Loader:
    """Writes the data set in one transaction, one statement per table."""

    def __init__(self, scale: Scale, log: Callable[[str], None]):
        self.scale = scale
        self.log = log
        self.result = LoadResult()

    def run(self) -> LoadResult:
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            self.cursor = cursor
            self._step("parties", self._parties)
            self._step("users and groups", self._holders)
            self._step("projects", self._projects)
            self._step("orders", self._orders)
            self._step("jobs", self._jobs)
            if self.scale.tasks_per_job:
                self._step("tasks", self._tasks)
            self._step("bench grants", self._bench_grants)
            self._step("noise grants", self._noise_grants)
            self._step("constraints", lambda: cursor.execute("SET CONSTRAINTS ALL IMMEDIATE"))
            for name in ("users", "groups", "projects", "orders", "jobs"):
                cursor.execute(f"DROP TABLE scale_{name}")
        # VACUUM sets the visibility map (index-only scans without heap fetches) so autovacuum does
        # not do it halfway through the measurements; inside a transaction only ANALYZE can run.
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            self.cursor = cursor
            self._step(statement.lower(), lambda: cursor.execute(statement))
        self.result.seconds = time.perf_counter() - started
        return self.result

    def _step(self, name: str, fn: Callable[[], None]) -> None:
        started = time.perf_counter()
        fn()
        self.result.steps[name] = time.perf_counter() - started
        self.log(f"  {name:<18} {self.result.steps[name]:7.2f}s")

    def _insert(self, label: str, sql: str, params=()) -> None:
        self.cursor.execute(sql, params)
        self.result.inserted[label] = self.result.inserted.get(label, 0) + self.cursor.rowcount

    def _keep(self, name: str, insert_sql: str, params=()) -> None:
        """Run an `INSERT … RETURNING id` and keep the new ids, numbered from 0, in a temp table."""
        self.cursor.execute(f"DROP TABLE IF EXISTS scale_{name}")
        self.cursor.execute(f"CREATE TEMP TABLE scale_{name} (n bigint PRIMARY KEY, id bigint NOT NULL)")
        self._insert(
            name,
            f"WITH ins AS ({insert_sql} RETURNING id) "
            f"INSERT INTO scale_{name} SELECT row_number() OVER (ORDER BY id) - 1, id FROM ins",
            params,
        )

    def _parties(self) -> None:
        self.internal = Party.objects.create(kind=PartyKind.ORGANIZATION, name="Scale internal org")
        self.customer = Party.objects.create(kind=PartyKind.ORGANIZATION, name="Scale customer")
        PartyRole.objects.bulk_create(
            [
                PartyRole(party=self.internal, role=RoleKind.INTERNAL),
                PartyRole(party=self.customer, role=RoleKind.CUSTOMER),
            ]
        )
        self.result.inserted["parties"] = 2

    def _holders(self) -> None:
        s = self.scale
        user_model = get_user_model()
        self.bench = user_model.objects.create_user(s.bench_user)
        self.bench_group = Group.objects.create(name=f"{s.bench_user}-team")
        self.bench.groups.add(self.bench_group)
        self.result.inserted["users"] = 1
        self.result.inserted["groups"] = 1
        self.result.inserted["memberships"] = 1
        holders = s.noise_holders
        self._keep(
            "users",
            f"INSERT INTO {user_model._meta.db_table} (password, is_superuser, username, first_name,"
            " last_name, email, is_staff, is_active, date_joined)"
            " SELECT '!', false, 'scale-user-' || g, '', '', '', false, true, now()"
            " FROM generate_series(0, %s - 1) g",
            [holders],
        )
        self._keep(
            "groups",
            "INSERT INTO auth_group (name) SELECT 'scale-group-' || g FROM generate_series(0, %s - 1) g",
            [holders],
        )
        self._insert(
            "memberships",
            "INSERT INTO auth_user_groups (user_id, group_id) SELECT u.id, g.id FROM scale_users u"
            " JOIN scale_groups g ON g.n = u.n %% %s OR g.n = (u.n * 7 + 3) %% %s",
            [holders, holders],
        )
        self.result.inserted["users"] += holders
        self.result.inserted["groups"] += holders

    def _projects(self) -> None:
        self._keep(
            "projects",
            "INSERT INTO projects_project (created_at, updated_at, version, code, name, description,"
            " status, currency, customer_id, internal_org_id)"
            " SELECT now(), now(), 1, 'SCALE-' || g, 'Scale project ' || g, '', 'PLANNING', 'USD', %s, %s"
            " FROM generate_series(0, %s - 1) g ORDER BY g",
            [self.customer.pk, self.internal.pk, self.scale.projects],
        )

    def _orders(self) -> None:
        self._keep(
            "orders",
            "INSERT INTO orders_order (created_at, updated_at, version, number, name, kind, currency,"
            " status, entered_at, total, customer_id, vendor_id, project_id)"
            " SELECT now(), now(), 1, 'SCALE-' || (p.n * %s + g), '', 'SALES', 'USD', 'OPEN', now(), 0,"
            " %s, %s, p.id FROM scale_projects p CROSS JOIN generate_series(0, %s - 1) g ORDER BY p.n, g",
            [
                self.scale.orders_per_project,
                self.customer.pk,
                self.internal.pk,
                self.scale.orders_per_project,
            ],
        )

    def _jobs(self) -> None:
        self._keep(
            "jobs",
            "INSERT INTO work_job (created_at, updated_at, version, kind, name, status, budgeted_cost,"
            " budgeted_revenue, budgeted_hours, order_id)"
            " SELECT now(), now(), 1, 'STANDARD', 'Job ' || (o.n * %s + g), 'PLANNING', 0, 0, 0, o.id"
            " FROM scale_orders o CROSS JOIN generate_series(0, %s - 1) g ORDER BY o.n, g",
            [self.scale.jobs_per_order, self.scale.jobs_per_order],
        )

    def _tasks(self) -> None:
        self._insert(
            "tasks",
            "INSERT INTO work_task (created_at, updated_at, version, title, description, status,"
            " priority, actual_hours, job_id)"
            " SELECT now(), now(), 1, 'Task ' || g, '', 'PLANNING', 5, 0, j.id"
            " FROM scale_jobs j CROSS JOIN generate_series(0, %s - 1) g ORDER BY j.n, g",
            [self.scale.tasks_per_job],
        )

    def _spread(self, table: str, holder_column: str, holder_id: int, perm: int, objects: str, count: int):
        """`count` grants of one permission to one holder, spread evenly over the objects."""
        total = f"(SELECT count(*) FROM scale_{objects})"
        self._insert(
            table,
            f"INSERT INTO {table} ({holder_column}, permission_id, content_object_id)"
            f" SELECT %s, %s, o.id FROM generate_series(0, %s - 1) k"
            f" JOIN scale_{objects} o ON o.n = (k * {total} / %s + 7) %% {total}",
            [holder_id, perm, count, count],
        )

    def _bench_grants(self) -> None:
        counts = self.scale.bench_counts()
        self._spread(
            user_table(Job)._meta.db_table,
            "user_id",
            self.bench.pk,
            permission_pk(Job, "view"),
            "jobs",
            counts["jobs_direct"],
        )
        self._spread(
            group_table(Order)._meta.db_table,
            "group_id",
            self.bench_group.pk,
            permission_pk(Order, "view"),
            "orders",
            counts["orders_through_group"],
        )
        self._spread(
            user_table(Project)._meta.db_table,
            "user_id",
            self.bench.pk,
            permission_pk(Project, "view"),
            "projects",
            counts["projects_direct"],
        )

    def _noise_grants(self) -> None:
        s = self.scale
        noise = max(0, s.grants - sum(s.bench_counts().values()))
        sizes = {Job: s.job_rows, Order: s.orders, Project: s.projects}
        objects = {Job: "jobs", Order: "orders", Project: "projects"}
        wanted = [int(noise * share) for _, _, share in NOISE_SHARES]
        wanted[0] += noise - sum(wanted)
        for (model, holder, _), count in zip(NOISE_SHARES, wanted, strict=True):
            size = sizes[model]
            # each holder gets each (object, action) pair at most once
            rows = min(count, s.noise_holders * size * len(ACTIONS))
            if not rows:
                continue
            table = (user_table if holder == "user" else group_table)(model)._meta.db_table
            perms = [permission_pk(model, action) for action in ACTIONS]
            # row i: holder h = i mod H, k = i div H; object (r·stride + 7h) mod M with r = k mod M,
            # action (k div M + r + h) mod 4: distinct (object, action) pairs for one holder.
            self._insert(
                table,
                f"INSERT INTO {table} ({holder}_id, permission_id, content_object_id)"
                f" SELECT h.id, (%s::int[])[1 + (s.q + s.r + s.h) %% 4], o.id"
                f" FROM (SELECT i %% %s AS h, (i / %s) %% %s AS r, (i / %s) / %s AS q"
                f"       FROM generate_series(0::bigint, %s - 1) i) s"
                f" JOIN scale_{holder}s h ON h.n = s.h"
                f" JOIN scale_{objects[model]} o ON o.n = (s.r * %s + s.h * 7) %% %s",
                [perms, *(s.noise_holders,) * 2, size, s.noise_holders, size, rows, _stride(size), size],
            )


def permission_pk(model: type[Model], action: str) -> int:
    content_type = ContentType.objects.get_for_model(model)
    return Permission.objects.get(content_type=content_type, codename=f"{action}_{model._meta.model_name}").pk


# ---------------------------------------------------------------- measuring


@dataclass
class Timed:
    median_ms: float
    runs_ms: list[float]
    result: object
    sql: tuple[str, tuple] | None


def timed(fn: Callable[[], object], runs: int) -> Timed:
    """One untimed run (its result and last SQL statement kept), then the median of `runs` runs."""
    seen: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return Timed(statistics.median(times), times, result, seen[-1] if seen else None)


def compiled(queryset: QuerySet) -> tuple[str, tuple]:
    """The SQL Django generates, without running it."""
    return queryset.query.get_compiler(using=queryset.db).as_sql()


def _walk(node: dict, found: list[dict]) -> None:
    loops = node.get("Actual Loops", 1)
    found.append(
        {
            "node": node["Node Type"],
            "relation": node.get("Relation Name"),
            "index": node.get("Index Name"),
            "rows": node.get("Actual Rows", 0) * loops,
            "removed_by_filter": node.get("Rows Removed by Filter", 0) * loops,
            "removed_by_index_recheck": node.get("Rows Removed by Index Recheck", 0) * loops,
            "loops": loops,
        }
    )
    for child in node.get("Plans", ()):
        _walk(child, found)


def table_sizes() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class"
            " WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        )
        return dict(cursor.fetchall())


def explain(sql: str, params, sizes: dict[str, int], expected_rows: int = 0) -> dict:
    """`EXPLAIN (ANALYZE, BUFFERS)` as text, plus a check of the JSON plan for wasted reads."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        text = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
        (document,) = cursor.fetchone()
    plan = (document if isinstance(document, list) else json.loads(document))[0]
    nodes: list[dict] = []
    _walk(plan["Plan"], nodes)
    scans = [n for n in nodes if n["relation"]]
    # a scan may read what the user sees (and a few times that, through several paths), not more
    limit = max(WASTE_THRESHOLD, 4 * expected_rows)
    problems = []
    for n in scans:
        size = sizes.get(n["relation"], 0)
        read = n["rows"] + n["removed_by_filter"] + n["removed_by_index_recheck"]
        if n["node"] == "Seq Scan" and size >= limit:
            problems.append(
                f"Seq Scan on {n['relation']} ({size:,} rows): read {read:,},"
                f" {n['removed_by_filter']:,} removed by filter, {n['rows']:,} kept"
            )
        elif read >= limit:
            problems.append(
                f"{n['node']} on {n['relation']} ({n['index'] or 'no index'}): read {read:,},"
                f" {n['removed_by_filter']:,} removed by filter, {n['rows']:,} passed on"
            )
    return {
        "sql": connection.ops.compose_sql(sql, params) if params else sql,
        "text": text,
        "execution_ms": plan["Execution Time"],
        "planning_ms": plan["Planning Time"],
        "rows_read": sum(n["rows"] + n["removed_by_filter"] + n["removed_by_index_recheck"] for n in scans),
        "seq_scans": sorted({n["relation"] for n in scans if n["node"] == "Seq Scan"}),
        "problems": problems,
        "grant_driven": not problems,
    }


def measure_filter(
    rows: Callable[[], QuerySet], label: str, runs: int, sizes: dict[str, int]
) -> tuple[dict, list[int]]:
    """Plans and timings of one visibility filter; also the ids it returns."""
    listed = timed(lambda: list(rows().values_list("pk", flat=True)), runs)
    counted = timed(lambda: rows().count(), runs)
    built = timed(lambda: compiled(rows().values("pk")), runs)
    ids = listed.result
    report = {
        "model": label,
        "visible": counted.result,
        "distinct_ids": len(set(ids)) == len(ids) == counted.result,
        "explain_list": explain(*listed.sql, sizes, counted.result),
        "explain_count": explain(*counted.sql, sizes, counted.result),
        "list_median_ms": listed.median_ms,
        "list_min_ms": min(listed.runs_ms),
        "list_runs_ms": listed.runs_ms,
        "count_median_ms": counted.median_ms,
        "count_min_ms": min(counted.runs_ms),
        "count_runs_ms": counted.runs_ms,
        "build_and_compile_median_ms": built.median_ms,
    }
    return report, ids


def measure_visible(user, model: type[Model], runs: int, sizes: dict[str, int]) -> tuple[dict, list[int]]:
    return measure_filter(
        lambda: visible(user, model._default_manager.all(), "view"), model._meta.label, runs, sizes
    )


def measure_guardian(user, runs: int, sizes: dict[str, int]) -> dict:
    def rows() -> QuerySet:
        return get_objects_for_user(user, "work.view_job", klass=Job, accept_global_perms=True)

    counted = timed(lambda: rows().count(), runs)
    listed = timed(lambda: list(rows().values_list("pk", flat=True)), runs)
    return {
        "count": counted.result,
        "count_median_ms": counted.median_ms,
        "count_min_ms": min(counted.runs_ms),
        "count_runs_ms": counted.runs_ms,
        "list_median_ms": listed.median_ms,
        "list_min_ms": min(listed.runs_ms),
        "explain_count": explain(*counted.sql, sizes, counted.result),
    }


def run_nested(username: str) -> dict:
    """The nested query as one HTTP request would run it: a freshly loaded user, a new context."""
    from strawberry.django.context import StrawberryDjangoContext

    from schema.schema import schema

    user = get_user_model().objects.get(username=username)
    request = RequestFactory().post("/graphql/")
    request.user = user
    context = StrawberryDjangoContext(request=request, response=HttpResponse())
    statements: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(record):
        started = time.perf_counter()
        result = schema.execute_sync(NESTED_QUERY, context_value=context)
        elapsed = (time.perf_counter() - started) * 1000
    if result.errors:
        raise RuntimeError(f"The nested query failed: {result.errors}")
    projects = result.data["projects"]["edges"]
    orders = [o for p in projects for o in p["node"]["orders"]["edges"]]
    jobs = [j for o in orders for j in o["node"]["jobs"]["edges"]]
    return {
        "ms": elapsed,
        "statements": len(captured.captured_queries),
        "sql": [q["sql"] for q in captured.captured_queries],
        "statements_with_params": statements,
        "projects": len(projects),
        "orders": len(orders),
        "jobs": len(jobs),
    }


def measure_nested(username: str, runs: int, sizes: dict[str, int]) -> dict:
    run_nested(username)
    results = [run_nested(username) for _ in range(runs)]
    last = results[-1]
    plans = []
    for sql, params in last["statements_with_params"]:
        e = explain(sql, params, sizes, last["jobs"])
        plans.append(
            {k: e[k] for k in ("execution_ms", "planning_ms", "rows_read", "problems", "grant_driven")}
        )
    return {
        "statements": last["statements"],
        "statements_per_run": [r["statements"] for r in results],
        "median_ms": statistics.median(r["ms"] for r in results),
        "sql_ms": sum(p["execution_ms"] + p["planning_ms"] for p in plans),
        "projects": last["projects"],
        "orders": last["orders"],
        "jobs": last["jobs"],
        "sql": last["sql"],
        "plans": plans,
    }


def measure_nested_with_more_projects(user, extra: int, runs: int, sizes: dict[str, int]) -> dict:
    """The nested query after `extra` more project grants, rolled back afterwards."""
    table = user_table(Project)
    held = table.objects.filter(user=user).values("content_object_id")
    projects = list(Project.objects.exclude(pk__in=held).order_by("pk").values_list("pk", flat=True))
    step = max(1, len(projects) // max(extra, 1))
    chosen = projects[::step][:extra]
    view = permission_pk(Project, "view")
    with transaction.atomic():
        table.objects.bulk_create(
            [table(user=user, permission_id=view, content_object_id=pk) for pk in chosen]
        )
        visible_projects = visible(user, Project.objects.all()).count()
        nested = measure_nested(user.get_username(), runs, sizes)
        transaction.set_rollback(True)
    return {"granted": len(chosen), "visible_projects": visible_projects, **nested}
