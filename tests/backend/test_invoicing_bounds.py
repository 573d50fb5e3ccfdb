"""An order is billed once: each line's invoiced quantity bounds what later invoices may bill."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from backend.billing.models import InvoiceStatus
from backend.billing.services import (
    add_invoice_item,
    create_invoice,
    create_invoice_from_order,
    transition_invoice,
    update_invoice_item,
)

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def code(exc: pytest.ExceptionInfo, field: str) -> str:
    return exc.value.error_dict[field][0].code


def manual_invoice(company, order):
    return create_invoice(
        actor=None, from_party=company.internal, to_party=company.customer, currency="USD", order=order
    )


def test_an_order_fully_invoiced_cannot_be_invoiced_again(company, user):
    order = company.order(lines=((Decimal(4), Decimal("340.00")),))
    first = create_invoice_from_order(order=order, actor=user)
    transition_invoice(first, to=InvoiceStatus.FINALIZED, actor=user)
    with pytest.raises(ValidationError) as refused:
        create_invoice_from_order(order=order, actor=user)
    assert code(refused, "order") == "ORDER_FULLY_INVOICED"
    assert order.invoices.count() == 1


def test_invoicing_from_an_order_bills_only_the_uninvoiced_remainder(company, user):
    order = company.order(lines=((Decimal(4), Decimal("10.00")), (Decimal(2), Decimal("5.00"))))
    first_line, second_line = order.items.order_by("pk")
    partial = manual_invoice(company, order)
    add_invoice_item(
        partial,
        actor=None,
        order_item=first_line,
        description="Work",
        quantity=Decimal(1),
        unit_price=Decimal("10.00"),
    )
    rest = create_invoice_from_order(order=order, actor=user)
    billed = {item.order_item_id: item.quantity for item in rest.items.all()}
    assert billed == {first_line.pk: Decimal(3), second_line.pk: Decimal(2)}
    assert rest.total == Decimal("40.00")


def test_a_cancelled_invoice_gives_its_lines_back(company, user):
    order = company.order(lines=((Decimal(2), Decimal("10.00")),))
    first = create_invoice_from_order(order=order, actor=user)
    transition_invoice(first, to=InvoiceStatus.CANCELLED, actor=user)
    again = create_invoice_from_order(order=order, actor=user)
    assert again.total == Decimal("20.00")


def test_manual_lines_cannot_bill_more_than_the_order_line_has_left(company):
    order = company.order(lines=((Decimal(3), Decimal("10.00")),))
    line = order.items.get()
    invoice = manual_invoice(company, order)
    item = add_invoice_item(
        invoice,
        actor=None,
        order_item=line,
        description="Work",
        quantity=Decimal(2),
        unit_price=Decimal("10.00"),
    )
    with pytest.raises(ValidationError) as over:
        add_invoice_item(
            invoice,
            actor=None,
            order_item=line,
            description="Work",
            quantity=Decimal(2),
            unit_price=Decimal("10.00"),
        )
    assert code(over, "quantity") == "EXCEEDS_UNINVOICED"
    update_invoice_item(item, actor=None, quantity=Decimal(3))  # its own quantity is not counted twice
    with pytest.raises(ValidationError) as grown:
        update_invoice_item(item, actor=None, quantity=Decimal(4))
    assert code(grown, "quantity") == "EXCEEDS_UNINVOICED"


def test_an_invoice_for_an_order_is_in_the_orders_currency(company):
    order = company.order(lines=((Decimal(1), Decimal("10.00")),))
    with pytest.raises(ValidationError) as refused:
        create_invoice(
            actor=None, from_party=company.internal, to_party=company.customer, currency="JPY", order=order
        )
    assert code(refused, "currency") == "CURRENCY_MISMATCH"
    assert order.invoices.count() == 0
