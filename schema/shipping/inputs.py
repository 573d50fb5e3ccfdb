import datetime
from decimal import Decimal

import strawberry

from ..enums import ShipmentKindEnum

UNSET = strawberry.UNSET


@strawberry.input
class ShipmentCreateInput:
    kind: ShipmentKindEnum
    from_party_id: strawberry.ID
    to_party_id: strawberry.ID
    order_id: strawberry.ID | None = None
    origin_facility_id: strawberry.ID | None = None
    destination_facility_id: strawberry.ID | None = None
    carrier_id: strawberry.ID | None = None
    ship_task_id: strawberry.ID | None = None
    receive_task_id: strawberry.ID | None = None
    tracking_code: str = ""
    estimated_ship_date: datetime.date | None = None
    estimated_arrival_date: datetime.date | None = None
    cost: Decimal | None = None
    currency: str = "USD"


@strawberry.input
class ShipmentUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    from_party_id: strawberry.ID | None = UNSET
    to_party_id: strawberry.ID | None = UNSET
    order_id: strawberry.ID | None = UNSET
    origin_facility_id: strawberry.ID | None = UNSET
    destination_facility_id: strawberry.ID | None = UNSET
    carrier_id: strawberry.ID | None = UNSET
    ship_task_id: strawberry.ID | None = UNSET
    receive_task_id: strawberry.ID | None = UNSET
    tracking_code: str | None = UNSET
    estimated_ship_date: datetime.date | None = UNSET
    estimated_arrival_date: datetime.date | None = UNSET
    cost: Decimal | None = UNSET
    currency: str | None = UNSET


@strawberry.input
class ShipmentItemCreateInput:
    shipment_id: strawberry.ID
    product_id: strawberry.ID
    quantity: Decimal
    order_item_id: strawberry.ID | None = None


@strawberry.input
class ShipmentItemUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    quantity: Decimal | None = UNSET
    order_item_id: strawberry.ID | None = UNSET
