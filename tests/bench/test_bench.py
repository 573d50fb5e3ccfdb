"""`manage.py bench` at a tiny scale, against the test database and the real server."""

import io
import json

import pytest
from django.core.management import call_command

from backend.bench import data, queries
from backend.bench.grants import BENCH_USER

# The loader ends with VACUUM and the server reads from its own connections: no wrapping transaction.
pytestmark = pytest.mark.django_db(transaction=True)

MEASURES = (
    "records",
    "bytes",
    "sql_statements",
    "median_ms",
    "p90_ms",
    "min_ms",
    "max_ms",
    "floor_median_ms",
    "ratio_to_floor",
    "req_per_s",
)

FULL_SCALE = {
    "projects": 1000,
    "orders": 10_000,
    "jobs": 30_000,
    "job_costs": 150_000,
    "tasks": 120_000,
    "time_entries": 240_000,
    "shipments": 20_000,
    "bench_project_grants": 500,
    "bench_order_grants": 1000,
}


def test_bench_reports_every_read_and_user_and_each_answer_equals_the_floor(tmp_path):
    out = tmp_path / "bench.json"
    log = io.StringIO()
    call_command(
        "bench",
        "--scale=0.002",
        "--runs=2",
        "--warmup=1",
        "--duration=1",
        "--concurrency=2",
        f"--out={out}",
        stderr=log,
    )
    document = json.loads(out.read_text())

    assert {"date", "cores", "memory_gb", "python", "postgresql"} <= document["machine"].keys()
    assert document["data"]["rows"]["projects"] == 2
    assert document["data"]["load_seconds"] > 0
    assert document["server"]["workers"] >= 1
    results = {(r["read"], r["user"]): r for r in document["results"]}
    assert set(results) == {(read.name, user) for read in queries.READS for user in queries.USERS}
    for key, result in results.items():
        for name in MEASURES:
            assert isinstance(result[name], int | float) and result[name] > 0, (key, name, result[name])
        assert result["min_ms"] <= result["median_ms"] <= result["max_ms"], key
        assert result["load"]["failures"] == 0, key
        assert result["matches_floor"] is True, key
        # one compiled statement answers each read, after the session's and the token's lookups
        assert result["compiled"] is True, key
    # the benchmark user sees one of the two projects (the second), the superuser both
    assert results["tree20", "bench"]["records"] < results["tree20", "superuser"]["records"]
    assert results["node", "bench"]["records"] == 1 + 3  # the order and its jobs
    assert "tree20" in log.getvalue() and "floor ms" in log.getvalue()


def test_loader_row_counts_follow_the_scale(django_user_model):
    scale = data.Scale(0.004, seed=7)
    result = data.Loader(scale).run()

    expected = scale.expected_rows()
    assert expected["projects"] == 4
    assert expected["time_entries"] == 4 * 10 * 3 * 4 * 2
    for label, rows in expected.items():
        assert result.inserted[label] == rows, label
    counts = data.row_counts()
    for label in ("projects", "orders", "order_parts", "order_items", "jobs", "job_costs", "tasks"):
        assert counts[label] == expected[label], label
    assert counts["time_entries"] == expected["time_entries"]
    assert counts["shipments"] == expected["shipments"]
    assert django_user_model.objects.filter(username=BENCH_USER, is_superuser=False).exists()
    full = data.Scale(1).expected_rows()
    assert {k: full[k] for k in FULL_SCALE} == FULL_SCALE
    assert data.Scale(0.01).projects == 10
