"""The API over a real HTTP server: a browser session with CSRF, JSON in and out."""

import json
import urllib.error
import urllib.request

import pytest
from django.test import Client
from guardian.shortcuts import assign_perm

from .factories import Company

pytestmark = pytest.mark.django_db(transaction=True)

CSRF = "a" * 32  # a CSRF secret; Django accepts it in the cookie and the header alike


def post(url: str, body: dict, *, cookies: dict, headers: dict | None = None):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Referer": url,
            **(headers or {}),
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None


@pytest.fixture
def e2e_user(django_user_model):
    return django_user_model.objects.create_user("e2e", password="pw-e2e-12345")


@pytest.fixture
def session_cookie(e2e_user):
    client = Client()
    client.force_login(e2e_user)
    return client.cookies["sessionid"].value


def test_logged_in_browser_reads_the_hierarchy_over_http(live_server, e2e_user, session_cookie):
    company = Company.create()
    project = company.project(name="Spring campaign")
    company.order(project)
    company.project(name="Someone else's")  # not granted: not seen
    assign_perm("projects.view_project", e2e_user, project)
    url = f"{live_server.url}/graphql/"
    status, body = post(
        url,
        {
            "query": "{ projects(first: 5) { totalCount edges { node { name orders(first: 5) { edges { node { total { amount currency } } } } } } } }"
        },
        cookies={"sessionid": session_cookie, "csrftoken": CSRF},
        headers={"X-CSRFToken": CSRF},
    )
    assert status == 200
    assert body == {
        "data": {
            "projects": {
                "totalCount": 1,
                "edges": [
                    {
                        "node": {
                            "name": "Spring campaign",
                            "orders": {
                                "edges": [{"node": {"total": {"amount": "20.00", "currency": "USD"}}}]
                            },
                        }
                    }
                ],
            }
        },
        # 5 projects and 5 orders of each
        "extensions": {"cost": {"estimatedNodes": 30, "limit": 50_000}},
    }


def test_cookie_session_without_csrf_token_is_refused(live_server, session_cookie):
    status, _ = post(
        f"{live_server.url}/graphql/",
        {"query": "{ projects(first: 1) { totalCount } }"},
        cookies={"sessionid": session_cookie},
    )
    assert status == 403


def test_anonymous_http_caller_sees_nothing(live_server):
    Company.create().project()
    status, body = post(
        f"{live_server.url}/graphql/",
        {"query": "{ projects(first: 5) { totalCount edges { node { name } } } }"},
        cookies={"csrftoken": CSRF},
        headers={"X-CSRFToken": CSRF},
    )
    assert status == 200
    assert body == {
        "data": {"projects": {"totalCount": 0, "edges": []}},
        "extensions": {"cost": {"estimatedNodes": 5, "limit": 50_000}},
    }
