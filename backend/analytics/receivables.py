"""What customers owe: open and overdue receivables, days to pay, and the aging report.

Open receivables are the unpaid totals of SALES invoices we issued that still take payments
(FINALIZED, SENT, ACKNOWLEDGED), less the unapplied totals of the customer's approved credit memos
and return invoices (credits reduce what is owed). An invoice without a due date is due on its
invoice date. Overdue receivables are the invoices past due; unapplied credits are never
overdue, so they sit in the "current" bucket of the aging report (as negative amounts).
Amounts are per currency. Every function works on the invoices the caller passes in, which
are the ones the viewer may see.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, DateField, F, OuterRef, Q, QuerySet, Subquery, Sum, TextField, Value, When
from django.db.models.functions import Cast, Coalesce, JSONObject, TruncDate

from backend.billing.models import Invoice, InvoiceDirection, InvoiceKind, InvoiceStatus, PaymentApplication
from backend.billing.transitions import APPLICABLE_STATUSES

from .rollups import CREDIT_KINDS
from .sql import DAYS, MONEY, average, days_between, json_rows, latest, rounded, zero

OPEN_RECEIVABLE_STATUSES = APPLICABLE_STATUSES[InvoiceDirection.RECEIVABLE]  # FINALIZED, SENT, ACKNOWLEDGED
SALES = Q(kind=InvoiceKind.SALES, direction=InvoiceDirection.RECEIVABLE)
CREDIT = Q(kind__in=CREDIT_KINDS, direction=InvoiceDirection.PAYABLE)
OPEN_SALES = SALES & Q(status__in=OPEN_RECEIVABLE_STATUSES)
OPEN_CREDIT = CREDIT & Q(status__in=APPLICABLE_STATUSES[InvoiceDirection.PAYABLE])  # APPROVED

DUE = Coalesce(F("due_date"), F("invoice_date"))
SIGNED_UNPAID = Case(When(SALES, then=F("unpaid_total")), default=-F("unpaid_total"), output_field=MONEY)
CUSTOMER = Case(When(SALES, then=F("to_party_id")), default=F("from_party_id"))


def open_receivables(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    return invoices.filter(OPEN_SALES | OPEN_CREDIT).exclude(unpaid_total=0)


def _when_overdue(as_of: date, then) -> Case:
    return Case(When(SALES & Q(due__lt=as_of), then=then), default=zero(), output_field=MONEY)


def party_receivables(invoices: QuerySet[Invoice], as_of: date, prefix: str = "") -> Subquery:
    """Per currency, for the party at `prefix`: {currency, open, overdue} as text amounts."""
    ref = OuterRef(f"{prefix}pk")
    rows = (
        open_receivables(invoices)
        .filter((SALES & Q(to_party=ref)) | (CREDIT & Q(from_party=ref)))
        .alias(due=DUE)
        .order_by()
        .values("currency")
        .annotate(open=Sum(SIGNED_UNPAID), overdue=Sum(_when_overdue(as_of, F("unpaid_total"))))
        .order_by("currency")
        .values(
            json=JSONObject(
                currency=F("currency"),
                open=Cast(F("open"), TextField()),
                overdue=Cast(F("overdue"), TextField()),
            )
        )
    )
    return json_rows(rows)


def settled_on():
    """The day of the last application that reached the invoice (payments and credit memos)."""
    applications = PaymentApplication.objects.filter(
        Q(payment__isnull=False, invoice=OuterRef("pk")) | Q(to_invoice=OuterRef("pk")), amount__gt=0
    )
    return TruncDate(
        latest(applications, "applied_at", output_field=PaymentApplication._meta.get_field("applied_at"))
    )


def party_average_days_to_pay(invoices: QuerySet[Invoice], prefix: str = ""):
    """Mean days from invoice date to the last payment, over the party's paid SALES invoices."""
    paid = invoices.filter(SALES, status=InvoiceStatus.PAYMENT_RECEIVED, to_party=OuterRef(f"{prefix}pk"))
    return rounded(average(paid, days_between(F("invoice_date"), settled_on())), DAYS)


# --- aging ---------------------------------------------------------------------------------

BUCKETS: tuple[tuple[str, int | None, int | None], ...] = (
    ("current", None, 0),
    ("days_1_to_30", 1, 30),
    ("days_31_to_60", 31, 60),
    ("days_61_to_90", 61, 90),
    ("over_90", 91, None),
)


@dataclass
class AgingRow:
    customer_id: int | None
    currency: str
    amounts: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), Decimal(0))


def _bucket(low: int | None, high: int | None):
    condition = Q()
    if low is not None:
        condition &= Q(days_overdue__gte=low)
    if high is not None:
        condition &= Q(days_overdue__lte=high)
    if low is None:  # credits are never overdue: they stay current
        condition |= CREDIT
    else:
        condition &= SALES
    return Sum(Case(When(condition, then=SIGNED_UNPAID), default=zero(), output_field=MONEY))


def receivables_aging(
    invoices: QuerySet[Invoice], as_of: date, currency: str | None = None
) -> list[AgingRow]:
    """Per customer and currency: open receivables by days past due on `as_of`.

    The amounts are today's unpaid totals; `as_of` sets the day the ages are counted from.
    """
    rows = (
        open_receivables(invoices)
        .annotate(customer=CUSTOMER)
        .alias(days_overdue=days_between(DUE, Value(as_of, output_field=DateField())))
    )
    if currency:
        rows = rows.filter(currency=currency)
    rows = (
        rows.order_by()
        .values("customer", "currency")
        .annotate(**{name: _bucket(low, high) for name, low, high in BUCKETS})
        .order_by("customer", "currency")
    )
    return [
        AgingRow(row["customer"], row["currency"], {name: row[name] for name, _, _ in BUCKETS})
        for row in rows
    ]
