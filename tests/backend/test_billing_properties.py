"""Random sequences of money operations keep every stored total equal to what the rows say."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backend.billing.application import apply_payment, refund_payment, unapply
from backend.billing.models import (
    Invoice,
    InvoiceItem,
    Payment,
    PaymentApplication,
    PaymentStatus,
)
from backend.billing.services import transition_payment
from backend.billing.transitions import APPLICABLE_STATUSES, PAID_STATUS
from backend.common.errors import Conflict

from .test_billing import make_invoice, make_payment

INVOICE_AMOUNTS = ("100.00", "250.00")
PAYMENT_AMOUNTS = ("120.00", "80.00", "300.00")
REFUND_AMOUNT = "50.00"

amounts = st.one_of(st.none(), st.integers(min_value=0, max_value=40000).map(lambda c: Decimal(c).scaleb(-2)))
payment_index = st.integers(min_value=0, max_value=len(PAYMENT_AMOUNTS) - 1)
operations = st.one_of(
    st.tuples(
        st.just("apply"), payment_index, st.integers(min_value=0, max_value=len(INVOICE_AMOUNTS) - 1), amounts
    ),
    st.tuples(st.just("unapply"), st.integers(min_value=0, max_value=30)),
    st.tuples(st.just("refund"), payment_index, amounts),
    st.tuples(
        st.just("cancel"),
        st.integers(min_value=0, max_value=len(PAYMENT_AMOUNTS)),
        st.sampled_from([PaymentStatus.CANCELLED, PaymentStatus.VOID]),
    ),
)


def _sum(queryset) -> Decimal:
    return queryset.aggregate(s=Sum("amount"))["s"] or Decimal(0)


def snapshot(invoices, payments) -> tuple:
    return (
        list(
            Invoice.objects.filter(pk__in=[i.pk for i in invoices]).values_list(
                "pk", "status", "total", "applied_total", "unpaid_total", "version"
            )
        ),
        list(
            Payment.objects.filter(pk__in=[p.pk for p in payments]).values_list(
                "pk", "status", "applied_total", "unapplied_total", "version"
            )
        ),
        list(PaymentApplication.objects.order_by("pk").values_list("pk", "amount", "unapplied_at")),
    )


def check_invariants(invoices, payments) -> None:
    assert not PaymentApplication.objects.filter(unapplied_at__isnull=False).exclude(amount=0).exists()
    assert not PaymentApplication.objects.filter(unapplied_at__isnull=True, amount__lte=0).exists()
    for payment in Payment.objects.filter(pk__in=[p.pk for p in payments]):
        rows = PaymentApplication.objects.filter(Q(payment=payment) | Q(to_payment=payment))
        active = _sum(rows.filter(unapplied_at__isnull=True))
        assert active <= payment.amount
        assert payment.applied_total == _sum(rows) == active
        assert payment.unapplied_total == payment.amount - payment.applied_total >= 0
        if payment.status in (PaymentStatus.CANCELLED, PaymentStatus.VOID):
            assert active == 0
    for invoice in Invoice.objects.filter(pk__in=[i.pk for i in invoices]):
        rows = PaymentApplication.objects.filter(Q(invoice=invoice) | Q(to_invoice=invoice))
        total = InvoiceItem.objects.filter(invoice=invoice).aggregate(s=Sum("total"))["s"] or Decimal(0)
        assert invoice.total == total
        assert invoice.applied_total == _sum(rows)
        assert invoice.unpaid_total == invoice.total - invoice.applied_total
        assert invoice.unpaid_total >= 0
        paid = PAID_STATUS[invoice.direction]
        if invoice.status in APPLICABLE_STATUSES[invoice.direction] | {paid}:
            assert (invoice.status == paid) == (invoice.unpaid_total == 0)


def perform(operation, invoices, payments, refund, applications, actor):
    kind, *args = operation
    if kind == "apply":
        p, i, amount = args
        return apply_payment(payment=payments[p], invoice=invoices[i], amount=amount, actor=actor)
    if kind == "unapply":
        if not applications:
            return None
        return unapply(application=applications[args[0] % len(applications)], actor=actor)
    if kind == "refund":
        p, amount = args
        return refund_payment(payment=payments[p], refund=refund, amount=amount, actor=actor)
    p, to = args
    target = ([*payments, refund])[p]
    target.refresh_from_db()
    transition_payment(target, to=to, actor=actor)
    return None


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(operations, min_size=1, max_size=15))
def test_random_operations_keep_totals_consistent(company, user, steps):
    with transaction.atomic():
        invoices = [make_invoice(company, amount) for amount in INVOICE_AMOUNTS]
        payments = [make_payment(company, amount) for amount in PAYMENT_AMOUNTS]
        refund = make_payment(company, REFUND_AMOUNT, payer=company.internal, payee=company.customer)
        everything = [*payments, refund]
        applications = []
        check_invariants(invoices, everything)
        for operation in steps:
            before = snapshot(invoices, everything)
            try:
                result = perform(operation, invoices, payments, refund, applications, user)
            except (ValidationError, Conflict):
                event(f"{operation[0]} refused")
                assert snapshot(invoices, everything) == before
            else:
                event(f"{operation[0]} done")
                if isinstance(result, PaymentApplication) and result not in applications:
                    applications.append(result)
            check_invariants(invoices, everything)
        transaction.set_rollback(True)
