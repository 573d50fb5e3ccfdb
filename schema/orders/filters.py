import strawberry_django
from strawberry import auto
from strawberry_django import BaseFilterLookup, DateFilterLookup, DatetimeFilterLookup

from backend.orders.models import Order, OrderItem, OrderPart

from ..catalog.filters import FacilityFilter, ProductFilter
from ..enums import OrderKindEnum, OrderStatusEnum
from ..parties.filters import PartyFilter
from ..projects.filters import ProjectFilter


@strawberry_django.filter_type(Order, lookups=True)
class OrderFilter:
    id: auto
    number: auto
    name: auto
    kind: BaseFilterLookup[OrderKindEnum] | None
    status: BaseFilterLookup[OrderStatusEnum] | None
    currency: auto
    project: ProjectFilter | None
    customer: PartyFilter | None
    vendor: PartyFilter | None
    entered_at: DatetimeFilterLookup | None
    placed_at: DatetimeFilterLookup | None
    approved_at: DatetimeFilterLookup | None
    completed_at: DatetimeFilterLookup | None
    total: auto


@strawberry_django.order_type(Order)
class OrderOrdering:
    id: auto
    number: auto
    name: auto
    status: auto
    entered_at: auto
    placed_at: auto
    approved_at: auto
    completed_at: auto
    total: auto


@strawberry_django.filter_type(OrderPart, lookups=True)
class OrderPartFilter:
    id: auto
    name: auto
    status: BaseFilterLookup[OrderStatusEnum] | None
    order: OrderFilter | None
    facility: FacilityFilter | None
    carrier: PartyFilter | None
    ship_after: DateFilterLookup | None
    ship_before: DateFilterLookup | None


@strawberry_django.order_type(OrderPart)
class OrderPartOrdering:
    id: auto
    name: auto
    status: auto
    ship_before: auto


@strawberry_django.filter_type(OrderItem, lookups=True)
class OrderItemFilter:
    id: auto
    description: auto
    order: OrderFilter | None
    part: OrderPartFilter | None
    product: ProductFilter | None
    quantity: auto
    unit_price: auto
    total: auto


@strawberry_django.order_type(OrderItem)
class OrderItemOrdering:
    id: auto
    description: auto
    quantity: auto
    unit_price: auto
    total: auto
