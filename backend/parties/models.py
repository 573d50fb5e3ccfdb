from django.conf import settings
from django.db import models

from backend.common.models import OBJECT_PERMISSIONS, Record


class PartyKind(models.TextChoices):
    PERSON = "PERSON"
    ORGANIZATION = "ORGANIZATION"


class RoleKind(models.TextChoices):
    CUSTOMER = "CUSTOMER"
    VENDOR = "VENDOR"
    SUPPLIER = "SUPPLIER"
    EMPLOYEE = "EMPLOYEE"
    CONTRACTOR = "CONTRACTOR"
    CARRIER = "CARRIER"
    INTERNAL = "INTERNAL", "Internal organization"


class Party(Record):
    """A person or an organisation; every document names two parties."""

    kind = models.CharField(max_length=16, choices=PartyKind.choices)
    name = models.CharField(max_length=255, help_text="Display name.")
    external_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    disabled = models.BooleanField(default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party",
        help_text="The login of the person this party is.",
    )

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        verbose_name_plural = "parties"
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    def has_role(self, role: str) -> bool:
        return self.roles.filter(role=role).exists()


class PartyRole(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=16, choices=RoleKind.choices)

    class Meta:
        ordering = ["party_id", "role"]
        constraints = [models.UniqueConstraint(fields=["party", "role"], name="party_role_unique")]
        indexes = [models.Index(fields=["role", "party"])]

    def __str__(self):
        return f"{self.party} as {self.role}"
