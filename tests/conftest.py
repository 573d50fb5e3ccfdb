import json

import pytest
from django.db import connection
from django.test import Client

from .factories import Company


def pytest_configure(config):
    from django.conf import settings

    # Password hashing is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    # Tests run on PostgreSQL (the production database); `make test` provides one. The money flows
    # (marked `sqlite`) also run on the quick start's SQLite file, in a second run of `make test`.
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return
    if "sqlite" not in engine:
        raise pytest.UsageError(f"Tests need PostgreSQL (DATABASE_URL); got {engine}. Run `make test`.")
    selected = [item for item in items if item.get_closest_marker("sqlite")]
    config.hook.pytest_deselected(items=[item for item in items if item not in selected])
    items[:] = selected


class GraphQLClient:
    """Posts operations to /graphql/ through Django's full request stack."""

    def __init__(self, user=None, *, token: str | None = None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        if user is not None:
            self.client.force_login(user)

    def raw(self, query: str, variables: dict | None = None):
        return self.client.post(
            "/graphql/",
            json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **self.headers,
        )

    def execute(self, query: str, variables: dict | None = None) -> dict:
        response = self.raw(query, variables)
        assert response.status_code == 200, response.content
        return response.json()

    def data(self, query: str, variables: dict | None = None) -> dict:
        result = self.execute(query, variables)
        assert "errors" not in result, result["errors"]
        return result["data"]

    def mutate(self, name: str, input: dict, selection: str = "") -> dict:
        """Run `name(input: ...)` and return its payload (errors included)."""
        query = f"""mutation($input: {_input_type(name)}!) {{ {name}(input: $input) {{
            {selection} errors {{ kind code field message }} }} }}"""
        return self.data(query, {"input": input})[name]


def _input_type(name: str) -> str:
    if name.endswith("Delete"):
        return "DeleteInput"
    return name[0].upper() + name[1:] + "Input"


@pytest.fixture
def user(django_user_model):
    """A superuser: tests of behaviour other than access run with every permission."""
    return django_user_model.objects.create_superuser("admin", password="pw-admin-123")


@pytest.fixture
def gql(user) -> GraphQLClient:
    return GraphQLClient(user)


@pytest.fixture
def anonymous_gql() -> GraphQLClient:
    return GraphQLClient()


@pytest.fixture
def company(db) -> Company:
    return Company.create()


@pytest.fixture
def count_queries():
    from django.test.utils import CaptureQueriesContext

    def run(fn):
        with CaptureQueriesContext(connection) as ctx:
            result = fn()
        return result, ctx

    return run
