"""Documents and variables are cache keys of the compiled path, so long ones are left to the general
path, which answers them the same."""

import pytest

from schema.compiled.run import MAX_QUERY_LENGTH, MAX_VARIABLES_LENGTH

from .conftest import compiles, same_answer

pytestmark = pytest.mark.django_db

QUERY = "query Q($first: Int!) { projects(first: $first) { edges { node { code } } } }"


def test_a_long_document_is_answered_by_the_general_path(settings, viewers):
    client = viewers["superuser"]
    padded = QUERY + "\n" + "# " + "x" * MAX_QUERY_LENGTH
    assert compiles(client, QUERY, {"first": 2})
    assert not compiles(client, padded, {"first": 2})
    data = same_answer(settings, client, padded, {"first": 2})["data"]
    assert len(data["projects"]["edges"]) == 2


def test_long_variables_are_answered_by_the_general_path(settings, viewers):
    client = viewers["superuser"]
    short = {"first": 2, "unused": "x" * (MAX_VARIABLES_LENGTH - 40)}
    long = {"first": 2, "unused": "x" * MAX_VARIABLES_LENGTH}
    assert compiles(client, QUERY, short)
    assert not compiles(client, QUERY, long)
    assert same_answer(settings, client, QUERY, long)["data"]["projects"]["edges"]
