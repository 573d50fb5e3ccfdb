"""Legal numbers: gapless per series, issuing internal organisation and year, taken when the
document is issued, inside that transaction."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client, override_settings
from django.utils import timezone

from backend.billing.counters import NumberCounter, NumberSeries
from backend.billing.models import Invoice, InvoiceKind, InvoiceStatus, PaymentStatus
from backend.billing.services import (
    add_invoice_item,
    create_invoice,
    create_invoice_from_order,
    transition_invoice,
    transition_payment,
)
from backend.parties.models import PartyKind, RoleKind
from backend.parties.services import create_party

from .test_billing import make_invoice, make_payment
from .test_billing_concurrency import run_concurrently
from .test_money_locks import race_behind_a_held_lock

YEAR = timezone.localdate().year


def draft(company, *, issuer=None, invoice_date=None, payable=False):
    issuer, billed = (
        (company.supplier, company.internal) if payable else (issuer or company.internal, company.customer)
    )
    invoice = create_invoice(
        actor=None, from_party=issuer, to_party=billed, currency="USD", invoice_date=invoice_date
    )
    add_invoice_item(
        invoice, actor=None, description="Work", quantity=Decimal(1), unit_price=Decimal("10.00")
    )
    return invoice


def finalize(invoice):
    return transition_invoice(invoice, to=InvoiceStatus.FINALIZED, actor=None)


def number_of(record) -> str | None:
    return type(record).objects.get(pk=record.pk).number


@pytest.mark.django_db
@pytest.mark.sqlite
class TestNumbers:
    def test_an_invoice_is_numbered_when_finalised_and_keeps_its_number(self, company):
        first, second = draft(company), draft(company)
        assert number_of(first) is None
        finalize(second)
        finalize(first)
        assert (number_of(second), number_of(first)) == (f"INV-{YEAR}-000001", f"INV-{YEAR}-000002")
        # back in process and finalised again: the same number, none drawn
        transition_invoice(first, to=InvoiceStatus.IN_PROCESS, actor=None)
        finalize(first)
        transition_invoice(first, to=InvoiceStatus.CANCELLED, actor=None)
        assert number_of(first) == f"INV-{YEAR}-000002"
        assert NumberCounter.objects.get(series=NumberSeries.INVOICE, org=company.internal).last == 2

    def test_a_cancelled_draft_takes_no_number(self, company):
        invoice = draft(company)
        transition_invoice(invoice, to=InvoiceStatus.CANCELLED, actor=None)
        assert number_of(invoice) is None
        assert number_of(finalize(draft(company))) == f"INV-{YEAR}-000001"

    def test_each_internal_organisation_and_year_has_its_own_sequence(self, company):
        other = create_party(
            actor=None, kind=PartyKind.ORGANIZATION, name="Sister Co", roles=[RoleKind.INTERNAL]
        )
        ours = finalize(draft(company))
        theirs = finalize(draft(company, issuer=other))
        last_year = finalize(draft(company, invoice_date=date(YEAR - 1, 12, 31)))
        assert [number_of(ours), number_of(theirs), number_of(last_year)] == [
            f"INV-{YEAR}-000001",
            f"INV-{YEAR}-000001",
            f"INV-{YEAR - 1}-000001",
        ]
        assert Invoice.objects.get(pk=theirs.pk).number_org == other

    def test_payables_credit_memos_and_payments_have_their_own_series(self, company):
        bill = draft(company, payable=True)
        assert bill.status == InvoiceStatus.INCOMING
        transition_invoice(bill, to=InvoiceStatus.RECEIVED, actor=None)
        assert number_of(bill) is None  # received is still the supplier's draft in our books
        transition_invoice(bill, to=InvoiceStatus.APPROVED, actor=None)
        memo = make_invoice(company, "5.00", kind=InvoiceKind.CREDIT_MEMO, status=InvoiceStatus.APPROVED)
        payment = make_payment(company, "10.00", status=PaymentStatus.PROPOSED)
        assert number_of(payment) is None
        transition_payment(payment, to=PaymentStatus.PROMISED, actor=None)
        transition_payment(payment, to=PaymentStatus.DELIVERED, actor=None)
        delivered = make_payment(company, "10.00")  # created delivered: walks through promised
        assert [number_of(bill), number_of(memo), number_of(payment), number_of(delivered)] == [
            f"BILL-{YEAR}-000001",
            f"CRN-{YEAR}-000001",
            f"PAY-{YEAR}-000001",
            f"PAY-{YEAR}-000002",
        ]

    def test_a_payment_between_two_outside_parties_numbers_from_the_company_wide_sequence(self, company):
        payment = make_payment(company, "10.00", payer=company.customer, payee=company.supplier)
        assert number_of(payment) == f"PAY-{YEAR}-000001"
        assert NumberCounter.objects.get(series=NumberSeries.PAYMENT, org=None).last == 1

    @override_settings(BILLING_NUMBER_PATTERNS={"INVOICE": "{year}/{seq}"})
    def test_the_pattern_is_a_setting(self, company):
        assert number_of(finalize(draft(company))) == f"{YEAR}/1"

    def test_a_rolled_back_finalisation_leaves_no_gap(self, company):
        invoice = draft(company)
        with pytest.raises(ValidationError), transaction.atomic():
            finalize(invoice)
            assert number_of(invoice) == f"INV-{YEAR}-000001"
            raise ValidationError("Something later in the same transaction failed.")
        assert number_of(invoice) is None
        assert number_of(finalize(draft(company))) == f"INV-{YEAR}-000001"

    def test_a_number_is_unique_per_series_and_organisation(self, company):
        invoice = finalize(draft(company))
        other = draft(company)
        with pytest.raises(IntegrityError), transaction.atomic():
            Invoice.objects.filter(pk=other.pk).update(
                number=number_of(invoice), number_series=NumberSeries.INVOICE, number_org=company.internal
            )


@pytest.mark.django_db(transaction=True)
def test_concurrent_finalisations_get_distinct_consecutive_numbers(company):
    finalize(draft(company))  # the counter row exists; a third connection holds it
    invoices = [draft(company) for _ in range(4)]
    counter = NumberCounter.objects.get(series=NumberSeries.INVOICE, org=company.internal)

    def finalize_then_fail(invoice):
        with transaction.atomic():
            finalize(invoice)
            raise ValidationError("rolled back after taking a number")

    calls = [lambda invoice=invoice: finalize(invoice) for invoice in invoices[:3]]
    calls.append(lambda: finalize_then_fail(invoices[3]))
    race_behind_a_held_lock(counter, calls)
    numbers = sorted(filter(None, (number_of(invoice) for invoice in invoices)))
    assert numbers == [f"INV-{YEAR}-00000{n}" for n in (2, 3, 4)]
    assert number_of(invoices[3]) is None
    assert NumberCounter.objects.get(pk=counter.pk).last == 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_numbers_of_a_new_year_create_one_counter(company):
    invoices = [draft(company, invoice_date=date(YEAR + 1, 1, 2)) for _ in range(4)]
    results, refusals = run_concurrently([lambda invoice=invoice: finalize(invoice) for invoice in invoices])
    assert refusals == [] and len(results) == 4
    assert sorted(number_of(invoice) for invoice in invoices) == [
        f"INV-{YEAR + 1}-00000{n}" for n in range(1, 5)
    ]
    assert NumberCounter.objects.filter(series=NumberSeries.INVOICE, year=YEAR + 1).count() == 1


@pytest.mark.django_db
@pytest.mark.sqlite
def test_numbers_are_in_the_api_filterable_and_orderable(company, gql):
    first, second = finalize(draft(company)), finalize(draft(company))
    unnumbered = draft(company)
    payment = make_payment(company, "10.00")
    data = gql.data(
        """{ invoices(first: 10, filters: {number: {iContains: "inv-"}}, ordering: [{number: DESC}]) {
               edges { node { number } } }
             drafts: invoices(first: 10, filters: {number: {isNull: true}}) { edges { node { number } } }
             payments(first: 10, filters: {number: {exact: $number}}) { edges { node { number } } } }""".replace(
            "$number", f'"{number_of(payment)}"'
        )
    )
    assert [edge["node"]["number"] for edge in data["invoices"]["edges"]] == [
        number_of(second),
        number_of(first),
    ]
    assert [edge["node"]["number"] for edge in data["drafts"]["edges"]] == [None]
    assert data["payments"]["edges"] == [{"node": {"number": f"PAY-{YEAR}-000001"}}]
    assert number_of(unnumbered) is None


@pytest.mark.django_db
@pytest.mark.sqlite
def test_the_orders_export_lists_the_orders_invoice_numbers(company, user):
    order = company.order()
    first = finalize(create_invoice_from_order(order=order, actor=None))
    transition_invoice(first, to=InvoiceStatus.CANCELLED, actor=None)  # keeps its number
    second = finalize(create_invoice_from_order(order=order, actor=None))
    company.order()  # no invoices: an empty column
    client = Client()
    client.force_login(user)
    response = client.get("/exports/orders.csv")
    body = b"".join(response.streaming_content).decode()
    exported = {row["number"]: row["invoice_numbers"] for row in csv.DictReader(io.StringIO(body))}
    assert exported[order.number] == f"{number_of(first)} {number_of(second)}"
    assert sorted(exported.values()) == ["", f"INV-{YEAR}-000001 INV-{YEAR}-000002"]
