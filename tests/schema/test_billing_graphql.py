"""Order to cash through GraphQL: invoices, payments, applications, refunds and safe retries."""

import pytest
from guardian.shortcuts import assign_perm

from backend.billing.models import IdempotencyKey, Invoice, PaymentApplication

from ..conftest import GraphQLClient
from ..factories import gid

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

INVOICE = "invoice { id status direction total { amount currency } unpaidTotal { amount } items(first: 10) { totalCount } }"
PAYMENT = "payment { id status amount { amount } unappliedTotal { amount } }"
APPLICATION = """paymentApplication { id amount { amount currency } originalAmount { amount } appliedBy
    invoice { status unpaidTotal { amount } appliedTotal { amount } }
    payment { unappliedTotal { amount } appliedTotal { amount } }
    toPayment { unappliedTotal { amount } appliedTotal { amount } } }"""


def ok(payload: dict, field: str) -> dict:
    assert payload["errors"] == [], payload["errors"]
    return payload[field]


def refused(payload: dict, *, kind: str, code: str, field: str | None):
    assert payload["errors"], payload
    error = payload["errors"][0]
    assert (error["kind"], error["code"], error["field"]) == (kind, code, field), payload["errors"]
    assert error["message"]


def approved_order(client, company) -> str:
    """An order of 1,360.00 (2 × 500.00 + 3 × 120.00), placed and approved."""
    order = ok(
        client.mutate(
            "orderCreate",
            {
                "customerId": gid("Party", company.customer.pk),
                "vendorId": gid("Party", company.internal.pk),
                "currency": "USD",
                "items": [
                    {"productId": gid("Product", company.product.pk), "quantity": "2", "unitPrice": "500.00"},
                    {"description": "Installation", "quantity": "3", "unitPrice": "120.00"},
                ],
            },
            "order { id total { amount } }",
        ),
        "order",
    )
    assert order["total"]["amount"] == "1360.00"
    for status in ("PLACED", "APPROVED"):
        moved = client.mutate("orderTransition", {"id": order["id"], "to": status}, "order { status }")
        assert ok(moved, "order")["status"] == status
    return order["id"]


def finalized_invoice(client, order_id: str, key: str = "invoice-1") -> dict:
    invoice = ok(
        client.mutate("invoiceCreateFromOrder", {"orderId": order_id, "idempotencyKey": key}, INVOICE),
        "invoice",
    )
    moved = client.mutate("invoiceTransition", {"id": invoice["id"], "to": "FINALIZED"}, INVOICE)
    return ok(moved, "invoice")


def payment(client, payer, payee, amount: str, key: str, **extra) -> dict:
    return client.mutate(
        "paymentCreate",
        {
            "fromPartyId": gid("Party", payer.pk),
            "toPartyId": gid("Party", payee.pk),
            "instrument": "WIRE",
            "amount": amount,
            "currency": "USD",
            "status": "DELIVERED",
            "effectiveDate": "2026-03-01",
            "idempotencyKey": key,
            **extra,
        },
        PAYMENT,
    )


def test_order_to_cash(gql, company):
    order_id = approved_order(gql, company)
    invoice = finalized_invoice(gql, order_id)
    assert invoice["status"] == "FINALIZED"
    assert invoice["direction"] == "RECEIVABLE"
    assert invoice["total"] == {"amount": "1360.00", "currency": "USD"}
    assert invoice["items"]["totalCount"] == 2

    received = ok(payment(gql, company.customer, company.internal, "1500.00", "pay-1"), "payment")
    assert received["status"] == "DELIVERED"
    assert received["unappliedTotal"]["amount"] == "1500.00"

    apply_input = {"paymentId": received["id"], "invoiceId": invoice["id"], "idempotencyKey": "apply-1"}
    applied = ok(gql.mutate("paymentApply", apply_input, APPLICATION), "paymentApplication")
    assert applied["amount"] == {"amount": "1360.00", "currency": "USD"}
    assert applied["appliedBy"] == "admin"
    assert applied["invoice"] == {
        "status": "PAYMENT_RECEIVED",
        "unpaidTotal": {"amount": "0.00"},
        "appliedTotal": {"amount": "1360.00"},
    }
    assert applied["payment"]["unappliedTotal"] == {"amount": "140.00"}

    # a retry with the same key and input returns the same application and writes nothing
    rows, keys = PaymentApplication.objects.count(), IdempotencyKey.objects.count()
    again = ok(gql.mutate("paymentApply", apply_input, APPLICATION), "paymentApplication")
    assert again == applied
    assert (PaymentApplication.objects.count(), IdempotencyKey.objects.count()) == (rows, keys)
    # the same key for another request is a conflict
    refused(
        gql.mutate("paymentApply", {**apply_input, "amount": "1.00"}, APPLICATION),
        kind="CONFLICT",
        code="IDEMPOTENCY_MISMATCH",
        field="idempotencyKey",
    )
    assert PaymentApplication.objects.count() == rows

    # the overpaid 140.00 goes back the other way
    back = ok(
        payment(gql, company.internal, company.customer, "140.00", "pay-2", refundForId=received["id"]),
        "payment",
    )
    refunded = ok(
        gql.mutate(
            "paymentRefund",
            {"paymentId": received["id"], "refundId": back["id"], "idempotencyKey": "refund-1"},
            APPLICATION,
        ),
        "paymentApplication",
    )
    assert refunded["amount"]["amount"] == "140.00"
    assert refunded["payment"] == {"unappliedTotal": {"amount": "0.00"}, "appliedTotal": {"amount": "140.00"}}
    assert refunded["toPayment"] == {
        "unappliedTotal": {"amount": "0.00"},
        "appliedTotal": {"amount": "1500.00"},
    }

    # undoing the invoice's application reopens it; the row stays with its original amount
    undone = ok(
        gql.mutate(
            "paymentApplicationUnapply", {"id": applied["id"], "idempotencyKey": "undo-1"}, APPLICATION
        ),
        "paymentApplication",
    )
    assert undone["amount"]["amount"] == "0.00"
    assert undone["originalAmount"] == {"amount": "1360.00"}
    assert undone["invoice"]["status"] == "FINALIZED"
    assert undone["invoice"]["unpaidTotal"] == {"amount": "1360.00"}
    assert undone["payment"]["unappliedTotal"] == {"amount": "1360.00"}

    data = gql.data(
        """query($id: ID!) { node(id: $id) { ... on Order {
            invoices(first: 5) { edges { node { status allowedTransitions { verb to }
                applications(first: 5) { totalCount } } } }
            payments(first: 5) { totalCount } } } }""",
        {"id": order_id},
    )
    listed = data["node"]["invoices"]["edges"][0]["node"]
    assert listed["status"] == "FINALIZED"
    assert {"verb": "send", "to": "SENT"} in listed["allowedTransitions"]
    assert listed["applications"]["totalCount"] == 1
    assert data["node"]["payments"]["totalCount"] == 0  # the payments were not recorded against the order
    roots = gql.data(
        """{ invoices(first: 5, filters: {status: {exact: FINALIZED}}) { totalCount }
             payments(first: 5, filters: {status: {exact: DELIVERED}}) { totalCount } }"""
    )
    assert roots == {"invoices": {"totalCount": 1}, "payments": {"totalCount": 2}}


def test_typed_errors(gql, company):
    order_id = approved_order(gql, company)
    draft = ok(
        gql.mutate("invoiceCreateFromOrder", {"orderId": order_id, "idempotencyKey": "draft"}, INVOICE),
        "invoice",
    )
    received = ok(payment(gql, company.customer, company.internal, "1500.00", "pay-1"), "payment")

    def apply(invoice_id, payment_id, key, **extra):
        return gql.mutate(
            "paymentApply",
            {"paymentId": payment_id, "invoiceId": invoice_id, "idempotencyKey": key, **extra},
            APPLICATION,
        )

    refused(
        apply(draft["id"], received["id"], "a-1"),
        kind="VALIDATION",
        code="INVOICE_NOT_PAYABLE",
        field="invoiceId",
    )
    invoice = ok(gql.mutate("invoiceTransition", {"id": draft["id"], "to": "FINALIZED"}, INVOICE), "invoice")
    refused(
        apply(invoice["id"], received["id"], "a-2", amount="1400.00"),
        kind="VALIDATION",
        code="EXCEEDS_UNPAID",
        field="amount",
    )
    euros = ok(
        payment(gql, company.customer, company.internal, "100.00", "pay-eur", currency="EUR"), "payment"
    )
    refused(
        apply(invoice["id"], euros["id"], "a-3"),
        kind="VALIDATION",
        code="CURRENCY_MISMATCH",
        field="currency",
    )
    refused(
        gql.mutate("invoiceTransition", {"id": invoice["id"], "to": "PAYMENT_RECEIVED"}, INVOICE),
        kind="VALIDATION",
        code="PAID_BY_APPLICATION",
        field="to",
    )
    assert PaymentApplication.objects.count() == 0
    # a failed mutation writes nothing, not even its key: the same key works once the input is right
    assert ok(apply(invoice["id"], received["id"], "a-2", amount="100.00"), "paymentApplication")


def test_items_on_an_invoice_in_process(gql, company):
    invoice = ok(
        gql.mutate(
            "invoiceCreate",
            {
                "fromPartyId": gid("Party", company.internal.pk),
                "toPartyId": gid("Party", company.customer.pk),
                "currency": "USD",
                "idempotencyKey": "inv-1",
            },
            INVOICE,
        ),
        "invoice",
    )
    assert invoice["status"] == "IN_PROCESS"
    item = ok(
        gql.mutate(
            "invoiceItemAdd",
            {
                "invoiceId": invoice["id"],
                "description": "Consulting",
                "quantity": "3",
                "unitPrice": "0.33335",
            },
            "invoiceItem { id total { amount } unitPrice { amount } invoice { total { amount } } }",
        ),
        "invoiceItem",
    )
    assert item["total"] == {"amount": "1.00"}
    assert item["unitPrice"] == {"amount": "0.33335"}
    assert item["invoice"]["total"] == {"amount": "1.00"}
    updated = gql.mutate(
        "invoiceItemUpdate",
        {"id": item["id"], "unitPrice": "10.00"},
        "invoiceItem { invoice { total { amount } } }",
    )
    assert ok(updated, "invoiceItem")["invoice"]["total"] == {"amount": "30.00"}
    deleted = gql.mutate("invoiceItemDelete", {"id": item["id"]}, "deletedId")
    assert deleted == {"deletedId": item["id"], "errors": []}
    assert Invoice.objects.get().total == 0

    memo = ok(
        gql.mutate(
            "invoiceCreditMemoCreate",
            {
                "fromPartyId": gid("Party", company.customer.pk),
                "toPartyId": gid("Party", company.internal.pk),
                "currency": "USD",
                "idempotencyKey": "memo-1",
            },
            "invoice { kind direction status }",
        ),
        "invoice",
    )
    assert memo == {"kind": "CREDIT_MEMO", "direction": "PAYABLE", "status": "INCOMING"}


def test_access_follows_the_order(company, django_user_model, gql):
    order_id = approved_order(gql, company)
    invoice = finalized_invoice(gql, order_id)
    ann = django_user_model.objects.create_user("ann", password="pw-ann-123")
    client = GraphQLClient(ann)

    refused(
        client.mutate("invoiceTransition", {"id": invoice["id"], "to": "SENT"}, INVOICE),
        kind="NOT_FOUND",
        code="NOT_FOUND",
        field="id",
    )
    assert client.data("query($id: ID!) { node(id: $id) { id } }", {"id": invoice["id"]}) == {"node": None}
    assert client.data("{ invoices(first: 5) { totalCount } }") == {"invoices": {"totalCount": 0}}

    project = company.project()
    order = company.order(project)
    billed = ok(
        gql.mutate(
            "invoiceCreateFromOrder", {"orderId": gid("Order", order.pk), "idempotencyKey": "inv-p"}, INVOICE
        ),
        "invoice",
    )
    assign_perm("projects.view_project", ann, project)
    seen = client.data(
        "{ invoices(first: 5) { edges { node { id viewerCanChange items(first: 5) { totalCount } } } } }"
    )
    assert seen["invoices"]["edges"] == [
        {"node": {"id": billed["id"], "viewerCanChange": False, "items": {"totalCount": 1}}}
    ]
    refused(
        client.mutate(
            "invoiceItemAdd",
            {"invoiceId": billed["id"], "description": "x", "unitPrice": "1"},
            "invoiceItem { id }",
        ),
        kind="PERMISSION",
        code="PERMISSION_DENIED",
        field=None,
    )
    assign_perm("projects.change_project", ann, project)
    added = client.mutate(
        "invoiceItemAdd",
        {"invoiceId": billed["id"], "description": "x", "unitPrice": "1"},
        "invoiceItem { id }",
    )
    assert ok(added, "invoiceItem")["id"]
