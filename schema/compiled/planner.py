"""Walks a validated query (variables, fragments, inline fragments, aliases, `@include`/`@skip` resolved)
into a plan of what to read, or raises CannotCompile when any part of it needs the general path."""

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLBoolean,
    GraphQLNonNull,
    GraphQLObjectType,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    get_named_type,
    value_from_ast,
)
from graphql.execution.values import get_argument_values
from strawberry.relay import GlobalID, from_base64
from strawberry_django.relay.cursor_connection import DjangoCursorEdge

from .arguments import NO_ARGUMENTS, Arguments, Unusable, connection_arguments
from .catalog import ROOT_CONNECTIONS, Scalar, ToOne, TypeInfo, catalog
from .catalog import Money as MoneyField

# json_build_object takes at most 100 arguments: 50 keys and their values.
MAX_KEYS = 50
# Node lookups by a primary key outside the column's range are left to the general path.
MAX_PK = 2**31 - 1


class CannotCompile(Exception):
    """The operation (or this request's variables) needs the general path."""


@dataclass
class Selection:
    """The fields selected on one record: (response key, what to read) in document order."""

    type: TypeInfo
    fields: list[tuple[str, object]] = field(default_factory=list)


@dataclass
class Typename:
    name: str


@dataclass
class GlobalId:
    pass


@dataclass
class Column:
    scalar: Scalar


@dataclass
class MoneyValue:
    money: MoneyField
    parts: list[tuple[str, str]]  # (response key, "amount" | "currency" | "__typename")


@dataclass
class Link:
    link: ToOne
    selection: Selection


@dataclass
class Connection:
    target: TypeInfo
    fk_column: str | None  # None at the root
    inherited: bool  # rows below a visible parent are all visible
    first: int
    after: int | None
    parts: list[tuple[str, object]] = field(default_factory=list)  # "totalCount", Typename, EdgesPart, …
    arguments: Arguments = NO_ARGUMENTS  # filters and explicit ordering


@dataclass
class EdgesPart:
    parts: list[tuple[str, object]]  # "cursor", Typename, Selection


@dataclass
class PageInfoPart:
    parts: list[tuple[str, str]]  # field names of PageInfo, "__typename" included


@dataclass
class NodeLookup:
    type: TypeInfo
    pk: int
    selection: Selection


@dataclass
class Plan:
    fields: list[tuple[str, object]]  # Connection, NodeLookup or Typename


PAGE_INFO_FIELDS = {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "__typename"}
DIRECTIVES = {"include", "skip"}


class _Planner:
    def __init__(self, schema, document, operation: OperationDefinitionNode, variables):
        self.schema, self.operation, self.variables = schema, operation, variables
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.types = catalog()

    # Collecting fields: what graphql-core's executor does, for the cases compiled.
    def included(self, node) -> bool:
        verdict = True
        for directive in node.directives or ():
            name = directive.name.value
            if name not in DIRECTIVES:
                raise CannotCompile(f"directive @{name}")
            (argument,) = directive.arguments
            value = value_from_ast(argument.value, GraphQLNonNull(GraphQLBoolean), self.variables.coerced)
            if value is None:
                raise CannotCompile("directive argument")
            verdict = verdict and (not value if name == "skip" else value)
        return verdict

    def applies(self, condition, runtime: GraphQLObjectType) -> bool:
        if condition is None or condition.name.value == runtime.name:
            return True
        conditional = self.schema.get_type(condition.name.value)
        return (
            conditional is not None
            and not isinstance(conditional, GraphQLObjectType)
            and (self.schema.is_sub_type(conditional, runtime))
        )

    def collect(self, nodes: list[FieldNode], runtime: GraphQLObjectType) -> dict[str, list[FieldNode]]:
        grouped: dict[str, list[FieldNode]] = {}
        visited: set[str] = set()
        for node in nodes:
            if node.selection_set is not None:
                self._visit(node.selection_set, runtime, grouped, visited)
        if len(grouped) > MAX_KEYS:
            raise CannotCompile("too many keys in one object")
        return grouped

    def _visit(self, selection_set, runtime, grouped, visited: set[str]) -> None:
        for selection in selection_set.selections:
            if not self.included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                grouped.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if self.applies(selection.type_condition, runtime):
                    self._visit(selection.selection_set, runtime, grouped, visited)
            elif isinstance(selection, FragmentSpreadNode):
                # Each fragment once per selection set, as the executor collects fields: a fragment
                # spread again adds nothing (and spreads of spreads would multiply the work).
                name = selection.name.value
                if name in visited:
                    continue
                visited.add(name)
                fragment = self.fragments.get(name)
                if fragment is None:
                    raise CannotCompile("fragment")
                if self.applies(fragment.type_condition, runtime):
                    self._visit(fragment.selection_set, runtime, grouped, visited)

    def arguments(self, parent: GraphQLObjectType, node: FieldNode) -> dict:
        return get_argument_values(parent.fields[node.name.value], node, self.variables)

    # The operation.
    def plan(self) -> Plan:
        if self.operation.operation != OperationType.QUERY:
            raise CannotCompile("not a query")
        root = self.schema.query_type
        fields = []
        grouped: dict[str, list[FieldNode]] = {}
        self._visit(self.operation.selection_set, root, grouped, set())
        if len(grouped) > MAX_KEYS:
            raise CannotCompile("too many keys in one object")
        for key, nodes in grouped.items():
            name = nodes[0].name.value
            if name == "__typename":
                fields.append((key, Typename(root.name)))
            elif name in ROOT_CONNECTIONS:
                target = self.types[ROOT_CONNECTIONS[name]]
                fields.append((key, self.connection(root, nodes, target, None)))
            elif name == "node":
                fields.append((key, self.node(root, nodes)))
            else:
                raise CannotCompile(f"root field {name}")
        return Plan(fields)

    def node(self, root, nodes: list[FieldNode]) -> NodeLookup:
        global_id = self.arguments(root, nodes[0])["id"]
        try:
            decoded = GlobalID.from_id(global_id)
            pk = int(decoded.node_id)
        except Exception:
            raise CannotCompile("node id") from None
        target = self.types.get(decoded.type_name)
        if target is None or target.name not in ROOT_CONNECTIONS.values() or not 0 < pk <= MAX_PK:
            raise CannotCompile("node type")
        return NodeLookup(target, pk, self.selection(nodes, target))

    def selection(self, nodes: list[FieldNode], info: TypeInfo) -> Selection:
        runtime = self.schema.get_type(info.name)
        selection = Selection(info)
        for key, group in self.collect(nodes, runtime).items():
            name = group[0].name.value
            if name == "__typename":
                selection.fields.append((key, Typename(info.name)))
            elif name == "id":
                selection.fields.append((key, GlobalId()))
            elif name in info.scalars:
                selection.fields.append((key, Column(info.scalars[name])))
            elif name in info.money:
                selection.fields.append((key, self.money(group, info.money[name])))
            elif name in info.to_one:
                link = info.to_one[name]
                selection.fields.append((key, Link(link, self.selection(group, self.types[link.target]))))
            elif name in info.children:
                children = info.children[name]
                target = self.types[children.target]
                plan = self.connection(runtime, group, target, children.column, children.inherited)
                selection.fields.append((key, plan))
            else:
                raise CannotCompile(f"{info.name}.{name}")
        return selection

    def money(self, nodes, money: MoneyField) -> MoneyValue:
        parts = []
        for key, group in self.collect(nodes, self.schema.get_type("Money")).items():
            parts.append((key, group[0].name.value))
        return MoneyValue(money, parts)

    def connection(
        self, parent, nodes, target: TypeInfo, fk_column: str | None, inherited: bool = False
    ) -> Connection:
        arguments = self.arguments(parent, nodes[0])
        if arguments.get("last") is not None or arguments.get("before") is not None:
            raise CannotCompile("backward pagination")
        first, after = arguments.get("first"), arguments.get("after")
        if first is None or first < 0:
            raise CannotCompile("page size")
        if after is not None and fk_column is not None:
            # A nested page after a cursor counts its totalCount differently in the general path.
            raise CannotCompile("nested cursor")
        graphql_field = parent.fields[nodes[0].name.value]
        try:
            filtered = connection_arguments(
                graphql_field.extensions["strawberry-definition"], target, arguments
            )
        except Unusable as error:
            raise CannotCompile(f"arguments: {error}") from None
        connection_type = get_named_type(graphql_field.type)
        # After a cursor in an explicit ordering, the filtered rows say which follow it.
        after_pk = None if after is None or filtered.order else self.cursor(after, target)
        plan = Connection(target, fk_column, inherited, first, after_pk, arguments=filtered)
        for key, group in self.collect(nodes, connection_type).items():
            name = group[0].name.value
            if name == "totalCount":
                plan.parts.append((key, "totalCount"))
            elif name == "__typename":
                plan.parts.append((key, Typename(connection_type.name)))
            elif name == "edges":
                plan.parts.append((key, self.edges(group, connection_type, target)))
            elif name == "pageInfo":
                page_info = self.collect(group, self.schema.get_type("PageInfo"))
                plan.parts.append((key, PageInfoPart([(k, g[0].name.value) for k, g in page_info.items()])))
            else:
                raise CannotCompile(f"connection field {name}")
        return plan

    def edges(self, nodes, connection_type, target: TypeInfo) -> EdgesPart:
        edge_type = get_named_type(connection_type.fields["edges"].type)
        part = EdgesPart([])
        for key, group in self.collect(nodes, edge_type).items():
            name = group[0].name.value
            if name == "cursor":
                part.parts.append((key, "cursor"))
            elif name == "__typename":
                part.parts.append((key, Typename(edge_type.name)))
            elif name == "node":
                part.parts.append((key, self.selection(group, target)))
            else:
                raise CannotCompile(f"edge field {name}")
        return part

    @staticmethod
    def cursor(value: str, target: TypeInfo) -> int:
        """The primary key an `after` cursor points at, read as the general path reads it."""
        try:
            prefix, values = from_base64(value)
            decoded = json.loads(values)
        except (ValueError, TypeError):
            raise CannotCompile("cursor") from None
        if prefix != DjangoCursorEdge.CURSOR_PREFIX or not isinstance(decoded, list) or len(decoded) != 1:
            raise CannotCompile("cursor")
        if not isinstance(decoded[0], str):
            raise CannotCompile("cursor")
        try:
            pk = target.model._meta.pk.to_python(decoded[0])
        except ValidationError:
            raise CannotCompile("cursor") from None
        if not isinstance(pk, int) or not -MAX_PK <= pk <= MAX_PK:
            raise CannotCompile("cursor")
        return pk


def plan_operation(schema, document, operation: OperationDefinitionNode, variables) -> Plan:
    """The plan for one validated operation and its coerced variables (raises CannotCompile)."""
    return _Planner(schema, document, operation, variables).plan()
