"""manage.py permissions_scale: the visibility filter against a large permission set (PostgreSQL)."""

import json
import os
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from backend.orders.models import Order
from backend.projects.models import Project
from backend.work.models import Job, Task
from permissions.models import group_table, user_table
from permissions.scale import (
    NESTED_QUERY,
    NOISE_SHARES,
    WASTE_THRESHOLD,
    Loader,
    Scale,
    measure_guardian,
    measure_nested,
    measure_nested_with_more_projects,
    measure_visible,
    table_sizes,
)

MODELS = {"job": Job, "order": Order, "task": Task}


class Command(BaseCommand):
    help = (
        "Bulk-load projects, orders, jobs, tasks and about 500,000 object-permission rows with "
        "INSERT … SELECT generate_series, then measure the visibility filter for one user "
        "('bench'): EXPLAIN (ANALYZE, BUFFERS), median timings against guardian's "
        "get_objects_for_user, and the SQL statements of a nested GraphQL query. PostgreSQL only; "
        "meant for a throwaway database."
    )

    def add_arguments(self, parser):
        d = Scale()
        parser.add_argument(
            "--jobs", type=int, default=d.jobs, help="Jobs to load (rounded down to whole projects)."
        )
        parser.add_argument("--grants", type=int, default=d.grants, help="Object-permission rows in all.")
        parser.add_argument("--orders-per-project", type=int, default=d.orders_per_project)
        parser.add_argument("--jobs-per-order", type=int, default=d.jobs_per_order)
        parser.add_argument("--tasks-per-job", type=int, default=d.tasks_per_job, help="0 loads no tasks.")
        parser.add_argument(
            "--noise-holders", type=int, default=d.noise_holders, help="Other users, and as many groups."
        )
        parser.add_argument("--bench-user", default=d.bench_user, help="The measured user's name.")
        parser.add_argument(
            "--bench-jobs", type=int, default=d.bench_jobs, help="Direct view grants on jobs."
        )
        parser.add_argument(
            "--bench-orders", type=int, default=d.bench_orders, help="View grants on orders through a group."
        )
        parser.add_argument(
            "--bench-projects", type=int, default=d.bench_projects, help="Direct view grants on projects."
        )
        parser.add_argument(
            "--more-projects",
            type=int,
            default=20,
            help="Project grants added (then rolled back) to check the nested query's statement count.",
        )
        parser.add_argument("--runs", type=int, default=7, help="Timed runs per measurement (median).")
        parser.add_argument("--nested-runs", type=int, default=3, help="Timed runs of the nested query.")
        parser.add_argument(
            "--measure-only", action="store_true", help="Measure data an earlier run loaded; load nothing."
        )
        parser.add_argument(
            "--models",
            default="job,order,task",
            help="Filters to measure, of job, order, task (job is always measured).",
        )
        parser.add_argument("--json", action="store_true", help="Print the numbers as JSON only.")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                f"permissions_scale needs PostgreSQL; this database is {connection.vendor}. "
                "Set DATABASE_URL, e.g. `.ci/with-postgres bash -c '.venv/bin/python manage.py migrate -v0 "
                "&& .venv/bin/python manage.py permissions_scale'`."
            )
        positive = ("jobs", "orders_per_project", "jobs_per_order", "runs", "nested_runs")
        if (
            any(options[name] < 1 for name in positive)
            or min(options["grants"], options["tasks_per_job"]) < 0
        ):
            raise CommandError(
                "--jobs, --orders-per-project, --jobs-per-order, --runs and --nested-runs must be positive; "
                "--grants and --tasks-per-job not negative."
            )
        scale = Scale(
            jobs=options["jobs"],
            grants=options["grants"],
            orders_per_project=options["orders_per_project"],
            jobs_per_order=options["jobs_per_order"],
            tasks_per_job=options["tasks_per_job"],
            noise_holders=max(1, options["noise_holders"]),
            bench_user=options["bench_user"],
            bench_jobs=options["bench_jobs"],
            bench_orders=options["bench_orders"],
            bench_projects=options["bench_projects"],
        )
        names = {name.strip().lower() for name in options["models"].split(",") if name.strip()} | {"job"}
        if unknown := names - set(MODELS):
            raise CommandError(
                f"--models: unknown {', '.join(sorted(unknown))}; choose from {', '.join(MODELS)}."
            )
        models = [model for name, model in MODELS.items() if name in names]
        self.as_json = options["json"]
        self.verbosity = options["verbosity"]
        self.progress = self.stderr if self.as_json else self.stdout
        users = get_user_model().objects
        loaded = users.filter(username=scale.bench_user).exists()

        report: dict = {"database": connection.settings_dict.get("NAME"), "scale": self._scale(scale)}
        if options["measure_only"]:
            if not loaded:
                raise CommandError(f"No user {scale.bench_user!r}: run without --measure-only first.")
        else:
            if loaded:
                raise CommandError(
                    f"User {scale.bench_user!r} already exists: load into a fresh database, "
                    "or pass --measure-only to measure what is there."
                )
            self.progress.write(
                f"Loading {scale.projects} projects, {scale.orders} orders, {scale.job_rows} jobs, "
                f"{scale.job_rows * scale.tasks_per_job} tasks, about {scale.grants} grants …"
            )
            result = Loader(scale, self.progress.write).run()
            report["load"] = {
                "seconds": round(result.seconds, 2),
                "steps_seconds": {k: round(v, 2) for k, v in result.steps.items()},
                "inserted": result.inserted,
            }
        report["rows"] = self._row_counts()

        bench = users.get(username=scale.bench_user)
        report["bench_grant_rows"] = self._bench_grants(bench)
        sizes = table_sizes()
        runs = options["runs"]
        self.progress.write(f"Measuring as {bench.get_username()!r} ({runs} runs each) …")
        started = time.perf_counter()
        report["filters"], ids = {}, {}
        for model in models:
            report["filters"][model._meta.label], ids[model] = measure_visible(bench, model, runs, sizes)
        report["guardian_jobs"] = measure_guardian(bench, runs, sizes)
        report["nested"] = {
            "query": NESTED_QUERY,
            "base": measure_nested(bench.get_username(), options["nested_runs"], sizes),
            "more_projects": measure_nested_with_more_projects(
                bench, options["more_projects"], options["nested_runs"], sizes
            ),
        }
        report["nested"]["same_statement_count"] = (
            report["nested"]["base"]["statements"] == report["nested"]["more_projects"]["statements"]
        )
        report["grant_driven"] = all(
            f[key]["grant_driven"]
            for f in report["filters"].values()
            for key in ("explain_list", "explain_count")
        )
        report["measure_seconds"] = round(time.perf_counter() - started, 2)
        report["load_average"] = os.getloadavg()

        if self.as_json:
            self.stdout.write(json.dumps(report, indent=2, default=str))
        else:
            self._print(report)

    @staticmethod
    def _scale(scale: Scale) -> dict:
        return {
            "projects": scale.projects,
            "orders": scale.orders,
            "jobs": scale.job_rows,
            "tasks": scale.job_rows * scale.tasks_per_job,
            "grants": scale.grants,
            "noise_holders": scale.noise_holders,
            "bench_user": scale.bench_user,
            "bench_grants": scale.bench_counts(),
        }

    @staticmethod
    def _bench_grants(bench) -> dict[str, int]:
        """The measured user's grant rows as loaded, by direct table (group tables: its groups')."""
        counts = {}
        for model in (Job, Order, Project):
            counts[user_table(model)._meta.db_table] = user_table(model).objects.filter(user=bench).count()
            group_rows = group_table(model).objects.filter(group__user=bench)
            counts[group_table(model)._meta.db_table] = group_rows.count()
        return counts

    @staticmethod
    def _row_counts() -> dict[str, int]:
        tables = [
            "auth_user",
            "auth_group",
            "auth_user_groups",
            "projects_project",
            "orders_order",
            "work_job",
        ]
        tables.append(Task._meta.db_table)
        for model in (Job, Order, Project):
            tables += [user_table(model)._meta.db_table, group_table(model)._meta.db_table]
        with connection.cursor() as cursor:
            counts = {}
            for table in tables:
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
        counts["permission rows (job, order, project tables)"] = sum(
            v for k, v in counts.items() if k.startswith("permissions_")
        )
        return counts

    def _print(self, report: dict) -> None:
        w = self.stdout.write
        verbose = self.verbosity > 1
        scale = report["scale"]
        w("")
        w("== Data")
        if "load" in report:
            load = report["load"]
            steps = ", ".join(f"{k} {v}s" for k, v in load["steps_seconds"].items())
            w(f"loaded in {load['seconds']}s ({steps})")
        for table, count in report["rows"].items():
            w(f"  {table:<48} {count:>10,}")
        grants = ", ".join(f"{table} {count}" for table, count in report["bench_grant_rows"].items() if count)
        w(f"{scale['bench_user']}'s grant rows (all view; group rows are those of its one group): {grants}")
        shares = ", ".join(f"{m.__name__} {h} {s:.0%}" for m, h, s in NOISE_SHARES)
        w(f"noise grants: {scale['noise_holders']} users and {scale['noise_holders']} groups; {shares}")
        for label, f in report["filters"].items():
            w("")
            w(f"== visible({scale['bench_user']}, {label}.objects.all(), 'view'): {f['visible']:,} rows")
            for key, title in (("explain_list", ".values('pk')"), ("explain_count", ".count()")):
                e = f[key]
                if key == "explain_count" and label != "work.Job" and not verbose:
                    self._verdict(e, f"EXPLAIN of {title} (text with -v 2)")
                    continue
                w(f"-- EXPLAIN (ANALYZE, BUFFERS) of {title}")
                w(e["text"])
                self._verdict(e, "")
            w(
                f"-- median (min) of {len(f['list_runs_ms'])} runs: list {f['list_median_ms']:.1f}"
                f" ({f['list_min_ms']:.1f}) ms, count {f['count_median_ms']:.1f} ({f['count_min_ms']:.1f}) ms;"
                f" building and compiling the queryset alone {f['build_and_compile_median_ms']:.1f} ms"
            )
        g = report["guardian_jobs"]
        job = report["filters"]["work.Job"]
        w("")
        w("== Jobs: visible() against guardian's get_objects_for_user(..., accept_global_perms=True)")
        w("  median (min) wall time:")
        w(
            f"  visible()               {job['visible']:>7,} rows   count {job['count_median_ms']:6.1f}"
            f" ({job['count_min_ms']:5.1f}) ms   list {job['list_median_ms']:6.1f} ({job['list_min_ms']:5.1f}) ms"
        )
        w(
            f"  get_objects_for_user()  {g['count']:>7,} rows   count {g['count_median_ms']:6.1f}"
            f" ({g['count_min_ms']:5.1f}) ms   list {g['list_median_ms']:6.1f} ({g['list_min_ms']:5.1f}) ms"
        )
        w("  guardian sees direct job grants only (no order, project or group-on-order inheritance).")
        w("-- EXPLAIN (ANALYZE, BUFFERS) of get_objects_for_user(...).count()")
        w(g["explain_count"]["text"])
        self._verdict(g["explain_count"], "")
        n = report["nested"]
        w("")
        w("== Nested GraphQL query, executed as the bench user")
        w(f"  {n['query']}")
        for key, title in (("base", "base grants"), ("more_projects", "more project grants")):
            r = n[key]
            extra = f" (+{r['granted']}, {r['visible_projects']} projects visible)" if key != "base" else ""
            w(
                f"  {title}{extra}: {r['statements']} SQL statements (per run {r['statements_per_run']}),"
                f" median {r['median_ms']:.0f} ms of which SQL about {r['sql_ms']:.0f} ms;"
                f" {r['projects']} projects, {r['orders']} orders, {r['jobs']} jobs returned"
            )
        for sql, plan in zip(n["base"]["sql"], n["base"]["plans"], strict=True):
            flag = "" if plan["grant_driven"] else "  ! " + "; ".join(plan["problems"])
            w(f"    {plan['execution_ms']:7.2f} ms  {sql[:110]}{'…' if len(sql) > 110 else ''}{flag}")
        w(f"  statement count unchanged with more grants: {n['same_statement_count']}")
        w("")
        verdict = "every plan is driven by the grant rows" if report["grant_driven"] else "SOME PLANS ARE NOT"
        w(
            f"== Verdict for the current filter: {verdict} (a plan fails when it sequentially scans a"
            f" table of {WASTE_THRESHOLD:,}+ rows or a scan reads {WASTE_THRESHOLD:,}+ rows, or four"
            " times the visible rows if more)."
        )
        w(
            f"   measured in {report['measure_seconds']}s; load average during the run"
            f" {', '.join(f'{x:.2f}' for x in report['load_average'])} (timings are wall clock)"
        )

    def _verdict(self, e: dict, title: str) -> None:
        verdict = "driven by the grant rows" if e["grant_driven"] else "NOT driven by the grant rows"
        self.stdout.write(
            f"-- {title + ': ' if title else ''}{verdict}; in the FORMAT JSON run: execution"
            f" {e['execution_ms']:.1f} ms, planning {e['planning_ms']:.1f} ms, rows read by scans {e['rows_read']:,};"
            f" sequential scans: {', '.join(e['seq_scans']) or 'none'}"
        )
        for problem in e["problems"]:
            self.stdout.write(f"   ! {problem}")
