import datetime
from decimal import Decimal

import strawberry

UNSET = strawberry.UNSET


@strawberry.input(description="A line of a new order.")
class OrderLineInput:
    product_id: strawberry.ID | None = None
    description: str = ""
    quantity: Decimal
    unit_price: Decimal


@strawberry.input
class OrderCreateInput:
    customer_id: strawberry.ID
    vendor_id: strawberry.ID
    currency: str
    number: str | None = strawberry.field(default=None, description="Generated (O-000123) when left out.")
    name: str = ""
    project_id: strawberry.ID | None = None
    items: list[OrderLineInput] = strawberry.field(
        default_factory=list, description="Lines of the order's first part."
    )


@strawberry.input
class OrderUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    number: str | None = UNSET
    name: str | None = UNSET
    project_id: strawberry.ID | None = UNSET
    customer_id: strawberry.ID | None = UNSET
    vendor_id: strawberry.ID | None = UNSET
    currency: str | None = UNSET


@strawberry.input
class OrderPartCreateInput:
    order_id: strawberry.ID
    name: str = ""
    facility_id: strawberry.ID | None = None
    ship_to_address: str = ""
    carrier_id: strawberry.ID | None = None
    ship_after: datetime.date | None = None
    ship_before: datetime.date | None = None


@strawberry.input
class OrderPartUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    name: str | None = UNSET
    facility_id: strawberry.ID | None = UNSET
    ship_to_address: str | None = UNSET
    carrier_id: strawberry.ID | None = UNSET
    ship_after: datetime.date | None = UNSET
    ship_before: datetime.date | None = UNSET


@strawberry.input
class OrderItemCreateInput:
    order_id: strawberry.ID
    part_id: strawberry.ID | None = strawberry.field(
        default=None, description="The order's first part if left out."
    )
    product_id: strawberry.ID | None = None
    description: str = ""
    quantity: Decimal
    unit_price: Decimal


@strawberry.input
class OrderItemUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    part_id: strawberry.ID | None = UNSET
    product_id: strawberry.ID | None = UNSET
    description: str | None = UNSET
    quantity: Decimal | None = UNSET
    unit_price: Decimal | None = UNSET
