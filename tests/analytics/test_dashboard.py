"""The dashboard series and the receivables aging report: exact values, per viewer."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from backend.orders.models import Order
from tests.factories import gid

pytestmark = pytest.mark.django_db

DASHBOARD = """query($input: DashboardInput!) { dashboard(input: $input) {
    measure groupBy series { currency points { key label value money { amount currency } } } } }"""


def placed(order, day: str) -> None:
    Order.objects.filter(pk=order.pk).update(placed_at=timezone.make_aware(datetime.fromisoformat(day)))


@pytest.fixture
def dated(books):
    placed(books.usd, "2026-01-15T10:00")
    placed(books.eur, "2026-02-10T10:00")
    placed(books.cancelled, "2026-02-20T10:00")
    placed(books.hidden, "2026-04-01T10:00")
    return books


def series(client, **input) -> dict:
    data = client.data(DASHBOARD, {"input": input})["dashboard"]
    return {s["currency"]: [(p["key"], p["value"]) for p in s["points"]] for s in data["series"]}


def test_revenue_by_month_per_currency_and_viewer(gql, viewer, dated):
    assert series(gql, measure="REVENUE", groupBy="MONTH") == {
        "EUR": [("2026-02", "200.00")],
        "USD": [("2026-01", "1000.00"), ("2026-02", "0.00"), ("2026-04", "5000.00")],
    }
    assert series(viewer, measure="REVENUE", groupBy="MONTH") == {
        "EUR": [("2026-02", "200.00")],
        "USD": [("2026-01", "1000.00"), ("2026-02", "0.00")],
    }


def test_money_points_carry_labels_and_money(gql, dated):
    data = gql.data(DASHBOARD, {"input": {"measure": "MARGIN", "groupBy": "QUARTER", "currency": "USD"}})
    assert data["dashboard"] == {
        "measure": "MARGIN",
        "groupBy": "QUARTER",
        "series": [
            {
                "currency": "USD",
                "points": [
                    {"key": "2026-Q1", "label": "2026-Q1", "value": "550.00",
                     "money": {"amount": "550.00", "currency": "USD"}},
                    {"key": "2026-Q2", "label": "2026-Q2", "value": "4100.00",
                     "money": {"amount": "4100.00", "currency": "USD"}},
                ],
            }
        ],
    }  # fmt: skip


def test_other_measures_and_groupings(gql, dated, company):
    assert series(gql, measure="COST", groupBy="JOB_KIND") == {
        "EUR": [("STANDARD", "80.00")],
        "USD": [("STANDARD", "1350.00")],
    }
    assert series(gql, measure="COUNT", groupBy="STATUS") == {None: [("CANCELLED", "1"), ("OPEN", "3")]}
    assert series(gql, measure="HOURS", groupBy="CUSTOMER") == {
        None: [(gid("Party", company.customer.pk), "3.00")]
    }
    assert series(gql, measure="OUTSTANDING", groupBy="PROJECT") == {
        "EUR": [(gid("Project", dated.project.pk), "0.00")],
        "USD": [
            (gid("Project", dated.project.pk), "300.00"),
            (gid("Project", dated.hidden_project.pk), "5000.00"),
        ],
    }


def test_date_range_and_connection_filters(gql, dated):
    assert series(gql, measure="REVENUE", groupBy="MONTH", start="2026-02-01", end="2026-03-31") == {
        "EUR": [("2026-02", "200.00")],
        "USD": [("2026-02", "0.00")],
    }
    assert series(gql, measure="COST", groupBy="ORDER_KIND", filters={"marginPercent": {"gt": "50"}}) == {
        "EUR": [("SALES", "80.00")],
        "USD": [("SALES", "1350.00")],
    }


def test_a_grouping_that_does_not_fit_the_measure_is_refused(gql, dated):
    result = gql.execute(DASHBOARD, {"input": {"measure": "REVENUE", "groupBy": "JOB_KIND"}})
    assert result["errors"][0]["message"] == "Grouped by job kind, the measure is COST, HOURS or COUNT."


AGING = """query($asOf: Date) { receivablesAging(asOf: $asOf) {
    rows { customer { name } currency current { amount } days1To30 { amount } days31To60 { amount }
           days61To90 { amount } over90 { amount } total { amount currency } }
    totals { customer { name } currency total { amount } over90 { amount } } } }"""


def amounts(row) -> list:
    names = ("current", "days1To30", "days31To60", "days61To90", "over90", "total")
    return [row[name]["amount"] for name in names]


def test_aging_buckets_per_customer_and_viewer(gql, viewer, books, company):
    as_of = (timezone.localdate() + timedelta(days=20)).isoformat()
    everything = gql.data(AGING, {"asOf": as_of})["receivablesAging"]
    [row] = everything["rows"]
    assert (row["customer"]["name"], row["currency"]) == (company.customer.name, "USD")
    # the memo's unapplied 20 is a credit (current); the first invoice's 320 is 65 days late; the
    # hidden order's 5000 is 120 days late
    assert amounts(row) == ["-20.00", "0.00", "0.00", "320.00", "5000.00", "5300.00"]
    assert everything["totals"] == [
        {"customer": None, "currency": "USD", "total": {"amount": "5300.00"}, "over90": {"amount": "5000.00"}}
    ]
    [limited] = viewer.data(AGING, {"asOf": as_of})["receivablesAging"]["rows"]
    assert amounts(limited) == ["-20.00", "0.00", "0.00", "320.00", "0.00", "300.00"]


def test_the_dashboard_and_aging_are_a_fixed_number_of_queries(gql, dated, company, count_queries):
    def run():
        series(gql, measure="MARGIN", groupBy="CUSTOMER")
        gql.data(AGING)

    _, small = count_queries(run)
    for _ in range(3):
        company.order(dated.project)
    _, large = count_queries(run)
    # two requests, each with its session and user; the series is one grouped query; the aging
    # report is one grouped query and one for its customers
    assert len(small.captured_queries) == len(large.captured_queries) == 2 * 2 + 1 + 2
