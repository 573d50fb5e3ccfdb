"""Pages of root and nested connections walked forwards (`first`/`after`) and backwards
(`last`/`before`), and cut by both ends, answered the same by the compiled path and the general path
for every viewer."""

import pytest
from strawberry.relay import to_base64

from schema.compiled.catalog import ROOT_CONNECTIONS, catalog
from tests.factories import gid

from .conftest import VIEWERS_WITH_ROWS, compiles, same_answer

pytestmark = pytest.mark.django_db

ARGUMENTS = "first: $first, last: $last, after: $after, before: $before"
VARIABLES = "$first: Int, $last: Int, $after: String, $before: String"
PAGE = (
    "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } }"
)
ROOT = f"query Page({VARIABLES}) {{ %s({ARGUMENTS}) {{ {PAGE} }} }}"
NESTED = f"query Page({VARIABLES}) {{ %s(first: 10) {{ edges {{ node {{ id %s({ARGUMENTS}) {{ {PAGE} }} }} }} }} }}"
NESTED_PAIRS = [
    (root, child)
    for root, type_name in ROOT_CONNECTIONS.items()
    for child in sorted(catalog()[type_name].children)
]


def pages(data: dict, root: str, child: str | None) -> list[dict]:
    """The connections of the response: the root one, or the nested one below each parent."""
    if child is None:
        return [data[root]]
    return [edge["node"][child] for edge in data[root]["edges"]]


def ask(settings, client, query: str, variables: dict) -> dict:
    assert compiles(client, query, variables), (query, variables)
    response = same_answer(settings, client, query, variables)
    assert "errors" not in response, response
    return response["data"]


def walk(settings, client, query, root, child, *, forwards: bool) -> list[list[dict]]:
    """Every page from one end to the other, two records a page (when nested, following the first
    parent with more to read); the connections of each step."""
    variables = {"first": 2} if forwards else {"last": 2}
    steps = []
    while True:
        connections = pages(ask(settings, client, query, variables), root, child)
        steps.append(connections)
        if forwards:
            more = [c["pageInfo"]["endCursor"] for c in connections if c["pageInfo"]["hasNextPage"]]
            if not more:
                return steps
            variables = {"first": 2, "after": more[0]}
        else:
            more = [c["pageInfo"]["startCursor"] for c in connections if c["pageInfo"]["hasPreviousPage"]]
            if not more:
                return steps
            variables = {"last": 2, "before": more[-1]}


def ids(connection: dict) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


def one_page_holds_all(steps: list[list[dict]]) -> bool:
    return all(c["totalCount"] <= 2 for c in steps[0])


# One test per viewer walks every connection: the fixture company is built once for all of them.


@pytest.mark.parametrize("viewer", VIEWERS_WITH_ROWS)
def test_root_pages_walked_both_ways(settings, tree, viewers, viewer):
    client = viewers[viewer]
    for root in sorted(ROOT_CONNECTIONS):
        query = ROOT % root
        forwards = walk(settings, client, query, root, None, forwards=True)
        backwards = walk(settings, client, query, root, None, forwards=False)
        assert [i for step in reversed(backwards) for i in ids(step[0])] == [
            i for step in forwards for i in ids(step[0])
        ], root
        assert len(forwards) == max(1, -(-forwards[0][0]["totalCount"] // 2)), root
        assert (len(backwards) == 1) is one_page_holds_all(backwards), root


@pytest.mark.parametrize("viewer", VIEWERS_WITH_ROWS)
def test_nested_pages_walked_both_ways(settings, tree, viewers, viewer):
    client = viewers[viewer]
    for root, child in NESTED_PAIRS:
        query = NESTED % (root, child)
        for forwards in (True, False):
            steps = walk(settings, client, query, root, child, forwards=forwards)
            assert (len(steps) == 1) is one_page_holds_all(steps), (root, child)


@pytest.mark.parametrize("viewer", VIEWERS_WITH_ROWS)
@pytest.mark.parametrize("root", ["orders", "jobs", "tasks"])
def test_root_pages_cut_at_both_ends(settings, tree, viewers, viewer, root):
    """`first` and `last` together, between two cursors, and sizes of zero."""
    client = viewers[viewer]
    query = ROOT % root
    everything = ask(settings, client, query, {"first": 100})[root]["edges"]
    cursors = [edge["cursor"] for edge in everything]
    middle = cursors[len(cursors) // 3 : len(cursors) // 3 + 2] if cursors else []
    for first, last in ((3, 2), (2, 3), (0, 1), (1, 0), (5, 5), (100, 1)):
        ask(settings, client, query, {"first": first, "last": last})
        for cursor in middle:
            ask(settings, client, query, {"first": first, "last": last, "after": cursor})
            ask(settings, client, query, {"first": first, "last": last, "before": cursor})
    if len(cursors) > 4:
        between = {"after": cursors[1], "before": cursors[-2]}
        for sizes in ({"first": 2}, {"last": 2}, {"first": 3, "last": 1}, {"last": 0}):
            data = ask(settings, client, query, {**sizes, **between})
            assert data[root]["totalCount"] == len(cursors)


@pytest.mark.parametrize("viewer", VIEWERS_WITH_ROWS)
def test_nested_pages_between_cursors_count_the_rows_between(settings, tree, viewers, viewer):
    """A nested page's totalCount counts only the rows between its cursors, as the general path's
    prefetched window does (a root page's counts every row)."""
    client = viewers[viewer]
    query = NESTED % ("orders", "jobs")
    listing = pages(ask(settings, client, query, {"first": 20}), "orders", "jobs")
    cursors = [edge["cursor"] for c in listing for edge in c["edges"]]
    for cursor in cursors[:: max(1, len(cursors) // 5)]:
        for sizes in ({"first": 1}, {"last": 1}, {"first": 0}, {"last": 5}):
            ask(settings, client, query, {**sizes, "after": cursor})
            ask(settings, client, query, {**sizes, "before": cursor})
        ask(settings, client, query, {"first": 2, "after": cursors[0], "before": cursor})
    if viewer == "superuser":
        after_first = pages(ask(settings, client, query, {"first": 5, "after": cursors[0]}), "orders", "jobs")
        assert [c["totalCount"] for c in after_first] != [c["totalCount"] for c in listing]


COUNT_ONLY = f"query Count({VARIABLES}) {{ orders(first: 10) {{ edges {{ node {{ jobs({ARGUMENTS}) {{ totalCount }} }} }} }} }}"
CURSORS_ONLY = (NESTED % ("orders", "jobs")).replace(
    "edges { cursor node { id } }", "edges { cursor node @skip(if: true) { id } }"
)
NODE = f"query One($id: ID!, {VARIABLES}) {{ node(id: $id) {{ ... on Order {{ jobs({ARGUMENTS}) {{ {PAGE} }} }} }} }}"
THROUGH_LINK = f"query Link({VARIABLES}) {{ jobCosts(first: 10) {{ edges {{ node {{ job {{ costs({ARGUMENTS}) {{ {PAGE} }} }} }} }} }} }}"
# Cursors: before the first job, after the second; pages of each size and direction.
AROUND = ({"first": 1}, {"last": 1}, {"first": 3, "last": 1}, {"last": 2, "first": 0})


def cursor_of(pk: int) -> str:
    return to_base64("orderedcursor", f'["{pk}"]')


@pytest.mark.parametrize("viewer", VIEWERS_WITH_ROWS)
def test_nested_pages_count_the_rows_between_their_cursors_when_their_nodes_are_selected(
    settings, tree, viewers, viewer
):
    """The general path prefetches a nested page whose nodes are selected, with its cursors applied,
    and counts that page's rows: without nodes, or below a `node` lookup or a link, the same rules."""
    client = viewers[viewer]
    second = tree.jobs[1].pk
    counts = {}
    for query in (NESTED % ("orders", "jobs"), COUNT_ONLY, CURSORS_ONLY, THROUGH_LINK):
        for sizes in AROUND:
            prefetched_both = query != COUNT_ONLY and query != CURSORS_ONLY and len(sizes) == 2
            for cursors in ({"after": cursor_of(second)}, {"before": cursor_of(second)}, {}):
                variables = {**sizes, **cursors}
                if prefetched_both:
                    assert not compiles(client, query, variables)
                    same_answer(settings, client, query, variables)
                    continue
                data = ask(settings, client, query, variables)
                if query != THROUGH_LINK:
                    counts[query, sizes.get("first"), tuple(cursors)] = pages(data, "orders", "jobs")
    for order in (tree.orders[0], tree.orders[1], tree.orders[-1]):
        for sizes in AROUND[:2]:
            for cursors in ({"after": cursor_of(second)}, {"before": cursor_of(second)}):
                ask(settings, client, NODE, {"id": gid("Order", order.pk), **sizes, **cursors})
    if viewer == "superuser":
        nested, count_only = NESTED % ("orders", "jobs"), COUNT_ONLY
        totals = {key: [c["totalCount"] for c in value] for key, value in counts.items()}
        assert totals[nested, 1, ("after",)] != totals[nested, 1, ()]
        assert totals[count_only, 1, ("after",)] == totals[count_only, 1, ()]


def test_one_relation_under_two_keys(settings, tree, viewers):
    """The general path prefetches a relation once: pages under two keys that move with cursors (or
    have such pages below them) are left to it; plain forward pages are compiled."""
    client = viewers["superuser"]
    after = cursor_of(tree.jobs[0].pk)
    fall_back = (
        f'{{ orders(first: 5) {{ edges {{ node {{ a: jobs(first: 5, after: "{after}") {{ totalCount }} '
        "b: jobs(last: 1) { totalCount edges { node { id } } } } } } }",
        f'{{ orders(first: 5) {{ edges {{ node {{ a: jobs(first: 5) {{ edges {{ node {{ costs(first: 1, after: "{after}") '
        "{ totalCount edges { node { id } } } } } } b: jobs(first: 1) { totalCount } } } } }",
    )
    for query in fall_back:
        assert not compiles(client, query)
        same_answer(settings, client, query)
    compiled = (
        "{ orders(first: 5) { edges { node { a: jobs(first: 1) { totalCount edges { node { id } } } "
        "b: jobs(first: 5) { totalCount edges { node { id } } } } } } }"
    )
    assert compiles(client, compiled)
    same_answer(settings, client, compiled)


def test_invalid_cursors_are_left_to_the_general_path(settings, viewers):
    client = viewers["superuser"]
    for query in (ROOT % "orders", NESTED % ("orders", "jobs")):
        for variables, error in (
            ({"first": 2, "before": "bad"}, True),
            ({"last": 2, "after": to_base64("orderedcursor", '["x"]')}, True),
            # A null in the cursor: no bound at all in the general path.
            ({"last": 2, "before": to_base64("orderedcursor", "[null]")}, False),
        ):
            assert not compiles(client, query, variables)
            assert ("errors" in same_answer(settings, client, query, variables)) is error


def test_nested_first_and_last_fall_back(settings, tree, viewers):
    """The general path numbers the rows kept by `first` across every parent prefetched together: the
    first parent's page takes them all, the others' are empty and count 0."""
    client = viewers["superuser"]
    query = NESTED % ("orders", "jobs")
    assert not compiles(client, query, {"first": 1, "last": 1})
    connections = pages(
        same_answer(settings, client, query, {"first": 1, "last": 1})["data"], "orders", "jobs"
    )
    assert [c["totalCount"] for c in connections[1:]] == [0] * (len(connections) - 1)
