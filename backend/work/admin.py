from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from .models import Job, JobCost, Task, TaskTemplate, TaskTemplateItem, TimeEntry


@admin.register(Job)
class JobAdmin(GuardedModelAdmin):
    list_display = (
        "name",
        "order",
        "kind",
        "status",
        "budgeted_cost",
        "budgeted_hours",
        "start_date",
        "end_date",
    )
    list_filter = ("kind", "status")
    search_fields = ("name", "order__number")
    raw_id_fields = ("order", "parent")
    readonly_fields = ("status",)


@admin.register(JobCost)
class JobCostAdmin(GuardedModelAdmin):
    list_display = ("id", "job", "kind", "amount", "currency", "approval_status", "billable", "party")
    list_filter = ("kind", "approval_status", "billable")
    search_fields = ("description", "job__name")
    raw_id_fields = ("job", "party", "source_time_entry", "source_order_item")
    readonly_fields = ("amount", "approval_status")


@admin.register(Task)
class TaskAdmin(GuardedModelAdmin):
    list_display = ("title", "status", "priority", "assignee", "due_date", "actual_hours")
    list_filter = ("status", "priority")
    search_fields = ("title",)
    raw_id_fields = ("assignee", "project", "order", "job", "job_cost", "shipment", "party", "template_item")
    readonly_fields = ("status", "actual_hours", "actual_start", "actual_end")


class TaskTemplateItemInline(admin.TabularInline):
    model = TaskTemplateItem
    extra = 0


@admin.register(TaskTemplate)
class TaskTemplateAdmin(GuardedModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    inlines = [TaskTemplateItemInline]


@admin.register(TimeEntry)
class TimeEntryAdmin(GuardedModelAdmin):
    list_display = ("task", "party", "from_at", "thru_at", "hours", "billable")
    list_filter = ("billable",)
    raw_id_fields = ("task", "party")
