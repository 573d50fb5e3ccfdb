"""`/health/`: 200 while the database answers, 503 when it cannot be reached."""

import json
import urllib.error
import urllib.request

import pytest
from django.test import Client

from .conftest import free_port


@pytest.mark.django_db
def test_health_is_ok_when_the_database_answers(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_answers_get_only_and_needs_no_csrf_token():
    client = Client(enforce_csrf_checks=True)

    assert client.post("/health/").status_code == 405  # not 403: no CSRF check stands in the way
    assert client.get("/health/").status_code == 200


def test_health_is_503_when_the_database_cannot_be_reached(run_server):
    # A real server whose database is a closed port on this machine.
    server = run_server(DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/nothing")

    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(f"{server.url}/health/", timeout=30)

    assert answer.value.code == 503
    assert json.loads(answer.value.read()) == {"status": "error", "database": "unavailable"}
    assert server.log_entries()[-1]["status"] == 503
    warning = server.log_entries("backend.server.health")[-1]
    assert warning["level"] == "WARNING"
    assert "OperationalError" in warning["exception"]
