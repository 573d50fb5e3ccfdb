"""CSV exports over HTTP: the connection's filters and ordering, the viewer's rows, streamed."""

import csv
import io
import json
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from guardian.shortcuts import assign_perm

from backend.accounts.services import create_token
from tests.factories import gid

pytestmark = pytest.mark.django_db


def get(client: Client, path: str, headers: dict | None = None, **params):
    query = urlencode({name: json.dumps(value) for name, value in params.items()})
    return client.get(f"{path}?{query}" if query else path, **(headers or {}))


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_orders_export_has_every_row_with_its_rollups(admin_client, books):
    exported = rows(get(admin_client, "/exports/orders.csv", ordering=[{"margin": "DESC"}]))
    assert [row["number"] for row in exported] == [
        books.hidden.number, books.usd.number, books.eur.number, books.cancelled.number,
    ]  # fmt: skip
    usd = exported[1]
    assert usd["id"] == gid("Order", books.usd.pk)
    assert {name: usd[name] for name in ("currency", "project", "total", "revenue", "invoiced_amount",
            "paid_amount", "outstanding_amount", "cost", "margin", "margin_percent", "status")} == {
        "currency": "USD", "project": "BOOKS", "total": "1000.00", "revenue": "1000.00",
        "invoiced_amount": "550.00", "paid_amount": "250.00", "outstanding_amount": "300.00",
        "cost": "450.00", "margin": "550.00", "margin_percent": "55.00", "status": "OPEN",
    }  # fmt: skip
    assert exported[3]["margin_percent"] == ""  # no revenue


def test_the_connections_filters_apply(admin_client, books):
    exported = rows(get(admin_client, "/exports/orders.csv", filters={"marginPercent": {"gt": "50"}}))
    assert [row["number"] for row in exported] == [books.usd.number, books.eur.number, books.hidden.number]
    costs = rows(
        get(
            admin_client,
            "/exports/job-costs.csv",
            filters={
                "approvalStatus": {"exact": "APPROVED"},
                "job": {"order": {"number": {"exact": books.usd.number}}},
            },
            ordering=[{"amount": "DESC"}],
        )
    )
    assert [(row["kind"], row["amount"], row["currency"], row["approval_status"]) for row in costs] == [
        ("MATERIAL", "200.00", "USD", "APPROVED"),
        ("MATERIAL", "150.00", "USD", "APPROVED"),
        ("MATERIAL", "100.00", "USD", "APPROVED"),
    ]
    assert costs[0]["job_id"] == gid("Job", books.job_over.pk) and costs[0]["quantity"] == "1"


def test_a_bearer_token_sees_only_what_its_user_may_see(books):
    clerk = get_user_model().objects.create_user("clerk", password="pw-clerk-123")
    assign_perm("projects.view_project", clerk, books.project)
    _, token = create_token(user=clerk, name="Spreadsheet")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    exported = rows(get(Client(), "/exports/orders.csv", headers))
    assert sorted(row["number"] for row in exported) == sorted(
        [books.usd.number, books.eur.number, books.cancelled.number]
    )
    costs = rows(get(Client(), "/exports/job-costs.csv", headers))
    assert len(costs) == 7 and books.hidden.number not in {row["order"] for row in costs}


def test_anonymous_bad_token_and_bad_input_are_refused(admin_client, books):
    assert get(Client(), "/exports/orders.csv").status_code == 401
    assert get(Client(), "/exports/orders.csv", {"HTTP_AUTHORIZATION": "Bearer nope"}).status_code == 401
    response = get(admin_client, "/exports/orders.csv", filters={"margin": {"lt": "ten"}})
    assert response.status_code == 400
    assert "filters" in response.json()["errors"][0]["message"]
    response = admin_client.get("/exports/orders.csv?filters=%7Bnot-json")
    assert response.status_code == 400 and "not valid JSON" in response.json()["errors"][0]["message"]
    assert admin_client.post("/exports/orders.csv").status_code == 405


REFUSED_FILTERS = {
    "regex": ({"number": {"regex": "("}}, "`filters.number.regex` is not a valid regular expression"),
    "iregex": ({"number": {"iRegex": "[a-"}}, "`filters.number.iRegex` is not a valid regular expression"),
    "nul": ({"name": {"contains": "a\x00b"}}, "`filters.name.contains` contains a NUL character"),
    "surrogate": ({"name": {"exact": "\udfff"}}, "`filters.name.exact` contains a lone surrogate"),
    "nan": ({"marginPercent": {"lt": "NaN"}}, "`filters.marginPercent.lt` is not a finite number"),
    "huge": ({"total": {"gt": "1E+30"}}, "`filters.total.gt` has more than 12 digits"),
    "id of another type": (
        {"id": {"exact": gid("Project", 1)}},
        "`filters.id.exact` is not the id of an Order",
    ),
    "malformed id": (
        {"id": {"inList": [gid("Order", "0081")]}},
        "`filters.id.inList.0` is not the id of an Order",
    ),
}


@pytest.mark.parametrize("filters,message", REFUSED_FILTERS.values(), ids=REFUSED_FILTERS.keys())
def test_bad_filters_are_a_400_naming_the_parameter_before_any_row(admin_client, books, filters, message):
    response = get(admin_client, "/exports/orders.csv", **{"filters": filters})
    assert response.status_code == 400
    assert not response.streaming
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "BAD_REQUEST"}
    assert error["message"].startswith(message)


def test_deeply_nested_filters_are_a_400(admin_client, books):
    deep = '{"NOT": ' * 5000 + "{}" + "}" * 5000
    response = admin_client.get("/exports/job-costs.csv", {"filters": deep})
    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["errors"][0]["message"]
