"""Procure to pay through GraphQL: a purchase order received in full, then its bill paid."""

import pytest

from ..factories import gid

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

ORDER = """order { id kind status completedAt total { amount }
    parts(first: 5) { edges { node { status } } }
    items(first: 5) { edges { node { id quantity product { id } } } } }"""
INVOICE = "invoice { id status direction total { amount currency } unpaidTotal { amount } }"
PAYMENT = "payment { id status amount { amount } unappliedTotal { amount } }"


def ok(payload: dict, field: str) -> dict:
    assert payload["errors"] == [], payload["errors"]
    return payload[field]


def test_procure_to_pay(gql, company):
    product = gid("Product", company.product.pk)
    order = ok(
        gql.mutate(
            "orderCreate",
            {
                "customerId": gid("Party", company.internal.pk),
                "vendorId": gid("Party", company.supplier.pk),
                "currency": "USD",
                "items": [
                    {"productId": product, "quantity": "10", "unitPrice": "4.50"},
                    {"productId": product, "quantity": "4", "unitPrice": "25.00"},
                ],
            },
            ORDER,
        ),
        "order",
    )
    assert (order["kind"], order["total"]["amount"]) == ("PURCHASE", "145.00")
    for status in ("PLACED", "APPROVED", "SENT"):
        order = ok(gql.mutate("orderTransition", {"id": order["id"], "to": status}, ORDER), "order")
        assert order["status"] == status
    assert [e["node"]["status"] for e in order["parts"]["edges"]] == ["SENT"]

    shipment = ok(
        gql.mutate(
            "shipmentCreate",
            {
                "kind": "INCOMING",
                "fromPartyId": gid("Party", company.supplier.pk),
                "toPartyId": gid("Party", company.internal.pk),
                "destinationFacilityId": gid("Facility", company.warehouse.pk),
                "orderId": order["id"],
            },
            "shipment { id status }",
        ),
        "shipment",
    )
    for edge in order["items"]["edges"]:
        line = edge["node"]
        ok(
            gql.mutate(
                "shipmentItemCreate",
                {
                    "shipmentId": shipment["id"],
                    "productId": line["product"]["id"],
                    "quantity": line["quantity"],
                    "orderItemId": line["id"],
                },
                "shipmentItem { id }",
            ),
            "shipmentItem",
        )
    shipped = gql.mutate("shipmentTransition", {"id": shipment["id"], "to": "SHIPPED"}, "shipment { status }")
    assert ok(shipped, "shipment")["status"] == "SHIPPED"
    on_the_way = gql.data(
        "query($id: ID!) { node(id: $id) { ... on Order { status } } }", {"id": order["id"]}
    )
    assert on_the_way["node"]["status"] == "SENT"  # not yet received
    delivered = gql.mutate(
        "shipmentTransition",
        {"id": shipment["id"], "to": "DELIVERED"},
        f"shipment {{ status deliveredAt {ORDER} }}",
    )
    received = ok(delivered, "shipment")
    assert received["status"] == "DELIVERED" and received["deliveredAt"] is not None
    assert received["order"]["status"] == "COMPLETED"
    assert received["order"]["completedAt"] is not None
    assert [e["node"]["status"] for e in received["order"]["parts"]["edges"]] == ["COMPLETED"]

    bill = ok(
        gql.mutate("invoiceCreateFromOrder", {"orderId": order["id"], "idempotencyKey": "bill-1"}, INVOICE),
        "invoice",
    )
    assert (bill["direction"], bill["status"]) == ("PAYABLE", "INCOMING")
    assert bill["total"] == {"amount": "145.00", "currency": "USD"}
    for status in ("RECEIVED", "APPROVED"):
        bill = ok(gql.mutate("invoiceTransition", {"id": bill["id"], "to": status}, INVOICE), "invoice")
        assert bill["status"] == status

    paid = ok(
        gql.mutate(
            "paymentCreate",
            {
                "fromPartyId": gid("Party", company.internal.pk),
                "toPartyId": gid("Party", company.supplier.pk),
                "instrument": "WIRE",
                "amount": "145.00",
                "currency": "USD",
                "status": "DELIVERED",
                "effectiveDate": "2026-03-05",
                "idempotencyKey": "pay-1",
            },
            PAYMENT,
        ),
        "payment",
    )
    assert (paid["status"], paid["unappliedTotal"]["amount"]) == ("DELIVERED", "145.00")
    applied = ok(
        gql.mutate(
            "paymentApply",
            {"paymentId": paid["id"], "invoiceId": bill["id"], "idempotencyKey": "apply-1"},
            "paymentApplication { amount { amount } invoice { status unpaidTotal { amount } } "
            "payment { unappliedTotal { amount } } }",
        ),
        "paymentApplication",
    )
    assert applied == {
        "amount": {"amount": "145.00"},
        "invoice": {"status": "PAYMENT_SENT", "unpaidTotal": {"amount": "0.00"}},
        "payment": {"unappliedTotal": {"amount": "0.00"}},
    }
