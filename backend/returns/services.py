"""Returns, their items and their status changes, with what approving and receiving produce."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from backend.audit.services import transition
from backend.billing import application as billing_application
from backend.billing import services as billing
from backend.billing.models import InvoiceItem, InvoiceKind, InvoiceStatus, PaymentInstrument, PaymentStatus
from backend.billing.totals import recompute_invoice
from backend.common.services import save_validated
from backend.orders import services as orders
from backend.parties.models import RoleKind
from backend.shipping.models import Shipment, ShipmentItem, ShipmentKind

from .bounds import check_returnable, credited_total
from .errors import ReturnErrorCode
from .models import EDITABLE_STATUSES, Return, ReturnItem, ReturnResponse, ReturnStatus
from .transitions import RETURN_FLOW


@transaction.atomic
def create_return(*, actor, customer, vendor, currency: str, facility=None, order=None) -> Return:
    return save_validated(
        Return(customer=customer, vendor=vendor, currency=currency, facility=facility, order=order)
    )


def _lock_editable(return_id: int) -> Return:
    record = Return.objects.select_for_update().get(pk=return_id)
    if record.status not in EDITABLE_STATUSES:
        raise ValidationError(
            {"return_header": ValidationError(
                f"Items can change only while the return is created or requested (it is {record.status}).",
                code=ReturnErrorCode.RETURN_NOT_EDITABLE,
            )}
        )  # fmt: skip
    return record


@transaction.atomic
def add_return_item(record: Return, *, actor, **fields) -> ReturnItem:
    locked = _lock_editable(record.pk)
    order_item = fields.get("order_item")
    if order_item is not None:
        if fields.get("quantity") is not None:
            check_returnable(order_item, fields["quantity"])
        if fields.get("product") is None:
            fields["product"] = order_item.product
        if fields.get("return_price") is None:
            fields["return_price"] = order_item.unit_price
        if not fields.get("description"):
            fields["description"] = order_item.description
    if fields.get("return_price") is None:
        raise ValidationError(
            {"return_price": ValidationError(
                "A line without an order line needs its return price.", code=ReturnErrorCode.PRICE_REQUIRED
            )}
        )  # fmt: skip
    return save_validated(ReturnItem(return_header=locked, **fields))


@transaction.atomic
def transition_return(
    record: Return, *, to: str, actor, reason: str = "", expected_version: int | None = None
) -> Return:
    """Move a return; approving creates its shipment, receiving produces credit, refund and replacement."""
    locked = transition(
        record, flow=RETURN_FLOW, to=to, actor=actor, reason=reason, expected_version=expected_version,
        side_effects={ReturnStatus.APPROVED: _create_shipment, ReturnStatus.RECEIVED: _respond},
    )  # fmt: skip
    locked.refresh_from_db()
    return locked


def _link(record: Return, **results) -> None:
    Return.objects.filter(pk=record.pk).update(**results, version=F("version") + 1)


def _items(record: Return) -> list[ReturnItem]:
    return list(record.items.select_related("order_item", "product").order_by("pk"))


def _create_shipment(record: Return, actor) -> None:
    """The return shipment: from the customer back to the vendor, one line per returned product."""
    shipment = save_validated(
        Shipment(
            kind=ShipmentKind.SALES_RETURN,
            from_party=record.customer,
            to_party=record.vendor,
            destination_facility=record.facility,
            currency=record.currency,
            order=record.order,
        )
    )
    for item in _items(record):
        if item.product_id:
            save_validated(
                ShipmentItem(
                    shipment=shipment,
                    product=item.product,
                    quantity=item.quantity,
                    order_item=item.order_item,
                )
            )
    _link(record, shipment=shipment)


def _respond(record: Return, actor) -> None:
    """Moqui's response processing, for sales returns (the vendor is the internal organisation)."""
    if not record.vendor.roles.filter(role=RoleKind.INTERNAL).exists():
        return
    items = _items(record)
    money_items = [i for i in items if i.response in (ReturnResponse.CREDIT, ReturnResponse.REFUND)]
    replaced = [i for i in items if i.response == ReturnResponse.REPLACE]
    results = {}
    if money_items:
        invoice, refund_total = _return_invoice(record, money_items, actor)
        results["invoice"] = invoice
        if refund_total > 0:
            results["refund_payment"] = _refund(record, invoice, refund_total, actor)
    if replaced:
        results["replacement_order"] = _replacement_order(record, replaced, actor)
    if results:
        _link(record, **results)


def _return_invoice(record: Return, items: list[ReturnItem], actor):
    """One return invoice for the credited and refunded items, from the customer to the vendor
    (what the vendor owes back), approved at once; also the refunded part of its total."""
    invoice = billing.create_invoice(
        actor=actor,
        from_party=record.customer,
        to_party=record.vendor,
        currency=record.currency,
        kind=InvoiceKind.RETURN,
        order=record.order,
    )
    refund_total = Decimal(0)
    for item in items:
        line = billing.add_invoice_item(
            invoice,
            actor=actor,
            product=item.product,
            description=item.description,
            quantity=item.quantity,
            unit_price=item.return_price,
            order_item=item.order_item,
        )
        if item.order_item_id is not None:
            line = _credit_line(line, item, invoice)
        if item.response == ReturnResponse.REFUND:
            refund_total += line.total
    invoice = billing.transition_invoice(
        invoice, to=InvoiceStatus.APPROVED, actor=None, reason=f"{record} received."
    )
    return invoice, refund_total


def _credit_line(line: InvoiceItem, item: ReturnItem, invoice) -> InvoiceItem:
    """The line's credit shared out of what its order line was billed (backend.returns.bounds)."""
    total = credited_total(item.order_item, item.quantity, item.return_price, invoice.currency, line=line)
    if total != line.total:
        InvoiceItem.objects.filter(pk=line.pk).update(total=total)
        recompute_invoice(invoice.pk)
        line.total = total
    return line


def _refund(record: Return, invoice, amount: Decimal, actor):
    """A delivered refund from the vendor to the customer, applied to the return invoice."""
    payment = billing.create_payment(
        actor=None,
        from_party=record.vendor,
        to_party=record.customer,
        instrument=PaymentInstrument.OTHER,
        amount=amount,
        currency=record.currency,
        status=PaymentStatus.DELIVERED,
        effective_date=timezone.localdate(),
        order=record.order,
        for_invoice=invoice,
    )
    billing_application.apply_payment(payment=payment, invoice=invoice, amount=amount, actor=actor)
    return payment


def _replacement_order(record: Return, items: list[ReturnItem], actor):
    """A new order for the replaced products, at no charge."""
    order = orders.create_order(
        actor=actor,
        customer=record.customer,
        vendor=record.vendor,
        currency=record.currency,
        name=f"Replacement for {record}",
        project=record.order.project if record.order_id else None,
    )
    for item in items:
        orders.add_order_item(
            order,
            actor=actor,
            product=item.product,
            description=item.description,
            quantity=item.quantity,
            unit_price=Decimal(0),
        )
    return order
