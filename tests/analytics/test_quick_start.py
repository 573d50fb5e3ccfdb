"""The quick-start server's SQLite database gives the analytics answers PostgreSQL gives."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .quick_start import answers, build

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ON_SQLITE = (
    "import sys, django; django.setup(); from tests.analytics.quick_start import main; main(sys.argv[1])"
)


def test_sqlite_answers_every_analytics_read_as_postgresql_does(tmp_path):
    out = tmp_path / "answers.json"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'quick-start.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "DEBUG": "1",
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "WARNING",
    }
    sqlite = subprocess.Popen(
        [sys.executable, "-c", ON_SQLITE, str(out)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        expected = answers(*build())  # on PostgreSQL, while SQLite works
    finally:
        log, _ = sqlite.communicate(timeout=120)
    assert sqlite.returncode == 0, log
    assert "Compiled read" not in log  # compiled reads are for PostgreSQL; SQLite never tries them
    found = json.loads(out.read_text())
    assert list(found) == list(expected)
    for name, answer in expected.items():
        assert "errors" not in answer, (name, answer)
        assert found[name] == answer, name
