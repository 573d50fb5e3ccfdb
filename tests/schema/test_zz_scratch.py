import json
from datetime import UTC, datetime

import pytest

from backend.orders.models import Order
from tests.factories import gid

pytestmark = pytest.mark.django_db


def show(label, r):
    print("\n###", label, json.dumps(r, indent=None)[:2500])


def test_explore(gql, anonymous_gql, company):
    p = company.project(code="ALPHA")
    orders = [company.order(p) for i in range(4)]
    Order.objects.filter(pk__in=[orders[1].pk]).update(
        placed_at=datetime(2026, 1, 1, tzinfo=UTC), status="PLACED"
    )
    Q = "query($after: String, $ord: [OrderOrdering!]) { orders(first: 2, after: $after, ordering: $ord) { totalCount pageInfo { hasNextPage endCursor } edges { node { number placedAt status } } } }"
    for o in ["DESC_NULLS_FIRST", "DESC_NULLS_LAST", "ASC_NULLS_FIRST"]:
        cur = None
        for i in range(4):
            r = gql.execute(Q, {"after": cur, "ord": [{"placedAt": o}]})
            show(f"{o} page{i}", r)
            cur = r["data"]["orders"]["pageInfo"]["endCursor"]
            if not r["data"]["orders"]["pageInfo"]["hasNextPage"]:
                break
    show(
        "nodes garbage",
        gql.execute(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            {"ids": [gid("Order", orders[0].pk), "garbage"]},
        ),
    )
    show(
        "nodes anon",
        anonymous_gql.execute(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            {"ids": [gid("Order", orders[0].pk), gid("Project", p.pk)]},
        ),
    )
    show(
        "anon nested",
        anonymous_gql.execute(
            "{ projects(first: 5) { totalCount edges { node { code } } } parties(first: 5) { totalCount } }"
        ),
    )
    show(
        "vendor hasRole",
        gql.execute(
            "{ orders(first: 5, filters: {vendor: {hasRole: [INTERNAL]}}) { totalCount } a: orders(first: 5, filters: {vendor: {hasRole: [CUSTOMER]}}) { totalCount } }"
        ),
    )
    show(
        "desc tiebreak",
        gql.execute("{ orders(first: 5, ordering: [{status: DESC}]) { edges { node { number status } } } }"),
    )
    show(
        "nested var",
        gql.execute(
            "query($n: Int) { projects(first: 1) { edges { node { orders(first: $n) { totalCount } } } } }",
            {"n": 101},
        ),
    )
    show("last 101", gql.execute("{ orders(last: 101) { totalCount } }"))
    show(
        "fragment nofirst",
        gql.execute(
            "query($id: ID!) { node(id: $id) { ... on Project { orders { totalCount } } } }",
            {"id": gid("Project", p.pk)},
        ),
    )
    show(
        "named fragment nofirst",
        gql.execute(
            "query { projects(first: 1) { ...F } } fragment F on ProjectCursorConnection { edges { node { tasks { totalCount } } } }"
        ),
    )
