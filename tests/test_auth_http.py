"""Authentication end to end: bearer tokens, cookie sessions with CSRF, CORS, and the viewer."""

import json
import runpy
import urllib.error
import urllib.request
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from backend.accounts.models import ApiToken
from backend.accounts.services import create_token
from backend.parties.models import Party, PartyKind

from .conftest import GraphQLClient
from .factories import gid

live = pytest.mark.django_db(transaction=True)
APP = "https://app.example.com"
VIEWER = "{ viewer { username } }"
# Every response reports the records the operation may return; the viewer is no connection.
NO_CONNECTIONS = {"cost": {"estimatedNodes": 0, "limit": 50_000}}


class Response:
    def __init__(self, status: int, headers, raw: bytes):
        self.status, self.headers = status, headers
        self.body = json.loads(raw) if raw and "json" in headers.get("Content-Type", "") else None
        self.cookies = SimpleCookie()
        for header in headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)


def request(url: str, *, method="POST", body=None, cookies=None, headers=None) -> Response:
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    if cookies:
        all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers=all_headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return Response(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


def graphql(server, query, variables=None, **kwargs) -> Response:
    return request(f"{server.url}/graphql/", body={"query": query, "variables": variables or {}}, **kwargs)


def bearer(plaintext: str) -> dict:
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", email="alice@example.com", password="pw-alice-123")


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", password="pw-bob-12345")


# Bearer tokens


@live
def test_a_bearer_token_needs_no_csrf_cookie_for_queries_and_mutations(live_server, alice):
    _, plaintext = create_token(user=alice, name="Dashboard")
    other, _ = create_token(user=alice, name="Old phone")

    read = graphql(live_server, VIEWER, headers=bearer(plaintext))
    assert read.status == 200
    assert read.body == {"data": {"viewer": {"username": "alice"}}, "extensions": NO_CONNECTIONS}

    write = graphql(
        live_server,
        "mutation($id: ID!) { apiTokenRevoke(input: {id: $id}) { apiToken { isActive } errors { code } } }",
        {"id": gid("ApiToken", other.pk)},
        headers=bearer(plaintext),
    )
    assert write.status == 200
    assert write.body["data"]["apiTokenRevoke"] == {"apiToken": {"isActive": False}, "errors": []}
    other.refresh_from_db()
    assert other.revoked_at is not None
    assert "sessionid" not in write.cookies


@live
def test_a_bearer_token_does_not_open_the_admin(live_server, django_user_model):
    staff = django_user_model.objects.create_superuser("chief", password="pw-chief-123")
    _, plaintext = create_token(user=staff, name="Script")
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(
            urllib.request.Request(f"{live_server.url}/admin/", headers=bearer(plaintext)), timeout=10
        )
    assert answer.value.code == 302
    assert "/admin/login/" in answer.value.headers["Location"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@live
@pytest.mark.parametrize("state", ["revoked", "expired", "unknown"])
def test_an_unusable_bearer_token_is_refused_with_401(live_server, alice, state):
    token, plaintext = create_token(user=alice, name="Phone")
    if state == "revoked":
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    elif state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    else:
        plaintext = "og_" + "x" * 43

    response = graphql(live_server, VIEWER, headers=bearer(plaintext))
    assert response.status == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.body == {
        "errors": [{"message": "Invalid or expired API token.", "extensions": {"code": "UNAUTHENTICATED"}}]
    }


@live
def test_a_bad_bearer_token_does_not_fall_back_to_the_session(live_server, alice, bob):
    session = GraphQLClient(bob).client.cookies["sessionid"].value
    _, plaintext = create_token(user=alice, name="Phone")

    wins = graphql(live_server, VIEWER, cookies={"sessionid": session}, headers=bearer(plaintext))
    assert wins.body == {"data": {"viewer": {"username": "alice"}}, "extensions": NO_CONNECTIONS}

    refused = graphql(live_server, VIEWER, cookies={"sessionid": session}, headers=bearer("og_wrong"))
    assert refused.status == 401


@live
def test_a_created_token_works_as_bearer_and_cannot_mint_more(live_server, alice):
    gql = GraphQLClient(alice)
    created = gql.mutate(
        "apiTokenCreate", {"name": "CI"}, "token apiToken { id name prefix isActive expiresAt }"
    )
    assert created["errors"] == []
    plaintext = created["token"]
    assert created["apiToken"]["prefix"] == plaintext[:8]
    assert created["apiToken"]["isActive"] is True

    read = graphql(live_server, "{ viewer { username apiTokens { name } } }", headers=bearer(plaintext))
    assert read.body == {
        "data": {"viewer": {"username": "alice", "apiTokens": [{"name": "CI"}]}},
        "extensions": NO_CONNECTIONS,
    }

    mint = graphql(
        live_server,
        'mutation { apiTokenCreate(input: {name: "more"}) { token errors { kind code } } }',
        headers=bearer(plaintext),
    )
    assert mint.body["data"]["apiTokenCreate"] == {
        "token": None,
        "errors": [{"kind": "PERMISSION", "code": "PERMISSION_DENIED"}],
    }
    assert ApiToken.objects.count() == 1


# Cookie sessions


@live
def test_a_session_cookie_without_csrf_token_is_refused(live_server, alice):
    session = GraphQLClient(alice).client.cookies["sessionid"].value
    refused = graphql(live_server, VIEWER, cookies={"sessionid": session})
    assert refused.status == 403
    assert refused.headers["Content-Type"] == "application/json"
    assert refused.body["errors"][0]["extensions"] == {"code": "CSRF_FAILED"}


@live
def test_session_login_then_queries_with_csrf_then_logout(live_server, alice):
    csrf = request(f"{live_server.url}/auth/csrf/", method="GET")
    assert csrf.status == 200
    cookie_token = csrf.cookies["csrftoken"].value
    header_token = csrf.body["csrfToken"]

    login_query = """mutation($input: SessionLoginInput!) { sessionLogin(input: $input) {
        viewer { username email isSuperuser } errors { code } } }"""
    credentials = {"input": {"username": "alice", "password": "pw-alice-123"}}
    no_csrf = graphql(live_server, login_query, credentials, cookies={"csrftoken": cookie_token})
    assert no_csrf.status == 403

    login = graphql(
        live_server,
        login_query,
        credentials,
        cookies={"csrftoken": cookie_token},
        headers={"X-CSRFToken": header_token},
    )
    assert login.status == 200
    assert login.body["data"]["sessionLogin"] == {
        "viewer": {"username": "alice", "email": "alice@example.com", "isSuperuser": False},
        "errors": [],
    }
    session = login.cookies["sessionid"].value
    rotated = login.cookies["csrftoken"].value
    assert rotated != cookie_token
    signed_in = {"sessionid": session, "csrftoken": rotated}
    csrf_header = {"X-CSRFToken": rotated}

    me = graphql(live_server, VIEWER, cookies=signed_in, headers=csrf_header)
    assert me.body == {"data": {"viewer": {"username": "alice"}}, "extensions": NO_CONNECTIONS}
    refused = graphql(live_server, VIEWER, cookies={"sessionid": session})
    assert refused.status == 403
    assert refused.headers["Content-Type"] == "application/json"
    assert refused.body["errors"][0]["extensions"] == {"code": "CSRF_FAILED"}

    logout = graphql(
        live_server,
        "mutation { sessionLogout { ok errors { code } } }",
        cookies=signed_in,
        headers=csrf_header,
    )
    assert logout.body["data"]["sessionLogout"] == {"ok": True, "errors": []}
    after = graphql(live_server, VIEWER, cookies=signed_in, headers=csrf_header)
    assert after.body == {"data": {"viewer": None}, "extensions": NO_CONNECTIONS}


@live
def test_anonymous_viewer_is_null(live_server):
    response = graphql(
        live_server,
        "{ viewer { username apiTokens { name } } }",
        cookies={"csrftoken": "a" * 32},
        headers={"X-CSRFToken": "a" * 32},
    )
    assert response.status == 200
    assert response.body == {"data": {"viewer": None}, "extensions": NO_CONNECTIONS}


# CORS


@live
def test_cors_preflight_answers_allowed_origins_only(live_server, settings):
    settings.CORS_ALLOWED_ORIGINS = [APP]
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, x-csrftoken",
    }

    allowed = request(f"{live_server.url}/graphql/", method="OPTIONS", headers={"Origin": APP, **preflight})
    assert allowed.status == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == APP
    assert allowed.headers["Access-Control-Allow-Credentials"] == "true"
    allowed_headers = allowed.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed_headers and "x-csrftoken" in allowed_headers

    other = request(
        f"{live_server.url}/graphql/",
        method="OPTIONS",
        headers={"Origin": "https://evil.example", **preflight},
    )
    assert "Access-Control-Allow-Origin" not in other.headers


def test_a_cookie_session_from_a_trusted_origin_passes_csrf(db, settings, alice):
    settings.CSRF_TRUSTED_ORIGINS = [APP]

    def from_origin(origin: str):
        client = Client(enforce_csrf_checks=True)  # a fresh handler reads the overridden setting
        client.force_login(alice)
        client.cookies["csrftoken"] = "a" * 32
        return client.post(
            "/graphql/",
            json.dumps({"query": VIEWER}),
            content_type="application/json",
            headers={"X-CSRFToken": "a" * 32, "Origin": origin},
        )

    trusted = from_origin(APP)
    assert trusted.status_code == 200
    assert trusted.json() == {"data": {"viewer": {"username": "alice"}}, "extensions": NO_CONNECTIONS}
    assert from_origin("https://evil.example").status_code == 403


def test_cors_and_csrf_origins_come_from_one_environment_variable(monkeypatch):
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", f" {APP}, http://localhost:5173 ,")
    monkeypatch.setenv("SECRET_KEY", "t")
    loaded = runpy.run_path(str(django_settings.BASE_DIR / "backend" / "settings.py"))
    assert loaded["CORS_ALLOWED_ORIGINS"] == [APP, "http://localhost:5173"]
    assert loaded["CSRF_TRUSTED_ORIGINS"] == [APP, "http://localhost:5173"]
    assert loaded["CORS_ALLOW_CREDENTIALS"] is True
    assert loaded["MIDDLEWARE"][0] == "corsheaders.middleware.CorsMiddleware"
    auth = loaded["MIDDLEWARE"].index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert loaded["MIDDLEWARE"][auth + 1] == "backend.accounts.middleware.BearerTokenMiddleware"


# The GraphQL surface, through Django's request stack


def test_viewer_shows_the_linked_party_and_only_own_tokens(db, alice, bob):
    Party.objects.create(kind=PartyKind.PERSON, name="Alice Doe", user=alice)
    create_token(user=alice, name="Mine")
    create_token(user=bob, name="Bob's")

    data = GraphQLClient(alice).data("{ viewer { party { name } apiTokens { name isActive revokedAt } } }")
    assert data == {
        "viewer": {
            "party": {"name": "Alice Doe"},
            "apiTokens": [{"name": "Mine", "isActive": True, "revokedAt": None}],
        }
    }
    assert GraphQLClient(bob).data("{ viewer { party { name } } }") == {"viewer": {"party": None}}


def test_someone_elses_token_is_not_found_by_node_or_revoke(db, alice, bob):
    token, _ = create_token(user=bob, name="Bob's")
    token_id = gid("ApiToken", token.pk)
    missing_id = gid("ApiToken", token.pk + 1000)
    gql = GraphQLClient(alice)

    assert gql.data("query($id: ID!) { node(id: $id) { id } }", {"id": token_id}) == {"node": None}
    theirs = gql.mutate("apiTokenRevoke", {"id": token_id}, "apiToken { id }")
    missing = gql.mutate("apiTokenRevoke", {"id": missing_id}, "apiToken { id }")
    assert theirs["apiToken"] is None
    assert [(e["kind"], e["code"], e["field"]) for e in theirs["errors"]] == [
        ("NOT_FOUND", "NOT_FOUND", "id")
    ]
    assert theirs["errors"][0]["message"].replace(token_id, "?") == missing["errors"][0]["message"].replace(
        missing_id, "?"
    )
    token.refresh_from_db()
    assert token.revoked_at is None

    own = GraphQLClient(bob).data(
        "query($id: ID!) { node(id: $id) { ... on ApiToken { name } } }", {"id": token_id}
    )
    assert own == {"node": {"name": "Bob's"}}


def test_revoke_needs_an_api_token_id(db, alice):
    gql = GraphQLClient(alice)
    wrong_type = gql.mutate("apiTokenRevoke", {"id": gid("Party", 1)})
    garbage = gql.mutate("apiTokenRevoke", {"id": "not-an-id"})
    assert [e["code"] for e in wrong_type["errors"]] == ["WRONG_TYPE"]
    assert [e["code"] for e in garbage["errors"]] == ["INVALID_ID"]


def test_token_creation_checks_the_caller_and_the_expiry(db, alice):
    anonymous = GraphQLClient().mutate("apiTokenCreate", {"name": "x"}, "token")
    assert anonymous["token"] is None
    assert [e["kind"] for e in anonymous["errors"]] == ["PERMISSION"]

    past = (timezone.now() - timedelta(hours=1)).isoformat()
    expired = GraphQLClient(alice).mutate("apiTokenCreate", {"name": "x", "expiresAt": past}, "token")
    assert expired["token"] is None
    assert [(e["kind"], e["code"], e["field"]) for e in expired["errors"]] == [
        ("VALIDATION", "EXPIRY_IN_PAST", "expiresAt")
    ]
    assert not ApiToken.objects.exists()


def test_wrong_credentials_do_not_say_which_part_was_wrong(db, alice, django_user_model):
    django_user_model.objects.create_user("inactive", password="pw-inactive-1", is_active=False)
    gql = GraphQLClient()
    attempts = [
        {"username": "alice", "password": "wrong-password"},
        {"username": "nobody", "password": "pw-alice-123"},
        {"username": "inactive", "password": "pw-inactive-1"},
    ]
    results = [gql.mutate("sessionLogin", attempt, "viewer { username }") for attempt in attempts]

    assert all(result["viewer"] is None for result in results)
    errors = [result["errors"] for result in results]
    assert errors[0] == errors[1] == errors[2]
    assert [(e["kind"], e["code"], e["field"]) for e in errors[0]] == [("VALIDATION", "INVALID", None)]
    assert gql.data(VIEWER) == {"viewer": None}


@live
@pytest.mark.parametrize("separator", ["\t", "  ", " \t "])
def test_a_bearer_token_after_any_whitespace_authenticates(live_server, alice, separator):
    _, plaintext = create_token(user=alice, name="Script")
    response = graphql(live_server, VIEWER, headers={"Authorization": f"Bearer{separator}{plaintext}"})
    assert response.status == 200
    assert response.body["data"] == {"viewer": {"username": "alice"}}


@live
def test_a_bearer_scheme_without_a_token_is_refused_with_401(live_server):
    response = graphql(live_server, VIEWER, headers={"Authorization": "Bearer"})
    assert response.status == 401
    assert response.body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
