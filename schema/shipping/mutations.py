import strawberry

from backend.catalog.models import Facility, Product
from backend.orders.models import Order, OrderItem
from backend.parties.models import Party
from backend.shipping.models import Shipment, ShipmentItem
from backend.shipping.transitions import transition_shipment
from backend.work.models import Task

from ..crud import create_mutation, delete_mutation, update_mutation
from ..enums import ShipmentStatusEnum
from ..payloads import payload
from ..status import transition_input, transition_mutation
from .inputs import ShipmentCreateInput, ShipmentItemCreateInput, ShipmentItemUpdateInput, ShipmentUpdateInput
from .types import ShipmentItemType, ShipmentType

SHIPMENT_REFS = {
    "from_party_id": Party,
    "to_party_id": Party,
    "order_id": Order,
    "origin_facility_id": Facility,
    "destination_facility_id": Facility,
    "carrier_id": Party,
    "ship_task_id": Task,
    "receive_task_id": Task,
}
ITEM_REFS = {"shipment_id": Shipment, "product_id": Product, "order_item_id": OrderItem}


@strawberry.type
class ShippingMutation:
    shipment_create = create_mutation(
        Shipment,
        ShipmentCreateInput,
        payload("ShipmentCreatePayload", "shipment", ShipmentType),
        "shipment",
        refs=SHIPMENT_REFS,
    )
    shipment_update = update_mutation(
        Shipment,
        ShipmentUpdateInput,
        payload("ShipmentUpdatePayload", "shipment", ShipmentType),
        "shipment",
        refs=SHIPMENT_REFS,
    )
    shipment_delete = delete_mutation(Shipment)
    shipment_item_create = create_mutation(
        ShipmentItem,
        ShipmentItemCreateInput,
        payload("ShipmentItemCreatePayload", "shipment_item", ShipmentItemType),
        "shipment_item",
        refs=ITEM_REFS,
    )
    shipment_item_update = update_mutation(
        ShipmentItem,
        ShipmentItemUpdateInput,
        payload("ShipmentItemUpdatePayload", "shipment_item", ShipmentItemType),
        "shipment_item",
        refs=ITEM_REFS,
    )
    shipment_item_delete = delete_mutation(ShipmentItem)
    shipment_transition = transition_mutation(
        Shipment,
        transition_input("ShipmentTransitionInput", ShipmentStatusEnum),
        payload("ShipmentTransitionPayload", "shipment", ShipmentType),
        "shipment",
        transition_shipment,
        "Move a shipment along its flow (outgoing ones are packed before they ship).",
    )
