from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.utils import timezone

from backend.common.errors import CommonErrorCode
from backend.common.models import OBJECT_PERMISSIONS, Record
from backend.common.money import (
    QUANTITY,
    TOTAL,
    UNIT_PRICE,
    validate_amount,
    validate_currency,
    validate_non_negative,
)
from backend.orders.errors import OrderErrorCode
from backend.orders.models import internal_side
from backend.work.models import ApprovalStatus

# Importing counters also registers its NumberCounter model with this app.
from .counters import NumberSeries, number_field, number_org_field, unique_numbers
from .errors import BillingErrorCode

# Half of a total's last decimal (totals are NUMERIC(24,4)).
TOTAL_SLACK = Value(Decimal("0.00005"))


def equal_totals(field: str, expression) -> Q:
    """`field = expression` for totals: exact on PostgreSQL, whose numerics hold every value with four
    decimals, and right on SQLite too, which compares decimals as binary floats (0.1 + 0.2 != 0.3)."""
    return Q(**{f"{field}__gte": expression - TOTAL_SLACK}) & Q(**{f"{field}__lte": expression + TOTAL_SLACK})


class InvoiceKind(models.TextChoices):
    SALES = "SALES"
    CREDIT_MEMO = "CREDIT_MEMO"
    RETURN = "RETURN"


class InvoiceDirection(models.TextChoices):
    """Derived from which side is the internal organisation."""

    RECEIVABLE = "RECEIVABLE"
    PAYABLE = "PAYABLE"


class InvoiceStatus(models.TextChoices):
    # receivable (the issuer's view)
    IN_PROCESS = "IN_PROCESS"
    FINALIZED = "FINALIZED"
    SENT = "SENT"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    PAYMENT_RECEIVED = "PAYMENT_RECEIVED"
    WRITTEN_OFF = "WRITTEN_OFF"
    # payable (the billed party's view)
    INCOMING = "INCOMING"
    RECEIVED = "RECEIVED"
    APPROVED = "APPROVED"
    PAYMENT_SENT = "PAYMENT_SENT"
    BILLED_THROUGH = "BILLED_THROUGH"
    CANCELLED = "CANCELLED"


INITIAL_STATUS = {
    InvoiceDirection.RECEIVABLE: InvoiceStatus.IN_PROCESS,
    InvoiceDirection.PAYABLE: InvoiceStatus.INCOMING,
}
EDITABLE_STATUSES = frozenset(INITIAL_STATUS.values())


class Invoice(Record):
    """A bill from one party to another; totals derive from its items and applications."""

    status_history = GenericRelation("audit.StatusChange", related_query_name="+")
    kind = models.CharField(max_length=16, choices=InvoiceKind.choices, default=InvoiceKind.SALES)
    from_party = models.ForeignKey(
        "parties.Party", on_delete=models.PROTECT, related_name="issued_invoices", help_text="The issuer."
    )
    to_party = models.ForeignKey(
        "parties.Party",
        on_delete=models.PROTECT,
        related_name="billed_invoices",
        help_text="The billed party.",
    )
    direction = models.CharField(max_length=16, choices=InvoiceDirection.choices, editable=False)
    status = models.CharField(max_length=32, choices=InvoiceStatus.choices)
    invoice_date = models.DateField(default=timezone.localdate)
    due_date = models.DateField(null=True, blank=True)
    currency = models.CharField(max_length=3, validators=[validate_currency])
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    total = models.DecimalField(**TOTAL, default=0, editable=False)
    applied_total = models.DecimalField(**TOTAL, default=0, editable=False)
    unpaid_total = models.DecimalField(**TOTAL, default=0, editable=False)
    number = number_field("finalised (payable: approved)")
    number_series = models.CharField(max_length=16, choices=NumberSeries.choices, blank=True, editable=False)
    number_org = number_org_field()

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["from_party", "status"]),
            models.Index(fields=["to_party", "status"]),
        ]
        constraints = [
            *unique_numbers("invoice"),
            models.CheckConstraint(condition=Q(applied_total__gte=0), name="invoice_applied_gte_0"),
            models.CheckConstraint(
                condition=equal_totals("unpaid_total", F("total") - F("applied_total")),
                name="invoice_unpaid_consistent",
            ),
        ]

    def __str__(self):
        return f"Invoice {self.pk}"

    def clean(self):
        if self.invoice_date and self.due_date and self.due_date < self.invoice_date:
            raise ValidationError(
                {"due_date": ValidationError("Due before the invoice date.", code=CommonErrorCode.DATE_ORDER)}
            )
        if not (self.from_party_id and self.to_party_id):
            return
        if self.from_party_id == self.to_party_id:
            raise ValidationError(
                {
                    "to_party": ValidationError(
                        "Issuer and billed party must differ.", code=OrderErrorCode.SAME_PARTY
                    )
                }
            )
        self.direction = derive_direction(self.from_party, self.to_party)


def derive_direction(from_party, to_party) -> str:
    """Receivable when we issue it, payable when we are billed."""
    side = internal_side(from_party, to_party, fields=("from_party", "to_party"), document="invoice")
    return InvoiceDirection.RECEIVABLE if side == "from_party" else InvoiceDirection.PAYABLE


class InvoiceItem(Record):
    """A line; its total is quantity × unit price, rounded half-up to the invoice currency."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="items")
    description = models.CharField(max_length=255, blank=True)
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="invoice_items"
    )
    quantity = models.DecimalField(**QUANTITY, default=1, validators=[validate_non_negative])
    unit_price = models.DecimalField(**UNIT_PRICE)
    total = models.DecimalField(**TOTAL, default=0, editable=False)
    order_item = models.ForeignKey(
        "orders.OrderItem", null=True, blank=True, on_delete=models.PROTECT, related_name="invoice_items"
    )
    job_cost = models.ForeignKey(
        "work.JobCost",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoice_items",
        help_text="The approved cost (e.g. time worked) this line bills.",
    )

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="invoice_item_quantity_gte_0"),
        ]

    def __str__(self):
        return f"{self.invoice} #{self.pk}"

    def clean(self):
        if not self.product_id and not self.description:
            raise ValidationError(
                {
                    "description": ValidationError(
                        "A line needs a product or a description.", code=CommonErrorCode.REQUIRED
                    )
                }
            )
        if self.job_cost_id and self.job_cost.approval_status != ApprovalStatus.APPROVED:
            raise ValidationError(
                {
                    "job_cost": ValidationError(
                        "Only approved costs can be billed.", code=BillingErrorCode.COST_NOT_APPROVED
                    )
                }
            )


class PaymentInstrument(models.TextChoices):
    CHECK = "CHECK"
    CARD = "CARD"
    ACH = "ACH"
    WIRE = "WIRE"
    CASH = "CASH"
    OTHER = "OTHER"


class PaymentStatus(models.TextChoices):
    PROPOSED = "PROPOSED"
    PROMISED = "PROMISED"
    AUTHORIZED = "AUTHORIZED"
    DELIVERED = "DELIVERED"
    CONFIRMED = "CONFIRMED", "Confirmed paid"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"
    VOID = "VOID"


class Payment(Record):
    """Money moved from payer to payee; applied to invoices (or to another payment, as a refund)."""

    status_history = GenericRelation("audit.StatusChange", related_query_name="+")
    from_party = models.ForeignKey(
        "parties.Party", on_delete=models.PROTECT, related_name="payments_made", help_text="The payer."
    )
    to_party = models.ForeignKey(
        "parties.Party", on_delete=models.PROTECT, related_name="payments_received", help_text="The payee."
    )
    instrument = models.CharField(max_length=16, choices=PaymentInstrument.choices)
    status = models.CharField(max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PROPOSED)
    amount = models.DecimalField(**TOTAL)
    currency = models.CharField(max_length=3, validators=[validate_currency])
    effective_date = models.DateField(null=True, blank=True)
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    for_invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="intended_payments"
    )
    refund_for = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    applied_total = models.DecimalField(**TOTAL, default=0, editable=False)
    unapplied_total = models.DecimalField(**TOTAL, default=0, editable=False)
    number = number_field("promised (it leaves its proposal)")
    number_series = models.CharField(max_length=16, choices=NumberSeries.choices, blank=True, editable=False)
    number_org = number_org_field()

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["from_party", "status"]),
            models.Index(fields=["to_party", "status"]),
        ]
        constraints = [
            *unique_numbers("payment"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_gt_0"),
            models.CheckConstraint(condition=Q(applied_total__gte=0), name="payment_applied_gte_0"),
            models.CheckConstraint(condition=Q(unapplied_total__gte=0), name="payment_unapplied_gte_0"),
            models.CheckConstraint(
                condition=equal_totals("unapplied_total", F("amount") - F("applied_total")),
                name="payment_unapplied_consistent",
            ),
        ]

    def __str__(self):
        return f"Payment {self.pk}"

    def clean(self):
        if self.amount is not None:
            if self.amount <= 0:
                raise ValidationError(
                    {
                        "amount": ValidationError(
                            "A payment amount must be positive.", code=CommonErrorCode.NOT_POSITIVE
                        )
                    }
                )
            if self.currency:
                try:
                    validate_amount(self.amount, self.currency)
                except ValidationError as exc:
                    raise ValidationError({"amount": exc}) from exc
        if self.from_party_id and self.from_party_id == self.to_party_id:
            raise ValidationError(
                {"to_party": ValidationError("Payer and payee must differ.", code=OrderErrorCode.SAME_PARTY)}
            )


# The three shapes Moqui allows; a DB CHECK refuses any other combination.
PAYMENT_TO_INVOICE = Q(
    payment__isnull=False, invoice__isnull=False, to_payment__isnull=True, to_invoice__isnull=True
)
PAYMENT_TO_PAYMENT = Q(
    payment__isnull=False, to_payment__isnull=False, invoice__isnull=True, to_invoice__isnull=True
)
INVOICE_TO_INVOICE = Q(
    invoice__isnull=False, to_invoice__isnull=False, payment__isnull=True, to_payment__isnull=True
)


class PaymentApplication(Record):
    """Part of a payment (or credit memo) settling an invoice (or payment). Never deleted."""

    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    to_payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="applications_received"
    )
    to_invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="applications_received"
    )
    amount = models.DecimalField(**TOTAL)
    original_amount = models.DecimalField(
        **TOTAL, null=True, blank=True, help_text="The amount that was applied, kept when unapplied."
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(default=timezone.now)
    unapplied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unapplied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=PAYMENT_TO_INVOICE | PAYMENT_TO_PAYMENT | INVOICE_TO_INVOICE,
                name="payment_application_shape",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_application_amount_gte_0"),
        ]

    def __str__(self):
        return f"Application {self.pk}"


class IdempotencyKey(Record):
    """A client-chosen key of one money mutation: a retry returns the first result."""

    key = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    operation = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64, help_text="sha256 of the canonical input.")
    result_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    result_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]

    def __str__(self):
        return self.key
