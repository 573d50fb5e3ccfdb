from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from backend.common.errors import CommonErrorCode
from backend.common.models import OBJECT_PERMISSIONS, Record
from backend.common.money import QUANTITY, UNIT_PRICE, validate_currency, validate_non_negative
from backend.orders.errors import OrderErrorCode
from backend.orders.models import derive_kind

from .errors import ReturnErrorCode


class ReturnStatus(models.TextChoices):
    CREATED = "CREATED"
    REQUESTED = "REQUESTED"
    APPROVED = "APPROVED"
    SHIPPED = "SHIPPED"
    RECEIVED = "RECEIVED"
    MANUAL_RESPONSE = "MANUAL_RESPONSE", "Manual response required"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


EDITABLE_STATUSES = frozenset({ReturnStatus.CREATED, ReturnStatus.REQUESTED})


class ReturnReason(models.TextChoices):
    DAMAGED = "DAMAGED"
    WRONG_ITEM = "WRONG_ITEM"
    NOT_NEEDED = "NOT_NEEDED"
    DEFECTIVE = "DEFECTIVE"
    OTHER = "OTHER"


class ReturnResponse(models.TextChoices):
    CREDIT = "CREDIT"
    REFUND = "REFUND"
    REPLACE = "REPLACE"


class Return(Record):
    """Goods coming back from a customer to a vendor; receiving them produces credit, refund or replacement."""

    status_history = GenericRelation("audit.StatusChange", related_query_name="+")
    customer = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="customer_returns")
    vendor = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="vendor_returns")
    status = models.CharField(max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.CREATED)
    currency = models.CharField(max_length=3, validators=[validate_currency])
    facility = models.ForeignKey(
        "catalog.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="returns",
        help_text="Where the goods come back to.",
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="returns"
    )
    shipment = models.ForeignKey(
        "shipping.Shipment",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The return shipment, created on approval.",
    )
    invoice = models.ForeignKey(
        "billing.Invoice",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The return invoice for credited and refunded items, created on receipt.",
    )
    refund_payment = models.ForeignKey(
        "billing.Payment",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The refund of the refunded items, created on receipt.",
    )
    replacement_order = models.ForeignKey(
        "orders.Order",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The order replacing the replaced items, created on receipt.",
    )

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["customer", "status"]),
            models.Index(fields=["vendor", "status"]),
        ]

    def __str__(self):
        return f"Return {self.pk}"

    def clean(self):
        if not (self.customer_id and self.vendor_id):
            return
        if self.customer_id == self.vendor_id:
            raise ValidationError(
                {
                    "vendor": ValidationError(
                        "Customer and vendor must differ.", code=OrderErrorCode.SAME_PARTY
                    )
                }
            )
        derive_kind(self.customer, self.vendor)
        if self.order_id and (self.order.customer_id, self.order.vendor_id) != (
            self.customer_id,
            self.vendor_id,
        ):
            raise ValidationError(
                {
                    "order": ValidationError(
                        "The order is between other parties.", code=ReturnErrorCode.ORDER_MISMATCH
                    )
                }
            )


class ReturnItem(Record):
    """One returned line: what, how many, why, and what the customer gets for it."""

    return_header = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="items")
    order_item = models.ForeignKey(
        "orders.OrderItem", null=True, blank=True, on_delete=models.PROTECT, related_name="return_items"
    )
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="return_items"
    )
    description = models.CharField(max_length=255, blank=True)
    quantity = models.DecimalField(**QUANTITY)
    reason = models.CharField(max_length=16, choices=ReturnReason.choices, default=ReturnReason.OTHER)
    response = models.CharField(max_length=16, choices=ReturnResponse.choices)
    return_price = models.DecimalField(
        **UNIT_PRICE,
        validators=[validate_non_negative],
        help_text="Per unit; the order line's unit price when left out.",
    )

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="return_item_quantity_gt_0"),
        ]

    def __str__(self):
        return f"{self.return_header} #{self.pk}"

    def clean(self):
        if self.quantity is not None and self.quantity <= 0:
            raise ValidationError(
                {"quantity": ValidationError("Must be greater than zero.", code=CommonErrorCode.NOT_POSITIVE)}
            )
        if not self.product_id and not self.description:
            raise ValidationError(
                {
                    "description": ValidationError(
                        "A line needs a product or a description.", code=CommonErrorCode.REQUIRED
                    )
                }
            )
        if (
            self.order_item_id
            and self.return_header_id
            and self.return_header.order_id not in (None, self.order_item.order_id)
        ):
            raise ValidationError(
                {
                    "order_item": ValidationError(
                        "The order line belongs to another order.", code=ReturnErrorCode.ORDER_MISMATCH
                    )
                }
            )
