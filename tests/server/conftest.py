"""A real gunicorn process started with the production config, for tests over HTTP."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER_COMMAND = [
    sys.executable,
    "-m",
    "gunicorn",
    "-c",
    "backend/gunicorn_config.py",
    "backend.wsgi:application",
]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log_entries(self, logger: str = "backend.requests") -> list[dict]:
        """The JSON lines the server logged so far from `logger`."""
        entries = []
        for line in self.log_path.read_text().splitlines():
            if line.startswith("{"):
                entry = json.loads(line)
                if entry.get("logger") == logger:
                    entries.append(entry)
        return entries


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    """A postgres:// URL for Django's connection settings (the test database's, in tests)."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


def server_env(**overrides: str) -> dict:
    env = {**os.environ, "SECRET_KEY": "test-only-key", "DEBUG": "0", "WEB_CONCURRENCY": "1"}
    env.update(overrides)
    return env


def start_server(log_path: Path, **env: str) -> Server:
    """Start gunicorn exactly as `make serve` does, on a free port."""
    port = free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            SERVER_COMMAND, cwd=ROOT, env=server_env(BIND=f"127.0.0.1:{port}", **env), stdout=log, stderr=log
        )
    return Server(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)


def wait_until_up(server: Server, seconds: float = 60) -> None:
    """Until the server answers `/health/`: any answer, a 503 too, means it is serving."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.process.returncode}:\n{server.log_path.read_text()}")
        try:
            urllib.request.urlopen(f"{server.url}/health/", timeout=5).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within {seconds} s:\n{server.log_path.read_text()}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture
def run_server(tmp_path):
    """`run_server(**env)` starts a server; every server started is stopped after the test."""
    servers = []

    def run(**env: str) -> Server:
        server = start_server(tmp_path / f"server-{len(servers)}.log", **env)
        servers.append(server)
        wait_until_up(server)
        return server

    yield run
    for server in servers:
        stop_server(server)
