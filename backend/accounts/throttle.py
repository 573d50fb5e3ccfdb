"""Sign-in throttling, per account and per client address, kept in the database so every server
process sees the same counts."""

from datetime import timedelta
from math import ceil

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import SignInFailure


def client_address(request) -> str | None:
    """The peer address (behind a proxy, have it set REMOTE_ADDR from the client's)."""
    return request.META.get("REMOTE_ADDR") or None


def _window() -> timedelta:
    return timedelta(seconds=settings.SIGN_IN_THROTTLE_WINDOW_SECONDS)


def _wait(failures, limit: int, now) -> int:
    """Seconds until fewer than `limit` failures remain in the window (0: may try now)."""
    times = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return 0
    return max(ceil((times[-1] + _window() - now).total_seconds()), 1)


def seconds_to_wait(username: str, address: str | None) -> int:
    now = timezone.now()
    recent = SignInFailure.objects.filter(at__gt=now - _window())
    waits = [_wait(recent.filter(username=username), settings.SIGN_IN_MAX_FAILURES_PER_ACCOUNT, now)]
    if address is not None:
        waits.append(_wait(recent.filter(address=address), settings.SIGN_IN_MAX_FAILURES_PER_ADDRESS, now))
    return max(waits)


@transaction.atomic
def record_attempt(username: str, address: str | None, *, succeeded: bool) -> None:
    """Called after the sign-in's own transaction, so a refused attempt's row is kept."""
    now = timezone.now()
    SignInFailure.objects.filter(at__lte=now - _window()).delete()
    if succeeded:
        SignInFailure.objects.filter(username=username).delete()
    else:
        SignInFailure.objects.create(username=username, address=address, at=now)
