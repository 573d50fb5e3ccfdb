"""A page of 100 orders with every rollup is a fixed number of SQL queries, however many rows."""

from decimal import Decimal as D

import pytest

from .data import cost, invoice, pay

pytestmark = pytest.mark.django_db

PAGE = """{ orders(first: 100) { totalCount edges { node {
    number revenue { amount currency } invoicedAmount { amount } paidAmount { amount }
    outstandingAmount { amount } cost { amount } margin { amount } marginPercent
    customer { name openReceivables { amount currency } overdueReceivables { amount } averageDaysToPay }
    project { code revenue { amount currency } cost { amount } margin { amount } marginPercent { percent }
              invoicedAmount { amount } paidAmount { amount } outstandingAmount { amount }
              budgetedHours hoursByTaskStatus { status actualHours } }
    jobs(first: 10) { edges { node {
        actualCost { amount } pendingCost { amount } costVariance { amount } budgetUsedPercent
        isOverBudget budgetedHours actualHours } } }
} } } }"""


def add_orders(company, project, count: int) -> None:
    for n in range(count):
        order = company.order(project, lines=((D(1), D("100.00")),))
        job = company.job(order, budgeted_cost=D("50.00"))
        cost(job, "30.00")
        cost(job, "25.00", "PENDING")
        company.task(job, estimated_hours=D(1))
        if n % 2 == 0:
            pay(company, invoice(company, "100.00", order=order), "40.00")


def test_a_page_of_orders_with_every_rollup_does_not_grow_with_rows(gql, company, count_queries):
    project = company.project()
    add_orders(company, project, 50)
    result, small = count_queries(lambda: gql.data(PAGE))
    assert len(result["orders"]["edges"]) == 50
    add_orders(company, company.project(), 50)
    result, large = count_queries(lambda: gql.data(PAGE))
    orders = [edge["node"] for edge in result["orders"]["edges"]]
    assert len(orders) == 100
    assert orders[0]["margin"] == {"amount": "70.00"} and orders[0]["outstandingAmount"] == {
        "amount": "60.00"
    }
    assert orders[0]["jobs"]["edges"][0]["node"]["pendingCost"] == {"amount": "25.00"}
    assert orders[0]["project"]["revenue"] == [{"amount": "5000.00", "currency": "USD"}]
    assert orders[0]["customer"]["openReceivables"] == [{"amount": "3000.00", "currency": "USD"}]
    sql = "\n\n".join(q["sql"] for q in large.captured_queries)
    assert len(large.captured_queries) == len(small.captured_queries), sql
    assert len(large.captured_queries) == EXPECTED_QUERIES, sql


# 2 for the session and its user; the page of orders (every order rollup is a correlated subquery
# in it) and its totalCount; customers (with their receivables), projects (with their rollups)
# and jobs (with theirs): one query each, whatever the number of rows.
EXPECTED_QUERIES = 2 + 2 + 3
