from decimal import Decimal

import strawberry_django
from strawberry import auto
from strawberry_django import BaseFilterLookup, DateFilterLookup, DatetimeFilterLookup

from backend.analytics import rollups
from backend.orders.models import Order, OrderItem, OrderPart

from ..analytics.fields import rollup_filter, rollup_order
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
    revenue: Decimal | None = rollup_filter(rollups.order_revenue, "Revenue, in the order's currency.")
    invoiced_amount: Decimal | None = rollup_filter(rollups.order_invoiced, "Invoiced less credits.")
    paid_amount: Decimal | None = rollup_filter(rollups.order_paid, "Payments applied.")
    outstanding_amount: Decimal | None = rollup_filter(rollups.order_outstanding, "Invoiced less paid.")
    cost: Decimal | None = rollup_filter(rollups.order_cost, "Approved job costs.")
    margin: Decimal | None = rollup_filter(rollups.order_margin, "Revenue less approved job costs.")
    margin_percent: Decimal | None = rollup_filter(
        rollups.order_margin_percent, "Margin as a percentage of revenue (orders without revenue have none)."
    )


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
    revenue: auto = rollup_order(rollups.order_revenue, "Revenue.")
    invoiced_amount: auto = rollup_order(rollups.order_invoiced, "Invoiced less credits.")
    paid_amount: auto = rollup_order(rollups.order_paid, "Payments applied.")
    outstanding_amount: auto = rollup_order(rollups.order_outstanding, "Invoiced less paid.")
    cost: auto = rollup_order(rollups.order_cost, "Approved job costs.")
    margin: auto = rollup_order(rollups.order_margin, "Revenue less approved job costs.")
    margin_percent: auto = rollup_order(rollups.order_margin_percent, "Margin as a percentage of revenue.")


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
