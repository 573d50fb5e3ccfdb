"""Answers a query with one SQL statement when it can, or says it cannot (None) so the general path
answers: the response body is built around the JSON text PostgreSQL returns, never re-parsed."""

import json
import logging

from django.conf import settings
from django.db import DatabaseError, connection

from ..limits import inspect_operation, limit_errors
from .access import Conditions, Unsupported
from .cache import graphql_schema, planned, prepared
from .sql import statement

logger = logging.getLogger("backend.graphql")


def _limits() -> tuple:
    return (settings.GRAPHQL_MAX_TOKENS, settings.GRAPHQL_MAX_DEPTH, settings.GRAPHQL_MAX_ALIASES)


def answer(request, query, variables, operation_name) -> str | None:
    """The response body for a query the compiled path can answer, else None."""
    if not isinstance(query, str) or not isinstance(variables, dict | None):
        return None
    if not isinstance(operation_name, str | None):
        return None
    key = (query, operation_name, *_limits())
    found = prepared(*key)
    if found is None:
        return None
    variables = variables or {}
    try:
        plan = planned(key, json.dumps(variables, sort_keys=True, separators=(",", ":")))
    except (TypeError, ValueError):
        return None
    if plan is None:
        return None
    report = inspect_operation(graphql_schema(), found.document, operation_name, variables)
    if report is None or limit_errors(report):
        return None
    try:
        sql = statement(plan, Conditions(getattr(request, "user", None)))
    except Unsupported:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            (data,) = cursor.fetchone()
    except DatabaseError:
        if connection.in_atomic_block:
            raise
        logger.warning("Compiled read failed; answering through the general path", exc_info=True)
        return None
    cost = {"estimatedNodes": report.estimated_nodes, "limit": settings.GRAPHQL_MAX_ESTIMATED_NODES}
    return '{"data":' + data + ',"extensions":' + json.dumps({"cost": cost}) + "}"


def answer_request(request) -> str | None:
    """The compiled answer to a POSTed JSON query when the setting is on, else None."""
    if not settings.GRAPHQL_COMPILED_READS or request.method != "POST":
        return None
    if request.content_type != "application/json":
        return None
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    if not isinstance(body, dict) or set(body) - {"query", "variables", "operationName", "extensions"}:
        return None
    try:
        return answer(request, body.get("query"), body.get("variables"), body.get("operationName"))
    except DatabaseError:
        raise
    except Exception:
        # A defect here must not cost the client its answer: the general path gives it.
        logger.exception("Compiled read failed; answering through the general path")
        return None
