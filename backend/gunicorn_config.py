"""Gunicorn settings for the production server (`make serve`).

    python -m gunicorn -c backend/gunicorn_config.py backend.wsgi:application

Environment: BIND (default 127.0.0.1:8000; several addresses comma-separated), WEB_CONCURRENCY
(worker processes, default one per core), GUNICORN_THREADS (threads per worker, default 4).
Django reads its own settings (SECRET_KEY, DATABASE_URL, ...) as usual.
"""

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = [address.strip() for address in os.environ.get("BIND", "127.0.0.1:8000").split(",") if address.strip()]

# Threaded workers: the sync worker closes every connection after one response (it ignores
# keep-alive), and clients and the benchmark keep connections open.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or _cores())
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

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
