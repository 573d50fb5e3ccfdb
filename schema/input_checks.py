"""Every argument's value checked before anything runs: one validation rule for every field.

The database cannot store NUL in text, lone surrogates are no UTF-8, a `NaN` or `1E+30` amount
overflows every column and an invalid pattern fails inside PostgreSQL: each would surface as an
unexpected error, or half-way through a mutation. Here they are refused up front, naming the
argument (`extensions.argument`, e.g. `$input.unitCost` or `orders.filters.name.regex`), with
`extensions.code` `INVALID_INPUT`; values nested deeper than `GRAPHQL_MAX_INPUT_DEPTH` are
`INPUT_TOO_DEEP`. Mutations are refused the same way (a GraphQL error, nothing written).
"""

import json
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from graphql import (
    FieldNode,
    FloatValueNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLList,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    StringValueNode,
    ValidationRule,
    get_nullable_type,
    type_from_ast,
)
from graphql.language import ArgumentNode, VariableNode
from strawberry.relay.utils import from_base64

from .ids import canonical

_BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
PATTERN_LOOKUPS = frozenset({"regex", "iRegex"})
CURSOR_ARGUMENTS = frozenset({"after", "before"})
# Every connection pages by the values of its ordering (strawberry-django's cursor connection).
CURSOR_PREFIX = "orderedcursor"
# The lookups of GlobalIDFilterLookup that compare whole ids.
ID_LOOKUPS = frozenset({"exact", "iExact", "inList"})
# The finest column (quantities) keeps 6 decimal places.
MAX_DECIMAL_PLACES = 6


class Invalid(Exception):
    def __init__(self, message: str, code: str = "INVALID_INPUT"):
        super().__init__(message)
        self.message, self.code = message, code


def string_problem(value: str) -> str | None:
    bad = _BAD_CHARACTERS.search(value)
    if bad is None:
        return None
    return "contains a NUL character" if bad.group() == "\x00" else "contains a lone surrogate (not UTF-8)"


def decimal_problem(text: str) -> str | None:
    """Why a Decimal argument cannot be an amount or quantity here, or None."""
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError, TypeError):
        return None  # not a number at all: the scalar says so
    if not value.is_finite():
        return "is not a finite number"
    digits = settings.GRAPHQL_MAX_DECIMAL_DIGITS
    if value and value.adjusted() >= digits:
        return f"has more than {digits} digits before the decimal point"
    if value and value.normalize().as_tuple().exponent < -MAX_DECIMAL_PLACES:
        return f"has more than {MAX_DECIMAL_PLACES} decimal places"
    return None


def pattern_problem(pattern: str) -> str | None:
    """Asks the database itself whether it accepts the pattern (PostgreSQL's regex dialect is not
    Python's); SQLite matches with Python's `re`."""
    if connection.vendor != "postgresql":
        try:
            re.compile(pattern)
        except re.error as error:
            return f"is not a valid regular expression ({error})"
        return None
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT '' ~ %s", [pattern])
    except DatabaseError as error:
        cause = getattr(error.__cause__, "diag", None)
        detail = getattr(cause, "message_primary", None) or "rejected by the database"
        return f"is not a valid regular expression ({detail})"
    return None


def cursor_problem(cursor: str) -> str | None:
    try:
        prefix, payload = from_base64(cursor)
        if prefix != CURSOR_PREFIX or not isinstance(json.loads(payload), list):
            return "is not a cursor of this API"
    except Exception:
        return "is not a cursor of this API"
    return None


def check_cursor(value: str, path: str) -> None:
    problem = string_problem(value) or cursor_problem(value)
    if problem is not None:
        raise Invalid(f"`{path}` {problem}.")


def filtered_id_type(parent, field_name: str) -> str | None:
    """The record type whose ids `<Type>Filter.id` compares: an id of another type matches nothing
    the client meant, so it is refused rather than compared by its number."""
    name = getattr(parent, "name", "")
    return name.removesuffix("Filter") if field_name == "id" and name.endswith("Filter") else None


def id_problem(value: str, expected: str) -> str | None:
    decoded = canonical(value)
    if decoded is not None and decoded[0] == expected:
        return None
    return f"is not the id of {'an' if expected[0] in 'AEIOU' else 'a'} {expected}"


def check_scalar(value, type_, path: str, key: str, id_type: str | None = None) -> None:
    if not isinstance(value, str):
        if type_ is not None and getattr(type_, "name", None) == "Decimal" and isinstance(value, int | float):
            value = str(value)
        else:
            return
    problem = string_problem(value)
    name = getattr(type_, "name", None)
    if problem is None and name == "Decimal":
        problem = decimal_problem(value)
    if problem is None and id_type is not None:
        problem = id_problem(value, id_type)
    if problem is None and key in PATTERN_LOOKUPS:
        problem = pattern_problem(value)
    if problem is not None:
        raise Invalid(f"`{path}` {problem}.")


def too_deep(path: str) -> Invalid:
    limit = settings.GRAPHQL_MAX_INPUT_DEPTH
    return Invalid(
        f"`{path}` is nested more than {limit} levels deep (GRAPHQL_MAX_INPUT_DEPTH).", "INPUT_TOO_DEEP"
    )


def check_value(value, type_, path: str, key: str, depth: int = 0, id_type: str | None = None) -> None:
    """A variable's JSON value against its declared input type (unknown keys are left to coercion)."""
    type_ = get_nullable_type(type_) if type_ is not None else None
    if isinstance(value, list | dict):
        if depth >= settings.GRAPHQL_MAX_INPUT_DEPTH:
            raise too_deep(path)
        if isinstance(value, list):
            item = type_.of_type if isinstance(type_, GraphQLList) else type_
            for i, element in enumerate(value):
                check_value(element, item, f"{path}.{i}", key, depth + 1, id_type)
            return
        fields = type_.fields if isinstance(type_, GraphQLInputObjectType) else {}
        for name, element in value.items():
            field = fields.get(name)
            inner = filtered_id_type(type_, name) or (id_type if name in ID_LOOKUPS else None)
            check_value(element, field.type if field else None, f"{path}.{name}", name, depth + 1, inner)
        return
    check_scalar(value, type_, path, key, id_type)


def check_literal(node, type_, path: str, key: str, depth: int = 0, id_type: str | None = None) -> None:
    """An argument's value written in the document (variables inside it are checked on their own)."""
    type_ = get_nullable_type(type_) if type_ is not None else None
    if isinstance(node, ListValueNode | ObjectValueNode):
        if depth >= settings.GRAPHQL_MAX_INPUT_DEPTH:
            raise too_deep(path)
        if isinstance(node, ListValueNode):
            item = type_.of_type if isinstance(type_, GraphQLList) else type_
            for i, element in enumerate(node.values):
                check_literal(element, item, f"{path}.{i}", key, depth + 1, id_type)
            return
        fields = type_.fields if isinstance(type_, GraphQLInputObjectType) else {}
        for field_node in node.fields:
            name = field_node.name.value
            field = fields.get(name)
            inner = filtered_id_type(type_, name) or (id_type if name in ID_LOOKUPS else None)
            where = f"{path}.{name}"
            check_literal(field_node.value, field.type if field else None, where, name, depth + 1, inner)
        return
    if isinstance(node, StringValueNode) or (
        isinstance(node, IntValueNode | FloatValueNode) and getattr(type_, "name", None) == "Decimal"
    ):
        check_scalar(node.value, type_, path, key, id_type)


def input_values_rule(variables: dict | None) -> type[ValidationRule]:
    variables = variables or {}

    class InputValues(ValidationRule):
        def refuse(self, invalid: Invalid, node) -> None:
            self.report_error(
                GraphQLError(
                    invalid.message, node, extensions={"code": invalid.code, "argument": path_of(invalid)}
                )
            )

        def enter_operation_definition(self, node: OperationDefinitionNode, *_):
            for definition in node.variable_definitions or ():
                name = definition.variable.name.value
                if name not in variables:
                    continue
                type_ = type_from_ast(self.context.schema, definition.type)
                try:
                    check_value(variables[name], type_, f"${name}", name)
                except Invalid as invalid:
                    self.refuse(invalid, definition)

        def enter_argument(self, node: ArgumentNode, _key, _parent, _path, ancestors):
            argument = self.context.get_argument()
            if argument is None:
                return  # an unknown argument: validation says so
            name = node.name.value
            owner = ancestors[-1] if ancestors else None
            where = f"{owner.name.value}.{name}" if isinstance(owner, FieldNode) else name
            try:
                if isinstance(node.value, VariableNode):
                    value = variables.get(node.value.name.value)
                    # its characters were checked with the operation's variables
                    if name in CURSOR_ARGUMENTS and isinstance(value, str) and not string_problem(value):
                        check_cursor(value, f"${node.value.name.value}")
                    return
                if name in CURSOR_ARGUMENTS and isinstance(node.value, StringValueNode):
                    check_cursor(node.value.value, where)
                check_literal(node.value, argument.type, where, name)
            except Invalid as invalid:
                self.refuse(invalid, node)

    return InputValues


def path_of(invalid: Invalid) -> str:
    return invalid.message.split("`", 2)[1]
