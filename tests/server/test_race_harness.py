"""`manage.py race` at a tiny scale (4 clients for 3 s, no faults) against the real server, and the
audit and the answer classification it relies on: each must catch what it is there to catch."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from strawberry.relay import from_base64

from backend.billing.models import Invoice, Payment
from backend.race import audit, data
from backend.race.outcomes import classify

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_short_race_passes_its_audit_with_operations_succeeding(tmp_path):
    out = tmp_path / "race.json"
    log = io.StringIO()
    call_command(
        "race",
        "--clients=4",
        "--duration=3",
        "--workers=2",
        "--no-kill-worker",
        "--no-restart-postgres",
        f"--out={out}",
        stderr=log,
    )
    document = json.loads(out.read_text())

    assert document["passed"] is True
    assert all(check["ok"] for check in document["audit"]), document["audit"]
    assert set(document["client_failures"].values()) == {0}, document["samples"]
    assert document["outcomes"]["paymentApply"]["success"] > 0
    assert document["idempotency_keys_succeeded"] > 0
    assert document["deadlocks_in_database"] >= 0
    assert document["faults"] == []
    assert "audit: passed" in log.getvalue()


def test_the_audit_finds_a_stored_total_that_differs_from_the_rows():
    pool = data.create(data.Scale(invoices=2, payments=1, refunds=1))
    invoice_pk = int(from_base64(pool["invoices"][1])[1])
    payment_pk = int(from_base64(pool["payments"][0])[1])
    assert all(check["ok"] for check in audit.run({}))

    # consistent with itself (the CHECK constraints hold), but not with the rows
    Invoice.objects.filter(pk=invoice_pk).update(applied_total=Decimal(1), unpaid_total=Decimal(99))
    Payment.objects.filter(pk=payment_pk).update(applied_total=Decimal(1), unapplied_total=Decimal(299))

    invoices, payments, _, _ = audit.run({})
    assert not invoices["ok"] and [m["invoice"] for m in invoices["examples"]] == [invoice_pk]
    assert not payments["ok"] and [m["payment"] for m in payments["examples"]] == [payment_pk]


def test_the_audit_finds_a_key_whose_stored_result_is_not_what_its_client_saw():
    pool = data.create(data.Scale(invoices=1, payments=1, refunds=1))
    never_stored = {"race-x": {"mutation": "paymentApply", "result": pool["payments"][0], "successes": 1}}
    check = audit.idempotency(never_stored)
    assert not check["ok"] and check["examples"][0]["key"] == "race-x"


@pytest.mark.parametrize(
    ("status", "headers", "body", "kind", "code"),
    [
        (200, {}, b'{"data": {"paymentApply": {"paymentApplication": {"id": "A"}, "errors": []}}}', "success", "success"),
        (200, {}, b'{"data": {"paymentApply": {"paymentApplication": null, "errors": [{"code": "EXCEEDS_UNPAID"}]}}}',
         "refusal", "EXCEEDS_UNPAID"),
        (200, {}, b'{"data": {"paymentApply": {"paymentApplication": null, "errors": [{"code": "IDEMPOTENCY_MISMATCH"}]}}}',
         "idempotency_mismatch", "IDEMPOTENCY_MISMATCH"),
        (503, {"Retry-After": "5"}, b'{"errors": [{"message": "m", "extensions": {"code": "RETRY_LATER"}}]}',
         "retry", "RETRY_LATER"),
        (503, {}, b'{"errors": [{"message": "m", "extensions": {"code": "DATABASE_UNAVAILABLE"}}]}',
         "undocumented_retryable", "DATABASE_UNAVAILABLE 503"),
        (200, {"Retry-After": "5"}, b'{"errors": [{"message": "m", "extensions": {"code": "RETRY_LATER"}}]}',
         "undocumented_retryable", "RETRY_LATER 200"),
        (200, {}, b'{"data": null, "errors": [{"message": "Unexpected error.", "extensions": {"code": "INTERNAL_ERROR"}}]}',
         "internal_errors", "INTERNAL_ERROR"),
        (500, {}, b"<!doctype html><html><title>Server Error (500)</title></html>", "html_pages", "HTTP 500 HTML"),
        (200, {}, b'{"errors": [{"message": "deadlock detected"}]}', "deadlocks", "HTTP 200"),
        (502, {}, b'{"detail": "bad gateway"}', "unexpected_status", "HTTP 502"),
        (500, {}, b"Internal Server Error", "not_json", "HTTP 500"),
    ],
)  # fmt: skip
def test_answers_are_told_apart(status, headers, body, kind, code):
    outcome = classify("paymentApply", status, headers, body)
    assert (outcome.kind, outcome.code) == (kind, code)
