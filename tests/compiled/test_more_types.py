"""Billing, returns, order parts and items, shipment items and the directory types through the compiled
path: root connections, node lookups, nested connections and links, answered as the general path does."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from guardian.shortcuts import assign_perm

from backend.billing.models import Invoice, InvoiceItem, Payment, PaymentApplication
from backend.catalog.models import Asset, Facility, Product
from backend.orders.models import OrderItem, OrderPart
from backend.parties.models import Party
from backend.returns.models import Return, ReturnItem
from backend.shipping.models import ShipmentItem
from backend.work.models import TaskTemplate
from backend.work.services import log_time
from tests.factories import gid

from .books import build_books
from .conftest import VIEWERS, compiles, same_answer

pytestmark = pytest.mark.django_db

MONEY = "fragment money on Money { amount currency __typename }"

BILLING = (
    MONEY
    + """
query Billing {
  invoices(first: 20) { totalCount edges { cursor node {
    __typename id kind direction status invoiceDate dueDate currency createdAt updatedAt version
    total { ...money } appliedTotal { ...money } unpaidTotal { ...money }
    fromParty { name } toParty { id kind } order { number currency }
    items(first: 3) { totalCount edges { node {
      id description quantity version unitPrice { ...money } total { ...money }
      invoice { id } product { name sku } orderItem { description quantity } jobCost { id }
    } } }
    applications(first: 3) { totalCount edges { node { id amount { ...money } } } }
    applicationsReceived(first: 3) { totalCount edges { node { id originalAmount { ...money } } } }
  } } }
  payments(first: 20) { totalCount pageInfo { hasNextPage endCursor } edges { node {
    id instrument status currency effectiveDate createdAt updatedAt version
    amount { ...money } appliedTotal { ...money } unappliedTotal { ...money }
    fromParty { name } toParty { name } order { number } forInvoice { id } refundFor { id amount { amount } }
    applications(first: 3) { totalCount edges { node { id } } }
    applicationsReceived(first: 3) { totalCount edges { node { id amount { amount } } } }
  } } }
  paymentApplications(first: 30) { totalCount edges { node {
    id appliedAt unappliedAt version amount { ...money } originalAmount { ...money }
    payment { id currency } invoice { id kind } toPayment { id } toInvoice { id status }
  } } }
}
"""
)

RETURNS = (
    MONEY
    + """
query Returns {
  returns(first: 10) { totalCount edges { node {
    id status currency createdAt updatedAt version customer { name } vendor { name } facility { name }
    order { number } shipment { kind status } invoice { kind total { ...money } }
    refundPayment { amount { ...money } } replacementOrder { name currency total { ...money } }
    items(first: 5) { totalCount edges { node { id } } }
  } } }
  returnItems(first: 20) { totalCount edges { node {
    id description quantity reason response version returnPrice { ...money }
    returnHeader { id currency } orderItem { id } product { sku }
  } } }
}
"""
)

ORDERS = (
    MONEY
    + """
query Orders {
  orders(first: 5) { edges { node {
    number
    parts(first: 2) { totalCount edges { node { name } } }
    items(first: 4) { totalCount edges { node { description unitPrice { ...money } } } }
    invoices(first: 3) { totalCount edges { node { kind total { amount } } } }
    payments(first: 3) { totalCount edges { node { amount { ...money } } } }
    returns(first: 2) { totalCount edges { node { status } } }
  } } }
  orderParts(first: 10) { totalCount edges { node {
    id name status shipToAddress shipAfter shipBefore version total { ...money }
    order { number } facility { name kind } carrier { name }
    items(first: 3) { totalCount edges { node { id unitPrice { ...money } total { ...money } } } }
  } } }
  orderItems(first: 30) { totalCount edges { node {
    id description quantity version unitPrice { ...money } total { ...money }
    order { number currency } part { name } product { name }
  } } }
  shipmentItems(first: 10) { totalCount edges { node {
    id quantity version shipment { kind order { number } } product { name } orderItem { description }
  } } }
  shipments(first: 40) { edges { node { id items(first: 3) { totalCount edges { node { quantity } } } } } }
}
"""
)

DIRECTORY = (
    MONEY
    + """
query Directory {
  parties(first: 10) { totalCount edges { node {
    __typename id kind name externalId disabled createdAt updatedAt version
    tasks(first: 2) { totalCount edges { node { title } } }
  } } }
  products(first: 5) { totalCount edges { node {
    id kind name sku description requiresInventory returnable taxable disabled version
    assets(first: 5) { totalCount edges { node { serialNumber } } }
  } } }
  assets(first: 5) { totalCount edges { node {
    id kind serialNumber lot quantityOnHand version acquireCost { ...money }
    product { name } facility { name parent { name } }
  } } }
  facilities(first: 5) { totalCount edges { node {
    id kind name address version parent { name } owner { name }
    children(first: 3) { totalCount edges { node { name } } }
    assets(first: 3) { totalCount edges { node { lot } } }
  } } }
  taskTemplates(first: 5) { totalCount edges { node { id name description version } } }
}
"""
)

NODE = (
    MONEY
    + """
query One($id: ID!) {
  node(id: $id) {
    __typename id
    ... on OrderPart { name total { ...money } items(first: 2) { edges { node { id } } } }
    ... on OrderItem { quantity unitPrice { ...money } part { name } }
    ... on ShipmentItem { quantity product { sku } }
    ... on Invoice { invoiceStatus: status total { ...money } items(first: 2) { totalCount } }
    ... on InvoiceItem { description unitPrice { ...money } invoice { id } }
    ... on Payment { instrument amount { ...money } }
    ... on PaymentApplication { amount { ...money } originalAmount { ...money } toInvoice { id } }
    ... on Return { returnStatus: status items(first: 2) { edges { node { returnPrice { ...money } } } } }
    ... on ReturnItem { reason returnHeader { status } }
    ... on Party { name }
    ... on Product { sku }
    ... on Asset { acquireCost { ...money } }
    ... on Facility { name children(first: 2) { totalCount } }
    ... on TaskTemplate { name }
  }
}
"""
)

RECORDS = (
    ("OrderPart", OrderPart),
    ("OrderItem", OrderItem),
    ("ShipmentItem", ShipmentItem),
    ("Invoice", Invoice),
    ("InvoiceItem", InvoiceItem),
    ("Payment", Payment),
    ("PaymentApplication", PaymentApplication),
    ("Return", Return),
    ("ReturnItem", ReturnItem),
    ("Party", Party),
    ("Product", Product),
    ("Asset", Asset),
    ("Facility", Facility),
    ("TaskTemplate", TaskTemplate),
)

PAGES = "query Page($first: Int!, $after: String) { %s(first: $first, after: $after) { totalCount %s } }"
PAGE_SELECTION = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } }"
ROOTS = (
    "orderParts",
    "orderItems",
    "shipmentItems",
    "invoices",
    "invoiceItems",
    "payments",
    "paymentApplications",
    "returns",
    "returnItems",
    "parties",
    "products",
    "assets",
    "facilities",
    "taskTemplates",
)


@pytest.fixture
def books(tree, company):
    # Orders the project group sees, the order grant sees, and neither sees.
    return build_books(company, [tree.orders[0], tree.orders[3], tree.orders[5], tree.orders[-1]])


def corpus() -> list[tuple[str, dict | None]]:
    queries = [(BILLING, None), (RETURNS, None), (ORDERS, None), (DIRECTORY, None)]
    for type_name, model in RECORDS:
        rows = model.objects.order_by("pk")
        for row in {rows.first().pk, rows.last().pk}:
            queries.append((NODE, {"id": gid(type_name, row)}))
    queries.append((NODE, {"id": gid("Invoice", 10**8)}))
    return queries


@pytest.mark.parametrize("viewer", VIEWERS)
def test_more_types_answer_as_the_general_path(settings, books, viewers, viewer):
    client = viewers[viewer]
    for query, variables in corpus():
        assert compiles(client, query, variables), (query, variables)
        same_answer(settings, client, query, variables)


def test_the_books_have_every_shape(settings, books, viewers):
    """The corpus reads what it means to: applications of all three shapes, undone ones, returns with
    their results, money in currencies with 0, 2 and 3 decimals."""
    data = same_answer(settings, viewers["superuser"], BILLING)["data"]
    applications = [e["node"] for e in data["paymentApplications"]["edges"]]
    assert {bool(a["toPayment"]) for a in applications} == {True, False}
    assert any(a["invoice"] and a["toInvoice"] for a in applications)
    assert any(a["originalAmount"] and a["amount"]["amount"] in ("0", "0.00", "0.000") for a in applications)
    currencies = {a["amount"]["currency"] for a in applications}
    assert {"JPY", "BHD", "USD", "EUR"} <= currencies
    returns = same_answer(settings, viewers["superuser"], RETURNS)["data"]["returns"]["edges"]
    assert any(r["node"]["refundPayment"] and r["node"]["replacementOrder"] for r in returns)
    assert any(r["node"]["shipment"] is None for r in returns)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_pages_after_cursors_match(settings, books, viewers, viewer):
    client = viewers[viewer]
    query = PAGES % ("%s", PAGE_SELECTION)
    for root in ROOTS:
        after = None
        for _ in range(30):
            variables = {"first": 4, "after": after}
            assert compiles(client, query % root, variables)
            data = same_answer(settings, client, query % root, variables)["data"][root]
            if not data["pageInfo"]["hasNextPage"]:
                break
            after = data["pageInfo"]["endCursor"]


NODES = (
    MONEY
    + """
query Many($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename id
    ... on Order { number total { ...money } }
    ... on Invoice { kind total { ...money } items(first: 2) { totalCount } }
    ... on PaymentApplication { amount { ...money } }
    ... on Party { name }
    ... on Task { title }
  }
  again: nodes(ids: $ids) { ... on Node { id } }
}
"""
)


def node_lists(tree, books) -> list[tuple[list[str], bool]]:
    """(ids, whether the compiled path answers them itself)."""
    mixed = [
        gid("Invoice", books.invoices[-1].pk),
        gid("Order", tree.orders[0].pk),
        gid("Party", tree.entries[0].party_id),
        gid("Order", tree.orders[5].pk),
        gid("Task", tree.tasks[0].pk),
        gid("Invoice", books.invoices[0].pk),
        gid("PaymentApplication", books.applications[2].pk),
        gid("Order", tree.orders[0].pk),  # again
        gid("Order", 10**8),  # no such order
        gid("Invoice", books.invoices[-1].pk),
    ]
    return [
        (mixed, True),
        ([], True),
        ([gid("Order", order.pk) for order in reversed(tree.orders)], True),
        ([*mixed, "not an id"], False),
        ([*mixed, gid("Order", f"0{tree.orders[0].pk}")], False),  # found by the query, matched to nothing
        ([gid("Nothing", 1)], False),
        ([gid("Order", 0)], False),
        ([gid("Order", tree.orders[0].pk)] * 101, False),
    ]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_node_lists_answer_as_the_general_path(settings, tree, books, viewers, viewer):
    client = viewers[viewer]
    for ids, compiled in node_lists(tree, books):
        response = same_answer(settings, client, NODES, {"ids": ids})
        assert compiles(client, NODES, {"ids": ids}) is compiled, ids
        if compiled:
            assert len(response["data"]["nodes"]) == len(ids)


def test_a_node_list_keeps_the_order_repeats_and_gaps(settings, tree, books, viewers):
    (mixed, _), *_ = node_lists(tree, books)
    nodes = same_answer(settings, viewers["superuser"], NODES, {"ids": mixed})["data"]["nodes"]
    assert [n and n["__typename"] for n in nodes] == [
        "Invoice", "Order", "Party", "Order", "Task", "Invoice", "PaymentApplication", "Order", None, "Invoice",
    ]  # fmt: skip
    assert nodes[1] == nodes[7] and nodes[0] == nodes[-1]


@pytest.fixture
def direct_grants(tree, company, viewers):
    """The viewer with no grants is given one time entry and one task of its own: records whose job
    cost, or task target, it may not see."""
    nobody = viewers["nothing"].user
    order_task = next(task for task in tree.tasks if task.order_id)
    entry = log_time(actor=None, task=order_task, party=company.employee, from_at=datetime(2026, 3, 4, tzinfo=UTC),
                     hours=Decimal(1), cost_rate=Decimal(30), currency="USD")  # fmt: skip
    assign_perm("work.view_timeentry", nobody, tree.entries[0])
    assign_perm("work.view_timeentry", nobody, entry)
    assign_perm("work.view_task", nobody, tree.tasks[1])
    assign_perm("work.view_task", nobody, order_task)
    return entry


JOB_COSTS = (
    MONEY
    + """
query Costs($id: ID!) {
  timeEntries(first: 40) { totalCount edges { node {
    id hours jobCost { __typename id kind amount { ...money } sourceTimeEntry { id } job { name } }
  } } }
  tasks(first: 45) { edges { node { id timeEntries(first: 2) { edges { node { cost: jobCost { id } } } } } } }
  node(id: $id) { ... on TimeEntry { jobCost { description } } }
}
"""
)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_reverse_one_to_one_links_answer_as_the_general_path(settings, tree, viewers, direct_grants, viewer):
    client = viewers[viewer]
    for entry in (tree.entries[0], direct_grants):
        variables = {"id": gid("TimeEntry", entry.pk)}
        assert compiles(client, JOB_COSTS, variables)
        data = same_answer(settings, client, JOB_COSTS, variables)["data"]
        if viewer == "superuser":
            costs = [e["node"]["jobCost"] for e in data["timeEntries"]["edges"]]
            assert None in costs and any(costs)
        if viewer == "nothing":
            # The entries (granted, or under a granted task) are visible, their costs are not.
            assert data["timeEntries"]["totalCount"] >= 2
            assert {e["node"]["jobCost"] for e in data["timeEntries"]["edges"]} == {None}


TARGETS = """
fragment target on TaskTarget {
  __typename
  ... on Node { id }
  ... on Project { code customer { name } }
  ... on Order { number total { amount currency } }
  ... on Job { name order { number } }
  ... on JobCost { costKind: kind amount { amount } tasks(first: 2) { totalCount } }
  ... on Shipment { shipmentKind: kind shipmentStatus: status }
  ... on Party { partyName: name partyKind: kind }
}
query Targets($id: ID!) {
  tasks(first: 45) { totalCount edges { node { id target { ...target } only: target { __typename } } } }
  parties(first: 3) { edges { node { tasks(first: 3) { edges { node { target { ... on Party { name } } } } } } } }
  node(id: $id) { ... on Task { title target { ...target } } }
}
"""


@pytest.mark.parametrize("viewer", VIEWERS)
def test_task_targets_answer_as_the_general_path(settings, tree, company, viewers, direct_grants, viewer):
    client = viewers[viewer]
    company.task(company.customer, title="Call the customer")
    company.task(tree.shipments[0], title="Ship it")
    for task in (tree.tasks[1], tree.tasks[-1]):
        variables = {"id": gid("Task", task.pk)}
        assert compiles(client, TARGETS, variables)
        data = same_answer(settings, client, TARGETS, variables)["data"]
        targets = [e["node"]["target"] for e in data["tasks"]["edges"]]
        if viewer == "superuser":
            assert {t["__typename"] for t in targets} == {"Project", "Order", "JobCost", "Shipment", "Party"}
        if viewer == "nothing":
            # Granted tasks whose targets are hidden.
            assert targets == [None, None]
