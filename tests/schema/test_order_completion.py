"""An order part completes by itself once its items are shipped and the order's tasks are done."""

import pytest

from backend.audit.models import StatusChange

from ..factories import gid

pytestmark = pytest.mark.django_db

FIELDS = """id status completedAt
    parts(first: 5) { edges { node { id status statusHistory { fromStatus toStatus verb actor reason } } } }
    items(first: 5) { edges { node { id quantity } } }
    statusHistory { fromStatus toStatus verb actor }"""
ORDER = f"order {{ {FIELDS} }}"


def ok(payload: dict, field: str) -> dict:
    assert payload["errors"] == [], payload["errors"]
    return payload[field]


def approved_sale(client, company) -> dict:
    """A sale of 2 and 3 widgets, placed and approved."""
    order = ok(
        client.mutate(
            "orderCreate",
            {
                "customerId": gid("Party", company.customer.pk),
                "vendorId": gid("Party", company.internal.pk),
                "currency": "USD",
                "items": [
                    {"productId": gid("Product", company.product.pk), "quantity": "2", "unitPrice": "10.00"},
                    {"productId": gid("Product", company.product.pk), "quantity": "3", "unitPrice": "5.00"},
                ],
            },
            ORDER,
        ),
        "order",
    )
    for status in ("PLACED", "APPROVED"):
        order = ok(client.mutate("orderTransition", {"id": order["id"], "to": status}, ORDER), "order")
    return order


def read(client, order_id: str) -> dict:
    query = f"query($id: ID!) {{ node(id: $id) {{ ... on Order {{ {FIELDS} }} }} }}"
    return client.data(query, {"id": order_id})["node"]


def part_status(client, order_id: str) -> str:
    return read(client, order_id)["parts"]["edges"][0]["node"]["status"]


def ship(client, company, order: dict, quantities: list[str], *, to: str = "SHIPPED") -> str:
    """An outgoing shipment of the given quantity of each order line, packed and moved to `to`."""
    shipment = ok(
        client.mutate(
            "shipmentCreate",
            {
                "kind": "OUTGOING",
                "fromPartyId": gid("Party", company.internal.pk),
                "toPartyId": gid("Party", company.customer.pk),
                "orderId": order["id"],
            },
            "shipment { id }",
        ),
        "shipment",
    )
    for edge, quantity in zip(order["items"]["edges"], quantities, strict=True):
        ok(
            client.mutate(
                "shipmentItemCreate",
                {
                    "shipmentId": shipment["id"],
                    "productId": gid("Product", company.product.pk),
                    "quantity": quantity,
                    "orderItemId": edge["node"]["id"],
                },
                "shipmentItem { id }",
            ),
            "shipmentItem",
        )
    for status in ("PACKED", to) if to != "PACKED" else ("PACKED",):
        moved = client.mutate(
            "shipmentTransition", {"id": shipment["id"], "to": status}, "shipment { status }"
        )
        assert ok(moved, "shipment")["status"] == status
    return shipment["id"]


def task(client, target_id: str) -> str:
    created = client.mutate("taskCreate", {"targetId": target_id, "title": "Inspect"}, "task { id }")
    return ok(created, "task")["id"]


def move_task(client, task_id: str, *statuses: str) -> None:
    for status in statuses:
        moved = client.mutate("taskTransition", {"id": task_id, "to": status}, "task { status }")
        assert ok(moved, "task")["status"] == status


def test_part_completes_when_shipped_quantities_cover_every_item_and_tasks_are_done(gql, company):
    order = approved_sale(gql, company)
    oid = order["id"]
    open_task = task(gql, oid)
    job = ok(gql.mutate("jobCreate", {"orderId": oid, "name": "Assembly"}, "job { id }"), "job")
    job_task = task(gql, job["id"])

    ship(gql, company, order, ["2", "3"], to="PACKED")  # packed is not shipped
    assert part_status(gql, oid) == "APPROVED"
    ship(gql, company, order, ["2", "1"])  # the second line is short
    assert part_status(gql, oid) == "APPROVED"
    ship(gql, company, order, ["0.5", "2"])  # now every line is covered, but tasks are open
    assert part_status(gql, oid) == "APPROVED"

    move_task(gql, job_task, "CANCELLED")
    assert part_status(gql, oid) == "APPROVED"  # the order's own task is still open
    move_task(gql, open_task, "IN_PROGRESS", "COMPLETE")

    done = read(gql, oid)
    assert done["status"] == "COMPLETED"
    assert done["completedAt"] is not None
    part = done["parts"]["edges"][0]["node"]
    assert part["status"] == "COMPLETED"
    assert part["statusHistory"][-1]["toStatus"] == "COMPLETED"
    assert part["statusHistory"][-1]["actor"] is None
    assert part["statusHistory"][-1]["reason"]
    assert done["statusHistory"][-1] == {
        "fromStatus": "APPROVED",
        "toStatus": "COMPLETED",
        "verb": "complete",
        "actor": None,
    }


def test_shipping_the_last_items_completes_the_part_when_no_task_is_open(gql, company):
    order = approved_sale(gql, company)
    oid = order["id"]
    finished = task(gql, oid)
    move_task(gql, finished, "IN_PROGRESS", "COMPLETE", "CLOSED")
    ship(gql, company, order, ["1", "3"])
    assert part_status(gql, oid) == "APPROVED"
    ship(gql, company, order, ["1", "0.001"])
    assert read(gql, oid)["status"] == "COMPLETED"
    assert (
        StatusChange.objects.filter(to_status="COMPLETED", actor=None).count() == 2
    )  # the part and the order


def test_only_approved_or_sent_parts_complete(gql, company):
    order = ok(
        gql.mutate(
            "orderCreate",
            {
                "customerId": gid("Party", company.customer.pk),
                "vendorId": gid("Party", company.internal.pk),
                "currency": "USD",
                "items": [
                    {"productId": gid("Product", company.product.pk), "quantity": "1", "unitPrice": "10.00"}
                ],
            },
            ORDER,
        ),
        "order",
    )
    ok(gql.mutate("orderTransition", {"id": order["id"], "to": "PLACED"}, "order { id }"), "order")
    ship(gql, company, order, ["1"])
    assert read(gql, order["id"])["status"] == "PLACED"
    assert not StatusChange.objects.filter(to_status="COMPLETED").exists()
