import pytest
from django.contrib.auth import get_user_model
from guardian.shortcuts import assign_perm

from tests.conftest import GraphQLClient

from .data import build_books


@pytest.fixture
def books(company):
    return build_books(company)


@pytest.fixture
def viewer(books):
    """A user who may see the BOOKS project (and what is below it), not the HIDDEN one."""
    user = get_user_model().objects.create_user("viewer", password="pw-viewer-123")
    assign_perm("projects.view_project", user, books.project)
    return GraphQLClient(user)
