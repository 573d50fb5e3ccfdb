"""The order flow (Moqui's OrderHeader status flow); parts use the same one."""

from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from backend.audit.flows import Flow
from backend.audit.services import transition
from backend.shipping.models import ShipmentItem, ShipmentKind, ShipmentStatus
from backend.work.models import Task
from backend.work.statuses import WorkStatus

from .models import Order, OrderItem, OrderPart
from .models import OrderStatus as S

ORDER_FLOW = Flow(
    "order",
    [
        (S.OPEN, S.REQUESTED, "request_quote"),
        (S.OPEN, S.PROPOSED, "propose_quote"),
        (S.OPEN, S.PLACED, "place"),
        (S.OPEN, S.HOLD, "hold"),
        (S.OPEN, S.REJECTED, "reject"),
        (S.OPEN, S.CANCELLED, "cancel"),
        (S.REQUESTED, S.PROPOSED, "propose_quote"),
        (S.REQUESTED, S.REJECTED, "reject"),
        (S.PROPOSED, S.PLACED, "place"),
        (S.PROPOSED, S.CANCELLED, "cancel"),
        (S.PLACED, S.PROCESSING, "process"),
        (S.PLACED, S.APPROVED, "approve", "manage"),
        (S.PLACED, S.HOLD, "hold"),
        (S.PLACED, S.REJECTED, "reject"),
        (S.PLACED, S.CANCELLED, "cancel"),
        (S.PROCESSING, S.HOLD, "hold"),
        (S.PROCESSING, S.APPROVED, "approve", "manage"),
        (S.PROCESSING, S.REJECTED, "reject"),
        (S.PROCESSING, S.CANCELLED, "cancel"),
        (S.APPROVED, S.SENT, "send"),
        (S.APPROVED, S.PLACED, "unapprove", "manage"),
        (S.APPROVED, S.PROCESSING, "unapprove", "manage"),
        (S.APPROVED, S.COMPLETED, "complete"),
        (S.APPROVED, S.HOLD, "hold"),
        (S.APPROVED, S.CANCELLED, "cancel"),
        (S.HOLD, S.PROCESSING, "resume"),
        (S.HOLD, S.PLACED, "resume"),
        (S.HOLD, S.APPROVED, "approve", "manage"),
        (S.HOLD, S.CANCELLED, "cancel"),
        (S.SENT, S.PROCESSING, "unsend"),
        (S.SENT, S.APPROVED, "unsend"),
        (S.SENT, S.COMPLETED, "complete"),
        (S.SENT, S.CANCELLED, "cancel"),
        (S.COMPLETED, S.APPROVED, "reopen", "manage"),
    ],
)

_STAMPS = {S.PLACED: "placed_at", S.APPROVED: "approved_at", S.COMPLETED: "completed_at"}


def _stamp(order: Order, actor) -> None:
    field = _STAMPS[order.status]
    if getattr(order, field) is None:
        setattr(order, field, timezone.now())
        Order.objects.filter(pk=order.pk).update(**{field: getattr(order, field)})


def transition_order(order: Order, *, to: str, actor, reason: str = "", expected_version=None) -> Order:
    """Move the order and every part that stood where it stood (Moqui's update#OrderStatus)."""
    before = order.status
    order = transition(
        order,
        flow=ORDER_FLOW,
        to=to,
        actor=actor,
        reason=reason,
        expected_version=expected_version,
        side_effects=dict.fromkeys(_STAMPS, _stamp),
    )
    for part in OrderPart.objects.filter(order=order, status=before).order_by("pk"):
        transition(part, flow=ORDER_FLOW, to=to, actor=None, reason=reason)
    return order


def transition_order_part(
    part: OrderPart, *, to: str, actor, reason: str = "", expected_version=None
) -> OrderPart:
    """Move one part; when all parts then agree, the order follows them."""
    part = transition(
        part, flow=ORDER_FLOW, to=to, actor=actor, reason=reason, expected_version=expected_version
    )
    statuses = set(OrderPart.objects.filter(order_id=part.order_id).values_list("status", flat=True))
    order = Order.objects.get(pk=part.order_id)
    if statuses == {to} and order.status != to and ORDER_FLOW.find(order.status, to):
        transition(
            order,
            flow=ORDER_FLOW,
            to=to,
            actor=None,
            reason="All parts agree.",
            side_effects=dict.fromkeys(_STAMPS, _stamp),
        )
    return part


# Goods count as fulfilled once they left us (sale) or reached us (purchase).
FULFILLED_SHIPMENTS = Q(
    shipment__kind=ShipmentKind.OUTGOING,
    shipment__status__in=[ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED],
) | Q(shipment__kind=ShipmentKind.INCOMING, shipment__status=ShipmentStatus.DELIVERED)
TASK_DONE = {WorkStatus.COMPLETE, WorkStatus.CLOSED, WorkStatus.CANCELLED}


def _tasks_done(order_id: int) -> bool:
    return (
        not Task.objects.filter(Q(order_id=order_id) | Q(job__order_id=order_id))
        .exclude(status__in=TASK_DONE)
        .exists()
    )


def complete_fulfilled_parts(order: Order) -> list[OrderPart]:
    """Complete each approved or sent part whose items are all shipped or received, once the
    order's tasks are done (Moqui's checkComplete#OrderPart); the order follows its parts."""
    parts = list(OrderPart.objects.filter(order_id=order.pk, status__in=[S.APPROVED, S.SENT]).order_by("pk"))
    if not parts or not _tasks_done(order.pk):
        return []
    shipped = dict(
        ShipmentItem.objects.filter(
            FULFILLED_SHIPMENTS, shipment__order_id=order.pk, order_item__isnull=False
        )
        .values_list("order_item_id")
        .annotate(total=Sum("quantity"))
    )
    items: dict[int, list[OrderItem]] = {}
    for item in OrderItem.objects.filter(part__in=parts):
        items.setdefault(item.part_id, []).append(item)
    completed = []
    for part in parts:
        lines = items.get(part.pk)
        if lines and all(shipped.get(item.pk, Decimal(0)) >= item.quantity for item in lines):
            completed.append(
                transition_order_part(
                    part,
                    to=S.COMPLETED,
                    actor=None,
                    reason="All items shipped or received and the order's tasks done.",
                )
            )
    return completed
