"""Visibility in the schema: the queryset hook of every Node type, and `viewerCan*` fields."""

import strawberry_django
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Value
from strawberry.types import Info

from permissions.visibility import Action, can, is_member, visible

from .context import current_user


def scoped(queryset: QuerySet, info: Info) -> QuerySet:
    return visible(current_user(info), queryset, "view")


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
