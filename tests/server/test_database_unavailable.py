"""A database outage answers 503 JSON with a code, never Django's HTML error page."""

import socket

import pytest
from django.db import connection
from django.test import Client

from backend.accounts.services import create_token


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_a_token_lookup_during_an_outage_answers_503_json(django_user_model):
    user = django_user_model.objects.create_user("alice", password="pw-alice-123")
    _, plaintext = create_token(user=user, name="ci")
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["HOST"] = "127.0.0.1"
    connection.settings_dict["PORT"] = str(_free_port())
    try:
        response = Client(raise_request_exception=False).post(
            "/graphql/",
            data={"query": "{ viewer { id } }"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {plaintext}"},
        )
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"]
    assert response.json() == {
        "errors": [
            {
                "message": "The database is unavailable; retry the request.",
                "extensions": {"code": "DATABASE_UNAVAILABLE"},
            }
        ]
    }
