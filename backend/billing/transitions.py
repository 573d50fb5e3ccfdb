"""Invoice and payment flows (Moqui's Invoice and Payment status flows, readable names)."""

from backend.audit.flows import Flow

from .models import InvoiceDirection
from .models import InvoiceStatus as I
from .models import PaymentStatus as P

RECEIVABLE_FLOW = Flow(
    "receivable_invoice",
    [
        (I.IN_PROCESS, I.FINALIZED, "finalize"),
        (I.IN_PROCESS, I.CANCELLED, "cancel"),
        (I.FINALIZED, I.SENT, "send"),
        (I.FINALIZED, I.PAYMENT_RECEIVED, "receive_payment"),
        (I.FINALIZED, I.IN_PROCESS, "resume_changes"),
        (I.FINALIZED, I.CANCELLED, "cancel"),
        (I.SENT, I.PAYMENT_RECEIVED, "receive_payment"),
        (I.SENT, I.ACKNOWLEDGED, "acknowledge"),
        (I.SENT, I.IN_PROCESS, "resume_changes"),
        (I.SENT, I.CANCELLED, "cancel"),
        (I.ACKNOWLEDGED, I.PAYMENT_RECEIVED, "receive_payment"),
        (I.ACKNOWLEDGED, I.SENT, "unacknowledge"),
        (I.ACKNOWLEDGED, I.CANCELLED, "cancel"),
        (I.PAYMENT_RECEIVED, I.FINALIZED, "unpay"),
        (I.PAYMENT_RECEIVED, I.WRITTEN_OFF, "write_off", "manage"),
        (I.PAYMENT_RECEIVED, I.CANCELLED, "cancel"),
        (I.WRITTEN_OFF, I.PAYMENT_RECEIVED, "undo_write_off", "manage"),
        (I.WRITTEN_OFF, I.CANCELLED, "cancel"),
    ],
)

PAYABLE_FLOW = Flow(
    "payable_invoice",
    [
        (I.INCOMING, I.RECEIVED, "receive"),
        (I.INCOMING, I.APPROVED, "approve", "manage"),
        (I.INCOMING, I.CANCELLED, "cancel"),
        (I.RECEIVED, I.APPROVED, "approve", "manage"),
        (I.RECEIVED, I.CANCELLED, "cancel"),
        (I.APPROVED, I.PAYMENT_SENT, "send_payment"),
        (I.APPROVED, I.RECEIVED, "resume_changes"),
        (I.APPROVED, I.CANCELLED, "cancel"),
        (I.PAYMENT_SENT, I.BILLED_THROUGH, "bill_through"),
        (I.PAYMENT_SENT, I.APPROVED, "unpay"),
        (I.PAYMENT_SENT, I.CANCELLED, "cancel"),
    ],
)

PAYMENT_FLOW = Flow(
    "payment",
    [
        (P.PROPOSED, P.PROMISED, "promise"),
        (P.PROPOSED, P.CANCELLED, "cancel"),
        (P.PROMISED, P.AUTHORIZED, "authorize"),
        (P.PROMISED, P.DELIVERED, "deliver"),
        (P.PROMISED, P.CANCELLED, "cancel"),
        (P.PROMISED, P.DECLINED, "decline"),
        (P.DECLINED, P.PROMISED, "promise"),
        (P.DECLINED, P.AUTHORIZED, "authorize"),
        (P.AUTHORIZED, P.PROMISED, "unauthorize"),
        (P.AUTHORIZED, P.DELIVERED, "deliver"),
        (P.AUTHORIZED, P.CANCELLED, "cancel"),
        (P.AUTHORIZED, P.VOID, "void"),
        (P.AUTHORIZED, P.DECLINED, "decline"),
        (P.DELIVERED, P.AUTHORIZED, "undeliver"),
        (P.DELIVERED, P.PROMISED, "undeliver"),
        (P.DELIVERED, P.CONFIRMED, "confirm"),
        (P.DELIVERED, P.CANCELLED, "cancel"),
        (P.DELIVERED, P.VOID, "void"),
        (P.DELIVERED, P.DECLINED, "decline"),
        (P.CONFIRMED, P.DELIVERED, "unconfirm"),
    ],
)

# Statuses an invoice takes payments in, and the paid status it then reaches.
APPLICABLE_STATUSES = {
    InvoiceDirection.RECEIVABLE: frozenset({I.FINALIZED, I.SENT, I.ACKNOWLEDGED}),
    InvoiceDirection.PAYABLE: frozenset({I.APPROVED}),
}
# Closed: the books are settled (written off, billed through); undoing an application would leave a
# closed invoice with an unpaid amount, so it is refused.
CLOSED_STATUSES = frozenset({I.WRITTEN_OFF, I.BILLED_THROUGH})
PAID_STATUS = {InvoiceDirection.RECEIVABLE: I.PAYMENT_RECEIVED, InvoiceDirection.PAYABLE: I.PAYMENT_SENT}
UNPAID_STATUS = {InvoiceDirection.RECEIVABLE: I.FINALIZED, InvoiceDirection.PAYABLE: I.APPROVED}


def invoice_flow(invoice) -> Flow:
    return RECEIVABLE_FLOW if invoice.direction == InvoiceDirection.RECEIVABLE else PAYABLE_FLOW
