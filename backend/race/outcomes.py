"""What one answer means for the race: a success, a typed refusal, the documented retryable 503, or a
failure a client must never see (an internal error, an HTML page, a deadlock, another 5xx)."""

import json
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass

RETRYABLE = frozenset({"RETRY_LATER", "DATABASE_UNAVAILABLE"})
# Client-side counts that fail the race when not 0.
FAILURES = (
    "internal_errors",
    "html_pages",
    "not_json",
    "deadlocks",
    "unexpected_status",
    "undocumented_retryable",
    "other_graphql_errors",
    "idempotency_mismatch",
    "idempotency_two_results",
)
SAMPLES = 10


@dataclass
class Outcome:
    kind: str  # "success", "refusal", "retry" or one of FAILURES
    code: str  # the refusal's or error's code, "success", or what went wrong
    payload: dict | None = None


def classify(field: str, status: int, headers, body: bytes) -> Outcome:
    """Read one HTTP answer to the mutation `field`."""
    text = body.lstrip()[:200].lower()
    if text.startswith(b"<") or b"<html" in text:
        return Outcome("html_pages", f"HTTP {status} HTML")
    if b"deadlock" in body.lower():
        return Outcome("deadlocks", f"HTTP {status}")
    try:
        answer = json.loads(body)
    except ValueError:
        return Outcome("not_json", f"HTTP {status}")
    errors = answer.get("errors") if isinstance(answer, dict) else None
    if errors:
        first = errors[0]
        code = (first.get("extensions") or {}).get("code") or "NO_CODE"
        if first.get("message") == "Unexpected error." or code == "INTERNAL_ERROR":
            return Outcome("internal_errors", code)
        if code in RETRYABLE:
            documented = status == 503 and headers is not None and headers.get("Retry-After")
            return (
                Outcome("retry", code)
                if documented
                else Outcome("undocumented_retryable", f"{code} {status}")
            )
        return Outcome("other_graphql_errors", code)
    if status != 200:
        return Outcome("unexpected_status", f"HTTP {status}")
    payload = (answer.get("data") or {}).get(field)
    if payload is None:
        return Outcome("other_graphql_errors", "NO_DATA")
    if payload.get("errors"):
        code = payload["errors"][0]["code"]
        if code == "IDEMPOTENCY_MISMATCH":  # every repeat sends the same input
            return Outcome("idempotency_mismatch", code, payload)
        return Outcome("refusal", code, payload)
    return Outcome("success", "success", payload)


class Tally:
    """Counts shared by every client thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.operations: Counter = Counter()
        self.requests: Counter = Counter()
        self.outcomes: dict[str, Counter] = defaultdict(Counter)
        self.failures: Counter = Counter({name: 0 for name in FAILURES})
        self.other: Counter = Counter()
        self.samples: list[dict] = []
        self.keys: dict[str, dict] = {}

    def operation(self, field: str) -> None:
        with self.lock:
            self.operations[field] += 1

    def answer(self, field: str, outcome: Outcome, status: int | None = None, body: bytes = b"") -> None:
        with self.lock:
            self.requests[field] += 1
            self.outcomes[field][outcome.code] += 1
            if outcome.kind in FAILURES:
                self.failures[outcome.kind] += 1
                self.sample(field, outcome.code, status, body)

    def count(self, what: str, field: str | None = None) -> None:
        """Events that are not answers: lost connections, timeouts, operations given up."""
        with self.lock:
            self.other[what] += 1
            if field is not None:
                self.requests[field] += 1
                self.outcomes[field][what] += 1

    def sample(self, field: str, code: str, status, body: bytes) -> None:
        if len(self.samples) < SAMPLES:
            self.samples.append(
                {
                    "mutation": field,
                    "code": code,
                    "status": status,
                    "body": body[:500].decode(errors="replace"),
                }
            )

    def result(self, field: str, key: str, result_id: str) -> None:
        """A success for an idempotency key: every success of one key must name the same record."""
        with self.lock:
            seen = self.keys.setdefault(key, {"mutation": field, "result": result_id, "successes": 0})
            seen["successes"] += 1
            if seen["result"] != result_id:
                self.failures["idempotency_two_results"] += 1
                self.sample(field, f"key {key}: {seen['result']} then {result_id}", 200, b"")

    def document(self) -> dict:
        return {
            "operations": dict(sorted(self.operations.items())),
            "requests": dict(sorted(self.requests.items())),
            "outcomes": {
                field: dict(counts.most_common()) for field, counts in sorted(self.outcomes.items())
            },
            "client_failures": dict(self.failures),
            "events": dict(sorted(self.other.items())),
            "samples": self.samples,
            "keys": self.keys,
        }
