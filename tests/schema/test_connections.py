"""Connections over HTTP: cursor pagination and its limits, ordering, filters, node/nodes, anonymity."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import transaction

from backend.orders.models import Order, OrderStatus
from backend.orders.services import add_order_item, create_order
from backend.parties.models import Party, PartyKind, RoleKind
from backend.parties.services import create_party
from backend.projects.models import Project
from backend.shipping.models import Shipment, ShipmentStatus
from backend.work.models import Job, WorkStatus
from tests.factories import Company, gid

pytestmark = pytest.mark.django_db

ORDERS = """
query Orders(
  $first: Int, $last: Int, $after: String, $before: String,
  $filters: OrderFilter, $ordering: [OrderOrdering!]
) {
  orders(
    first: $first, last: $last, after: $after, before: $before,
    filters: $filters, ordering: $ordering
  ) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id number status } }
  }
}
"""

PAGE_ERROR = "`{field}({arg}: {value})`: a page holds 0 to 100 records."
# Every response reports the records the operation may return; node and nodes are no connections.
NO_CONNECTIONS = {"cost": {"estimatedNodes": 0, "limit": 50_000}}


def lookups(count: int) -> dict:
    """The cost of `count` root lookups (`node`, or the ids of `nodes`)."""
    return {"cost": {"estimatedNodes": count, "limit": 50_000}}


UNBOUNDED_ERROR = "`{field}` needs `first` or `last` (at most 100)."


@dataclass
class Book:
    alpha: Project
    beta: Project
    globex: Party
    orders: list[Order]

    def numbers(self, *indexes: int) -> list[str]:
        """Order numbers by 1-based position (o1 … o7)."""
        return [self.orders[i - 1].number for i in indexes]


def placed(day: int) -> datetime:
    return datetime(2026, 1, day, 12, 0, tzinfo=UTC)


def build_book(company) -> Book:
    """Seven orders:

    | # | project | customer | name             | status    | total | placed     |
    |---|---------|----------|------------------|-----------|-------|------------|
    | 1 | ALPHA   | Acme     | Spring fair      | OPEN      | 10    | -          |
    | 2 | ALPHA   | Acme     | spring catalogue | PLACED    | 20    | 2026-01-10 |
    | 3 | BETA    | Acme     | Autumn fair      | CANCELLED | 30    | 2026-01-05 |
    | 4 | BETA    | Acme     | Winter stock     | OPEN      | 40    | -          |
    | 5 | ALPHA   | Acme     | Summer stock     | PLACED    | 50    | 2026-01-10 |
    | 6 | -       | Globex   | Globex restock   | OPEN      | 60    | -          |
    | 7 | -       | Acme     | (blank)          | APPROVED  | 5     | 2026-01-20 |
    """
    alpha = company.project(code="ALPHA", name="Alpha retainer")
    beta = company.project(code="BETA", name="Beta rollout")
    globex = create_party(
        actor=None,
        kind=PartyKind.ORGANIZATION,
        name="Globex Corp",
        roles=[RoleKind.CUSTOMER, RoleKind.SUPPLIER],
    )
    rows = [
        (alpha, None, "Spring fair", OrderStatus.OPEN, "10", None),
        (alpha, None, "spring catalogue", OrderStatus.PLACED, "20", placed(10)),
        (beta, None, "Autumn fair", OrderStatus.CANCELLED, "30", placed(5)),
        (beta, None, "Winter stock", OrderStatus.OPEN, "40", None),
        (alpha, None, "Summer stock", OrderStatus.PLACED, "50", placed(10)),
        (None, globex, "Globex restock", OrderStatus.OPEN, "60", None),
        (None, None, "", OrderStatus.APPROVED, "5", placed(20)),
    ]
    orders = []
    for project, customer, name, status, total, placed_at in rows:
        if customer is None:
            order = company.order(project, lines=[(Decimal(1), Decimal(total))])
        else:
            order = create_order(actor=None, customer=customer, vendor=company.internal, currency="USD")
            add_order_item(
                order, actor=None, product=company.product, quantity=Decimal(1), unit_price=Decimal(total)
            )
        Order.objects.filter(pk=order.pk).update(name=name, status=status, placed_at=placed_at)
        order.refresh_from_db()
        assert order.total == Decimal(total)
        orders.append(order)
    return Book(alpha=alpha, beta=beta, globex=globex, orders=orders)


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker):
    """One company and book for the whole module, inside a transaction rolled back at its end;
    each test runs in a savepoint within it, so what a test adds disappears after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        company = Company.create()
        yield company, build_book(company)
        transaction.set_rollback(True)


@pytest.fixture
def company(shared) -> Company:
    return shared[0]


@pytest.fixture
def book(shared) -> Book:
    return shared[1]


@pytest.fixture
def user(django_user_model):
    """A superuser without a password: signing in goes through force_login, so skip hashing."""
    return django_user_model.objects.create_superuser("admin", password=None)


def orders_page(gql, **variables) -> dict:
    return gql.data(ORDERS, variables)["orders"]


def numbers(connection: dict) -> list[str]:
    return [edge["node"]["number"] for edge in connection["edges"]]


def messages(result: dict) -> list[str]:
    return [error["message"] for error in result.get("errors", [])]


# -- pagination -------------------------------------------------------------------------------


def test_first_and_after_walk_every_page_with_cursors(gql, book):
    first = orders_page(gql, first=3)
    assert numbers(first) == book.numbers(1, 2, 3)
    assert first["totalCount"] == 7
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]

    second = orders_page(gql, first=3, after=first["pageInfo"]["endCursor"])
    assert numbers(second) == book.numbers(4, 5, 6)
    assert second["totalCount"] == 7
    assert second["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["endCursor"] == second["edges"][-1]["cursor"]

    third = orders_page(gql, first=3, after=second["pageInfo"]["endCursor"])
    assert numbers(third) == book.numbers(7)
    assert third["totalCount"] == 7
    assert third["pageInfo"]["hasNextPage"] is False
    assert third["pageInfo"]["endCursor"] == third["edges"][-1]["cursor"]

    cursors = [e["cursor"] for page in (first, second, third) for e in page["edges"]]
    assert len(set(cursors)) == 7

    past_the_end = orders_page(gql, first=3, after=third["pageInfo"]["endCursor"])
    assert past_the_end["edges"] == []
    assert past_the_end["pageInfo"]["hasNextPage"] is False
    assert past_the_end["pageInfo"]["endCursor"] is None


def test_an_exact_last_page_has_no_next_page(gql, book):
    page = orders_page(gql, first=7)
    assert numbers(page) == book.numbers(1, 2, 3, 4, 5, 6, 7)
    assert page["pageInfo"]["hasNextPage"] is False
    page = orders_page(gql, first=6)
    assert page["pageInfo"]["hasNextPage"] is True


def test_last_and_before_walk_backwards(gql, book):
    last = orders_page(gql, last=3)
    assert numbers(last) == book.numbers(5, 6, 7)
    assert last["totalCount"] == 7
    assert last["pageInfo"]["hasPreviousPage"] is True
    assert last["pageInfo"]["hasNextPage"] is False
    assert last["pageInfo"]["startCursor"] == last["edges"][0]["cursor"]

    middle = orders_page(gql, last=3, before=last["pageInfo"]["startCursor"])
    assert numbers(middle) == book.numbers(2, 3, 4)
    assert middle["pageInfo"]["hasPreviousPage"] is True

    start = orders_page(gql, last=3, before=middle["pageInfo"]["startCursor"])
    assert numbers(start) == book.numbers(1)
    assert start["pageInfo"]["hasPreviousPage"] is False
    assert start["totalCount"] == 7


def test_after_and_before_together_bound_a_window(gql, book):
    all_edges = orders_page(gql, first=7)["edges"]
    window = orders_page(gql, first=10, after=all_edges[1]["cursor"], before=all_edges[5]["cursor"])
    assert numbers(window) == book.numbers(3, 4, 5)


def test_first_zero_returns_no_edges_but_counts(gql, book):
    page = orders_page(gql, first=0)
    assert page["edges"] == []
    assert page["totalCount"] == 7
    assert page["pageInfo"]["hasNextPage"] is True


def test_first_from_a_variable(gql, book):
    query = "query($n: Int) { orders(first: $n) { totalCount edges { node { number } } } }"
    assert numbers(gql.data(query, {"n": 2})["orders"]) == book.numbers(1, 2)
    nested = """query($n: Int) { projects(first: 10, filters: {code: {exact: "ALPHA"}}) {
        edges { node { orders(first: $n) { totalCount edges { node { number } } } } } } }"""
    orders = gql.data(nested, {"n": 2})["projects"]["edges"][0]["node"]["orders"]
    assert numbers(orders) == book.numbers(1, 2)
    assert orders["totalCount"] == 3


def test_a_page_of_100_is_allowed(gql, book):
    assert orders_page(gql, first=100)["totalCount"] == 7
    assert len(orders_page(gql, last=100)["edges"]) == 7


@pytest.mark.parametrize(
    ("query", "variables", "expected"),
    [
        (
            "{ orders(first: 101) { totalCount } }",
            None,
            PAGE_ERROR.format(field="orders", arg="first", value=101),
        ),
        (
            "{ orders(last: 101) { totalCount } }",
            None,
            PAGE_ERROR.format(field="orders", arg="last", value=101),
        ),
        (
            "query($n: Int) { orders(first: $n) { totalCount } }",
            {"n": 101},
            PAGE_ERROR.format(field="orders", arg="first", value=101),
        ),
        (
            "{ orders(first: -1) { totalCount } }",
            None,
            PAGE_ERROR.format(field="orders", arg="first", value=-1),
        ),
        (
            "{ projects(first: 5) { edges { node { orders(first: 500) { totalCount } } } } }",
            None,
            PAGE_ERROR.format(field="orders", arg="first", value=500),
        ),
    ],
    ids=["first", "last", "variable", "negative", "nested"],
)
def test_a_page_above_the_limit_is_an_error_with_no_data(gql, book, query, variables, expected):
    result = gql.execute(query, variables)
    assert result["data"] is None
    assert messages(result) == [expected]


@pytest.mark.parametrize(
    ("query", "variables", "field"),
    [
        ("{ orders { totalCount } }", None, "orders"),
        ("{ orders(after: null) { edges { node { number } } } }", None, "orders"),
        ("{ projects(first: 5) { edges { node { orders { totalCount } } } } }", None, "orders"),
        ("query($n: Int) { orders(first: $n) { totalCount } }", {"n": None}, "orders"),
        ("query($n: Int) { orders(first: $n) { totalCount } }", {}, "orders"),
        ("{ orders(first: null) { totalCount } }", None, "orders"),
        (
            "query($id: ID!) { node(id: $id) { ... on Project { tasks { totalCount } } } }",
            {"id": "UHJvamVjdDox"},
            "tasks",
        ),
        (
            "{ projects(first: 1) { ...P } } fragment P on ProjectCursorConnection "
            "{ edges { node { orders(first: 1) { edges { node { jobs { totalCount } } } } } } }",
            None,
            "jobs",
        ),
    ],
    ids=[
        "root",
        "cursor-only",
        "nested",
        "null-variable",
        "missing-variable",
        "null-literal",
        "in-node",
        "in-fragment",
    ],
)
def test_a_connection_without_first_or_last_is_an_error(gql, book, query, variables, field):
    result = gql.execute(query, variables)
    assert result["data"] is None
    assert messages(result) == [UNBOUNDED_ERROR.format(field=field)]


def test_every_unbounded_connection_is_reported(gql, book):
    result = gql.execute(
        "{ orders { totalCount } projects(first: 1) { edges { node { orders { totalCount } tasks { totalCount } } } } }"
    )
    assert result["data"] is None
    assert messages(result) == [
        UNBOUNDED_ERROR.format(field="orders"),
        UNBOUNDED_ERROR.format(field="orders"),
        UNBOUNDED_ERROR.format(field="tasks"),
    ]


def test_first_from_a_variable_default(gql, book):
    data = gql.data("query($n: Int = 2) { orders(first: $n) { edges { node { number } } } }")
    assert numbers(data["orders"]) == book.numbers(1, 2)


def test_a_variable_default_above_the_limit_is_refused_by_the_page_check(gql, book):
    result = gql.execute("query($n: Int = 500) { orders(first: $n) { totalCount } }")
    assert result["data"] is None
    assert messages(result) == [PAGE_ERROR.format(field="orders", arg="first", value=500)]


@pytest.mark.xfail(
    strict=True,
    reason="API.md promises connections expose `nodes` next to `edges`; the connection "
    "types (DjangoCursorConnection) have only pageInfo, edges and totalCount",
)
def test_connections_expose_nodes(gql, book):
    data = gql.data("{ orders(first: 2) { nodes { number } } }")
    assert [n["number"] for n in data["orders"]["nodes"]] == book.numbers(1, 2)


def test_a_cursor_from_another_ordering_is_invalid(gql, book):
    other = orders_page(gql, first=1, ordering=[{"status": "ASC"}])["pageInfo"]["endCursor"]
    result = gql.execute(ORDERS, {"first": 2, "after": other})
    assert result["data"] is None
    assert messages(result) == ["Invalid cursor"]
    assert result["errors"][0]["path"] == ["orders"]


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", "bm90LWEtY3Vyc29y", gid("arrayconnection", 1)],
    ids=["not-utf8", "no-prefix", "offset"],
)
def test_a_garbage_cursor_is_a_typed_error_naming_the_argument(gql, book, cursor):
    result = gql.execute(ORDERS, {"first": 2, "after": cursor})
    assert result["data"] is None
    assert messages(result) == ["`$after` is not a cursor of this API."]
    assert result["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "argument": "$after"}


def test_nested_connections_page_with_their_own_cursors(gql, book):
    query = """query($after: String) {
      projects(first: 5, filters: {code: {exact: "ALPHA"}}) { edges { node { code
        orders(first: 2, after: $after) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage endCursor }
          edges { cursor node { number } }
        }
      } } }
    }"""
    first = gql.data(query)["projects"]["edges"][0]["node"]["orders"]
    assert numbers(first) == book.numbers(1, 2)
    assert first["totalCount"] == 3
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]

    second = gql.data(query, {"after": first["pageInfo"]["endCursor"]})
    orders = second["projects"]["edges"][0]["node"]["orders"]
    assert numbers(orders) == book.numbers(5)
    assert orders["pageInfo"]["hasNextPage"] is False


@pytest.mark.xfail(
    strict=True,
    reason="a nested connection's totalCount counts only the rows after the cursor "
    "(ALPHA has 3 orders; after the 2nd it reports 1), while a root connection keeps the total",
)
def test_nested_total_count_does_not_change_with_the_cursor(gql, book):
    query = """query($after: String) {
      projects(first: 5, filters: {code: {exact: "ALPHA"}}) { edges { node {
        orders(first: 2, after: $after) { totalCount pageInfo { endCursor } edges { node { number } } }
      } } }
    }"""
    first = gql.data(query)["projects"]["edges"][0]["node"]["orders"]
    assert numbers(first) == book.numbers(1, 2)
    second = gql.data(query, {"after": first["pageInfo"]["endCursor"]})
    orders = second["projects"]["edges"][0]["node"]["orders"]
    assert numbers(orders) == book.numbers(5)
    assert orders["totalCount"] == 3


# -- ordering ---------------------------------------------------------------------------------


def test_ordering_by_several_fields(gql, book):
    page = orders_page(gql, first=10, ordering=[{"status": "ASC"}, {"number": "DESC"}])
    # APPROVED, CANCELLED, OPEN (by number descending), PLACED (by number descending)
    assert numbers(page) == book.numbers(7, 3, 6, 4, 1, 5, 2)
    assert [e["node"]["status"] for e in page["edges"]] == [
        "APPROVED",
        "CANCELLED",
        "OPEN",
        "OPEN",
        "OPEN",
        "PLACED",
        "PLACED",
    ]


def test_the_order_of_the_ordering_list_matters(gql, book):
    page = orders_page(gql, first=10, ordering=[{"placedAt": "ASC"}, {"status": "DESC"}])
    # placed 01-05 (3), 01-10 (2, 5: both PLACED, tie broken by id), 01-20 (7), then unplaced
    # OPEN ones (1, 4, 6: tie broken by id)
    assert numbers(page) == book.numbers(3, 2, 5, 7, 1, 4, 6)
    page = orders_page(gql, first=10, ordering=[{"status": "DESC"}, {"placedAt": "ASC"}])
    assert numbers(page) == book.numbers(2, 5, 1, 4, 6, 3, 7)


def test_ties_are_broken_by_id_ascending_whatever_the_direction(gql, book):
    desc = orders_page(gql, first=10, ordering=[{"status": "DESC"}])
    assert numbers(desc) == book.numbers(2, 5, 1, 4, 6, 3, 7)
    asc = orders_page(gql, first=10, ordering=[{"status": "ASC"}])
    assert numbers(asc) == book.numbers(7, 3, 1, 4, 6, 2, 5)


def test_ties_stay_stable_across_pages(gql, book):
    walked, after = [], None
    for _ in range(7):
        variables = {"first": 2, "ordering": [{"status": "DESC"}]}
        if after:
            variables["after"] = after
        page = orders_page(gql, **variables)
        walked += numbers(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert walked == book.numbers(2, 5, 1, 4, 6, 3, 7)


def walk(gql, ordering, size=2) -> list[str]:
    walked, after = [], None
    for _ in range(10):
        variables = {"first": size, "ordering": ordering}
        if after:
            variables["after"] = after
        page = orders_page(gql, **variables)
        walked += numbers(page)
        if not page["pageInfo"]["hasNextPage"]:
            return walked
        after = page["pageInfo"]["endCursor"]
    raise AssertionError("pagination did not end")


@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        ("ASC", (3, 2, 5, 7, 1, 4, 6)),
        ("ASC_NULLS_FIRST", (1, 4, 6, 3, 2, 5, 7)),
        ("DESC_NULLS_LAST", (7, 2, 5, 3, 1, 4, 6)),
        ("DESC_NULLS_FIRST", (1, 4, 6, 7, 2, 5, 3)),
    ],
)
def test_paging_over_a_nullable_field_visits_every_record_once(gql, book, direction, expected):
    ordering = [{"placedAt": direction}]
    assert numbers(orders_page(gql, first=10, ordering=ordering)) == book.numbers(*expected)
    assert walk(gql, ordering) == book.numbers(*expected)


def test_paging_descending_over_a_nullable_field_visits_every_record_once(gql, book):
    ordering = [{"placedAt": "DESC"}]
    single_page = numbers(orders_page(gql, first=10, ordering=ordering))
    assert single_page == book.numbers(1, 4, 6, 7, 2, 5, 3)
    assert walk(gql, ordering) == single_page


def test_ordering_nested_connections(gql, book):
    query = """{
      projects(first: 5, ordering: [{code: DESC}]) { edges { node { code
        orders(first: 10, ordering: [{total: DESC}]) { edges { node { number } } }
        byStatus: orders(first: 10, ordering: [{status: DESC}, {number: ASC}]) { edges { node { number } } }
      } } }
    }"""
    projects = [e["node"] for e in gql.data(query)["projects"]["edges"]]
    assert [p["code"] for p in projects] == ["BETA", "ALPHA"]
    beta, alpha = projects
    assert numbers(beta["orders"]) == book.numbers(4, 3)
    assert numbers(alpha["orders"]) == book.numbers(5, 2, 1)
    assert numbers(beta["byStatus"]) == book.numbers(4, 3)
    assert numbers(alpha["byStatus"]) == book.numbers(2, 5, 1)


# -- filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"name": {"exact": "Winter stock"}}, (4,)),
        ({"name": {"iExact": "WINTER STOCK"}}, (4,)),
        ({"status": {"exact": "OPEN"}}, (1, 4, 6)),
        ({"status": {"inList": ["PLACED", "CANCELLED"]}}, (2, 3, 5)),
        ({"status": {"inList": []}}, ()),
        ({"total": {"range": {"start": "20", "end": "40"}}}, (2, 3, 4)),
        ({"total": {"gt": "40"}}, (5, 6)),
        ({"total": {"lte": "10"}}, (1, 7)),
        ({"total": {"exact": "50"}}, (5,)),
        (
            {"placedAt": {"range": {"start": "2026-01-06T00:00:00Z", "end": "2026-01-31T00:00:00Z"}}},
            (2, 5, 7),
        ),
        ({"name": {"iContains": "SPRING"}}, (1, 2)),
        ({"name": {"contains": "spring"}}, (2,)),
        ({"name": {"startsWith": "Summer"}}, (5,)),
        ({"placedAt": {"isNull": True}}, (1, 4, 6)),
        ({"placedAt": {"isNull": False}}, (2, 3, 5, 7)),
        ({"project": {"id": {"isNull": True}}}, (6, 7)),
    ],
    ids=lambda value: str(value),
)
def test_order_field_lookups(gql, book, filters, expected):
    page = orders_page(gql, first=10, filters=filters)
    assert numbers(page) == book.numbers(*expected)
    assert page["totalCount"] == len(expected)


def test_filter_by_global_id(gql, book):
    one, three = book.orders[0], book.orders[2]
    page = orders_page(gql, first=10, filters={"id": {"exact": gid("Order", three.pk)}})
    assert numbers(page) == book.numbers(3)
    page = orders_page(
        gql, first=10, filters={"id": {"inList": [gid("Order", three.pk), gid("Order", one.pk)]}}
    )
    assert numbers(page) == book.numbers(1, 3)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": {"exact": "OPEN"}, "OR": {"total": {"gte": "50"}}}, (1, 4, 5, 6)),
        ({"status": {"exact": "OPEN"}, "AND": {"total": {"gte": "40"}}}, (4, 6)),
        ({"status": {"exact": "OPEN"}, "total": {"gte": "40"}}, (4, 6)),
        ({"NOT": {"status": {"exact": "OPEN"}}}, (2, 3, 5, 7)),
        ({"project": {"code": {"exact": "ALPHA"}}, "AND": {"NOT": {"status": {"exact": "OPEN"}}}}, (2, 5)),
        (
            {
                "project": {"code": {"exact": "BETA"}},
                "OR": {"customer": {"name": {"startsWith": "Globex"}}, "OR": {"total": {"lt": "6"}}},
            },
            (3, 4, 6, 7),
        ),
    ],
    ids=["or", "and", "implicit-and", "not", "and-not", "nested-or"],
)
def test_boolean_combinations(gql, book, filters, expected):
    page = orders_page(gql, first=10, filters=filters)
    assert numbers(page) == book.numbers(*expected)
    assert page["totalCount"] == len(expected)


def test_filter_on_related_records(gql, book, company):
    page = orders_page(gql, first=10, filters={"customer": {"name": {"iContains": "globex"}}})
    assert numbers(page) == book.numbers(6)
    page = orders_page(gql, first=10, filters={"project": {"name": {"iContains": "retainer"}}})
    assert numbers(page) == book.numbers(1, 2, 5)

    one, three, four = book.orders[0], book.orders[2], book.orders[3]
    job_one = company.job(one, name="Alpha job")
    job_three = company.job(three, name="Beta job 1")
    job_four = company.job(four, name="Beta job 2")
    sub_job = company.job(four, name="Beta sub-job", parent=job_four)
    query = """query($filters: JobFilter) { jobs(first: 10, filters: $filters) {
        totalCount edges { node { name order { number } } } } }"""

    def job_names(filters):
        return [e["node"]["name"] for e in gql.data(query, {"filters": filters})["jobs"]["edges"]]

    assert job_names({"order": {"project": {"code": {"exact": "BETA"}}}}) == [
        job_three.name,
        job_four.name,
        sub_job.name,
    ]
    assert job_names({"order": {"project": {"code": {"exact": "ALPHA"}}}}) == [job_one.name]
    assert job_names({"parent": {"name": {"exact": "Beta job 2"}}}) == [sub_job.name]
    assert job_names({"order": {"status": {"exact": "CANCELLED"}}}) == [job_three.name]


def test_status_filters_use_enum_values(gql, book, company):
    job_done = company.job(book.orders[0], name="done")
    company.job(book.orders[0], name="planned")
    Job.objects.filter(pk=job_done.pk).update(status=WorkStatus.IN_PROGRESS)
    jobs = gql.data(
        "{ jobs(first: 10, filters: {status: {exact: IN_PROGRESS}}) { edges { node { name status } } } }"
    )
    assert jobs["jobs"]["edges"] == [{"node": {"name": "done", "status": "IN_PROGRESS"}}]

    shipped = company.shipment(book.orders[1])
    company.shipment(book.orders[1])
    Shipment.objects.filter(pk=shipped.pk).update(status=ShipmentStatus.SHIPPED)
    query = """{ shipments(first: 10, filters: {status: {inList: [SHIPPED, DELIVERED]}}) {
        totalCount edges { node { id status } } } }"""
    shipments = gql.data(query)["shipments"]
    assert shipments["totalCount"] == 1
    assert shipments["edges"] == [{"node": {"id": gid("Shipment", shipped.pk), "status": "SHIPPED"}}]

    result = gql.execute('{ orders(first: 10, filters: {status: {exact: "OPEN"}}) { totalCount } }')
    assert result["data"] is None
    assert "OrderStatus" in messages(result)[0]
    result = gql.execute("{ orders(first: 10, filters: {status: {exact: SHIPPED}}) { totalCount } }")
    assert result["data"] is None
    assert "SHIPPED" in messages(result)[0]


def test_has_role_party_filter(gql, book, company):
    query = """query($filters: PartyFilter) { parties(first: 20, filters: $filters, ordering: [{name: ASC}]) {
        totalCount edges { node { name roles } } } }"""

    def parties(filters):
        return [e["node"] for e in gql.data(query, {"filters": filters})["parties"]["edges"]]

    assert parties({"hasRole": ["CARRIER", "SUPPLIER"]}) == [
        {"name": "Globex Corp", "roles": ["CUSTOMER", "SUPPLIER"]},
        {"name": company.supplier.name, "roles": ["SUPPLIER"]},
        {"name": company.carrier.name, "roles": ["CARRIER"]},
    ]
    assert [p["name"] for p in parties({"hasRole": ["EMPLOYEE"]})] == [company.employee.name]
    assert parties({"hasRole": ["CONTRACTOR"]}) == []
    assert [p["name"] for p in parties({"hasRole": ["CUSTOMER"], "name": {"startsWith": "Acme"}})] == [
        company.customer.name
    ]
    assert [
        p["name"] for p in parties({"NOT": {"hasRole": ["CUSTOMER", "SUPPLIER", "CARRIER", "EMPLOYEE"]}})
    ] == [company.internal.name]

    page = orders_page(gql, first=10, filters={"customer": {"hasRole": ["SUPPLIER"]}})
    assert numbers(page) == book.numbers(6)
    page = orders_page(gql, first=10, filters={"vendor": {"hasRole": ["INTERNAL"]}})
    assert page["totalCount"] == 7
    page = orders_page(gql, first=10, filters={"vendor": {"hasRole": ["CUSTOMER"]}})
    assert page["totalCount"] == 0


def test_filters_on_nested_connections(gql, book):
    query = """{
      projects(first: 5, filters: {OR: {code: {exact: "BETA"}}, code: {exact: "ALPHA"}}) { totalCount edges { node { code
        placed: orders(first: 10, filters: {status: {exact: PLACED}}) { totalCount edges { node { number } } }
        big: orders(first: 1, filters: {total: {gte: "20"}}) {
          totalCount pageInfo { hasNextPage } edges { node { number } }
        }
      } } }
    }"""
    data = gql.data(query)["projects"]
    assert data["totalCount"] == 2
    alpha, beta = (e["node"] for e in data["edges"])
    assert (alpha["code"], beta["code"]) == ("ALPHA", "BETA")
    assert numbers(alpha["placed"]) == book.numbers(2, 5)
    assert alpha["placed"]["totalCount"] == 2
    assert numbers(beta["placed"]) == []
    assert beta["placed"]["totalCount"] == 0
    assert numbers(alpha["big"]) == book.numbers(2)
    assert alpha["big"]["totalCount"] == 2
    assert alpha["big"]["pageInfo"]["hasNextPage"] is True
    assert numbers(beta["big"]) == book.numbers(3)
    assert beta["big"]["totalCount"] == 2


def test_filters_and_pagination_together(gql, book):
    filters = {"status": {"inList": ["OPEN", "PLACED"]}}
    first = orders_page(gql, first=2, filters=filters, ordering=[{"total": "DESC"}])
    assert numbers(first) == book.numbers(6, 5)
    assert first["totalCount"] == 5
    second = orders_page(
        gql, first=2, filters=filters, ordering=[{"total": "DESC"}], after=first["pageInfo"]["endCursor"]
    )
    assert numbers(second) == book.numbers(4, 2)
    third = orders_page(
        gql, first=2, filters=filters, ordering=[{"total": "DESC"}], after=second["pageInfo"]["endCursor"]
    )
    assert numbers(third) == book.numbers(1)
    assert third["pageInfo"]["hasNextPage"] is False


# -- node / nodes -----------------------------------------------------------------------------

NODE = """query($id: ID!) { node(id: $id) {
  __typename id
  ... on Order { number status project { code } }
  ... on Project { code name }
  ... on Job { name jobOrder: order { number } }
  ... on JobCost { costKind: kind amount { amount currency } }
  ... on Task { title target { __typename } }
  ... on TimeEntry { hours task { title } }
  ... on Shipment { shipmentKind: kind shipmentOrder: order { number } }
  ... on Party { name roles }
} }"""


def test_node_returns_each_type_with_its_fields(gql, book, company):
    order = book.orders[1]
    job = company.job(order, name="Build it")
    cost = company.cost(job, unit_cost=Decimal("7.50"), quantity=Decimal(2))
    task = company.task(cost, title="Cut wood")
    entry = company.time(task, hours=Decimal(3))
    shipment = company.shipment(order)

    def node(type_name, pk):
        return gql.data(NODE, {"id": gid(type_name, pk)})["node"]

    assert node("Order", order.pk) == {
        "__typename": "Order",
        "id": gid("Order", order.pk),
        "number": order.number,
        "status": "PLACED",
        "project": {"code": "ALPHA"},
    }
    assert node("Project", book.beta.pk) == {
        "__typename": "Project",
        "id": gid("Project", book.beta.pk),
        "code": "BETA",
        "name": "Beta rollout",
    }
    assert node("Job", job.pk) == {
        "__typename": "Job",
        "id": gid("Job", job.pk),
        "name": "Build it",
        "jobOrder": {"number": order.number},
    }
    assert node("JobCost", cost.pk) == {
        "__typename": "JobCost",
        "id": gid("JobCost", cost.pk),
        "costKind": "MATERIAL",
        "amount": {"amount": "15.00", "currency": "USD"},
    }
    assert node("Task", task.pk) == {
        "__typename": "Task",
        "id": gid("Task", task.pk),
        "title": "Cut wood",
        "target": {"__typename": "JobCost"},
    }
    assert node("TimeEntry", entry.pk) == {
        "__typename": "TimeEntry",
        "id": gid("TimeEntry", entry.pk),
        "hours": "3.00",
        "task": {"title": "Cut wood"},
    }
    assert node("Shipment", shipment.pk) == {
        "__typename": "Shipment",
        "id": gid("Shipment", shipment.pk),
        "shipmentKind": "OUTGOING",
        "shipmentOrder": {"number": order.number},
    }
    assert node("Party", book.globex.pk) == {
        "__typename": "Party",
        "id": gid("Party", book.globex.pk),
        "name": "Globex Corp",
        "roles": ["CUSTOMER", "SUPPLIER"],
    }


def test_node_with_a_missing_id_is_null_without_error(gql, book):
    missing = Order.objects.order_by("-pk").first().pk + 1000
    assert gql.execute(NODE, {"id": gid("Order", missing)}) == {
        "data": {"node": None},
        "extensions": lookups(1),
    }


def test_node_with_an_id_of_another_type_is_not_the_record(gql, book):
    order = book.orders[0]
    assert not Job.objects.filter(pk=order.pk).exists()
    assert gql.execute(NODE, {"id": gid("Job", order.pk)}) == {
        "data": {"node": None},
        "extensions": lookups(1),
    }
    data = gql.data(NODE, {"id": gid("Project", book.alpha.pk)})["node"]
    assert data["__typename"] == "Project"
    assert data["code"] == "ALPHA"


def test_node_with_a_garbage_id_is_a_readable_error(gql, book):
    result = gql.execute(NODE, {"id": "garbage!!"})
    assert result["data"] == {"node": None}
    assert messages(result) == ['Value cannot represent a GlobalID: "garbage!!".']


def test_node_with_an_unknown_type_reads_as_missing(gql, book):
    missing = gql.execute(NODE, {"id": gid("Order", 10**9)})
    assert gql.execute(NODE, {"id": gid("NoSuchType", 1)}) == missing
    assert missing["data"] == {"node": None} and "errors" not in missing


def test_node_with_a_non_numeric_key_leaks_nothing(gql, book):
    result = gql.execute(NODE, {"id": gid("Order", "abc")})
    assert result["data"] == {"node": None}
    assert not any("expected a number" in message for message in messages(result))


def test_nodes_keep_the_order_given_and_null_the_missing(gql, book):
    missing = Order.objects.order_by("-pk").first().pk + 1000
    one, three = book.orders[0], book.orders[2]
    ids = [
        gid("Order", three.pk),
        gid("Order", missing),
        gid("Project", book.alpha.pk),
        gid("Order", one.pk),
        gid("Party", book.globex.pk),
    ]
    query = """query($ids: [ID!]!) { nodes(ids: $ids) {
        __typename id ... on Order { number } ... on Project { code } ... on Party { name } } }"""
    assert gql.execute(query, {"ids": ids}) == {
        "data": {
            "nodes": [
                {"__typename": "Order", "id": ids[0], "number": three.number},
                None,
                {"__typename": "Project", "id": ids[2], "code": "ALPHA"},
                {"__typename": "Order", "id": ids[3], "number": one.number},
                {"__typename": "Party", "id": ids[4], "name": "Globex Corp"},
            ]
        },
        "extensions": lookups(5),
    }


def test_nodes_with_a_garbage_id_is_an_error(gql, book):
    result = gql.execute(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": [gid("Order", book.orders[0].pk), "garbage"]},
    )
    assert result["data"] is None
    assert messages(result) == ['Value cannot represent a GlobalID: "garbage".']


# -- anonymous callers ------------------------------------------------------------------------


def test_anonymous_callers_get_empty_connections(anonymous_gql, book, company):
    company.job(book.orders[0])
    query = """{
      orders(first: 10) { totalCount pageInfo { hasNextPage endCursor } edges { node { number } } }
      projects(first: 10) { totalCount edges { node { code orders(first: 5) { totalCount } } } }
      parties(first: 10) { totalCount edges { node { name } } }
      jobs(first: 10) { totalCount edges { node { name } } }
      filtered: orders(first: 10, filters: {status: {exact: OPEN}}) { totalCount edges { node { number } } }
    }"""
    assert anonymous_gql.execute(query) == {
        "data": {
            "orders": {"totalCount": 0, "pageInfo": {"hasNextPage": False, "endCursor": None}, "edges": []},
            "projects": {"totalCount": 0, "edges": []},
            "parties": {"totalCount": 0, "edges": []},
            "jobs": {"totalCount": 0, "edges": []},
            "filtered": {"totalCount": 0, "edges": []},
        },
        # 10 orders, 10 projects and 5 orders of each, 10 parties, 10 jobs, 10 filtered orders
        "extensions": {"cost": {"estimatedNodes": 100, "limit": 50_000}},
    }


def test_anonymous_callers_get_null_nodes(anonymous_gql, book):
    order_id = gid("Order", book.orders[0].pk)
    project_id = gid("Project", book.alpha.pk)
    for global_id in (order_id, project_id):
        assert anonymous_gql.execute(NODE, {"id": global_id}) == {
            "data": {"node": None},
            "extensions": lookups(1),
        }
    result = anonymous_gql.execute(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [order_id, project_id]}
    )
    assert result == {"data": {"nodes": [None, None]}, "extensions": lookups(2)}


def test_anonymous_callers_still_get_the_page_limits(anonymous_gql, book):
    result = anonymous_gql.execute("{ orders { totalCount } }")
    assert result["data"] is None
    assert messages(result) == [UNBOUNDED_ERROR.format(field="orders")]
