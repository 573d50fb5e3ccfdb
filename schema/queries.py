"""Root fields: node lookups and one connection per record type."""

import strawberry
import strawberry_django
from strawberry import relay

from .analytics.dashboard import AgingType, DashboardType, resolve_dashboard, resolve_receivables_aging
from .billing.types import InvoiceItemType, InvoiceType, PaymentApplicationType, PaymentType
from .catalog.types import AssetType, FacilityType, ProductType
from .ids import CanonicalNodeIds
from .orders.types import OrderItemType, OrderPartType, OrderType
from .pagination import Connection, connection
from .parties.types import PartyType
from .projects.types import ProjectType
from .returns.types import ReturnItemType, ReturnType
from .shipping.types import ShipmentItemType, ShipmentType
from .work.types import JobCostType, JobType, TaskTemplateType, TaskType, TimeEntryType


@strawberry.type
class Query:
    node: relay.Node | None = strawberry_django.node(
        description="Any record by its global id; null when it does not exist or is not visible.",
        extensions=[CanonicalNodeIds()],
    )
    nodes: list[relay.Node | None] = strawberry_django.node(
        description="Records by global ids, in the order given; null for each one not found.",
        extensions=[CanonicalNodeIds()],
    )
    projects: Connection[ProjectType] = connection()
    orders: Connection[OrderType] = connection()
    order_parts: Connection[OrderPartType] = connection()
    order_items: Connection[OrderItemType] = connection()
    jobs: Connection[JobType] = connection()
    job_costs: Connection[JobCostType] = connection()
    tasks: Connection[TaskType] = connection()
    task_templates: Connection[TaskTemplateType] = connection()
    time_entries: Connection[TimeEntryType] = connection()
    shipments: Connection[ShipmentType] = connection()
    shipment_items: Connection[ShipmentItemType] = connection()
    invoices: Connection[InvoiceType] = connection()
    invoice_items: Connection[InvoiceItemType] = connection()
    payments: Connection[PaymentType] = connection()
    payment_applications: Connection[PaymentApplicationType] = connection()
    returns: Connection[ReturnType] = connection()
    return_items: Connection[ReturnItemType] = connection()
    parties: Connection[PartyType] = connection()
    products: Connection[ProductType] = connection()
    assets: Connection[AssetType] = connection()
    facilities: Connection[FacilityType] = connection()
    dashboard: DashboardType = strawberry.field(
        resolver=resolve_dashboard,
        description="A measure over the orders the viewer may see, grouped for a chart; money per currency.",
    )
    receivables_aging: AgingType = strawberry.field(
        resolver=resolve_receivables_aging,
        description="Open receivables per customer by days past due (current, 1-30, 31-60, 61-90, over 90), "
        "over the invoices the viewer may see. `asOf` (default today) is the day ages are counted from.",
    )
