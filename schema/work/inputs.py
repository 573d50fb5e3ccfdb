import datetime
from decimal import Decimal

import strawberry

from ..enums import ApprovalStatusEnum, CostKindEnum, JobKindEnum, TemplateAnchorEnum

UNSET = strawberry.UNSET


@strawberry.input
class JobCreateInput:
    order_id: strawberry.ID
    name: str
    parent_id: strawberry.ID | None = None
    kind: JobKindEnum = JobKindEnum.STANDARD
    budgeted_cost: Decimal = Decimal(0)
    budgeted_revenue: Decimal = Decimal(0)
    budgeted_hours: Decimal = Decimal(0)
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None


@strawberry.input
class JobUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    name: str | None = UNSET
    parent_id: strawberry.ID | None = UNSET
    kind: JobKindEnum | None = UNSET
    budgeted_cost: Decimal | None = UNSET
    budgeted_revenue: Decimal | None = UNSET
    budgeted_hours: Decimal | None = UNSET
    start_date: datetime.date | None = UNSET
    end_date: datetime.date | None = UNSET


@strawberry.input
class JobCostCreateInput:
    job_id: strawberry.ID
    kind: CostKindEnum
    unit_cost: Decimal
    quantity: Decimal = Decimal(1)
    description: str = ""
    currency: str | None = strawberry.field(default=None, description="The job's currency when left out.")
    billable: bool = True
    party_id: strawberry.ID | None = None
    incurred_on: datetime.date | None = None


@strawberry.input
class JobCostUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    kind: CostKindEnum | None = UNSET
    unit_cost: Decimal | None = UNSET
    quantity: Decimal | None = UNSET
    description: str | None = UNSET
    billable: bool | None = UNSET
    approval_status: ApprovalStatusEnum | None = UNSET
    party_id: strawberry.ID | None = UNSET
    incurred_on: datetime.date | None = UNSET


@strawberry.input
class TaskCreateInput:
    target_id: strawberry.ID = strawberry.field(
        description="The record the task is attached to: a project, order, job, job cost, shipment or party."
    )
    title: str
    description: str = ""
    priority: int = 5
    assignee_id: strawberry.ID | None = None
    due_date: datetime.date | None = None
    estimated_hours: Decimal | None = None


@strawberry.input
class TaskUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    title: str | None = UNSET
    description: str | None = UNSET
    priority: int | None = UNSET
    assignee_id: strawberry.ID | None = UNSET
    due_date: datetime.date | None = UNSET
    estimated_hours: Decimal | None = UNSET


@strawberry.input(description="Give two of fromAt, thruAt and hours; the third is derived.")
class TimeEntryCreateInput:
    task_id: strawberry.ID
    party_id: strawberry.ID
    from_at: datetime.datetime | None = None
    thru_at: datetime.datetime | None = None
    hours: Decimal | None = None
    break_hours: Decimal = Decimal(0)
    cost_rate: Decimal = Decimal(0)
    bill_rate: Decimal = Decimal(0)
    currency: str | None = strawberry.field(default=None, description="The job's currency when left out.")
    billable: bool = True
    comments: str = ""


@strawberry.input
class TimeEntryUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    from_at: datetime.datetime | None = UNSET
    thru_at: datetime.datetime | None = UNSET
    hours: Decimal | None = UNSET
    break_hours: Decimal | None = UNSET
    cost_rate: Decimal | None = UNSET
    bill_rate: Decimal | None = UNSET
    billable: bool | None = UNSET
    comments: str | None = UNSET


@strawberry.input
class TaskTemplateItemInput:
    title: str
    description: str = ""
    anchor: TemplateAnchorEnum = TemplateAnchorEnum.JOB_START
    offset_days: int = 0
    duration_days: int = 0
    estimated_hours: Decimal | None = None
    priority: int = 5


@strawberry.input
class TaskTemplateCreateInput:
    name: str
    description: str = ""
    items: list[TaskTemplateItemInput]


@strawberry.input
class TaskTemplateUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    name: str | None = UNSET
    description: str | None = UNSET
    items: list[TaskTemplateItemInput] | None = strawberry.field(
        default=UNSET, description="Replaces the template's items when given."
    )


@strawberry.input
class TaskTemplateApplyInput:
    template_id: strawberry.ID
    target_id: strawberry.ID
    anchor_date: datetime.date | None = strawberry.field(
        default=None, description="Needed when an item's anchor (e.g. the job's start) is not set."
    )
