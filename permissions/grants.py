"""Sharing a record: granting and revoking object permissions on it."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from .errors import PermissionErrorCode
from .visibility import Action, can, codename

# A grant of one action carries the ones it needs; a revoke takes away the ones that need it.
IMPLIES: dict[str, tuple[str, ...]] = {
    "view": ("view",),
    "change": ("view", "change"),
    "delete": ("view", "delete"),
    "manage": ("view", "change", "delete", "manage"),
}


def implied(actions) -> set[str]:
    return {needed for action in actions for needed in IMPLIES[action]}


def implying(actions) -> set[str]:
    return {action for action, needs in IMPLIES.items() if set(needs) & set(actions)}


def _holder(user, group):
    if (user is None) == (group is None):
        raise ValidationError("Give either a user or a group.", code=PermissionErrorCode.ONE_HOLDER)
    return user or group


def _perm(record, action: str) -> str:
    return f"{record._meta.app_label}.{codename(type(record), action)}"


@transaction.atomic
def require_manage(actor, record) -> None:
    """Checked before the holder is looked up, so no answer tells an unknown username from a real one."""
    if not can(actor, record, "manage"):
        raise PermissionDenied("You may not share this record.")


def grant(*, actor, record, actions: list[Action], user=None, group: Group | None = None) -> None:
    holder = _holder(user, group)
    require_manage(actor, record)
    for action in sorted(implied(actions)):
        assign_perm(_perm(record, action), holder, record)


@transaction.atomic
def revoke(*, actor, record, actions: list[Action], user=None, group: Group | None = None) -> None:
    holder = _holder(user, group)
    require_manage(actor, record)
    for action in sorted(implying(actions)):
        remove_perm(_perm(record, action), holder, record)
