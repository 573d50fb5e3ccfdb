"""Answer 503 JSON instead of Django's HTML 500 page when the database cannot be reached."""

import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse

UNREACHABLE = (OperationalError, InterfaceError)
_MARK = "_database_unavailable"


def unavailable() -> JsonResponse:
    body = {
        "errors": [
            {
                "message": "The database is unavailable; retry the request.",
                "extensions": {"code": "DATABASE_UNAVAILABLE"},
            }
        ]
    }
    response = JsonResponse(body, status=503)
    response["Retry-After"] = "5"
    return response


def _mark(sender, request=None, **kwargs):
    # Inner middlewares' exceptions become a 500 response before they reach us; the signal still
    # fires inside the except block, so we remember the cause on the request.
    if request is not None and isinstance(sys.exc_info()[1], UNREACHABLE):
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
        if isinstance(exception, UNREACHABLE):
            return unavailable()
        return None
