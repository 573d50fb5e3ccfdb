"""Walks a validated query (variables, fragments, inline fragments, aliases, `@include`/`@skip` resolved)
into a plan of what to read, or raises CannotCompile when any part of it needs the general path."""

from dataclasses import dataclass, field

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

from backend.common.money import CURRENCY_MINOR_UNITS

from ..ids import canonical_parts
from .arguments import NO_ARGUMENTS, Arguments, Unusable, connection_arguments
from .catalog import ROOT_CONNECTIONS, Scalar, ToOne, TypeInfo, catalog
from .catalog import Money as MoneyField
from .pages import MAX_PK, NotPaged, Window, cursor_bound, page_window
from .rollups import ROLLUPS, Rollup, RollupValue

# json_build_object takes at most 100 arguments: 50 keys and their values.
MAX_KEYS = 50
# json_build_array takes at most 100 arguments: one per id of `nodes(ids:)`.
MAX_IDS = 100


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
class UnionLink:
    members: list[tuple[ToOne, Selection]]  # the first member whose foreign key is set is the value


@dataclass
class Connection:
    target: TypeInfo
    fk_column: str | None  # None at the root
    inherited: bool  # rows below a visible parent are all visible
    window: Window
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
class NodeList:
    lookups: list[NodeLookup]  # in the order of the ids


@dataclass
class Plan:
    fields: list[tuple[str, object]]  # Connection, NodeLookup, NodeList or Typename


PAGE_INFO_FIELDS = {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "__typename"}
DIRECTIVES = {"include", "skip"}


class _Planner:
    def __init__(self, schema, document, operation: OperationDefinitionNode, variables):
        self.schema, self.operation, self.variables = schema, operation, variables
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.types = catalog()
        self.cursor_pages = 0  # pages planned so far that move with their cursors

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
            elif name == "nodes":
                fields.append((key, self.node_list(root, nodes)))
            else:
                raise CannotCompile(f"root field {name}")
        return Plan(fields)

    def node(self, root, nodes: list[FieldNode]) -> NodeLookup:
        return self.lookup(self.arguments(root, nodes[0])["id"], nodes)

    def node_list(self, root, nodes: list[FieldNode]) -> NodeList:
        ids = self.arguments(root, nodes[0])["ids"]
        if len(ids) > MAX_IDS:
            raise CannotCompile("too many ids")
        return NodeList([self.lookup(global_id, nodes) for global_id in ids])

    def lookup(self, global_id, nodes: list[FieldNode]) -> NodeLookup:
        # Only the canonical spelling is compiled; the general path answers null for any other.
        decoded = canonical_parts(global_id)
        if decoded is None:
            raise CannotCompile("node id")
        name, pk = decoded
        target = self.types.get(name)
        if target is None or target.name not in ROOT_CONNECTIONS.values() or not 0 < pk <= MAX_PK:
            raise CannotCompile("node type")
        return NodeLookup(target, pk, self.selection(nodes, target))

    def selection(self, nodes: list[FieldNode], info: TypeInfo) -> Selection:
        runtime = self.schema.get_type(info.name)
        selection = Selection(info)
        paged: dict[str, list[bool]] = {}  # relation → whether its pages move with cursors, per key
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
            elif name in info.unions:
                members = [(m, self.selection(group, self.types[m.target])) for m in info.unions[name]]
                selection.fields.append((key, UnionLink(members)))
            elif name in info.children:
                children = info.children[name]
                target = self.types[children.target]
                cursor_pages = self.cursor_pages
                plan = self.connection(runtime, group, target, children.column, children.inherited)
                selection.fields.append((key, plan))
                paged.setdefault(name, []).append(self.cursor_pages > cursor_pages)
            elif name in ROLLUPS.get(info.name, {}):
                selection.fields.append((key, self.rollup(runtime, group, ROLLUPS[info.name][name])))
            else:
                raise CannotCompile(f"{info.name}.{name}")
        # The general path prefetches one relation once, whatever the keys it is selected under:
        # pages that move with their cursors, at or below such a relation, are left to it.
        if any(len(moved) > 1 and any(moved) for moved in paged.values()):
            raise CannotCompile("one relation paged under two keys")
        return selection

    def rollup(self, runtime, nodes, rollup: Rollup) -> RollupValue:
        currency = self.arguments(runtime, nodes[0]).get("currency")
        if currency is not None and currency not in CURRENCY_MINOR_UNITS:
            raise CannotCompile("unknown currency")  # an error per record, and none on an empty page
        if rollup.shape == "task_hours" and self.types["Task"].scalars["status"].enum_names:
            raise CannotCompile("task statuses stored under other names")
        parts = []
        if nodes[0].selection_set is not None:
            object_type = get_named_type(runtime.fields[nodes[0].name.value].type)
            parts = [(key, group[0].name.value) for key, group in self.collect(nodes, object_type).items()]
        return RollupValue(rollup, parts, currency)

    def money(self, nodes, money: MoneyField) -> MoneyValue:
        parts = []
        for key, group in self.collect(nodes, self.schema.get_type("Money")).items():
            parts.append((key, group[0].name.value))
        return MoneyValue(money, parts)

    def connection(
        self, parent, nodes, target: TypeInfo, fk_column: str | None, inherited: bool = False
    ) -> Connection:
        arguments = self.arguments(parent, nodes[0])
        graphql_field = parent.fields[nodes[0].name.value]
        try:
            filtered = connection_arguments(
                graphql_field.extensions["strawberry-definition"], target, arguments
            )
        except Unusable as error:
            raise CannotCompile(f"arguments: {error}") from None
        if filtered.order:
            # An explicit ordering is read forwards (`first`), after a cursor at the root only.
            if arguments.get("last") is not None or arguments.get("before") is not None:
                raise CannotCompile("backward pages in an explicit ordering")
            if arguments.get("after") is not None and fk_column is not None:
                raise CannotCompile("a nested cursor in an explicit ordering")
            arguments = {**arguments, "after": None}  # its cursor holds the ordered values: `filtered.after`
        connection_type = get_named_type(graphql_field.type)
        parts = []
        for key, group in self.collect(nodes, connection_type).items():
            name = group[0].name.value
            if name == "totalCount":
                parts.append((key, "totalCount"))
            elif name == "__typename":
                parts.append((key, Typename(connection_type.name)))
            elif name == "edges":
                parts.append((key, self.edges(group, connection_type, target)))
            elif name == "pageInfo":
                page_info = self.collect(group, self.schema.get_type("PageInfo"))
                parts.append((key, PageInfoPart([(k, g[0].name.value) for k, g in page_info.items()])))
            else:
                raise CannotCompile(f"connection field {name}")
        # The general path prefetches a nested page when its nodes are selected.
        nodes_selected = any(
            isinstance(p, EdgesPart) and any(isinstance(q, Selection) for _, q in p.parts) for _, p in parts
        )
        try:
            window = page_window(arguments, target, prefetched=fk_column is not None and nodes_selected)
        except NotPaged as reason:
            raise CannotCompile(str(reason)) from None
        self.cursor_pages += cursor_bound(window)
        return Connection(target, fk_column, inherited, window, parts, filtered)

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


def plan_operation(schema, document, operation: OperationDefinitionNode, variables) -> Plan:
    """The plan for one validated operation and its coerced variables (raises CannotCompile)."""
    return _Planner(schema, document, operation, variables).plan()
