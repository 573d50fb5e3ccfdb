"""A mutation's payload shows exactly what a read of the same record would show: records reached
from it (up-links, links, lists, unions) go through the viewer's visibility like any read.

The generator builds random selections from the schema itself, so a field added later is covered
without a change here."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
)
from guardian.shortcuts import assign_perm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strawberry import relay

from permissions.grants import IMPLIES
from permissions.models import guarded
from permissions.visibility import can
from schema.ids import NODE_MODELS
from schema.links import GUARDED, is_scoped
from schema.schema import schema

from ..conftest import GraphQLClient
from ..factories import gid
from .conftest import build_branch

GRAPHQL = schema._schema
PAGE = 3


def _unwrap(field_type):
    while isinstance(field_type, GraphQLNonNull | GraphQLList):
        field_type = field_type.of_type
    return field_type


def _needs_arguments(field) -> bool:
    return any(
        isinstance(arg.type, GraphQLNonNull) and arg.default_value is None for arg in field.args.values()
    )


def _is_connection(named) -> bool:
    return isinstance(named, GraphQLObjectType) and "edges" in named.fields and "pageInfo" in named.fields


@st.composite
def selections(draw, type_name: str, depth: int, alias: str = "") -> str:
    """A random selection on `type_name`: its id always, some leaves, and links/lists/unions while
    depth lasts. Inside a union every field is aliased by its member type, so members' fields of the
    same name never conflict."""
    named = GRAPHQL.type_map[type_name]
    if isinstance(named, GraphQLUnionType):
        parts = [
            f"... on {member.name} {{ {draw(selections(member.name, depth, alias=member.name + '_'))} }}"
            for member in named.types
        ]
        return "__typename " + " ".join(parts)
    fields = named.fields
    leaves = sorted(name for name, f in fields.items() if is_leaf_type(_unwrap(f.type)) and not f.args)
    chosen = ["id" if "id" in fields else "__typename"]
    chosen += draw(st.lists(st.sampled_from(leaves), max_size=3, unique=True)) if leaves else []
    parts = [f"{alias}{name}: {name}" if alias else name for name in chosen]
    if depth == 0:
        return " ".join(parts)
    links = sorted(
        name
        for name, f in fields.items()
        if not is_leaf_type(get_named_type(f.type)) and not _needs_arguments(f) and name != "errors"
    )
    for name in draw(st.lists(st.sampled_from(links), max_size=4, unique=True)) if links else []:
        target = get_named_type(fields[name].type)
        head = f"{alias}{name}: {name}" if alias else name
        if _is_connection(target):
            node = get_named_type(_unwrap(target.fields["edges"].type).fields["node"].type)
            inner = draw(selections(node.name, depth - 1))
            parts.append(f"{head}(first: {PAGE}) {{ totalCount edges {{ node {{ {inner} }} }} }}")
        else:
            parts.append(f"{head} {{ {draw(selections(target.name, depth - 1))} }}")
    return " ".join(parts)


def _ids(value) -> list[str]:
    if isinstance(value, dict):
        found = [v for k, v in value.items() if (k == "id" or k.endswith("_id")) and isinstance(v, str)]
        return found + [i for v in value.values() for i in _ids(v)]
    if isinstance(value, list):
        return [i for v in value for i in _ids(v)]
    return []


@pytest.fixture
def job_editor(company):
    """CHANGE on one job (a grant carries VIEW), deep in a hierarchy whose order, project and
    sibling records stay hidden; a second branch is nobody's."""
    branch, other = build_branch(company), build_branch(company)
    company.job(branch.order, name="sibling")
    user = get_user_model().objects.create_user("job-editor", password="pw-user-123")
    for action in IMPLIES["change"]:
        assign_perm(f"work.{action}_job", user, branch.job)
    return user, branch, other


MUTATIONS = {
    "jobUpdate": ("job", "Job", lambda b: {"id": gid("Job", b.job.pk), "name": b.job.name}),
    "jobCostCreate": (
        "jobCost",
        "JobCost",
        lambda b: {"jobId": gid("Job", b.job.pk), "kind": "MATERIAL", "unitCost": "3.00"},
    ),
    "taskCreate": ("task", "Task", lambda b: {"targetId": gid("Job", b.job.pk), "title": "Check"}),
}


def _assert_all_visible(user, data) -> None:
    for global_id in _ids(data):
        decoded = relay.GlobalID.from_id(global_id)
        model = apps.get_model(NODE_MODELS[decoded.type_name])
        assert can(user, model._default_manager.get(pk=decoded.node_id), "view"), global_id


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_payload_shows_what_a_read_of_the_same_record_shows(job_editor, data):
    user, branch, _ = job_editor
    client = GraphQLClient(user)
    name = data.draw(st.sampled_from(sorted(MUTATIONS)))
    field, type_name, make_input = MUTATIONS[name]
    selection = data.draw(selections(type_name, depth=4))
    payload = client.mutate(name, make_input(branch), f"{field} {{ {selection} }}")
    assert payload["errors"] == []
    returned = payload[field]
    _assert_all_visible(user, returned)
    read = client.data(
        f"query($id: ID!) {{ node(id: $id) {{ ... on {type_name} {{ {selection} }} }} }}",
        {"id": returned["id"]},
    )
    assert returned == read["node"]


@pytest.mark.django_db
def test_a_payload_does_not_reach_the_hidden_order_or_its_project(job_editor):
    user, branch, _ = job_editor
    selection = (
        """job { name order { number project { name orders(first: 20) { edges { node { number } } } } } }"""
    )
    payload = GraphQLClient(user).mutate(
        "jobUpdate", {"id": gid("Job", branch.job.pk), "name": "x"}, selection
    )
    assert payload["job"] == {"name": "x", "order": None}


@pytest.mark.django_db
def test_a_task_payload_does_not_reach_through_its_target(job_editor):
    user, branch, _ = job_editor
    selection = "task { target { ... on Job { name order { number } } } }"
    payload = GraphQLClient(user).mutate(
        "taskCreate", {"targetId": gid("Job", branch.job.pk), "title": "t"}, selection
    )
    assert payload["task"]["target"] == {"name": branch.job.name, "order": None}


@pytest.mark.django_db
@pytest.mark.parametrize("compiled", [False, True], ids=["general path", "compiled"])
def test_a_read_through_a_union_does_not_reach_a_hidden_parent(company, settings, compiled):
    """The optimizer cannot see through `target`, so `project` is loaded outside it."""
    settings.GRAPHQL_COMPILED_READS = compiled
    branch = build_branch(company)
    company.task(branch.order, title="on the order")
    user = get_user_model().objects.create_user("order-viewer", password="pw-user-123")
    assign_perm("orders.view_order", user, branch.order)
    data = GraphQLClient(user).data(
        """{ tasks(first: 10, filters: {title: {exact: "on the order"}}) { edges { node {
            target { ... on Order { number project { name } } } } } } }"""
    )
    assert [edge["node"]["target"] for edge in data["tasks"]["edges"]] == [
        {"number": branch.order.number, "project": None}
    ]


def _guarded_node(graphql_type) -> bool:
    """A Node type over a model whose rows are guarded by object permissions (not the viewer's own
    API tokens, which `viewer` lists)."""
    if (
        not isinstance(graphql_type, GraphQLObjectType)
        or GRAPHQL.type_map["Node"] not in graphql_type.interfaces
    ):
        return False
    origin = graphql_type.extensions["strawberry-definition"].origin
    return guarded(origin.__strawberry_django_definition__.model)


def test_every_field_that_returns_records_passes_them_through_visibility():
    """Independent of how the guard picks its fields: every guarded Node type is Scoped, and every
    field returning one (alone, in a list, in a union or as the Node interface) carries the guard."""
    checked = []
    for graphql_type in GRAPHQL.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        if _guarded_node(graphql_type):
            assert is_scoped(graphql_type, GRAPHQL), graphql_type.name
        for name, field in graphql_type.fields.items():
            named = get_named_type(field.type)
            members = [named] if isinstance(named, GraphQLObjectType) else GRAPHQL.get_possible_types(named)
            if any(_guarded_node(member) for member in members):
                assert getattr(field.resolve, GUARDED, False), f"{graphql_type.name}.{name}"
                checked.append(name)
    assert len(checked) > 100


@pytest.mark.django_db
def test_a_shipment_seen_through_its_ship_task_does_not_pass_on_to_its_own_tasks(company):
    """The link task → shipment → task closes a cycle and is not followed: the shipment shows,
    the tasks attached to it need a grant on the shipment, its order or above (README)."""
    branch = build_branch(company)
    on_shipment = company.task(branch.shipment, title="book the carrier")
    ship_task_holder = get_user_model().objects.create_user("ship-task", password="pw-user-123")
    assign_perm("work.view_task", ship_task_holder, branch.task)
    shipment_holder = get_user_model().objects.create_user("shipment", password="pw-user-123")
    assign_perm("shipping.view_shipment", shipment_holder, branch.shipment)
    query = """query($id: ID!) { node(id: $id) { ... on Shipment {
        tasks(first: 5) { edges { node { title } } } } } }"""
    variables = {"id": gid("Shipment", branch.shipment.pk)}
    through_task = GraphQLClient(ship_task_holder).data(query, variables)["node"]
    through_shipment = GraphQLClient(shipment_holder).data(query, variables)["node"]
    assert through_task == {"tasks": {"edges": []}}
    assert through_shipment == {"tasks": {"edges": [{"node": {"title": on_shipment.title}}]}}
