"""One structured log line per request, and the request id on every response."""

import json
import logging
import time

from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import UnreadablePostError
from django.http.request import RawPostDataException
from django.utils.functional import SimpleLazyObject
from graphql.error import GraphQLSyntaxError
from graphql.language import Lexer, Source, TokenKind

from backend.common.request_ids import request_id

logger = logging.getLogger("backend.requests")

GRAPHQL_PATH = "/graphql/"
OPERATION_KEYWORDS = frozenset({"query", "mutation", "subscription"})


class RequestLogMiddleware:
    """Logs `backend.requests` with the request id, method, path, GraphQL operation name, status,
    duration, SQL statement count, user id and whether a compiled read answered, and sets
    `X-Request-ID` on the response.

    Place it right after CorsMiddleware, so that the duration covers the rest of the stack and every
    response but CORS preflights, static files and refusals included, carries the id.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request_id(request)
        statements = StatementCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(statements):
            response = self.get_response(request)
        response["X-Request-ID"] = rid

        def log() -> None:
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": rid,
                    "method": request.method,
                    "path": request.path,
                    "operation_name": operation_name(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "sql_count": statements.count,
                    "user_id": _user_id(request),
                    # a GraphQL read answered by one compiled SQL statement (schema/compiled/)
                    "compiled": getattr(request, "compiled_read", False),
                },
            )

        # A streamed body (a CSV export) runs its queries while it is sent: count and time them too,
        # and log when the server closes the response. Files are sent as they are (sendfile).
        if response.streaming and not response.is_async and getattr(response, "file_to_stream", None) is None:
            response.streaming_content = LoggedStream(response.streaming_content, statements, log)
        else:
            log()
        return response


class StatementCounter:
    """A `connection.execute_wrapper` that counts the statements sent (DEBUG does not matter)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class LoggedStream:
    """A streamed body whose statements are counted as it is sent; `on_close` runs once, when the
    response is closed (after the last chunk, or when the client went away)."""

    def __init__(self, content, statements: StatementCounter, on_close):
        self.content, self.statements, self.on_close = content, statements, on_close
        self.sending = None

    def __iter__(self):
        self.sending = self._send()
        return self.sending

    def _send(self):
        with connection.execute_wrapper(self.statements):
            yield from self.content

    def close(self) -> None:
        if self.sending is not None:
            self.sending.close()
        if self.on_close is not None:
            on_close, self.on_close = self.on_close, None
            on_close()


def operation_name(request) -> str | None:
    """The GraphQL operation a JSON POST to the API ran: `operationName`, else the name of the
    document's first operation. None for other requests and for anonymous operations."""
    if request.method != "POST" or request.path != GRAPHQL_PATH or request.content_type != "application/json":
        return None
    try:
        payload = json.loads(request.body)
    # The view read the body as a stream, or refused it as too large or too deep, or the client went away.
    except (RawPostDataException, RequestDataTooBig, UnreadablePostError, ValueError, RecursionError):
        return None
    if not isinstance(payload, dict):
        return None
    name = payload.get("operationName")
    if isinstance(name, str) and name:
        return name
    document = payload.get("query")
    return first_operation_name(document) if isinstance(document, str) else None


def first_operation_name(document: str) -> str | None:
    """The name of the first operation in a GraphQL document, reading only as far as it.

    Definitions start at the top level, at the start or right after a closing brace; an operation
    starts with `{` (anonymous) or `query` / `mutation` / `subscription` and an optional name.
    """
    lexer = Lexer(Source(document))
    depth = 0
    definition_start = True
    try:
        token = lexer.advance()
        while token.kind != TokenKind.EOF:
            if depth == 0 and definition_start:
                if token.kind == TokenKind.BRACE_L:
                    return None
                if token.kind == TokenKind.NAME and token.value in OPERATION_KEYWORDS:
                    following = lexer.advance()
                    return following.value if following.kind == TokenKind.NAME else None
            definition_start = False
            if token.kind == TokenKind.BRACE_L:
                depth += 1
            elif token.kind == TokenKind.BRACE_R:
                depth -= 1
                definition_start = depth == 0
            token = lexer.advance()
    except GraphQLSyntaxError:
        return None
    return None


def _user_id(request) -> int | None:
    """The user's id when the request looked its user up: reading `request.user` here would cost a
    session query on requests that never needed one (static files, the health check)."""
    # The session user, cached by Django's auth middleware once something asked for it.
    user = request.__dict__.get("_cached_user") or request.__dict__.get("_acached_user")
    if user is None and type(request.__dict__.get("user")) is not SimpleLazyObject:
        user = request.__dict__.get("user")  # set directly by the bearer token middleware
    return user.pk if user is not None and user.is_authenticated else None
