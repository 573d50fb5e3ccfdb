"""The public endpoint's limits over HTTP: each refused before anything runs, with a readable message."""

import json
import time

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from graphql.language import Lexer, Source, TokenKind

from backend.parties.models import Party
from tests.conftest import GraphQLClient

pytestmark = pytest.mark.django_db

PROJECT_TABLE = '"projects_project"'
PROJECTS = "projects(first: 1) { totalCount }"


def messages(result: dict) -> list[str]:
    return [error["message"] for error in result.get("errors", [])]


def post(client: Client, body, **headers):
    return client.post("/graphql/", json.dumps(body), content_type="application/json", **headers)


def statements(gql, query: str, variables: dict | None = None):
    """The result and the SQL the request ran (the session and the user included)."""
    with CaptureQueriesContext(connection) as ctx:
        result = gql.execute(query, variables)
    return result, [q["sql"] for q in ctx.captured_queries]


def assert_refused_before_running(gql, query: str, expected: list[str], variables=None) -> dict:
    """The operation is refused with `expected`, and ran no more SQL than `{ __typename }` does
    through the general path (the session and the user)."""
    with override_settings(GRAPHQL_COMPILED_READS=False):
        _, baseline = statements(gql, "{ __typename }")
    result, sql = statements(gql, query, variables)
    assert result["data"] is None
    assert messages(result) == expected
    assert len(sql) == len(baseline), sql
    assert not any(PROJECT_TABLE in statement for statement in sql), sql
    return result


def cost(result: dict) -> dict:
    return result["extensions"]["cost"]


# Estimated nodes


NESTED = """query Nested($jobs: Int = 5) {
  projects(first: 3) { edges { node { ...Orders } } }
  orders(last: 2) { edges { node { number } } }
}
fragment Orders on Project {
  orders(first: 4) { edges { node { ... on Order { jobs(first: $jobs) { totalCount } } } } }
}"""


def test_the_estimate_is_the_sum_of_page_products_and_is_reported(gql):
    # projects 3, their orders 3 × 4, the orders' jobs 3 × 4 × 5, and the root orders 2
    result = gql.execute(NESTED)
    assert "errors" not in result
    assert cost(result) == {"estimatedNodes": 3 + 12 + 60 + 2, "limit": 50_000}


def test_the_estimate_follows_variables_over_their_defaults(gql):
    result = gql.execute(NESTED, {"jobs": 10})
    assert cost(result) == {"estimatedNodes": 3 + 12 + 120 + 2, "limit": 50_000}


def test_an_estimate_at_the_limit_passes(gql):
    with override_settings(GRAPHQL_MAX_ESTIMATED_NODES=77):
        result = gql.execute(NESTED)
    assert "errors" not in result
    assert cost(result) == {"estimatedNodes": 77, "limit": 77}


def test_an_estimate_over_the_limit_is_refused_before_running(gql):
    with override_settings(GRAPHQL_MAX_ESTIMATED_NODES=76):
        result = assert_refused_before_running(
            gql,
            NESTED,
            [
                "This query may return 77 records (the product of the page sizes down each path of "
                "connections), more than the limit of 76. Ask for smaller pages or fewer nested connections."
            ],
        )
    assert result["errors"][0]["extensions"] == {"code": "QUERY_TOO_COSTLY"}
    assert cost(result) == {"estimatedNodes": 77, "limit": 76}


def test_the_default_estimate_limit_refuses_deep_full_pages(gql):
    deep = "{ projects(first: 100) { edges { node { orders(first: 100) { edges { node { jobs(first: %d) { totalCount } } } } } } } }"
    assert cost(gql.execute(deep % 3)) == {"estimatedNodes": 100 + 10_000 + 30_000, "limit": 50_000}
    result = gql.execute(deep % 4)
    assert result["data"] is None
    assert messages(result)[0].startswith("This query may return 50100 records")
    assert cost(result) == {"estimatedNodes": 50_100, "limit": 50_000}


def test_the_cost_is_reported_on_refusals_and_mutations(gql):
    page = gql.execute("{ orders(first: 101) { totalCount } }")
    assert messages(page) == ["`orders(first: 101)`: a page holds 0 to 100 records."]
    assert cost(page) == {"estimatedNodes": 101, "limit": 50_000}

    mutation = gql.execute('mutation { partyCreate(input: {kind: PERSON, name: "Ann"}) { errors { code } } }')
    assert mutation["data"] == {"partyCreate": {"errors": []}}
    assert cost(mutation) == {"estimatedNodes": 0, "limit": 50_000}


def test_a_variable_of_the_wrong_type_is_left_to_graphql(gql):
    result = gql.execute("query($n: Int) { orders(first: $n) { totalCount } }", {"n": "ten"})
    assert messages(result) == [
        "Variable '$n' has invalid value: Int cannot represent non-integer value: 'ten'"
    ]


# Page size (more in test_connections)


def test_the_page_size_limit_comes_from_the_settings(gql):
    with override_settings(GRAPHQL_MAX_PAGE_SIZE=3):
        assert "errors" not in gql.execute("{ projects(first: 3) { totalCount } }")
        assert_refused_before_running(
            gql,
            "{ projects(first: 4) { totalCount } }",
            ["`projects(first: 4)`: a page holds 0 to 3 records."],
        )


# Mutations per document


def party_mutations(count: int) -> str:
    """`count` partyCreate mutations, the second half through a fragment (which counts the same)."""
    fields = [
        f'p{i}: partyCreate(input: {{kind: PERSON, name: "Person {i}"}}) {{ errors {{ code }} }}'
        for i in range(count)
    ]
    first, rest = " ".join(fields[: count // 2]), " ".join(fields[count // 2 :])
    return f"mutation {{ {first} ...More }} fragment More on Mutation {{ {rest} }}"


def test_ten_mutations_run(gql):
    before = Party.objects.count()
    result = gql.execute(party_mutations(10))
    assert "errors" not in result, result
    assert Party.objects.count() == before + 10


def test_eleven_mutations_are_refused_and_nothing_is_written(gql):
    before = Party.objects.count()
    result = gql.execute(party_mutations(11))
    assert result["data"] is None
    assert messages(result) == ["11 mutations in one request; at most 10 are allowed."]
    assert result["errors"][0]["extensions"] == {"code": "TOO_MANY_MUTATIONS"}
    assert Party.objects.count() == before


def test_the_mutation_limit_comes_from_the_settings(gql):
    with override_settings(GRAPHQL_MAX_MUTATIONS=2):
        result = gql.execute(party_mutations(3))
    assert messages(result) == ["3 mutations in one request; at most 2 are allowed."]


# Input lists


def test_input_lists_up_to_the_limit_pass_and_longer_ones_write_nothing(gql):
    create = """mutation($roles: [PartyRole!]!) {
      partyCreate(input: {kind: PERSON, name: "Ann", roles: $roles}) { party { roles } errors { code field message } }
    }"""
    with override_settings(GRAPHQL_MAX_INPUT_ITEMS=2):
        ok = gql.data(create, {"roles": ["CUSTOMER", "SUPPLIER"]})["partyCreate"]
        before = Party.objects.count()
        refused = gql.data(create, {"roles": ["CUSTOMER", "SUPPLIER", "CARRIER"]})["partyCreate"]
    assert ok["errors"] == [] and sorted(ok["party"]["roles"]) == ["CUSTOMER", "SUPPLIER"]
    assert refused == {
        "party": None,
        "errors": [
            {"code": "TOO_MANY_ITEMS", "field": "roles", "message": "At most 2 items in one request."}
        ],
    }
    assert Party.objects.count() == before


# Depth, aliases and tokens


def depth_query(leaf: str) -> str:
    """`{ orders ... }` four levels of `project { orders { edges { node` deep, ending in `leaf`."""
    query = leaf
    for _ in range(4):
        query = f"project {{ orders(first: 1) {{ edges {{ node {{ {query} }} }} }} }}"
    return "{ orders(first: 1) { edges { node { " + query + " } } } " + PROJECTS + " }"


def test_a_query_twenty_deep_passes(gql):
    assert "errors" not in gql.execute(depth_query("project { code }"))


def test_a_query_twenty_one_deep_is_refused_before_running(gql):
    result = assert_refused_before_running(
        gql,
        depth_query("project { customer { name } }"),
        ["'anonymous' exceeds maximum operation depth of 20"],
    )
    # Refused by validation, it still reports its estimate: five `orders(first: 1)` and `projects`.
    assert cost(result) == {"estimatedNodes": 6, "limit": 50_000}


def test_a_syntax_error_has_no_estimate(gql):
    assert "extensions" not in gql.execute("{ orders(first: 1) { totalCount }")


def aliases(count: int) -> str:
    return "{ " + " ".join(f"a{i}: {PROJECTS}" for i in range(count)) + " }"


def test_a_hundred_aliases_pass(gql):
    assert len(gql.data(aliases(100))) == 100


def test_a_hundred_and_one_aliases_are_refused_before_running(gql):
    assert_refused_before_running(gql, aliases(101), ["101 aliases found. Allowed: 100"])


def token_count(document: str) -> int:
    lexer, count = Lexer(Source(document)), 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


def tokens(count: int) -> str:
    """A document of `count` tokens: a variable's default list is padded (the request sends `[]`)."""
    head = "query($ids: [ID!]! = ["
    tail = "]) { nodes(ids: $ids) { id } " + PROJECTS + " }"
    document = head + ' "x"' * (count - token_count(head + tail)) + tail
    assert token_count(document) == count
    return document


def test_fifteen_thousand_tokens_pass(gql):
    assert gql.data(tokens(15_000), {"ids": []}) == {"nodes": [], "projects": {"totalCount": 0}}


def test_more_tokens_are_refused_before_running(gql):
    assert_refused_before_running(
        gql,
        tokens(15_001),
        ["Syntax Error: Document contains more than 15000 tokens. Parsing aborted."],
        {"ids": []},
    )


def spread_bomb(levels: int, leaf: str) -> str:
    """`{ ...F0 }` where each fragment spreads the next twice: `leaf` stands 2**levels times."""
    fragments = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return "{ ...F0 } " + fragments + f" fragment F{levels} on Query {{ {leaf} }}"


def test_fragments_spread_over_and_over_are_counted_without_walking_each_spread(gql):
    started = time.monotonic()
    aliased = gql.execute(spread_bomb(40, "a: " + PROJECTS))
    costly = gql.execute(spread_bomb(40, PROJECTS))
    assert time.monotonic() - started < 10
    assert messages(aliased) == [f"{2**40} aliases found. Allowed: 100"]
    assert messages(costly)[0].startswith(f"This query may return {2**40} records")


def test_depth_is_counted_through_fragments(gql):
    deep = depth_query("...Leaf") + " fragment Leaf on Order { project { customer { name } } }"
    assert messages(gql.execute(deep)) == ["'anonymous' exceeds maximum operation depth of 20"]
    with override_settings(GRAPHQL_MAX_DEPTH=21):
        assert "errors" not in gql.execute(deep)


# The request body


def padded(size: int) -> str:
    """A JSON body of exactly `size` bytes (the padding is a variable the operation does not use)."""
    body = {"query": "{ __typename }", "variables": {"pad": ""}}
    pad = size - len(json.dumps(body))
    body["variables"]["pad"] = "x" * pad
    text = json.dumps(body)
    assert len(text) == size
    return text


def test_a_body_of_two_megabytes_passes(user):
    client = Client()
    client.force_login(user)
    response = client.post("/graphql/", padded(2 * 1024 * 1024), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["data"] == {"__typename": "Query"}


def test_a_larger_body_is_refused_with_413_in_graphql_shape(user):
    client = Client()
    client.force_login(user)
    response = client.post("/graphql/", padded(2 * 1024 * 1024 + 1), content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "errors": [
            {
                "message": "The request body is larger than 2097152 bytes.",
                "extensions": {"code": "REQUEST_TOO_LARGE"},
            }
        ]
    }


# Batching


def test_a_batch_is_refused(gql):
    response = post(gql.client, [{"query": "{ __typename }"}, {"query": "{ __typename }"}])
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": "Batching is not enabled: send one operation per request, not a list.",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ]
    }


# Introspection


SCHEMA = "{ __schema { queryType { name } } }"
TYPE = '{ __type(name: "Order") { name } }'


def test_anonymous_callers_get_no_introspection(anonymous_gql):
    assert messages(anonymous_gql.execute(SCHEMA)) == [
        "Introspection is disabled for anonymous callers: sign in to query `__schema`."
    ]
    assert messages(anonymous_gql.execute(TYPE)) == [
        "Introspection is disabled for anonymous callers: sign in to query `__type`."
    ]


def test_anonymous_callers_get_no_field_name_suggestions(anonymous_gql, gql):
    typo = "{ ordrs(first: 1) { totalCount } }"
    assert messages(anonymous_gql.execute(typo)) == ["Cannot query field 'ordrs' on type 'Query'."]
    assert messages(gql.execute(typo)) == [
        "Cannot query field 'ordrs' on type 'Query'. Did you mean 'orders' or 'nodes'?"
    ]


def test_anonymous_callers_keep_typename(anonymous_gql):
    assert anonymous_gql.data("{ __typename }") == {"__typename": "Query"}


def test_signed_in_users_keep_introspection(gql, django_user_model):
    assert gql.data(SCHEMA) == {"__schema": {"queryType": {"name": "Query"}}}
    plain = GraphQLClient(django_user_model.objects.create_user("plain", password="pw-plain-123"))
    assert plain.data(TYPE) == {"__type": {"name": "Order"}}


def test_introspection_for_anonymous_callers_can_be_switched_on(anonymous_gql):
    with override_settings(GRAPHQL_INTROSPECTION_FOR_ANONYMOUS=True):
        assert anonymous_gql.data(SCHEMA) == {"__schema": {"queryType": {"name": "Query"}}}


# List arguments


def test_list_arguments_over_the_limit_are_refused_before_they_reach_the_database(gql, settings):
    settings.GRAPHQL_MAX_INPUT_ITEMS = 3
    ids = ["T3JkZXI6MQ=="] * 4
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
    refused = gql.execute(query, {"ids": ids})
    assert refused["errors"] == [
        {
            "message": "At most 3 items in one list argument (variable $ids has 4).",
            "extensions": {"code": "INPUT_LIST_TOO_LONG"},
        }
    ]
    nested = gql.execute(
        "query($f: OrderFilter) { orders(first: 1, filters: $f) { totalCount } }",
        {"f": {"AND": [{"number": {"inList": ["a", "b", "c", "d"]}}]}},
    )
    assert messages(nested) == [
        "At most 3 items in one list argument (variable $f.AND.0.number.inList has 4)."
    ]
    literal = gql.execute(
        '{ orders(first: 1, filters: {number: {inList: ["a", "b", "c", "d"]}}) { totalCount } }'
    )
    assert messages(literal) == ["At most 3 items in one list argument (a list in the document has 4)."]
    assert gql.data(query, {"ids": ids[:3]}) == {"nodes": [None, None, None]}


def test_root_lookups_weigh_in_the_estimate(gql):
    one = "T3JkZXI6MQ=="
    aliases = " ".join(f'n{i}: node(id: "{one}") {{ id }}' for i in range(7))
    assert gql.execute("{ " + aliases + " }")["extensions"]["cost"]["estimatedNodes"] == 7
    nodes = gql.execute("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [one] * 5})
    assert nodes["extensions"]["cost"]["estimatedNodes"] == 5
    nested = '{ node(id: "' + one + '") { ... on Order { jobs(first: 10) { totalCount } } } }'
    assert gql.execute(nested)["extensions"]["cost"]["estimatedNodes"] == 11
