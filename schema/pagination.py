"""Every connection is paginated: `first` or `last` is required and capped (no silent clamp)."""

from collections.abc import Iterator

import strawberry_django
from django.conf import settings
from django.db.models import OrderBy, QuerySet
from graphql import (
    ExecutionResult,
    GraphQLError,
    IntValueNode,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    VariableNode,
    Visitor,
    get_named_type,
    value_from_ast_untyped,
    visit,
)
from strawberry.extensions import SchemaExtension
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


def _argument(node, name: str, variables: dict):
    for arg in node.arguments or ():
        if arg.name.value != name:
            continue
        if isinstance(arg.value, VariableNode):
            return variables.get(arg.value.name.value)
        if isinstance(arg.value, IntValueNode):
            return int(arg.value.value)
    return None


class _PageChecker(Visitor):
    def __init__(self, type_info: TypeInfo, variables: dict, limit: int):
        super().__init__()
        self.type_info, self.variables, self.limit = type_info, variables, limit
        self.errors: list[GraphQLError] = []

    def enter_field(self, node, *_):
        named = get_named_type(self.type_info.get_type())
        if (
            named is None
            or not named.name.endswith("Connection")
            or "pageInfo" not in getattr(named, "fields", {})
        ):
            return
        first, last = (_argument(node, name, self.variables) for name in ("first", "last"))
        field = node.name.value
        if first is None and last is None:
            self.errors.append(
                GraphQLError(f"`{field}` needs `first` or `last` (at most {self.limit}).", nodes=[node])
            )
        for name, value in (("first", first), ("last", last)):
            if value is not None and not 0 <= value <= self.limit:
                self.errors.append(
                    GraphQLError(
                        f"`{field}(${name}: {value})`: a page holds 0 to {self.limit} records.".replace(
                            "$", ""
                        ),
                        nodes=[node],
                    )
                )


def _variable_defaults(document) -> dict:
    return {
        definition.variable.name.value: value_from_ast_untyped(definition.default_value)
        for operation in document.definitions
        if isinstance(operation, OperationDefinitionNode)
        for definition in operation.variable_definitions or ()
        if definition.default_value is not None
    }


class PageSizeLimit(SchemaExtension):
    """Refuses the operation before it runs when a connection is unbounded or too large."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None and ctx.result is None:
            type_info = TypeInfo(ctx.schema._schema)
            variables = {**_variable_defaults(ctx.graphql_document), **(ctx.variables or {})}
            checker = _PageChecker(type_info, variables, settings.GRAPHQL_MAX_PAGE_SIZE)
            visit(ctx.graphql_document, TypeInfoVisitor(type_info, checker))
            if checker.errors:
                ctx.result = ExecutionResult(data=None, errors=checker.errors)
        yield
