"""Visibility in the schema: the queryset hook of every Node type, and `viewerCan*` fields."""

import strawberry_django
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, ManyToOneRel, OuterRef, Prefetch, QuerySet, Value
from strawberry.types import Info

from permissions.visibility import Action, can, inherited_through, is_member, visible

from .context import current_user


def scoped(queryset: QuerySet, info: Info) -> QuerySet:
    if _below_a_visible_parent(queryset, info):
        return queryset
    return visible(current_user(info), queryset, "view")


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
