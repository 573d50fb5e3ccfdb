from typing import Annotated

import strawberry
import strawberry_django
from strawberry import auto, relay

from backend.catalog.models import Asset, Facility, FacilityLocation, Product

from ..enums import AssetKindEnum, FacilityKindEnum, ProductKindEnum
from ..money import Money, money
from ..pagination import Connection, connection
from ..parties.types import PartyType
from ..scoping import Scoped, viewer_can
from .filters import (
    AssetFilter,
    AssetOrdering,
    FacilityFilter,
    FacilityOrdering,
    ProductFilter,
    ProductOrdering,
)


@strawberry_django.type(FacilityLocation, name="FacilityLocation")
class FacilityLocationType:
    code: auto
    description: auto


@strawberry_django.type(Facility, name="Facility", filters=FacilityFilter, ordering=FacilityOrdering)
class FacilityType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(Facility, "change")
    viewer_can_delete: bool = viewer_can(Facility, "delete")
    viewer_can_manage: bool = viewer_can(Facility, "manage")
    kind: FacilityKindEnum
    name: auto
    address: auto
    parent: Annotated["FacilityType", strawberry.lazy("schema.catalog.types")] | None
    owner: PartyType | None
    children: Connection[Annotated["FacilityType", strawberry.lazy("schema.catalog.types")]] = connection()
    locations: list[FacilityLocationType]
    assets: Connection[Annotated["AssetType", strawberry.lazy("schema.catalog.types")]] = connection()
    version: auto


@strawberry_django.type(Product, name="Product", filters=ProductFilter, ordering=ProductOrdering)
class ProductType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(Product, "change")
    viewer_can_delete: bool = viewer_can(Product, "delete")
    viewer_can_manage: bool = viewer_can(Product, "manage")
    kind: ProductKindEnum
    name: auto
    sku: auto
    description: auto
    requires_inventory: auto
    returnable: auto
    taxable: auto
    disabled: auto
    assets: Connection[Annotated["AssetType", strawberry.lazy("schema.catalog.types")]] = connection()
    version: auto


@strawberry_django.type(Asset, name="Asset", filters=AssetFilter, ordering=AssetOrdering)
class AssetType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(Asset, "change")
    viewer_can_delete: bool = viewer_can(Asset, "delete")
    viewer_can_manage: bool = viewer_can(Asset, "manage")
    kind: AssetKindEnum
    product: ProductType
    facility: FacilityType | None
    serial_number: auto
    lot: auto
    quantity_on_hand: auto
    version: auto

    @strawberry_django.field(only=["acquire_cost", "currency"])
    def acquire_cost(self) -> Money | None:
        return money(self.acquire_cost, self.currency)
