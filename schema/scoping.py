"""The queryset hook every Node type uses, so every access path applies the same visibility."""

from django.db.models import QuerySet
from strawberry.types import Info

from permissions.visibility import visible

from .context import current_user


def scoped(queryset: QuerySet, info: Info) -> QuerySet:
    return visible(current_user(info), queryset, "view")


class Scoped:
    """Mixin for Node types: `get_queryset` filters by what the viewer may see."""

    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: Info, **kwargs) -> QuerySet:
        return scoped(queryset, info)
