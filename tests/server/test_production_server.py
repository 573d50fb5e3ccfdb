"""The production server end to end: gunicorn with `backend/gunicorn_config.py` on the test database,
GraphQL over a kept-alive connection, static files from WhiteNoise, request ids and the JSON log."""

import http.client
import json
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from django.db import connection

from backend.accounts.services import create_token
from tests.factories import Company

from .conftest import ROOT, database_url, server_env, start_server, stop_server, wait_until_up

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT_NAMES = "query ProjectNames { projects(first: 5) { edges { node { name } } } }"
PROJECT_ORDERS = """query ProjectOrders {
  projects(first: 5) { edges { node {
    name orders(first: 5) { edges { node { total { amount currency } } } }
  } } }
}"""
TWO_OPERATIONS = f"{PROJECT_NAMES}\n{PROJECT_ORDERS}"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """The static files collected as `make serve` collects them (hashed and compressed)."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_env(STATIC_ROOT=str(root)),
        check=True,
    )
    return root


@pytest.fixture(scope="module")
def server(django_db_setup, static_root, tmp_path_factory):
    """One server for the module, on the test database: it sees the rows each test commits."""
    started = start_server(
        tmp_path_factory.mktemp("server") / "server.log",
        DATABASE_URL=database_url(connection.settings_dict),
        STATIC_ROOT=str(static_root),
    )
    try:
        wait_until_up(started)
        yield started
    finally:
        stop_server(started)


def open_connection(server) -> http.client.HTTPConnection:
    address = urlsplit(server.url)
    return http.client.HTTPConnection(address.hostname, address.port, timeout=30)


def post_graphql(conn, body: dict, headers: dict) -> tuple[http.client.HTTPResponse, dict]:
    conn.request(
        "POST", "/graphql/", json.dumps(body), headers={"Content-Type": "application/json", **headers}
    )
    response = conn.getresponse()
    return response, json.loads(response.read())


def test_graphql_over_a_kept_alive_connection_with_request_ids_and_json_log_lines(server, user):
    company = Company.create()
    project = company.project(name="Spring campaign")
    company.order(project)
    _, token = create_token(user=user, name="e2e")
    auth = {"Authorization": f"Bearer {token}"}
    conn = open_connection(server)

    first, answer = post_graphql(
        conn,
        {"query": TWO_OPERATIONS, "operationName": "ProjectOrders"},
        {**auth, "X-Request-ID": "client-id.42"},
    )
    sock = conn.sock
    second, names = post_graphql(conn, {"query": PROJECT_NAMES}, {**auth, "X-Request-ID": "not an id!"})
    kept_alive = sock is not None and conn.sock is sock
    conn.close()

    assert first.status == 200 and second.status == 200
    [node] = [edge["node"] for edge in answer["data"]["projects"]["edges"]]
    assert node["name"] == "Spring campaign"
    assert node["orders"]["edges"][0]["node"]["total"] == {"amount": "20.00", "currency": "USD"}
    assert names["data"]["projects"]["edges"] == [{"node": {"name": "Spring campaign"}}]
    # Both requests went over one connection.
    assert kept_alive and not first.will_close
    # A well-formed client id is echoed; anything else is replaced by a fresh one.
    assert first.getheader("X-Request-ID") == "client-id.42"
    fresh_id = second.getheader("X-Request-ID")
    assert re.fullmatch(r"[0-9a-f]{32}", fresh_id)

    logged = {entry["request_id"]: entry for entry in server.log_entries()}
    first_line, second_line = logged["client-id.42"], logged[fresh_id]
    assert first_line["method"] == "POST" and first_line["path"] == "/graphql/"
    assert first_line["status"] == 200
    assert first_line["operation_name"] == "ProjectOrders"  # operationName, not the first in the document
    assert second_line["operation_name"] == "ProjectNames"  # without operationName: the document's
    assert first_line["sql_count"] > 0
    assert first_line["duration_ms"] > 0
    assert first_line["user_id"] == second_line["user_id"] == user.pk
    assert first_line["level"] == "INFO" and first_line["logger"] == "backend.requests"


def test_admin_static_files_are_served_hashed_and_compressed(server, static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["admin/css/base.css"]
    conn = open_connection(server)

    conn.request("GET", f"/static/{hashed}", headers={"Accept-Encoding": "gzip", "X-Request-ID": "static-1"})
    response = conn.getresponse()
    body = response.read()
    conn.request("GET", "/admin/login/")
    login_page = conn.getresponse().read().decode()
    conn.close()

    assert response.status == 200 and body
    assert response.getheader("Content-Type").startswith("text/css")
    assert response.getheader("Content-Encoding") == "gzip"
    assert "immutable" in response.getheader("Cache-Control")  # a hashed name never changes
    assert response.getheader("X-Request-ID") == "static-1"
    # Pages link the hashed names, from the manifest.
    assert f"/static/{hashed}" in login_page
    [line] = [entry for entry in server.log_entries() if entry["request_id"] == "static-1"]
    assert line["status"] == 200 and line["sql_count"] == 0 and line["operation_name"] is None
