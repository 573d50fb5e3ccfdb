"""Error codes shared by every app, and the exceptions services raise besides ValidationError."""

from django.db import models


class CommonErrorCode(models.TextChoices):
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    INVALID_CHOICE = "INVALID_CHOICE"
    INVALID_ID = "INVALID_ID"
    WRONG_TYPE = "WRONG_TYPE"
    NOT_FOUND = "NOT_FOUND"
    TOO_LONG = "TOO_LONG"
    TOO_MANY_DIGITS = "TOO_MANY_DIGITS"
    TOO_MANY_DECIMALS = "TOO_MANY_DECIMALS"
    NEGATIVE = "NEGATIVE"
    NOT_POSITIVE = "NOT_POSITIVE"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    UNIQUE = "UNIQUE"
    UNKNOWN_CURRENCY = "UNKNOWN_CURRENCY"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    DATE_ORDER = "DATE_ORDER"
    STALE_VERSION = "STALE_VERSION"
    IN_USE = "IN_USE"
    TOO_MANY_ITEMS = "TOO_MANY_ITEMS"
    PERMISSION_DENIED = "PERMISSION_DENIED"


class NotFound(Exception):
    """A record that does not exist or that the actor may not see (indistinguishable on purpose)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Conflict(Exception):
    """The record changed since the client read it, or the request contradicts its current state."""

    def __init__(self, message: str, *, code: str = CommonErrorCode.STALE_VERSION, field=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
