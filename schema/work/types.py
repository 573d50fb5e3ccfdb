from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import auto, relay

from backend.analytics import rollups
from backend.work.models import Job, JobCost, Task, TaskTemplate, TaskTemplateItem, TimeEntry
from backend.work.transitions import APPROVAL_FLOW, WORK_FLOW

from ..analytics.fields import hours, rollup_field, rollup_money
from ..enums import (
    ApprovalStatusEnum,
    CostKindEnum,
    JobKindEnum,
    TemplateAnchorEnum,
    WorkStatusEnum,
)
from ..money import ORDER_CURRENCY, Money, money, order_currency, precise_money
from ..orders.types import OrderRef, OrderType
from ..pagination import Connection, connection
from ..parties.types import PartyType, TaskConnection
from ..projects.types import ProjectType
from ..scoping import Scoped, scoped_prefetch, up_link, viewer_can
from ..status import StatusChangeType, StatusTransition, allowed_transitions_field, status_history_field
from .filters import (
    JobCostFilter,
    JobCostOrdering,
    JobFilter,
    JobOrdering,
    TaskFilter,
    TaskOrdering,
    TaskTemplateFilter,
    TaskTemplateOrdering,
    TimeEntryFilter,
    TimeEntryOrdering,
)

if TYPE_CHECKING:
    from ..shipping.types import ShipmentType

JobRef = Annotated["JobType", strawberry.lazy("schema.work.types")]
JobCostRef = Annotated["JobCostType", strawberry.lazy("schema.work.types")]
TaskRef = Annotated["TaskType", strawberry.lazy("schema.work.types")]
TimeEntryRef = Annotated["TimeEntryType", strawberry.lazy("schema.work.types")]
ShipmentRef = Annotated["ShipmentType", strawberry.lazy("schema.shipping.types")]


def _job_money(expression, description: str):
    return rollup_money(expression, description, order_currency, annotate={"order_currency": ORDER_CURRENCY})


@strawberry_django.type(Job, name="Job", filters=JobFilter, ordering=JobOrdering)
class JobType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(Job, "change")
    viewer_can_delete: bool = viewer_can(Job, "delete")
    viewer_can_manage: bool = viewer_can(Job, "manage")
    allowed_transitions: list[StatusTransition] = allowed_transitions_field(Job, lambda _: WORK_FLOW)
    status_history: list[StatusChangeType] = status_history_field()
    order: OrderRef | None = up_link()
    parent: JobRef | None
    kind: JobKindEnum
    name: auto
    status: WorkStatusEnum
    budgeted_hours: auto
    start_date: auto
    end_date: auto
    created_at: auto
    updated_at: auto
    version: auto
    children: Connection[JobRef] = connection(description="Sub-jobs.")
    costs: Connection[JobCostRef] = connection()
    tasks: TaskConnection = connection()

    @strawberry_django.field(only=["budgeted_cost"], annotate={"order_currency": ORDER_CURRENCY})
    def budgeted_cost(self) -> Money:
        return money(self.budgeted_cost, order_currency(self))

    @strawberry_django.field(only=["budgeted_revenue"], annotate={"order_currency": ORDER_CURRENCY})
    def budgeted_revenue(self) -> Money:
        return money(self.budgeted_revenue, order_currency(self))

    actual_cost: Money = _job_money(
        rollups.job_actual_cost,
        "Sum of the job's APPROVED costs (its own; sub-jobs report theirs). Pending and rejected costs do "
        "not count.",
    )
    pending_cost: Money = _job_money(
        rollups.job_pending_cost, "Sum of the job's costs still PENDING approval."
    )
    cost_variance: Money = _job_money(
        rollups.job_cost_variance, "budgetedCost − actualCost: negative when the job is over budget."
    )
    budget_used_percent: Decimal | None = rollup_field(
        rollups.job_budget_used_percent,
        "actualCost / budgetedCost × 100, 2 decimal places; null when the job has no budget.",
    )
    is_over_budget: bool = rollup_field(
        rollups.job_is_over_budget,
        "actualCost > budgetedCost (so any approved cost on a job without a budget).",
    )
    actual_hours: Decimal = rollup_field(
        rollups.job_actual_hours,
        "Hours worked (time entries) on the tasks of the job and of its costs.",
        hours,
    )


@strawberry_django.type(JobCost, name="JobCost", filters=JobCostFilter, ordering=JobCostOrdering)
class JobCostType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(JobCost, "change")
    viewer_can_delete: bool = viewer_can(JobCost, "delete")
    viewer_can_manage: bool = viewer_can(JobCost, "manage")
    allowed_transitions: list[StatusTransition] = allowed_transitions_field(JobCost, lambda _: APPROVAL_FLOW)
    status_history: list[StatusChangeType] = status_history_field()
    job: JobRef | None = up_link()
    kind: CostKindEnum
    description: auto
    quantity: auto
    billable: auto
    approval_status: ApprovalStatusEnum
    party: PartyType | None
    incurred_on: auto
    source_time_entry: TimeEntryRef | None
    created_at: auto
    version: auto
    tasks: TaskConnection = connection()

    @strawberry_django.field(only=["unit_cost", "currency"])
    def unit_cost(self) -> Money:
        return precise_money(self.unit_cost, self.currency)

    @strawberry_django.field(only=["amount", "currency"], description="quantity × unit cost, rounded.")
    def amount(self) -> Money:
        return money(self.amount, self.currency)


TaskTarget = Annotated[
    ProjectType | OrderType | JobType | JobCostType | ShipmentRef | PartyType,
    strawberry.union("TaskTarget", description="A record that can carry tasks."),
]


@strawberry_django.type(Task, name="Task", filters=TaskFilter, ordering=TaskOrdering)
class TaskType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(Task, "change")
    viewer_can_delete: bool = viewer_can(Task, "delete")
    viewer_can_manage: bool = viewer_can(Task, "manage")
    allowed_transitions: list[StatusTransition] = allowed_transitions_field(Task, lambda _: WORK_FLOW)
    status_history: list[StatusChangeType] = status_history_field()
    title: auto
    description: auto
    status: WorkStatusEnum
    priority: auto
    assignee: PartyType | None
    due_date: auto
    estimated_hours: auto
    actual_hours: auto
    actual_start: auto
    actual_end: auto
    created_at: auto
    updated_at: auto
    version: auto
    time_entries: Connection[TimeEntryRef] = connection()
    shipments: Connection[ShipmentRef] = connection(description="Shipments this task ships.")
    received_shipments: Connection[ShipmentRef] = connection(description="Shipments this task receives.")

    @strawberry_django.field(
        only=[f"{name}_id" for name in Task.TARGET_FIELDS],
        prefetch_related=[
            scoped_prefetch(name, Task._meta.get_field(name).related_model) for name in Task.TARGET_FIELDS
        ],
        description="The record this task is attached to; null when the viewer may not see it.",
    )
    def target(self) -> TaskTarget | None:
        return self.target


@strawberry_django.type(TimeEntry, name="TimeEntry", filters=TimeEntryFilter, ordering=TimeEntryOrdering)
class TimeEntryType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(TimeEntry, "change")
    viewer_can_delete: bool = viewer_can(TimeEntry, "delete")
    viewer_can_manage: bool = viewer_can(TimeEntry, "manage")
    task: TaskRef | None = up_link()
    party: PartyType
    from_at: auto
    thru_at: auto
    hours: auto
    break_hours: auto
    billable: auto
    comments: auto
    created_at: auto
    version: auto
    job_cost: JobCostRef | None = strawberry_django.field(description="The TIME cost this entry produced.")

    @strawberry_django.field(only=["cost_rate", "currency"])
    def cost_rate(self) -> Money:
        return precise_money(self.cost_rate, self.currency)

    @strawberry_django.field(only=["bill_rate", "currency"])
    def bill_rate(self) -> Money:
        return precise_money(self.bill_rate, self.currency)


@strawberry_django.type(TaskTemplateItem, name="TaskTemplateItem")
class TaskTemplateItemType:
    sequence: auto
    title: auto
    description: auto
    anchor: TemplateAnchorEnum
    offset_days: auto
    duration_days: auto
    estimated_hours: auto
    priority: auto


@strawberry_django.type(
    TaskTemplate, name="TaskTemplate", filters=TaskTemplateFilter, ordering=TaskTemplateOrdering
)
class TaskTemplateType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(TaskTemplate, "change")
    viewer_can_delete: bool = viewer_can(TaskTemplate, "delete")
    viewer_can_manage: bool = viewer_can(TaskTemplate, "manage")
    name: auto
    description: auto
    items: list[TaskTemplateItemType]
    version: auto
