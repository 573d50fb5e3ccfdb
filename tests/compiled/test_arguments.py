"""`filters:` and `ordering:` on compiled connections: the same rows, order and cursors as the general
path, for every viewer, and the queries really compiled."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.conf import settings as django_settings

from backend.orders.models import Order
from backend.projects.models import Project
from backend.shipping.models import Shipment
from backend.work.models import Job, Task
from schema.compiled.catalog import ROOT_CONNECTIONS
from schema.schema import schema

from .conftest import VIEWERS_WITH_ROWS, compiles, same_answer

pytestmark = pytest.mark.django_db

# The ordered fields each root's nodes show, so a wrong order or cursor shows in the answer.
SHOWN = {
    "Project": "code name status startDate endDate createdAt",
    "Order": "number name status enteredAt placedAt approvedAt completedAt total { amount }",
    "Job": "name status startDate endDate budgetedCost { amount }",
    "JobCost": "kind amount { amount } incurredOn approvalStatus",
    "Task": "title status priority dueDate createdAt",
    "TimeEntry": "fromAt thruAt hours",
    "Shipment": "kind status estimatedShipDate estimatedArrivalDate shippedAt deliveredAt trackingCode",
}
PAGE = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id %s } }"
TRICKY = 'O\'Brien "quoted" \\ 100% %s _x_'


class InPlace:
    """Changes a setting within the test's own override: pytest-django's `settings` fixture stacks
    one more override per change, and a long test of `same_answer` runs out of stack."""

    def __setattr__(self, name, value):
        setattr(django_settings, name, value)


IN_PLACE = InPlace()


def plain_orderings(type_name: str) -> list[str]:
    """The ordering's fields on columns (rollups have a resolver of their own)."""
    definition = schema.get_type_by_name(f"{type_name}Ordering")
    return [
        schema.config.name_converter.get_graphql_name(field)
        for field in definition.fields
        if getattr(field, "filter_order_resolver", None) is None
    ]


@pytest.fixture
def varied(tree):
    """Values at the edges of what cursors and filters write: quotes, backslashes, percent signs,
    non-ASCII (astral too), DEL, equal sort keys, nulls next to values."""
    Project.objects.filter(pk=tree.projects[0].pk).update(name=TRICKY, start_date=date(2026, 1, 1))
    Project.objects.filter(pk=tree.projects[2].pk).update(name="Zoë 🚀\x7f\tend", end_date=date(2026, 6, 30))
    Order.objects.filter(pk=tree.orders[1].pk).update(
        name="Ünïcode", approved_at=datetime(2026, 2, 3, tzinfo=UTC)
    )
    Order.objects.filter(pk=tree.orders[2].pk).update(
        placed_at=datetime(2026, 2, 1, 8, 0, 0, 5, tzinfo=UTC), name=TRICKY
    )
    Task.objects.filter(pk__in=[t.pk for t in tree.tasks[:4]]).update(title="Same title", priority=3)
    Task.objects.filter(pk=tree.tasks[5].pk).update(title="日本語のタスク", due_date=None)
    Shipment.objects.filter(pk=tree.shipments[0].pk).update(tracking_code='1Z"999\\', status="DELIVERED")
    Shipment.objects.filter(pk=tree.shipments[3].pk).update(tracking_code="ÅÄÖ")
    Job.objects.filter(pk=tree.jobs[1].pk).update(end_date=date(2026, 5, 1), budgeted_cost=Decimal("0.0001"))
    return tree


def root_query(root: str, arguments: str, first: int = 4) -> str:
    selection = PAGE % SHOWN.get(ROOT_CONNECTIONS[root], "__typename")
    return f"query Q($after: String) {{ {root}(first: {first}, after: $after{arguments}) {{ {selection} }} }}"


def walk(settings, client, query: str, root: str, *, compiled: bool = True) -> int:
    """Every page of the query by its end cursor; returns how many rows were seen."""
    after, seen = None, 0
    for _ in range(30):
        variables = {"after": after}
        assert compiles(client, query, variables) is compiled, (query, variables)
        data = same_answer(settings, client, query, variables)["data"][root]
        seen += len(data["edges"])
        if not data["pageInfo"]["hasNextPage"]:
            return seen
        after = data["pageInfo"]["endCursor"]
    raise AssertionError("pages do not end")


FILTERS = [
    ("projects", "{name: {exact: %s}}" % json.dumps(TRICKY)),  # noqa: UP031 (braces)
    ("projects", '{name: {contains: "%"}}'),
    ("projects", '{name: {contains: "%s"}}'),
    ("projects", '{name: {iContains: "\\\\"}}'),
    ("projects", '{name: {startsWith: "O\'B"}}'),
    ("projects", '{name: {iExact: "zoë 🚀\\u007f\\tEND"}}'),
    ("projects", '{name: {endsWith: "_x_"}}'),
    ("projects", "{status: {exact: PLANNING}}"),
    ("projects", "{startDate: {isNull: true}}"),
    ("projects", '{startDate: {gte: "2026-01-01"}, OR: {endDate: {isNull: false}}}'),
    ("projects", '{NOT: {code: {inList: ["P1", "P2", "nothing"]}}}'),
    ("projects", '{customer: {name: {contains: "Cust"}}, currency: {exact: "USD"}}'),
    ("projects", "{createdAt: {year: {exact: 2026}}}"),
    ("projects", "{DISTINCT: true}"),
    ("projects", "{code: {inList: []}}"),
    ("projects", "{NOT: {code: {inList: []}}}"),
    ("projects", '{code: {inList: []}, OR: {code: {exact: "P1"}}}'),
    ("projects", "{}"),
    ("orders", "{kind: {exact: SALES}, status: {inList: [OPEN, PLACED]}}"),
    ("orders", '{project: {name: {contains: "Zo"}}}'),
    ("orders", "{project: {startDate: {isNull: true}}}"),
    ("orders", '{NOT: {project: {code: {exact: "nothing"}}}}'),
    ("orders", '{total: {gt: "20.00"}}'),
    ("orders", '{total: {range: {start: "10", end: "40.015"}}}'),
    ("orders", '{currency: {inList: ["JPY", "BHD"]}, OR: {approvedAt: {isNull: false}}}'),
    ("orders", '{placedAt: {gt: "2026-02-01T08:00:00.000004+00:00"}}'),
    ("orders", '{placedAt: {exact: "2026-02-01T10:00:00.000005+02:00"}}'),
    ("orders", '{revenue: {gte: "20"}}'),
    ("orders", '{margin: {lt: "100"}, AND: {marginPercent: {isNull: false}}}'),
    ("jobs", '{order: {currency: {exact: "USD"}}, AND: {parent: {id: {isNull: true}}}}'),
    ("jobs", '{parent: {name: {exact: "Deep"}}}'),
    ("jobs", '{budgetedCost: {inList: ["100.125", "0.0001"]}}'),
    ("jobs", "{isOverBudget: false}"),
    ("jobs", '{actualCost: {gt: "0"}}'),
    ("jobs", '{startDate: {range: {start: "2026-01-01", end: "2026-01-06"}}}'),
    ("jobs", "{kind: {isNull: false}, NOT: {status: {exact: CLOSED}}}"),
    ("jobCosts", '{kind: {exact: MATERIAL}, amount: {lte: "5.00"}}'),
    ("jobCosts", "{approvalStatus: {exact: APPROVED}}"),
    ("jobCosts", '{job: {order: {project: {code: {iStartsWith: "p"}}}}}'),
    ("jobCosts", "{billable: {exact: true}}"),
    ("jobCosts", '{incurredOn: {lte: "2030-01-01"}}'),
    ("tasks", '{title: {exact: "Same title"}}'),
    ("tasks", '{title: {contains: "タスク"}}'),
    ("tasks", "{dueDate: {isNull: true}, OR: {priority: {gte: 3}}}"),
    ("tasks", '{project: {id: {isNull: false}}, NOT: {title: {iStartsWith: "project"}}}'),
    ("tasks", '{jobCost: {job: {name: {startsWith: "Job"}}}}'),
    ("tasks", '{createdAt: {gte: "2000-01-01T00:00:00Z"}}'),
    ("timeEntries", '{hours: {exact: "2"}, billable: {exact: false}}'),
    ("timeEntries", '{fromAt: {exact: "2026-03-02T09:00:00.1234+00:00"}}'),
    ("timeEntries", '{task: {title: {contains: ".0."}}}'),
    ("shipments", "{kind: {exact: INCOMING}, shipTask: {id: {isNull: false}}}"),
    ("shipments", '{trackingCode: {contains: "\\"9"}}'),
    ("shipments", "{status: {inList: [DELIVERED, CANCELLED]}, OR: {deliveredAt: {isNull: false}}}"),
    ("shipments", '{shippedAt: {range: {start: "2026-03-03T10:00:00Z", end: "2026-03-03T11:00:00Z"}}}'),
    ("shipments", "{order: {kind: {exact: SALES}}, carrier: {hasRole: [CARRIER]}}"),
    ("shipments", '{estimatedShipDate: {exact: "2026-03-02"}}'),
]


@pytest.mark.parametrize("viewer", VIEWERS_WITH_ROWS)
def test_root_filters_match(varied, viewers, viewer):
    client = viewers[viewer]
    for root, filters in FILTERS:
        walk(IN_PLACE, client, root_query(root, f", filters: {filters}"), root)


def test_filters_keep_what_they_say(settings, varied, viewers):
    """The filters narrow (the equality above is not of two unfiltered lists)."""
    client = viewers["superuser"]
    counts = {}
    for root, filters in [*FILTERS[:3], ("projects", "{}")]:
        data = same_answer(settings, client, root_query(root, f", filters: {filters}"))["data"][root]
        counts[filters] = data["totalCount"]
    assert list(counts.values()) == [1, 1, 1, 3]


def test_a_string_value_is_written_safely(settings, varied, viewers):
    client = viewers["superuser"]
    query = "query Q($name: String!) { projects(first: 5, filters: {name: {exact: $name}}) { %s } }"
    query %= PAGE % "name"
    for name in (TRICKY, "'; DROP TABLE projects_project; --", "%s%s%%", "\\'", "a\\nb"):
        assert compiles(client, query, {"name": name})
        data = same_answer(settings, client, query, {"name": name})["data"]["projects"]
        assert [e["node"]["name"] for e in data["edges"]] == ([TRICKY] if name == TRICKY else [])


@pytest.mark.parametrize("viewer", VIEWERS_WITH_ROWS)
def test_root_orderings_walk_the_same_pages(varied, viewers, viewer):
    client = viewers[viewer]
    for root, type_name in ROOT_CONNECTIONS.items():
        for field in plain_orderings(type_name):
            for direction in ("ASC", "DESC"):
                query = root_query(root, f", ordering: [{{{field}: {direction}}}]", first=7)
                walk(IN_PLACE, client, query, root)


def test_null_placements_and_several_keys(settings, varied, viewers):
    client = viewers["superuser"]
    for direction in ("ASC_NULLS_FIRST", "ASC_NULLS_LAST", "DESC_NULLS_FIRST", "DESC_NULLS_LAST"):
        walk(
            settings,
            client,
            root_query("jobs", f", ordering: [{{endDate: {direction}}}, {{name: ASC}}]"),
            "jobs",
        )
        walk(
            settings,
            client,
            root_query("shipments", f", ordering: [{{shippedAt: {direction}}}]"),
            "shipments",
        )
    several = ', ordering: [{title: DESC}, {dueDate: ASC}, {id: DESC}], filters: {NOT: {title: {exact: "x"}}}'
    assert walk(settings, client, root_query("tasks", several), "tasks") > 4


def test_rollup_orderings_fall_back(settings, varied, viewers):
    client = viewers["superuser"]
    for root, field in (("orders", "margin"), ("jobs", "actualCost")):
        walk(settings, client, root_query(root, f", ordering: [{{{field}: DESC}}]"), root, compiled=False)


NESTED = """
query N {
  projects(first: 5, ordering: [{name: DESC}]) { edges { cursor node { code
    orders(first: 3, %s) { totalCount pageInfo { hasNextPage startCursor endCursor }
      edges { cursor node { number name placedAt total { amount }
        jobs(first: 2, %s) { totalCount pageInfo { endCursor } edges { cursor node { name endDate } } }
      } }
    }
    tasks(first: 2, %s) { totalCount edges { cursor node { title dueDate } } }
  } } }
}
"""
NESTED_ARGUMENTS = [
    ("filters: {kind: {exact: SALES}}", "filters: {parent: {id: {isNull: true}}}", "filters: {}"),
    ("ordering: [{name: ASC}]", "ordering: [{endDate: DESC}]", 'filters: {title: {contains: "task"}}'),
    (
        'ordering: [{placedAt: DESC_NULLS_LAST}], filters: {NOT: {name: {exact: "x"}}}',
        'ordering: [{budgetedCost: ASC}, {name: DESC}], filters: {budgetedCost: {gt: "0"}}',
        "ordering: [{dueDate: ASC_NULLS_FIRST}]",
    ),
    (
        'filters: {total: {gte: "0"}}, ordering: [{total: DESC}]',
        "ordering: [{id: DESC}]",
        "ordering: [{title: ASC}]",
    ),
]


@pytest.mark.parametrize("viewer", VIEWERS_WITH_ROWS)
def test_nested_arguments_match(settings, varied, viewers, viewer):
    client = viewers[viewer]
    for arguments in NESTED_ARGUMENTS:
        query = NESTED % arguments
        assert compiles(client, query), query
        same_answer(settings, client, query)


def test_cursors_the_general_path_refuses_are_its_errors(settings, varied, viewers):
    client = viewers["superuser"]
    query = root_query("projects", ", ordering: [{name: ASC}]")
    default_cursor = "b3JkZXJlZGN1cnNvcjpbIjMiXQ=="  # ["3"]: one value where the ordering needs two
    for after in (default_cursor, "bad"):
        assert not compiles(client, query, {"after": after})
        assert same_answer(settings, client, query, {"after": after})["errors"]


def test_arguments_that_fall_back(settings, varied, viewers):
    """A pattern PostgreSQL may refuse when the statement runs is left to the general path."""
    client = viewers["superuser"]
    for arguments in (
        ', filters: {name: {regex: "^P"}}',
        ', filters: {NOT: {customer: {name: {iRegex: "^c"}}}}',
    ):
        query = root_query("projects", arguments)
        assert not compiles(client, query, {"after": None})
        same_answer(settings, client, query, {"after": None})
