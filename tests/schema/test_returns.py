"""Returns through GraphQL: approving ships them back, receiving credits, refunds and replaces."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from guardian.shortcuts import assign_perm

from backend.audit.models import StatusChange
from backend.billing.models import Invoice, InvoiceKind, InvoiceStatus, Payment, PaymentStatus
from backend.catalog.models import Product, ProductKind
from backend.orders.models import Order
from backend.orders.services import add_order_item
from backend.returns.models import Return
from backend.shipping.models import Shipment, ShipmentItem, ShipmentKind, ShipmentStatus

from ..conftest import GraphQLClient
from ..factories import gid

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

RETURN = """return { id status allowedTransitions { verb to } items(first: 10) { totalCount }
    statusHistory { fromStatus toStatus verb actor } }"""


def ok(payload: dict, field: str) -> dict:
    assert payload["errors"] == [], payload["errors"]
    return payload[field]


def delivered_sales_order(company) -> Order:
    """A sales order of three products (2 × 10.00, 1 × 50.00, 3 × 4.00), shipped and delivered."""
    gadget = Product.objects.create(kind=ProductKind.GOOD, name="Gadget", sku=f"G-{company.product.pk}")
    bolt = Product.objects.create(kind=ProductKind.GOOD, name="Bolt", sku=f"B-{company.product.pk}")
    order = company.order(project=company.project(), lines=((Decimal(2), Decimal("10.00")),))
    add_order_item(order, actor=None, product=gadget, quantity=Decimal(1), unit_price=Decimal("50.00"))
    add_order_item(order, actor=None, product=bolt, quantity=Decimal(3), unit_price=Decimal("4.00"))
    shipment = Shipment.objects.create(
        kind=ShipmentKind.OUTGOING,
        status=ShipmentStatus.DELIVERED,
        from_party=company.internal,
        to_party=company.customer,
        order=order,
    )
    for item in order.items.order_by("pk"):
        ShipmentItem.objects.create(
            shipment=shipment, product=item.product, quantity=item.quantity, order_item=item
        )
    return order


def create_return(gql, company, order) -> dict:
    widget_line, gadget_line, bolt_line = order.items.order_by("pk")
    return ok(
        gql.mutate(
            "returnCreate",
            {
                "customerId": gid("Party", company.customer.pk),
                "vendorId": gid("Party", company.internal.pk),
                "currency": "USD",
                "orderId": gid("Order", order.pk),
                "facilityId": gid("Facility", company.warehouse.pk),
                "items": [
                    {
                        "orderItemId": gid("OrderItem", widget_line.pk),
                        "quantity": "2",
                        "reason": "DAMAGED",
                        "response": "CREDIT",
                    },
                    {
                        "orderItemId": gid("OrderItem", gadget_line.pk),
                        "quantity": "1",
                        "reason": "DEFECTIVE",
                        "response": "REFUND",
                        "returnPrice": "45.00",
                    },
                    {
                        "orderItemId": gid("OrderItem", bolt_line.pk),
                        "quantity": "3",
                        "reason": "WRONG_ITEM",
                        "response": "REPLACE",
                    },
                ],
            },
            RETURN,
        ),
        "return",
    )


def test_approving_and_receiving_a_return_ships_credits_refunds_and_replaces(gql, company):
    order = delivered_sales_order(company)
    created = create_return(gql, company, order)
    assert created["status"] == "CREATED"
    assert created["items"]["totalCount"] == 3
    assert {"verb": "approve", "to": "APPROVED"} in created["allowedTransitions"]

    approved = ok(gql.mutate("returnTransition", {"id": created["id"], "to": "APPROVED"}, RETURN), "return")
    assert approved["status"] == "APPROVED"
    record = Return.objects.get(pk=Return.objects.get().pk)
    shipment = record.shipment
    assert (shipment.kind, shipment.from_party, shipment.to_party) == (
        ShipmentKind.SALES_RETURN,
        company.customer,
        company.internal,
    )
    assert shipment.destination_facility == company.warehouse
    assert sorted((i.product.name, i.quantity) for i in shipment.items.all()) == sorted(
        [(company.product.name, Decimal(2)), ("Gadget", Decimal(1)), ("Bolt", Decimal(3))]
    )

    received = ok(
        gql.mutate(
            "returnTransition",
            {"id": created["id"], "to": "RECEIVED"},
            RETURN + " return { invoice { kind total { amount } unpaidTotal { amount } } "
            "refundPayment { status amount { amount } } replacementOrder { total { amount } } }",
        ),
        "return",
    )
    assert received["status"] == "RECEIVED"
    assert received["invoice"] == {
        "kind": "RETURN",
        "total": {"amount": "65.00"},
        "unpaidTotal": {"amount": "20.00"},
    }
    assert received["refundPayment"] == {"status": "DELIVERED", "amount": {"amount": "45.00"}}
    assert received["replacementOrder"] == {"total": {"amount": "0.00"}}

    record.refresh_from_db()
    invoice = record.invoice
    assert (invoice.kind, invoice.status, invoice.from_party, invoice.to_party) == (
        InvoiceKind.RETURN,
        InvoiceStatus.APPROVED,
        company.customer,
        company.internal,
    )
    assert invoice.total == Decimal("65.00")
    refund = record.refund_payment
    assert (refund.status, refund.from_party, refund.to_party, refund.for_invoice) == (
        PaymentStatus.DELIVERED,
        company.internal,
        company.customer,
        invoice,
    )
    assert refund.applied_total == Decimal("45.00")
    assert list(refund.applications.values_list("invoice", "amount")) == [(invoice.pk, Decimal("45.00"))]
    replacement = record.replacement_order
    assert (replacement.customer, replacement.vendor, replacement.total) == (
        company.customer,
        company.internal,
        Decimal(0),
    )
    assert [(i.product.name, i.quantity, i.unit_price) for i in replacement.items.all()] == [
        ("Bolt", Decimal(3), Decimal(0))
    ]
    assert Invoice.objects.filter(kind=InvoiceKind.RETURN).count() == 1
    assert Payment.objects.count() == 1

    assert [(h["fromStatus"], h["toStatus"], h["verb"], h["actor"]) for h in received["statusHistory"]] == [
        ("CREATED", "APPROVED", "approve", "admin"),
        ("APPROVED", "RECEIVED", "receive", "admin"),
    ]
    assert StatusChange.objects.filter(object_id=record.pk, to_status="RECEIVED", verb="receive").exists()


def test_a_return_refuses_steps_outside_its_flow(gql, company):
    order = delivered_sales_order(company)
    created = create_return(gql, company, order)
    refused = gql.mutate("returnTransition", {"id": created["id"], "to": "RECEIVED"}, "return { status }")
    assert refused["return"] is None
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("INVALID_TRANSITION", "to")]
    ok(
        gql.mutate("returnTransition", {"id": created["id"], "to": "CANCELLED"}, "return { status }"),
        "return",
    )
    again = gql.mutate("returnTransition", {"id": created["id"], "to": "APPROVED"}, "return { status }")
    assert [e["code"] for e in again["errors"]] == ["INVALID_TRANSITION"]
    assert Return.objects.get().shipment is None
    added = gql.mutate(
        "returnItemAdd",
        {"returnHeaderId": created["id"], "description": "Late", "quantity": "1", "response": "CREDIT",
         "returnPrice": "1.00"},
        "returnItem { id }",
    )  # fmt: skip
    assert [e["code"] for e in added["errors"]] == ["RETURN_NOT_EDITABLE"]


def test_return_items_can_be_added_while_created(gql, company):
    order = delivered_sales_order(company)
    created = create_return(gql, company, order)
    added = ok(
        gql.mutate(
            "returnItemAdd",
            {"returnHeaderId": created["id"], "description": "Manual", "quantity": "1", "response": "CREDIT",
             "returnPrice": "2.50"},
            "returnItem { id reason response returnPrice { amount currency } returnHeader { id } }",
        ),
        "returnItem",
    )  # fmt: skip
    assert added["returnPrice"] == {"amount": "2.50", "currency": "USD"}
    assert (added["reason"], added["response"], added["returnHeader"]["id"]) == (
        "OTHER",
        "CREDIT",
        created["id"],
    )


def test_a_project_grant_shows_the_orders_returns(gql, company):
    order = delivered_sales_order(company)
    created = create_return(gql, company, order)
    users = get_user_model().objects
    granted, stranger = (
        users.create_user("ann", password="pw-ann-12345"),
        users.create_user("bob", password="pw-bob-12345"),
    )
    assign_perm("projects.view_project", granted, order.project)
    query = f"""{{ node(id: "{gid("Order", order.pk)}") {{ ... on Order {{ returns(first: 5) {{
        edges {{ node {{ id items(first: 5) {{ totalCount }} }} }} }} }} }}
        returns(first: 5) {{ totalCount }} }}"""
    seen = GraphQLClient(granted).data(query)
    assert seen["node"]["returns"]["edges"] == [{"node": {"id": created["id"], "items": {"totalCount": 3}}}]
    assert seen["returns"]["totalCount"] == 1
    unseen = GraphQLClient(stranger).data(query)
    assert unseen["node"] is None
    assert unseen["returns"]["totalCount"] == 0
