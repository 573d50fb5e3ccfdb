from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import auto, relay

from backend.projects.models import Project
from backend.work.transitions import WORK_FLOW

from ..enums import WorkStatusEnum
from ..money import Money, money
from ..pagination import Connection, connection
from ..parties.types import PartyType, TaskConnection
from ..scoping import Scoped, viewer_can
from ..status import StatusChangeType, StatusTransition, allowed_transitions_field, status_history_field
from .filters import ProjectFilter, ProjectOrdering

if TYPE_CHECKING:
    from ..orders.types import OrderType

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
