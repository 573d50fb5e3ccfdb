"""The racing clients: `python -m backend.race.clients` reads a JSON job on stdin and prints JSON.

Job: {"host", "port", "token", "clients", "duration", "seed", "run", and the pool (data.create)}.
Each client is a thread with its own keep-alive connection that picks a random operation on the
shared pool, sends it and, like a well-behaved client, sends it again (same key, same input) after a
503 with RETRY_LATER or DATABASE_UNAVAILABLE or a lost connection, until it gets an answer. The
pause is shorter than Retry-After, so an outage is hit by many requests. Standard library only.
"""

import json
import random
import sys
import threading
import time
from itertools import count

from backend.bench.client import GraphQLConnection

from . import operations as ops
from .outcomes import Outcome, Tally, classify

# One operation keeps retrying this long (a PostgreSQL restart takes a few seconds).
GIVE_UP_SECONDS = 60.0
TIMEOUT_SECONDS = 60.0
BACKOFF_SECONDS = (0.1, 0.2, 0.4, 0.8, 1.0)


class Client:
    def __init__(self, job: dict, pool: ops.Pool, tally: Tally, number: int):
        self.job, self.pool, self.tally = job, pool, tally
        self.rng = random.Random(job["seed"] * 1000 + number)
        self.keys = (f"race-{job['run']}-{number}-{n}" for n in count())
        self.conn = GraphQLConnection(job["host"], job["port"], job["token"], timeout=TIMEOUT_SECONDS)

    def send(self, field: str, request: bytes, key: str | None = None) -> Outcome | None:
        """One operation to its answer: a success, a refusal or a failure (None: given up)."""
        self.tally.operation(field)
        give_up = time.monotonic() + GIVE_UP_SECONDS
        for attempt in count():
            if time.monotonic() > give_up:
                self.tally.count("gave_up")
                return None
            reconnects = self.conn.reconnects
            try:
                status, answer = self.conn.post(request)
            except TimeoutError:
                self.tally.count("timeouts", field)
                self.conn.close()  # the late answer must not be read as the next one's
                continue
            except OSError:  # a killed worker's connections; post() has already reconnected once
                self.tally.count("connection_lost", field)
                self.pause(attempt)
                continue
            finally:
                if self.conn.reconnects > reconnects:  # sent again at once on a new connection
                    self.tally.count("reconnected")
            outcome = classify(field, status, self.conn.last_headers, answer)
            self.tally.answer(field, outcome, status, answer)
            if outcome.kind == "retry":
                self.pause(attempt)
                continue
            if outcome.kind == "success" and key is not None:
                self.tally.result(field, key, ops.record_id(outcome.payload))
            return outcome
        raise AssertionError("unreachable")

    def pause(self, attempt: int) -> None:
        time.sleep(BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS) - 1)] * self.rng.uniform(0.5, 1.5))

    def keyed(self, field: str, input: dict) -> Outcome | None:
        request = ops.body(field, input)
        self.pool.remember(field, request, input["idempotencyKey"])
        return self.send(field, request, input["idempotencyKey"])

    def created(self, field: str, input: dict) -> str | None:
        outcome = self.keyed(field, input) if field in ops.KEYED else self.send(field, ops.body(field, input))
        return ops.record_id(outcome.payload) if outcome is not None and outcome.kind == "success" else None

    # --- operations ---

    def apply(self) -> None:
        input = {
            "idempotencyKey": next(self.keys),
            "paymentId": self.pool.pick(self.rng, "payments"),
            "invoiceId": self.pool.pick(self.rng, "invoices"),
            "amount": self.rng.choice(ops.AMOUNTS),
        }
        self._applied(self.keyed("paymentApply", input))

    def refund(self) -> None:
        input = {
            "idempotencyKey": next(self.keys),
            "paymentId": self.pool.pick(self.rng, "payments"),
            "refundId": self.pool.pick(self.rng, "refunds"),
            "amount": self.rng.choice(ops.REFUND_AMOUNTS),
        }
        self._applied(self.keyed("paymentRefund", input))

    def _applied(self, outcome: Outcome | None) -> None:
        if outcome is not None and outcome.kind == "success":
            self.pool.add_application(ops.record_id(outcome.payload))

    def unapply(self) -> None:
        application = self.pool.application(self.rng)
        if application is None:
            return self.apply()
        self.keyed("paymentApplicationUnapply", {"idempotencyKey": next(self.keys), "id": application})

    def repeat(self) -> None:
        recent = self.pool.repeat(self.rng)
        if recent is None:
            return self.apply()
        field, request, key = recent
        self.tally.count("deliberate_repeats")
        self.send(field, request, key)

    def invoice_transition(self) -> None:
        invoice = self.pool.pick(self.rng, "invoices")
        to = ops.weighted(self.rng, ops.INVOICE_TARGETS)
        outcome = self.send("invoiceTransition", ops.body("invoiceTransition", {"id": invoice, "to": to}))
        if _reached(outcome, ops.INVOICE_TERMINAL):
            new = self.created("invoiceCreate", self.pool.new_invoice(next(self.keys)))
            if new is None or self.created("invoiceItemAdd", self.pool.invoice_line(new)) is None:
                return
            if self.created("invoiceTransition", {"id": new, "to": "FINALIZED"}) is not None:
                self.pool.replace("invoices", invoice, new)

    def payment_transition(self) -> None:
        pool = "refunds" if self.rng.random() < 0.3 else "payments"
        payment = self.pool.pick(self.rng, pool)
        to = ops.weighted(self.rng, ops.PAYMENT_TARGETS)
        outcome = self.send("paymentTransition", ops.body("paymentTransition", {"id": payment, "to": to}))
        if _reached(outcome, ops.PAYMENT_TERMINAL):
            new = self.created(
                "paymentCreate", self.pool.new_payment(next(self.keys), refund=pool == "refunds")
            )
            if new is not None:
                self.pool.replace(pool, payment, new)

    def run(self, deadline: float) -> None:
        try:
            while time.monotonic() < deadline:
                getattr(self, ops.weighted(self.rng, ops.WEIGHTS))()
        finally:
            self.conn.close()


def _reached(outcome: Outcome | None, statuses: frozenset) -> bool:
    if outcome is None or outcome.kind != "success":
        return False
    record = next(v for k, v in outcome.payload.items() if k != "errors")
    return record["status"] in statuses


def run(job: dict) -> dict:
    pool, tally = ops.Pool(job), Tally()
    clients = [Client(job, pool, tally, n) for n in range(job["clients"])]
    started = time.monotonic()
    deadline = started + job["duration"]
    threads = [threading.Thread(target=c.run, args=(deadline,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"clients": job["clients"], "seconds": round(time.monotonic() - started, 2), **tally.document()}


def main() -> None:
    json.dump(run(json.load(sys.stdin)), sys.stdout)


if __name__ == "__main__":
    main()
