"""Gunicorn settings for the production server (`make serve`).

    python -m gunicorn -c backend/gunicorn_config.py backend.wsgi:application

Environment: BIND (default 127.0.0.1:8000; several addresses comma-separated), WEB_CONCURRENCY
(worker processes, default one per core), GUNICORN_THREADS (threads per worker, default 2).
Django reads its own settings (SECRET_KEY, DATABASE_URL, ...) as usual.
"""

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = [address.strip() for address in os.environ.get("BIND", "127.0.0.1:8000").split(",") if address.strip()]

# Threaded workers, one process per core, 2 threads each. Measured against sync workers on this 2-core
# machine with the demo data (seed_demo --scale 1): a nested query (5 projects x 3 orders x 3 jobs x
# 3 tasks: 6 SQL statements, 17 KB) and a light one (10 projects x 5 orders), 8 keep-alive clients
# for 20 s a run, the configurations alternated. Other work shared the machine (load average 6-11),
# so the ranges are wide:
#
#                           req/s nested  req/s light  CPU ms/request    /health/ p50 during the load
#   sync, 2 workers           1.2-2.5      8.8-13.4    180-300, 38-39    2.1-4.4 s, 0.5-0.7 s
#   sync, 5 workers           1.4-3.4         -        150-240           0.9-2.0 s
#   gthread, 2 x 2 threads    1.3-1.6      6.5-17.9    226-230, 33-47    17-49 ms, 12-25 ms
#   gthread, 2 x 4 threads    1.1-1.7     10.0-18.2    220-290, 49-51    20-150 ms (once 4 s), 106-123 ms
#
# Throughput is the same within the noise: requests are CPU-bound in Python and one process per core
# keeps the cores busy either way. But sync workers close every connection after one response (they
# ignore keep-alive, which clients and the benchmark use) and queue a health check behind the slow
# queries, where a thread answers it in milliseconds. 2 threads rather than 4: 4 cost more CPU per
# request in every paired run (more handing over of the GIL) and answered health checks later, for no
# more requests per second.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or _cores())
threads = int(os.environ.get("GUNICORN_THREADS", "2"))

# Seconds an idle keep-alive connection is held open between requests.
keepalive = 5
# A worker silent for this long is killed and replaced.
timeout = 30
# On stop or reload, requests in flight get this long to finish.
graceful_timeout = 20

# Each thread keeps its database connection for the next request (the settings default, 0, suits
# management commands and runserver). DB_CONN_MAX_AGE in the environment still decides.
os.environ.setdefault("DB_CONN_MAX_AGE", "60")

# Requests are logged by the application (`backend.requests`, one JSON line each), so gunicorn's
# own access log stays off; its error log (start, stop, worker failures) goes to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# No runtime control socket: its default path is shared by every gunicorn of the same user, so
# two servers on one machine (tests, benchmarks) would take it from each other.
control_socket_disable = True


def post_worker_init(worker):
    # Import the URL map, and with it the GraphQL schema, when the worker starts rather than during
    # its first request (a few seconds).
    from importlib import import_module

    from django.conf import settings

    import_module(settings.ROOT_URLCONF)
