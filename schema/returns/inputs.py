from decimal import Decimal

import strawberry

from ..enums import ReturnReasonEnum, ReturnResponseEnum


@strawberry.input(description="One returned line.")
class ReturnItemInput:
    order_item_id: strawberry.ID | None = strawberry.field(
        default=None, description="The order line coming back; gives the product and price by default."
    )
    product_id: strawberry.ID | None = None
    description: str = ""
    quantity: Decimal
    reason: ReturnReasonEnum = ReturnReasonEnum.OTHER
    response: ReturnResponseEnum
    return_price: Decimal | None = strawberry.field(
        default=None, description="Per unit; the order line's unit price when left out."
    )


@strawberry.input
class ReturnCreateInput:
    customer_id: strawberry.ID
    vendor_id: strawberry.ID
    currency: str
    facility_id: strawberry.ID | None = strawberry.field(
        default=None, description="Where the goods come back to."
    )
    order_id: strawberry.ID | None = None
    items: list[ReturnItemInput] = strawberry.field(default_factory=list)


@strawberry.input
class ReturnItemAddInput(ReturnItemInput):
    return_header_id: strawberry.ID
