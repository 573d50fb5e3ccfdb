"""API tokens and browser sign-in: every write of the accounts app."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from backend.common.errors import CommonErrorCode, NotFound

from . import throttle
from .errors import AccountErrorCode
from .models import ApiToken

TOKEN_PREFIX = "og_"
PREFIX_LENGTH = 8
# last_used_at is refreshed at most this often, so a busy token does not cost a write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
_MAX_TOKEN_LENGTH = 256


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


@transaction.atomic
def create_token(*, user, name: str, expires_at=None) -> tuple[ApiToken, str]:
    """A new token for `user`; the plaintext is returned here only and never stored."""
    if expires_at is not None and timezone.is_naive(expires_at):
        raise ValidationError(
            {
                "expires_at": ValidationError(
                    "Give the expiry with a time zone offset, e.g. 2030-01-31T00:00:00Z.",
                    code=CommonErrorCode.INVALID,
                )
            }
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(
            {
                "expires_at": ValidationError(
                    "The expiry must be in the future.", code=AccountErrorCode.EXPIRY_IN_PAST
                )
            }
        )
    # A far-future expiry (year 9999 at -14:00 is year 10000 in UTC) cannot be read back.
    longest = timedelta(days=settings.API_TOKEN_MAX_LIFETIME_DAYS)
    if expires_at is not None and expires_at > timezone.now() + longest:
        raise ValidationError(
            {
                "expires_at": ValidationError(
                    f"The expiry may be at most {settings.API_TOKEN_MAX_LIFETIME_DAYS} days ahead.",
                    code=AccountErrorCode.EXPIRY_TOO_FAR,
                )
            }
        )
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=plaintext[:PREFIX_LENGTH],
        key_hash=hash_token(plaintext),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return token, plaintext


@transaction.atomic
def revoke_token(*, token: ApiToken, actor) -> ApiToken:
    """Revoke one of the actor's own tokens; revoking twice keeps the first revocation time."""
    token = ApiToken.objects.select_for_update().filter(pk=token.pk, user_id=actor.pk).first()
    if token is None:
        raise NotFound("No such API token.", field="id")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def active_token(plaintext: str) -> ApiToken | None:
    """The usable token with this plaintext (owner loaded), or None when unknown, revoked or expired."""
    if not plaintext or len(plaintext) > _MAX_TOKEN_LENGTH:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(plaintext)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    _touch(token)
    return token


def authenticate_token(plaintext: str):
    """The user a bearer token belongs to, or None when the token or its owner cannot be used."""
    token = active_token(plaintext)
    return None if token is None else token.user


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    stale_before = now - LAST_USED_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > stale_before:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale_before)
    ).update(last_used_at=now)
    token.last_used_at = now


def sign_in(request, *, username: str, password: str):
    """Start a session (new session key, new CSRF token); wrong credentials do not say which part.
    Too many refusals for the account or the client address are RATE_LIMITED, right password or not."""
    wait = throttle.seconds_to_wait(username, throttle.client_address(request))
    if wait:
        request.sign_in_retry_after = wait
        raise ValidationError(
            f"Too many failed sign-ins; try again in {wait} seconds.", code=AccountErrorCode.RATE_LIMITED
        )
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise ValidationError(
            "Unable to sign in with this username and password.", code=CommonErrorCode.INVALID
        )
    login(request, user)
    return user


def sign_out(request) -> None:
    logout(request)
