"""The return flow (Moqui's Return status flow, readable names)."""

from backend.audit.flows import Flow

from .models import ReturnStatus as R

RETURN_FLOW = Flow(
    "return",
    [
        (R.CREATED, R.REQUESTED, "request"),
        (R.CREATED, R.APPROVED, "approve"),
        (R.CREATED, R.CANCELLED, "cancel"),
        (R.REQUESTED, R.APPROVED, "approve"),
        (R.REQUESTED, R.CANCELLED, "cancel"),
        (R.APPROVED, R.RECEIVED, "receive"),
        (R.APPROVED, R.SHIPPED, "ship"),
        (R.APPROVED, R.CANCELLED, "cancel"),
        (R.SHIPPED, R.RECEIVED, "receive"),
        (R.SHIPPED, R.COMPLETED, "complete"),
        (R.SHIPPED, R.CANCELLED, "cancel"),
        (R.RECEIVED, R.COMPLETED, "complete"),
        (R.RECEIVED, R.CANCELLED, "cancel"),
        (R.RECEIVED, R.MANUAL_RESPONSE, "require_manual_response"),
        (R.MANUAL_RESPONSE, R.COMPLETED, "complete"),
        (R.MANUAL_RESPONSE, R.CANCELLED, "cancel"),
        (R.COMPLETED, R.CANCELLED, "cancel", "manage"),
    ],
)
