"""The `filters:` and `ordering:` arguments of a compiled connection.

strawberry-django applies them to a queryset exactly as it does for the general path; the SQL of
that queryset's primary keys becomes a condition of the statement, its values written in by
psycopg as the general path's client-side binding writes them. The ordering is read off the same
queryset (the primary key last, as the general path's cursor pagination adds it), and each row's
cursor is written in SQL the way `OrderedCollectionCursor` writes it in Python.
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models.expressions import Col
from django.db.models.sql.datastructures import BaseTable
from strawberry import UNSET
from strawberry.types import has_object_definition
from strawberry.types.arguments import convert_arguments
from strawberry_django.filters import apply as apply_filters
from strawberry_django.ordering import apply_ordering
from strawberry_django.relay.cursor_connection import (
    DjangoCursorEdge,
    OrderedCollectionCursor,
    annotate_ordering_fields,
    build_tuple_compare,
)

from ..pagination import explicit_nulls
from .catalog import Scalar, TypeInfo

NO_ROWS = "SELECT 0 WHERE FALSE"
# Lookups whose argument PostgreSQL may reject when the statement runs (an invalid pattern).
PATTERN_LOOKUPS = {"regex", "i_regex"}
# Python writes a Decimal with an exponent below 1e-6; PostgreSQL never does.
MAX_PLAIN_PLACES = 6
# How a cursor writes an ordered column: `str()` of the loaded value.
CURSOR_KINDS = (
    (models.DateTimeField, "datetime"),
    (models.DateField, "date"),
    (models.DecimalField, "decimal"),
    (models.IntegerField, "int"),  # the automatic primary keys included
    (models.CharField, "text"),
    (models.TextField, "text"),
)


class Unusable(Exception):
    """Arguments the general path answers (an error, or something not written into SQL here)."""


@dataclass(frozen=True)
class OrderKey:
    column: str
    kind: str  # one of CURSOR_KINDS
    descending: bool
    nulls: str  # "", " NULLS FIRST" or " NULLS LAST"


@dataclass(frozen=True)
class Arguments:
    matching: str | None = None  # SELECT of the primary keys the filters keep; None: every row
    after: str | None = None  # SELECT of those after the `after` cursor in the explicit ordering
    order: tuple[OrderKey, ...] = ()  # the explicit ordering, primary key last; () when none


NO_ARGUMENTS = Arguments()


def _converted(strawberry_field, arguments: dict) -> dict:
    """The `filters` and `ordering` inputs as the resolver receives them."""
    from ..schema import schema

    given = {name: arguments[name] for name in ("filters", "ordering") if name in arguments}
    return convert_arguments(
        given, strawberry_field.arguments, schema.schema_converter.scalar_registry, schema.config
    )


def _has_pattern(value) -> bool:
    """Whether a filter input (at any depth) holds a pattern lookup."""
    if isinstance(value, list):
        return any(_has_pattern(item) for item in value)
    if not has_object_definition(value):
        return False
    for input_field in value.__strawberry_definition__.fields:
        given = getattr(value, input_field.python_name, None)
        if given is None or given is UNSET:
            continue
        if input_field.python_name in PATTERN_LOOKUPS or _has_pattern(given):
            return True
    return False


def _pk_sql(queryset: models.QuerySet) -> str:
    """The queryset's primary keys as one SELECT with its parameters written in."""
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # `inList: []`: Django knows no row matches without asking
        return NO_ROWS
    return connection.ops.compose_sql(sql, params)


def _order_key(queryset: models.QuerySet, order_by) -> OrderKey:
    expression = order_by.expression
    if not isinstance(expression, Col) or not isinstance(
        queryset.query.alias_map[expression.alias], BaseTable
    ):
        raise Unusable("ordering by an expression")
    model_field = expression.target
    if hasattr(model_field, "from_db_value"):
        raise Unusable("ordering by a converted column")
    if isinstance(model_field, models.DecimalField) and model_field.decimal_places > MAX_PLAIN_PLACES:
        raise Unusable("a decimal that str() may write with an exponent")
    kind = next((k for cls, k in CURSOR_KINDS if isinstance(model_field, cls)), None)
    if kind is None:
        raise Unusable("ordering by a column of another kind")
    nulls = " NULLS FIRST" if order_by.nulls_first else " NULLS LAST" if order_by.nulls_last else ""
    return OrderKey(model_field.column, kind, order_by.descending, nulls)


def connection_arguments(strawberry_field, target: TypeInfo, arguments: dict) -> Arguments:
    """The connection's filters and explicit ordering (raises Unusable)."""
    filters, ordering = arguments.get("filters"), arguments.get("ordering")
    if filters is None and not ordering:
        return NO_ARGUMENTS
    try:
        converted = _converted(strawberry_field, arguments)
        if _has_pattern(converted.get("filters")):
            raise Unusable("a pattern lookup")
        queryset = apply_filters(converted.get("filters"), target.model._default_manager.all(), None)
        filtered = bool(queryset.query.where) or queryset.query.is_empty()
        matching = _pk_sql(queryset) if filtered else None
        if not ordering:
            return Arguments(matching)
        queryset = apply_ordering(strawberry_field.get_ordering(), converted["ordering"], None, queryset)
        queryset, descriptors, order_bys = annotate_ordering_fields(explicit_nulls(queryset))
        order = tuple(_order_key(queryset, order_by) for order_by in order_bys)
        after = None
        if arguments.get("after") is not None:
            cursor = OrderedCollectionCursor.from_cursor(arguments["after"], descriptors)
            queryset = queryset.filter(build_tuple_compare(descriptors, cursor.field_values, False))
            after = _pk_sql(queryset)
    except Unusable:
        raise
    except Exception as error:  # the general path reports it (or an error of its own)
        raise Unusable(str(error)) from error
    return Arguments(matching, after, order)


def order_sql(order: tuple[OrderKey, ...], alias: str) -> str:
    return ", ".join(
        f'{alias}."{key.column}" {"DESC" if key.descending else "ASC"}{key.nulls}' for key in order
    )


def _json_ascii(text_sql: str) -> str:
    """`json.dumps` of a string: PostgreSQL's JSON escapes, then every character from DEL up as
    `\\uXXXX` (astral ones as a surrogate pair), as Python's `ensure_ascii` writes them."""
    quoted = f"to_json({text_sql})::text"
    u = "chr(92) || 'u'"
    astral = "(ascii(c) - 65536)"
    escaped = (
        f"(SELECT string_agg(CASE WHEN ascii(c) < 127 THEN c "
        f"WHEN ascii(c) < 65536 THEN {u} || lpad(to_hex(ascii(c)), 4, '0') "
        f"ELSE {u} || to_hex(55296 + ({astral} >> 10)) || {u} || to_hex(56320 + ({astral} & 1023)) END, "
        f"'' ORDER BY n) FROM unnest(string_to_array({quoted}, NULL)) WITH ORDINALITY AS x(c, n))"
    )
    plain = f"octet_length({text_sql}) = char_length({text_sql}) AND strpos({text_sql}, chr(127)) = 0"
    return f"(CASE WHEN {plain} THEN {quoted} ELSE {escaped} END)"


def cursor_values_sql(order: tuple[OrderKey, ...], alias: str, scalar) -> str:
    """The JSON list of the row's ordered values, each as `str()` of the loaded value (or null).
    `scalar` writes a column as the general path serialises it (dates, datetimes, decimals)."""
    values = []
    for key in order:
        column = f'{alias}."{key.column}"'
        if key.kind == "text":
            text = _json_ascii(column)
        else:
            text = f"""'"' || {scalar(Scalar(key.column, key.kind), column)} || '"'"""
        values.append(f"COALESCE({text}, 'null')")
    joined = " || ',' || ".join(values)
    return f"""'{DjangoCursorEdge.CURSOR_PREFIX}:[' || {joined} || ']'"""
