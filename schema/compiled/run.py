"""Answers a query with one SQL statement when it can, or says it cannot (None) so the general path
answers: the response body is built around the JSON text PostgreSQL returns, never re-parsed."""

import json
import logging

from django.conf import settings
from django.db import DatabaseError, connection

from backend.common.request_ids import request_id

from ..limits import limit_errors, long_list
from ..masking import TIMEOUT, cancelled_by_timeout
from .access import Conditions, Unsupported
from .cache import inputs_accepted, inspected, planned, prepared
from .database import fetch_text, supported
from .sql import statement

logger = logging.getLogger("backend.graphql")


# Documents and variables are cache keys: longer ones (rare in real clients) go the general way.
MAX_QUERY_LENGTH = 32 * 1024
MAX_VARIABLES_LENGTH = 4 * 1024


def _limits() -> tuple:
    return (
        settings.GRAPHQL_MAX_TOKENS,
        settings.GRAPHQL_MAX_DEPTH,
        settings.GRAPHQL_MAX_ALIASES,
        settings.GRAPHQL_MAX_INPUT_ITEMS,
        settings.GRAPHQL_MAX_INPUT_DEPTH,
        settings.GRAPHQL_MAX_DECIMAL_DIGITS,
    )


def answer(request, query, variables, operation_name) -> str | None:
    """The response body for a query the compiled path can answer, else None."""
    if not isinstance(query, str) or not isinstance(variables, dict | None):
        return None
    if not isinstance(operation_name, str | None) or len(query) > MAX_QUERY_LENGTH:
        return None
    try:
        variables_json = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    if len(variables_json) > MAX_VARIABLES_LENGTH or long_list(variables or {}, ""):
        return None  # the general path refuses a list over the limit
    key = (query, operation_name, *_limits())
    if prepared(*key) is None or (variables and not inputs_accepted(key, variables_json)):
        return None
    # The limits first: planning walks the selection, which they bound.
    report = inspected(key, variables_json, settings.GRAPHQL_MAX_PAGE_SIZE)
    if report is None or limit_errors(report):
        return None
    plan = planned(key, variables_json)
    if plan is None:
        return None
    try:
        sql = statement(plan, Conditions(getattr(request, "user", None)))
    except Unsupported:
        return None
    cost = {"estimatedNodes": report.estimated_nodes, "limit": settings.GRAPHQL_MAX_ESTIMATED_NODES}
    try:
        data = fetch_text(sql)
    except DatabaseError as error:
        if not cancelled_by_timeout(error):
            return _failed(error)
        # The general path would take as long again: the client hears of the timeout at once.
        rid = request_id(request)
        logger.warning("Statement timeout in a compiled read (request %s)", rid, extra={"request_id": rid})
        timeout = {"message": TIMEOUT, "extensions": {"code": "QUERY_TIMEOUT", "requestId": rid}}
        return json.dumps({"data": None, "errors": [timeout], "extensions": {"cost": cost}})
    request.compiled_read = True
    return '{"data":' + data + ',"extensions":' + json.dumps({"cost": cost}) + "}"


def _failed(error: DatabaseError) -> None:
    """After a database error: the general path answers, unless the error ended the transaction."""
    if connection.in_atomic_block:
        raise error
    logger.warning("Compiled read failed; answering through the general path", exc_info=True)
    return None


def answer_request(request) -> str | None:
    """The compiled answer to a POSTed JSON query when the setting is on, else None."""
    if not settings.GRAPHQL_COMPILED_READS or request.method != "POST" or not supported():
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
