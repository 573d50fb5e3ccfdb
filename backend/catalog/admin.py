from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from .models import Asset, Facility, FacilityLocation, Product


class FacilityLocationInline(admin.TabularInline):
    model = FacilityLocation
    extra = 0


@admin.register(Facility)
class FacilityAdmin(GuardedModelAdmin):
    list_display = ("name", "kind", "parent", "owner")
    list_filter = ("kind",)
    search_fields = ("name",)
    raw_id_fields = ("parent", "owner")
    inlines = [FacilityLocationInline]


@admin.register(Product)
class ProductAdmin(GuardedModelAdmin):
    list_display = ("sku", "name", "kind", "requires_inventory", "disabled")
    list_filter = ("kind", "requires_inventory", "disabled")
    search_fields = ("sku", "name")


@admin.register(Asset)
class AssetAdmin(GuardedModelAdmin):
    list_display = ("id", "product", "kind", "facility", "quantity_on_hand", "serial_number")
    list_filter = ("kind",)
    search_fields = ("serial_number", "lot", "product__name")
    raw_id_fields = ("product", "facility")
