from django.contrib import admin

from .models import Order, OrderItem, OrderPart


class OrderPartInline(admin.TabularInline):
    model = OrderPart
    extra = 0
    fields = ("name", "status", "facility", "carrier", "ship_before", "total")
    readonly_fields = ("status", "total")
    raw_id_fields = ("facility", "carrier")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "customer", "vendor", "status", "total", "currency", "placed_at")
    list_filter = ("kind", "status", "currency")
    search_fields = ("number", "name", "customer__name", "vendor__name")
    raw_id_fields = ("project", "customer", "vendor")
    readonly_fields = ("kind", "status", "total")
    inlines = [OrderPartInline]


@admin.register(OrderItem)
class OrderItemAdmin(admin.ModelAdmin):
    list_display = ("id", "order", "description", "product", "quantity", "unit_price", "total")
    search_fields = ("order__number", "description")
    raw_id_fields = ("order", "part", "product")
    readonly_fields = ("total",)
