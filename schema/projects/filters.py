import strawberry_django
from strawberry import auto
from strawberry_django import BaseFilterLookup, DateFilterLookup

from backend.projects.models import Project

from ..enums import WorkStatusEnum
from ..parties.filters import PartyFilter


@strawberry_django.filter_type(Project, lookups=True)
class ProjectFilter:
    id: auto
    code: auto
    name: auto
    status: BaseFilterLookup[WorkStatusEnum] | None
    customer: PartyFilter | None
    internal_org: PartyFilter | None
    currency: auto
    start_date: DateFilterLookup | None
    end_date: DateFilterLookup | None
    created_at: auto


@strawberry_django.order_type(Project)
class ProjectOrdering:
    id: auto
    code: auto
    name: auto
    status: auto
    start_date: auto
    end_date: auto
    created_at: auto
