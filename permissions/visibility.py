"""The one place that decides which rows a user may see or change.

Every GraphQL type's queryset hook and every mutation goes through `visible`, so root lists,
nested lists, node lookups, counts and writes agree.
"""

from typing import Literal

from django.db.models import QuerySet

Action = Literal["view", "change", "delete", "add"]


def visible(user, queryset: QuerySet, action: Action = "view") -> QuerySet:
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    return queryset
