"""Turning mutation input into service arguments."""

from enum import Enum

import strawberry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from strawberry.types import Info

from backend.common.errors import CommonErrorCode
from permissions.access import hierarchy_parent_fields

from .context import current_user
from .errors import camel
from .ids import load_optional

# Input attributes that steer the mutation rather than carry data.
CONTROL_FIELDS = {"id", "expected_version"}


def actor(info: Info):
    user = current_user(info)
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    return user


def input_values(info: Info, data, refs: dict | None = None, *, owner=None, skip=()) -> dict:
    """The fields the client sent (UNSET ones left out); `<name>_id` refs become records.

    A ref to the record's parent in the hierarchy (an order for a job) needs change on the
    parent; any other ref (a customer, a product) only needs to be visible.
    """
    refs = refs or {}
    parents = hierarchy_parent_fields(owner) if owner is not None else set()
    values = {}
    for name, value in vars(data).items():
        if value is strawberry.UNSET or name in CONTROL_FIELDS or name in skip:
            continue
        if name in refs:
            field = name.removesuffix("_id")
            action = "change" if field in parents else "view"
            values[field] = load_optional(info, value, refs[name], field=camel(name), action=action)
        elif isinstance(value, Enum):
            values[name] = value.value
        else:
            values[name] = value
    return values


def check_list_size(items, field: str) -> None:
    if items not in (None, strawberry.UNSET) and len(items) > settings.GRAPHQL_MAX_INPUT_ITEMS:
        raise ValidationError(
            {
                field: ValidationError(
                    f"At most {settings.GRAPHQL_MAX_INPUT_ITEMS} items in one request.",
                    code=CommonErrorCode.TOO_MANY_ITEMS,
                )
            }
        )
