from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models

from backend.common.errors import CommonErrorCode
from backend.common.models import OBJECT_PERMISSIONS, Record
from backend.common.money import (
    QUANTITY,
    TOTAL,
    validate_amount,
    validate_currency,
    validate_non_negative,
)


class ShipmentKind(models.TextChoices):
    INCOMING = "INCOMING"
    OUTGOING = "OUTGOING"
    TRANSFER = "TRANSFER"
    SALES_RETURN = "SALES_RETURN"
    PURCHASE_RETURN = "PURCHASE_RETURN"


class ShipmentStatus(models.TextChoices):
    INPUT = "INPUT"
    SCHEDULED = "SCHEDULED"
    PICKED = "PICKED"
    PACKED = "PACKED"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"


class Shipment(Record):
    status_history = GenericRelation("audit.StatusChange", related_query_name="+")
    kind = models.CharField(max_length=16, choices=ShipmentKind.choices)
    status = models.CharField(max_length=16, choices=ShipmentStatus.choices, default=ShipmentStatus.INPUT)
    from_party = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="shipments_sent")
    to_party = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="shipments_received")
    origin_facility = models.ForeignKey(
        "catalog.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shipments_out",
    )
    destination_facility = models.ForeignKey(
        "catalog.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shipments_in",
    )
    carrier = models.ForeignKey(
        "parties.Party",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_shipments",
    )
    tracking_code = models.CharField(max_length=128, blank=True)
    estimated_ship_date = models.DateField(null=True, blank=True)
    estimated_arrival_date = models.DateField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(null=True, blank=True, editable=False)
    cost = models.DecimalField(**TOTAL, null=True, blank=True, validators=[validate_non_negative])
    currency = models.CharField(max_length=3, default="USD", validators=[validate_currency])
    order = models.ForeignKey(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="shipments",
        help_text="The order this shipment fulfils (sale) or procures (purchase).",
    )
    ship_task = models.ForeignKey(
        "work.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="shipments"
    )
    receive_task = models.ForeignKey(
        "work.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="received_shipments",
    )

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["kind", "status"])]

    def __str__(self):
        return f"{self.kind} shipment #{self.pk}"

    def clean(self):
        errors = {}
        if (
            self.from_party_id
            and self.from_party_id == self.to_party_id
            and self.kind != ShipmentKind.TRANSFER
        ):
            errors["to_party"] = ValidationError(
                "Only a transfer ships to the party it comes from.", code=CommonErrorCode.INVALID
            )
        if (
            self.estimated_ship_date
            and self.estimated_arrival_date
            and self.estimated_arrival_date < self.estimated_ship_date
        ):
            errors["estimated_arrival_date"] = ValidationError(
                "Arrives before it ships.", code=CommonErrorCode.DATE_ORDER
            )
        if self.cost is not None and self.currency:
            try:
                validate_amount(self.cost, self.currency)
            except ValidationError as exc:
                errors["cost"] = exc
        if errors:
            raise ValidationError(errors)


class ShipmentItem(Record):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="shipment_items")
    quantity = models.DecimalField(**QUANTITY, validators=[validate_non_negative])
    order_item = models.ForeignKey(
        "orders.OrderItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shipment_items",
    )

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="shipment_item_quantity_gt_0")
        ]

    def __str__(self):
        return f"{self.quantity} × {self.product}"

    def clean(self):
        if self.quantity is not None and self.quantity <= 0:
            raise ValidationError(
                {"quantity": ValidationError("Must be greater than zero.", code=CommonErrorCode.NOT_POSITIVE)}
            )
        if (
            self.order_item_id
            and self.shipment_id
            and self.shipment.order_id not in (None, self.order_item.order_id)
        ):
            raise ValidationError(
                {
                    "order_item": ValidationError(
                        "The order line belongs to another order.", code=CommonErrorCode.INVALID
                    )
                }
            )
