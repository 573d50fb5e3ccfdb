"""One SQL statement for a plan: `json_build_object` per record, `json_agg` per page, correlated
subqueries (one per nested connection and link, run for each row of the page above), every value
formatted as the general path serialises it.

Values are integers checked by the planner and the visibility SQL of the request's user, so they are
written into the statement as literals: the statement has no parameters.
"""

from itertools import count
from typing import Protocol

from strawberry_django.relay.cursor_connection import DjangoCursorEdge

from .arguments import cursor_values_sql, order_sql
from .catalog import Scalar, TypeInfo, minor_units_sql
from .pages import PageSql, between_cursors, page_sql
from .planner import (
    Column,
    Connection,
    EdgesPart,
    GlobalId,
    Link,
    MoneyValue,
    NodeList,
    NodeLookup,
    PageInfoPart,
    Plan,
    Selection,
    Typename,
    UnionLink,
)
from .rollups import RecordRollups, RollupValue


class Visibility(Protocol):
    user: object  # the request's user (rollups over what it may see)

    def __call__(self, info: TypeInfo, alias: str, *, probe: bool = False) -> str:
        """The condition for the rows of `alias` the user may see (`probe`: by the primary key)."""

    def with_clause(self) -> str:
        """The common table expressions the conditions read."""


def literal(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL in an SQL literal")
    return "'" + value.replace("'", "''") + "'"


def base64(text_sql: str) -> str:
    """What strawberry's `to_base64` gives (PostgreSQL wraps base64 lines at 76 characters)."""
    return f"translate(encode(convert_to({text_sql}, 'UTF8'), 'base64'), E'\\n', '')"


def cursor(pk_sql: str) -> str:
    """The general path's cursor for the default order (by id): `orderedcursor:["<id>"]`."""
    return base64(f"""'{DjangoCursorEdge.CURSOR_PREFIX}:["' || {pk_sql} || '"]'""")


def scalar(value: Scalar, column: str) -> str:
    if value.kind == "decimal":
        return f"{column}::text"
    if value.kind == "date":
        return f"to_char({column}, 'YYYY-MM-DD')"
    if value.kind == "datetime":
        # datetime.isoformat() in UTC: microseconds only when not zero, the offset as +00:00.
        utc = f"({column} AT TIME ZONE 'UTC')"
        micro = f"to_char({utc}, 'US')"
        return (
            f"""(to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS') """
            f"|| CASE WHEN {micro} = '000000' THEN '' ELSE '.' || {micro} END || '+00:00')"
        )
    if value.kind == "enum" and value.enum_names:
        cases = " ".join(f"WHEN {literal(stored)} THEN {literal(name)}" for stored, name in value.enum_names)
        return f"(CASE {column} {cases} END)"
    return column


class _Writer:
    def __init__(self, visibility: Visibility):
        self.visibility = visibility
        self.aliases = count()

    def alias(self) -> str:
        return f"t{next(self.aliases)}"

    def plan(self, plan: Plan) -> str:
        pairs = []
        for key, part in plan.fields:
            if isinstance(part, Typename):
                value = literal(part.name)
            elif isinstance(part, NodeLookup):
                value = self.node_lookup(part)
            elif isinstance(part, NodeList):
                lookups = ", ".join(self.node_lookup(lookup) for lookup in part.lookups)
                value = f"json_build_array({lookups})"
            else:
                value = self.connection(part, None)
            pairs.append(f"{literal(key)}, {value}")
        return f"SELECT json_build_object({', '.join(pairs)})::text"

    def node_lookup(self, part: NodeLookup) -> str:
        info, alias = part.type, self.alias()
        where = f'{alias}."{info.pk}" = {part.pk} AND {self.visibility(info, alias, probe=True)}'
        return f'(SELECT {self.record(part.selection, alias)} FROM "{info.table}" {alias} WHERE {where})'

    def record(self, selection: Selection, alias: str) -> str:
        info = selection.type
        rollups = [part for _, part in selection.fields if isinstance(part, RollupValue)]
        row = RecordRollups(info, alias, self.visibility.user, rollups)
        pairs = []
        for key, part in selection.fields:
            if isinstance(part, Typename):
                value = literal(part.name)
            elif isinstance(part, GlobalId):
                value = base64(f"""'{info.name}:' || {alias}."{info.pk}\"""")
            elif isinstance(part, Column):
                value = scalar(part.scalar, f'{alias}."{part.scalar.column}"')
            elif isinstance(part, MoneyValue):
                value = self.money(part, info, alias)
            elif isinstance(part, Link):
                value = self.link(part, info, alias)
            elif isinstance(part, RollupValue):
                value = row.value(part)
            elif isinstance(part, UnionLink):
                value = self.union(part, info, alias)
            else:
                value = self.connection(part, (info, alias))
            pairs.append(f"{literal(key)}, {value}")
        return row.around(f"json_build_object({', '.join(pairs)})")

    def money(self, part: MoneyValue, info: TypeInfo, alias: str) -> str:
        amount = f'{alias}."{part.money.amount}"'
        if part.money.currency is not None:
            currency = f'{alias}."{part.money.currency}"'
        else:
            currency = self.parent_currency(part.money.via, info, alias)
        rounded = f"round({amount}, {minor_units_sql(currency)})"
        text = f"{rounded}::text"
        if part.money.precise:
            # Unit prices keep their own decimals when they have more than the currency's.
            text = (
                f"(CASE WHEN {rounded} = {amount} THEN {rounded}::text ELSE trim_scale({amount})::text END)"
            )
        values = {"amount": text, "currency": currency, "__typename": "'Money'"}
        pairs = ", ".join(f"{literal(key)}, {values[name]}" for key, name in part.parts)
        return f"(CASE WHEN {amount} IS NULL THEN NULL ELSE json_build_object({pairs}) END)"

    @staticmethod
    def parent_currency(via: tuple[str, ...], info: TypeInfo, alias: str) -> str:
        parents = []
        for name in via:
            table, column = info.currency_parents[name]
            parents.append(f'(SELECT p."currency" FROM "{table}" p WHERE p."id" = {alias}."{column}")')
        return parents[0] if len(parents) == 1 else f"COALESCE({', '.join(parents)})"

    def link(self, part: Link, parent: TypeInfo, alias: str) -> str:
        info, target = part.selection.type, self.alias()
        if part.link.reverse:
            joined = f'{target}."{part.link.column}" = {alias}."{parent.pk}"'
        else:
            joined = f'{target}."{info.pk}" = {alias}."{part.link.column}"'
        where = f"{joined} AND {self.visibility(info, target)}"
        return f'(SELECT {self.record(part.selection, target)} FROM "{info.table}" {target} WHERE {where})'

    def union(self, part: UnionLink, parent: TypeInfo, alias: str) -> str:
        """The record behind the first foreign key that is set: null when it is hidden (as the general
        path's filtered prefetch leaves it), whatever the later keys hold."""
        cases = " ".join(
            f'WHEN {alias}."{member.column}" IS NOT NULL THEN {self.link(Link(member, selection), parent, alias)}'
            for member, selection in part.members
        )
        return f"(CASE {cases} END)"

    def connection(self, part: Connection, parent: tuple[TypeInfo, str] | None) -> str:
        info, window, arguments = part.target, part.window, part.arguments
        rows = self.alias()
        pk_column = f'{rows}."{info.pk}"'
        conditions = [] if part.inherited else [self.visibility(info, rows, probe=parent is None)]
        if parent is not None:
            parent_info, parent_alias = parent
            conditions.append(f'{rows}."{part.fk_column}" = {parent_alias}."{parent_info.pk}"')
        if arguments.matching is not None:
            conditions.append(f"{pk_column} IN ({arguments.matching})")
        paged_conditions = conditions + between_cursors(window, pk_column)
        if arguments.after is not None:  # after a cursor in an explicit ordering
            paged_conditions.append(f"{pk_column} IN ({arguments.after})")
        counted = paged_conditions if window.prefetched else conditions
        total = f'(SELECT count(*) FROM "{info.table}" {rows} WHERE {" AND ".join(counted)})'
        paged = any(isinstance(p, EdgesPart | PageInfoPart) for _, p in part.parts)
        if not paged:
            pairs = ", ".join(
                f"{literal(key)}, {total if p == 'totalCount' else literal(p.name)}" for key, p in part.parts
            )
            return f"json_build_object({pairs})"
        page = self.alias()
        pk = f'{page}."{info.pk}"'
        source = f'FROM "{info.table}" {rows} WHERE {" AND ".join(paged_conditions)}'
        order = order_sql(arguments.order, rows) if arguments.order else None
        fetched = page_sql(window, rows, pk_column, source, page, order)
        in_page = f"FILTER (WHERE {fetched.in_page})"
        if arguments.order:
            page_cursor = base64(cursor_values_sql(arguments.order, page, scalar))
            edge_order = f"{page}._compiled_rn"
            ends = (
                f"(array_agg({page_cursor} ORDER BY {edge_order}) {in_page})[1]",
                f"(array_agg({page_cursor} ORDER BY {edge_order} DESC) {in_page})[1]",
            )
        else:
            page_cursor, edge_order = cursor(pk), pk
            ends = (cursor(f"min({pk}) {in_page}"), cursor(f"max({pk}) {in_page}"))
        pairs = []
        for key, p in part.parts:
            if p == "totalCount":
                value = total
            elif isinstance(p, Typename):
                value = literal(p.name)
            elif isinstance(p, EdgesPart):
                edge = self.edge(p, page, page_cursor)
                value = f"COALESCE(json_agg({edge} ORDER BY {edge_order}) {in_page}, '[]'::json)"
            else:
                value = self.page_info(p, fetched, *ends)
            pairs.append(f"{literal(key)}, {value}")
        # One row even when nothing selected aggregates (`pageInfo { hasPreviousPage }` alone).
        return f"(SELECT json_build_object({', '.join(pairs)}) FROM ({fetched.rows}) {page} GROUP BY ())"

    def edge(self, part: EdgesPart, page: str, page_cursor: str) -> str:
        pairs = []
        for key, p in part.parts:
            if p == "cursor":
                value = page_cursor
            elif isinstance(p, Typename):
                value = literal(p.name)
            else:
                value = self.record(p, page)
            pairs.append(f"{literal(key)}, {value}")
        return f"json_build_object({', '.join(pairs)})"

    @staticmethod
    def page_info(part: PageInfoPart, fetched: PageSql, start: str, end: str) -> str:
        values = {
            "hasNextPage": fetched.has_next,
            "hasPreviousPage": fetched.has_previous,
            "startCursor": start,
            "endCursor": end,
            "__typename": "'PageInfo'",
        }
        pairs = ", ".join(f"{literal(key)}, {values[name]}" for key, name in part.parts)
        return f"json_build_object({pairs})"


def statement(plan: Plan, visibility: Visibility) -> str:
    """The SELECT whose one row and column is the response's `data` as JSON text."""
    body = _Writer(visibility).plan(plan)
    return visibility.with_clause() + body
