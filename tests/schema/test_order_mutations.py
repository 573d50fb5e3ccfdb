"""Creating and changing orders through GraphQL: derived totals, typed errors, nothing half-written."""

from decimal import Decimal

import pytest

from backend.orders.models import Order, OrderItem, OrderPart
from backend.parties.models import Party

from ..factories import gid

pytestmark = pytest.mark.django_db

ORDER = "order { id number kind status currency total { amount currency } parts(first: 10) { totalCount } items(first: 10) { edges { node { quantity unitPrice { amount } total { amount } } } } }"


def create_input(company, **overrides):
    return {
        "customerId": gid("Party", company.customer.pk),
        "vendorId": gid("Party", company.internal.pk),
        "currency": "USD",
        "items": [
            {"productId": gid("Product", company.product.pk), "quantity": "2", "unitPrice": "10.00"},
            {"description": "Consulting", "quantity": "3", "unitPrice": "0.33335"},
        ],
        **overrides,
    }


def test_order_create_derives_kind_number_and_totals(gql, company):
    payload = gql.mutate("orderCreate", create_input(company), ORDER)
    assert payload["errors"] == []
    order = payload["order"]
    assert order["kind"] == "SALES"
    assert order["status"] == "OPEN"
    assert order["number"].startswith("O-")
    # 2 × 10.00 = 20.00; 3 × 0.33335 = 1.00005 → 1.00 (half-up to cents)
    assert order["total"] == {"amount": "21.00", "currency": "USD"}
    assert order["parts"]["totalCount"] == 1
    lines = [e["node"] for e in order["items"]["edges"]]
    assert lines[1] == {
        "quantity": "3.000000",
        "unitPrice": {"amount": "0.33335"},
        "total": {"amount": "1.00"},
    }


def test_purchase_order_when_the_customer_is_internal(gql, company):
    payload = gql.mutate(
        "orderCreate",
        create_input(
            company, customerId=gid("Party", company.internal.pk), vendorId=gid("Party", company.supplier.pk)
        ),
        "order { kind }",
    )
    assert payload == {"order": {"kind": "PURCHASE"}, "errors": []}


def assert_refused(payload, *, code, field, kind="VALIDATION"):
    assert payload["errors"], payload
    assert payload["order"] is None if "order" in payload else True
    error = payload["errors"][0]
    assert (error["kind"], error["code"], error["field"]) == (kind, code, field), payload["errors"]
    assert error["message"]


@pytest.mark.parametrize(
    ("change", "code", "field", "kind"),
    [
        ({"vendorId": "customer2"}, "NO_INTERNAL_PARTY", "vendorId", "VALIDATION"),
        ({"currency": "XYZ"}, "UNKNOWN_CURRENCY", "currency", "VALIDATION"),
        ({"customerId": "project"}, "WRONG_TYPE", "customerId", "VALIDATION"),
        ({"customerId": "not-an-id"}, "INVALID_ID", "customerId", "VALIDATION"),
        ({"customerId": "missing"}, "NOT_FOUND", "customerId", "NOT_FOUND"),
        (
            {"items": [{"description": "x", "quantity": "-1", "unitPrice": "1"}]},
            "NEGATIVE",
            "items.0.quantity",
            "VALIDATION",
        ),
        (
            {"items": [{"description": "x", "quantity": "1", "unitPrice": "1.123456"}]},
            "TOO_MANY_DECIMALS",
            "items.0.unitPrice",
            "VALIDATION",
        ),
        ({"items": [{"quantity": "1", "unitPrice": "1"}]}, "REQUIRED", "items.0.description", "VALIDATION"),
        (
            {"items": [{"productId": "project", "quantity": "1", "unitPrice": "1"}]},
            "WRONG_TYPE",
            "items.0.productId",
            "VALIDATION",
        ),
        ({"projectId": "other_project"}, "PROJECT_MISMATCH", "projectId", "VALIDATION"),
        (
            {"items": [{"description": "x", "quantity": "1", "unitPrice": "1"}] * 101},
            "TOO_MANY_ITEMS",
            "items",
            "VALIDATION",
        ),
    ],
)
def test_bad_order_input_is_refused_and_writes_nothing(gql, company, change, code, field, kind):
    other = Party.objects.create(kind="ORGANIZATION", name="Stranger")
    project = company.project()
    foreign_project = type(company).create().project()
    ids = {
        "customer2": gid("Party", other.pk),
        "project": gid("Project", project.pk),
        "missing": gid("Party", 999_999),
        "not-an-id": "not-an-id",
        "other_project": gid("Project", foreign_project.pk),
    }
    resolved = {
        key: ids.get(value, value) if isinstance(value, str) else value for key, value in change.items()
    }
    if "items" in resolved:
        resolved["items"] = [{k: ids.get(v, v) for k, v in item.items()} for item in resolved["items"]]
    before = (Order.objects.count(), OrderPart.objects.count(), OrderItem.objects.count())
    payload = gql.mutate("orderCreate", create_input(company, **resolved), "order { id }")
    assert_refused(payload, code=code, field=field, kind=kind)
    assert (Order.objects.count(), OrderPart.objects.count(), OrderItem.objects.count()) == before


def test_malformed_scalar_is_a_graphql_error_not_a_500(gql, company):
    response = gql.raw(
        "mutation($input: OrderCreateInput!) { orderCreate(input: $input) { errors { code } } }",
        {"input": create_input(company, items=[{"description": "x", "quantity": "abc", "unitPrice": "1"}])},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert "quantity" in body["errors"][0]["message"]
    assert Order.objects.count() == 0


def test_anonymous_caller_cannot_create(anonymous_gql, company):
    payload = anonymous_gql.mutate("orderCreate", create_input(company), "order { id }")
    assert payload["order"] is None
    assert payload["errors"][0]["kind"] == "PERMISSION"
    assert Order.objects.count() == 0


def test_item_changes_recompute_the_totals(gql, company):
    order = company.order(lines=[(Decimal(1), Decimal("5.00"))])
    item = order.items.get()
    payload = gql.mutate(
        "orderItemUpdate",
        {"id": gid("OrderItem", item.pk), "quantity": "4", "expectedVersion": item.version},
        "orderItem { total { amount } order { total { amount } } }",
    )
    assert payload["errors"] == []
    assert payload["orderItem"]["total"] == {"amount": "20.00"}
    assert payload["orderItem"]["order"]["total"] == {"amount": "20.00"}

    added = gql.mutate(
        "orderItemCreate",
        {"orderId": gid("Order", order.pk), "description": "Setup", "quantity": "1", "unitPrice": "2.50"},
        "orderItem { id }",
    )
    assert added["errors"] == []
    order.refresh_from_db()
    assert order.total == Decimal("22.50")
    assert order.parts.get().total == Decimal("22.50")

    deleted = gql.mutate("orderItemDelete", {"id": gid("OrderItem", item.pk)}, "deletedId")
    assert deleted == {"deletedId": gid("OrderItem", item.pk), "errors": []}
    order.refresh_from_db()
    assert order.total == Decimal("2.50")


def test_stale_expected_version_is_a_conflict_and_changes_nothing(gql, company):
    order = company.order()
    stale = order.version
    first = gql.mutate(
        "orderUpdate",
        {"id": gid("Order", order.pk), "name": "First", "expectedVersion": stale},
        "order { name version }",
    )
    assert first == {"order": {"name": "First", "version": stale + 1}, "errors": []}
    second = gql.mutate(
        "orderUpdate",
        {"id": gid("Order", order.pk), "name": "Second", "expectedVersion": stale},
        "order { name }",
    )
    assert second["order"] is None
    assert [(e["kind"], e["code"], e["field"]) for e in second["errors"]] == [
        ("CONFLICT", "STALE_VERSION", "expectedVersion")
    ]
    order.refresh_from_db()
    assert order.name == "First"


def test_currency_is_fixed_once_an_order_has_items(gql, company):
    order = company.order()
    payload = gql.mutate(
        "orderUpdate", {"id": gid("Order", order.pk), "currency": "EUR"}, "order { currency }"
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("CURRENCY_MISMATCH", "currency")]


def test_an_order_keeps_its_last_part(gql, company):
    order = company.order(lines=[])
    part = order.parts.get()
    payload = gql.mutate("orderPartDelete", {"id": gid("OrderPart", part.pk)}, "deletedId")
    assert payload["deletedId"] is None
    assert payload["errors"][0]["code"] == "LAST_PART"
    second = gql.mutate(
        "orderPartCreate",
        {"orderId": gid("Order", order.pk), "name": "Second shipment"},
        "orderPart { name status order { number } }",
    )
    assert second["orderPart"] == {
        "name": "Second shipment",
        "status": "OPEN",
        "order": {"number": order.number},
    }
    assert gql.mutate("orderPartDelete", {"id": gid("OrderPart", part.pk)}, "deletedId")["errors"] == []
    assert order.parts.count() == 1


def test_a_part_of_another_order_is_refused(gql, company):
    order, other = company.order(), company.order()
    payload = gql.mutate(
        "orderItemCreate",
        {
            "orderId": gid("Order", order.pk),
            "partId": gid("OrderPart", other.parts.get().pk),
            "description": "x",
            "quantity": "1",
            "unitPrice": "1",
        },
        "orderItem { id }",
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("PART_MISMATCH", "partId")]


def test_deleting_a_party_in_use_is_refused(gql, company):
    company.order()
    payload = gql.mutate("partyDelete", {"id": gid("Party", company.customer.pk)}, "deletedId")
    assert payload["deletedId"] is None
    assert payload["errors"][0]["code"] == "IN_USE"
    assert Party.objects.filter(pk=company.customer.pk).exists()


def test_system_numbers_cannot_be_chosen_by_hand(gql, company):
    payload = gql.mutate("orderCreate", create_input(company, number="O-000123"), "order { id }")
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("RESERVED_NUMBER", "number")]
    chosen = gql.mutate("orderCreate", create_input(company, number="PO-7781"), "order { number }")
    assert chosen["order"] == {"number": "PO-7781"}
