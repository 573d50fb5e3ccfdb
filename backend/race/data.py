"""The shared records the clients fight over: a few finalized invoices, settled payments and refunds
between one internal organisation and one customer, made through the services the API calls."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from strawberry.relay import to_base64

from backend.accounts.services import create_token
from backend.billing.models import InvoiceStatus, PaymentInstrument, PaymentStatus
from backend.billing.services import add_invoice_item, create_invoice, create_payment, transition_invoice
from backend.parties.models import PartyKind, RoleKind
from backend.parties.services import create_party

RACE_USER = "race-admin"
CURRENCY = "USD"
# Invoices smaller than a payment, so one payment settles several and refunds find money left over.
INVOICE_TOTAL = Decimal("100.00")
PAYMENT_AMOUNT = Decimal("300.00")
REFUND_AMOUNT = Decimal("50.00")


@dataclass
class Scale:
    invoices: int = 6
    payments: int = 6
    refunds: int = 3


def _invoice(actor, internal, customer):
    invoice = create_invoice(actor=actor, from_party=internal, to_party=customer, currency=CURRENCY)
    add_invoice_item(
        invoice, actor=actor, description="Race line", quantity=Decimal(1), unit_price=INVOICE_TOTAL
    )
    return transition_invoice(invoice, to=InvoiceStatus.FINALIZED, actor=actor)


def _payment(actor, payer, payee, amount: Decimal):
    return create_payment(
        actor=actor,
        from_party=payer,
        to_party=payee,
        instrument=PaymentInstrument.WIRE,
        amount=amount,
        currency=CURRENCY,
        status=PaymentStatus.DELIVERED,
        effective_date=timezone.localdate(),
    )


def create(scale: Scale) -> dict:
    """The pool as the clients get it: global ids, the token and what a client needs to replace a
    cancelled invoice or a voided payment with a new one."""
    user = get_user_model().objects.create_superuser(RACE_USER, password=None)
    internal = create_party(
        actor=user, kind=PartyKind.ORGANIZATION, name="Race internal", roles=[RoleKind.INTERNAL]
    )
    customer = create_party(
        actor=user, kind=PartyKind.ORGANIZATION, name="Race customer", roles=[RoleKind.CUSTOMER]
    )
    invoices = [_invoice(user, internal, customer) for _ in range(scale.invoices)]
    payments = [_payment(user, customer, internal, PAYMENT_AMOUNT) for _ in range(scale.payments)]
    refunds = [_payment(user, internal, customer, REFUND_AMOUNT) for _ in range(scale.refunds)]
    return {
        "token": create_token(user=user, name="race")[1],
        "internal": to_base64("Party", internal.pk),
        "customer": to_base64("Party", customer.pk),
        "currency": CURRENCY,
        "invoice_total": str(INVOICE_TOTAL),
        "payment_amount": str(PAYMENT_AMOUNT),
        "refund_amount": str(REFUND_AMOUNT),
        "effective_date": timezone.localdate().isoformat(),
        "invoices": [to_base64("Invoice", i.pk) for i in invoices],
        "payments": [to_base64("Payment", p.pk) for p in payments],
        "refunds": [to_base64("Payment", p.pk) for p in refunds],
    }
