from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, Permission
from guardian.shortcuts import assign_perm

from backend.accounts.services import create_token

from ..conftest import GraphQLClient


@dataclass
class Branch:
    """One project with one record at every level below it."""

    project: object
    order: object
    job: object
    cost: object
    task: object
    entry: object
    time_cost: object
    shipment: object


def build_branch(company) -> Branch:
    project = company.project()
    order = company.order(project)
    job = company.job(order)
    cost = company.cost(job)
    task = company.task(cost)
    entry = company.time(task)
    shipment = company.shipment(order, ship_task=task)
    return Branch(project, order, job, cost, task, entry, entry.job_cost, shipment)


@pytest.fixture
def world(company):
    """Two branches: A is shared in various ways, B with nobody."""
    return {"A": build_branch(company), "B": build_branch(company)}


@pytest.fixture
def make_client(django_user_model):
    def make(kind: str, world) -> GraphQLClient:
        if kind == "anonymous":
            return GraphQLClient()
        if kind == "superuser":
            return GraphQLClient(django_user_model.objects.create_superuser("root", password="pw-root-123"))
        user = django_user_model.objects.create_user(kind, password="pw-user-123")
        branch = world["A"]
        if kind == "direct_order":
            assign_perm("orders.view_order", user, branch.order)
        elif kind == "group_project":
            team = Group.objects.create(name="team")
            team.user_set.add(user)
            assign_perm("projects.view_project", team, branch.project)
        elif kind == "ancestor_project":
            assign_perm("projects.view_project", user, branch.project)
        elif kind == "bearer_token":
            assign_perm("projects.view_project", user, branch.project)
            return GraphQLClient(token=create_token(user=user, name="dashboard")[1])
        elif kind == "direct_job":
            assign_perm("work.view_job", user, branch.job)
        elif kind == "model_wide_orders":
            user.is_staff = True
            user.save()
            user.user_permissions.add(Permission.objects.get(codename="view_order"))
        elif kind == "model_wide_not_staff":
            user.user_permissions.add(Permission.objects.get(codename="view_order"))
        return GraphQLClient(user)

    return make
