from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import auto, relay

from backend.parties.models import Party

from ..enums import PartyKindEnum, PartyRoleEnum
from ..pagination import Connection, connection
from ..scoping import Scoped, viewer_can
from .filters import PartyFilter, PartyOrdering

if TYPE_CHECKING:
    from ..work.types import TaskType

TaskConnection = Connection[Annotated["TaskType", strawberry.lazy("schema.work.types")]]


@strawberry_django.type(Party, name="Party", filters=PartyFilter, ordering=PartyOrdering)
class PartyType(Scoped, relay.Node):
    id: relay.NodeID[int]
    viewer_can_change: bool = viewer_can(Party, "change")
    viewer_can_delete: bool = viewer_can(Party, "delete")
    viewer_can_manage: bool = viewer_can(Party, "manage")
    kind: PartyKindEnum
    name: auto
    external_id: auto
    disabled: auto
    created_at: auto
    updated_at: auto
    version: auto
    tasks: TaskConnection = connection(description="Tasks attached to this party.")

    @strawberry_django.field(prefetch_related=["roles"], description="The roles this party plays.")
    def roles(self) -> list[PartyRoleEnum]:
        return sorted(r.role for r in self.roles.all())
