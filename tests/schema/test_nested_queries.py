"""The hierarchy walked in one query, in a number of SQL queries that does not grow with the rows."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def whole_tree_in_one_query(settings):
    """TREE asks for 50 records a page at every level, far above what the endpoint accepts from a
    client (GRAPHQL_MAX_ESTIMATED_NODES); these tests measure the optimizer, not that limit."""
    settings.GRAPHQL_MAX_ESTIMATED_NODES = 10**12


TREE = """
query Tree {
  projects(first: 50) {
    totalCount
    edges { node {
      id code name status
      orders(first: 50) { totalCount edges { node {
        number kind status total { amount currency }
        project { code }
        jobs(first: 50) { edges { node {
          name status budgetedCost { amount }
          order { number }
          costs(first: 50) { edges { node {
            kind amount { amount currency }
            job { name }
            tasks(first: 50) { edges { node {
              title status
              target { __typename ... on JobCost { id } }
              shipments(first: 50) { edges { node { kind status order { number } shipTask { title } } } }
              timeEntries(first: 50) { edges { node { hours costRate { amount } party { name } } } }
            } } }
          } } }
        } } }
        shipments(first: 50) { edges { node { kind carrier { name } } } }
      } } }
    } }
  }
}
"""


def build_tree(company, width: int) -> None:
    """`width` records at every level below each parent."""
    for _ in range(width):
        project = company.project()
        for _ in range(width):
            order = company.order(project)
            company.shipment(order)
            for _ in range(width):
                job = company.job(order)
                for _ in range(width):
                    cost = company.cost(job)
                    for _ in range(width):
                        task = company.task(cost)
                        company.time(task)
                        company.shipment(order, ship_task=task)


def count_records(data) -> dict[str, int]:
    projects = [e["node"] for e in data["projects"]["edges"]]
    orders = [o["node"] for p in projects for o in p["orders"]["edges"]]
    jobs = [j["node"] for o in orders for j in o["jobs"]["edges"]]
    costs = [c["node"] for j in jobs for c in j["costs"]["edges"]]
    tasks = [t["node"] for c in costs for t in c["tasks"]["edges"]]
    entries = [e for t in tasks for e in t["timeEntries"]["edges"]]
    shipped = [s for t in tasks for s in t["shipments"]["edges"]]
    return {
        "projects": len(projects),
        "orders": len(orders),
        "jobs": len(jobs),
        "costs": len(costs),
        "tasks": len(tasks),
        "time_entries": len(entries),
        "task_shipments": len(shipped),
    }


def run_tree(gql, count_queries):
    result, ctx = count_queries(lambda: gql.data(TREE))
    return result, ctx


def test_nested_tree_returns_every_level(gql, company):
    build_tree(company, 2)
    data = gql.data(TREE)
    # 16 material costs, plus one TIME cost per time entry logged on their tasks
    assert count_records(data) == {
        "projects": 2,
        "orders": 4,
        "jobs": 8,
        "costs": 16 + 32,
        "tasks": 32,
        "time_entries": 32,
        "task_shipments": 32,
    }
    project = data["projects"]["edges"][0]["node"]
    order = project["orders"]["edges"][0]["node"]
    assert order["project"]["code"] == project["code"]
    assert order["total"] == {"amount": "20.00", "currency": "USD"}
    job = order["jobs"]["edges"][0]["node"]
    cost = job["costs"]["edges"][0]["node"]
    assert cost["job"]["name"] == job["name"]
    task = cost["tasks"]["edges"][0]["node"]
    assert task["target"]["__typename"] == "JobCost"
    assert task["shipments"]["edges"][0]["node"]["shipTask"]["title"] == task["title"]
    assert task["timeEntries"]["edges"][0]["node"]["costRate"] == {"amount": "40.00"}
    # 1 outgoing shipment per order plus one per task
    assert len(order["shipments"]["edges"]) == 1 + 2 * 2 * 2


def test_nested_tree_query_count_does_not_grow_with_rows(gql, company, count_queries, settings):
    settings.GRAPHQL_COMPILED_READS = False  # the general path's count (a compiled read is one statement)
    build_tree(company, 1)
    _, small = run_tree(gql, count_queries)
    data_small = gql.data(TREE)
    build_tree(company, 2)  # now 1 + 2 projects, each level doubled below the new ones
    data, large = run_tree(gql, count_queries)
    assert count_records(data)["tasks"] > count_records(data_small)["tasks"] * 8
    sql = "\n".join(q["sql"] for q in large.captured_queries)
    assert len(large.captured_queries) == len(small.captured_queries), sql
    assert len(large.captured_queries) == EXPECTED_QUERIES, sql


# 2 for the session and its user; projects and their totalCount; then one query per selected
# relation, whatever the number of rows: orders, order.project, jobs, job.order, costs, cost.job,
# tasks, task.target (job costs), task.shipments, shipment.order, shipment.shipTask, timeEntries,
# timeEntry.party, order.shipments, shipment.carrier.
EXPECTED_QUERIES = 2 + 2 + 15
