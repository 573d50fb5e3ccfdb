"""One id per HTTP request, shared by the access log, error logs and the X-Request-ID header."""

import re
import uuid

# A client or proxy may pass its own id; anything else is replaced so logs stay parseable.
CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def request_id(request) -> str:
    """The request's id: the client's `X-Request-ID` when well formed, else a new one (cached)."""
    existing = getattr(request, "_request_id", None)
    if existing is None:
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        existing = offered if CLIENT_ID.match(offered) else uuid.uuid4().hex
        request._request_id = existing
    return existing
