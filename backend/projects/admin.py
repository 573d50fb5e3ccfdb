from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from .models import Project


@admin.register(Project)
class ProjectAdmin(GuardedModelAdmin):
    list_display = ("code", "name", "customer", "status", "budget", "currency", "start_date", "end_date")
    list_filter = ("status",)
    search_fields = ("code", "name", "customer__name")
    raw_id_fields = ("customer", "internal_org")
