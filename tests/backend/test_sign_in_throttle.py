"""Sign-in is throttled per account and per client address, with RATE_LIMITED and Retry-After."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from backend.accounts.models import SignInFailure

pytestmark = pytest.mark.django_db

LOGIN = """mutation($input: SessionLoginInput!) { sessionLogin(input: $input) {
    viewer { username } errors { code message } } }"""


@pytest.fixture
def accounts(django_user_model):
    for name in ("alice", "bob", "carol"):
        django_user_model.objects.create_user(name, password=f"pw-{name}-123")


def sign_in(username: str, password: str, address: str = "10.0.0.1"):
    client = Client(REMOTE_ADDR=address)
    body = {"query": LOGIN, "variables": {"input": {"username": username, "password": password}}}
    response = client.post("/graphql/", json.dumps(body), content_type="application/json")
    return response, response.json()["data"]["sessionLogin"], client


def codes(payload) -> list[str]:
    return [error["code"] for error in payload["errors"]]


def test_after_five_refusals_even_the_right_password_waits(accounts, settings):
    for _ in range(settings.SIGN_IN_MAX_FAILURES_PER_ACCOUNT):
        assert codes(sign_in("alice", "wrong")[1]) == ["INVALID"]
    response, payload, client = sign_in("alice", "pw-alice-123", address="10.9.9.9")
    assert payload["viewer"] is None and codes(payload) == ["RATE_LIMITED"]
    assert 1 <= int(response["Retry-After"]) <= settings.SIGN_IN_THROTTLE_WINDOW_SECONDS
    assert "sessionid" not in client.cookies
    assert sign_in("bob", "pw-bob-123")[1]["viewer"] == {"username": "bob"}  # other accounts are not held


def test_refusals_age_out_of_the_window_and_a_sign_in_clears_them(accounts, settings):
    for _ in range(settings.SIGN_IN_MAX_FAILURES_PER_ACCOUNT):
        sign_in("alice", "wrong")
    SignInFailure.objects.update(at=SignInFailure.objects.first().at - timedelta(hours=1))
    assert sign_in("alice", "pw-alice-123")[1]["viewer"] == {"username": "alice"}
    assert not SignInFailure.objects.filter(username="alice").exists()


def test_one_address_trying_many_accounts_is_held_too(accounts, settings):
    settings.SIGN_IN_MAX_FAILURES_PER_ADDRESS = 4
    for name in ("alice", "alice", "bob", "nobody"):
        assert codes(sign_in(name, "wrong")[1]) == ["INVALID"]
    assert codes(sign_in("carol", "pw-carol-123")[1]) == ["RATE_LIMITED"]
    assert sign_in("carol", "pw-carol-123", address="10.0.0.2")[1]["viewer"] == {"username": "carol"}


def test_unknown_and_real_usernames_are_throttled_alike(accounts, settings):
    for name in ("alice", "nobody"):
        for _ in range(settings.SIGN_IN_MAX_FAILURES_PER_ACCOUNT):
            sign_in(name, "wrong", address=f"10.1.0.{len(name)}")
    real, unknown = sign_in("alice", "x", "10.2.0.1")[1], sign_in("nobody", "x", "10.2.0.2")[1]
    assert codes(real) == codes(unknown) == ["RATE_LIMITED"]
