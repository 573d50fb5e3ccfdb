"""Domain choices exposed as GraphQL enums (values are UPPER_SNAKE, as stored)."""

import strawberry

from backend.billing.models import (
    InvoiceDirection,
    InvoiceKind,
    InvoiceStatus,
    PaymentInstrument,
    PaymentStatus,
)
from backend.catalog.models import AssetKind, FacilityKind, ProductKind
from backend.orders.models import OrderKind, OrderStatus
from backend.parties.models import PartyKind, RoleKind
from backend.returns.models import ReturnReason, ReturnResponse, ReturnStatus
from backend.shipping.models import ShipmentKind, ShipmentStatus
from backend.work.models import ApprovalStatus, CostKind, JobKind, TemplateAnchor
from backend.work.statuses import WorkStatus

PartyKindEnum = strawberry.enum(PartyKind, name="PartyKind")
PartyRoleEnum = strawberry.enum(RoleKind, name="PartyRole")
FacilityKindEnum = strawberry.enum(FacilityKind, name="FacilityKind")
ProductKindEnum = strawberry.enum(ProductKind, name="ProductKind")
AssetKindEnum = strawberry.enum(AssetKind, name="AssetKind")
WorkStatusEnum = strawberry.enum(
    WorkStatus, name="WorkStatus", description="The task flow (projects, jobs, tasks)."
)
OrderStatusEnum = strawberry.enum(OrderStatus, name="OrderStatus")
OrderKindEnum = strawberry.enum(OrderKind, name="OrderKind")
JobKindEnum = strawberry.enum(JobKind, name="JobKind")
CostKindEnum = strawberry.enum(CostKind, name="JobCostKind")
ApprovalStatusEnum = strawberry.enum(ApprovalStatus, name="ApprovalStatus")
TemplateAnchorEnum = strawberry.enum(TemplateAnchor, name="TemplateAnchor")
ShipmentKindEnum = strawberry.enum(ShipmentKind, name="ShipmentKind")
ShipmentStatusEnum = strawberry.enum(ShipmentStatus, name="ShipmentStatus")
InvoiceKindEnum = strawberry.enum(InvoiceKind, name="InvoiceKind")
InvoiceDirectionEnum = strawberry.enum(
    InvoiceDirection,
    name="InvoiceDirection",
    description="RECEIVABLE when we issue it, PAYABLE when we are billed.",
)
InvoiceStatusEnum = strawberry.enum(InvoiceStatus, name="InvoiceStatus")
PaymentInstrumentEnum = strawberry.enum(PaymentInstrument, name="PaymentInstrument")
PaymentStatusEnum = strawberry.enum(PaymentStatus, name="PaymentStatus")
ReturnStatusEnum = strawberry.enum(ReturnStatus, name="ReturnStatus")
ReturnReasonEnum = strawberry.enum(ReturnReason, name="ReturnReason")
ReturnResponseEnum = strawberry.enum(
    ReturnResponse,
    name="ReturnResponse",
    description="What the customer gets on receipt: a credit, a refund or a replacement.",
)
