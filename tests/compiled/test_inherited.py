"""Children reached through a visible parent are visible along most links of the hierarchy, so the
compiled statement filters the root of a downward read and nothing below it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from graph import LINKS
from permissions.visibility import inherited_through, visible

from .conftest import same_answer

pytestmark = pytest.mark.django_db

# Links along which a child of a visible parent may still be hidden.
NOT_INHERITED = {
    ("work.Job", "work.Job", "parent"),  # sub-jobs deeper than the paths followed
    ("work.Task", "shipping.Shipment", "ship_task"),  # the shipment's tasks close a cycle
    ("work.Task", "shipping.Shipment", "receive_task"),
    ("shipping.Shipment", "work.Task", "shipment"),
    ("parties.Party", "work.Task", "party"),  # every member reads parties, not their tasks
}


def test_the_links_that_pass_visibility_down():
    found = {
        (link.parent, link.child, link.field)
        for link in LINKS
        if not inherited_through(link.child_model, link.field)
    }
    assert found == NOT_INHERITED


@pytest.mark.parametrize("viewer", ["project_group", "order_grant", "nothing"])
def test_every_child_of_a_visible_parent_is_visible_along_an_inherited_link(viewers, viewer):
    user = viewers[viewer].user
    checked = 0
    for link in LINKS:
        if not inherited_through(link.child_model, link.field):
            continue
        parents = visible(user, link.parent_model.objects.all()).values("pk")
        children = set(link.child_model.objects.filter(**{f"{link.field}__in": parents}).values_list("pk"))
        seen = set(visible(user, link.child_model.objects.all()).values_list("pk"))
        assert children <= seen, link
        checked += len(children)
    if viewer != "nothing":
        assert checked > 0


def test_a_shipment_seen_through_its_ship_task_does_not_show_its_own_tasks(
    company, tree, viewers, django_user_model
):
    """Why the Shipment → Task link keeps its filter: a shipment seen through its ship task does not
    make the tasks attached to that shipment visible."""
    from guardian.shortcuts import assign_perm

    user = django_user_model.objects.create_user("shipper", password="pw-shipper-123")
    ship_task = tree.tasks[0]
    assign_perm("work.view_task", user, ship_task)
    shipment = type(tree.shipments[0]).objects.get(ship_task=ship_task)
    on_shipment = company.task(shipment, title="Pack the crate")
    assert visible(user, type(shipment).objects.filter(pk=shipment.pk)).exists()
    assert not visible(user, type(ship_task).objects.filter(pk=on_shipment.pk)).exists()


DOWNWARD = """{ projects(first: 5) { edges { node { id orders(first: 3) { edges { node { number
  jobs(first: 3) { edges { node { name costs(first: 2) { edges { node { kind
  tasks(first: 2) { edges { node { title timeEntries(first: 2) { totalCount } } } } } } } } } } } } } } } } }"""


def test_a_downward_read_filters_only_its_root(settings, viewers):
    client = viewers["project_group"]
    data = same_answer(settings, client, DOWNWARD)
    assert data["data"]["projects"]["edges"]  # the granted project, with what hangs below it
    with CaptureQueriesContext(connection) as captured:
        client.raw(DOWNWARD)
    [statement] = [q["sql"] for q in captured.captured_queries if "json_build_object" in q["sql"]]
    assert statement.count("AS MATERIALIZED") == 1
    assert '"visible_Project"' in statement
