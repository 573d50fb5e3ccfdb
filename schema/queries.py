"""Root fields: node lookups and one connection per record type."""

import strawberry
import strawberry_django
from strawberry import relay

from .catalog.types import AssetType, FacilityType, ProductType
from .orders.types import OrderItemType, OrderPartType, OrderType
from .pagination import Connection
from .parties.types import PartyType
from .projects.types import ProjectType
from .shipping.types import ShipmentItemType, ShipmentType
from .work.types import JobCostType, JobType, TaskTemplateType, TaskType, TimeEntryType


@strawberry.type
class Query:
    node: relay.Node | None = strawberry_django.node(
        description="Any record by its global id; null when it does not exist or is not visible."
    )
    nodes: list[relay.Node | None] = strawberry_django.node(
        description="Records by global ids, in the order given; null for each one not found."
    )
    projects: Connection[ProjectType] = strawberry_django.connection()
    orders: Connection[OrderType] = strawberry_django.connection()
    order_parts: Connection[OrderPartType] = strawberry_django.connection()
    order_items: Connection[OrderItemType] = strawberry_django.connection()
    jobs: Connection[JobType] = strawberry_django.connection()
    job_costs: Connection[JobCostType] = strawberry_django.connection()
    tasks: Connection[TaskType] = strawberry_django.connection()
    task_templates: Connection[TaskTemplateType] = strawberry_django.connection()
    time_entries: Connection[TimeEntryType] = strawberry_django.connection()
    shipments: Connection[ShipmentType] = strawberry_django.connection()
    shipment_items: Connection[ShipmentItemType] = strawberry_django.connection()
    parties: Connection[PartyType] = strawberry_django.connection()
    products: Connection[ProductType] = strawberry_django.connection()
    assets: Connection[AssetType] = strawberry_django.connection()
    facilities: Connection[FacilityType] = strawberry_django.connection()
