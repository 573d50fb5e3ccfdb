import datetime
from decimal import Decimal

import strawberry

UNSET = strawberry.UNSET


@strawberry.input
class ProjectCreateInput:
    code: str
    name: str
    customer_id: strawberry.ID
    internal_org_id: strawberry.ID
    currency: str = "USD"
    budget: Decimal | None = None
    description: str = ""
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None


@strawberry.input
class ProjectUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    code: str | None = UNSET
    name: str | None = UNSET
    customer_id: strawberry.ID | None = UNSET
    internal_org_id: strawberry.ID | None = UNSET
    currency: str | None = UNSET
    budget: Decimal | None = UNSET
    description: str | None = UNSET
    start_date: datetime.date | None = UNSET
    end_date: datetime.date | None = UNSET
