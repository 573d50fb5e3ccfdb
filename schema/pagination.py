"""Every connection is paginated: `first` or `last` is required and capped (no silent clamp, checked
before execution in `schema.limits`)."""

import strawberry_django
from django.db.models import OrderBy, QuerySet
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.relay import DjangoCursorConnection

# The optimizer prefetches nested pages (one windowed query per level) only for the library's own
# connection class, compared by identity, so connections use it as is rather than a subclass.
Connection = DjangoCursorConnection


def explicit_nulls(queryset: QuerySet) -> QuerySet:
    """Spell out where PostgreSQL puts nulls in a descending sort (first).

    Cursors compare values assuming nulls last unless told otherwise, so a plain DESC on a
    nullable column would skip the rows with nulls on the next page.
    """
    if queryset._result_cache is not None:
        return queryset  # a prefetched page: already fetched in the right order
    order_by, changed = [], False
    for expression in queryset.query.order_by:
        if (
            isinstance(expression, OrderBy)
            and expression.descending
            and not (expression.nulls_first or expression.nulls_last)
        ):
            expression = expression.copy()
            expression.nulls_first = True
            changed = True
        order_by.append(expression)
    return queryset.order_by(*order_by) if changed else queryset


class ConnectionField(StrawberryDjangoField):
    def get_queryset(self, queryset: QuerySet, info, **kwargs) -> QuerySet:
        return explicit_nulls(super().get_queryset(queryset, info, **kwargs))


def connection(**options):
    """A paginated, filterable, orderable list of records."""
    return strawberry_django.connection(field_cls=ConnectionField, **options)
