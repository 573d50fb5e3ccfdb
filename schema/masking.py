"""Unexpected exceptions reach clients as "Unexpected error." with the request id; the details go to
the `backend.graphql` log under the same id. A statement cancelled by the database's statement timeout
is a readable error of its own."""

import logging
from collections.abc import Iterator

from django.db import OperationalError
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from backend.common.request_ids import request_id

logger = logging.getLogger("backend.graphql")

# Library errors that describe the client's own input, safe and useful to show as they are.
CLIENT_ERROR_PREFIXES = ("Invalid cursor", "Argument ", "Cannot resolve. GlobalID")
UNEXPECTED = "Unexpected error."
TIMEOUT = "The query took too long and was cancelled."
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
    def replace(error: GraphQLError, message: str, extensions: dict | None) -> GraphQLError:
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions=extensions,
        )
