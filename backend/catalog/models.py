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


class FacilityKind(models.TextChoices):
    WAREHOUSE = "WAREHOUSE"
    OFFICE = "OFFICE"
    PLANT = "PLANT"
    STORE = "STORE"
    OTHER = "OTHER"


class Facility(Record):
    kind = models.CharField(max_length=16, choices=FacilityKind.choices)
    name = models.CharField(max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    owner = models.ForeignKey(
        "parties.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="facilities"
    )
    address = models.TextField(blank=True)

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        verbose_name_plural = "facilities"
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError(
                    {
                        "parent": ValidationError(
                            "A facility cannot sit inside itself.", code=CommonErrorCode.INVALID
                        )
                    }
                )
            ancestor = ancestor.parent


class FacilityLocation(models.Model):
    """A named place inside a facility (aisle, bin, room)."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="locations")
    code = models.CharField(max_length=64)
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["facility_id", "code"]
        constraints = [models.UniqueConstraint(fields=["facility", "code"], name="facility_location_unique")]

    def __str__(self):
        return f"{self.facility} / {self.code}"


class ProductKind(models.TextChoices):
    GOOD = "GOOD"
    SERVICE = "SERVICE"
    DIGITAL = "DIGITAL"
    ASSET_USE = "ASSET_USE"
    FACILITY_USE = "FACILITY_USE"


class Product(Record):
    kind = models.CharField(max_length=16, choices=ProductKind.choices)
    name = models.CharField(max_length=255)
    sku = models.CharField(max_length=64, unique=True, help_text="Stock keeping unit, unique.")
    description = models.TextField(blank=True)
    requires_inventory = models.BooleanField(default=False)
    returnable = models.BooleanField(default=True)
    taxable = models.BooleanField(default=True)
    disabled = models.BooleanField(default=False)

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.sku} {self.name}"


class AssetKind(models.TextChoices):
    INVENTORY = "INVENTORY"
    EQUIPMENT = "EQUIPMENT"
    SUPPLIES = "SUPPLIES"
    FIXED = "FIXED"


class Asset(Record):
    """A physical instance of a product: stock on a shelf, a machine, supplies."""

    kind = models.CharField(max_length=16, choices=AssetKind.choices)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="assets")
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="assets"
    )
    serial_number = models.CharField(max_length=128, blank=True)
    lot = models.CharField(max_length=128, blank=True)
    quantity_on_hand = models.DecimalField(**QUANTITY, default=0, validators=[validate_non_negative])
    acquire_cost = models.DecimalField(**TOTAL, null=True, blank=True, validators=[validate_non_negative])
    currency = models.CharField(max_length=3, default="USD", validators=[validate_currency])

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]

    def __str__(self):
        return f"{self.product} #{self.pk}"

    def clean(self):
        if self.acquire_cost is not None and self.currency:
            try:
                validate_amount(self.acquire_cost, self.currency)
            except ValidationError as exc:
                raise ValidationError({"acquire_cost": exc}) from None
