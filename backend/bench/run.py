"""One benchmark run: each read as each user, over HTTP against the server and as the floor's SQL."""

import json
import logging
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from strawberry.relay import to_base64

from backend.orders.models import Order
from backend.projects.models import Project
from permissions.models import group_table, user_table
from permissions.visibility import visible

from . import floor, queries
from .client import GraphQLConnection, request_body
from .grants import BENCH_USER, SUPERUSER
from .report import load_average, summary
from .server import HOST, Server


@dataclass
class Options:
    runs: int = 30
    warmup: int = 3
    duration: float = 20.0
    concurrency: int = 8
    reads: tuple[str, ...] = tuple(r.name for r in queries.READS)
    users: tuple[str, ...] = queries.USERS


def bench_users() -> dict:
    users = get_user_model().objects
    return {"superuser": users.get(username=SUPERUSER), "bench": users.get(username=BENCH_USER)}


def node_order(bench_user) -> Order:
    """The first order the benchmark user sees through a grant on the order itself, not its project
    (so `node` exercises that path); any order they see when there is none."""
    granted_projects = group_table(Project).objects.filter(group__user=bench_user).values("content_object_id")
    direct = user_table(Order).objects.filter(user=bench_user).values("content_object_id")
    order = Order.objects.filter(pk__in=direct).exclude(project__in=granted_projects).order_by("pk").first()
    return order or visible(bench_user, Order.objects.order_by("pk")).first()


def canonical(data) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def count_statements(query: str, variables: dict, token: str) -> tuple[int, bool]:
    """SQL statements of one request through Django's full stack, in this process (after one
    request that fills the per-process caches), and whether a compiled read answered it."""
    client = Client(HTTP_HOST="localhost")
    body = json.dumps({"query": query, "variables": variables})
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    request_log = logging.getLogger("backend.requests")
    level = request_log.level
    request_log.setLevel(logging.WARNING)  # its lines would mix with the table on stderr
    try:
        with warnings.catch_warnings():
            # WhiteNoise warns that `collectstatic` has not run; static files play no part here
            warnings.filterwarnings("ignore", message="No directory at")
            client.post("/graphql/", body, content_type="application/json", **headers)
            # each request empties the log it counts from; start from an empty one (DEBUG on logs too)
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                response = client.post("/graphql/", body, content_type="application/json", **headers)
    finally:
        request_log.setLevel(level)
    if response.status_code != 200:
        raise RuntimeError(f"In-process request failed: {response.status_code} {response.content[:500]!r}")
    return len(captured.captured_queries), getattr(response.wsgi_request, "compiled_read", False)


def throughput(port: int, token: str, body: bytes, options: Options) -> dict:
    job = {
        "host": HOST,
        "port": port,
        "token": token,
        "body": body.decode(),
        "concurrency": options.concurrency,
        "duration": options.duration,
    }
    done = subprocess.run(
        [sys.executable, "-m", "backend.bench.load"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=True,
    )
    return json.loads(done.stdout)


def measure_one(read, role, user, token, order, server, floor_conn, options: Options, log) -> dict:
    variables = queries.variables(read.name, to_base64("Order", order.pk))
    body = request_body(read.query, variables)
    client = GraphQLConnection(HOST, server.port, token)
    try:
        for _ in range(options.warmup):
            client.post(body)
        times, answer = [], b""
        for _ in range(options.runs):
            ms, status, answer = client.timed(body)
            if status != 200:
                raise RuntimeError(f"{read.name} as {role}: HTTP {status}: {answer[:500]!r}")
            times.append(ms)
    finally:
        client.close()
    response = json.loads(answer)
    if response.get("errors"):
        raise RuntimeError(f"{read.name} as {role}: {response['errors']}")
    sql, params = floor.statement(read.name, user, first=variables.get("first", 0), order_pk=order.pk)
    runner = floor.Floor(floor_conn, sql, params)
    for _ in range(options.warmup):
        runner.run()
    floor_times, text = [], ""
    for _ in range(options.runs):
        ms, text = runner.run()
        floor_times.append(ms)
    api, low = summary(times), summary(floor_times)
    statements, compiled = count_statements(read.query, variables, token)
    result = {
        "read": read.name,
        "user": role,
        "records": queries.records(response["data"]),
        "bytes": len(answer),
        "sql_statements": statements,
        "compiled": compiled,
        "runs": options.runs,
        **api,
        "floor_median_ms": low["median_ms"],
        "floor_p90_ms": low["p90_ms"],
        "floor_min_ms": low["min_ms"],
        "floor_max_ms": low["max_ms"],
        "floor_bytes": len(text.encode()),
        "ratio_to_floor": round(api["median_ms"] / low["median_ms"], 1) if low["median_ms"] else None,
        "matches_floor": canonical(response["data"]) == canonical(json.loads(text)),
    }
    if options.duration > 0:
        load = throughput(server.port, token, body, options)
        result["req_per_s"] = load["req_per_s"]
        result["load"] = load
    else:
        result["req_per_s"] = None
    log(
        f"  {read.name} as {role}: median {result['median_ms']:.1f} ms, floor {result['floor_median_ms']:.2f} ms"
    )
    return result


def measure(tokens: dict[str, str], options: Options, log: Callable[[str], None]) -> dict:
    users = bench_users()
    order = node_order(users["bench"])
    reads = [r for r in queries.READS if r.name in options.reads]
    results = []
    floor_conn = floor.connect()
    server = Server()
    config = server.config()
    try:
        with server:
            log(f"server on {HOST}:{server.port}: {config}")
            for read in reads:
                for role in options.users:
                    results.append(
                        measure_one(
                            read, role, users[role], tokens[role], order, server, floor_conn, options, log
                        )
                    )
    finally:
        floor_conn.close()
    return {
        "server": {
            "command": "python -m gunicorn -c backend/gunicorn_config.py backend.wsgi:application",
            **config,
        },
        "node_id": to_base64("Order", order.pk),
        "queries": {read.name: {"query": read.query, "description": read.description} for read in reads},
        "load_average_after": load_average(),
        "results": results,
    }
