from typing import Annotated

import strawberry
import strawberry_django
from strawberry import auto, relay

from backend.shipping.models import Shipment, ShipmentItem
from backend.shipping.transitions import flow_for

from ..catalog.types import FacilityType, ProductType
from ..enums import ShipmentKindEnum, ShipmentStatusEnum
from ..money import Money, money
from ..orders.types import OrderItemType, OrderRef
from ..pagination import Connection, connection
from ..parties.types import PartyType, TaskConnection
from ..scoping import Scoped, up_link, viewer_can
from ..status import StatusChangeType, StatusTransition, allowed_transitions_field, status_history_field
from ..work.types import TaskRef
from .filters import ShipmentFilter, ShipmentItemFilter, ShipmentItemOrdering, ShipmentOrdering

ShipmentRef = Annotated["ShipmentType", strawberry.lazy("schema.shipping.types")]


@strawberry_django.type(Shipment, name="Shipment", filters=ShipmentFilter, ordering=ShipmentOrdering)
class ShipmentType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(Shipment, "change")
    viewer_can_delete: bool = viewer_can(Shipment, "delete")
    viewer_can_manage: bool = viewer_can(Shipment, "manage")
    allowed_transitions: list[StatusTransition] = allowed_transitions_field(Shipment, flow_for)
    status_history: list[StatusChangeType] = status_history_field()
    kind: ShipmentKindEnum
    status: ShipmentStatusEnum
    from_party: PartyType
    to_party: PartyType
    origin_facility: FacilityType | None
    destination_facility: FacilityType | None
    carrier: PartyType | None
    tracking_code: auto
    estimated_ship_date: auto
    estimated_arrival_date: auto
    shipped_at: auto
    delivered_at: auto
    created_at: auto
    updated_at: auto
    version: auto
    order: OrderRef | None
    ship_task: TaskRef | None = strawberry_django.field(description="The task that ships it.")
    receive_task: TaskRef | None = strawberry_django.field(description="The task that receives it.")
    items: Connection[Annotated["ShipmentItemType", strawberry.lazy("schema.shipping.types")]] = connection()
    tasks: TaskConnection = connection()

    @strawberry_django.field(only=["cost", "currency"])
    def cost(self) -> Money | None:
        return money(self.cost, self.currency)


@strawberry_django.type(
    ShipmentItem, name="ShipmentItem", filters=ShipmentItemFilter, ordering=ShipmentItemOrdering
)
class ShipmentItemType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(ShipmentItem, "change")
    viewer_can_delete: bool = viewer_can(ShipmentItem, "delete")
    viewer_can_manage: bool = viewer_can(ShipmentItem, "manage")
    shipment: ShipmentRef | None = up_link()
    product: ProductType
    quantity: auto
    order_item: OrderItemType | None
    version: auto
