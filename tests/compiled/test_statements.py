"""A compiled read is one SQL statement, whatever the rows; what it cannot compile still answers."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.schema.test_nested_queries import build_tree

from .conftest import Viewer, compiles, same_answer
from .test_corpus import TREE_WITHOUT_UNION

pytestmark = pytest.mark.django_db

# The session and its user, then the one statement.
SESSION_QUERIES = 2


def statements(client, query: str) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.raw(query)
    assert response.status_code == 200
    return json.loads(response.content), [q["sql"] for q in captured.captured_queries]


def test_a_compiled_tree_is_one_statement_however_many_rows(settings, company, user):
    client = Viewer(user)
    build_tree(company, 1)
    _, small_sql = statements(client, TREE_WITHOUT_UNION)
    build_tree(company, 2)
    large, large_sql = statements(client, TREE_WITHOUT_UNION)
    assert len(small_sql) == len(large_sql) == SESSION_QUERIES + 1, "\n".join(large_sql)
    assert large_sql[-1].startswith("SELECT json_build_object(")
    assert large["data"]["projects"]["totalCount"] == 3
    assert large["extensions"] == {"cost": {"estimatedNodes": 35280, "limit": 50000}}
    same_answer(settings, client, TREE_WITHOUT_UNION)


def test_visibility_is_read_in_the_same_statement(settings, viewers, tree):
    client = viewers["project_group"]
    data, sql = statements(client, TREE_WITHOUT_UNION)
    assert len(sql) == SESSION_QUERIES + 1
    assert sql[-1].startswith("WITH ")
    assert [e["node"]["code"] for e in data["data"]["projects"]["edges"]] == [tree.projects[1].code]


def test_an_uncompilable_query_falls_back_and_answers(settings, viewers, tree):
    client = viewers["superuser"]
    query = "{ projects(first: 3) { edges { node { code allowedTransitions { verb } } } } }"
    assert not compiles(client, query)
    data = same_answer(settings, client, query)["data"]
    assert len(data["projects"]["edges"]) == 3
    assert data["projects"]["edges"][0]["node"]["allowedTransitions"]


def test_mutations_and_refusals_are_left_to_the_general_path(settings, viewers):
    client = viewers["superuser"]
    for query in (
        "mutation { sessionLogout { ok } }",
        "{ projects(first: 101) { totalCount } }",
        "{ projects { totalCount } }",
        "{ projects(first: 2) { nope } }",
        "{ __schema { queryType { name } } }",
        "{ projects(first: 2) {",
    ):
        assert not compiles(client, query)


def test_the_setting_turns_the_compiled_path_off(settings, viewers):
    client = viewers["superuser"]
    settings.GRAPHQL_COMPILED_READS = False
    _, sql = statements(client, "{ projects(first: 2) { totalCount } }")
    assert not sql[-1].startswith("SELECT json_build_object(")
