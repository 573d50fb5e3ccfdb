import datetime
from decimal import Decimal

import strawberry

from ..enums import InvoiceKindEnum, PaymentInstrumentEnum, PaymentStatusEnum

UNSET = strawberry.UNSET

IDEMPOTENCY = "Chosen by the client; a retry with the same key and input returns the first result."


def idempotency_key():
    return strawberry.field(description=IDEMPOTENCY)


def amount_field():
    return strawberry.field(default=None, description="As much as both sides allow when left out.")


@strawberry.input
class InvoiceCreateInput:
    idempotency_key: str = idempotency_key()
    from_party_id: strawberry.ID = strawberry.field(description="The issuer.")
    to_party_id: strawberry.ID = strawberry.field(description="The billed party.")
    currency: str
    kind: InvoiceKindEnum = InvoiceKindEnum.SALES
    invoice_date: datetime.date | None = strawberry.field(default=None, description="Today when left out.")
    due_date: datetime.date | None = None
    order_id: strawberry.ID | None = None


@strawberry.input
class InvoiceCreditMemoCreateInput:
    idempotency_key: str = idempotency_key()
    from_party_id: strawberry.ID = strawberry.field(description="The issuer of the credit.")
    to_party_id: strawberry.ID = strawberry.field(description="The party credited.")
    currency: str
    invoice_date: datetime.date | None = strawberry.field(default=None, description="Today when left out.")
    due_date: datetime.date | None = None
    order_id: strawberry.ID | None = None


@strawberry.input
class InvoiceCreateFromOrderInput:
    idempotency_key: str = idempotency_key()
    order_id: strawberry.ID
    invoice_date: datetime.date | None = strawberry.field(default=None, description="Today when left out.")
    due_date: datetime.date | None = None


@strawberry.input
class InvoiceItemAddInput:
    invoice_id: strawberry.ID
    product_id: strawberry.ID | None = None
    description: str = ""
    quantity: Decimal = Decimal(1)
    unit_price: Decimal
    order_item_id: strawberry.ID | None = None
    job_cost_id: strawberry.ID | None = strawberry.field(
        default=None, description="An approved cost this line bills."
    )


@strawberry.input
class InvoiceItemUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    product_id: strawberry.ID | None = UNSET
    description: str | None = UNSET
    quantity: Decimal | None = UNSET
    unit_price: Decimal | None = UNSET
    order_item_id: strawberry.ID | None = UNSET
    job_cost_id: strawberry.ID | None = UNSET


@strawberry.input
class PaymentCreateInput:
    idempotency_key: str = idempotency_key()
    from_party_id: strawberry.ID = strawberry.field(description="The payer.")
    to_party_id: strawberry.ID = strawberry.field(description="The payee.")
    instrument: PaymentInstrumentEnum
    amount: Decimal
    currency: str
    status: PaymentStatusEnum = strawberry.field(
        default=PaymentStatusEnum.PROPOSED,
        description="The payment walks along its flow to this status (DELIVERED needs effectiveDate).",
    )
    effective_date: datetime.date | None = None
    order_id: strawberry.ID | None = None
    for_invoice_id: strawberry.ID | None = None
    refund_for_id: strawberry.ID | None = strawberry.field(
        default=None, description="The payment this one pays back."
    )


@strawberry.input
class PaymentApplyInput:
    idempotency_key: str = idempotency_key()
    payment_id: strawberry.ID
    invoice_id: strawberry.ID
    amount: Decimal | None = amount_field()


@strawberry.input
class InvoiceApplyCreditInput:
    idempotency_key: str = idempotency_key()
    credit_memo_id: strawberry.ID = strawberry.field(description="A CREDIT_MEMO or RETURN invoice.")
    invoice_id: strawberry.ID
    amount: Decimal | None = amount_field()


@strawberry.input
class PaymentRefundInput:
    idempotency_key: str = idempotency_key()
    payment_id: strawberry.ID = strawberry.field(description="The overpaid payment.")
    refund_id: strawberry.ID = strawberry.field(description="The payment going back from payee to payer.")
    amount: Decimal | None = amount_field()


@strawberry.input
class PaymentApplicationUnapplyInput:
    idempotency_key: str = idempotency_key()
    id: strawberry.ID
