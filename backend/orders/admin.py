from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from .models import Order, OrderItem, OrderPart


class OrderPartInline(admin.TabularInline):
    model = OrderPart
    extra = 0
    fields = ("name", "status", "facility", "carrier", "ship_before", "total")
    readonly_fields = ("status", "total")
    raw_id_fields = ("facility", "carrier")


@admin.register(Order)
class OrderAdmin(GuardedModelAdmin):
    list_display = ("number", "kind", "customer", "vendor", "status", "total", "currency", "placed_at")
    list_filter = ("kind", "status", "currency")
    search_fields = ("number", "name", "customer__name", "vendor__name")
    raw_id_fields = ("project", "customer", "vendor")
    readonly_fields = ("kind", "status", "total")
    inlines = [OrderPartInline]


@admin.register(OrderItem)
class OrderItemAdmin(GuardedModelAdmin):
    list_display = ("id", "order", "description", "product", "quantity", "unit_price", "total")
    search_fields = ("order__number", "description")
    raw_id_fields = ("order", "part", "product")
    readonly_fields = ("total",)
