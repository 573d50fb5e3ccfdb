"""Visibility in the schema: the queryset hook of every Node type, and `viewerCan*` fields."""

import strawberry_django
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, ManyToOneRel, Model, OuterRef, Prefetch, QuerySet, Value
from django.db.models.query import ModelIterable
from strawberry.types import Info

from permissions.models import guarded
from permissions.visibility import Action, can, inherited_through, is_member, visible

from .context import current_user

SEEN = "_seen_by_viewer"


class SeenRows(ModelIterable):
    """Rows of a queryset the viewer's visibility already filtered, each marked as such, so a link
    that returns one of them (a prefetched parent, a union member) needs no second check."""

    def __iter__(self):
        for row in super().__iter__():
            setattr(row, SEEN, True)
            yield row


def seen(queryset: QuerySet) -> QuerySet:
    queryset = queryset.all()
    queryset._iterable_class = SeenRows  # what values() and friends set; rows stay model instances
    return queryset


def is_seen(record: Model) -> bool:
    return getattr(record, SEEN, False)


def scoped(queryset: QuerySet, info: Info) -> QuerySet:
    if _below_a_visible_parent(queryset, info):
        return seen(queryset)
    return seen(visible(current_user(info), queryset, "view"))


def only_seen(result, info: Info):
    """A link's result as a read would give it: hidden records become null (or leave the list).
    Rows that came through `scoped` pass as they are; others (a mutation's record, a link loaded
    outside the optimizer) are checked with one query per model and list."""
    if result is None:
        return None
    if isinstance(result, QuerySet):
        return result if result._iterable_class is SeenRows else seen(visible(current_user(info), result))
    if isinstance(result, Model):
        kept = _seen_only([result], current_user(info))
        return kept[0] if kept else None
    return _seen_only(list(result), current_user(info))


def _seen_only(records: list, user) -> list:
    unseen: dict[type, set] = {}
    for record in records:
        # Records outside the permission tables (the viewer's own API tokens) are scoped by their type.
        if record is not None and not is_seen(record) and guarded(type(record)):
            unseen.setdefault(type(record), set()).add(record.pk)
    hidden = set()
    for model, pks in unseen.items():
        everything = model._default_manager.filter(pk__in=pks)
        allowed = visible(user, everything, "view")
        if allowed is not everything:  # `visible` returns the queryset itself when nothing is hidden
            hidden |= {(model, pk) for pk in pks - set(allowed.values_list("pk", flat=True))}
    kept = []
    for record in records:
        if record is not None and (type(record), record.pk) in hidden:
            continue
        if record is not None:
            setattr(record, SEEN, True)
        kept.append(record)
    return kept


def _below_a_visible_parent(queryset: QuerySet, info: Info) -> bool:
    """Whether these are the rows of a nested connection along a link that passes visibility down
    (`permissions.visibility.inherited_through`): the list is read from parents the viewer sees
    (through the optimizer's prefetch or the parent's own manager), so every row is visible and a
    filter would only cost time."""
    field = info._field  # the connection field being resolved (Info has no public accessor)
    django_name = getattr(field, "django_name", None)
    definition = getattr(getattr(field, "origin", None), "__strawberry_django_definition__", None)
    if not django_name or definition is None:
        return False  # a root field
    try:
        relation = definition.model._meta.get_field(django_name)
    except FieldDoesNotExist:
        return False
    return (
        isinstance(relation, ManyToOneRel)
        and not relation.one_to_one
        and relation.related_model is queryset.model
        and inherited_through(relation.related_model, relation.field.name)
    )


def scoped_prefetch(lookup: str, model) -> object:
    """A prefetch hint whose rows pass the same visibility filter (for links the optimizer
    cannot see through, such as a union)."""
    return lambda info: Prefetch(lookup, queryset=scoped(model._default_manager.all(), info))


def up_link():
    """A link up the hierarchy: a grant reaches down, not up, so the parent may be hidden."""
    return strawberry_django.field(description="Null when the viewer may not see it.")


class Scoped:
    """Mixin for Node types: `get_queryset` filters by what the viewer may see."""

    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: Info, **kwargs) -> QuerySet:
        return scoped(queryset, info)


def can_annotation(model, action: Action) -> dict:
    """An annotation hint: whether the viewer may `action` each row, as an EXISTS of its query."""

    def expression(info: Info):
        user = current_user(info)
        if not is_member(user):
            return Value(False)
        return Exists(visible(user, model._default_manager.filter(pk=OuterRef("pk")), action))

    return {f"viewer_can_{action}_annotation": expression}


def viewer_may(root, info: Info, action: Action) -> bool:
    """The annotated answer, or one query for a record not loaded through the optimizer."""
    value = getattr(root, f"viewer_can_{action}_annotation", None)
    return can(current_user(info), root, action) if value is None else value


def viewer_can(model, action: Action):
    """`viewerCan<Action>: Boolean!`, computed in the row's own query (an EXISTS per row)."""

    def resolve(root, info: Info) -> bool:
        return viewer_may(root, info, action)

    return strawberry_django.field(
        resolver=resolve,
        annotate=can_annotation(model, action),
        description=f"Whether the viewer may {action} this record (to show or hide a button).",
    )
