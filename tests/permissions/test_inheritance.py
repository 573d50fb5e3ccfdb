"""Grants reach down every path of the hierarchy, including sub-jobs and attached tasks."""

import pytest
from guardian.shortcuts import assign_perm

from backend.work.models import Job
from permissions.visibility import visible

pytestmark = pytest.mark.django_db


def test_a_grant_on_a_job_reaches_its_sub_jobs_and_their_costs(company, django_user_model):
    order = company.order()
    top = company.job(order)
    middle = company.job(order, parent=top)
    bottom = company.job(order, parent=middle)
    sibling = company.job(order)
    cost = company.cost(bottom)
    user = django_user_model.objects.create_user("ann", password="pw-123456")
    assign_perm("work.view_job", user, top)
    assert set(visible(user, Job.objects.all())) == {top, middle, bottom}
    assert sibling not in visible(user, Job.objects.all())
    assert list(visible(user, type(cost).objects.all())) == [cost]


def test_tasks_follow_their_target(company, django_user_model):
    project = company.project()
    order = company.order(project)
    on_project, on_order, on_customer = (
        company.task(project),
        company.task(order),
        company.task(company.customer),
    )
    user = django_user_model.objects.create_user("ann", password="pw-123456")
    assign_perm("orders.view_order", user, order)
    tasks = visible(user, type(on_project).objects.all())
    assert list(tasks) == [on_order]
    assign_perm("parties.view_party", user, company.customer)
    assert set(visible(user, type(on_project).objects.all())) == {on_order, on_customer}
    assert on_project not in visible(user, type(on_project).objects.all())
