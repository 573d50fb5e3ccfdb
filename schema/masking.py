"""Unexpected exceptions reach clients as "Unexpected error." with the request id; the details go to
the `backend.graphql` log under the same id. A statement cancelled by the database's statement timeout
is a readable error of its own, and so are transient database failures: RETRY_LATER (a deadlock or
serialization failure the mutation's retries did not get past) and DATABASE_UNAVAILABLE (a lost
connection), both answered with HTTP 503 and Retry-After so clients and proxies know to retry."""

import logging
from collections.abc import Iterator

from django.db import OperationalError
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from backend.common.request_ids import request_id
from backend.server.database_errors import RETRY_AFTER_SECONDS, RetryLater, is_retryable, is_unreachable

logger = logging.getLogger("backend.graphql")

# Library errors that describe the client's own input, safe and useful to show as they are.
CLIENT_ERROR_PREFIXES = ("Invalid cursor", "Argument ", "Cannot resolve. GlobalID")
UNEXPECTED = "Unexpected error."
TIMEOUT = "The query took too long and was cancelled."
RETRY_LATER = "The database could not complete the request now; retry it."
UNAVAILABLE = "The database is unavailable; retry the request."
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout


def should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False  # syntax, validation and our own limits
    return not (isinstance(original, ValueError) and str(original).startswith(CLIENT_ERROR_PREFIXES))


def cancelled_by_timeout(error: BaseException | None) -> bool:
    """A database error for a statement PostgreSQL cancelled at the statement timeout."""
    return (
        isinstance(error, OperationalError) and getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED
    )


def timed_out(error: GraphQLError) -> bool:
    return cancelled_by_timeout(error.original_error)


class ErrorMasking(SchemaExtension):
    """Replaces unexpected errors after the operation, logging each with its traceback."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [self.public(error) for error in result.errors]

    def request_id(self) -> str | None:
        request = getattr(self.execution_context.context, "request", None)
        return request_id(request) if request is not None else None

    def public(self, error: GraphQLError) -> GraphQLError:
        if timed_out(error):
            rid = self.request_id()
            logger.warning("Statement timeout at %s (request %s)", error.path, rid, extra={"request_id": rid})
            return self.replace(error, TIMEOUT, {"code": "QUERY_TIMEOUT", "requestId": rid})
        transient = self.transient(error.original_error)
        if transient is not None:
            message, code = transient
            rid = self.request_id()
            logger.warning("%s at %s (request %s)", code, error.path, rid, extra={"request_id": rid})
            self.answer_503()
            return self.replace(error, message, {"code": code, "requestId": rid})
        if not should_mask(error):
            return error
        rid = self.request_id()
        original = error.original_error
        logger.error(
            "Unexpected error at %s (request %s)",
            error.path,
            rid,
            exc_info=(type(original), original, original.__traceback__),
            extra={"request_id": rid},
        )
        return self.replace(error, UNEXPECTED, {"code": "INTERNAL_ERROR", "requestId": rid})

    @staticmethod
    def transient(original: BaseException | None) -> tuple[str, str] | None:
        if isinstance(original, RetryLater) or is_retryable(original):
            return RETRY_LATER, "RETRY_LATER"
        if is_unreachable(original):
            return UNAVAILABLE, "DATABASE_UNAVAILABLE"
        return None

    def answer_503(self) -> None:
        # Strawberry copies the status and headers of the context's response onto the HTTP answer.
        response = getattr(self.execution_context.context, "response", None)
        if response is not None:
            response.status_code = 503
            response["Retry-After"] = RETRY_AFTER_SECONDS

    @staticmethod
    def replace(error: GraphQLError, message: str, extensions: dict | None) -> GraphQLError:
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions=extensions,
        )
