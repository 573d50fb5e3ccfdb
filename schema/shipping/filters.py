import strawberry_django
from strawberry import auto
from strawberry_django import BaseFilterLookup, DateFilterLookup, DatetimeFilterLookup

from backend.shipping.models import Shipment, ShipmentItem

from ..catalog.filters import FacilityFilter, ProductFilter
from ..enums import ShipmentKindEnum, ShipmentStatusEnum
from ..orders.filters import OrderFilter
from ..parties.filters import PartyFilter
from ..work.filters import TaskFilter


@strawberry_django.filter_type(Shipment, lookups=True)
class ShipmentFilter:
    id: auto
    kind: BaseFilterLookup[ShipmentKindEnum] | None
    status: BaseFilterLookup[ShipmentStatusEnum] | None
    from_party: PartyFilter | None
    to_party: PartyFilter | None
    carrier: PartyFilter | None
    origin_facility: FacilityFilter | None
    destination_facility: FacilityFilter | None
    order: OrderFilter | None
    ship_task: TaskFilter | None
    receive_task: TaskFilter | None
    tracking_code: auto
    estimated_ship_date: DateFilterLookup | None
    estimated_arrival_date: DateFilterLookup | None
    shipped_at: DatetimeFilterLookup | None
    delivered_at: DatetimeFilterLookup | None


@strawberry_django.order_type(Shipment)
class ShipmentOrdering:
    id: auto
    kind: auto
    status: auto
    estimated_ship_date: auto
    estimated_arrival_date: auto
    shipped_at: auto
    delivered_at: auto


@strawberry_django.filter_type(ShipmentItem, lookups=True)
class ShipmentItemFilter:
    id: auto
    shipment: ShipmentFilter | None
    product: ProductFilter | None
    quantity: auto


@strawberry_django.order_type(ShipmentItem)
class ShipmentItemOrdering:
    id: auto
    quantity: auto
