"""Status changes: declared transitions only, recorded in history, with their side effects."""

import pytest
from guardian.shortcuts import assign_perm

from backend.audit.models import StatusChange
from backend.orders.services import add_order_part
from backend.shipping.models import ShipmentKind

from ..conftest import GraphQLClient
from ..factories import gid

pytestmark = pytest.mark.django_db

ORDER = "order { status placedAt approvedAt completedAt version parts(first: 5) { edges { node { status } } } allowedTransitions { verb to } statusHistory { fromStatus toStatus verb actor reason } }"


def move(client, noun, record_id, to, selection, **extra):
    return client.mutate(f"{noun}Transition", {"id": record_id, "to": to, **extra}, selection)


def test_order_to_cash_statuses_are_recorded_with_their_dates(gql, company):
    order = company.order()
    oid = gid("Order", order.pk)
    placed = move(gql, "order", oid, "PLACED", ORDER, reason="Customer signed")["order"]
    assert placed["status"] == "PLACED"
    assert placed["placedAt"] is not None and placed["approvedAt"] is None
    assert [e["node"]["status"] for e in placed["parts"]["edges"]] == ["PLACED"]  # its part moved with it
    assert {"verb": "approve", "to": "APPROVED"} in placed["allowedTransitions"]
    approved = move(gql, "order", oid, "APPROVED", ORDER)["order"]
    done = move(gql, "order", oid, "COMPLETED", ORDER)["order"]
    assert done["completedAt"] is not None and done["approvedAt"] == approved["approvedAt"]
    assert [(h["fromStatus"], h["toStatus"], h["verb"], h["actor"]) for h in done["statusHistory"]] == [
        ("OPEN", "PLACED", "place", "admin"),
        ("PLACED", "APPROVED", "approve", "admin"),
        ("APPROVED", "COMPLETED", "complete", "admin"),
    ]
    assert done["statusHistory"][0]["reason"] == "Customer signed"
    assert done["allowedTransitions"] == [{"verb": "reopen", "to": "APPROVED"}]


def test_undeclared_transition_is_refused_and_writes_nothing(gql, company):
    order = company.order()
    payload = move(gql, "order", gid("Order", order.pk), "COMPLETED", "order { status }")
    assert payload["order"] is None
    error = payload["errors"][0]
    assert (error["kind"], error["code"], error["field"]) == ("VALIDATION", "INVALID_TRANSITION", "to")
    assert "PLACED" in error["message"]  # it says what is allowed from here
    order.refresh_from_db()
    assert order.status == "OPEN"
    assert not StatusChange.objects.exists()


def test_stale_version_is_a_conflict(gql, company):
    order = company.order()
    payload = move(
        gql, "order", gid("Order", order.pk), "PLACED", "order { status }", expectedVersion=order.version - 1
    )
    assert [(e["kind"], e["code"]) for e in payload["errors"]] == [("CONFLICT", "STALE_VERSION")]


def test_status_is_not_writable_through_updates(gql):
    fields = gql.data('{ __type(name: "OrderUpdateInput") { inputFields { name } } }')["__type"][
        "inputFields"
    ]
    assert "status" not in {f["name"] for f in fields}


def test_the_order_follows_its_parts_when_they_all_agree(gql, company):
    order = company.order()
    second = add_order_part(order, actor=None, name="Later")
    first = order.parts.exclude(pk=second.pk).get()
    move(gql, "orderPart", gid("OrderPart", first.pk), "CANCELLED", "orderPart { status }")
    order.refresh_from_db()
    assert order.status == "OPEN"
    move(gql, "orderPart", gid("OrderPart", second.pk), "CANCELLED", "orderPart { status }")
    order.refresh_from_db()
    assert order.status == "CANCELLED"
    assert StatusChange.objects.filter(object_id=order.pk, to_status="CANCELLED", actor=None).count() == 1


def test_approving_needs_manage_and_the_viewer_sees_only_what_it_may_do(company, django_user_model):
    project = company.project()
    order = company.order(project)
    clerk = django_user_model.objects.create_user("clerk", password="pw-clerk-123")
    for perm in ("view_project", "change_project"):
        assign_perm(f"projects.{perm}", clerk, project)
    client = GraphQLClient(clerk)
    placed = move(client, "order", gid("Order", order.pk), "PLACED", "order { allowedTransitions { verb } }")
    verbs = {t["verb"] for t in placed["order"]["allowedTransitions"]}
    assert "process" in verbs and "approve" not in verbs
    refused = move(client, "order", gid("Order", order.pk), "APPROVED", "order { status }")
    assert [(e["kind"], e["code"]) for e in refused["errors"]] == [("PERMISSION", "PERMISSION_DENIED")]
    order.refresh_from_db()
    assert order.status == "PLACED"


def test_outgoing_shipments_pass_through_packed(gql, company):
    outgoing = company.shipment(company.order())
    sid = gid("Shipment", outgoing.pk)
    refused = move(gql, "shipment", sid, "SHIPPED", "shipment { status }")
    assert refused["errors"][0]["code"] == "INVALID_TRANSITION"
    assert move(gql, "shipment", sid, "PACKED", "shipment { status }")["shipment"] == {"status": "PACKED"}
    shipped = move(gql, "shipment", sid, "SHIPPED", "shipment { status shippedAt deliveredAt }")["shipment"]
    assert shipped["shippedAt"] is not None and shipped["deliveredAt"] is None
    incoming = company.shipment(kind=ShipmentKind.INCOMING)
    direct = move(
        gql, "shipment", gid("Shipment", incoming.pk), "DELIVERED", "shipment { status deliveredAt }"
    )
    assert direct["shipment"]["status"] == "DELIVERED" and direct["shipment"]["deliveredAt"] is not None


def test_starting_and_completing_a_task_record_its_actual_times(gql, company):
    task = company.task(company.project())
    tid = gid("Task", task.pk)
    started = move(gql, "task", tid, "IN_PROGRESS", "task { status actualStart actualEnd }")["task"]
    assert started["actualStart"] is not None and started["actualEnd"] is None
    done = move(gql, "task", tid, "COMPLETE", "task { status actualStart actualEnd }")["task"]
    assert done["actualStart"] == started["actualStart"] and done["actualEnd"] is not None


def test_job_cost_approval_flow(gql, company):
    cost = company.cost(company.job(company.order()))
    cid = gid("JobCost", cost.pk)
    rejected = move(gql, "jobCost", cid, "REJECTED", "jobCost { approvalStatus allowedTransitions { to } }")
    assert rejected["jobCost"] == {"approvalStatus": "REJECTED", "allowedTransitions": [{"to": "PENDING"}]}
    assert move(gql, "jobCost", cid, "APPROVED", "jobCost { approvalStatus }")["errors"][0]["code"] == (
        "INVALID_TRANSITION"
    )
    move(gql, "jobCost", cid, "PENDING", "jobCost { approvalStatus }")
    assert move(gql, "jobCost", cid, "APPROVED", "jobCost { approvalStatus }")["jobCost"] == {
        "approvalStatus": "APPROVED"
    }


def test_history_and_allowed_transitions_cost_no_query_per_row(gql, company, count_queries):
    query = "{ orders(first: 50) { edges { node { status allowedTransitions { verb } statusHistory { verb } } } } }"

    def orders(n):
        for _ in range(n):
            order = company.order()
            move(gql, "order", gid("Order", order.pk), "PLACED", "order { status }")

    orders(2)
    _, few = count_queries(lambda: gql.data(query))
    orders(6)
    data, many = count_queries(lambda: gql.data(query))
    assert len(data["orders"]["edges"]) == 8
    assert all(len(e["node"]["statusHistory"]) == 1 for e in data["orders"]["edges"])
    assert len(many.captured_queries) == len(few.captured_queries)
