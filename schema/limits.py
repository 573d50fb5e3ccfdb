"""Limits checked before an operation runs, so that nothing of a refused operation executes.

One walk over the operation (fragments and inline fragments followed) checks the page size of every
connection, estimates the records the operation may return and counts its top-level mutations. Depth
and aliases are validation rules, the token count is strawberry's limiter, and introspection is refused
to anonymous callers when the settings say so. Every limit is read from the settings when the
operation runs.
"""

import re
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
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    ValidationRule,
    VariableNode,
    get_named_type,
    get_operation_ast,
    value_from_ast_untyped,
)
from strawberry.extensions import MaxTokensLimiter, SchemaExtension

from .input_checks import input_values_rule

# A value that is no GraphQL Int (32 bits): validation or execution reports it, the limits leave it alone.
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
        valid = isinstance(value, int) and not isinstance(value, bool) and -(2**31) <= value < 2**31
        return value if valid else _INVALID
    return None


def _is_connection(named_type) -> bool:
    return (
        named_type is not None
        and named_type.name.endswith("Connection")
        and "pageInfo" in getattr(named_type, "fields", {})
    )


def _fragments(document) -> dict[str, FragmentDefinitionNode]:
    return {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }


@dataclass
class OperationReport:
    """What the walk found: refusals in document order, the estimate and the mutation count."""

    page_errors: list[GraphQLError] = field(default_factory=list)
    estimated_nodes: int = 0
    mutations: int = 0


ROOT_LOOKUPS = ("node", "nodes")


class _Walk:
    """Walks an operation once, each fragment once however often it is spread (the estimate is
    linear in the multiplier above a spread, so a fragment's share is computed for a multiplier of 1)."""

    def __init__(self, schema, document, variables: dict, max_page: int):
        self.schema, self.variables, self.max_page = schema, variables, max_page
        self.fragments = _fragments(document)
        self.report = OperationReport()
        self._fragment_nodes: dict[str, int] = {}
        self._fragment_mutations: dict[str, int] = {}

    def selections(self, selection_set, parent_type, multiplier: int, active: frozenset = frozenset()):
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self.field(selection, parent_type, multiplier, active)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                type_ = self.schema.get_type(condition.name.value) if condition else parent_type
                self.selections(selection.selection_set, type_, multiplier, active)
            elif isinstance(selection, FragmentSpreadNode):
                self.report.estimated_nodes += multiplier * self.fragment_nodes(selection.name.value, active)

    def fragment_nodes(self, name: str, active: frozenset) -> int:
        fragment = self.fragments.get(name)
        if fragment is None or name in active:
            return 0
        if name not in self._fragment_nodes:
            outer, self.report.estimated_nodes = self.report.estimated_nodes, 0
            type_ = self.schema.get_type(fragment.type_condition.name.value)
            self.selections(fragment.selection_set, type_, 1, active | {name})
            self._fragment_nodes[name], self.report.estimated_nodes = self.report.estimated_nodes, outer
        return self._fragment_nodes[name]

    def field(self, node: FieldNode, parent_type, multiplier: int, active: frozenset):
        definition = (getattr(parent_type, "fields", None) or {}).get(node.name.value)
        if definition is None:  # __typename and introspection
            return
        named = get_named_type(definition.type)
        if _is_connection(named):
            multiplier *= self.page_size(node)
            self.report.estimated_nodes += multiplier
        elif node.name.value in ROOT_LOOKUPS and parent_type is self.schema.query_type:
            # each lookup is a query of its own: 100 aliased `node`s weigh 100, `nodes` its ids
            multiplier *= self.lookups(node)
            self.report.estimated_nodes += multiplier
        if node.selection_set is not None:
            self.selections(node.selection_set, named, multiplier, active)

    def lookups(self, node: FieldNode) -> int:
        if node.name.value == "node":
            return 1
        for arg in node.arguments or ():
            if arg.name.value == "ids":
                value = arg.value
                if isinstance(value, VariableNode):
                    ids = self.variables.get(value.name.value)
                else:
                    ids = value_from_ast_untyped(value)
                return len(ids) if isinstance(ids, list) else 1
        return 0

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
                    if name not in self._fragment_mutations:
                        fragment = self.fragments[name]
                        self._fragment_mutations[name] = self.count_mutations(
                            fragment.selection_set, active | {name}
                        )
                    count += self._fragment_mutations[name]
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
    their limit, and reports the estimate as `extensions.cost` on every response to a document that
    parsed (validation errors included: the walk needs no valid document)."""

    def __init__(self):
        self.report: OperationReport | None = None

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None:
            self.report = inspect_operation(
                ctx.schema._schema, ctx.graphql_document, ctx.operation_name, ctx.variables
            )
        yield

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        errors = limit_errors(self.report) if self.report is not None else []
        if errors and ctx.result is None:
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


class _Shape:
    """How deep a document nests and how many aliases it holds, each fragment measured once however
    often it is spread (following every spread, as strawberry's limiters do, takes time exponential in
    nested spreads). Depth is counted as strawberry's QueryDepthLimiter counts it: root fields are at
    0, introspection fields are not followed."""

    def __init__(self, document):
        self.fragments = _fragments(document)
        self._measured: dict[str, tuple[int, int]] = {}

    def measure(self, selection_set, active: frozenset = frozenset()) -> tuple[int, int]:
        """The deepest level below the selection set's own (0 for flat), and the aliases in it."""
        depth = aliases = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                aliases += selection.alias is not None
                if selection.selection_set is not None:
                    below, inner = self.measure(selection.selection_set, active)
                    aliases += inner
                    if not selection.name.value.startswith("__"):
                        depth = max(depth, below + 1)
            else:
                if isinstance(selection, InlineFragmentNode):
                    below, inner = self.measure(selection.selection_set, active)
                else:
                    below, inner = self.fragment(selection.name.value, active)
                depth, aliases = max(depth, below), aliases + inner
        return depth, aliases

    def fragment(self, name: str, active: frozenset) -> tuple[int, int]:
        if name not in self.fragments or name in active:
            return 0, 0
        if name not in self._measured:
            self._measured[name] = self.measure(self.fragments[name].selection_set, active | {name})
        return self._measured[name]


class DepthAndAliases(ValidationRule):
    def __init__(self, context):
        super().__init__(context)
        shape, total = _Shape(context.document), 0
        for definition in context.document.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            depth, aliases = shape.measure(definition.selection_set)
            total += aliases
            if depth > settings.GRAPHQL_MAX_DEPTH:
                name = definition.name.value if definition.name else "anonymous"
                context.report_error(
                    GraphQLError(
                        f"'{name}' exceeds maximum operation depth of {settings.GRAPHQL_MAX_DEPTH}",
                        definition,
                    )
                )
        if total > settings.GRAPHQL_MAX_ALIASES:
            context.report_error(
                GraphQLError(f"{total} aliases found. Allowed: {settings.GRAPHQL_MAX_ALIASES}")
            )


SUGGESTION = re.compile(r" Did you mean .*\?$")
INTROSPECTION_REFUSED = "Introspection is disabled for anonymous callers: sign in to query `{field}`."


class _NoIntrospection(ValidationRule):
    def enter_field(self, node: FieldNode, *_):
        if node.name.value in ("__schema", "__type"):
            self.report_error(GraphQLError(INTROSPECTION_REFUSED.format(field=node.name.value), node))


LIST_TOO_LONG = "At most {limit} items in one list argument ({where} has {count})."


def long_list(value, path: str) -> tuple[str, int] | None:
    """The first list in a variable's value longer than the limit (nesting is bounded at the door)."""
    if isinstance(value, list):
        if len(value) > settings.GRAPHQL_MAX_INPUT_ITEMS:
            return path, len(value)
        found = (long_list(item, f"{path}.{i}") for i, item in enumerate(value))
    elif isinstance(value, dict):
        found = (long_list(item, f"{path}.{key}" if path else f"${key}") for key, item in value.items())
    else:
        return None
    return next((hit for hit in found if hit), None)


def _list_error(where: str, count: int, node=None) -> GraphQLError:
    message = LIST_TOO_LONG.format(limit=settings.GRAPHQL_MAX_INPUT_ITEMS, where=where, count=count)
    return GraphQLError(message, node, extensions={"code": "INPUT_LIST_TOO_LONG"})


def list_lengths_rule(variables: dict | None) -> type[ValidationRule]:
    """`inList`, `nodes(ids:)` and every other list a read sends: bounded as mutation item lists are,
    so one request cannot send 200,000 values to the database. Mutations keep their typed payload
    error (`TOO_MANY_ITEMS`, schema.inputs)."""
    variables = variables or {}

    class ListLengths(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_):
            if node.operation == OperationType.MUTATION:
                return self.SKIP
            hit = long_list(variables, "")
            if hit is not None:
                self.report_error(_list_error(f"variable {hit[0]}", hit[1]))
            return None

        def enter_variable_definition(self, node, *_):
            # A default counts only when the request leaves the variable out.
            return self.SKIP if node.variable.name.value in variables else None

        def enter_list_value(self, node: ListValueNode, *_):
            if len(node.values) > settings.GRAPHQL_MAX_INPUT_ITEMS:
                self.report_error(_list_error("a list in the document", len(node.values), node))

    return ListLengths


class DocumentRules(SchemaExtension):
    """Adds the validation rules for depth and aliases, and refuses `__schema` and `__type` to
    anonymous callers unless the settings allow it."""

    def on_operation(self) -> Iterator[None]:
        ctx = self.execution_context
        rules = [DepthAndAliases, list_lengths_rule(ctx.variables), input_values_rule(ctx.variables)]
        user = getattr(getattr(ctx.context, "request", None), "user", None)
        anonymous = user is None or not user.is_authenticated
        hidden = anonymous and not settings.GRAPHQL_INTROSPECTION_FOR_ANONYMOUS
        if hidden:
            rules.append(_NoIntrospection)
        ctx.validation_rules = (*ctx.validation_rules, *rules)
        yield
        if hidden and ctx.result is not None:
            # "Did you mean 'margin'?" would reveal the schema that introspection keeps back.
            for error in ctx.result.errors or ():
                error.message = SUGGESTION.sub("", error.message)


def tokens_limiter() -> MaxTokensLimiter:
    return MaxTokensLimiter(max_token_count=settings.GRAPHQL_MAX_TOKENS)
