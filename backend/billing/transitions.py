"""Invoice and payment flows (Moqui's Invoice and Payment status flows, readable names)."""

from enum import StrEnum

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


class Money(StrEnum):
    """What a status does with the applications (payments, credit memos, refunds) of its record."""

    NOT_COUNTED = "NOT_COUNTED"  # they do not count: entering the status undoes every live one
    HELD = "HELD"  # those made earlier stay on both records, no new ones; the order counts neither
    OPEN = "OPEN"  # they count and new ones may be made
    PAID = "PAID"  # they count and cover the invoice; going back to an open status undoes them
    CLOSED = "CLOSED"  # they count and the books are settled: undoing one is refused


# Money follows status: one table per flow, every status of the flow in it. The code below and the
# services read these tables; nothing else lists statuses by what they do with money.
RECEIVABLE_MONEY = {
    I.IN_PROCESS: Money.HELD,  # resume_changes keeps what was applied (Moqui)
    I.FINALIZED: Money.OPEN,
    I.SENT: Money.OPEN,
    I.ACKNOWLEDGED: Money.OPEN,
    I.PAYMENT_RECEIVED: Money.PAID,
    I.WRITTEN_OFF: Money.CLOSED,
    I.CANCELLED: Money.NOT_COUNTED,
}
PAYABLE_MONEY = {
    I.INCOMING: Money.HELD,
    I.RECEIVED: Money.HELD,
    I.APPROVED: Money.OPEN,
    I.PAYMENT_SENT: Money.PAID,
    I.BILLED_THROUGH: Money.CLOSED,
    I.CANCELLED: Money.NOT_COUNTED,
}
PAYMENT_MONEY = {
    P.PROPOSED: Money.NOT_COUNTED,
    P.PROMISED: Money.NOT_COUNTED,
    P.AUTHORIZED: Money.NOT_COUNTED,
    P.DELIVERED: Money.OPEN,  # settled: the money has arrived
    P.CONFIRMED: Money.OPEN,
    P.DECLINED: Money.NOT_COUNTED,
    P.CANCELLED: Money.NOT_COUNTED,
    P.VOID: Money.NOT_COUNTED,
}
# Credit memos and return invoices are invoices: they follow the flow of their direction.
MONEY = {RECEIVABLE_FLOW: RECEIVABLE_MONEY, PAYABLE_FLOW: PAYABLE_MONEY, PAYMENT_FLOW: PAYMENT_MONEY}
INVOICE_FLOWS = {InvoiceDirection.RECEIVABLE: RECEIVABLE_FLOW, InvoiceDirection.PAYABLE: PAYABLE_FLOW}


def statuses(table: dict, *standings: Money) -> frozenset:
    return frozenset(status for status, standing in table.items() if standing in standings)


def undoes_applications(flow: Flow, source: str, target: str) -> bool:
    """Entering a status that does not count them, or leaving paid for open (Moqui's unpay).

    False for a move the flow does not declare (transition() refuses it before any side effect)."""
    if flow.find(source, target) is None:
        return False
    table = MONEY[flow]
    return table[target] == Money.NOT_COUNTED or (table[source], table[target]) == (Money.PAID, Money.OPEN)


def _unpay_target(flow: Flow) -> str:
    """The open status the flow's unpay leads back to from paid."""
    [target] = {t.target for t in flow.transitions if MONEY[flow][t.source] == Money.PAID} & statuses(
        MONEY[flow], Money.OPEN
    )
    return target


SETTLED_PAYMENT_STATUSES = statuses(PAYMENT_MONEY, Money.OPEN)
APPLICABLE_STATUSES = {d: statuses(MONEY[flow], Money.OPEN) for d, flow in INVOICE_FLOWS.items()}
CLOSED_STATUSES = statuses(RECEIVABLE_MONEY, Money.CLOSED) | statuses(PAYABLE_MONEY, Money.CLOSED)
# Invoices an order counts as invoiced (and their payments as paid): issued, not drafts or cancelled.
ISSUED_INVOICE_STATUSES = frozenset().union(
    *(statuses(table, Money.OPEN, Money.PAID, Money.CLOSED) for table in (RECEIVABLE_MONEY, PAYABLE_MONEY))
)
PAID_STATUS = {d: next(iter(statuses(MONEY[flow], Money.PAID))) for d, flow in INVOICE_FLOWS.items()}
UNPAID_STATUS = {d: _unpay_target(flow) for d, flow in INVOICE_FLOWS.items()}


def invoice_flow(invoice) -> Flow:
    return INVOICE_FLOWS[invoice.direction]
