from django.contrib import admin
from django.urls import path

from backend.accounts.views import csrf_token
from backend.server.health import health
from schema.analytics.exports import job_costs_export, orders_export
from schema.schema import schema
from schema.view import GraphQLView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("exports/orders.csv", orders_export, name="orders-export"),
    path("exports/job-costs.csv", job_costs_export, name="job-costs-export"),
    path("auth/csrf/", csrf_token, name="csrf-token"),
    path("graphql/", GraphQLView.as_view(schema=schema, allow_queries_via_get=False)),
    path("health/", health, name="health"),
]
