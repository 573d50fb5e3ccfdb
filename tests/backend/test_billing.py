from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from backend.billing.application import apply_credit_memo, apply_payment, refund_payment, unapply
from backend.billing.models import (
    IdempotencyKey,
    InvoiceDirection,
    InvoiceKind,
    InvoiceStatus,
    PaymentApplication,
    PaymentInstrument,
    PaymentStatus,
)
from backend.billing.services import (
    add_invoice_item,
    create_invoice,
    create_invoice_from_order,
    create_payment,
    delete_invoice_item,
    transition_invoice,
    transition_payment,
    update_invoice_item,
)
from backend.common.errors import Conflict

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

DAY = date(2026, 3, 2)


def codes(exc: ValidationError) -> set[str]:
    return {error.code for errors in exc.error_dict.values() for error in errors}


def make_invoice(company, amount="100.00", *, currency="USD", status=InvoiceStatus.FINALIZED, payable=False,
                 kind=InvoiceKind.SALES):  # fmt: skip
    issuer, billed = (company.supplier, company.internal) if payable else (company.internal, company.customer)
    if kind == InvoiceKind.CREDIT_MEMO:
        issuer, billed = company.customer, company.internal
    invoice = create_invoice(actor=None, from_party=issuer, to_party=billed, currency=currency, kind=kind)
    add_invoice_item(invoice, actor=None, description="Work", quantity=Decimal(1), unit_price=Decimal(amount))
    invoice.refresh_from_db()
    steps = {InvoiceStatus.SENT: [InvoiceStatus.FINALIZED, InvoiceStatus.SENT]}.get(status, [status])
    for step in steps:
        if step != invoice.status:
            invoice = transition_invoice(invoice, to=step, actor=None)
    return invoice


def make_payment(company, amount, *, payer=None, payee=None, currency="USD", status=PaymentStatus.DELIVERED,
                 refund_for=None):  # fmt: skip
    return create_payment(
        actor=None,
        from_party=payer or company.customer,
        to_party=payee or company.internal,
        instrument=PaymentInstrument.CHECK,
        amount=Decimal(amount),
        currency=currency,
        status=status,
        effective_date=DAY,
        refund_for=refund_for,
    )


def history(record) -> list[tuple[str, str]]:
    return list(record.status_history.order_by("id").values_list("from_status", "to_status"))


def test_order_to_cash_with_overpayment_refund_and_unapply(company, user):
    order = company.order(lines=((Decimal(4), Decimal("340.00")),))
    invoice = create_invoice_from_order(order=order, actor=user)
    assert invoice.direction == InvoiceDirection.RECEIVABLE
    assert invoice.status == InvoiceStatus.IN_PROCESS
    assert invoice.total == Decimal("1360.00") and invoice.items.count() == 1
    invoice = transition_invoice(invoice, to=InvoiceStatus.FINALIZED, actor=user)

    payment = make_payment(company, "1500.00")
    application = apply_payment(payment=payment, invoice=invoice, actor=user)
    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert application.amount == Decimal("1360.00") and application.applied_by == user
    assert invoice.unpaid_total == 0 and invoice.applied_total == Decimal("1360.00")
    assert invoice.status == InvoiceStatus.PAYMENT_RECEIVED
    assert payment.unapplied_total == Decimal("140.00")

    refund = make_payment(
        company, "140.00", payer=company.internal, payee=company.customer, refund_for=payment
    )
    refund_payment(payment=payment, refund=refund, actor=user)
    payment.refresh_from_db()
    refund.refresh_from_db()
    assert payment.unapplied_total == 0 and payment.applied_total == Decimal("1500.00")
    assert refund.unapplied_total == 0 and refund.applied_total == Decimal("140.00")

    undone = unapply(application=application, actor=user)
    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert undone.pk == application.pk and undone.amount == 0
    assert undone.original_amount == Decimal("1360.00") and undone.unapplied_by == user
    assert undone.unapplied_at is not None
    assert invoice.status == InvoiceStatus.FINALIZED and invoice.unpaid_total == Decimal("1360.00")
    assert payment.unapplied_total == Decimal("1360.00")
    assert history(invoice) == [
        ("IN_PROCESS", "FINALIZED"),
        ("FINALIZED", "PAYMENT_RECEIVED"),
        ("PAYMENT_RECEIVED", "FINALIZED"),
    ]
    assert invoice.status_history.last().actor is None


def test_payable_invoice_is_paid_when_approved_and_covered(company, user):
    invoice = make_invoice(company, "80.00", payable=True, status=InvoiceStatus.APPROVED)
    assert invoice.direction == InvoiceDirection.PAYABLE
    payment = make_payment(company, "80.00", payer=company.internal, payee=company.supplier)
    apply_payment(payment=payment, invoice=invoice, actor=user)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAYMENT_SENT and invoice.unpaid_total == 0


def test_partial_application_keeps_status(company, user):
    invoice = make_invoice(company, "100.00", status=InvoiceStatus.SENT)
    payment = make_payment(company, "100.00")
    apply_payment(payment=payment, invoice=invoice, amount=Decimal("40.00"), actor=user)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SENT and invoice.unpaid_total == Decimal("60.00")


def _refused(call, code):
    before = PaymentApplication.objects.count()
    with pytest.raises(ValidationError) as info:
        call()
    assert code in codes(info.value)
    assert PaymentApplication.objects.count() == before


@pytest.mark.parametrize(
    ("invoice_kw", "payment_kw", "amount", "code"),
    [
        ({}, {"currency": "EUR"}, None, "CURRENCY_MISMATCH"),
        ({}, {"payer": "internal", "payee": "customer"}, None, "PARTIES_NOT_REVERSED"),
        ({}, {}, Decimal(0), "NOT_POSITIVE"),
        ({}, {}, Decimal("-5.00"), "NOT_POSITIVE"),
        ({}, {}, Decimal("1.001"), "TOO_MANY_DECIMALS"),
        ({}, {}, Decimal("150.00"), "EXCEEDS_UNPAID"),
        ({"amount": "500.00"}, {}, Decimal("250.00"), "EXCEEDS_UNAPPLIED"),
        ({}, {"status": PaymentStatus.PROMISED}, None, "PAYMENT_NOT_SETTLED"),
        ({}, {"status": PaymentStatus.AUTHORIZED}, None, "PAYMENT_NOT_SETTLED"),
        ({"status": InvoiceStatus.IN_PROCESS}, {}, None, "INVOICE_NOT_PAYABLE"),
        ({"status": InvoiceStatus.CANCELLED}, {}, None, "INVOICE_NOT_PAYABLE"),
        ({"payable": True, "status": InvoiceStatus.RECEIVED}, {"payer": "internal", "payee": "supplier"}, None,
         "INVOICE_NOT_PAYABLE"),
    ],
)  # fmt: skip
def test_apply_payment_refusals(company, user, invoice_kw, payment_kw, amount, code):
    invoice = make_invoice(company, invoice_kw.pop("amount", "100.00"), **invoice_kw)
    for side in ("payer", "payee"):
        if side in payment_kw:
            payment_kw[side] = getattr(company, payment_kw[side])
    payment = make_payment(company, "200.00", **payment_kw)
    _refused(lambda: apply_payment(payment=payment, invoice=invoice, amount=amount, actor=user), code)
    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert invoice.applied_total == 0 and payment.applied_total == 0


def test_credit_memo_settles_invoice(company, user):
    invoice = make_invoice(company, "100.00")
    memo = make_invoice(company, "100.00", kind=InvoiceKind.CREDIT_MEMO, status=InvoiceStatus.APPROVED)
    application = apply_credit_memo(credit_memo=memo, invoice=invoice, actor=user)
    invoice.refresh_from_db()
    memo.refresh_from_db()
    assert application.invoice == memo and application.to_invoice == invoice
    assert invoice.unpaid_total == 0 and invoice.status == InvoiceStatus.PAYMENT_RECEIVED
    assert memo.unpaid_total == 0 and memo.status == InvoiceStatus.PAYMENT_SENT

    unapply(application=application, actor=user)
    invoice.refresh_from_db()
    memo.refresh_from_db()
    assert invoice.status == InvoiceStatus.FINALIZED and memo.status == InvoiceStatus.APPROVED


def test_credit_memo_refusals(company, user):
    invoice = make_invoice(company, "100.00")
    other = make_invoice(company, "100.00", payable=True, status=InvoiceStatus.APPROVED)
    _refused(lambda: apply_credit_memo(credit_memo=other, invoice=invoice, actor=user), "NOT_CREDIT_MEMO")
    memo = make_invoice(company, "100.00", kind=InvoiceKind.CREDIT_MEMO, status=InvoiceStatus.INCOMING)
    _refused(lambda: apply_credit_memo(credit_memo=memo, invoice=invoice, actor=user), "INVOICE_NOT_PAYABLE")


def test_refund_refusals(company, user):
    payment = make_payment(company, "100.00")
    same_way = make_payment(company, "10.00")
    _refused(lambda: refund_payment(payment=payment, refund=same_way, actor=user), "PARTIES_NOT_REVERSED")
    refund = make_payment(company, "150.00", payer=company.internal, payee=company.customer)
    _refused(
        lambda: refund_payment(payment=payment, refund=refund, amount=Decimal("120.00"), actor=user),
        "EXCEEDS_UNAPPLIED",
    )
    other = make_payment(company, "5.00")
    stranger = make_payment(company, "5.00", payer=company.internal, payee=company.customer, refund_for=other)
    _refused(lambda: refund_payment(payment=payment, refund=stranger, actor=user), "REFUND_MISMATCH")


def test_rounding_half_up_to_the_currency(company):
    invoice = create_invoice(
        actor=None, from_party=company.internal, to_party=company.customer, currency="USD"
    )
    item = add_invoice_item(
        invoice, actor=None, description="x", quantity=Decimal(3), unit_price=Decimal("0.33335")
    )
    invoice.refresh_from_db()
    assert item.total == Decimal("1.00") and invoice.total == Decimal("1.00")
    yen = create_invoice(actor=None, from_party=company.internal, to_party=company.customer, currency="JPY")
    add_invoice_item(yen, actor=None, description="x", quantity=Decimal(1), unit_price=Decimal("10.5"))
    yen.refresh_from_db()
    assert yen.total == Decimal(11)


def test_items_recompute_and_lock_after_finalize(company, user):
    invoice = create_invoice(
        actor=None, from_party=company.internal, to_party=company.customer, currency="USD"
    )
    first = add_invoice_item(
        invoice, actor=None, description="a", quantity=Decimal(2), unit_price=Decimal("5")
    )
    second = add_invoice_item(
        invoice, actor=None, description="b", quantity=Decimal(1), unit_price=Decimal("7")
    )
    update_invoice_item(first, actor=None, quantity=Decimal(3))
    delete_invoice_item(second, actor=None)
    invoice.refresh_from_db()
    assert invoice.total == Decimal("15.00") and invoice.unpaid_total == Decimal("15.00")
    transition_invoice(invoice, to=InvoiceStatus.FINALIZED, actor=user)
    with pytest.raises(ValidationError) as info:
        add_invoice_item(invoice, actor=None, description="late", quantity=Decimal(1), unit_price=Decimal(1))
    assert codes(info.value) == {"NOT_EDITABLE"}
    with pytest.raises(ValidationError) as info:
        update_invoice_item(first, actor=None, quantity=Decimal(1))
    assert codes(info.value) == {"NOT_EDITABLE"}
    assert invoice.items.count() == 1


def test_invoice_needs_an_internal_party_and_paid_is_not_set_by_hand(company, user):
    with pytest.raises(ValidationError) as info:
        create_invoice(actor=None, from_party=company.supplier, to_party=company.customer, currency="USD")
    assert codes(info.value) == {"NO_INTERNAL_PARTY"}
    invoice = make_invoice(company, "10.00")
    with pytest.raises(ValidationError) as info:
        transition_invoice(invoice, to=InvoiceStatus.PAYMENT_RECEIVED, actor=user)
    assert codes(info.value) == {"PAID_BY_APPLICATION"}


def test_unapply_twice_is_refused(company, user):
    invoice = make_invoice(company, "10.00")
    application = apply_payment(payment=make_payment(company, "10.00"), invoice=invoice, actor=user)
    unapply(application=application, actor=user)
    with pytest.raises(ValidationError) as info:
        unapply(application=application, actor=user)
    assert codes(info.value) == {"ALREADY_UNAPPLIED"}


def test_voiding_a_payment_unapplies_it(company, user):
    invoice = make_invoice(company, "10.00")
    payment = make_payment(company, "10.00")
    application = apply_payment(payment=payment, invoice=invoice, actor=user)
    transition_payment(payment, to=PaymentStatus.VOID, actor=user)
    invoice.refresh_from_db()
    payment.refresh_from_db()
    application.refresh_from_db()
    assert application.amount == 0 and application.original_amount == Decimal("10.00")
    assert invoice.status == InvoiceStatus.FINALIZED and invoice.unpaid_total == Decimal("10.00")
    assert payment.status == PaymentStatus.VOID and payment.applied_total == 0


def test_application_shape_is_enforced_by_the_database(company):
    invoice = make_invoice(company, "10.00")
    payment = make_payment(company, "10.00")
    for fields in ({"payment": payment}, {"payment": payment, "invoice": invoice, "to_invoice": invoice}):
        with pytest.raises(IntegrityError), transaction.atomic():
            PaymentApplication.objects.create(amount=Decimal(1), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentApplication.objects.create(payment=payment, invoice=invoice, amount=Decimal(-1))


def test_payment_amount_must_be_positive(company):
    with pytest.raises(ValidationError) as info:
        make_payment(company, "0.00")
    assert "NOT_POSITIVE" in codes(info.value)


def test_same_idempotency_key_applies_once(company, user):
    invoice = make_invoice(company, "100.00")
    payment = make_payment(company, "100.00")
    first = apply_payment(
        payment=payment, invoice=invoice, amount=Decimal("30.00"), actor=user, idempotency_key="k1"
    )
    again = apply_payment(
        payment=payment, invoice=invoice, amount=Decimal("30.00"), actor=user, idempotency_key="k1"
    )
    invoice.refresh_from_db()
    assert first.pk == again.pk
    assert PaymentApplication.objects.filter(invoice=invoice).count() == 1
    assert invoice.applied_total == Decimal("30.00")


def test_same_idempotency_key_with_other_input_conflicts(company, user):
    invoice = make_invoice(company, "100.00")
    payment = make_payment(company, "100.00")
    apply_payment(payment=payment, invoice=invoice, amount=Decimal("30.00"), actor=user, idempotency_key="k2")
    with pytest.raises(Conflict) as info:
        apply_payment(
            payment=payment, invoice=invoice, amount=Decimal("31.00"), actor=user, idempotency_key="k2"
        )
    assert info.value.code == "IDEMPOTENCY_MISMATCH"
    with pytest.raises(Conflict):
        unapply(application=PaymentApplication.objects.get(), actor=user, idempotency_key="k2")
    invoice.refresh_from_db()
    assert invoice.applied_total == Decimal("30.00") and IdempotencyKey.objects.count() == 1


def test_unpay_by_hand_undoes_applications_but_write_off_keeps_them(company, user):
    invoice = make_invoice(company, "10.00")
    application = apply_payment(payment=make_payment(company, "10.00"), invoice=invoice, actor=user)
    invoice = transition_invoice(invoice, to=InvoiceStatus.WRITTEN_OFF, actor=user)
    application.refresh_from_db()
    assert invoice.status == InvoiceStatus.WRITTEN_OFF and application.amount == Decimal("10.00")
    invoice = transition_invoice(invoice, to=InvoiceStatus.PAYMENT_RECEIVED, actor=user)
    invoice = transition_invoice(invoice, to=InvoiceStatus.FINALIZED, actor=user)
    application.refresh_from_db()
    assert invoice.status == InvoiceStatus.FINALIZED and invoice.unpaid_total == Decimal("10.00")
    assert application.amount == 0 and application.original_amount == Decimal("10.00")
