from decimal import Decimal

import strawberry

from ..enums import AssetKindEnum, FacilityKindEnum, ProductKindEnum

UNSET = strawberry.UNSET


@strawberry.input
class FacilityCreateInput:
    kind: FacilityKindEnum
    name: str
    parent_id: strawberry.ID | None = None
    owner_id: strawberry.ID | None = None
    address: str = ""


@strawberry.input
class FacilityUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    kind: FacilityKindEnum | None = UNSET
    name: str | None = UNSET
    parent_id: strawberry.ID | None = UNSET
    owner_id: strawberry.ID | None = UNSET
    address: str | None = UNSET


@strawberry.input
class ProductCreateInput:
    kind: ProductKindEnum
    name: str
    sku: str
    description: str = ""
    requires_inventory: bool = False
    returnable: bool = True
    taxable: bool = True


@strawberry.input
class ProductUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    kind: ProductKindEnum | None = UNSET
    name: str | None = UNSET
    sku: str | None = UNSET
    description: str | None = UNSET
    requires_inventory: bool | None = UNSET
    returnable: bool | None = UNSET
    taxable: bool | None = UNSET
    disabled: bool | None = UNSET


@strawberry.input
class AssetCreateInput:
    kind: AssetKindEnum
    product_id: strawberry.ID
    facility_id: strawberry.ID | None = None
    serial_number: str = ""
    lot: str = ""
    quantity_on_hand: Decimal = Decimal(0)
    acquire_cost: Decimal | None = None
    currency: str = "USD"


@strawberry.input
class AssetUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    kind: AssetKindEnum | None = UNSET
    facility_id: strawberry.ID | None = UNSET
    serial_number: str | None = UNSET
    lot: str | None = UNSET
    quantity_on_hand: Decimal | None = UNSET
    acquire_cost: Decimal | None = UNSET
    currency: str | None = UNSET
