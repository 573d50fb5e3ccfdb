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

from collections import OrderedDict
from functools import cache
from threading import Lock
from typing import Literal

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import F, Lookup, Model, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

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
    return queryset.filter(_visible_ids_filter(user, model, action))


@cache
def inherited_through(child: type[Model], field: str) -> bool:
    """True when every row of `child` whose `field` points at a row the user may see is itself one
    the user may see, whoever the user: each way of seeing the parent (its own grant, or a grant
    on one of its ancestors) continues down this link. A query that reaches children through
    their visible parent then needs no filter of its own.

    Not so for directory records (readable by every member, while their tasks are not), for links
    that close a cycle (a shipment seen through its ship task) and for self-links deeper than the
    paths followed (MAX_SELF_DEPTH): the filter stays there.
    """
    parent = child._meta.get_field(field).related_model
    if parent._meta.label in READABLE_BY_MEMBERS or not guarded(parent):
        return False
    child_paths = set(ancestor_paths(child))
    needed = {(parent._meta.label, field)} | {
        (label, f"{field}__{lookup}")
        for label, lookup in ancestor_paths(parent)
        if guarded(apps.get_model(label))
    }
    return needed <= child_paths


def _visible_ids_filter(user, model: type[Model], action: Action):
    """The filter for rows reached by the user's grants, built once per (user, model, action).

    Building it costs far more than running it (a task has 21 ancestor paths, each a chain of
    subqueries), and it depends only on the user id and on the model-wide decisions taken in
    Python: the grants themselves are read by the SQL when it runs, so a cached filter is never
    stale. On PostgreSQL the compiled SQL is cached too.
    """
    paths = [
        (ancestor_label, lookup, has_model_permission(user, apps.get_model(ancestor_label), action))
        for ancestor_label, lookup in ancestor_paths(model)
        if guarded(apps.get_model(ancestor_label))
    ]
    key = (user.pk, model._meta.label, action, tuple(every for _, _, every in paths))
    cached = _FILTERS.get(key)
    if cached is None:
        cached = _build_filter(user, model, action, paths)
        _FILTERS.put(key, cached)
    return cached


def _build_filter(user, model: type[Model], action: Action, paths):
    ids = [granted(user, model, action).order_by()]
    every_row_of_a_path = False
    for ancestor_label, lookup, every_row in paths:
        if every_row:
            every_row_of_a_path = True
            ids.append(model._default_manager.filter(**{f"{lookup}__isnull": False}).order_by().values("pk"))
        else:
            ancestor = apps.get_model(ancestor_label)
            ids.append(down_path(model, lookup, granted(user, ancestor, action).order_by()))
    first, *rest = ids
    union = first.union(*rest, all=True) if rest else first
    # A path with every row of the table is a join PostgreSQL plans well; grant-driven ids are probed.
    if every_row_of_a_path:
        return Q(pk__in=union)
    if connection.vendor != "postgresql":
        return any_of("pk", union)
    sql, params = union.query.sql_with_params()
    return AnyOf(F("pk"), RawSQL(f"ARRAY({sql})", params))


class _FilterCache:
    """A small least-recently-used map; filters are immutable, so sharing them is safe."""

    def __init__(self, size: int):
        self.size, self.items, self.lock = size, OrderedDict(), Lock()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            if len(self.items) > self.size:
                self.items.popitem(last=False)


_FILTERS = _FilterCache(size=1024)


def can(user, record: Model, action: Action) -> bool:
    return visible(user, type(record)._default_manager.filter(pk=record.pk), action).exists()
