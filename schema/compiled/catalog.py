"""Which GraphQL types and fields of the hierarchy map onto tables and columns, and how each column is
written into JSON so that it reads exactly as the general path serialises it.

The catalog is read off the schema itself (the strawberry-django field behind each GraphQL field and
the model field behind that), so a field added to a type is compiled only when it is a plain column,
a link along a foreign key (or the reverse side of a one-to-one field) between two catalogued types, or
a money field listed in MONEY, or a union listed in UNIONS (rollups are compiled apart, in
`rollups.py`). Everything else (fields with other resolvers, lists) is absent, and an operation that
selects it is answered by the general path.
"""

from dataclasses import dataclass, field
from functools import cache

from django.db import models
from graphql import GraphQLEnumType, GraphQLNonNull, GraphQLObjectType, get_named_type
from strawberry_django.fields.field import StrawberryDjangoField

from backend.common.money import CURRENCY_MINOR_UNITS
from graph.hierarchy import TASK_TARGETS
from permissions.visibility import inherited_through

from ..pagination import ConnectionField

# GraphQL root connection → node type, for the root fields that are compiled.
ROOT_CONNECTIONS: dict[str, str] = {
    "projects": "Project",
    "orders": "Order",
    "jobs": "Job",
    "jobCosts": "JobCost",
    "tasks": "Task",
    "timeEntries": "TimeEntry",
    "shipments": "Shipment",
    "orderParts": "OrderPart",
    "orderItems": "OrderItem",
    "shipmentItems": "ShipmentItem",
    "invoices": "Invoice",
    "invoiceItems": "InvoiceItem",
    "payments": "Payment",
    "paymentApplications": "PaymentApplication",
    "returns": "Return",
    "returnItems": "ReturnItem",
    "parties": "Party",
    "products": "Product",
    "assets": "Asset",
    "facilities": "Facility",
    "taskTemplates": "TaskTemplate",
}
# Types whose fields are compiled.
TYPES = tuple(ROOT_CONNECTIONS.values())


@dataclass(frozen=True)
class Money:
    """`Money { amount currency }` from an amount column and a currency: a column of the row, or the
    currency of the record a foreign key of the row points at (the first of `via` that is set)."""

    amount: str
    currency: str | None  # a column of the row; None: the currency of the records in `via`
    precise: bool = False  # unit prices and rates keep up to 5 decimals
    via: tuple[str, ...] = ("order",)  # foreign keys, as the type's resolver coalesces them


MONEY: dict[tuple[str, str], Money] = {
    ("Project", "budget"): Money("budget", "currency"),
    ("Order", "total"): Money("total", "currency"),
    ("Job", "budgetedCost"): Money("budgeted_cost", None),
    ("Job", "budgetedRevenue"): Money("budgeted_revenue", None),
    ("JobCost", "unitCost"): Money("unit_cost", "currency", precise=True),
    ("JobCost", "amount"): Money("amount", "currency"),
    ("TimeEntry", "costRate"): Money("cost_rate", "currency", precise=True),
    ("TimeEntry", "billRate"): Money("bill_rate", "currency", precise=True),
    ("Shipment", "cost"): Money("cost", "currency"),
    ("OrderPart", "total"): Money("total", None),
    ("OrderItem", "unitPrice"): Money("unit_price", None, precise=True),
    ("OrderItem", "total"): Money("total", None),
    ("Invoice", "total"): Money("total", "currency"),
    ("Invoice", "appliedTotal"): Money("applied_total", "currency"),
    ("Invoice", "unpaidTotal"): Money("unpaid_total", "currency"),
    ("InvoiceItem", "unitPrice"): Money("unit_price", None, precise=True, via=("invoice",)),
    ("InvoiceItem", "total"): Money("total", None, via=("invoice",)),
    ("Payment", "amount"): Money("amount", "currency"),
    ("Payment", "appliedTotal"): Money("applied_total", "currency"),
    ("Payment", "unappliedTotal"): Money("unapplied_total", "currency"),
    # APPLICATION_CURRENCY in schema/billing/types.py.
    ("PaymentApplication", "amount"): Money("amount", None, via=("payment", "invoice", "to_invoice")),
    ("PaymentApplication", "originalAmount"): Money(
        "original_amount", None, via=("payment", "invoice", "to_invoice")
    ),
    ("ReturnItem", "returnPrice"): Money("return_price", None, precise=True, via=("return_header",)),
    ("Asset", "acquireCost"): Money("acquire_cost", "currency"),
}


# Union fields whose value is the record behind the first of these foreign keys that is set (model
# label → foreign key, in the order the resolver tries them): `Task.target` reads `Task.target`.
UNIONS: dict[tuple[str, str], dict[str, str]] = {("Task", "target"): TASK_TARGETS}


@dataclass(frozen=True)
class Scalar:
    column: str
    kind: str  # "text", "int", "bool", "decimal", "date", "datetime", "enum"
    enum_names: tuple[tuple[str, str], ...] = ()  # (stored value, GraphQL name) when they differ


@dataclass(frozen=True)
class ToOne:
    column: str  # the foreign key column on this row (reverse: on the target's row, pointing here)
    target: str  # GraphQL type name
    nullable: bool
    reverse: bool = False  # the other side of a one-to-one field declared on the target


@dataclass(frozen=True)
class Children:
    column: str  # the foreign key column on the child rows
    target: str
    inherited: bool  # every child of a visible parent is visible: no filter of its own


@dataclass
class TypeInfo:
    name: str
    model: type[models.Model]
    table: str
    pk: str
    # Foreign key → (table, column) of the records whose currency the row's money takes.
    currency_parents: dict[str, tuple[str, str]] = field(default_factory=dict)
    scalars: dict[str, Scalar] = field(default_factory=dict)
    money: dict[str, Money] = field(default_factory=dict)
    to_one: dict[str, ToOne] = field(default_factory=dict)
    children: dict[str, Children] = field(default_factory=dict)
    unions: dict[str, tuple[ToOne, ...]] = field(default_factory=dict)  # the members, tried in order


SCALAR_KINDS = {"String": "text", "Int": "int", "Boolean": "bool", "Decimal": "decimal"}
DATE_KINDS = {models.DateTimeField: "datetime", models.DateField: "date"}


def _scalar(model_field: models.Field, graphql_type) -> Scalar | None:
    named = get_named_type(graphql_type)
    if isinstance(named, GraphQLEnumType):
        pairs = tuple((str(v.value), name) for name, v in named.values.items())
        differing = tuple(p for p in pairs if p[0] != p[1])
        return Scalar(model_field.column, "enum", pairs if differing else ())
    for django_type, kind in DATE_KINDS.items():
        if isinstance(model_field, django_type) and named.name in ("Date", "DateTime"):
            return Scalar(model_field.column, kind)
    kind = SCALAR_KINDS.get(named.name)
    if kind == "decimal" and not isinstance(model_field, models.DecimalField):
        return None
    return Scalar(model_field.column, kind) if kind else None


def _connection_node(graphql_type) -> str | None:
    named = get_named_type(graphql_type)
    edges = getattr(named, "fields", {}).get("edges")
    if edges is None:
        return None
    return get_named_type(get_named_type(edges.type).fields["node"].type).name


def _model(gtype: GraphQLObjectType) -> type[models.Model]:
    return gtype.extensions["strawberry-definition"].origin.__strawberry_django_definition__.model


def _union(model: type[models.Model], gfield, keys: dict[str, str]) -> tuple[ToOne, ...] | None:
    members = {_model(member)._meta.label: member.name for member in get_named_type(gfield.type).types}
    if set(members) != set(keys) or not set(members.values()) <= set(TYPES):
        return None
    return tuple(
        ToOne(model._meta.get_field(key).column, members[label], True) for label, key in keys.items()
    )


def _type_info(graphql_schema, name: str) -> TypeInfo:
    gtype: GraphQLObjectType = graphql_schema.get_type(name)
    model = _model(gtype)
    info = TypeInfo(name, model, model._meta.db_table, model._meta.pk.column)
    for gname, gfield in gtype.fields.items():
        if (name, gname) in MONEY:
            info.money[gname] = MONEY[(name, gname)]
            continue
        if (name, gname) in UNIONS:
            members = _union(model, gfield, UNIONS[(name, gname)])
            if members is not None:
                info.unions[gname] = members
            continue
        sfield = gfield.extensions.get("strawberry-definition")
        if not isinstance(sfield, StrawberryDjangoField) or not sfield.django_name:
            continue
        try:
            model_field = model._meta.get_field(sfield.django_name)
        except Exception:
            continue
        if isinstance(sfield, ConnectionField):
            target = _connection_node(gfield.type)
            reverse_key = isinstance(model_field, models.ManyToOneRel) and not model_field.one_to_one
            if reverse_key and target in TYPES:
                inherited = inherited_through(model_field.related_model, model_field.field.name)
                info.children[gname] = Children(model_field.field.column, target, inherited)
            continue
        if sfield.base_resolver is not None:
            continue
        if isinstance(model_field, models.OneToOneRel):
            target = get_named_type(gfield.type).name
            if target in TYPES and not isinstance(gfield.type, GraphQLNonNull):
                info.to_one[gname] = ToOne(model_field.field.column, target, True, reverse=True)
            continue
        if isinstance(model_field, models.ForeignKey):  # OneToOneField included
            target = get_named_type(gfield.type).name
            if target in TYPES:
                info.to_one[gname] = ToOne(
                    model_field.column, target, not isinstance(gfield.type, GraphQLNonNull)
                )
            continue
        if model_field.concrete and not model_field.is_relation:
            scalar = _scalar(model_field, gfield.type)
            if scalar is not None:
                info.scalars[gname] = scalar
    for money in info.money.values():
        for name in money.via if money.currency is None else ():
            parent_field = model._meta.get_field(name)
            info.currency_parents[name] = (parent_field.related_model._meta.db_table, parent_field.column)
    return info


@cache
def catalog() -> dict[str, TypeInfo]:
    from ..schema import schema

    graphql_schema = schema._schema
    return {name: _type_info(graphql_schema, name) for name in TYPES}


def minor_units_sql(currency_sql: str) -> str:
    """The currency's minor unit digits as SQL (the table of backend.common.money)."""
    cases = " ".join(f"WHEN '{code}' THEN {digits}" for code, digits in CURRENCY_MINOR_UNITS.items())
    return f"(CASE {currency_sql} {cases} END)"
