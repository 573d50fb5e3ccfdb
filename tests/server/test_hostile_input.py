"""Hostile input gets a typed answer: never HTTP 500, an HTML page or `Unexpected error.`, and a
refused mutation writes nothing."""

import base64
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backend.accounts.models import ApiToken
from backend.parties.models import Party
from backend.projects.models import Project
from backend.work.models import JobCost
from tests.conftest import GraphQLClient
from tests.factories import gid

pytestmark = pytest.mark.django_db

ORDERS = "query($f: OrderFilter) { orders(first: 5, filters: $f) { totalCount } }"


def post_raw(client: Client, body: bytes):
    return client.post("/graphql/", body, content_type="application/json")


def deep(levels: int) -> str:
    """A GraphQL filter literal `{NOT: {NOT: ... {}}}` nested `levels` deep."""
    return "{NOT: " * levels + "{}" + "}" * levels


def deep_json(levels: int) -> str:
    return '{"NOT": ' * levels + "{}" + "}" * levels


def nested_json(levels: int) -> str:
    return "[" * levels + "]" * levels


BODIES = {
    "string": b'"x"',
    "null": b"null",
    "number": b"42",
    "not utf-8": b'{"query": "{ viewer { username } }", "x": "\xff\xfe"}',
    "invalid json": b'{"query": ',
    "variables not an object": b'{"query": "{ viewer { username } }", "variables": [1]}',
    "query not a string": b'{"query": 42}',
    "empty batch": b"[]",
}


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_a_body_that_is_no_graphql_request_is_400_json(user, body):
    client = Client()
    client.force_login(user)
    response = post_raw(client, body)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


DEEP_BODIES = {
    "variables 100,000 deep": f'{{"query": "{{ __typename }}", "variables": {{"v": {nested_json(100_000)}}}}}',
    "NOT filter 3,000 deep in the document": json.dumps(
        {"query": "{ orders(first: 1, filters: " + deep(3000) + ") { totalCount } }"}
    ),
    "NOT filter 3,000 deep in variables": f'{{"query": {json.dumps(ORDERS)}, "variables": {{"f": {deep_json(3000)}}}}}',
}


@pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
def test_deep_nesting_is_refused_before_parsing(user, body):
    client = Client()
    client.force_login(user)
    response = post_raw(client, body.encode())
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "INPUT_TOO_DEEP"


def test_nesting_just_over_the_limit_is_refused_and_just_under_passes(gql):
    # 31 NOTs and the innermost {}: 32 levels of input objects, the limit.
    assert gql.data(ORDERS, {"f": json.loads(deep_json(31))})["orders"]["totalCount"] == 0
    over = gql.raw(ORDERS, {"f": json.loads(deep_json(32))})
    assert over.status_code == 400
    assert over.json()["errors"][0]["extensions"]["code"] == "INPUT_TOO_DEEP"
    literal = "{ orders(first: 1, filters: %s) { totalCount } }"
    assert gql.data(literal % deep(31))["orders"]["totalCount"] == 0
    error = gql.execute(literal % deep(32))["errors"][0]
    assert error["extensions"] == {"code": "INPUT_TOO_DEEP", "argument": "orders.filters" + ".NOT" * 32}


def test_get_with_deep_variables_is_refused(user):
    client = Client()
    client.force_login(user)
    response = client.get("/graphql/", {"query": ORDERS, "variables": f'{{"f": {deep_json(100)}}}'})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "INPUT_TOO_DEEP"


@pytest.mark.parametrize("variables", ["42", '"x"', "[1]", "{oops"])
def test_get_with_variables_that_are_no_object_is_400_json(user, variables):
    client = Client()
    client.force_login(user)
    response = client.get("/graphql/", {"query": "{ viewer { username } }", "variables": variables})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


READS = {
    "NUL in a filter variable": (ORDERS, {"f": {"name": {"exact": "a\x00b"}}}, "$f.name.exact"),
    "lone surrogate in a filter variable": (
        ORDERS,
        {"f": {"name": {"contains": "\ud800"}}},
        "$f.name.contains",
    ),
    "NUL in a filter literal": (
        '{ orders(first: 1, filters: {name: {exact: "a\\u0000"}}) { totalCount } }',
        None,
        "orders.filters.name.exact",
    ),
    "NUL in a node id": ("query($id: ID!) { node(id: $id) { id } }", {"id": "T3JkZXI6MQ==\x00"}, "$id"),
    "NUL in nodes ids": ("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ["a\x00"]}, "$ids.0"),
    "NaN in a filter": (ORDERS, {"f": {"marginPercent": {"lt": "NaN"}}}, "$f.marginPercent.lt"),
    "Infinity in a filter": (ORDERS, {"f": {"total": {"gt": "-Infinity"}}}, "$f.total.gt"),
    "1E+30 in a filter literal": (
        '{ orders(first: 1, filters: {total: {gt: "1E+30"}}) { totalCount } }',
        None,
        "orders.filters.total.gt",
    ),
    "invalid regex": (ORDERS, {"f": {"name": {"regex": "("}}}, "$f.name.regex"),
    "invalid iRegex literal": (
        '{ orders(first: 1, filters: {number: {iRegex: "[a-"}}) { totalCount } }',
        None,
        "orders.filters.number.iRegex",
    ),
    "garbage cursor": ('{ orders(first: 1, after: "garbage") { totalCount } }', None, "orders.after"),
    "garbage cursor variable": (
        "query($c: String) { orders(first: 1, after: $c) { totalCount } }",
        {"c": "Z2FyYmFnZQ=="},
        "$c",
    ),
    "NUL in a cursor": (
        "query($c: String) { orders(first: 1, after: $c) { totalCount } }",
        {"c": "\x00"},
        "$c",
    ),
}


@pytest.mark.parametrize("query,variables,argument", READS.values(), ids=READS.keys())
def test_hostile_arguments_of_reads_are_typed_errors_naming_them(gql, query, variables, argument):
    errors = gql.execute(query, variables)["errors"]
    assert [e["extensions"] for e in errors] == [{"code": "INVALID_INPUT", "argument": argument}]
    assert argument in errors[0]["message"]


HOSTILE_DECIMALS = ["NaN", "Infinity", "-Infinity", "sNaN", "1e30", "1E+26", "1" * 30, "0.0000001"]


@pytest.mark.parametrize("amount", HOSTILE_DECIMALS)
def test_hostile_decimals_in_mutations_are_refused_and_write_nothing(gql, company, amount):
    job = company.job(company.order())
    mutation = """mutation($input: JobCostCreateInput!) { jobCostCreate(input: $input) {
        jobCost { id } errors { code } } }"""
    result = gql.execute(
        mutation, {"input": {"jobId": gid("Job", job.pk), "kind": "MATERIAL", "unitCost": amount}}
    )
    assert result["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "argument": "$input.unitCost"}
    assert result["data"] is None
    assert not JobCost.objects.exists()


def test_a_budget_beyond_the_columns_is_refused(gql, company):
    customer, internal = gid("Party", company.customer.pk), gid("Party", company.internal.pk)
    mutation = f"""mutation {{ projectCreate(input: {{code: "X", name: "X", customerId: "{customer}",
        internalOrgId: "{internal}", budget: "1E+26"}}) {{ project {{ id }} }} }}"""
    errors = gql.execute(mutation)["errors"]
    assert errors[0]["extensions"] == {"code": "INVALID_INPUT", "argument": "projectCreate.input.budget"}
    assert not Project.objects.exists()


def test_the_largest_accepted_decimal_passes(gql, company):
    job = company.job(company.order())
    payload = gql.mutate(
        "jobCostCreate",
        {"jobId": gid("Job", job.pk), "kind": "MATERIAL", "unitCost": "999999999999.99999"},
        "jobCost { id }",
    )
    assert payload["errors"] == []


@pytest.mark.parametrize("name", ["a\x00b", "\udfff"])
def test_bad_strings_in_mutation_input_write_nothing(gql, name):
    before = Party.objects.count()
    mutation = "mutation($input: PartyCreateInput!) { partyCreate(input: $input) { party { id } } }"
    result = gql.execute(mutation, {"input": {"kind": "ORGANIZATION", "name": name}})
    assert result["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "argument": "$input.name"}
    assert Party.objects.count() == before


def test_a_token_expiry_more_than_a_year_ahead_is_refused(user):
    gql = GraphQLClient(user)
    far = "9999-12-31T23:59:59-14:00"
    payload = gql.mutate("apiTokenCreate", {"name": "far", "expiresAt": far}, "token")
    assert payload["errors"] == [
        {
            "kind": "VALIDATION",
            "code": "EXPIRY_TOO_FAR",
            "field": "expiresAt",
            "message": "The expiry may be at most 365 days ahead.",
        }
    ]
    assert not ApiToken.objects.exists()
    soon = (timezone.now() + timedelta(days=364)).isoformat()
    assert gql.mutate("apiTokenCreate", {"name": "soon", "expiresAt": soon}, "token")["errors"] == []


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


MALFORMED_IDS = {
    "extra part": lambda pk: b64(f"Order:{pk}:1"),
    "decimal": lambda pk: b64(f"Order:{pk}.5"),
    "exponent": lambda pk: b64(f"Order:{pk}e0"),
    "leading zero": lambda pk: b64(f"Order:00{pk}"),
    "plus sign": lambda pk: b64(f"Order:+{pk}"),
    "trailing space": lambda pk: b64(f"Order:{pk} "),
    "arabic-indic digits": lambda pk: b64("Order:" + "".join(chr(0x660 + int(d)) for d in str(pk))),
    "unknown type": lambda pk: b64(f"Nothing:{pk}"),
    "beyond bigint": lambda pk: b64("Order:99999999999999999999"),
}
NODE = "query($id: ID!) { node(id: $id) { id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"


@pytest.mark.parametrize("spell", MALFORMED_IDS.values(), ids=MALFORMED_IDS.keys())
def test_malformed_ids_read_as_missing_and_are_invalid_in_mutations(gql, company, spell):
    order = company.order()
    wrong = spell(order.pk)
    missing = gql.execute(NODE, {"id": gid("Order", 10**9)})
    assert gql.execute(NODE, {"id": wrong}) == missing == {"data": {"node": None}, **extensions(missing)}
    assert gql.data(NODES, {"ids": [wrong, gid("Order", order.pk)]})["nodes"] == [
        None,
        {"id": gid("Order", order.pk)},
    ]
    payload = gql.mutate("jobCreate", {"orderId": wrong, "name": "J"}, "job { id }")
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("orderId", "INVALID_ID")]
    assert not order.jobs.exists()


@pytest.mark.parametrize("wrong", ["Order:1", b64("Order:1").rstrip("=")], ids=["not base64", "unpadded"])
def test_ids_that_are_no_base64_are_refused_readably(gql, company, wrong):
    # strawberry decodes the argument before any resolver runs: null with a readable error.
    result = gql.execute(NODE, {"id": wrong})
    assert result["data"] == {"node": None}
    assert result["errors"][0]["message"] == f'Value cannot represent a GlobalID: "{wrong}".'
    payload = gql.mutate("jobCreate", {"orderId": wrong, "name": "J"}, "job { id }")
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("orderId", "INVALID_ID")]


def extensions(result: dict) -> dict:
    return {"extensions": result["extensions"]} if "extensions" in result else {}


def test_the_canonical_id_finds_the_record(gql, company):
    order = company.order()
    assert gql.data(NODE, {"id": gid("Order", order.pk)})["node"] == {"id": gid("Order", order.pk)}


def test_an_id_filter_refuses_an_id_of_another_type(gql, company):
    project = company.project()
    order = company.order(project)
    result = gql.execute(ORDERS, {"f": {"id": {"exact": gid("Project", project.pk)}}})
    assert result["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "argument": "$f.id.exact"}
    literal = '{ orders(first: 1, filters: {project: {id: {inList: ["%s"]}}}) { totalCount } }'
    error = gql.execute(literal % gid("Order", order.pk))["errors"][0]
    assert error["extensions"] == {"code": "INVALID_INPUT", "argument": "orders.filters.project.id.inList.0"}
    assert gql.data(ORDERS, {"f": {"id": {"exact": gid("Order", order.pk)}}})["orders"]["totalCount"] == 1
