"""Random selections mixing rollup fields (with and without a currency, any subfields, aliases,
fragments) into the plain fields, links and pages of the hierarchy, answered the same by the compiled
path and the general path for every viewer."""

import pytest
from hypothesis import strategies as st

from schema.compiled.catalog import catalog
from schema.compiled.rollups import ROLLUPS

from .conftest import VIEWERS
from .test_generated import aliased, assert_generated_queries_match, record
from .test_rollups import books  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

EXAMPLES = 20
ROOTS = {
    "projects": "Project",
    "orders": "Order",
    "jobs": "Job",
    "jobCosts": "JobCost",
    "shipments": "Shipment",
}
CURRENCIES = ('"USD"', '"JPY"', '"BHD"', '"EUR"', "null")
SUBFIELDS = {
    "money": ("amount", "currency", "__typename"),
    "amounts": ("amount", "currency", "__typename"),
    "task_hours": ("status", "estimatedHours", "actualHours", "__typename"),
}


@st.composite
def rollup_fields(draw, type_name: str) -> list[str]:
    fields = []
    if type_name not in ROLLUPS:
        return fields
    for name in draw(st.lists(st.sampled_from(sorted(ROLLUPS[type_name])), max_size=4, unique=True)):
        shape = ROLLUPS[type_name][name].shape
        field = aliased(draw, name)
        if shape == "amounts" and draw(st.booleans()):
            field += f"(currency: {draw(st.sampled_from(CURRENCIES))})"
        if shape in SUBFIELDS:
            chosen = draw(st.lists(st.sampled_from(SUBFIELDS[shape]), min_size=1, max_size=4))
            field += f" {{ {' '.join(chosen)} }}"
        fields.append(field)
    return fields


@st.composite
def node(draw, type_name: str, depth: int, fragments: list[str]) -> str:
    info = catalog()[type_name]
    parts = [draw(record(type_name, 0, fragments))] if draw(st.booleans()) else ["id"]
    rollups = draw(rollup_fields(type_name))
    if rollups and draw(st.booleans()):
        parts.append(f"... on {type_name} {{ {' '.join(rollups)} }}")
    else:
        parts.extend(rollups)
    if depth > 0 and info.to_one and draw(st.booleans()):
        name = draw(st.sampled_from(sorted(info.to_one)))
        parts.append(f"{name} {{ {draw(node(info.to_one[name].target, depth - 1, fragments))} }}")
    if depth > 0 and info.children and draw(st.booleans()):
        name = draw(st.sampled_from(sorted(info.children)))
        inner = draw(node(info.children[name].target, depth - 1, fragments))
        parts.append(f"{name}(first: {draw(st.integers(0, 3))}) {{ edges {{ node {{ {inner} }} }} }}")
    return " ".join(parts)


@st.composite
def operations(draw) -> str:
    fragments: list[str] = []
    roots = draw(st.lists(st.sampled_from(sorted(ROOTS)), min_size=1, max_size=2, unique=True))
    fields = []
    for root in roots:
        inner = draw(node(ROOTS[root], draw(st.integers(0, 2)), fragments))
        fields.append(
            f"{root}(first: {draw(st.integers(0, 4))}) {{ totalCount edges {{ node {{ {inner} }} }} }}"
        )
    return " ".join([f"query Generated {{ {' '.join(fields)} }}", *fragments])


@pytest.mark.parametrize("viewer", VIEWERS)
def test_generated_rollup_selections_match(settings, tree, books, viewers, viewer):  # noqa: F811
    assert_generated_queries_match(settings, viewers[viewer], operations(), EXAMPLES)
