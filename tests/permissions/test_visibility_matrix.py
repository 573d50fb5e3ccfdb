"""Who sees what, by every access path: the same answer from roots, nested lists, node, filters."""

import pytest

from ..factories import gid

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[False, True], ids=["general path", "compiled"])
def compiled(request, settings) -> bool:
    """Every test here runs through both read paths: resolvers, and one compiled statement where
    the query allows it."""
    settings.GRAPHQL_COMPILED_READS = request.param
    return request.param


@pytest.fixture(autouse=True)
def whole_tree_in_one_query(settings):
    """NESTED asks for 10 records a page six levels down, far above what the endpoint accepts from a
    client (GRAPHQL_MAX_ESTIMATED_NODES); these tests are about visibility, not that limit."""
    settings.GRAPHQL_MAX_ESTIMATED_NODES = 10**12


LEVELS = ("project", "order", "job", "cost", "time_cost", "task", "entry", "shipment")
TYPES = {
    "project": "Project",
    "order": "Order",
    "job": "Job",
    "cost": "JobCost",
    "time_cost": "JobCost",
    "task": "Task",
    "entry": "TimeEntry",
    "shipment": "Shipment",
}
ROOTS = {
    "project": "projects",
    "order": "orders",
    "job": "jobs",
    "cost": "jobCosts",
    "time_cost": "jobCosts",
    "task": "tasks",
    "entry": "timeEntries",
    "shipment": "shipments",
}

# What each kind of user sees of branch A (branch B is shared with nobody).
EXPECTED = {
    "superuser": {"A": set(LEVELS), "B": set(LEVELS)},
    "ancestor_project": {"A": set(LEVELS), "B": set()},
    "group_project": {"A": set(LEVELS), "B": set()},
    "bearer_token": {"A": set(LEVELS), "B": set()},  # a project grant, used through an API token
    "direct_order": {"A": set(LEVELS) - {"project"}, "B": set()},
    # the shipment hangs below the job too: it is shipped by a task on one of its costs
    "direct_job": {"A": {"job", "cost", "time_cost", "task", "entry", "shipment"}, "B": set()},
    "model_wide_orders": {"A": set(LEVELS) - {"project"}, "B": set(LEVELS) - {"project"}},
    "model_wide_not_staff": {"A": set(), "B": set()},  # model-wide grants are for staff only
    "no_grant": {"A": set(), "B": set()},
    "anonymous": {"A": set(), "B": set()},
}
USERS = list(EXPECTED)


def expected_ids(world, kind) -> dict[str, set[str]]:
    """Visible global ids, by level."""
    return {
        level: {gid(TYPES[level], getattr(world[b], level).pk) for b in "AB" if level in EXPECTED[kind][b]}
        for level in LEVELS
    }


def expected_by_root(world, kind) -> dict[str, set[str]]:
    by_level = expected_ids(world, kind)
    return {
        root: set().union(*(by_level[lv] for lv in LEVELS if ROOTS[lv] == root))
        for root in set(ROOTS.values())
    }


def test_matrix_of_users_and_access_paths(world, make_client):
    for kind in USERS:
        client = make_client(kind, world)
        expected = expected_ids(world, kind)
        for root, ids in expected_by_root(world, kind).items():
            data = client.data(f"{{ {root}(first: 100) {{ totalCount edges {{ node {{ id }} }} }} }}")[root]
            assert {e["node"]["id"] for e in data["edges"]} == ids, (kind, root, "root connection")
            assert data["totalCount"] == len(ids), (kind, root, "totalCount")
        for level in LEVELS:
            all_ids = [gid(TYPES[level], getattr(world[b], level).pk) for b in "AB"]
            nodes = client.data("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": all_ids})["nodes"]
            assert {n["id"] for n in nodes if n} == expected[level], (kind, level, "nodes")
            for one in all_ids:
                node = client.data("query($id: ID!) { node(id: $id) { id } }", {"id": one})["node"]
                assert (node is not None) == (one in expected[level]), (kind, level, "node")


NESTED = """{ projects(first: 10) { edges { node { id orders(first: 10) { totalCount edges { node { id
  jobs(first: 10) { edges { node { id costs(first: 10) { edges { node { id
    tasks(first: 10) { edges { node { id timeEntries(first: 10) { edges { node { id } } }
      shipments(first: 10) { edges { node { id } } } } } } } } } } } } } } } } } } }"""


def flatten(data) -> set[str]:
    found = set()

    def walk(value):
        if isinstance(value, dict):
            if "id" in value:
                found.add(value["id"])
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(data)
    return found


@pytest.mark.parametrize(
    "kind", ["ancestor_project", "group_project", "no_grant", "direct_order", "superuser"]
)
def test_nested_selection_never_leaks_rows(world, make_client, kind):
    """Regression: a connection with a nested selection is filtered at its root, too."""
    client = make_client(kind, world)
    seen = flatten(client.data(NESTED))
    expected = set().union(*expected_ids(world, kind).values())
    # only records reachable from a visible project show up in this tree
    reachable = {i for i in expected if kind in ("ancestor_project", "group_project", "superuser")}
    assert seen == reachable


def test_filters_do_not_reveal_invisible_rows(world, make_client):
    client = make_client("direct_order", world)
    hidden = world["B"].order.number
    found = client.data(
        "query($n: String!) { orders(first: 10, filters: {number: {exact: $n}}) { totalCount } }",
        {"n": hidden},
    )
    assert found["orders"]["totalCount"] == 0
    by_project = client.data(
        "query($c: String!) { jobs(first: 10, filters: {order: {project: {code: {exact: $c}}}}) { totalCount } }",
        {"c": world["A"].project.code},
    )
    assert by_project["jobs"]["totalCount"] == 1  # the job of the granted order, via a project it cannot see


def test_up_links_to_hidden_parents_are_null(world, make_client):
    client = make_client("direct_job", world)
    job = client.data(
        "query($id: ID!) { node(id: $id) { ... on Job { order { id } costs(first: 5) { edges { node { job { id } } } } } } }",
        {"id": gid("Job", world["A"].job.pk)},
    )["node"]
    assert job["order"] is None
    assert job["costs"]["edges"][0]["node"]["job"] == {"id": gid("Job", world["A"].job.pk)}


def test_directory_records_are_readable_by_members_only(world, make_client):
    member = make_client("no_grant", world)
    assert member.data("{ parties(first: 100) { totalCount } }")["parties"]["totalCount"] == 5
    stranger = make_client("anonymous", world)
    assert stranger.data("{ parties(first: 100) { totalCount } }")["parties"]["totalCount"] == 0


def test_query_count_of_the_nested_tree_is_fixed_per_user(
    world, make_client, company, count_queries, compiled
):
    from guardian.shortcuts import assign_perm

    from .conftest import build_branch

    client = make_client("ancestor_project", world)
    client.data(NESTED)  # warm per-process caches (permission ids, content types)
    _, before = count_queries(lambda: client.data(NESTED))
    user = client.client.session.get("_auth_user_id")
    from django.contrib.auth import get_user_model

    for _ in range(3):
        assign_perm(
            "projects.view_project", get_user_model().objects.get(pk=user), build_branch(company).project
        )
    data, after = count_queries(lambda: client.data(NESTED))
    assert len(data["projects"]["edges"]) == 4
    assert len(after.captured_queries) == len(before.captured_queries), "\n".join(
        q["sql"] for q in after.captured_queries
    )
    # session and user, then one query per level (model-wide grants are looked up for staff only),
    # or the one statement of a compiled read
    assert len(after.captured_queries) == 2 + (1 if compiled else 7)


@pytest.mark.parametrize("state", ["revoked", "expired"])
def test_an_unusable_token_reaches_no_access_path(world, django_user_model, state):
    from datetime import timedelta

    from django.utils import timezone
    from guardian.shortcuts import assign_perm

    from backend.accounts.models import ApiToken
    from backend.accounts.services import create_token

    from ..conftest import GraphQLClient

    user = django_user_model.objects.create_user("holder", password="pw-holder-123")
    assign_perm("projects.view_project", user, world["A"].project)
    token, plaintext = create_token(user=user, name="phone")
    change = (
        {"revoked_at": timezone.now()}
        if state == "revoked"
        else {"expires_at": timezone.now() - timedelta(seconds=1)}
    )
    ApiToken.objects.filter(pk=token.pk).update(**change)
    client = GraphQLClient(token=plaintext)
    for query in (NESTED, "{ orders(first: 5) { totalCount } }", '{ node(id: "UHJvamVjdDox") { id } }'):
        response = client.raw(query)
        assert response.status_code == 401
        assert b"Project" not in response.content


def test_only_the_levels_where_visibility_can_narrow_read_the_grants(
    world, make_client, count_queries, compiled
):
    """Below the granted project every order, job, cost, task and time entry is visible, so only the
    root list reads the grants; a task's shipments keep their filter, since a shipment is also seen
    through its ship task (a link that does not pass visibility down)."""
    client = make_client("ancestor_project", world)
    data, captured = count_queries(lambda: client.data(NESTED))
    node = data["projects"]["edges"][0]["node"]
    assert len(data["projects"]["edges"]) == 1
    assert node["orders"]["edges"][0]["node"]["jobs"]["edges"]  # what hangs below it is there
    reading_grants = [q["sql"] for q in captured.captured_queries if "objectpermission" in q["sql"]]
    if compiled:
        [statement] = reading_grants
        assert statement.count("AS MATERIALIZED") == 2
        assert '"visible_Project"' in statement and '"visible_Shipment"' in statement
    else:
        assert len(reading_grants) == 2, reading_grants
        assert reading_grants[0].startswith('SELECT "projects_project"')
        assert '"shipping_shipment"' in reading_grants[1].split(" FROM ")[1]
