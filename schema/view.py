"""The GraphQL endpoint: refusals of the HTTP request itself answer in GraphQL's JSON error shape."""

from cross_web import HTTPException
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from strawberry.django.views import GraphQLView as StrawberryGraphQLView

from .boundary import Refusal, check_request
from .compiled.run import answer_request

CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "REQUEST_TOO_LARGE"}
# Strawberry's reasons, said more plainly.
REASONS = {"Batching is not enabled": "Batching is not enabled: send one operation per request, not a list."}


def error_response(status: int, message: str, code: str | None = None) -> JsonResponse:
    code = code or CODES.get(status, "BAD_REQUEST")
    return JsonResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status=status)


class GraphQLView(StrawberryGraphQLView):
    def dispatch(self, request, *args, **kwargs):
        try:
            check_request(request)
            # Reads the compiled path can answer exactly come back as one SQL statement's JSON.
            compiled = answer_request(request)
            if compiled is not None:
                return HttpResponse(compiled, content_type="application/json")
            return self.run(request=request)
        except Refusal as refusal:
            return error_response(400, refusal.message, refusal.code)
        except HTTPException as exc:
            return error_response(exc.status_code, REASONS.get(exc.reason, exc.reason))
        except RequestDataTooBig:
            return error_response(
                413, f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."
            )
