"""A URL map for the request log tests: the project's, plus a body streamed with queries."""

from django.contrib.auth import get_user_model
from django.http import StreamingHttpResponse
from django.urls import path

from backend.urls import urlpatterns as project_urlpatterns


def counted_rows(request):
    def rows():
        for _ in range(3):
            yield f"{get_user_model().objects.count()}\n"

    return StreamingHttpResponse(rows(), content_type="text/plain")


urlpatterns = [*project_urlpatterns, path("test/streamed/", counted_rows)]
