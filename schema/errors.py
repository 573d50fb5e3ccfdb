"""One error shape for every mutation: typed, with a code a client can switch on."""

import random
import time
from collections.abc import Callable
from enum import Enum
from typing import TypeVar

import strawberry
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import DatabaseError, models, transaction

from backend.accounts.errors import AccountErrorCode
from backend.audit.errors import AuditErrorCode
from backend.billing.errors import BillingErrorCode
from backend.common.errors import CommonErrorCode, Conflict, NotFound
from backend.orders.errors import OrderErrorCode
from backend.returns.errors import ReturnErrorCode
from backend.server.database_errors import RetryLater, is_retryable
from backend.work.errors import WorkErrorCode
from permissions.errors import PermissionErrorCode


@strawberry.enum(description="What kind of problem stopped the mutation.")
class ErrorKind(Enum):
    VALIDATION = "VALIDATION"
    PERMISSION = "PERMISSION"
    CONFLICT = "CONFLICT"
    NOT_FOUND = "NOT_FOUND"


_APP_CODES = (
    AuditErrorCode,
    CommonErrorCode,
    OrderErrorCode,
    BillingErrorCode,
    ReturnErrorCode,
    WorkErrorCode,
    AccountErrorCode,
    PermissionErrorCode,
)
ErrorCode = strawberry.enum(
    Enum(
        "ErrorCode",
        sorted({code.value: code.value for enum in _APP_CODES for code in enum}.items()),
    ),
    description="Every error code the API returns.",
)

# Django's built-in validation codes, mapped onto ours.
_DJANGO_CODES = {
    "required": "REQUIRED",
    "null": "REQUIRED",
    "blank": "REQUIRED",
    "invalid_choice": "INVALID_CHOICE",
    "max_length": "TOO_LONG",
    "max_digits": "TOO_MANY_DIGITS",
    "max_decimal_places": "TOO_MANY_DECIMALS",
    "max_whole_digits": "TOO_MANY_DIGITS",
    "unique": "UNIQUE",
    "unique_together": "UNIQUE",
    "min_value": "OUT_OF_RANGE",
    "max_value": "OUT_OF_RANGE",
    "constraint_violated": "INVALID",
}


@strawberry.type(description="Why a mutation wrote nothing.")
class UserError:
    kind: ErrorKind
    code: ErrorCode  # type: ignore[valid-type]
    message: str
    field: str | None = strawberry.field(
        default=None, description="The input field at fault (camelCase, dotted for nested input)."
    )


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


# Domain names of pseudo-fields, as the client sends them.
FIELD_ALIASES = {"target": "targetId", "template": "templateId"}


def input_field_name(model: type[models.Model] | None, name: str, prefix: str = "") -> str | None:
    """The API's name for a model field: foreign keys are sent as `<field>Id`."""
    if name == NON_FIELD_ERRORS:
        return prefix.rstrip(".") or None
    if name in FIELD_ALIASES:
        return f"{prefix}{FIELD_ALIASES[name]}"
    api = camel(name)
    if model is not None:
        try:
            field = model._meta.get_field(name)
            if field.is_relation and field.concrete:  # foreign keys, not reverse relations
                api += "Id"
        except FieldDoesNotExist:
            pass
    return f"{prefix}{api}"


def _code(raw) -> str:
    value = str(raw.value if isinstance(raw, Enum) else raw or "INVALID")
    value = _DJANGO_CODES.get(value, value)
    return value if value in ErrorCode.__members__ else "INVALID"


def validation_errors(exc: ValidationError, model=None, prefix: str = "") -> list[UserError]:
    if hasattr(exc, "error_dict"):
        pairs = [(name, err) for name, errs in exc.error_dict.items() for err in errs]
    else:
        pairs = [(NON_FIELD_ERRORS, err) for err in exc.error_list]
    return [
        UserError(
            kind=ErrorKind.VALIDATION,
            code=ErrorCode[_code(err.code)],
            message=" ".join(err.messages),
            field=input_field_name(model, name, prefix),
        )
        for name, err in pairs
    ]


T = TypeVar("T")


class NestedInputError(Exception):
    """A validation error of one item of a list in the input (fields reported as `items.2.quantity`)."""

    def __init__(self, error: ValidationError, model, prefix: str):
        super().__init__(str(error))
        self.error, self.model, self.prefix = error, model, prefix


# A deadlock victim or serialization failure re-runs the whole transaction; idempotency keys make
# that safe. The backoff is short and jittered so the two sides of a deadlock do not meet again.
ATTEMPTS = 3
BACKOFF_SECONDS = 0.05


def _atomic_with_retries(action: Callable[[], T]) -> T:
    # Inside an outer transaction (nested mutations, tests) the failed transaction is not ours to
    # re-run: the error goes up to whoever owns it.
    if transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return action()
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return action()
        except DatabaseError as exc:
            if not is_retryable(exc):
                raise
            if attempt == ATTEMPTS:
                raise RetryLater("The database kept refusing the change; retry the request.") from exc
            time.sleep(random.uniform(0.5, 1.5) * BACKOFF_SECONDS * attempt)
    raise AssertionError("unreachable")


def run_mutation(action: Callable[[], T], *, model=None) -> tuple[T | None, list[UserError]]:
    """Run `action` atomically; translate every expected failure into UserErrors (nothing written).
    Deadlocks and serialization failures are retried; when retries run out `RetryLater` reaches the
    error masking, which answers RETRY_LATER with HTTP 503."""
    try:
        return _atomic_with_retries(action), []
    except ValidationError as exc:
        return None, validation_errors(exc, model)
    except NestedInputError as exc:
        return None, validation_errors(exc.error, exc.model, exc.prefix)
    except NotFound as exc:
        return None, [
            UserError(
                kind=ErrorKind.NOT_FOUND,
                code=ErrorCode.NOT_FOUND,
                message=exc.message,
                field=exc.field,
            )
        ]
    except ObjectDoesNotExist:
        return None, [UserError(kind=ErrorKind.NOT_FOUND, code=ErrorCode.NOT_FOUND, message="Not found.")]
    except Conflict as exc:
        return None, [
            UserError(
                kind=ErrorKind.CONFLICT,
                code=ErrorCode[_code(exc.code)],
                message=exc.message,
                field=exc.field,
            )
        ]
    except PermissionDenied as exc:
        return None, [
            UserError(
                kind=ErrorKind.PERMISSION,
                code=ErrorCode.PERMISSION_DENIED,
                message=str(exc) or "You may not do this.",
            )
        ]
