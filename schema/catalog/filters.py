from decimal import Decimal

import strawberry_django
from strawberry import auto
from strawberry_django import BaseFilterLookup, ComparisonFilterLookup

from backend.catalog.models import Asset, Facility, Product

from ..enums import AssetKindEnum, FacilityKindEnum, ProductKindEnum
from ..parties.filters import PartyFilter


@strawberry_django.filter_type(Facility, lookups=True)
class FacilityFilter:
    id: auto
    kind: BaseFilterLookup[FacilityKindEnum] | None
    name: auto
    parent: "FacilityFilter | None"
    owner: PartyFilter | None


@strawberry_django.order_type(Facility)
class FacilityOrdering:
    id: auto
    name: auto
    kind: auto


@strawberry_django.filter_type(Product, lookups=True)
class ProductFilter:
    id: auto
    kind: BaseFilterLookup[ProductKindEnum] | None
    name: auto
    sku: auto
    requires_inventory: auto
    returnable: auto
    taxable: auto
    disabled: auto


@strawberry_django.order_type(Product)
class ProductOrdering:
    id: auto
    name: auto
    sku: auto
    kind: auto


@strawberry_django.filter_type(Asset, lookups=True)
class AssetFilter:
    id: auto
    kind: BaseFilterLookup[AssetKindEnum] | None
    product: ProductFilter | None
    facility: FacilityFilter | None
    serial_number: auto
    lot: auto
    quantity_on_hand: ComparisonFilterLookup[Decimal] | None


@strawberry_django.order_type(Asset)
class AssetOrdering:
    id: auto
    serial_number: auto
    quantity_on_hand: auto
    created_at: auto
