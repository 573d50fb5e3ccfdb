"""Rollups in the graph: exact values, filters and orderings by them, and what each viewer sees."""

from decimal import Decimal as D

import pytest

from .data import cost

pytestmark = pytest.mark.django_db

ORDER_FIELDS = """number currency revenue { amount currency } invoicedAmount { amount } paidAmount { amount }
    outstandingAmount { amount } cost { amount } margin { amount } marginPercent"""
JOB_FIELDS = """name budgetedCost { amount } actualCost { amount currency } pendingCost { amount }
    costVariance { amount } budgetUsedPercent isOverBudget budgetedHours actualHours"""


def nodes(connection):
    return [edge["node"] for edge in connection["edges"]]


def test_order_and_job_rollups(gql, books):
    data = gql.data(
        f"""query($id: ID!) {{ node(id: $id) {{ ... on Order {{ {ORDER_FIELDS}
            jobs(first: 10) {{ edges {{ node {{ {JOB_FIELDS} }} }} }} }} }} }}""",
        {"id": _gid("Order", books.usd.pk)},
    )["node"]
    jobs = nodes(data.pop("jobs"))
    assert data == {
        "number": books.usd.number,
        "currency": "USD",
        "revenue": {"amount": "1000.00", "currency": "USD"},
        "invoicedAmount": {"amount": "550.00"},
        "paidAmount": {"amount": "250.00"},
        "outstandingAmount": {"amount": "300.00"},
        "cost": {"amount": "450.00"},
        "margin": {"amount": "550.00"},
        "marginPercent": "55.00",
    }
    assert [{k: v for k, v in job.items() if k != "name"} for job in jobs] == [
        {
            "budgetedCost": {"amount": "300.00"},
            "actualCost": {"amount": "350.00", "currency": "USD"},
            "pendingCost": {"amount": "160.00"},
            "costVariance": {"amount": "-50.00"},
            "budgetUsedPercent": "116.67",
            "isOverBudget": True,
            "budgetedHours": "10.00",
            "actualHours": "3.00",
        },
        {
            "budgetedCost": {"amount": "1000.00"},
            "actualCost": {"amount": "100.00", "currency": "USD"},
            "pendingCost": {"amount": "0.00"},
            "costVariance": {"amount": "900.00"},
            "budgetUsedPercent": "10.00",
            "isOverBudget": False,
            "budgetedHours": "0.00",
            "actualHours": "0.00",
        },
    ]


PROJECT = """query($code: String!) { projects(first: 5, filters: {code: {exact: $code}}) { edges { node {
    revenue { amount currency } cost { amount currency } margin { amount currency }
    invoicedAmount { amount currency } paidAmount { amount currency } outstandingAmount { amount currency }
    marginPercent { currency percent } usdRevenue: revenue(currency: "USD") { amount currency }
    jpyRevenue: revenue(currency: "JPY") { amount currency } budgetedHours
    hoursByTaskStatus { status estimatedHours actualHours }
} } } }"""


def test_project_rollups_per_currency(gql, books):
    [project] = nodes(gql.data(PROJECT, {"code": "BOOKS"})["projects"])
    assert project == {
        "revenue": [{"amount": "200.00", "currency": "EUR"}, {"amount": "1000.00", "currency": "USD"}],
        "cost": [{"amount": "80.00", "currency": "EUR"}, {"amount": "450.00", "currency": "USD"}],
        "margin": [{"amount": "120.00", "currency": "EUR"}, {"amount": "550.00", "currency": "USD"}],
        "invoicedAmount": [{"amount": "200.00", "currency": "EUR"}, {"amount": "550.00", "currency": "USD"}],
        "paidAmount": [{"amount": "200.00", "currency": "EUR"}, {"amount": "250.00", "currency": "USD"}],
        "outstandingAmount": [{"amount": "0.00", "currency": "EUR"}, {"amount": "300.00", "currency": "USD"}],
        "marginPercent": [{"currency": "EUR", "percent": "60.00"}, {"currency": "USD", "percent": "55.00"}],
        "usdRevenue": [{"amount": "1000.00", "currency": "USD"}],
        "jpyRevenue": [{"amount": "0", "currency": "JPY"}],
        "budgetedHours": "10.00",
        "hoursByTaskStatus": [{"status": "PLANNING", "estimatedHours": "5.00", "actualHours": "3.00"}],
    }


def test_an_unknown_currency_is_refused(gql, books):
    result = gql.execute(
        """{ projects(first: 1) { edges { node { revenue(currency: "XYZ") { amount } } } } }"""
    )
    assert "Unknown currency 'XYZ'" in result["errors"][0]["message"]


PARTY = """query($id: ID!) { node(id: $id) { ... on Party {
    openReceivables { amount currency } overdueReceivables { amount currency }
    usd: openReceivables(currency: "USD") { amount } averageDaysToPay
} } }"""


def test_customer_receivables_count_only_visible_invoices(gql, viewer, books, company):
    variables = {"id": _gid("Party", company.customer.pk)}
    everything = gql.data(PARTY, variables)["node"]
    assert everything == {
        # 600 − 250 paid − 30 credited, less the memo's unapplied 20; plus the hidden order's 5000
        "openReceivables": [{"amount": "5300.00", "currency": "USD"}],
        "overdueReceivables": [{"amount": "5320.00", "currency": "USD"}],
        "usd": [{"amount": "5300.00"}],
        "averageDaysToPay": "20.0",
    }
    assert viewer.data(PARTY, variables)["node"] == {
        "openReceivables": [{"amount": "300.00", "currency": "USD"}],
        "overdueReceivables": [{"amount": "320.00", "currency": "USD"}],
        "usd": [{"amount": "300.00"}],
        "averageDaysToPay": "20.0",
    }


TOTALS = """{ orders(first: 100, ordering: [{margin: DESC}]) { totalCount edges { node { number margin { amount } } } } }"""


def test_two_viewers_get_different_totals(gql, viewer, books):
    def margins(client):
        return [(o["number"], o["margin"]["amount"]) for o in nodes(client.data(TOTALS)["orders"])]

    everything, limited = margins(gql), margins(viewer)
    assert everything == [
        (books.hidden.number, "4100.00"),
        (books.usd.number, "550.00"),
        (books.eur.number, "120.00"),
        (books.cancelled.number, "0.00"),
    ]
    assert limited == everything[1:]


def test_filter_orders_by_margin_percent_and_jobs_over_budget_worst_first(gql, books, company):
    low = company.order(books.project, lines=((D(1), D("100.00")),))
    cost(company.job(low, budgeted_cost=D("10.00")), "95.00")  # margin 5 %
    data = gql.data(
        """{ orders(first: 10, filters: {marginPercent: {lt: "10"}}) { edges { node { number marginPercent } } }
             jobs(first: 10, filters: {isOverBudget: true}, ordering: [{costVariance: ASC}]) {
               edges { node { name costVariance { amount } } } }
             nested: jobs(first: 10, filters: {order: {margin: {gte: "1000"}}}) { totalCount } }"""
    )
    assert nodes(data["orders"]) == [{"number": low.number, "marginPercent": "5.00"}]
    assert [job["costVariance"]["amount"] for job in nodes(data["jobs"])] == ["-900.00", "-85.00", "-50.00"]
    assert data["nested"]["totalCount"] == 1  # the hidden order's job (margin 4100)


def test_cursor_pages_follow_a_rollup_ordering(gql, books):
    query = """query($after: String) { orders(first: 2, after: $after, ordering: [{cost: DESC}]) {
        pageInfo { hasNextPage endCursor } edges { node { cost { amount } } } } }"""
    first = gql.data(query)["orders"]
    second = gql.data(query, {"after": first["pageInfo"]["endCursor"]})["orders"]
    amounts = [o["cost"]["amount"] for o in nodes(first)]
    amounts += [o["cost"]["amount"] for o in nodes(second)]
    assert amounts == ["900.00", "450.00", "80.00", "0.00"]
    assert second["pageInfo"]["hasNextPage"] is False


def _gid(type_name: str, pk: int) -> str:
    from tests.factories import gid

    return gid(type_name, pk)
