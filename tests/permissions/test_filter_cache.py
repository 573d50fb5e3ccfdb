"""The visibility filter is built once per (user, model, action) and reused across requests; the
grants themselves are read when the SQL runs, so a reused filter follows every grant and revoke."""

import pytest
from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm, remove_perm

from backend.work.models import Task
from permissions import visibility
from permissions.visibility import visible

pytestmark = pytest.mark.django_db


def test_a_reused_filter_follows_grants_revokes_and_group_membership(company, django_user_model):
    order = company.order()
    task = company.task(company.cost(company.job(order)))
    user = django_user_model.objects.create_user("ann", password="pw-123456")
    assert list(visible(user, Task.objects.all())) == []

    assign_perm("orders.view_order", user, order)
    assert list(visible(user, Task.objects.all())) == [task]

    remove_perm("orders.view_order", user, order)
    team = Group.objects.create(name="team")
    assign_perm("orders.view_order", team, order)
    assert list(visible(user, Task.objects.all())) == []
    team.user_set.add(user)
    assert list(visible(user, Task.objects.all())) == [task]


def test_the_filter_is_built_once_per_user_model_and_action(company, django_user_model, monkeypatch):
    built = []
    real_build = visibility._build_filter
    monkeypatch.setattr(visibility, "_build_filter", lambda *a: built.append(a[1:3]) or real_build(*a))
    ann = django_user_model.objects.create_user("ann", password="pw-123456")
    bob = django_user_model.objects.create_user("bob", password="pw-123456")
    for _ in range(3):
        list(visible(ann, Task.objects.all()))
        list(visible(ann, Task.objects.all(), "change"))
        list(visible(bob, Task.objects.all()))
    assert sorted(built) == [(Task, "change"), (Task, "view"), (Task, "view")]


def test_a_staff_users_model_wide_permission_changes_the_filter(company, django_user_model):
    """Model-wide decisions are taken in Python, so they are part of the cache key."""
    order = company.order()
    task = company.task(order)
    user = django_user_model.objects.create_user("ann", password="pw-123456", is_staff=True)
    assert list(visible(user, Task.objects.all())) == []
    assign_perm("orders.view_order", user)  # model-wide
    user = django_user_model.objects.get(pk=user.pk)  # Django caches permissions per user object
    assert list(visible(user, Task.objects.all())) == [task]
