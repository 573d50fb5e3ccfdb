"""Random selections over the hierarchy (fields, nesting, page sizes, aliases, fragments), answered the
same by the compiled path and the general path for every viewer."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from schema.compiled.catalog import ROOT_CONNECTIONS, catalog

from .conftest import VIEWERS, compiles, same_answer

pytestmark = pytest.mark.django_db

EXAMPLES = 30
PAGE_INFO = ("hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "__typename")


def with_fixtures(examples: int):
    """Hypothesis settings for examples that share the test's database fixtures."""
    return hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def aliased(draw, name: str) -> str:
    return f"{name}{draw(st.integers(0, 2))}: {name}" if draw(st.booleans()) else name


@st.composite
def record(draw, type_name: str, depth: int, fragments: list[str]) -> str:
    info = catalog()[type_name]
    plain = ["id", "__typename", *info.scalars]
    parts = [aliased(draw, f) for f in draw(st.lists(st.sampled_from(plain), min_size=1, max_size=5))]
    for name in draw(st.lists(st.sampled_from(sorted(info.money)), max_size=2)) if info.money else ():
        money = draw(st.lists(st.sampled_from(["amount", "currency", "__typename"]), min_size=1, max_size=3))
        parts.append(f"{aliased(draw, name)} {{ {' '.join(money)} }}")
    if depth > 0 and info.to_one and draw(st.booleans()):
        name = draw(st.sampled_from(sorted(info.to_one)))
        inner = draw(record(info.to_one[name].target, depth - 1, fragments))
        parts.append(f"{aliased(draw, name)} {{ {inner} }}")
    if depth > 0 and info.children:
        for name in draw(st.lists(st.sampled_from(sorted(info.children)), max_size=2, unique=True)):
            parts.append(draw(connection(name, info.children[name].target, depth - 1, fragments)))
    if draw(st.booleans()):
        parts.append("... on Node { id }")
    wrap = draw(st.sampled_from(["plain", "inline", "untyped", "fragment"]))
    if wrap == "plain":
        return " ".join(parts)
    cut = draw(st.integers(0, len(parts)))
    head, tail = " ".join(parts[:cut]), " ".join(parts[cut:])
    if wrap == "fragment":
        name = f"F{len(fragments)}"
        fragments.append(f"fragment {name} on {type_name} {{ {tail or '__typename'} }}")
        return f"{head} ...{name}"
    condition = {"inline": f"on {type_name} ", "untyped": ""}[wrap]
    return f"{head} ... {condition}{{ {tail or 'id'} }}"


@st.composite
def connection(draw, name: str, type_name: str, depth: int, fragments: list[str], root=False) -> str:
    first = draw(st.integers(0, 3))
    after = ""
    if root and draw(st.integers(0, 3)) == 0:
        after = f', after: "{draw(st.sampled_from(["b3JkZXJlZGN1cnNvcjpbIjMiXQ==", "b3JkZXJlZGN1cnNvcjpbIjEwIl0="]))}"'
    parts = []
    if draw(st.booleans()):
        parts.append(aliased(draw, "totalCount"))
    if draw(st.booleans()):
        info = draw(st.lists(st.sampled_from(PAGE_INFO), min_size=1, max_size=5, unique=True))
        parts.append(f"pageInfo {{ {' '.join(info)} }}")
    if not parts or draw(st.booleans()):
        edge = ["cursor"] if draw(st.booleans()) else []
        edge.append(f"node {{ {draw(record(type_name, depth, fragments))} }}")
        parts.append(f"edges {{ {' '.join(edge)} }}")
    return f"{aliased(draw, name)}(first: {first}{after}) {{ {' '.join(parts)} }}"


@st.composite
def operations(draw) -> str:
    fragments: list[str] = []
    roots = draw(st.lists(st.sampled_from(sorted(ROOT_CONNECTIONS)), min_size=1, max_size=2, unique=True))
    depth = draw(st.integers(0, 3))
    fields = [draw(connection(root, ROOT_CONNECTIONS[root], depth, fragments, root=True)) for root in roots]
    return " ".join([f"query Generated {{ {' '.join(fields)} }}", *fragments])


def assert_generated_queries_match(settings, client, queries, examples: int) -> None:
    """`examples` queries drawn from `queries`, each answered the same by both paths, most compiled."""
    compiled = []

    @with_fixtures(examples)
    @given(queries)
    def check(query):
        same_answer(settings, client, query)
        compiled.append(compiles(client, query))

    check()
    # Aliases drawn twice for different fields make a few documents invalid: the general path answers them.
    assert sum(compiled) >= 0.8 * len(compiled)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_generated_selections_match(settings, tree, viewers, viewer):
    assert_generated_queries_match(settings, viewers[viewer], operations(), EXAMPLES)
