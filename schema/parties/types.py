from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from django.utils import timezone
from strawberry import auto, relay
from strawberry.types import Info

from backend.analytics import receivables
from backend.billing.models import Invoice
from backend.parties.models import Party

from ..analytics.fields import CURRENCY_ARGUMENT, money_list, rollup_annotation, rollup_value
from ..enums import PartyKindEnum, PartyRoleEnum
from ..money import Money
from ..pagination import Connection, connection
from ..scoping import Scoped, scoped, viewer_can
from .filters import PartyFilter, PartyOrdering

if TYPE_CHECKING:
    from ..work.types import TaskType

Currency = Annotated[str | None, CURRENCY_ARGUMENT]


def _visible_invoices(info: Info):
    return scoped(Invoice.objects.all(), info)


def _today(info: Info):
    return timezone.localdate()


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

    @strawberry_django.field(
        annotate=rollup_annotation(receivables.party_receivables, _visible_invoices, _today),
        description="What the party owes us, per currency: unpaid totals of the SALES invoices we issued "
        "to it that take payments (FINALIZED, SENT, ACKNOWLEDGED), less its unapplied approved credit "
        "memos and return invoices. Only invoices the viewer may see count.",
    )
    def open_receivables(self, info: Info, currency: Currency = None) -> list[Money]:
        return money_list(_receivables(self, info, "open"), currency)

    @strawberry_django.field(
        annotate=rollup_annotation(receivables.party_receivables, _visible_invoices, _today),
        description="The part of openReceivables past its due date today (an invoice without a due date "
        "is due on its invoice date; credits are never overdue). Only invoices the viewer may see count.",
    )
    def overdue_receivables(self, info: Info, currency: Currency = None) -> list[Money]:
        return money_list(_receivables(self, info, "overdue"), currency)

    @strawberry_django.field(
        annotate=rollup_annotation(receivables.party_average_days_to_pay, _visible_invoices),
        description="Mean days from invoice date to the last payment or credit that settled it, over "
        "the party's paid SALES invoices the viewer may see (1 decimal place); null when none.",
    )
    def average_days_to_pay(self, info: Info) -> Decimal | None:
        return rollup_value(self, receivables.party_average_days_to_pay, _visible_invoices(info))


def _receivables(party, info: Info, name: str) -> dict[str, Decimal]:
    rows = rollup_value(party, receivables.party_receivables, _visible_invoices(info), _today(info))
    return {row["currency"]: Decimal(row[name]) for row in rows or ()}
