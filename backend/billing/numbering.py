"""Legal numbers: gapless per series, issuing internal organisation and year.

A document takes its number in the transaction that issues it: a receivable invoice when it is
finalised, a payable one (our register of suppliers' bills) when it is approved, a payment when it
is promised (it leaves its proposal). The number comes from a counter row per (series, organisation,
year), locked with SELECT … FOR UPDATE and incremented: a rollback gives the number back and
concurrent issuers queue on the row. (Not a database sequence: sequences skip the values that
rolled-back transactions drew.) A number, once given, stays with the document whatever its status.

Lock order: the counter is the last lock of a money write. transition_invoice and
transition_payment lock payments by id, then invoices by id (totals.lock_money) before anything
else, and take the counter only after the status is written; a transaction that issues two
documents (a return's credit memo, then its refund payment) takes their counters in that order.
"""

from django.conf import settings
from django.utils import timezone

from backend.parties.models import RoleKind

from .counters import NumberCounter, NumberSeries
from .models import Invoice, InvoiceDirection, InvoiceKind, InvoiceStatus, Payment, PaymentStatus
from .transitions import PAYABLE_FLOW, PAYMENT_FLOW, RECEIVABLE_FLOW

# The status whose first entry issues the document.
ISSUED_AT = {
    RECEIVABLE_FLOW: InvoiceStatus.FINALIZED,
    PAYABLE_FLOW: InvoiceStatus.APPROVED,
    PAYMENT_FLOW: PaymentStatus.PROMISED,
}


def series_of(document) -> str:
    if isinstance(document, Payment):
        return NumberSeries.PAYMENT
    if document.kind in (InvoiceKind.CREDIT_MEMO, InvoiceKind.RETURN):
        return NumberSeries.CREDIT_MEMO
    return NumberSeries.INVOICE if document.direction == InvoiceDirection.RECEIVABLE else NumberSeries.BILL


def issuing_org(document):
    """The internal organisation whose sequence numbers the document.

    An invoice has exactly one internal party (its direction says which). A payment: the payee
    when internal (a receipt), else the payer; a payment between two outside parties numbers from
    the company-wide sequence (None)."""
    if isinstance(document, Invoice):
        return document.from_party if document.direction == InvoiceDirection.RECEIVABLE else document.to_party
    for party in (document.to_party, document.from_party):
        if party.roles.filter(role=RoleKind.INTERNAL).exists():
            return party
    return None


def _year(document) -> int:
    """The year of the document's own date (invoice date; payment: effective date, else today)."""
    day = document.invoice_date if isinstance(document, Invoice) else document.effective_date
    return (day or timezone.localdate()).year


def take_number(*, series: str, org, year: int) -> str:
    """The next number of the sequence, formatted; the caller's transaction holds the counter."""
    counter = {"series": series, "org": org, "year": year}
    # Create the row if it is missing; a concurrent creator makes this wait, then do nothing.
    NumberCounter.objects.bulk_create([NumberCounter(**counter)], ignore_conflicts=True)
    row = NumberCounter.objects.select_for_update().get(**counter)
    row.last += 1
    row.save(update_fields=["last"])
    return settings.BILLING_NUMBER_PATTERNS[series].format(year=year, seq=row.last)


def assign_number(document):
    """Give an issued document its number, once; call inside the issuing transaction."""
    if document.number:
        return document
    series, org = series_of(document), issuing_org(document)
    document.number = take_number(series=series, org=org, year=_year(document))
    document.number_series, document.number_org = series, org
    type(document).objects.filter(pk=document.pk).update(
        number=document.number, number_series=series, number_org=org
    )
    return document


def issues(flow, target: str) -> bool:
    return ISSUED_AT.get(flow) == target
