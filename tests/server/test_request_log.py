"""The request log middleware in process: one `backend.requests` record per request, X-Request-ID."""

import json
import logging

import pytest
from django.test import Client

from backend.server.middleware import first_operation_name


@pytest.mark.parametrize(
    ("document", "name"),
    [
        ("query Orders { orders(first: 1) { totalCount } }", "Orders"),
        ("mutation Save($input: X!) { save(input: $input) { id } }", "Save"),
        ("subscription Live { events }", "Live"),
        ("{ viewer { username } }", None),
        ("query { viewer { username } }", None),
        ("query ($first: Int) { orders(first: $first) { totalCount } }", None),
        ("fragment query on Query { viewer { username } }\nquery Real { ...query }", "Real"),
        ('# query Commented\nquery Named { search(text: "query Quoted") }', "Named"),
        ('query "unterminated', None),
        ("", None),
    ],
)
def test_the_operation_name_is_the_first_operation_in_the_document(document, name):
    assert first_operation_name(document) == name


@pytest.mark.django_db
def test_each_request_is_logged_once_with_its_id_status_sql_count_and_user(user, caplog):
    client = Client()
    client.force_login(user)

    with caplog.at_level(logging.INFO, logger="backend.requests"):
        response = client.post(
            "/graphql/",
            json.dumps({"query": "query Viewer { viewer { username } }"}),
            content_type="application/json",
            HTTP_X_REQUEST_ID="abc-123",
        )

    assert response.status_code == 200
    assert response["X-Request-ID"] == "abc-123"
    [record] = [record for record in caplog.records if record.name == "backend.requests"]
    assert record.getMessage() == "POST /graphql/ 200"
    assert (record.request_id, record.method, record.path) == ("abc-123", "POST", "/graphql/")
    assert (record.operation_name, record.status, record.user_id) == ("Viewer", 200, user.pk)
    assert record.sql_count > 0
    assert record.compiled is False  # `viewer` is not a field the compiled path reads


@pytest.mark.django_db
def test_a_read_answered_by_one_compiled_statement_is_logged_as_such(user, caplog, settings):
    settings.GRAPHQL_COMPILED_READS = True
    client = Client()
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="backend.requests"):
        body = json.dumps(
            {"query": "{ projects(first: 5) { edges { node { id orders(first: 2) { totalCount } } } } }"}
        )
        response = client.post("/graphql/", body, content_type="application/json")
    assert response.status_code == 200 and "errors" not in response.json()
    [record] = [record for record in caplog.records if record.name == "backend.requests"]
    assert record.compiled is True
    assert record.sql_count == 3  # the session, the user, and the one statement


@pytest.mark.django_db
def test_requests_outside_the_api_have_no_operation_and_get_a_fresh_id(caplog):
    with caplog.at_level(logging.INFO, logger="backend.requests"):
        response = Client().get("/health/", HTTP_X_REQUEST_ID="has spaces")

    [record] = [record for record in caplog.records if record.name == "backend.requests"]
    assert response["X-Request-ID"] == record.request_id != "has spaces"
    assert record.operation_name is None and record.user_id is None
    assert record.sql_count == 1  # SELECT 1


@pytest.mark.django_db
@pytest.mark.urls("tests.server.urls")
def test_a_streamed_body_is_logged_when_sent_with_the_queries_it_ran(caplog):
    with caplog.at_level(logging.INFO, logger="backend.requests"):
        response = Client().get("/test/streamed/")
        before_sending = [record for record in caplog.records if record.name == "backend.requests"]
        body = b"".join(response.streaming_content)
        response.close()

    assert body == b"0\n0\n0\n"
    assert before_sending == []
    [record] = [record for record in caplog.records if record.name == "backend.requests"]
    assert (record.path, record.status, record.sql_count) == ("/test/streamed/", 200, 3)


@pytest.mark.django_db
def test_a_body_over_the_upload_limit_is_logged_without_reading_it(user, settings, caplog):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = Client()
    client.force_login(user)
    body = json.dumps({"query": "query Big { viewer { username } }", "padding": "x" * 2000})

    with caplog.at_level(logging.INFO, logger="backend.requests"):
        response = client.post("/graphql/", body, content_type="application/json")

    [record] = [record for record in caplog.records if record.name == "backend.requests"]
    assert record.status == response.status_code == 413
    assert record.operation_name is None
