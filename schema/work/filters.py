from decimal import Decimal

import strawberry_django
from strawberry import auto
from strawberry_django import BaseFilterLookup, DateFilterLookup, DatetimeFilterLookup

from backend.analytics import rollups
from backend.work.models import Job, JobCost, Task, TaskTemplate, TimeEntry

from ..analytics.fields import flag_filter, rollup_filter, rollup_order
from ..enums import ApprovalStatusEnum, CostKindEnum, JobKindEnum, WorkStatusEnum
from ..orders.filters import OrderFilter
from ..parties.filters import PartyFilter
from ..projects.filters import ProjectFilter


@strawberry_django.filter_type(Job, lookups=True)
class JobFilter:
    id: auto
    name: auto
    kind: BaseFilterLookup[JobKindEnum] | None
    status: BaseFilterLookup[WorkStatusEnum] | None
    order: OrderFilter | None
    parent: "JobFilter | None"
    start_date: DateFilterLookup | None
    end_date: DateFilterLookup | None
    budgeted_cost: auto
    budgeted_hours: auto
    actual_cost: Decimal | None = rollup_filter(rollups.job_actual_cost, "Sum of the approved costs.")
    pending_cost: Decimal | None = rollup_filter(rollups.job_pending_cost, "Sum of the pending costs.")
    cost_variance: Decimal | None = rollup_filter(rollups.job_cost_variance, "Budget − actual cost.")
    budget_used_percent: Decimal | None = rollup_filter(
        rollups.job_budget_used_percent, "Actual cost as a percentage of the budget."
    )
    is_over_budget: bool | None = flag_filter(rollups.job_is_over_budget, "Actual cost above the budget.")
    actual_hours: Decimal | None = rollup_filter(rollups.job_actual_hours, "Hours worked.")


@strawberry_django.order_type(Job)
class JobOrdering:
    id: auto
    name: auto
    status: auto
    start_date: auto
    end_date: auto
    budgeted_cost: auto
    actual_cost: auto = rollup_order(rollups.job_actual_cost, "Sum of the approved costs.")
    cost_variance: auto = rollup_order(
        rollups.job_cost_variance, "Budget − actual cost (ascending: most over budget first)."
    )
    budget_used_percent: auto = rollup_order(rollups.job_budget_used_percent, "Percent of the budget used.")
    actual_hours: auto = rollup_order(rollups.job_actual_hours, "Hours worked.")


@strawberry_django.filter_type(JobCost, lookups=True)
class JobCostFilter:
    id: auto
    kind: BaseFilterLookup[CostKindEnum] | None
    approval_status: BaseFilterLookup[ApprovalStatusEnum] | None
    description: auto
    job: JobFilter | None
    party: PartyFilter | None
    billable: auto
    amount: auto
    currency: auto
    incurred_on: DateFilterLookup | None


@strawberry_django.order_type(JobCost)
class JobCostOrdering:
    id: auto
    kind: auto
    amount: auto
    incurred_on: auto
    approval_status: auto


@strawberry_django.filter_type(Task, lookups=True)
class TaskFilter:
    id: auto
    title: auto
    description: auto
    status: BaseFilterLookup[WorkStatusEnum] | None
    priority: auto
    assignee: PartyFilter | None
    due_date: DateFilterLookup | None
    project: ProjectFilter | None
    order: OrderFilter | None
    job: JobFilter | None
    job_cost: JobCostFilter | None
    party: PartyFilter | None
    created_at: DatetimeFilterLookup | None


@strawberry_django.order_type(Task)
class TaskOrdering:
    id: auto
    title: auto
    status: auto
    priority: auto
    due_date: auto
    created_at: auto


@strawberry_django.filter_type(TimeEntry, lookups=True)
class TimeEntryFilter:
    id: auto
    task: TaskFilter | None
    party: PartyFilter | None
    from_at: DatetimeFilterLookup | None
    thru_at: DatetimeFilterLookup | None
    hours: auto
    billable: auto


@strawberry_django.order_type(TimeEntry)
class TimeEntryOrdering:
    id: auto
    from_at: auto
    thru_at: auto
    hours: auto


@strawberry_django.filter_type(TaskTemplate, lookups=True)
class TaskTemplateFilter:
    id: auto
    name: auto


@strawberry_django.order_type(TaskTemplate)
class TaskTemplateOrdering:
    id: auto
    name: auto
