"""The production server as a subprocess: gunicorn with the project's config, on a free port."""

import atexit
import os
import runpy
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from .client import get

CONFIG = Path(settings.BASE_DIR) / "backend" / "gunicorn_config.py"
HOST = "127.0.0.1"
SECRET_KEY = "bench-only-key-not-for-production"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The URL of the database Django is connected to (the test database in tests)."""
    s = connection.settings_dict
    auth = s["USER"] or ""
    if s["PASSWORD"]:
        auth += f":{s['PASSWORD']}"
    host = f"{auth}@" if auth else ""
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{host}{s['HOST'] or 'localhost'}{port}/{s['NAME']}"


class Server:
    """Starts on enter, stops on exit (also on Ctrl-C, SIGTERM, or when the process exits)."""

    def __init__(self, ready_timeout: float = 60.0):
        self.port = free_port()
        self.ready_timeout = ready_timeout
        self.process: subprocess.Popen | None = None
        handle, name = tempfile.mkstemp(prefix="bench-server-", suffix=".log")
        os.close(handle)
        self.log_path = Path(name)
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL", "SECRET_KEY")},
            "BIND": f"{HOST}:{self.port}",
            "DATABASE_URL": database_url(),
            "SECRET_KEY": SECRET_KEY,
            "DB_CONN_MAX_AGE": "60",
            "DJANGO_SETTINGS_MODULE": "backend.settings",
        }

    def config(self) -> dict:
        """Workers, threads and worker class as the config file computes them for this environment."""
        saved = os.environ.copy()
        os.environ.update(self.env)
        try:
            values = runpy.run_path(str(CONFIG))
        finally:
            os.environ.clear()
            os.environ.update(saved)
        return {k: values.get(k) for k in ("worker_class", "workers", "threads", "keepalive", "timeout")}

    def __enter__(self) -> "Server":
        command = [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "backend.wsgi:application"]
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches this process, which then stops the server
            )
        atexit.register(self.stop)
        previous = signal.getsignal(signal.SIGTERM)
        if previous in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        self.log_path.unlink(missing_ok=True)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The server exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                status = get(HOST, self.port, "/health/")
            except OSError:
                time.sleep(0.1)
                continue
            if status == 200:
                return
            if status == 404:  # no health check in this version: any answer means it is up
                return
            time.sleep(0.2)
        raise RuntimeError(f"The server did not answer /health/ in {self.ready_timeout}s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # gunicorn and its workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        return "".join(self.log_path.read_text().splitlines(keepends=True)[-lines:])
