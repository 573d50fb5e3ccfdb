"""Which database failures are transient, and the 503 JSON answer when the database cannot be reached.

Connection failures answer DATABASE_UNAVAILABLE; deadlocks and serialization failures are retried by
`run_mutation` and, when retries run out, answer RETRY_LATER. Both are HTTP 503 with Retry-After."""

import sys

from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import JsonResponse

RETRY_AFTER_SECONDS = "5"
# PostgreSQL SQLSTATEs: a deadlock victim and a serialization failure; re-running the transaction is safe.
RETRYABLE_STATES = frozenset({"40P01", "40001"})
# Admin shutdown, crash shutdown, cannot connect now (a restart in progress).
SHUTDOWN_STATES = frozenset({"57P01", "57P02", "57P03"})
_MARK = "_database_unavailable"


class RetryLater(Exception):
    """A transaction kept failing on deadlocks or serialization failures; the client may retry."""


def sqlstate(error: BaseException | None) -> str | None:
    """The SQLSTATE behind a Django database error (psycopg's error is its `__cause__`)."""
    return getattr(getattr(error, "__cause__", None), "sqlstate", None) or getattr(error, "sqlstate", None)


def is_retryable(error: BaseException | None) -> bool:
    return isinstance(error, DatabaseError) and sqlstate(error) in RETRYABLE_STATES


def is_unreachable(error: BaseException | None) -> bool:
    """A lost or refused connection, not any other OperationalError (timeouts, locks, bad SQL)."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    state = sqlstate(error)
    if state is None:
        # psycopg raises connection failures (refused, reset, closed) without a SQLSTATE.
        return True
    return state.startswith("08") or state in SHUTDOWN_STATES


def _error_response(message: str, code: str) -> JsonResponse:
    response = JsonResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status=503)
    response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def unavailable() -> JsonResponse:
    return _error_response("The database is unavailable; retry the request.", "DATABASE_UNAVAILABLE")


def _mark(sender, request=None, **kwargs):
    # Inner middlewares' exceptions become a 500 response before they reach us; the signal still
    # fires inside the except block, so we remember the cause on the request.
    if request is not None and is_unreachable(sys.exc_info()[1]):
        setattr(request, _MARK, True)


got_request_exception.connect(_mark, dispatch_uid="database_unavailable")


class DatabaseUnavailableMiddleware:
    """Place right after the request-log middleware so it covers every later middleware and view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, _MARK, False):
            return unavailable()
        return response

    def process_exception(self, request, exception):
        if is_unreachable(exception):
            return unavailable()
        return None
