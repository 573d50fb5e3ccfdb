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
The filter is one `pk = ANY(ARRAY(… UNION …))` over the direct permission tables, decided per user
in Python first and walked down the hierarchy one link at a time, so PostgreSQL drives it from the
grant rows through index probes instead of scanning the table (EXPLAIN: `manage.py permissions_scale`).
"""

from typing import Literal

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import F, Lookup, Model, Q, QuerySet, Subquery

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


class AnyOf(Lookup):
    """`lhs = ANY(rhs)`: with an `ARRAY(subquery)` on the right, PostgreSQL runs the subquery once
    (an InitPlan) and probes the column's index with the ids it returns, whatever it estimates."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, conn):
        lhs, lhs_params = self.process_lhs(compiler, conn)
        rhs, rhs_params = self.process_rhs(compiler, conn)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def any_of(column: str, ids: QuerySet):
    if connection.vendor == "postgresql":
        return AnyOf(F(column), ArraySubquery(ids))
    return Q(**{f"{column}__in": ids})  # the embedded SQLite quick-start server


def down_path(model: type[Model], lookup: str, ancestor_ids: QuerySet) -> QuerySet:
    """Rows of `model` below the given ancestors, one link at a time (`task.job_id = ANY(ARRAY(
    SELECT id FROM work_job WHERE order_id = ANY(ARRAY(<granted orders>))))`), so every link is an
    index probe with the ids found so far instead of a join the planner may misjudge."""
    fields = lookup.split("__")
    models = [model]
    for name in fields[:-1]:
        models.append(models[-1]._meta.get_field(name).related_model)
    ids = ancestor_ids
    for hop_model, name in reversed(list(zip(models, fields, strict=True))):
        ids = hop_model._default_manager.filter(any_of(name, ids)).order_by().values("pk")
    return ids


def visible(user, queryset: QuerySet, action: Action = "view") -> QuerySet:
    model = queryset.model
    if not is_member(user):
        return queryset.none()
    if has_model_permission(user, model, action):
        return queryset
    if action == "view" and model._meta.label in READABLE_BY_MEMBERS:
        return queryset
    paths = [granted(user, model, action).order_by()]
    every_row_of_a_path = False
    for ancestor_label, lookup in ancestor_paths(model):
        ancestor = apps.get_model(ancestor_label)
        if not guarded(ancestor):
            continue
        if has_model_permission(user, ancestor, action):
            every_row_of_a_path = True
            paths.append(
                model._default_manager.filter(**{f"{lookup}__isnull": False}).order_by().values("pk")
            )
        else:
            paths.append(down_path(model, lookup, granted(user, ancestor, action).order_by()))
    first, *rest = paths
    ids = first.union(*rest, all=True) if rest else first
    # A path with every row of the table is a join PostgreSQL plans well; grant-driven ids are probed.
    return queryset.filter(pk__in=ids) if every_row_of_a_path else queryset.filter(any_of("pk", ids))


def can(user, record: Model, action: Action) -> bool:
    return visible(user, type(record)._default_manager.filter(pk=record.pk), action).exists()
