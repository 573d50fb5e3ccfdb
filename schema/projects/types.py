from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import auto, relay

from backend.analytics import rollups
from backend.projects.models import Project
from backend.work.transitions import WORK_FLOW

from ..analytics.fields import (
    CURRENCY_ARGUMENT,
    CurrencyPercent,
    check_currency,
    hours,
    money_list,
    rollup_annotation,
    rollup_value,
)
from ..enums import WorkStatusEnum
from ..money import Money, money
from ..pagination import Connection, connection
from ..parties.types import PartyType, TaskConnection
from ..scoping import Scoped, viewer_can
from ..status import StatusChangeType, StatusTransition, allowed_transitions_field, status_history_field
from .filters import ProjectFilter, ProjectOrdering

if TYPE_CHECKING:
    from ..orders.types import OrderType

Currency = Annotated[str | None, CURRENCY_ARGUMENT]
OnlyCurrency = Annotated[
    str | None, strawberry.argument(description="Only this currency (when it has orders).")
]


@strawberry.type(description="Hours of the tasks in one status.")
class TaskStatusHours:
    status: WorkStatusEnum
    estimated_hours: Decimal
    actual_hours: Decimal


def project_money(description: str):
    """A money rollup over the project's orders: one amount per currency of its orders."""
    return strawberry_django.field(
        annotate=rollup_annotation(rollups.project_by_currency),
        description=f"{description} One amount per currency of its orders.",
    )


OrderConnection = Connection[Annotated["OrderType", strawberry.lazy("schema.orders.types")]]


@strawberry_django.type(Project, name="Project", filters=ProjectFilter, ordering=ProjectOrdering)
class ProjectType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(Project, "change")
    viewer_can_delete: bool = viewer_can(Project, "delete")
    viewer_can_manage: bool = viewer_can(Project, "manage")
    allowed_transitions: list[StatusTransition] = allowed_transitions_field(Project, lambda _: WORK_FLOW)
    status_history: list[StatusChangeType] = status_history_field()
    code: auto
    name: auto
    description: auto
    status: WorkStatusEnum
    customer: PartyType
    internal_org: PartyType
    currency: auto
    start_date: auto
    end_date: auto
    created_at: auto
    updated_at: auto
    version: auto
    orders: OrderConnection = connection()
    tasks: TaskConnection = connection()

    @strawberry_django.field(only=["budget", "currency"])
    def budget(self) -> Money | None:
        return money(self.budget, self.currency)

    @project_money("The item totals of its SALES orders that are not cancelled or rejected.")
    def revenue(self, currency: Currency = None) -> list[Money]:
        return _per_currency(self, "revenue", currency)

    @project_money("Approved job costs of its orders.")
    def cost(self, currency: Currency = None) -> list[Money]:
        return _per_currency(self, "cost", currency)

    @project_money("revenue − cost.")
    def margin(self, currency: Currency = None) -> list[Money]:
        return _per_currency(self, "margin", currency)

    @project_money("Its orders' invoicedAmount: counted invoices less credit memos.")
    def invoiced_amount(self, currency: Currency = None) -> list[Money]:
        return _per_currency(self, "invoiced", currency)

    @project_money("Its orders' paidAmount.")
    def paid_amount(self, currency: Currency = None) -> list[Money]:
        return _per_currency(self, "paid", currency)

    @project_money("invoicedAmount − paidAmount.")
    def outstanding_amount(self, currency: Currency = None) -> list[Money]:
        return _per_currency(self, "outstanding", currency)

    @strawberry_django.field(
        annotate=rollup_annotation(rollups.project_by_currency),
        description="margin / revenue × 100 (2 places) per currency of its orders; null where there is no "
        "revenue.",
    )
    def margin_percent(self, currency: OnlyCurrency = None) -> list[CurrencyPercent]:
        check_currency(currency)
        return [
            CurrencyPercent(currency=row.currency, percent=row.margin_percent)
            for row in _amounts(self)
            if currency is None or row.currency == currency
        ]

    @strawberry_django.field(
        annotate=rollup_annotation(rollups.project_budgeted_hours),
        description="Budgeted hours of the jobs of its orders.",
    )
    def budgeted_hours(self) -> Decimal:
        return hours(rollup_value(self, rollups.project_budgeted_hours))

    @strawberry_django.field(
        annotate=rollup_annotation(rollups.project_hours_by_status),
        description="Estimated and worked hours per task status, over the tasks attached to the project, "
        "its orders, their jobs and the jobs' costs (statuses without tasks are left out).",
    )
    def hours_by_task_status(self) -> list[TaskStatusHours]:
        rows = rollup_value(self, rollups.project_hours_by_status) or []
        return [
            TaskStatusHours(
                status=row["status"],
                estimated_hours=hours(row["estimated"]),
                actual_hours=hours(row["actual"]),
            )
            for row in rows
        ]


def _amounts(project) -> list[rollups.ProjectAmounts]:
    return rollups.project_amounts(rollup_value(project, rollups.project_by_currency))


def _per_currency(project, name: str, currency: str | None) -> list[Money]:
    return money_list({row.currency: getattr(row, name) for row in _amounts(project)}, currency)
