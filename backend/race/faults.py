"""The faults injected mid-race: a gunicorn worker killed with SIGKILL, and PostgreSQL stopped and
started again. Both act on processes of this machine, so the race runs against a local, throwaway
PostgreSQL (`make race` starts one)."""

import os
import pwd
import shlex
import signal
import subprocess
import time
from pathlib import Path

from django.db import DatabaseError, connection


def workers(master_pid: int) -> list[int]:
    """The gunicorn master's child processes (its workers)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def kill_worker(master_pid: int) -> int:
    """SIGKILL one worker mid-request; the master starts a new one. Returns the killed pid."""
    pid = workers(master_pid)[0]
    os.kill(pid, signal.SIGKILL)
    return pid


class PostgresRestart:
    """Stops the database the command is connected to (fast: open sessions are ended) and starts it
    again with the same options after `outage` seconds. Everything it needs is read up front."""

    def __init__(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SHOW data_directory")
                (data,) = cursor.fetchone()
                cursor.execute("SELECT setting FROM pg_config WHERE name = 'BINDIR'")
                (bindir,) = cursor.fetchone()
            self.data = Path(data)
            # postmaster.opts: the server's command line; `pg_ctl start -o` takes it back, less -D.
            words = shlex.split((self.data / "postmaster.opts").read_text())[1:]
        except (DatabaseError, OSError) as exc:
            raise RuntimeError(
                "Restarting PostgreSQL needs a local server whose data directory this user can read, "
                f"connected to as a superuser ({exc}); or run with --no-restart-postgres."
            ) from exc
        self.pg_ctl = str(Path(bindir) / "pg_ctl")
        at = words.index("-D") if "-D" in words else None
        self.options = words[:at] + words[at + 2 :] if at is not None else words
        self.owner = pwd.getpwuid(self.data.stat().st_uid).pw_name
        self.log = self.data / "race-restart.log"

    def _pg_ctl(self, *args: str) -> None:
        command = [self.pg_ctl, "-D", str(self.data), *args]
        if os.geteuid() == 0 and self.owner != "root":
            command = ["runuser", "-u", self.owner, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def __call__(self, outage: float) -> dict:
        connection.close()  # ours would be ended too; the next query opens a new one
        started = time.monotonic()
        self._pg_ctl("stop", "-m", "fast", "-w")
        stopped = time.monotonic()
        time.sleep(outage)
        self._pg_ctl("start", "-w", "-l", str(self.log), "-o", shlex.join(self.options))
        return {
            "stop_s": round(stopped - started, 2),
            "down_s": round(time.monotonic() - stopped, 2),
        }
