"""CSV exports of the `orders` and `jobCosts` connections: every matching row, streamed.

GET /exports/orders.csv?filters=<JSON>&ordering=<JSON> (and /exports/job-costs.csv): `filters` is
the connection's `filters` input and `ordering` its `ordering` list, written as GraphQL variables
are (JSON, camelCase field names). The caller signs in as for /graphql/ (session cookie, or
`Authorization: Bearer <token>`) and gets exactly the rows that connection would page through.
"""

import json

from django.conf import settings
from django.db import DataError
from django.http import JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET
from graphql import GraphQLError, GraphQLList, GraphQLNonNull, coerce_input_value
from graphql.utilities import validate_input_value
from strawberry import relay
from strawberry.types.arguments import convert_argument
from strawberry_django.filters import apply as apply_filters
from strawberry_django.ordering import apply_ordering

from backend.analytics import export
from backend.orders.models import Order
from backend.work.models import JobCost
from permissions.visibility import is_member, visible

from ..boundary import JSON_TOKENS, nesting
from ..input_checks import Invalid, check_value, too_deep
from ..orders.filters import OrderFilter, OrderOrdering
from ..work.filters import JobCostFilter, JobCostOrdering


class BadInput(ValueError):
    pass


CODES = {400: "BAD_REQUEST", 401: "UNAUTHENTICATED"}


def _errors(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"message": message, "extensions": {"code": CODES[status]}}]}, status=status
    )


def _input(request, parameter: str, python_type, many: bool = False):
    """The query parameter as the GraphQL input type would read it from variables, or None."""
    from schema.schema import schema  # the schema imports this package's types

    raw = request.GET.get(parameter)
    if not raw:
        return None
    # The same checks as every GraphQL argument (schema.input_checks), before the JSON parser recurses.
    if nesting(raw, JSON_TOKENS, settings.GRAPHQL_MAX_INPUT_DEPTH):
        raise BadInput(str(too_deep(parameter)))
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise BadInput(f"`{parameter}` is not valid JSON: {exc}.") from None
    name = schema.config.name_converter.from_type(python_type.__strawberry_definition__)
    graphql_type = schema._schema.get_type(name)
    graphql_type = GraphQLList(GraphQLNonNull(graphql_type)) if many else graphql_type
    try:
        check_value(value, graphql_type, parameter, parameter)
    except Invalid as invalid:
        raise BadInput(invalid.message) from None
    errors = []

    def on_error(error: GraphQLError, path) -> None:
        where = "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path or ())
        errors.append(f"`{parameter}{where}`: {error.message}")

    validate_input_value(value, graphql_type, on_error)
    if errors:
        raise BadInput(" ".join(errors))
    coerced = coerce_input_value(value, graphql_type)

    def convert(item):
        return convert_argument(item, python_type, schema.schema_converter.scalar_registry, schema.config)

    return [convert(item) for item in coerced] if many else convert(coerced)


def _csv(request, model, filter_type, ordering_type, header, rows, filename: str):
    user = request.user
    if not is_member(user):
        return _errors("Sign in, or send an API token as `Authorization: Bearer <token>`.", 401)
    try:
        filters = _input(request, "filters", filter_type)
        ordering = _input(request, "ordering", ordering_type, many=True)
    except BadInput as exc:
        return _errors(str(exc), 400)
    queryset = visible(user, model._default_manager.all(), "view")
    queryset = apply_filters(filters, queryset)
    queryset = apply_ordering(ordering_type, ordering, None, queryset) if ordering else queryset
    queryset = queryset.order_by(*queryset.query.order_by, "pk")  # ties broken by id, as on the connection
    try:
        # Before the first byte: what the database refuses (an invalid regex, a NUL) is a 400, not a
        # 200 whose stream is cut after the header.
        list(queryset.values_list("pk", flat=True)[:1])
    except (DataError, ValueError) as exc:
        return _errors(f"`filters` cannot be applied: {str(exc).splitlines()[0]}", 400)

    def id_of(record) -> str:
        return str(relay.GlobalID(type(record).__name__, str(record.pk)))

    response = StreamingHttpResponse(
        export.csv_lines(header, rows(queryset, id_of)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def orders_export(request):
    return _csv(
        request, Order, OrderFilter, OrderOrdering, export.ORDER_HEADER, export.order_rows, "orders.csv"
    )


@require_GET
def job_costs_export(request):
    return _csv(
        request,
        JobCost,
        JobCostFilter,
        JobCostOrdering,
        export.JOB_COST_HEADER,
        export.job_cost_rows,
        "job-costs.csv",
    )
