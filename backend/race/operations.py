"""The mutations the clients race with, and the shared pool of records they pick from.

Few records, many clients: every payment and invoice is touched by several clients at once. Cancelled
invoices and voided or cancelled payments are replaced by new ones (through the API, with idempotency
keys), so the race does not run out of live records.
"""

import json
import random
import threading
from collections import deque

# (mutation field, input type, what the payload selects)
DOCUMENTS = {
    "paymentApply": ("PaymentApplyInput", "paymentApplication { id }"),
    "paymentApplicationUnapply": ("PaymentApplicationUnapplyInput", "paymentApplication { id }"),
    "paymentRefund": ("PaymentRefundInput", "paymentApplication { id }"),
    "invoiceTransition": ("InvoiceTransitionInput", "invoice { id status }"),
    "paymentTransition": ("PaymentTransitionInput", "payment { id status }"),
    "invoiceCreate": ("InvoiceCreateInput", "invoice { id }"),
    "invoiceItemAdd": ("InvoiceItemAddInput", "invoiceItem { id }"),
    "paymentCreate": ("PaymentCreateInput", "payment { id }"),
}
# Mutations whose input carries an idempotency key.
KEYED = frozenset(
    {"paymentApply", "paymentApplicationUnapply", "paymentRefund", "invoiceCreate", "paymentCreate"}
)

# What a client does next, and how often (weights).
WEIGHTS = {
    "apply": 35,
    "unapply": 15,
    "refund": 10,
    "invoice_transition": 14,
    "payment_transition": 14,
    "repeat": 12,  # the same request again, same key and input, maybe while the first is in flight
}
# Amounts as clients send them ("10.0" and "10.00" are one amount); None: as much as both sides allow.
AMOUNTS = (None, "5.00", "10.00", "10.0", "25.00", "40.00")
REFUND_AMOUNTS = (None, "5.00", "10.00")
INVOICE_TARGETS = {
    "FINALIZED": 4,
    "SENT": 3,
    "IN_PROCESS": 1,
    "WRITTEN_OFF": 1,
    "PAYMENT_RECEIVED": 1,
    "CANCELLED": 1,
}
# Delivering most often: undelivered and declined payments refuse applications, and the pool
# would drift towards them.
PAYMENT_TARGETS = {
    "AUTHORIZED": 3,
    "DELIVERED": 6,
    "DECLINED": 1,
    "CONFIRMED": 1,
    "VOID": 0.5,
    "CANCELLED": 0.5,
}
# Statuses a record never leaves: the client that reached one replaces the record in the pool.
INVOICE_TERMINAL = frozenset({"CANCELLED"})
PAYMENT_TERMINAL = frozenset({"VOID", "CANCELLED"})


def body(field: str, input: dict) -> bytes:
    input_type, selection = DOCUMENTS[field]
    query = (
        f"mutation Race($input: {input_type}!) {{ {field}(input: $input) "
        f"{{ {selection} errors {{ code field message }} }} }}"
    )
    return json.dumps({"query": query, "variables": {"input": input}}).encode()


def weighted(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def record_id(payload: dict) -> str | None:
    """The id of the record a payload returns."""
    for name, value in payload.items():
        if name != "errors" and isinstance(value, dict):
            return value.get("id")
    return None


class Pool:
    """The shared invoices, payments, refunds and applications, and recent keyed requests."""

    def __init__(self, job: dict):
        self.job = job
        self.lock = threading.Lock()
        self.invoices = list(job["invoices"])
        self.payments = list(job["payments"])
        self.refunds = list(job["refunds"])
        self.applications: deque[str] = deque(maxlen=200)
        self.recent: deque[tuple[str, bytes, str]] = deque(maxlen=200)

    def pick(self, rng: random.Random, name: str) -> str:
        with self.lock:
            return rng.choice(getattr(self, name))

    def replace(self, name: str, old: str, new: str) -> None:
        with self.lock:
            records = getattr(self, name)
            if old in records:
                records[records.index(old)] = new

    def add_application(self, pk: str) -> None:
        with self.lock:
            self.applications.append(pk)

    def application(self, rng: random.Random) -> str | None:
        with self.lock:
            return rng.choice(self.applications) if self.applications else None

    def remember(self, field: str, request: bytes, key: str) -> None:
        with self.lock:
            self.recent.append((field, request, key))

    def repeat(self, rng: random.Random) -> tuple[str, bytes, str] | None:
        with self.lock:
            return rng.choice(self.recent) if self.recent else None

    # --- new records in place of finished ones ---

    def new_invoice(self, key: str) -> dict:
        j = self.job
        return {
            "idempotencyKey": key,
            "fromPartyId": j["internal"],
            "toPartyId": j["customer"],
            "currency": j["currency"],
        }

    def invoice_line(self, invoice: str) -> dict:
        return {
            "invoiceId": invoice,
            "description": "Race line",
            "quantity": "1",
            "unitPrice": self.job["invoice_total"],
        }

    def new_payment(self, key: str, refund: bool) -> dict:
        j = self.job
        payer, payee = (j["internal"], j["customer"]) if refund else (j["customer"], j["internal"])
        return {
            "idempotencyKey": key,
            "fromPartyId": payer,
            "toPartyId": payee,
            "instrument": "WIRE",
            "amount": j["refund_amount"] if refund else j["payment_amount"],
            "currency": j["currency"],
            "status": "DELIVERED",
            "effectiveDate": j["effective_date"],
        }
