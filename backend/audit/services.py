"""The one service that changes a status: validate, lock, write, record the history, side effects."""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from backend.common.services import change, save_validated
from permissions.visibility import can

from .errors import AuditErrorCode
from .flows import Flow
from .models import StatusChange

SideEffect = Callable[..., None]


@transaction.atomic
def transition(
    record,
    *,
    flow: Flow,
    to: str,
    actor,
    reason: str = "",
    expected_version: int | None = None,
    side_effects: dict[str, SideEffect] | None = None,
):
    """Move `record` along `flow` to status `to`, or refuse with a typed error and write nothing.

    `side_effects` maps a target status to a function called with (record, actor) after the
    change is written, in the same transaction.
    """
    locked = change(record, expected_version, {})
    # Permission first: the state machine's refusal would tell a viewer the record's status.
    if actor is not None and not can(actor, locked, "change"):
        raise PermissionDenied("You may not change this record.")
    current = getattr(locked, flow.field)
    step = flow.find(current, to)
    if step is None:
        allowed = ", ".join(t.target for t in flow.from_status(current)) or "none"
        raise ValidationError(
            {
                "to": ValidationError(
                    f"Cannot go from {current} to {to} (allowed from {current}: {allowed}).",
                    code=AuditErrorCode.INVALID_TRANSITION,
                )
            }
        )
    if actor is not None and not can(actor, locked, step.permission):
        raise PermissionDenied(f"You may not {step.verb} this record.")
    setattr(locked, flow.field, to)
    save_validated(locked)
    StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(type(locked)),
        object_id=locked.pk,
        field=flow.field,
        from_status=current,
        to_status=to,
        verb=step.verb,
        actor=actor,
        reason=reason,
    )
    if side_effects and to in side_effects:
        side_effects[to](locked, actor)
    return locked


def allowed_transitions(record, *, flow: Flow, user) -> list:
    """The transitions the user may take from the record's current status."""
    return [
        t
        for t in flow.from_status(getattr(record, flow.field))
        if user is not None and can(user, record, t.permission)
    ]
