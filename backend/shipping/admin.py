from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from .models import Shipment, ShipmentItem


class ShipmentItemInline(admin.TabularInline):
    model = ShipmentItem
    extra = 0
    raw_id_fields = ("product", "order_item")


@admin.register(Shipment)
class ShipmentAdmin(GuardedModelAdmin):
    list_display = (
        "id",
        "kind",
        "status",
        "from_party",
        "to_party",
        "carrier",
        "order",
        "estimated_ship_date",
    )
    list_filter = ("kind", "status")
    search_fields = ("tracking_code", "order__number")
    raw_id_fields = (
        "from_party",
        "to_party",
        "carrier",
        "origin_facility",
        "destination_facility",
        "order",
        "ship_task",
        "receive_task",
    )
    readonly_fields = ("status", "shipped_at", "delivered_at")
    inlines = [ShipmentItemInline]
