from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models

from backend.common.errors import CommonErrorCode
from backend.common.models import OBJECT_PERMISSIONS, Record
from backend.common.money import TOTAL, validate_amount, validate_currency, validate_non_negative
from backend.orders.errors import OrderErrorCode
from backend.parties.models import RoleKind
from backend.work.statuses import WorkStatus


class Project(Record):
    """A client-specific bucket for orders: a service contract, an ad contract, a retainer."""

    status_history = GenericRelation("audit.StatusChange", related_query_name="+")
    code = models.CharField(max_length=32, unique=True, help_text="Short unique code, e.g. ACME-24.")
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    customer = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="customer_projects")
    internal_org = models.ForeignKey(
        "parties.Party", on_delete=models.PROTECT, related_name="internal_projects"
    )
    status = models.CharField(max_length=16, choices=WorkStatus.choices, default=WorkStatus.PLANNING)
    budget = models.DecimalField(**TOTAL, null=True, blank=True, validators=[validate_non_negative])
    currency = models.CharField(max_length=3, default="USD", validators=[validate_currency])
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = ValidationError("Ends before it starts.", code=CommonErrorCode.DATE_ORDER)
        if self.internal_org_id and not self.internal_org.roles.filter(role=RoleKind.INTERNAL).exists():
            errors["internal_org"] = ValidationError(
                "Not an internal organisation.", code=OrderErrorCode.NO_INTERNAL_PARTY
            )
        if self.customer_id and self.customer_id == self.internal_org_id:
            errors["customer"] = ValidationError(
                "A project is for another party.", code=OrderErrorCode.SAME_PARTY
            )
        if self.budget is not None and self.currency:
            try:
                validate_amount(self.budget, self.currency)
            except ValidationError as exc:
                errors["budget"] = exc
        if errors:
            raise ValidationError(errors)
