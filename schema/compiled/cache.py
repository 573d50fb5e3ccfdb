"""Parsed and validated documents, and their plans, cached per (document text, operation name, the
limits validation reads) and, for plans, the request's variables: a client repeating a query pays for
parsing, validation and planning once."""

import json
from dataclasses import dataclass
from functools import lru_cache

from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql.execution.values import get_variable_values
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from ..input_checks import input_values_rule
from ..limits import DepthAndAliases, OperationReport, inspect_operation, list_lengths_rule
from .planner import CannotCompile, Plan, plan_operation


@dataclass(frozen=True, eq=False)
class Prepared:
    document: DocumentNode
    operation: OperationDefinitionNode


def graphql_schema():
    from ..schema import schema

    return schema._schema


# The rules strawberry adds to graphql-core's: a document they refuse goes the general way, which says why.
STRAWBERRY_RULES = (MaybeNullValidationRule, OneOfInputValidationRule)


@lru_cache(maxsize=256)
def prepared(query: str, operation_name: str | None, max_tokens: int, *_limits) -> Prepared | None:
    """The parsed and validated operation, or None when the document is not a valid one (the general
    path reports why). `_limits` are the other settings validation reads, part of the cache key."""
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLError:
        return None
    if validate(
        graphql_schema(),
        document,
        (*specified_rules, *STRAWBERRY_RULES, DepthAndAliases, list_lengths_rule({}), input_values_rule({})),
    ):
        return None
    operation = get_operation_ast(document, operation_name)
    return None if operation is None else Prepared(document, operation)


@lru_cache(maxsize=1024)
def inputs_accepted(key: tuple, variables_json: str) -> bool:
    """Whether the variables pass the argument checks (schema.input_checks); the general path says
    why when they do not."""
    found = prepared(*key)
    rule = input_values_rule(json.loads(variables_json))
    return found is not None and not validate(graphql_schema(), found.document, [rule])


@lru_cache(maxsize=1024)
def inspected(key: tuple, variables_json: str, _max_page_size: int) -> OperationReport | None:
    """The limits' report on the operation `prepared(*key)` with these variables (the page size limit
    it was judged by is part of the key)."""
    found = prepared(*key)
    if found is None:
        return None
    operation_name = key[1]
    return inspect_operation(graphql_schema(), found.document, operation_name, json.loads(variables_json))


@lru_cache(maxsize=1024)
def planned(key: tuple, variables_json: str) -> Plan | None:
    """The plan for the operation `prepared(*key)` with these variables, or None (general path)."""
    found = prepared(*key)
    if found is None:
        return None
    schema = graphql_schema()
    variables = json.loads(variables_json)
    coerced = get_variable_values(schema, found.operation.variable_definitions or (), variables)
    if isinstance(coerced, list):  # errors: the general path reports them
        return None
    try:
        return plan_operation(schema, found.document, found.operation, coerced)
    except CannotCompile:
        return None
