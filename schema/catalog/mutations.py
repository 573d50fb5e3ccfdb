import strawberry

from backend.catalog.models import Asset, Facility, Product
from backend.parties.models import Party

from ..crud import create_mutation, delete_mutation, update_mutation
from ..payloads import payload
from .inputs import (
    AssetCreateInput,
    AssetUpdateInput,
    FacilityCreateInput,
    FacilityUpdateInput,
    ProductCreateInput,
    ProductUpdateInput,
)
from .types import AssetType, FacilityType, ProductType

FACILITY_REFS = {"parent_id": Facility, "owner_id": Party}
ASSET_REFS = {"product_id": Product, "facility_id": Facility}


@strawberry.type
class CatalogMutation:
    facility_create = create_mutation(
        Facility,
        FacilityCreateInput,
        payload("FacilityCreatePayload", "facility", FacilityType),
        "facility",
        refs=FACILITY_REFS,
    )
    facility_update = update_mutation(
        Facility,
        FacilityUpdateInput,
        payload("FacilityUpdatePayload", "facility", FacilityType),
        "facility",
        refs=FACILITY_REFS,
    )
    facility_delete = delete_mutation(Facility)
    product_create = create_mutation(
        Product, ProductCreateInput, payload("ProductCreatePayload", "product", ProductType), "product"
    )
    product_update = update_mutation(
        Product, ProductUpdateInput, payload("ProductUpdatePayload", "product", ProductType), "product"
    )
    product_delete = delete_mutation(Product)
    asset_create = create_mutation(
        Asset, AssetCreateInput, payload("AssetCreatePayload", "asset", AssetType), "asset", refs=ASSET_REFS
    )
    asset_update = update_mutation(
        Asset, AssetUpdateInput, payload("AssetUpdatePayload", "asset", AssetType), "asset", refs=ASSET_REFS
    )
    asset_delete = delete_mutation(Asset)
