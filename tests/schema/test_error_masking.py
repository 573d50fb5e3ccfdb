"""What a client sees when something goes wrong on our side: a masked error with the request id (the
details in the log under the same id), or a readable error when the database cancels a slow statement."""

import json
import logging
import time

import pytest
from django.db import connection, connections
from django.db.models import QuerySet
from django.test import Client

pytestmark = pytest.mark.django_db

COUNT = "{ orders(first: 1) { totalCount } }"


def post(client: Client, query: str, **headers):
    return client.post("/graphql/", json.dumps({"query": query}), content_type="application/json", **headers)


@pytest.fixture
def general_path(settings):
    """The exceptions below are raised by the general path's resolvers."""
    settings.GRAPHQL_COMPILED_READS = False


def test_an_unexpected_exception_is_masked_and_logged_with_the_request_id(
    user, monkeypatch, caplog, general_path
):
    def broken_count(self):
        raise RuntimeError("connection pool exploded: secret-host:5432")

    monkeypatch.setattr(QuerySet, "count", broken_count)
    client = Client()
    client.force_login(user)
    with caplog.at_level(logging.ERROR, logger="backend.graphql"):
        response = post(client, COUNT, HTTP_X_REQUEST_ID="req-42")

    assert response.status_code == 200
    body = response.json()
    assert body["errors"] == [
        {
            "message": "Unexpected error.",
            "locations": [{"line": 1, "column": 22}],
            "path": ["orders", "totalCount"],
            "extensions": {"code": "INTERNAL_ERROR", "requestId": "req-42"},
        }
    ]
    assert "secret-host" not in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "backend.graphql"]
    assert record.levelno == logging.ERROR
    assert record.request_id == "req-42"
    assert "req-42" in record.getMessage()
    assert record.exc_info[0] is RuntimeError
    assert "secret-host" in caplog.text  # the details are in the log


def test_without_a_client_id_the_masked_error_carries_a_generated_one(gql, monkeypatch, caplog, general_path):
    monkeypatch.setattr(QuerySet, "count", lambda self: 1 / 0)
    with caplog.at_level(logging.ERROR, logger="backend.graphql"):
        result = gql.execute(COUNT)
    request_id = result["errors"][0]["extensions"]["requestId"]
    assert len(request_id) == 32
    assert [r.request_id for r in caplog.records if r.name == "backend.graphql"] == [request_id]


def test_client_errors_stay_readable_and_unlogged(gql, caplog):
    with caplog.at_level(logging.ERROR, logger="backend.graphql"):
        syntax = gql.execute("{ orders(first: 1) { totalCount }")
        unknown = gql.execute("{ orders(first: 1) { nope } }")
    assert syntax["errors"][0]["message"].startswith("Syntax Error:")
    assert unknown["errors"][0]["message"] == "Cannot query field 'nope' on type 'OrderCursorConnection'."
    assert not [r for r in caplog.records if r.name == "backend.graphql"]


def test_connections_run_with_the_configured_statement_timeout_and_no_jit(db):
    """JIT compilation ignores cancellation; with it off the statement timeout holds."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("10s",)
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


@pytest.mark.parametrize("compiled", [False, True], ids=["general path", "compiled"])
def test_a_statement_over_the_timeout_is_cancelled_with_a_readable_error(gql, caplog, settings, compiled):
    """Another session holds a lock on the orders table, so counting orders waits; PostgreSQL cancels
    the waiting statement once it has run longer than this session's statement timeout. A compiled
    read reports it at once rather than running the query again through the general path."""
    settings.GRAPHQL_COMPILED_READS = compiled
    holder = connections.create_connection("default")
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '5s'")
            cursor.execute("LOCK TABLE orders_order IN ACCESS EXCLUSIVE MODE")
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 300")  # undone with the test's transaction
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="backend.graphql"):
            result = gql.execute(COUNT)
        elapsed = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()

    assert 0.3 <= elapsed < (0.6 if compiled else 5)
    assert result["data"] is None
    [error] = result["errors"]
    assert error["message"] == "The query took too long and was cancelled."
    # the general path knows the field that waited; one compiled statement answers for all of them
    assert error.get("path") == (None if compiled else ["orders", "totalCount"])
    assert error["extensions"]["code"] == "QUERY_TIMEOUT"
    assert len(error["extensions"]["requestId"]) == 32
    assert [r.levelno for r in caplog.records if r.name == "backend.graphql"] == [logging.WARNING]


@pytest.mark.parametrize("compiled", [False, True], ids=["general path", "compiled"])
def test_client_mistakes_are_answered_and_not_logged_as_errors(gql, caplog, settings, compiled):
    settings.GRAPHQL_COMPILED_READS = compiled
    answers = [
        gql.execute("{ orders(first: 2, ordering: [{}]) { totalCount } }"),
        gql.execute("query($d: Date!) { receivablesAging(asOf: $d) { totals { currency } } }", {"d": "soon"}),
    ]
    assert all(answer["errors"] and answer["data"] is None for answer in answers)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
