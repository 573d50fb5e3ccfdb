from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET


@require_GET
@never_cache
@ensure_csrf_cookie
def csrf_token(request):
    """Sets the csrftoken cookie and returns the token, for apps that cannot read the API's cookies."""
    return JsonResponse({"csrfToken": get_token(request)})


def csrf_failure(request, reason=""):
    """A refused CSRF check in GraphQL's error shape, with how to pass it, instead of Django's page."""
    message = (
        "CSRF check failed: send the csrftoken cookie and its value as X-CSRFToken (GET /auth/csrf/ "
        "returns it; it changes at sessionLogin), or authenticate with Authorization: Bearer <token>."
    )
    return JsonResponse({"errors": [{"message": message, "extensions": {"code": "CSRF_FAILED"}}]}, status=403)
