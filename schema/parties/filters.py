import strawberry_django
from django.db.models import Q
from strawberry import auto
from strawberry_django import BaseFilterLookup, DatetimeFilterLookup

from backend.parties.models import Party, PartyRole

from ..enums import PartyKindEnum, PartyRoleEnum


@strawberry_django.filter_type(Party, lookups=True)
class PartyFilter:
    id: auto
    kind: BaseFilterLookup[PartyKindEnum] | None
    name: auto
    external_id: auto
    disabled: auto
    created_at: DatetimeFilterLookup | None

    @strawberry_django.filter_field(description="Parties that play any of these roles.")
    def has_role(self, value: list[PartyRoleEnum], prefix: str) -> Q:
        return Q(**{f"{prefix}pk__in": PartyRole.objects.filter(role__in=value).values("party_id")})


@strawberry_django.order_type(Party)
class PartyOrdering:
    id: auto
    name: auto
    kind: auto
    created_at: auto
