"""The shipment flow (Moqui's); outgoing shipments must pass through PACKED."""

from django.utils import timezone

from backend.audit.flows import Flow
from backend.audit.services import transition
from backend.orders.transitions import complete_fulfilled_parts

from .models import Shipment, ShipmentKind
from .models import ShipmentStatus as S

_ROWS = [
    (S.INPUT, S.SCHEDULED, "schedule"),
    (S.INPUT, S.PICKED, "pick"),
    (S.INPUT, S.PACKED, "pack"),
    (S.INPUT, S.SHIPPED, "ship"),
    (S.INPUT, S.DELIVERED, "deliver"),
    (S.INPUT, S.CANCELLED, "cancel"),
    (S.SCHEDULED, S.PICKED, "pick"),
    (S.SCHEDULED, S.PACKED, "pack"),
    (S.SCHEDULED, S.SHIPPED, "ship"),
    (S.SCHEDULED, S.DELIVERED, "deliver"),
    (S.SCHEDULED, S.CANCELLED, "cancel"),
    (S.PICKED, S.PACKED, "pack"),
    (S.PICKED, S.SCHEDULED, "unpick"),
    (S.PICKED, S.CANCELLED, "cancel"),
    (S.PACKED, S.PICKED, "unpack"),
    (S.PACKED, S.SHIPPED, "ship"),
    (S.PACKED, S.DELIVERED, "deliver"),
    (S.PACKED, S.REJECTED, "reject"),
    (S.PACKED, S.CANCELLED, "cancel"),
    (S.SHIPPED, S.DELIVERED, "deliver"),
    (S.SHIPPED, S.REJECTED, "reject"),
    (S.SHIPPED, S.CANCELLED, "cancel"),
    (S.SHIPPED, S.PACKED, "unship"),
    (S.DELIVERED, S.SHIPPED, "undeliver"),
]
SHIPMENT_FLOW = Flow("shipment", _ROWS)
# Outgoing goods are packed before they leave: no shortcut from before PACKED to SHIPPED/DELIVERED.
OUTGOING_SHIPMENT_FLOW = Flow(
    "outgoing shipment",
    [row for row in _ROWS if not (row[0] in (S.INPUT, S.SCHEDULED) and row[1] in (S.SHIPPED, S.DELIVERED))],
)
OUTGOING_KINDS = {ShipmentKind.OUTGOING, ShipmentKind.PURCHASE_RETURN}


def flow_for(shipment: Shipment) -> Flow:
    return OUTGOING_SHIPMENT_FLOW if shipment.kind in OUTGOING_KINDS else SHIPMENT_FLOW


def _stamp(field: str):
    def stamp(shipment: Shipment, actor) -> None:
        now = timezone.now()
        Shipment.objects.filter(pk=shipment.pk).update(**{field: now})
        setattr(shipment, field, now)

    return stamp


def _fulfil(field: str):
    stamp = _stamp(field)

    def fulfil(shipment: Shipment, actor) -> None:
        stamp(shipment, actor)
        if shipment.order_id is not None and shipment.kind in (ShipmentKind.OUTGOING, ShipmentKind.INCOMING):
            complete_fulfilled_parts(shipment.order)

    return fulfil


def transition_shipment(
    shipment: Shipment, *, to: str, actor, reason: str = "", expected_version=None
) -> Shipment:
    return transition(
        shipment,
        flow=flow_for(shipment),
        to=to,
        actor=actor,
        reason=reason,
        expected_version=expected_version,
        side_effects={S.SHIPPED: _fulfil("shipped_at"), S.DELIVERED: _fulfil("delivered_at")},
    )
