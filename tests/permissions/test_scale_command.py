"""`manage.py permissions_scale` at a tiny size: its numbers agree with the grants it loaded."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from backend.work.models import Job

pytestmark = pytest.mark.django_db

# Who holds a view grant on what, read straight from the direct tables.
GRANTS = """
    SELECT g.content_object_id FROM permissions_{kind}userobjectpermission g
      JOIN auth_permission p ON p.id = g.permission_id AND p.codename = 'view_{kind}'
     WHERE g.user_id = %(user)s
    UNION
    SELECT g.content_object_id FROM permissions_{kind}groupobjectpermission g
      JOIN auth_permission p ON p.id = g.permission_id AND p.codename = 'view_{kind}'
      JOIN auth_user_groups m ON m.group_id = g.group_id
     WHERE m.user_id = %(user)s
"""
VISIBLE_JOBS = f"""
    SELECT j.id FROM work_job j JOIN orders_order o ON o.id = j.order_id
     WHERE j.id IN ({GRANTS.format(kind="job")})
        OR o.id IN ({GRANTS.format(kind="order")})
        OR o.project_id IN ({GRANTS.format(kind="project")})
"""
VISIBLE_ORDERS = f"""
    SELECT o.id FROM orders_order o
     WHERE o.id IN ({GRANTS.format(kind="order")}) OR o.project_id IN ({GRANTS.format(kind="project")})
"""


def count(sql: str, user_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, {"user": user_id})
        return cursor.fetchone()[0]


def test_the_report_matches_the_grants(django_user_model):
    out = StringIO()
    call_command(
        "permissions_scale",
        "--jobs=400",
        "--orders-per-project=2",
        "--jobs-per-order=2",
        "--grants=500",
        "--runs=1",
        "--nested-runs=1",
        "--models=job,order",
        "--json",
        stdout=out,
        stderr=StringIO(),
    )
    report = json.loads(out.getvalue())
    bench = django_user_model.objects.get(username="bench")

    assert report["rows"]["work_job"] == 400
    assert report["rows"]["permission rows (job, order, project tables)"] == 500
    assert not Job.objects.filter(parent__isnull=False).exists()  # no sub-job inheritance to account for

    jobs = count(f"SELECT count(*) FROM ({VISIBLE_JOBS}) v", bench.pk)
    orders = count(f"SELECT count(*) FROM ({VISIBLE_ORDERS}) v", bench.pk)
    assert 0 < jobs < 400
    filters = report["filters"]
    assert filters["work.Job"]["visible"] == jobs
    assert filters["work.Job"]["distinct_ids"]
    assert filters["orders.Order"]["visible"] == orders
    assert set(filters) == {"work.Job", "orders.Order"}

    direct_jobs = count(
        "SELECT count(*) FROM permissions_jobuserobjectpermission g JOIN auth_permission p"
        " ON p.id = g.permission_id AND p.codename = 'view_job' WHERE g.user_id = %(user)s",
        bench.pk,
    )
    assert report["guardian_jobs"]["count"] == direct_jobs == report["scale"]["bench_grants"]["jobs_direct"]

    nested = report["nested"]
    base, more = nested["base"], nested["more_projects"]
    assert (base["projects"], base["orders"], base["jobs"]) == (20, 40, 80)
    assert more["visible_projects"] == 40
    assert base["statements"] == more["statements"] > 0
    assert len(set(base["statements_per_run"] + more["statements_per_run"])) == 1
    assert nested["same_statement_count"]
