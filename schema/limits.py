"""Limits checked before an operation runs, so that nothing of a refused operation executes.

One walk over the operation (fragments and inline fragments followed) checks the page size of every
connection, estimates the records the operation may return and counts its top-level mutations. Depth,
aliases and tokens are strawberry's own limiters; introspection is refused to anonymous callers when
the settings say so. Every limit is read from the settings when the operation runs.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    ValidationRule,
    VariableNode,
    get_named_type,
    get_operation_ast,
    value_from_ast_untyped,
)
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter, SchemaExtension

# A variable whose value is not an integer: execution reports it, the limits leave it alone.
_INVALID = object()


def _page_argument(node: FieldNode, name: str, variables: dict):
    for arg in node.arguments or ():
        if arg.name.value != name:
            continue
        value = arg.value
        if isinstance(value, VariableNode):
            value = variables.get(value.name.value)
        elif isinstance(value, IntValueNode):
            value = int(value.value)
        else:
            value = value_from_ast_untyped(value)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return value if isinstance(value, int) and not isinstance(value, bool) else _INVALID
    return None


def _is_connection(named_type) -> bool:
    return (
        named_type is not None
        and named_type.name.endswith("Connection")
        and "pageInfo" in getattr(named_type, "fields", {})
    )


@dataclass
class OperationReport:
    """What the walk found: refusals in document order, the estimate and the mutation count."""

    page_errors: list[GraphQLError] = field(default_factory=list)
    estimated_nodes: int = 0
    mutations: int = 0


class _Walk:
    def __init__(self, schema, document, variables: dict, max_page: int):
        self.schema, self.variables, self.max_page = schema, variables, max_page
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.report = OperationReport()
        self._reported: set[tuple[int, str]] = set()

    def selections(self, selection_set, parent_type, multiplier: int, active: frozenset = frozenset()):
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self.field(selection, parent_type, multiplier, active)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                type_ = self.schema.get_type(condition.name.value) if condition else parent_type
                self.selections(selection.selection_set, type_, multiplier, active)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in active:
                    type_ = self.schema.get_type(fragment.type_condition.name.value)
                    self.selections(fragment.selection_set, type_, multiplier, active | {name})

    def field(self, node: FieldNode, parent_type, multiplier: int, active: frozenset):
        definition = (getattr(parent_type, "fields", None) or {}).get(node.name.value)
        if definition is None:  # __typename and introspection
            return
        named = get_named_type(definition.type)
        if _is_connection(named):
            multiplier *= self.page_size(node)
            self.report.estimated_nodes += multiplier
        if node.selection_set is not None:
            self.selections(node.selection_set, named, multiplier, active)

    def page_size(self, node: FieldNode) -> int:
        """The records one page of this connection may hold; refusals go to the report."""
        first, last = (_page_argument(node, name, self.variables) for name in ("first", "last"))
        name = node.name.value
        if first is None and last is None:
            self.refuse(node, f"`{name}` needs `first` or `last` (at most {self.max_page}).")
        sizes = []
        for argument, value in (("first", first), ("last", last)):
            if value is None or value is _INVALID:
                continue
            if not 0 <= value <= self.max_page:
                self.refuse(
                    node, f"`{name}({argument}: {value})`: a page holds 0 to {self.max_page} records."
                )
            sizes.append(max(value, 0))
        return min(sizes) if sizes else self.max_page

    def refuse(self, node: FieldNode, message: str):
        # A fragment spread in several places is walked once per place but reported once.
        if (id(node), message) not in self._reported:
            self._reported.add((id(node), message))
            self.report.page_errors.append(GraphQLError(message, nodes=[node]))

    def count_mutations(self, selection_set, active: frozenset = frozenset()) -> int:
        count = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                count += not selection.name.value.startswith("__")
            elif isinstance(selection, InlineFragmentNode):
                count += self.count_mutations(selection.selection_set, active)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in self.fragments and name not in active:
                    count += self.count_mutations(self.fragments[name].selection_set, active | {name})
        return count


def _variable_defaults(operation: OperationDefinitionNode) -> dict:
    return {
        definition.variable.name.value: value_from_ast_untyped(definition.default_value)
        for definition in operation.variable_definitions or ()
        if definition.default_value is not None
    }


def inspect_operation(schema, document, operation_name: str | None, variables: dict | None):
    """Walk the operation that will run; None when the document does not name one to run."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    root = schema.get_root_type(operation.operation)
    walk = _Walk(
        schema,
        document,
        {**_variable_defaults(operation), **(variables or {})},
        settings.GRAPHQL_MAX_PAGE_SIZE,
    )
    walk.selections(operation.selection_set, root, 1)
    if operation.operation == OperationType.MUTATION:
        walk.report.mutations = walk.count_mutations(operation.selection_set)
    return walk.report


def limit_errors(report: OperationReport) -> list[GraphQLError]:
    errors = list(report.page_errors)
    # The estimate rests on the page sizes: it is judged once they are within their limit.
    limit = settings.GRAPHQL_MAX_ESTIMATED_NODES
    if not errors and report.estimated_nodes > limit:
        errors.append(
            GraphQLError(
                f"This query may return {report.estimated_nodes} records (the product of the page sizes "
                f"down each path of connections), more than the limit of {limit}. "
                "Ask for smaller pages or fewer nested connections.",
                extensions={"code": "QUERY_TOO_COSTLY"},
            )
        )
    most = settings.GRAPHQL_MAX_MUTATIONS
    if report.mutations > most:
        errors.append(
            GraphQLError(
                f"{report.mutations} mutations in one request; at most {most} are allowed.",
                extensions={"code": "TOO_MANY_MUTATIONS"},
            )
        )
    return errors


class OperationLimits(SchemaExtension):
    """Refuses the operation before it runs when a page, the estimate or the mutations are over
    their limit, and reports the estimate as `extensions.cost` on every response that reached it."""

    def __init__(self):
        self.report: OperationReport | None = None

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None and ctx.result is None:
            self.report = inspect_operation(
                ctx.schema._schema, ctx.graphql_document, ctx.operation_name, ctx.variables
            )
            errors = limit_errors(self.report) if self.report is not None else []
            if errors:
                ctx.result = ExecutionResult(data=None, errors=errors)
        yield

    def get_results(self) -> dict:
        if self.report is None:
            return {}
        return {
            "cost": {
                "estimatedNodes": self.report.estimated_nodes,
                "limit": settings.GRAPHQL_MAX_ESTIMATED_NODES,
            }
        }


INTROSPECTION_REFUSED = "Introspection is disabled for anonymous callers: sign in to query `{field}`."


class _NoIntrospection(ValidationRule):
    def enter_field(self, node: FieldNode, *_):
        if node.name.value in ("__schema", "__type"):
            self.report_error(GraphQLError(INTROSPECTION_REFUSED.format(field=node.name.value), node))


class AnonymousIntrospection(SchemaExtension):
    """Refuses `__schema` and `__type` to anonymous callers unless the settings allow it."""

    def on_operation(self) -> Iterator[None]:
        ctx = self.execution_context
        user = getattr(getattr(ctx.context, "request", None), "user", None)
        anonymous = user is None or not user.is_authenticated
        if anonymous and not settings.GRAPHQL_INTROSPECTION_FOR_ANONYMOUS:
            ctx.validation_rules = (*ctx.validation_rules, _NoIntrospection)
        yield


def depth_limiter() -> QueryDepthLimiter:
    return QueryDepthLimiter(max_depth=settings.GRAPHQL_MAX_DEPTH)


def aliases_limiter() -> MaxAliasesLimiter:
    return MaxAliasesLimiter(max_alias_count=settings.GRAPHQL_MAX_ALIASES)


def tokens_limiter() -> MaxTokensLimiter:
    return MaxTokensLimiter(max_token_count=settings.GRAPHQL_MAX_TOKENS)
