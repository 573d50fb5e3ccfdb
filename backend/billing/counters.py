"""Legal numbers' columns and the counters they are taken from (backend.billing.numbering)."""

from django.db import models
from django.db.models import Q


class NumberSeries(models.TextChoices):
    """The sequences legal numbers come from (backend.billing.numbering)."""

    INVOICE = "INVOICE"  # sales invoices we issue
    BILL = "BILL"  # suppliers' invoices to us, in our register
    CREDIT_MEMO = "CREDIT_MEMO"  # credit memos and return invoices, either way
    PAYMENT = "PAYMENT"


def number_field(when: str) -> models.CharField:
    return models.CharField(
        max_length=64,
        null=True,
        blank=True,
        editable=False,
        help_text=f"Legal number, gapless per series, issuing internal organisation and year; set when {when}.",
    )


def number_org_field() -> models.ForeignKey:
    return models.ForeignKey(
        "parties.Party",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The internal organisation whose sequence the number is from (none: the company-wide one).",
    )


def unique_numbers(table: str) -> list[models.UniqueConstraint]:
    """A number is unique per (series, organisation); a unique index treats nulls as distinct, so
    numbers of the company-wide sequence (no organisation) get their own index."""
    return [
        models.UniqueConstraint(
            fields=["number_series", "number_org", "number"], name=f"{table}_number_unique_per_org"
        ),
        models.UniqueConstraint(
            fields=["number_series", "number"],
            condition=Q(number_org__isnull=True, number__isnull=False),
            name=f"{table}_number_unique_without_org",
        ),
    ]


class NumberCounter(models.Model):
    """The last legal number given out per series, issuing organisation and year; locked to take one."""

    series = models.CharField(max_length=16, choices=NumberSeries.choices)
    org = models.ForeignKey(
        "parties.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["series", "org", "year"], name="number_counter_unique"),
            models.UniqueConstraint(
                fields=["series", "year"],
                condition=Q(org__isnull=True),
                name="number_counter_unique_without_org",
            ),
        ]

    def __str__(self):
        return f"{self.series} {self.org_id or '-'} {self.year}: {self.last}"
