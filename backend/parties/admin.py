from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from .models import Party, PartyRole


class PartyRoleInline(admin.TabularInline):
    model = PartyRole
    extra = 0


@admin.register(Party)
class PartyAdmin(GuardedModelAdmin):
    list_display = ("name", "kind", "external_id", "disabled")
    list_filter = ("kind", "disabled", "roles__role")
    search_fields = ("name", "external_id")
    raw_id_fields = ("user",)
    inlines = [PartyRoleInline]
