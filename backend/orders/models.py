from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models

from backend.common.errors import CommonErrorCode
from backend.common.models import OBJECT_PERMISSIONS, Record
from backend.common.money import (
    QUANTITY,
    TOTAL,
    UNIT_PRICE,
    validate_currency,
    validate_non_negative,
)
from backend.parties.models import RoleKind

from .errors import OrderErrorCode


class OrderStatus(models.TextChoices):
    OPEN = "OPEN"
    REQUESTED = "REQUESTED", "Quote requested"
    PROPOSED = "PROPOSED", "Quote proposed"
    PLACED = "PLACED"
    PROCESSING = "PROCESSING"
    APPROVED = "APPROVED"
    SENT = "SENT"
    HOLD = "HOLD"
    COMPLETED = "COMPLETED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"


class OrderKind(models.TextChoices):
    """Derived from which side is the internal organisation."""

    SALES = "SALES"
    PURCHASE = "PURCHASE"


class Order(Record):
    """An agreement between a customer and a vendor; totals derive from its items."""

    status_history = GenericRelation("audit.StatusChange", related_query_name="+")
    number = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=255, blank=True)
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    customer = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="customer_orders")
    vendor = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="vendor_orders")
    kind = models.CharField(max_length=16, choices=OrderKind.choices, editable=False)
    currency = models.CharField(max_length=3, validators=[validate_currency])
    status = models.CharField(max_length=16, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    entered_at = models.DateTimeField(auto_now_add=True)
    placed_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    total = models.DecimalField(**TOTAL, default=0, editable=False)

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["customer", "status"]),
            models.Index(fields=["vendor", "status"]),
            models.Index(fields=["placed_at"]),
        ]

    def __str__(self):
        return self.number

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
        for field in ("customer", "vendor"):
            if getattr(self, field).disabled:
                raise ValidationError(
                    {field: ValidationError("This party is disabled.", code=OrderErrorCode.DISABLED_PARTY)}
                )
        self.kind = derive_kind(self.customer, self.vendor)
        if self.project_id and self.project.customer_id not in (self.customer_id, self.vendor_id):
            raise ValidationError(
                {
                    "project": ValidationError(
                        "The project belongs to another customer.",
                        code=OrderErrorCode.PROJECT_MISMATCH,
                    )
                }
            )


def internal_side(first, second, *, fields: tuple[str, str], document: str) -> str:
    """Which of a document's two parties (by field name) is the internal organisation.

    Exactly one must be: both, or neither, is refused.
    """
    first_internal, second_internal = (
        party.roles.filter(role=RoleKind.INTERNAL).exists() for party in (first, second)
    )
    if first_internal and second_internal:
        raise ValidationError(
            {
                fields[1]: ValidationError(
                    "Both parties are internal organisations.", code=OrderErrorCode.BOTH_INTERNAL
                )
            }
        )
    if not (first_internal or second_internal):
        raise ValidationError(
            {
                fields[0]: ValidationError(
                    f"One side of an {document} must be an internal organisation.",
                    code=OrderErrorCode.NO_INTERNAL_PARTY,
                )
            }
        )
    return fields[0] if first_internal else fields[1]


def derive_kind(customer, vendor) -> str:
    """Sales when the vendor is internal, purchase when the customer is."""
    side = internal_side(vendor, customer, fields=("vendor", "customer"), document="order")
    return OrderKind.SALES if side == "vendor" else OrderKind.PURCHASE


class OrderPart(Record):
    """Splits an order for fulfilment; every order has at least one."""

    status_history = GenericRelation("audit.StatusChange", related_query_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="parts")
    name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    facility = models.ForeignKey(
        "catalog.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_parts",
        help_text="Ship-from facility for a sale, ship-to for a purchase.",
    )
    ship_to_address = models.TextField(blank=True)
    carrier = models.ForeignKey(
        "parties.Party",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_parts",
    )
    ship_after = models.DateField(null=True, blank=True)
    ship_before = models.DateField(null=True, blank=True)
    total = models.DecimalField(**TOTAL, default=0, editable=False)

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]

    def __str__(self):
        return f"{self.order} / {self.name or self.pk}"

    def clean(self):
        if self.ship_after and self.ship_before and self.ship_before < self.ship_after:
            raise ValidationError(
                {
                    "ship_before": ValidationError(
                        "Ship-before is earlier than ship-after.", code=CommonErrorCode.DATE_ORDER
                    )
                }
            )


class OrderItem(Record):
    """A product or free-text line; its total is quantity × unit price, rounded to the currency."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    part = models.ForeignKey(OrderPart, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(
        "catalog.Product",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_items",
    )
    description = models.CharField(max_length=255, blank=True)
    quantity = models.DecimalField(**QUANTITY, validators=[validate_non_negative])
    unit_price = models.DecimalField(**UNIT_PRICE, validators=[validate_non_negative])
    total = models.DecimalField(**TOTAL, default=0, editable=False)

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="order_item_quantity_gte_0"),
            models.CheckConstraint(condition=models.Q(unit_price__gte=0), name="order_item_price_gte_0"),
        ]

    def __str__(self):
        return f"{self.order} #{self.pk}"

    def clean(self):
        if self.part_id and self.order_id and self.part.order_id != self.order_id:
            raise ValidationError(
                {
                    "part": ValidationError(
                        "The part belongs to another order.", code=OrderErrorCode.PART_MISMATCH
                    )
                }
            )
        if not self.product_id and not self.description:
            raise ValidationError(
                {
                    "description": ValidationError(
                        "A line needs a product or a description.", code=CommonErrorCode.REQUIRED
                    )
                }
            )
