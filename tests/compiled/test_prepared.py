"""A compiled statement run again on the same connection is prepared there, unless the setting says
not to; the answers stay the same either way."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import same_answer

pytestmark = pytest.mark.django_db

TREE = """{ projects(first: 5) { edges { node { code orders(first: 3) { edges { node { number
  jobs(first: 2) { edges { node { name } } } } } } } } } }"""


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize("viewer", ["superuser", "project_group"])
def test_a_repeated_read_is_prepared_on_its_second_run(settings, viewers, viewer):
    client = viewers[viewer]
    first = same_answer(settings, client, TREE)
    assert not [s for s in prepared_statements() if "json_build_object" in s]
    second = same_answer(settings, client, TREE)  # the compiled statement's second run: prepared
    [statement] = [s for s in prepared_statements() if "json_build_object" in s]
    assert "projects_project" in statement
    with CaptureQueriesContext(connection) as captured:
        assert same_answer(settings, client, TREE) == second == first  # and used from then on
    assert statement in [q["sql"] for q in captured.captured_queries]  # logged with its text


def test_the_setting_keeps_statements_unprepared(settings, viewers):
    settings.GRAPHQL_COMPILED_PREPARED = False
    client = viewers["superuser"]
    for _ in range(3):
        same_answer(settings, client, TREE)
    assert not [s for s in prepared_statements() if "json_build_object" in s]
