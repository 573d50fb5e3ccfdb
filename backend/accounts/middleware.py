"""Bearer API tokens: `Authorization: Bearer <token>` authenticates the request instead of the session."""

from django.conf import settings
from django.http import JsonResponse

from .services import active_token


def _unauthorized() -> JsonResponse:
    response = JsonResponse(
        {"errors": [{"message": "Invalid or expired API token.", "extensions": {"code": "UNAUTHENTICATED"}}]},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


class BearerTokenMiddleware:
    """Place after AuthenticationMiddleware. A bad token is refused outright, never treated as anonymous."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Any whitespace separates the scheme from the token (RFC 9110 allows a tab too).
        scheme, *credentials = request.META.get("HTTP_AUTHORIZATION", "").split(None, 1) or [""]
        # Tokens open the API only; the admin and other pages stay behind a signed-in session.
        if scheme.lower() != "bearer" or not request.path.startswith(settings.API_TOKEN_PATHS):
            return self.get_response(request)
        token = active_token(credentials[0].strip()) if credentials else None
        if token is None:
            return _unauthorized()
        user = token.user

        async def auser():
            return user

        request.user = user
        request.auser = auser
        request.api_token = token
        # No cookie authenticates this request, so there is nothing for a cross-site request to ride on.
        request._dont_enforce_csrf_checks = True
        return self.get_response(request)
