"""Hand-written queries answered the same by the compiled path and the general path, for every viewer."""

import pytest

from tests.factories import gid
from tests.schema.test_nested_queries import TREE

from .conftest import VIEWERS, compiles, same_answer

pytestmark = pytest.mark.django_db

# Pages of 5 keep the estimate under the endpoint's limit (of 50 it would be refused).
SMALL_TREE = TREE.replace("first: 50", "first: 5")
TREE_WITHOUT_UNION = SMALL_TREE.replace("target { __typename ... on JobCost { id } }", "")

README = """
{
  projects(first: 5, ordering: [{code: ASC}]) {
    totalCount
    edges { node {
      code name status
      orders(first: 5) { edges { node {
        number kind status total { amount currency }
        shipments(first: 5) { edges { node { kind status carrier { name } } } }
        jobs(first: 5) { edges { node {
          name status budgetedCost { amount currency }
          costs(first: 5) { totalCount edges { node { kind amount { amount } tasks(first: 5) { totalCount } } } }
          tasks(first: 5) { edges { node {
            title status dueDate actualHours
            timeEntries(first: 5) { edges { node { hours party { name } } } }
            shipments(first: 5) { edges { node { kind status trackingCode } } }
          } } }
        } } }
      } } }
    } }
  }
}
"""
README_DEFAULT_ORDER = README.replace(", ordering: [{code: ASC}]", "")

EVERY_FIELD = """
fragment money on Money { amount currency __typename }
query Every {
  projects(first: 10) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename }
    __typename edges { __typename cursor node {
      __typename id code name description status currency startDate endDate createdAt updatedAt version
      budget { ...money } customer { id name kind externalId disabled createdAt } internalOrg { name }
      tasks(first: 3) { totalCount edges { node { id title dueDate } } }
  } } }
  orders(first: 20) { totalCount edges { cursor node {
      id number name kind status currency enteredAt placedAt approvedAt completedAt createdAt updatedAt version
      total { ...money } project { id code } customer { name } vendor { name }
  } } }
  jobs(first: 30) { totalCount edges { node {
      id kind name status budgetedHours startDate endDate createdAt updatedAt version
      budgetedCost { ...money } budgetedRevenue { amount } order { number currency } parent { id name }
      children(first: 2) { totalCount edges { node { id } } }
  } } }
  jobCosts(first: 30) { totalCount edges { node {
      id kind description quantity billable approvalStatus incurredOn createdAt version
      unitCost { ...money } amount { ...money } job { name } party { name } sourceTimeEntry { id hours }
  } } }
  tasks(first: 40) { totalCount edges { node {
      id title description status priority dueDate estimatedHours actualHours actualStart actualEnd
      createdAt updatedAt version assignee { name }
      receivedShipments(first: 2) { totalCount } shipments(first: 2) { edges { node { id } } }
  } } }
  timeEntries(first: 30) { totalCount edges { node {
      id fromAt thruAt hours breakHours billable comments createdAt version
      costRate { ...money } billRate { ...money } task { title } party { name }
  } } }
  shipments(first: 40) { totalCount edges { node {
      id kind status trackingCode estimatedShipDate estimatedArrivalDate shippedAt deliveredAt createdAt
      updatedAt version cost { ...money } order { number } shipTask { title } receiveTask { title }
      fromParty { name } toParty { name } carrier { name }
  } } }
}
"""

ALIASES_AND_FRAGMENTS = """
query Shapes($withJobs: Boolean!, $skipCode: Boolean = false) {
  first: projects(first: 1) { edges { node { ...project } } }
  rest: projects(first: 5) { count: totalCount edges { node { ref: id ... on Node { id } ...project } } }
  typename: __typename
}
fragment project on Project {
  code @skip(if: $skipCode)
  label: name
  orders(first: 2) {
    edges { node {
      ... on Order { number }
      ... { kind }
      jobs(first: 2) @include(if: $withJobs) { edges { node { ...job } } }
      jobs(first: 2) @include(if: $withJobs) { edges { node { status } } }
    } }
  }
}
fragment job on Job { name costs(first: 1) { edges { node { amount { value: amount } } } } }
"""

PAGES = "query Page($first: Int!, $after: String) { %s(first: $first, after: $after) { totalCount %s } }"
PAGE_SELECTION = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } }"
ROOTS = ("projects", "orders", "jobs", "jobCosts", "tasks", "timeEntries", "shipments")

NODE = """
query One($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Project { code orders(first: 3) { totalCount edges { node { number } } } }
    ... on Order { number project { code } jobs(first: 2) { edges { node { name } } } }
    ... on Job { name order { number } parent { name } }
    ... on JobCost { costKind: kind job { name } tasks(first: 2) { edges { node { title } } } }
    ... on Task { title timeEntries(first: 2) { edges { node { hours } } } }
    ... on TimeEntry { hours task { title } }
    ... on Shipment { shipmentKind: kind order { number } shipTask { title } }
  }
}
"""

EMPTY_PAGES = "{ projects(first: 0) { totalCount pageInfo { hasNextPage startCursor } edges { cursor } } }"


def corpus(tree) -> list[tuple[str, dict | None, bool]]:
    """(query, variables, whether the compiled path answers it itself)."""
    queries = [
        (TREE_WITHOUT_UNION, None, True),
        (SMALL_TREE, None, True),
        (README_DEFAULT_ORDER, None, True),
        (README, None, True),
        (EVERY_FIELD, None, True),
        (ALIASES_AND_FRAGMENTS, {"withJobs": True}, True),
        (ALIASES_AND_FRAGMENTS, {"withJobs": False, "skipCode": True}, True),
        (EMPTY_PAGES, None, True),
        ("{ projects(first: 2) { edges { node { code viewerCanChange } } } }", None, False),
        ('{ orders(first: 2, filters: {number: {exact: "x"}}) { totalCount } }', None, True),
        ("{ projects(last: 2) { edges { node { code } } } }", None, True),
        ("{ parties(first: 2) { edges { node { name roles } } } }", None, False),  # a resolver
    ]
    records = [
        ("Project", tree.projects),
        ("Order", tree.orders),
        ("Job", tree.jobs),
        ("JobCost", tree.costs),
        ("Task", tree.tasks),
        ("TimeEntry", tree.entries),
        ("Shipment", tree.shipments),
    ]
    for type_name, rows in records:
        for row in (rows[0], rows[-1]):
            queries.append((NODE, {"id": gid(type_name, row.pk)}, True))
    queries.append((NODE, {"id": gid("Project", 10**8)}, True))
    queries.append((NODE, {"id": "not an id"}, False))
    queries.append((NODE, {"id": gid("Party", 1)}, True))
    queries.append((NODE, {"id": gid("Nothing", 1)}, False))
    return queries


@pytest.mark.parametrize("viewer", VIEWERS)
def test_corpus_answers_match(settings, tree, viewers, viewer):
    client = viewers[viewer]
    for query, variables, compiled in corpus(tree):
        same_answer(settings, client, query, variables)
        assert compiles(client, query, variables) is compiled, query


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("root", ROOTS)
def test_pages_after_cursors_match(settings, tree, viewers, viewer, root):
    client = viewers[viewer]
    query = PAGES % (root, PAGE_SELECTION)
    after, pages = None, 0
    while True:
        variables = {"first": 2, "after": after}
        assert compiles(client, query, variables)
        data = same_answer(settings, client, query, variables)["data"][root]
        pages += 1
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    if viewer == "superuser":
        assert pages > 1


def test_an_invalid_cursor_is_the_general_paths_error(settings, viewers):
    client = viewers["superuser"]
    response = same_answer(settings, client, PAGES % ("orders", PAGE_SELECTION), {"first": 2, "after": "bad"})
    assert response["errors"]
