"""Billing mutations. Money mutations take an idempotency key: a retry returns the first result."""

from collections.abc import Callable

import strawberry
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from strawberry.types import Info

from backend.billing import application, services
from backend.billing.models import Invoice, InvoiceItem, InvoiceKind, Payment, PaymentApplication
from backend.catalog.models import Product
from backend.common.errors import CommonErrorCode, Conflict
from backend.orders.models import Order, OrderItem
from backend.parties.models import Party
from backend.work.models import JobCost
from permissions.access import grant_to_creator, require_add
from permissions.visibility import can

from ..context import current_user
from ..crud import create_mutation, delete_mutation, fresh, update_mutation
from ..enums import InvoiceStatusEnum, PaymentStatusEnum
from ..errors import run_mutation
from ..ids import load, type_name
from ..inputs import actor, input_values
from ..payloads import payload
from ..status import transition_input, transition_mutation
from .inputs import (
    InvoiceApplyCreditInput,
    InvoiceCreateFromOrderInput,
    InvoiceCreateInput,
    InvoiceCreditMemoCreateInput,
    InvoiceItemAddInput,
    InvoiceItemUpdateInput,
    PaymentApplicationUnapplyInput,
    PaymentApplyInput,
    PaymentCreateInput,
    PaymentRefundInput,
)
from .types import InvoiceItemType, InvoiceType, PaymentApplicationType, PaymentType

INVOICE_REFS = {"from_party_id": Party, "to_party_id": Party, "order_id": Order}
ITEM_REFS = {"invoice_id": Invoice, "product_id": Product, "order_item_id": OrderItem, "job_cost_id": JobCost}
PAYMENT_REFS = {
    "from_party_id": Party,
    "to_party_id": Party,
    "order_id": Order,
    "for_invoice_id": Invoice,
    "refund_for_id": Payment,
}
KEY = "idempotency_key"

# Domain field names of the application services, as the client sends them.
APPLICATION_FIELDS = {
    "payment": "payment_id",
    "invoice": "invoice_id",
    "credit_memo": "credit_memo_id",
    "refund": "refund_id",
    "application": "id",
    "to_party": NON_FIELD_ERRORS,
}

InvoicePayload = payload("InvoiceCreatePayload", "invoice", InvoiceType)
InvoiceCreditMemoPayload = payload("InvoiceCreditMemoCreatePayload", "invoice", InvoiceType)
InvoiceFromOrderPayload = payload("InvoiceCreateFromOrderPayload", "invoice", InvoiceType)
PaymentPayload = payload("PaymentCreatePayload", "payment", PaymentType)
ApplyPayload = payload("PaymentApplyPayload", "payment_application", PaymentApplicationType)
ApplyCreditPayload = payload("InvoiceApplyCreditPayload", "payment_application", PaymentApplicationType)
RefundPayload = payload("PaymentRefundPayload", "payment_application", PaymentApplicationType)
UnapplyPayload = payload("PaymentApplicationUnapplyPayload", "payment_application", PaymentApplicationType)


def _key(input) -> str:
    key = input.idempotency_key.strip()
    if not key:
        raise ValidationError(
            {KEY: ValidationError("An idempotency key is required.", code=CommonErrorCode.REQUIRED)}
        )
    return key


def _keyed(action: Callable):
    """Report a reused key on the input field the client sent."""
    try:
        return action()
    except Conflict as exc:
        if exc.field == KEY:
            raise Conflict(exc.message, code=exc.code, field="idempotencyKey") from None
        raise


def _application_fields(action: Callable):
    """Name the fields of application errors after the mutation's input."""
    try:
        return _keyed(action)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {APPLICATION_FIELDS.get(name, name): errors for name, errors in exc.error_dict.items()}
        ) from None


def _fingerprint(values: dict) -> dict:
    return {name: getattr(value, "pk", value) for name, value in values.items()}


def _create_invoice(info: Info, input, kind: str, operation: str) -> Invoice:
    user = actor(info)
    key = _key(input)
    values = input_values(info, input, INVOICE_REFS, owner=Invoice, skip={KEY})
    values["kind"] = kind
    require_add(user, Invoice, values)

    def run():
        invoice = services.create_invoice(actor=user, **values)
        grant_to_creator(user, invoice)
        return invoice

    return fresh(_keyed(lambda: application.idempotent(user, key, operation, _fingerprint(values), run)))


def _require_change(info: Info, record) -> None:
    if record is not None and not can(current_user(info), record, "change"):
        raise PermissionDenied(f"You may not change this {type_name(type(record))}.")


def _add_item(*, actor, invoice, **fields):
    return services.add_invoice_item(invoice, actor=actor, **fields)


@strawberry.type
class BillingMutation:
    @strawberry.mutation(description="Create an invoice; it starts IN_PROCESS (we issue it) or INCOMING.")
    def invoice_create(self, info: Info, input: InvoiceCreateInput) -> InvoicePayload:
        invoice, errors = run_mutation(
            lambda: _create_invoice(info, input, input.kind.value, "create_invoice"), model=Invoice
        )
        return InvoicePayload(invoice=invoice, errors=errors)

    @strawberry.mutation(description="Create a credit memo: an invoice that settles another one.")
    def invoice_credit_memo_create(
        self, info: Info, input: InvoiceCreditMemoCreateInput
    ) -> InvoiceCreditMemoPayload:
        invoice, errors = run_mutation(
            lambda: _create_invoice(info, input, InvoiceKind.CREDIT_MEMO, "create_credit_memo"), model=Invoice
        )
        return InvoiceCreditMemoPayload(invoice=invoice, errors=errors)

    @strawberry.mutation(description="Bill an order: the vendor bills the customer, one line per order item.")
    def invoice_create_from_order(
        self, info: Info, input: InvoiceCreateFromOrderInput
    ) -> InvoiceFromOrderPayload:
        def act():
            user = actor(info)
            key = _key(input)
            order = load(info, input.order_id, Order, field="orderId", action="change")
            inputs = {"order": order.pk, "invoice_date": input.invoice_date, "due_date": input.due_date}

            def run():
                return services.create_invoice_from_order(
                    order=order, actor=user, invoice_date=input.invoice_date, due_date=input.due_date
                )

            return fresh(
                _keyed(lambda: application.idempotent(user, key, "create_invoice_from_order", inputs, run))
            )

        invoice, errors = run_mutation(act, model=Invoice)
        return InvoiceFromOrderPayload(invoice=invoice, errors=errors)

    invoice_item_add = create_mutation(
        InvoiceItem,
        InvoiceItemAddInput,
        payload("InvoiceItemAddPayload", "invoice_item", InvoiceItemType),
        "invoice_item",
        refs=ITEM_REFS,
        service=_add_item,
        description="Add a line to an invoice that is still in process (or incoming).",
    )
    invoice_item_update = update_mutation(
        InvoiceItem,
        InvoiceItemUpdateInput,
        payload("InvoiceItemUpdatePayload", "invoice_item", InvoiceItemType),
        "invoice_item",
        refs=ITEM_REFS,
        service=services.update_invoice_item,
    )
    invoice_item_delete = delete_mutation(InvoiceItem, service=services.delete_invoice_item)
    invoice_transition = transition_mutation(
        Invoice,
        transition_input("InvoiceTransitionInput", InvoiceStatusEnum),
        payload("InvoiceTransitionPayload", "invoice", InvoiceType),
        "invoice",
        services.transition_invoice,
        "Move an invoice along its flow; the paid status follows its applications.",
    )

    @strawberry.mutation(description="Record a payment; it walks along its flow to the status asked for.")
    def payment_create(self, info: Info, input: PaymentCreateInput) -> PaymentPayload:
        def act():
            user = actor(info)
            key = _key(input)
            values = input_values(info, input, PAYMENT_REFS, owner=Payment, skip={KEY})
            require_add(user, Payment, values)
            payment = _keyed(lambda: services.create_payment(actor=user, idempotency_key=key, **values))
            grant_to_creator(user, payment)
            return fresh(payment)

        payment, errors = run_mutation(act, model=Payment)
        return PaymentPayload(payment=payment, errors=errors)

    payment_transition = transition_mutation(
        Payment,
        transition_input("PaymentTransitionInput", PaymentStatusEnum),
        payload("PaymentTransitionPayload", "payment", PaymentType),
        "payment",
        services.transition_payment,
        "Move a payment along its flow; leaving a settled status undoes its applications.",
    )

    @strawberry.mutation(description="Apply a settled payment to an invoice with reversed parties.")
    def payment_apply(self, info: Info, input: PaymentApplyInput) -> ApplyPayload:
        def act():
            user = actor(info)
            key = _key(input)
            payment = load(info, input.payment_id, Payment, field="paymentId", action="change")
            invoice = load(info, input.invoice_id, Invoice, field="invoiceId", action="change")
            return fresh(
                _application_fields(
                    lambda: application.apply_payment(
                        payment=payment, invoice=invoice, amount=input.amount, actor=user, idempotency_key=key
                    )
                )
            )

        record, errors = run_mutation(act)
        return ApplyPayload(payment_application=record, errors=errors)

    @strawberry.mutation(description="Settle an invoice with a credit memo (or return invoice).")
    def invoice_apply_credit(self, info: Info, input: InvoiceApplyCreditInput) -> ApplyCreditPayload:
        def act():
            user = actor(info)
            key = _key(input)
            memo = load(info, input.credit_memo_id, Invoice, field="creditMemoId", action="change")
            invoice = load(info, input.invoice_id, Invoice, field="invoiceId", action="change")
            return fresh(
                _application_fields(
                    lambda: application.apply_credit_memo(
                        credit_memo=memo,
                        invoice=invoice,
                        amount=input.amount,
                        actor=user,
                        idempotency_key=key,
                    )
                )
            )

        record, errors = run_mutation(act)
        return ApplyCreditPayload(payment_application=record, errors=errors)

    @strawberry.mutation(
        description="Apply a refund (going back from payee to payer) to an overpaid payment."
    )
    def payment_refund(self, info: Info, input: PaymentRefundInput) -> RefundPayload:
        def act():
            user = actor(info)
            key = _key(input)
            payment = load(info, input.payment_id, Payment, field="paymentId", action="change")
            refund = load(info, input.refund_id, Payment, field="refundId", action="change")
            return fresh(
                _application_fields(
                    lambda: application.refund_payment(
                        payment=payment, refund=refund, amount=input.amount, actor=user, idempotency_key=key
                    )
                )
            )

        record, errors = run_mutation(act)
        return RefundPayload(payment_application=record, errors=errors)

    @strawberry.mutation(
        description="Undo an application: the row stays with amount 0, its original amount, who and when."
    )
    def payment_application_unapply(
        self, info: Info, input: PaymentApplicationUnapplyInput
    ) -> UnapplyPayload:
        def act():
            user = actor(info)
            key = _key(input)
            record = load(info, input.id, PaymentApplication, action="change")
            for side in (record.payment, record.invoice, record.to_payment, record.to_invoice):
                _require_change(info, side)
            return fresh(
                _application_fields(
                    lambda: application.unapply(application=record, actor=user, idempotency_key=key)
                )
            )

        record, errors = run_mutation(act)
        return UnapplyPayload(payment_application=record, errors=errors)
