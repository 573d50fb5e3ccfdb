"""Random `first`/`last`/`after`/`before` on a root connection and on a connection nested below it,
with cursors taken from real responses and some invalid ones, answered the same by the compiled path
and the general path for every viewer; the compiled path answers exactly those it should."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from strawberry.relay import to_base64

from .conftest import VIEWERS, compiles, same_answer
from .test_pages import NESTED_PAIRS, pages

pytestmark = pytest.mark.django_db

EXAMPLES = 40
INVALID = (
    "bad",
    to_base64("orderedcursor", '["x"]'),
    to_base64("orderedcursor", "[null]"),
    to_base64("orderedcursor", '["1", "2"]'),
    to_base64("arrayconnection", '["1"]'),
)
# Valid cursors of no row: before every row, after every row.
OUTSIDE = (to_base64("orderedcursor", '["0"]'), to_base64("orderedcursor", '["99999"]'))
VARIABLES = "$f: Int, $l: Int, $a: String, $b: String, $nf: Int, $nl: Int, $na: String, $nb: String"
PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
NESTED_PARTS = ("totalCount", PAGE_INFO, "edges { cursor }", "edges { node { id } }", "__typename")


def listing(client, root: str, child: str) -> list[str]:
    """Cursors of the root's rows and of their children, as a client would hold them."""
    query = f"{{ {root}(first: 100) {{ edges {{ cursor node {{ {child}(first: 100) {{ edges {{ cursor }} }} }} }} }} }}"
    data = client.data(query)
    cursors = [edge["cursor"] for edge in data[root]["edges"]]
    return cursors + [edge["cursor"] for c in pages(data, root, child) for edge in c["edges"]]


@st.composite
def page(draw, cursors: list[str]) -> tuple[dict, bool]:
    """The page arguments, and whether all of them are ones the compiled path reads."""
    sizes = draw(st.sampled_from(["first", "last", "both"]))
    arguments = {
        "first": draw(st.integers(0, 4)) if sizes != "last" else None,
        "last": draw(st.integers(0, 4)) if sizes != "first" else None,
    }
    readable = True
    for name in ("after", "before"):
        kinds = (
            ["none", "none", "real", "real", "outside", "invalid"]
            if cursors
            else ["none", "outside", "invalid"]
        )
        kind = draw(st.sampled_from(kinds))  # a relation without rows in the fixture has no real cursors
        value = None
        if kind == "real":
            value = draw(st.sampled_from(cursors))
        elif kind != "none":
            value = draw(st.sampled_from(OUTSIDE if kind == "outside" else INVALID))
        readable = readable and kind != "invalid"
        arguments[name] = value
    return arguments, readable


@st.composite
def operations(draw, cursors: dict) -> tuple[str, dict, bool]:
    root, child = draw(st.sampled_from(NESTED_PAIRS))
    root_page, root_readable = draw(page(cursors[root, child]))
    nested_page, nested_readable = draw(page(cursors[root, child]))
    parts = draw(st.lists(st.sampled_from(NESTED_PARTS), min_size=1, max_size=4, unique=True))
    nested = f"{child}(first: $nf, last: $nl, after: $na, before: $nb) {{ {' '.join(parts)} }}"
    query = (
        f"query Generated({VARIABLES}) {{ {root}(first: $f, last: $l, after: $a, before: $b) {{ "
        f"totalCount {PAGE_INFO} edges {{ cursor node {{ id {nested} }} }} }} }}"
    )
    variables = {
        **{name[0]: value for name, value in root_page.items()},
        **{f"n{name[0]}": value for name, value in nested_page.items()},
    }
    # The general path numbers a prefetched page's rows across parents when given first and last.
    prefetched_both = "edges { node { id } }" in parts and None not in (
        nested_page["first"],
        nested_page["last"],
    )
    return query, variables, root_readable and nested_readable and not prefetched_both


@pytest.mark.parametrize("viewer", VIEWERS)
def test_generated_pages_match(settings, tree, viewers, viewer):
    client = viewers[viewer]
    cursors = {pair: listing(viewers["superuser"], *pair) for pair in NESTED_PAIRS}

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(operations(cursors))
    def check(operation):
        query, variables, readable = operation
        same_answer(settings, client, query, variables)
        assert compiles(client, query, variables) is readable, (query, variables)

    check()
