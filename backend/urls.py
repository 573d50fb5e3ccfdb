from django.contrib import admin
from django.urls import path
from strawberry.django.views import GraphQLView

from backend.accounts.views import csrf_token
from schema.schema import schema

urlpatterns = [
    path("admin/", admin.site.urls),
    path("auth/csrf/", csrf_token, name="csrf-token"),
    path("graphql/", GraphQLView.as_view(schema=schema, allow_queries_via_get=False)),
]
