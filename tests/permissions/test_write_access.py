"""Writes follow the same rules as reads: change / delete / add along the hierarchy, and sharing."""

import pytest
from django.contrib.auth.models import Group, Permission
from guardian.shortcuts import assign_perm

from backend.orders.models import Order
from backend.work.models import Job

from ..conftest import GraphQLClient
from ..factories import gid

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model):
    return {
        name: django_user_model.objects.create_user(name, password="pw-123456")
        for name in ("ann", "bob", "cat")
    }


def kinds(payload):
    return [(e["kind"], e["code"]) for e in payload["errors"]]


def test_view_grant_does_not_allow_changes(company, people):
    order = company.order(company.project())
    assign_perm("projects.view_project", people["ann"], order.project)
    ann = GraphQLClient(people["ann"])
    payload = ann.mutate("orderUpdate", {"id": gid("Order", order.pk), "name": "Mine"}, "order { name }")
    assert payload["order"] is None
    assert kinds(payload) == [("PERMISSION", "PERMISSION_DENIED")]
    order.refresh_from_db()
    assert order.name == ""


def test_invisible_record_is_reported_like_a_missing_one(company, people):
    order = company.order(company.project())
    bob = GraphQLClient(people["bob"])
    hidden = bob.mutate("orderUpdate", {"id": gid("Order", order.pk), "name": "x"}, "order { name }")
    missing = bob.mutate("orderUpdate", {"id": gid("Order", 987654), "name": "x"}, "order { name }")
    assert kinds(hidden) == kinds(missing) == [("NOT_FOUND", "NOT_FOUND")]
    assert hidden["errors"][0]["message"].replace(gid("Order", order.pk), "ID") == missing["errors"][0][
        "message"
    ].replace(gid("Order", 987654), "ID")


def test_change_on_a_project_reaches_down_and_allows_adding_below(company, people):
    project = company.project()
    order = company.order(project)
    job = company.job(order)
    cost = company.cost(job)
    assign_perm("projects.change_project", people["ann"], project)
    assign_perm("projects.view_project", people["ann"], project)
    ann = GraphQLClient(people["ann"])
    assert ann.mutate("orderUpdate", {"id": gid("Order", order.pk), "name": "Renamed"}, "order { name }")[
        "order"
    ] == {"name": "Renamed"}
    assert ann.mutate(
        "jobCostUpdate", {"id": gid("JobCost", cost.pk), "quantity": "2"}, "jobCost { amount { amount } }"
    )["jobCost"] == {"amount": {"amount": "10.00"}}
    created = ann.mutate("jobCreate", {"orderId": gid("Order", order.pk), "name": "Extra"}, "job { name }")
    assert created == {"job": {"name": "Extra"}, "errors": []}
    placed = ann.mutate(
        "orderCreate",
        {
            "projectId": gid("Project", project.pk),
            "customerId": gid("Party", company.customer.pk),
            "vendorId": gid("Party", company.internal.pk),
            "currency": "USD",
        },
        "order { project { code } }",
    )
    assert placed["order"] == {"project": {"code": project.code}}
    # but a top-level order needs the model-wide add permission
    loose = ann.mutate(
        "orderCreate",
        {
            "customerId": gid("Party", company.customer.pk),
            "vendorId": gid("Party", company.internal.pk),
            "currency": "USD",
        },
        "order { id }",
    )
    assert kinds(loose) == [("PERMISSION", "PERMISSION_DENIED")]
    assert Order.objects.count() == 2
    deleted = ann.mutate("jobDelete", {"id": gid("Job", job.pk)}, "deletedId")
    assert kinds(deleted) == [("PERMISSION", "PERMISSION_DENIED")]  # change is not delete
    assert Job.objects.filter(pk=job.pk).exists()


def test_model_wide_add_permission_creates_top_level_records(company, people):
    people["cat"].user_permissions.add(Permission.objects.get(codename="add_order"))
    not_staff = GraphQLClient(people["cat"]).mutate(
        "orderCreate",
        {
            "customerId": gid("Party", company.customer.pk),
            "vendorId": gid("Party", company.internal.pk),
            "currency": "USD",
        },
        "order { id }",
    )
    assert kinds(not_staff) == [("PERMISSION", "PERMISSION_DENIED")]
    people["cat"].is_staff = True
    people["cat"].save()
    cat = GraphQLClient(people["cat"])
    payload = cat.mutate(
        "orderCreate",
        {
            "customerId": gid("Party", company.customer.pk),
            "vendorId": gid("Party", company.internal.pk),
            "currency": "USD",
        },
        "order { id }",
    )
    assert payload["errors"] == []
    # the creator of a top-level record may see, change and share it
    order = cat.data(
        "query($id: ID!) { node(id: $id) { ... on Order { viewerCanChange viewerCanManage } } }",
        {"id": payload["order"]["id"]},
    )["node"]
    assert order == {"viewerCanChange": True, "viewerCanManage": True}
    other = company.order()
    assert (
        cat.data("query($id: ID!) { node(id: $id) { id } }", {"id": gid("Order", other.pk)})["node"] is None
    )


def test_anonymous_cannot_write(company):
    order = company.order()
    payload = GraphQLClient().mutate(
        "orderUpdate", {"id": gid("Order", order.pk), "name": "x"}, "order { name }"
    )
    assert kinds(payload) == [("NOT_FOUND", "NOT_FOUND")] or kinds(payload) == [
        ("PERMISSION", "PERMISSION_DENIED")
    ]
    order.refresh_from_db()
    assert order.name == ""


SHARE = "record { id ... on Project { code } } errors { kind code field message }"


def share(client, name, **input):
    query = f"mutation($input: PermissionInput!) {{ {name}(input: $input) {{ {SHARE} }} }}"
    return client.data(query, {"input": input})[name]


def test_a_manager_shares_and_unshares_a_project(company, people):
    project = company.project()
    order = company.order(project)
    assign_perm("projects.manage_project", people["ann"], project)
    assign_perm("projects.view_project", people["ann"], project)
    ann, bob = GraphQLClient(people["ann"]), GraphQLClient(people["bob"])
    count = "{ orders(first: 10) { totalCount edges { node { viewerCanChange viewerCanDelete } } } }"
    assert bob.data(count)["orders"]["totalCount"] == 0

    granted = share(
        ann, "permissionGrant", recordId=gid("Project", project.pk), username="bob", permissions=["CHANGE"]
    )
    assert granted["errors"] == []
    seen = bob.data(count)["orders"]
    assert seen["totalCount"] == 1  # CHANGE carries VIEW, and reaches the order below
    assert seen["edges"][0]["node"] == {"viewerCanChange": True, "viewerCanDelete": False}
    assert bob.mutate("orderUpdate", {"id": gid("Order", order.pk), "name": "By Bob"}, "order { name }")[
        "order"
    ] == {"name": "By Bob"}

    bob_shares = share(
        bob, "permissionGrant", recordId=gid("Project", project.pk), username="cat", permissions=["VIEW"]
    )
    assert kinds(bob_shares) == [("PERMISSION", "PERMISSION_DENIED")]  # change is not manage

    revoked = share(
        ann, "permissionRevoke", recordId=gid("Project", project.pk), username="bob", permissions=["VIEW"]
    )
    assert revoked["errors"] == []
    assert bob.data(count)["orders"]["totalCount"] == 0  # revoking VIEW takes CHANGE too


def test_sharing_with_a_group_and_bad_holders(company, people):
    project = company.project()
    team = Group.objects.create(name="field team")
    team.user_set.add(people["cat"])
    admin = GraphQLClient(type(people["ann"]).objects.create_superuser("boss", password="pw-boss-123"))
    ok = share(
        admin,
        "permissionGrant",
        recordId=gid("Project", project.pk),
        groupName="field team",
        permissions=["VIEW"],
    )
    assert ok["record"] == {"id": gid("Project", project.pk), "code": project.code}
    assert (
        GraphQLClient(people["cat"]).data("{ projects(first: 5) { totalCount } }")["projects"]["totalCount"]
        == 1
    )
    unknown = share(
        admin, "permissionGrant", recordId=gid("Project", project.pk), username="nobody", permissions=["VIEW"]
    )
    assert [(e["kind"], e["field"]) for e in unknown["errors"]] == [("NOT_FOUND", "username")]
    both = share(
        admin,
        "permissionGrant",
        recordId=gid("Project", project.pk),
        username="bob",
        groupName="field team",
        permissions=["VIEW"],
    )
    assert kinds(both) == [("VALIDATION", "ONE_HOLDER")]


def test_viewer_can_fields_cost_no_query_per_row(company, people, count_queries):
    project = company.project()
    for _ in range(3):
        company.order(project)
    assign_perm("projects.view_project", people["ann"], project)
    ann = GraphQLClient(people["ann"])
    query = "{ orders(first: 50) { edges { node { number viewerCanChange viewerCanManage } } } }"
    ann.data(query)
    _, three = count_queries(lambda: ann.data(query))
    for _ in range(5):
        company.order(project)
    data, eight = count_queries(lambda: ann.data(query))
    assert [e["node"]["viewerCanChange"] for e in data["orders"]["edges"]] == [False] * 8
    assert len(eight.captured_queries) == len(three.captured_queries)


def test_sharing_without_manage_answers_alike_for_unknown_and_real_usernames(company, people):
    project = company.project()
    assign_perm("projects.change_project", people["ann"], project)
    assign_perm("projects.view_project", people["ann"], project)
    ann = GraphQLClient(people["ann"])
    record = gid("Project", project.pk)
    real = share(ann, "permissionGrant", recordId=record, username="bob", permissions=["VIEW"])
    unknown = share(ann, "permissionGrant", recordId=record, username="no-such-user", permissions=["VIEW"])
    assert real["errors"] == unknown["errors"]
    assert kinds(real) == [("PERMISSION", "PERMISSION_DENIED")]


@pytest.mark.parametrize("to", ["COMPLETED", "PLACED"])
def test_a_viewer_asking_for_a_transition_is_refused_before_the_status_is_checked(company, people, to):
    """Whether the step exists from the current status would tell the viewer that status."""
    order = company.order(company.project())
    assign_perm("projects.view_project", people["ann"], order.project)
    ann = GraphQLClient(people["ann"])
    payload = ann.mutate("orderTransition", {"id": gid("Order", order.pk), "to": to}, "order { status }")
    assert kinds(payload) == [("PERMISSION", "PERMISSION_DENIED")]
    order.refresh_from_db()
    assert order.status == "OPEN"
