"""The one place that decides which rows a user may see or act on.

Every GraphQL type's queryset hook and every mutation goes through `visible`, so root lists,
nested lists, node lookups, filters, counts and writes agree. Rules:
- anonymous or inactive: nothing; superuser: everything;
- a model-wide permission (`orders.view_order`) held by a staff user reaches every row of that
  model, and every row below that model in the hierarchy; non-staff users' model-wide grants
  count for nothing;
- an object grant (user or group) reaches the record and everything below it (`graph/`);
- directory and catalogue records (parties, products, facilities, assets, task templates) are
  readable by every signed-in user, because every document names them; changing them still
  needs a grant.
The filter is one `pk IN (… UNION …)` of semi-joins on the direct permission tables, decided per
user in Python first, so PostgreSQL can drive it from the grant rows instead of scanning the table.
"""

from typing import Literal

from django.apps import apps
from django.contrib.auth.models import Permission
from django.db.models import Model, QuerySet, Subquery

from graph import ancestor_paths

from .models import group_table, guarded, user_table

Action = Literal["view", "change", "delete", "add", "manage"]

READABLE_BY_MEMBERS = frozenset(
    {"parties.Party", "catalog.Product", "catalog.Facility", "catalog.Asset", "work.TaskTemplate"}
)


def is_member(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def codename(model: type[Model], action: Action) -> str:
    return f"{action}_{model._meta.model_name}"


def has_model_permission(user, model: type[Model], action: Action) -> bool:
    """A model-wide grant ("sees every order"): superusers, and staff with that permission.

    Model-wide permissions of non-staff users are ignored, so a stray global grant cannot open
    every row to a customer's login. Django caches the lookups per user object.
    """
    if user.is_superuser:
        return True
    return user.is_staff and user.has_perm(f"{model._meta.app_label}.{codename(model, action)}")


def permission_id(model: type[Model], action: Action) -> Subquery:
    """The permission's id as a subquery (evaluated once per statement, never stale)."""
    return Subquery(
        Permission.objects.filter(
            content_type__app_label=model._meta.app_label, codename=codename(model, action)
        ).values("pk")[:1]
    )


def granted(user, model: type[Model], action: Action) -> QuerySet:
    """Primary keys of `model` rows granted to the user directly or through a group."""
    perm = permission_id(model, action)
    direct = user_table(model).objects.filter(user=user, permission_id=perm).values("content_object_id")
    through_group = (
        group_table(model).objects.filter(group__user=user, permission_id=perm).values("content_object_id")
    )
    return direct.union(through_group, all=True)


def grant_paths(user, model: type[Model], action: Action) -> list[QuerySet]:
    """One `pk` subquery per way a grant can reach rows of `model`."""
    paths = [granted(user, model, action)]
    for ancestor_label, lookup in ancestor_paths(model):
        ancestor = apps.get_model(ancestor_label)
        if not guarded(ancestor):
            continue
        rows = model._default_manager.all()
        if has_model_permission(user, ancestor, action):
            paths.append(rows.filter(**{f"{lookup}__isnull": False}).values("pk"))
        else:
            paths.append(rows.filter(**{f"{lookup}__in": granted(user, ancestor, action)}).values("pk"))
    return paths


def visible(user, queryset: QuerySet, action: Action = "view") -> QuerySet:
    model = queryset.model
    if not is_member(user):
        return queryset.none()
    if has_model_permission(user, model, action):
        return queryset
    if action == "view" and model._meta.label in READABLE_BY_MEMBERS:
        return queryset
    first, *rest = grant_paths(user, model, action)
    return queryset.filter(pk__in=first.union(*rest, all=True) if rest else first)


def can(user, record: Model, action: Action) -> bool:
    return visible(user, type(record)._default_manager.filter(pk=record.pk), action).exists()
