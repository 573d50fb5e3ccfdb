"""Create, update and delete for records whose rules live in their model's clean()."""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError

from .errors import CommonErrorCode, Conflict

M = TypeVar("M", bound=models.Model)


def check_version(instance: models.Model, expected_version: int | None) -> None:
    if expected_version is not None and instance.version != expected_version:
        raise Conflict(
            f"{instance._meta.verbose_name.capitalize()} was changed by someone else "
            f"(version {instance.version}, expected {expected_version}); reload and retry.",
            field="expectedVersion",
        )


def save_validated(instance: M, *, exclude: Iterable[str] = ()) -> M:
    instance.full_clean(exclude=list(exclude))
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:  # a race past full_clean's unique checks
        raise ValidationError("Conflicts with an existing record.", code=CommonErrorCode.UNIQUE) from exc
    return instance


@transaction.atomic
def create_record(model: type[M], *, actor, **fields: Any) -> M:
    return save_validated(model(**fields))


def lock(instance: M) -> M:
    """Reload the row under FOR UPDATE so the decision is made on its current state."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def change(instance: M, expected_version: int | None, changes: dict[str, Any]) -> M:
    """Lock the row, check the client's version, apply the changes and bump the version (unsaved)."""
    instance = lock(instance)
    check_version(instance, expected_version)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.version += 1
    return instance


@transaction.atomic
def update_record(instance: M, *, actor, expected_version: int | None = None, **changes: Any) -> M:
    return save_validated(change(instance, expected_version, changes))


@transaction.atomic
def delete_record(instance: models.Model, *, actor, expected_version: int | None = None) -> None:
    instance = lock(instance)
    check_version(instance, expected_version)
    try:
        instance.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ValidationError(
            f"This {instance._meta.verbose_name} is still referenced by other records.",
            code=CommonErrorCode.IN_USE,
        ) from exc
