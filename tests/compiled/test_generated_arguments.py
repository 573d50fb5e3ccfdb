"""Random `filters:` (lookups, relation filters, AND/OR/NOT) and `ordering:` lists at the root and on a
nested connection, answered the same by the compiled path and the general path for every viewer, the
root's next page read by its end cursor too."""

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from schema.compiled.catalog import ROOT_CONNECTIONS, catalog

from .conftest import VIEWERS, compiles, same_answer
from .test_arguments import IN_PLACE, plain_orderings, varied  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

EXAMPLES = 10  # per viewer
RUN = hypothesis_settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
WORK_STATUS = ["PLANNING", "APPROVED", "IN_PROGRESS", "COMPLETE"]
TEXTS = ["P1", "Project", "project", "Task 0", "task", "%", "_", "'", "\\", '"', "Deep", "", "ë", "Job", "%s"]
DATES = ["2026-01-01", "2026-01-06", "2026-02-01", "2026-03-02", "2026-06-30"]
DATETIMES = [
    "2026-01-01T00:00:00Z",
    "2026-03-02T09:00:00.1234+00:00",
    "2026-03-03T10:30:00Z",
    "2030-01-01T00:00:00Z",
]
DECIMALS = ["0", "0.0001", "2", "5.00", "20", "37.015", "100.125", "-1"]
VALUES = {
    "text": st.sampled_from(TEXTS).map(json.dumps),
    "date": st.sampled_from(DATES).map(json.dumps),
    "datetime": st.sampled_from(DATETIMES).map(json.dumps),
    "decimal": st.sampled_from(DECIMALS).map(json.dumps),
    "int": st.integers(-1, 4).map(str),
    "bool": st.booleans().map(lambda b: "true" if b else "false"),
}
LOOKUPS = {
    "text": [
        "exact",
        "iExact",
        "contains",
        "iContains",
        "startsWith",
        "iStartsWith",
        "endsWith",
        "iEndsWith",
    ],
    "date": ["exact", "gt", "gte", "lt", "lte"],
    "datetime": ["exact", "gt", "gte", "lt", "lte"],
    "decimal": ["exact", "gt", "gte", "lt", "lte"],
    "int": ["exact", "gt", "gte", "lt", "lte"],
    "bool": ["exact"],
    "enum": ["exact"],
}
RANGED = {"date", "datetime", "decimal", "int"}
ENUMS = {
    ("Project", "status"): WORK_STATUS,
    ("Order", "kind"): ["SALES", "PURCHASE"],
    ("Order", "status"): ["OPEN", "PLACED", "COMPLETED"],
    ("Job", "kind"): ["ORDER", "PRODUCTION", "STANDARD"],
    ("Job", "status"): WORK_STATUS,
    ("JobCost", "kind"): ["TIME", "MATERIAL", "EXPENSE"],
    ("JobCost", "approvalStatus"): ["PENDING", "APPROVED"],
    ("Task", "status"): WORK_STATUS,
    ("Shipment", "kind"): ["INCOMING", "OUTGOING"],
    ("Shipment", "status"): ["INPUT", "SHIPPED", "DELIVERED"],
}
FIELDS = {
    "Project": {"code": "text", "name": "text", "currency": "text", "startDate": "date", "endDate": "date"},
    "Order": {
        "number": "text",
        "name": "text",
        "total": "decimal",
        "placedAt": "datetime",
        "revenue": "decimal",
    },
    "Job": {"name": "text", "startDate": "date", "endDate": "date", "budgetedCost": "decimal"},
    "JobCost": {"description": "text", "amount": "decimal", "billable": "bool", "incurredOn": "date"},
    "Task": {"title": "text", "priority": "int", "dueDate": "date", "createdAt": "datetime"},
    "TimeEntry": {"fromAt": "datetime", "hours": "decimal", "billable": "bool"},
    "Shipment": {"trackingCode": "text", "shippedAt": "datetime", "estimatedShipDate": "date"},
}
RELATIONS = {
    "Order": {"project": "Project"},
    "Job": {"order": "Order", "parent": "Job"},
    "JobCost": {"job": "Job"},
    "Task": {"project": "Project", "order": "Order", "job": "Job", "jobCost": "JobCost"},
    "TimeEntry": {"task": "Task"},
    "Shipment": {"order": "Order", "shipTask": "Task"},
}
DIRECTIONS = ["ASC", "DESC", "ASC_NULLS_FIRST", "ASC_NULLS_LAST", "DESC_NULLS_FIRST", "DESC_NULLS_LAST"]


@st.composite
def lookup(draw, type_name: str) -> tuple[str, str]:
    fields = {**FIELDS[type_name], **{name: "enum" for (t, name) in ENUMS if t == type_name}}
    name = draw(st.sampled_from(sorted(fields)))
    kind = fields[name]
    values = st.sampled_from(ENUMS[(type_name, name)]) if kind == "enum" else VALUES[kind]
    shape = draw(st.sampled_from(["one", "one", "list", "null", "range"]))
    if shape == "null":
        condition = f"isNull: {draw(VALUES['bool'])}"
    elif shape == "list":
        condition = f"inList: [{', '.join(draw(st.lists(values, max_size=3)))}]"
    elif shape == "range" and kind in RANGED:
        condition = f"range: {{start: {draw(values)}, end: {draw(values)}}}"
    else:
        condition = f"{draw(st.sampled_from(LOOKUPS[kind]))}: {draw(values)}"
    return name, f"{name}: {{{condition}}}"


@st.composite
def filters(draw, type_name: str, depth: int) -> str:
    lookups = draw(st.lists(lookup(type_name), min_size=1, max_size=2, unique_by=lambda entry: entry[0]))
    entries = [text for _, text in lookups]
    relations = RELATIONS.get(type_name, {})
    if depth > 0 and relations and draw(st.booleans()):
        name = draw(st.sampled_from(sorted(relations)))
        entries.append(f"{name}: {draw(filters(relations[name], depth - 1))}")
    if depth > 0 and draw(st.booleans()):
        operator = draw(st.sampled_from(["AND", "OR", "NOT"]))
        entries.append(f"{operator}: {draw(filters(type_name, depth - 1))}")
    return "{" + ", ".join(entries) + "}"


@st.composite
def arguments(draw, type_name: str) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append(f"filters: {draw(filters(type_name, 2))}")
    if draw(st.booleans()):
        fields = draw(st.lists(st.sampled_from(plain_orderings(type_name)), min_size=1, max_size=3))
        keys = [f"{{{field}: {draw(st.sampled_from(DIRECTIONS))}}}" for field in fields]
        parts.append(f"ordering: [{', '.join(keys)}]")
    return "".join(f", {part}" for part in parts)


def shown(type_name: str) -> str:
    """The node's plain fields (the ordered ones among them)."""
    return " ".join(["id", *catalog()[type_name].scalars])


@st.composite
def operations(draw) -> tuple[str, str]:
    # the types whose filter fields the strategies above know
    root = draw(st.sampled_from(sorted(r for r, t in ROOT_CONNECTIONS.items() if t in FIELDS)))
    type_name = ROOT_CONNECTIONS[root]
    nested = ""
    children = {n: c for n, c in catalog()[type_name].children.items() if c.target in FIELDS}
    if children and draw(st.booleans()):
        name = draw(st.sampled_from(sorted(children)))
        target = children[name].target
        nested = (
            f"{name}(first: {draw(st.integers(0, 3))}{draw(arguments(target))}) {{ totalCount "
            f"pageInfo {{ hasNextPage startCursor endCursor }} edges {{ cursor node {{ {shown(target)} }} }} }}"
        )
    query = (
        f"query G($after: String) {{ {root}(first: {draw(st.integers(1, 5))}, after: $after"
        f"{draw(arguments(type_name))}) {{ totalCount pageInfo {{ hasNextPage endCursor }} "
        f"edges {{ cursor node {{ {shown(type_name)} {nested} }} }} }} }}"
    )
    return root, query


@pytest.mark.parametrize("viewer", VIEWERS)
def test_generated_arguments_match(varied, viewers, viewer):  # noqa: F811 (the fixture)
    client = viewers[viewer]
    missed = []

    @RUN
    @given(operations())
    def check(operation):
        root, query = operation
        data = same_answer(IN_PLACE, client, query, {"after": None})["data"]
        if not compiles(client, query, {"after": None}):
            missed.append(query)
        page = data[root]["pageInfo"]
        if page["hasNextPage"]:
            after = {"after": page["endCursor"]}
            same_answer(IN_PLACE, client, query, after)
            if not compiles(client, query, after):
                missed.append((query, after))

    check()
    assert not missed
