"""What the numbers were measured on, and the readable table."""

import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection


def _meminfo_gb() -> float | None:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (pg_version,) = cursor.fetchone()
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": cores,
        "cpu": _cpu_model(),
        "memory_gb": _meminfo_gb(),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "postgresql": pg_version,
        "load_average": load_average(),
    }


def source() -> dict | None:
    """The commit measured, and the tracked files changed on top of it (numbers move with the code)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return None
    return {"commit": commit, "changed_files": sorted(line[3:] for line in changed)}


def write_document(document: dict, out: str | None) -> None:
    """The JSON document to the file `out`, or to stdout."""
    text = json.dumps(document, indent=2) + "\n"
    if out:
        with open(out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


def load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def summary(times: list[float]) -> dict:
    """Median, 90th percentile, min and max in milliseconds."""
    ordered = sorted(times)
    p90 = statistics.quantiles(ordered, n=10, method="inclusive")[8] if len(ordered) > 1 else ordered[0]
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p90_ms": round(p90, 2),
        "min_ms": round(ordered[0], 2),
        "max_ms": round(ordered[-1], 2),
    }


COLUMNS = (
    ("read", "read", "{}"),
    ("user", "user", "{}"),
    ("records", "records", "{:,}"),
    ("bytes", "bytes", "{:,}"),
    ("SQL", "sql_statements", "{}"),
    ("compiled", "compiled", "{}"),
    ("median ms", "median_ms", "{:,.1f}"),
    ("p90 ms", "p90_ms", "{:,.1f}"),
    ("min ms", "min_ms", "{:,.1f}"),
    ("max ms", "max_ms", "{:,.1f}"),
    ("floor ms", "floor_median_ms", "{:,.2f}"),
    ("× floor", "ratio_to_floor", "{:,.1f}"),
    ("req/s", "req_per_s", "{:,.2f}"),
    ("= floor", "matches_floor", "{}"),
)


def table(results: list[dict]) -> str:
    rows = [[title for title, _, _ in COLUMNS]]
    for result in results:
        rows.append(
            [
                "-"
                if result.get(key) is None
                else fmt.format(result[key]).replace("True", "yes").replace("False", "NO")
                for _, key, fmt in COLUMNS
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            cell.ljust(w) if i < 2 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
