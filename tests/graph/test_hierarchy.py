"""graph/hierarchy.py against real rows: what hangs below and above a record, in bounded SQL."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from graphql import get_named_type

from backend.orders.models import Order, OrderItem, OrderPart
from backend.orders.services import add_order_item
from backend.parties.models import Party
from backend.projects.models import Project
from backend.shipping.models import Shipment, ShipmentItem, ShipmentKind
from backend.work.models import Job, Task, TimeEntry
from graph.hierarchy import (
    LINKS,
    MAX_SELF_DEPTH,
    TASK_TARGETS,
    ancestor_paths,
    ancestors,
    child_links,
    descendants,
    parent_links,
)
from schema.ids import TYPE_NAMES
from schema.schema import schema
from tests.factories import Company

PROJECT = "projects.Project"
ORDER = "orders.Order"
PART = "orders.OrderPart"
ITEM = "orders.OrderItem"
JOB = "work.Job"
COST = "work.JobCost"
TASK = "work.Task"
ENTRY = "work.TimeEntry"
SHIPMENT = "shipping.Shipment"
SHIPMENT_ITEM = "shipping.ShipmentItem"
PARTY = "parties.Party"


@dataclass
class Tree:
    projects: list[Project] = field(default_factory=list)
    below: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def add(self, record):
        self.below[record._meta.label].add(record.pk)
        return record

    @property
    def expected(self) -> dict[str, set[int]]:
        return dict(self.below)

    @property
    def project_ids(self) -> list[int]:
        return [p.pk for p in self.projects]


def incoming_shipment(company, **fields) -> Shipment:
    return Shipment.objects.create(
        kind=ShipmentKind.INCOMING, from_party=company.supplier, to_party=company.internal, **fields
    )


def shipment_item(company, shipment) -> ShipmentItem:
    return ShipmentItem.objects.create(shipment=shipment, product=company.product, quantity=Decimal(1))


def build_tree(company, width: int) -> Tree:
    """`width` projects, orders per project, jobs per order; every kind of record below each."""
    tree = Tree()
    for _ in range(width):
        project = company.project()
        tree.projects.append(project)
        project_task = tree.add(company.task(project))
        tree.add(company.time(project_task))  # no job above: no TIME cost
        for _ in range(width):
            order = tree.add(company.order(project, lines=[(Decimal(1), Decimal(10))] * width))
            extra_part = OrderPart.objects.create(order=order, name="second part")
            add_order_item(
                order,
                actor=None,
                part=extra_part,
                product=company.product,
                quantity=Decimal(1),
                unit_price=Decimal(3),
            )
            for part in order.parts.all():
                tree.add(part)
            for item in order.items.all():
                tree.add(item)
            tree.add(company.task(order))
            shipment = tree.add(company.shipment(order))
            tree.add(shipment_item(company, shipment))
            tree.add(company.task(shipment))
            for _ in range(width):
                job = tree.add(company.job(order))
                sub_job = tree.add(company.job(order, parent=job))
                tree.add(company.task(job))
                tree.add(company.task(sub_job))
                cost = tree.add(company.cost(sub_job))
                cost_task = tree.add(company.task(cost))
                entry = tree.add(company.time(cost_task))
                tree.add(entry.job_cost)  # the TIME cost the entry produced
                shipped = tree.add(company.shipment(ship_task=cost_task))
                tree.add(shipment_item(company, shipped))
                tree.add(incoming_shipment(company, receive_task=cost_task))
    return tree


def build_noise(company) -> None:
    """Records outside every tree built above: none of them may show up below a tree's projects."""
    other = company.project()
    order = company.order(other)
    job = company.job(order)
    company.time(company.task(company.cost(job)))
    company.shipment(order)
    loose_order = company.order()
    company.job(loose_order)
    company.shipment(loose_order)
    company.time(company.task(company.customer))
    company.shipment()


def count_sql(fn):
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, len(ctx.captured_queries)


# -- descendants ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def forest(django_db_setup, django_db_blocker):
    """A narrow tree, a wide tree and records outside both, built once for the module inside a
    transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        company = Company.create()
        narrow = build_tree(company, 1)
        wide = build_tree(company, 2)
        build_noise(company)
        yield narrow, wide
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_descendants_of_projects_are_exactly_the_records_below_them(forest):
    _, tree = forest
    found = descendants(Project, tree.project_ids)
    assert found == tree.expected
    assert set(found) == {PART, ITEM, ORDER, JOB, COST, TASK, ENTRY, SHIPMENT, SHIPMENT_ITEM}
    # 2 projects × 2 orders × 2 jobs, each with a sub-job
    assert len(found[JOB]) == 16
    # per job: 1 material + 1 TIME cost
    assert len(found[COST]) == 16
    # 2 project tasks, 4 order tasks, 4 shipment tasks, 16 job tasks, 8 cost tasks
    assert len(found[TASK]) == 34
    # 4 order shipments, 8 shipped by a task, 8 received by a task
    assert len(found[SHIPMENT]) == 20


@pytest.mark.django_db
def test_descendants_accepts_a_label_and_excludes_the_given_records(forest):
    tree, _ = forest
    found = descendants("projects.Project", tree.project_ids)
    assert found == tree.expected
    assert PROJECT not in found


@pytest.mark.django_db
def test_descendants_of_a_job_follow_sub_jobs_costs_tasks_and_task_shipments(company):
    project = company.project()
    order = company.order(project)
    order_task = company.task(order)
    top = company.job(order)
    sibling = company.job(order)
    company.task(sibling)
    child = company.job(order, parent=top)
    grandchild = company.job(order, parent=child)
    top_task = company.task(top)
    cost = company.cost(grandchild)
    cost_task = company.task(cost)
    entry = company.time(cost_task)
    shipped = company.shipment(ship_task=cost_task)
    item = shipment_item(company, shipped)
    received = incoming_shipment(company, receive_task=cost_task)
    shipment_task = company.task(received)

    assert descendants(Job, [top.pk]) == {
        JOB: {child.pk, grandchild.pk},
        COST: {cost.pk, entry.job_cost.pk},
        TASK: {top_task.pk, cost_task.pk, shipment_task.pk},
        ENTRY: {entry.pk},
        SHIPMENT: {shipped.pk, received.pk},
        SHIPMENT_ITEM: {item.pk},
    }
    assert order_task.pk not in descendants(Job, [top.pk])[TASK]


@pytest.mark.django_db
def test_descendants_of_a_party_are_its_tasks_and_what_hangs_below_them(company):
    task = company.task(company.employee)
    entry = company.time(task)
    shipped = company.shipment(ship_task=task)
    company.task(company.customer)
    assert descendants(Party, [company.employee.pk]) == {
        TASK: {task.pk},
        ENTRY: {entry.pk},
        SHIPMENT: {shipped.pk},
    }


@pytest.mark.django_db
def test_descendants_of_nothing_is_empty(forest):
    assert descendants(Project, []) == {}
    missing = Project.objects.order_by("-pk").first().pk + 1000
    assert descendants(Project, [missing]) == {}


@pytest.mark.django_db
def test_descendants_never_include_the_given_records_even_through_a_cycle(company):
    order = company.order(company.project())
    shipment = company.shipment(order)
    task = company.task(shipment)
    Shipment.objects.filter(pk=shipment.pk).update(ship_task=task)
    found = descendants(Shipment, [shipment.pk])
    assert found == {TASK: {task.pk}}


# 2 (Project → orders, tasks)
# + 10 (Order → parts, jobs, shipments, tasks, invoices, payments, returns;
#       Task → shipments, received shipments, time entries)
# + 9 (OrderPart → items; Job → sub-jobs, costs, tasks; Shipment → items, tasks; Task → 3)
# + 4 (JobCost → tasks; Task → 3)  + 3 (Task → 3)  + 2 (Shipment → items, tasks)
DESCENDANT_QUERIES = 2 + 10 + 9 + 4 + 3 + 2


@pytest.mark.django_db
def test_descendants_issue_one_query_per_link_per_level_whatever_the_width(forest):
    narrow, wide = forest
    found_narrow, queries_narrow = count_sql(lambda: descendants(Project, narrow.project_ids))
    found_wide, queries_wide = count_sql(lambda: descendants(Project, wide.project_ids))
    assert found_narrow == narrow.expected
    assert found_wide == wide.expected
    assert sum(map(len, found_wide.values())) == 6 * sum(map(len, found_narrow.values()))
    assert queries_narrow == queries_wide == DESCENDANT_QUERIES


# -- ancestors --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ancestors_of_a_time_entry_reach_its_project_through_cost_and_sub_job(company):
    project = company.project()
    order = company.order(project)
    top = company.job(order)
    sub = company.job(order, parent=top)
    cost = company.cost(sub)
    task = company.task(cost)
    entry = company.time(task)
    company.time(company.task(company.job(company.order(company.project()))))

    assert ancestors(TimeEntry, [entry.pk]) == {
        TASK: {task.pk},
        COST: {cost.pk},
        JOB: {sub.pk, top.pk},
        ORDER: {order.pk},
        PROJECT: {project.pk},
    }
    assert ancestors("work.TimeEntry", [entry.pk]) == ancestors(TimeEntry, [entry.pk])


@pytest.mark.django_db
def test_ancestors_of_shipments_follow_order_ship_task_and_receive_task(company):
    order_project = company.project()
    order = company.order(order_project)
    task_project = company.project()
    task_order = company.order(task_project)
    job = company.job(task_order)
    ship_task = company.task(job)
    party_task = company.task(company.carrier)

    by_order = company.shipment(order)
    by_ship_task = company.shipment(ship_task=ship_task)
    by_receive_task = incoming_shipment(company, receive_task=party_task)
    by_all = incoming_shipment(company, order=order, ship_task=ship_task, receive_task=party_task)
    loose = company.shipment()

    assert ancestors(Shipment, [by_order.pk]) == {ORDER: {order.pk}, PROJECT: {order_project.pk}}
    assert ancestors(Shipment, [by_ship_task.pk]) == {
        TASK: {ship_task.pk},
        JOB: {job.pk},
        ORDER: {task_order.pk},
        PROJECT: {task_project.pk},
    }
    assert ancestors(Shipment, [by_receive_task.pk]) == {
        TASK: {party_task.pk},
        PARTY: {company.carrier.pk},
    }
    assert ancestors(Shipment, [by_all.pk]) == {
        ORDER: {order.pk, task_order.pk},
        TASK: {ship_task.pk, party_task.pk},
        JOB: {job.pk},
        PARTY: {company.carrier.pk},
        PROJECT: {order_project.pk, task_project.pk},
    }
    assert ancestors(Shipment, [loose.pk]) == {}


@pytest.mark.django_db
def test_ancestors_of_shipment_items_order_items_and_tasks(company):
    project = company.project()
    order = company.order(project)
    part = order.parts.get()
    item = order.items.get()
    shipment = company.shipment(order)
    shipment_line = shipment_item(company, shipment)
    shipment_task = company.task(shipment)

    assert ancestors(ShipmentItem, [shipment_line.pk]) == {
        SHIPMENT: {shipment.pk},
        ORDER: {order.pk},
        PROJECT: {project.pk},
    }
    assert ancestors(OrderItem, [item.pk]) == {
        PART: {part.pk},
        ORDER: {order.pk},
        PROJECT: {project.pk},
    }
    assert ancestors(Task, [shipment_task.pk]) == {
        SHIPMENT: {shipment.pk},
        ORDER: {order.pk},
        PROJECT: {project.pk},
    }


@pytest.mark.django_db
def test_ancestors_never_include_the_given_records_even_through_a_cycle(company):
    project = company.project()
    order = company.order(project)
    shipment = company.shipment(order)
    task = company.task(shipment)
    Shipment.objects.filter(pk=shipment.pk).update(ship_task=task)
    assert ancestors(Shipment, [shipment.pk]) == {
        ORDER: {order.pk},
        PROJECT: {project.pk},
        TASK: {task.pk},
    }


@pytest.mark.django_db
def test_ancestors_stop_where_a_parent_is_missing(company):
    loose_order = company.order()
    job = company.job(loose_order)
    project = company.project()
    assert ancestors(Order, [loose_order.pk]) == {}
    assert ancestors(Job, [job.pk]) == {ORDER: {loose_order.pk}}
    assert ancestors(Project, [project.pk]) == {}
    assert ancestors(Job, []) == {}


def build_leaves(company, width: int) -> tuple[list[int], list[int]]:
    """`width` time entries under sub-job costs and on project tasks; shipments under cost tasks."""
    entries, shipments = [], []
    for _ in range(width):
        project = company.project()
        entries.append(company.time(company.task(project)).pk)
        order = company.order(project)
        job = company.job(order)
        sub = company.job(order, parent=job)
        task = company.task(company.cost(sub))
        entries.append(company.time(task).pk)
        shipments.append(company.shipment(order, ship_task=task).pk)
        shipments.append(incoming_shipment(company, receive_task=task).pk)
    return entries, shipments


# 1 (TimeEntry → task) + 6 (Task → its six targets) + 1 (JobCost → job) + 2 (Job → order, parent)
# + 3 (Order → project; Job → order, parent)
ENTRY_ANCESTOR_QUERIES = 1 + 6 + 1 + 2 + 3
# 3 (Shipment → order, ship task, receive task) + 7 (Order → project; Task → six targets)
# + 1 (JobCost → job) + 2 (sub-job → order, parent) + 2 (top job → order, parent)
SHIPMENT_ANCESTOR_QUERIES = 3 + 7 + 1 + 2 + 2


@pytest.mark.django_db
def test_ancestors_issue_one_query_per_link_per_level_whatever_the_width(company):
    narrow_entries, narrow_shipments = build_leaves(company, 1)
    wide_entries, wide_shipments = build_leaves(company, 4)

    found_narrow, queries_narrow = count_sql(lambda: ancestors(TimeEntry, narrow_entries))
    found_wide, queries_wide = count_sql(lambda: ancestors(TimeEntry, wide_entries))
    assert {label: len(pks) for label, pks in found_narrow.items()} == {
        TASK: 2,
        COST: 1,
        JOB: 2,
        ORDER: 1,
        PROJECT: 1,
    }
    assert {label: len(pks) for label, pks in found_wide.items()} == {
        TASK: 8,
        COST: 4,
        JOB: 8,
        ORDER: 4,
        PROJECT: 4,
    }
    assert queries_narrow == queries_wide == ENTRY_ANCESTOR_QUERIES

    found_narrow, queries_narrow = count_sql(lambda: ancestors(Shipment, narrow_shipments))
    found_wide, queries_wide = count_sql(lambda: ancestors(Shipment, wide_shipments))
    assert {label: len(pks) for label, pks in found_wide.items()} == {
        ORDER: 4,
        TASK: 4,
        COST: 4,
        JOB: 8,
        PROJECT: 4,
    }
    assert queries_narrow == queries_wide == SHIPMENT_ANCESTOR_QUERIES


# -- ancestor paths ---------------------------------------------------------------------------


def follow(model, lookup: str):
    for name in lookup.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def test_ancestor_paths_of_task_reach_projects_through_orders_and_job_costs():
    paths = ancestor_paths(Task)
    assert ("projects.Project", "order__project") in paths
    assert ("projects.Project", "job_cost__job__order__project") in paths
    assert ("projects.Project", "project") in paths
    assert ("projects.Project", "job__order__project") in paths
    assert ("projects.Project", "shipment__order__project") in paths
    assert ("orders.Order", "job_cost__job__order") in paths
    assert ("parties.Party", "party") in paths
    assert ("work.Job", "job__parent") in paths
    assert ("work.Job", "job_cost__job__parent") in paths
    assert len(paths) == len(set(paths))
    assert ancestor_paths("work.Task") == paths


SELF_FIELDS = {link.field for link in LINKS if link.recursive}


def test_ancestor_paths_are_real_joins_that_only_repeat_the_self_link():
    for label in {link.child for link in LINKS}:
        model = apps.get_model(label)
        for ancestor, lookup in ancestor_paths(model):
            assert follow(model, lookup)._meta.label == ancestor, (label, lookup)
            steps = lookup.split("__")
            self_steps = [step for step in steps if step in SELF_FIELDS]
            # the self-link (a sub-job's parent) only ends a path, at most MAX_SELF_DEPTH times
            assert len(self_steps) <= MAX_SELF_DEPTH, (label, lookup)
            if self_steps:
                assert steps[-len(self_steps) :] == self_steps, (label, lookup)
            # apart from it, a path never visits a model twice nor passes through its start
            plain = steps[: len(steps) - len(self_steps)]
            visited = [follow(model, "__".join(plain[:depth])) for depth in range(1, len(plain) + 1)]
            assert model not in visited, (label, lookup)
            assert len(visited) == len(set(visited)), (label, lookup)


def test_ancestor_paths_follow_parent_jobs_a_bounded_number_of_levels():
    job_paths = {lookup for ancestor, lookup in ancestor_paths(Task) if ancestor == JOB}
    chains = ["__".join(["parent"] * depth) for depth in range(1, MAX_SELF_DEPTH + 1)]
    assert job_paths == {
        "job",
        "job_cost__job",
        *(f"job__{chain}" for chain in chains),
        *(f"job_cost__job__{chain}" for chain in chains),
    }
    assert {lookup for ancestor, lookup in ancestor_paths(Job) if ancestor == JOB} == set(chains)


@pytest.mark.django_db
def test_parent_job_paths_select_the_tasks_of_sub_jobs(company):
    order = company.order(company.project())
    chain = [company.job(order)]
    for _ in range(MAX_SELF_DEPTH):
        chain.append(company.job(order, parent=chain[-1]))
    tasks = [company.task(job) for job in chain]
    top = chain[0]
    for depth in range(1, MAX_SELF_DEPTH + 1):
        lookup = "job__" + "__".join(["parent"] * depth)
        assert list(Task.objects.filter(**{lookup: top}).values_list("pk", flat=True)) == [tasks[depth].pk]
    union = set()
    for ancestor, lookup in ancestor_paths(Task):
        if ancestor == JOB:
            union |= set(Task.objects.filter(**{lookup: top}).values_list("pk", flat=True))
    assert union == {task.pk for task in tasks}
    assert descendants(Job, [top.pk])[TASK] == {task.pk for task in tasks}


@pytest.mark.django_db
def test_ancestor_paths_reach_every_job_of_the_deepest_chain_allowed(company):
    order = company.order(company.project())
    chain = [company.job(order)]
    for _ in range(MAX_SELF_DEPTH):
        chain.append(company.job(order, parent=chain[-1]))
    task = company.task(chain[-1])
    assert ancestors(Task, [task.pk])[JOB] == {job.pk for job in chain}
    reached = set()
    for ancestor, lookup in ancestor_paths(Task):
        if ancestor == JOB:
            reached |= set(Task.objects.filter(pk=task.pk).values_list(lookup, flat=True))
    assert reached - {None} == {job.pk for job in chain}
    too_deep = Job(order=order, name="one level too deep", parent=chain[-1])
    with pytest.raises(ValidationError) as refused:
        too_deep.full_clean()
    assert refused.value.error_dict["parent"][0].code == "TOO_DEEP"


def test_ancestor_paths_of_shipment_do_not_loop_back_through_tasks():
    paths = dict.fromkeys(lookup for _, lookup in ancestor_paths(Shipment))
    assert "ship_task__job_cost__job__order__project" in paths
    assert "receive_task__order__project" in paths
    assert "ship_task__shipment" not in paths
    assert not any(lookup.startswith("ship_task__shipment") for lookup in paths)


@pytest.mark.django_db
def test_ancestor_paths_select_the_tasks_below_a_project(company):
    project = company.project()
    order = company.order(project)
    job = company.job(order)
    on_project = company.task(project)
    on_order = company.task(order)
    on_job = company.task(job)
    on_cost = company.task(company.cost(job))
    on_shipment = company.task(company.shipment(order))
    company.task(company.order(company.project()))

    def tasks_via(lookup):
        return set(Task.objects.filter(**{lookup: project}).values_list("pk", flat=True))

    assert tasks_via("project") == {on_project.pk}
    assert tasks_via("order__project") == {on_order.pk}
    assert tasks_via("job__order__project") == {on_job.pk}
    assert tasks_via("job_cost__job__order__project") == {on_cost.pk}
    assert tasks_via("shipment__order__project") == {on_shipment.pk}
    union = set()
    for ancestor, lookup in ancestor_paths(Task):
        if ancestor == PROJECT:
            union |= tasks_via(lookup)
    assert union == {on_project.pk, on_order.pk, on_job.pk, on_cost.pk, on_shipment.pk}


# -- the table itself -------------------------------------------------------------------------


def test_links_are_real_foreign_keys_with_reverse_accessors():
    for link in LINKS:
        fk = link.child_model._meta.get_field(link.field)
        assert fk.related_model is link.parent_model, link
        assert link.related_name, link
        assert getattr(link.parent_model, link.related_name).rel is fk.remote_field, link
    assert [link.field for link in LINKS if link.recursive] == ["parent"]
    assert {(link.child, link.field) for link in child_links("work.Task")} == {
        (SHIPMENT, "ship_task"),
        (SHIPMENT, "receive_task"),
        (ENTRY, "task"),
    }
    assert {(link.parent, link.field) for link in parent_links(Task)} == set(TASK_TARGETS.items())


# -- the GraphQL schema exposes every link both ways ------------------------------------------


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def graphql_fields(label: str) -> dict:
    type_name = TYPE_NAMES[label]
    strawberry_type = schema.get_type_by_name(type_name)
    assert strawberry_type is not None, type_name
    converter = schema.config.name_converter
    names = {converter.get_graphql_name(f) for f in strawberry_type.fields}
    graphql_type = schema._schema.get_type(type_name)
    assert set(graphql_type.fields) == names
    return graphql_type.fields


def named(graphql_field) -> str:
    return get_named_type(graphql_field.type).name


@pytest.mark.parametrize("link", LINKS, ids=lambda link: f"{link.child}.{link.field}")
def test_schema_exposes_each_link_from_child_to_parent(link):
    fields = graphql_fields(link.child)
    parent_type = TYPE_NAMES[link.parent]
    if link.child == TASK and link.field in TASK_TARGETS.values():
        assert "target" in fields
        union = get_named_type(fields["target"].type)
        assert parent_type in {t.name for t in union.types}
    else:
        assert camel(link.field) in fields, f"{TYPE_NAMES[link.child]}.{camel(link.field)}"
        assert named(fields[camel(link.field)]) == parent_type


@pytest.mark.parametrize("link", LINKS, ids=lambda link: f"{link.parent}.{link.related_name}")
def test_schema_exposes_each_link_from_parent_to_children(link):
    fields = graphql_fields(link.parent)
    name = camel(link.related_name)
    assert name in fields, f"{TYPE_NAMES[link.parent]}.{name}"
    connection_type = get_named_type(fields[name].type)
    assert connection_type.name == f"{TYPE_NAMES[link.child]}CursorConnection"
    edge_type = get_named_type(connection_type.fields["edges"].type)
    assert named(edge_type.fields["node"]) == TYPE_NAMES[link.child]
    assert {"first", "last", "after", "before", "filters", "ordering"} <= set(fields[name].args)


def test_schema_link_names_match_the_documented_examples():
    assert named(graphql_fields(ORDER)["project"]) == "Project"
    assert named(graphql_fields(SHIPMENT)["shipTask"]) == "Task"
    assert named(graphql_fields(SHIPMENT)["receiveTask"]) == "Task"
    for parent, name, child in [
        (PROJECT, "orders", "Order"),
        (TASK, "shipments", "Shipment"),
        (TASK, "receivedShipments", "Shipment"),
        (JOB, "children", "Job"),
    ]:
        assert named(graphql_fields(parent)[name]) == f"{child}CursorConnection"


@pytest.mark.parametrize("label", TASK_TARGETS)
def test_every_task_target_has_a_tasks_connection(label):
    fields = graphql_fields(label)
    assert "tasks" in fields
    assert named(fields["tasks"]) == "TaskCursorConnection"
    union = get_named_type(graphql_fields(TASK)["target"].type)
    assert TYPE_NAMES[label] in {t.name for t in union.types}


def test_task_target_union_holds_exactly_the_task_targets():
    union = get_named_type(graphql_fields(TASK)["target"].type)
    assert {t.name for t in union.types} == {TYPE_NAMES[label] for label in TASK_TARGETS}
