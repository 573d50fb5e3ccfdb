"""The rollup fields of jobs, orders, projects and parties, answered the same by the compiled path and
the general path for every viewer, over books in currencies of 0, 2 and 3 minor digits."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.audit.services import transition
from backend.billing.application import apply_credit_memo
from backend.billing.models import InvoiceKind, InvoiceStatus
from backend.orders.models import Order, OrderStatus
from backend.orders.services import add_order_item, create_order
from backend.orders.transitions import ORDER_FLOW
from backend.work.models import ApprovalStatus, WorkStatus
from backend.work.transitions import WORK_FLOW
from tests.analytics.data import cost, invoice, pay
from tests.factories import gid

from .conftest import VIEWERS, compiles, same_answer
from .test_statements import SESSION_QUERIES, statements

pytestmark = pytest.mark.django_db

D = Decimal


@dataclass
class Books:
    purchase: Order
    cancelled: Order


def _order(company, project, currency: str, *, purchase: bool = False, price: str = "10.5") -> Order:
    customer, vendor = (
        (company.internal, company.supplier) if purchase else (company.customer, company.internal)
    )
    order = create_order(actor=None, customer=customer, vendor=vendor, currency=currency, project=project)
    add_order_item(order, actor=None, product=company.product, quantity=D(3), unit_price=D(price))
    order.refresh_from_db()
    return order


@pytest.fixture
def books(tree, company) -> Books:
    """Costs, hours, invoices, payments and credits on the tree's orders: order 0 (USD) and the loose
    EUR order are granted to one viewer, project 1 (orders 3 JPY and 4 BHD) to another."""
    today = timezone.localdate()
    amounts = {
        "USD": ("150.10", "20.55", "600.00", "150.25"),
        "JPY": ("120", "31", "1201", "300"),
        "BHD": ("60.125", "7.5", "75.125", "18.781"),
        "EUR": ("12.34", "5.00", "99.99", "33.33"),
    }
    for index in (0, 1, 2, 3, 4, 7):
        order = tree.orders[index]
        approved, pending, invoiced, paid = amounts[order.currency]
        job = tree.jobs[2 * index] if index < 7 else tree.jobs[-1]
        cost(job, approved)
        cost(job, pending, ApprovalStatus.PENDING)
        cost(job, "9.00", ApprovalStatus.REJECTED)
        cost(tree.jobs[2 * index + 1] if index < 7 else tree.jobs[-2], approved)
        issued = invoice(
            company, invoiced, order=order, currency=order.currency, due=today - timedelta(days=40)
        )
        pay(company, issued, paid)
        invoice(company, invoiced, order=order, currency=order.currency, status=InvoiceStatus.IN_PROCESS)
        memo = invoice(
            company, approved, order=order, currency=order.currency, kind=InvoiceKind.CREDIT_MEMO,
            status=InvoiceStatus.APPROVED,
        )  # fmt: skip
        apply_credit_memo(credit_memo=memo, invoice=issued, amount=D(pending), actor=None)
        settled = invoice(
            company, pending, order=order, currency=order.currency, due=today - timedelta(days=3)
        )
        pay(company, settled, pending)
        invoice(company, invoiced, order=order, currency=order.currency, due=today + timedelta(days=9))
    invoice(company, "44.44", currency="USD", due=today - timedelta(days=70))  # no order: superuser only
    # A job without a budget but with an approved cost; tasks with estimates in two statuses.
    unbudgeted = company.job(tree.orders[3], budgeted_cost=D(0), budgeted_hours=D("7.25"))
    cost(unbudgeted, "500")
    company.task(unbudgeted, estimated_hours=D("5.50"))
    started = company.task(tree.orders[3], estimated_hours=D("1.25"))
    transition(started, flow=WORK_FLOW, to=WorkStatus.APPROVED, actor=None)
    company.time(started, hours=D("1.75"))
    purchase = _order(company, None, "JPY", purchase=True, price="333")  # its project would be the customer's
    cost(company.job(purchase, budgeted_cost=D(1000)), "250")
    cancelled = _order(company, tree.projects[0], "BHD", price="1.0005")
    transition(cancelled, flow=ORDER_FLOW, to=OrderStatus.CANCELLED, actor=None)
    return Books(purchase, cancelled)


MONEY = "{ amount currency __typename }"
JOB = f"""id name budgetedHours actualCost {MONEY} pendingCost {{ amount }} cost: costVariance {MONEY}
    budgetUsedPercent isOverBudget actualHours"""
PARTY = f"""name openReceivables {MONEY} overdueReceivables {{ amount currency }}
    bhd: openReceivables(currency: "BHD") {{ amount currency }} jpy: overdueReceivables(currency: "JPY") {MONEY}
    averageDaysToPay"""
ORDER = f"""number revenue {MONEY} invoicedAmount {MONEY} paidAmount {{ amount }} outstandingAmount {MONEY}
    cost {{ currency amount }} margin {MONEY} marginPercent customer {{ {PARTY} }} vendor {{ name averageDaysToPay }}"""
PROJECT = f"""code revenues: revenue {MONEY} costs: cost {MONEY} margins: margin {{ amount currency }}
    invoiced: invoicedAmount {MONEY} paid: paidAmount {MONEY} outstanding: outstandingAmount {MONEY} usd: revenue(currency: "USD") {MONEY}
    jpy: margin(currency: "JPY") {{ amount }} bhd: outstandingAmount(currency: "BHD") {MONEY}
    eur: invoicedAmount(currency: "EUR") {MONEY} none: paidAmount(currency: null) {{ amount }}
    budgetedHours hoursByTaskStatus {{ status estimatedHours actualHours __typename }}
    byStatus: hoursByTaskStatus {{ hours: actualHours }}"""

EVERY_ROLLUP = f"""{{
  projects(first: 10) {{ edges {{ node {{ {PROJECT} }} }} }}
  orders(first: 20) {{ totalCount edges {{ node {{ {ORDER} }} }} }}
  jobs(first: 30) {{ edges {{ node {{ {JOB} }} }} }}
}}"""

NESTED = f"""{{
  projects(first: 5) {{ edges {{ node {{ code budgetedHours
    orders(first: 5) {{ edges {{ node {{ number margin {{ amount }} marginPercent
      jobs(first: 3) {{ edges {{ node {{ name actualCost {{ amount currency }} isOverBudget
        order {{ number outstandingAmount {{ amount }} project {{ code paidAmount {{ amount }} }} }}
      }} }} }}
    }} }} }}
  }} }} }}
  jobCosts(first: 40) {{ edges {{ node {{ amount {{ amount }} job {{ actualHours pendingCost {{ amount }} }}
    party {{ name averageDaysToPay }} }} }} }}
  shipments(first: 5) {{ edges {{ node {{ toParty {{ {PARTY} }} order {{ revenue {{ amount }} }} }} }} }}
}}"""

FRAGMENTS = """
query Rollups($currency: String, $withHours: Boolean!) {
  projects(first: 5) { edges { node { ...amounts ... on Project { hoursByTaskStatus @include(if: $withHours) { status } } } } }
  orders(first: 30) { edges { node { ... { paid: paidAmount { value: amount } } margin { amount } } } }
}
fragment amounts on Project { revenue(currency: $currency) { amount currency } margin(currency: $currency) { amount } }
"""

NODE = f"""query One($id: ID!) {{ node(id: $id) {{ id
  ... on Project {{ {PROJECT} }} ... on Order {{ {ORDER} }} ... on Job {{ {JOB} order {{ customer {{ {PARTY} }} }} }}
}} }}"""


def corpus(tree, books) -> list[tuple[str, dict | None, bool]]:
    """(query, variables, whether the compiled path answers it itself)."""
    queries = [
        (EVERY_ROLLUP, None, True),
        (NESTED, None, True),
        (FRAGMENTS, {"currency": "JPY", "withHours": True}, True),
        (FRAGMENTS, {"currency": None, "withHours": False}, True),
        (FRAGMENTS, {"currency": "KWD", "withHours": True}, True),
        # An unknown currency is an error per record: the general path says so.
        (FRAGMENTS, {"currency": "XYZ", "withHours": True}, False),
        (
            '{ orders(first: 3) { edges { node { customer { openReceivables(currency: "ABC") { amount } } } } } }',
            None,
            False,
        ),
        # Left to the general path: percentages per currency, filters and orderings on rollups.
        ("{ projects(first: 3) { edges { node { marginPercent { currency percent } } } } }", None, False),
        (
            "{ orders(first: 3, ordering: [{margin: DESC}]) { edges { node { margin { amount } } } } }",
            None,
            False,
        ),
        ("{ jobs(first: 3, filters: {isOverBudget: true}) { edges { node { name } } } }", None, True),
    ]
    for type_name, row in [
        ("Project", tree.projects[0]),
        ("Project", tree.projects[1]),
        ("Order", tree.orders[0]),
        ("Order", tree.orders[3]),
        ("Order", books.purchase),
        ("Order", books.cancelled),
        ("Job", tree.jobs[0]),
        ("Job", tree.jobs[7]),
    ]:
        queries.append((NODE, {"id": gid(type_name, row.pk)}, True))
    return queries


@pytest.mark.parametrize("viewer", VIEWERS)
def test_rollups_match(settings, tree, books, viewers, viewer):
    client = viewers[viewer]
    for query, variables, compiled in corpus(tree, books):
        same_answer(settings, client, query, variables)
        assert compiles(client, query, variables) is compiled, query


def test_the_books_exercise_every_rollup(settings, tree, books, viewers):
    """The data gives the rollups values worth comparing: several currencies per project, money
    rounded to 0 and 3 places, jobs over budget and without one, overdue receivables."""
    data = same_answer(settings, viewers["superuser"], EVERY_ROLLUP)["data"]
    projects = [edge["node"] for edge in data["projects"]["edges"]]
    assert {m["currency"] for m in projects[0]["revenues"]} == {"USD", "JPY", "BHD"}
    assert projects[0]["eur"] == [{"amount": "0.00", "currency": "EUR", "__typename": "Money"}]
    assert any(len(p["hoursByTaskStatus"]) > 1 for p in projects)
    orders = [edge["node"] for edge in data["orders"]["edges"]]
    assert {o["revenue"]["amount"] for o in orders} >= {"0", "0.000"}
    assert any(o["marginPercent"] is None for o in orders)
    assert any(o["customer"]["overdueReceivables"] for o in orders)
    assert any(o["customer"]["averageDaysToPay"] for o in orders)
    jobs = [edge["node"] for edge in data["jobs"]["edges"]]
    assert {j["isOverBudget"] for j in jobs} == {True, False}
    assert any(j["budgetUsedPercent"] is None for j in jobs)
    assert {j["actualCost"]["currency"] for j in jobs if j["actualCost"]["amount"].strip("0.")} >= {
        "JPY",
        "BHD",
    }


def test_receivables_depend_on_the_viewer(settings, tree, books, viewers):
    query = "{ orders(first: 1) { edges { node { customer { openReceivables { amount currency } } } } } }"
    answers = [same_answer(settings, viewers[v], query)["data"] for v in ("superuser", "order_grant")]
    assert answers[0] != answers[1]
    assert all(compiles(viewers[v], query) for v in ("superuser", "order_grant"))


@pytest.mark.parametrize("viewer", ["superuser", "order_grant"])
def test_every_rollup_is_read_in_the_one_statement(tree, books, viewers, viewer):
    data, sql = statements(viewers[viewer], EVERY_ROLLUP)
    assert len(sql) == SESSION_QUERIES + 1, "\n".join(sql)
    assert data["data"]["orders"]["edges"][0]["node"]["customer"]["openReceivables"]
