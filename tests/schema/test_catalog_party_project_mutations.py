"""Parties, catalogue and projects: create, change, delete, and the typed errors of each."""

import pytest

from backend.projects.models import Project

from ..factories import gid

pytestmark = pytest.mark.django_db


def codes(payload):
    return [(e["code"], e["field"]) for e in payload["errors"]]


def test_party_roles_are_set_and_replaced(gql):
    created = gql.mutate(
        "partyCreate",
        {"kind": "ORGANIZATION", "name": "Acme", "roles": ["CUSTOMER", "VENDOR"]},
        "party { id name roles version }",
    )
    party = created["party"]
    assert created["errors"] == []
    assert party["roles"] == ["CUSTOMER", "VENDOR"]
    changed = gql.mutate(
        "partyUpdate",
        {"id": party["id"], "roles": ["CARRIER"], "expectedVersion": party["version"]},
        "party { name roles version }",
    )
    assert changed["party"] == {"name": "Acme", "roles": ["CARRIER"], "version": party["version"] + 1}
    kept = gql.mutate("partyUpdate", {"id": party["id"], "name": "Acme Ltd"}, "party { name roles }")
    assert kept["party"] == {"name": "Acme Ltd", "roles": ["CARRIER"]}


def test_unknown_enum_value_is_a_graphql_error(gql):
    result = gql.execute('mutation { partyCreate(input: {kind: ROBOT, name: "x"}) { errors { code } } }')
    assert result["data"] is None
    assert "ROBOT" in result["errors"][0]["message"]


def test_project_money_rules(gql, company):
    base = {
        "code": "SPRING",
        "name": "Spring campaign",
        "customerId": gid("Party", company.customer.pk),
        "internalOrgId": gid("Party", company.internal.pk),
    }
    assert codes(gql.mutate("projectCreate", {**base, "budget": "10.123"}, "project { id }")) == [
        ("TOO_MANY_DECIMALS", "budget")
    ]
    assert codes(
        gql.mutate("projectCreate", {**base, "budget": "10.5", "currency": "JPY"}, "project { id }")
    ) == [("TOO_MANY_DECIMALS", "budget")]
    assert codes(gql.mutate("projectCreate", {**base, "budget": "-1"}, "project { id }")) == [
        ("NEGATIVE", "budget")
    ]
    assert codes(gql.mutate("projectCreate", {**base, "currency": "usd"}, "project { id }")) == [
        ("UNKNOWN_CURRENCY", "currency")
    ]
    assert codes(
        gql.mutate(
            "projectCreate", {**base, "internalOrgId": gid("Party", company.supplier.pk)}, "project { id }"
        )
    ) == [("NO_INTERNAL_PARTY", "internalOrgId")]
    assert codes(
        gql.mutate(
            "projectCreate", {**base, "startDate": "2026-05-01", "endDate": "2026-04-01"}, "project { id }"
        )
    ) == [("DATE_ORDER", "endDate")]
    assert not Project.objects.exists()
    ok = gql.mutate(
        "projectCreate", {**base, "budget": "1500.5"}, "project { code budget { amount currency } status }"
    )
    assert ok["project"] == {
        "code": "SPRING",
        "budget": {"amount": "1500.50", "currency": "USD"},
        "status": "PLANNING",
    }
    duplicate = gql.mutate("projectCreate", base, "project { id }")
    assert codes(duplicate) == [("UNIQUE", "code")]


def test_products_assets_and_facilities(gql):
    warehouse = gql.mutate("facilityCreate", {"kind": "WAREHOUSE", "name": "North"}, "facility { id }")[
        "facility"
    ]
    bay = gql.mutate(
        "facilityCreate",
        {"kind": "WAREHOUSE", "name": "Bay 1", "parentId": warehouse["id"]},
        "facility { id parent { name } }",
    )["facility"]
    assert bay["parent"] == {"name": "North"}
    cycle = gql.mutate("facilityUpdate", {"id": warehouse["id"], "parentId": bay["id"]}, "facility { id }")
    assert codes(cycle) == [("INVALID", "parentId")]

    product = gql.mutate(
        "productCreate",
        {"kind": "GOOD", "name": "Widget", "sku": "W-1"},
        "product { id sku requiresInventory }",
    )["product"]
    asset = gql.mutate(
        "assetCreate",
        {
            "kind": "INVENTORY",
            "productId": product["id"],
            "facilityId": bay["id"],
            "quantityOnHand": "12.5",
            "acquireCost": "99.99",
        },
        "asset { quantityOnHand acquireCost { amount currency } product { sku } facility { name } }",
    )
    assert asset["asset"] == {
        "quantityOnHand": "12.500000",
        "acquireCost": {"amount": "99.99", "currency": "USD"},
        "product": {"sku": "W-1"},
        "facility": {"name": "Bay 1"},
    }
    in_use = gql.mutate("productDelete", {"id": product["id"]}, "deletedId")
    assert codes(in_use) == [("IN_USE", None)]
    negative = gql.mutate(
        "assetCreate",
        {"kind": "INVENTORY", "productId": product["id"], "quantityOnHand": "-1"},
        "asset { id }",
    )
    assert codes(negative) == [("NEGATIVE", "quantityOnHand")]
