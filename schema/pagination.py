"""Every connection is paginated: `first` or `last` is required and capped (no silent clamp)."""

from collections.abc import Iterator

from django.conf import settings
from graphql import (
    ExecutionResult,
    GraphQLError,
    IntValueNode,
    TypeInfo,
    TypeInfoVisitor,
    VariableNode,
    Visitor,
    get_named_type,
    visit,
)
from strawberry.extensions import SchemaExtension
from strawberry_django.relay import DjangoCursorConnection

# The optimizer prefetches nested pages (one windowed query per level) only for the library's own
# connection class, compared by identity, so connections use it as is rather than a subclass.
Connection = DjangoCursorConnection


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


class PageSizeLimit(SchemaExtension):
    """Refuses the operation before it runs when a connection is unbounded or too large."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None and ctx.result is None:
            type_info = TypeInfo(ctx.schema._schema)
            checker = _PageChecker(type_info, ctx.variables or {}, settings.GRAPHQL_MAX_PAGE_SIZE)
            visit(ctx.graphql_document, TypeInfoVisitor(type_info, checker))
            if checker.errors:
                ctx.result = ExecutionResult(data=None, errors=checker.errors)
        yield
