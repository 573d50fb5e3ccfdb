"""One race: the pool, the production server, the clients' process, the faults on schedule, the audit."""

import json
import secrets
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from backend.bench.report import load_average, machine, source
from backend.bench.server import HOST, Server

from . import audit, data, faults
from .outcomes import FAILURES


@dataclass
class Options:
    clients: int = 50
    duration: float = 60.0
    workers: int = 4
    threads: int = 2
    seed: int = 1
    kill_worker: bool = True
    restart_postgres: bool = True
    outage: float = 3.0  # seconds PostgreSQL stays down
    scale: data.Scale = field(default_factory=data.Scale)


def _schedule(options: Options) -> list[tuple[float, str]]:
    """A worker is killed a third into the run, PostgreSQL restarted at two thirds."""
    planned = []
    if options.kill_worker:
        planned.append((options.duration / 3, "kill_worker"))
    if options.restart_postgres:
        planned.append((options.duration * 2 / 3, "restart_postgres"))
    return planned


def _clients(job: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "backend.race.clients"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=settings.BASE_DIR,
        text=True,
    )
    process.stdin.write(json.dumps(job))
    process.stdin.close()
    return process


def _inject(server: Server, options: Options, started: float, restart, log) -> list[dict]:
    done = []
    for at, fault in _schedule(options):
        time.sleep(max(0.0, started + at - time.monotonic()))
        event = {"fault": fault, "at_s": round(time.monotonic() - started, 2)}
        if fault == "kill_worker":
            event["pid"] = faults.kill_worker(server.process.pid)
        else:
            event.update(restart(options.outage))
        log(f"  {fault} at {event['at_s']} s: {event}")
        done.append(event)
    return done


def _server_errors(server: Server) -> dict[str, int]:
    """ERROR lines the server logged, by logger and message (django.request logs every 503 too)."""
    counts: Counter = Counter()
    for line in server.log_path.read_text().splitlines():
        if line.startswith("{") and '"level": "ERROR"' in line:
            entry = json.loads(line)
            counts[f"{entry.get('logger')}: {entry.get('message', '')[:80]}"] += 1
    return dict(counts.most_common())


def race(options: Options, log: Callable[[str], None]) -> dict:
    restart = faults.PostgresRestart() if options.restart_postgres else None
    pool = data.create(options.scale)
    deadlocks_before = audit.deadlocks()
    server = Server()
    server.env.update(WEB_CONCURRENCY=str(options.workers), GUNICORN_THREADS=str(options.threads))
    config = server.config()
    job = {
        **pool,
        "host": HOST,
        "clients": options.clients,
        "duration": options.duration,
        "seed": options.seed,
        "run": secrets.token_hex(4),
    }
    with server:
        job["port"] = server.port
        log(f"server on {HOST}:{server.port}: {config}; {options.clients} clients for {options.duration} s")
        process = _clients(job)
        try:
            injected = _inject(server, options, time.monotonic(), restart, log)
            output = process.stdout.read()
            process.wait()
        finally:
            if process.poll() is None:
                process.kill()
        if process.returncode != 0:
            raise RuntimeError(f"The clients' process exited with {process.returncode}.")
        server_errors = _server_errors(server)
    clients = json.loads(output)
    keys = clients.pop("keys")
    checks = audit.run(keys)
    failures = {name: clients["client_failures"][name] for name in FAILURES}
    return {
        "race": "money mutations under load and faults",
        "machine": machine(),
        "code": source(),
        "server": {
            "command": "python -m gunicorn -c backend/gunicorn_config.py backend.wsgi:application",
            **config,
        },
        "options": {
            "clients": options.clients,
            "duration_s": options.duration,
            "seed": options.seed,
            "invoices": options.scale.invoices,
            "payments": options.scale.payments,
            "refunds": options.scale.refunds,
            "kill_worker": options.kill_worker,
            "restart_postgres": options.restart_postgres,
            "outage_s": options.outage if options.restart_postgres else None,
        },
        "faults": injected,
        **clients,
        "idempotency_keys_succeeded": len(keys),
        "deadlocks_in_database": audit.deadlocks() - deadlocks_before,
        "errors_logged_by_server": server_errors,
        "audit": checks,
        "load_average_after": load_average(),
        "passed": all(check["ok"] for check in checks) and not any(failures.values()),
    }
