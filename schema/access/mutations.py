"""Sharing records with users and groups."""

from enum import Enum

import strawberry
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from strawberry import relay
from strawberry.types import Info

from backend.common.errors import NotFound
from permissions import grants

from ..errors import UserError, run_mutation
from ..ids import NODE_MODELS, load
from ..inputs import actor


@strawberry.enum(description="What a grant lets its holder do with a record and everything below it.")
class RecordPermission(Enum):
    VIEW = "view"
    CHANGE = "change"
    DELETE = "delete"
    MANAGE = "manage"


@strawberry.input(description="Give exactly one of username and groupName.")
class PermissionInput:
    record_id: strawberry.ID
    permissions: list[RecordPermission]
    username: str | None = None
    group_name: str | None = None


@strawberry.type(description="The shared record, or why it was not shared.")
class PermissionPayload:
    record: relay.Node | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


ALL_NODE_MODELS = tuple(apps.get_model(label) for label in NODE_MODELS.values())


def _holders(input: PermissionInput) -> dict:
    holders = {}
    if input.username is not None:
        holders["user"] = get_user_model().objects.filter(username=input.username, is_active=True).first()
        if holders["user"] is None:
            raise NotFound(f"No user {input.username!r}.", field="username")
    if input.group_name is not None:
        holders["group"] = Group.objects.filter(name=input.group_name).first()
        if holders["group"] is None:
            raise NotFound(f"No group {input.group_name!r}.", field="groupName")
    return holders


def _share(info: Info, input: PermissionInput, change) -> PermissionPayload:
    def act():
        user = actor(info)
        record = load(info, input.record_id, ALL_NODE_MODELS, field="recordId")
        grants.require_manage(user, record)
        change(actor=user, record=record, actions=[p.value for p in input.permissions], **_holders(input))
        return record

    record, errors = run_mutation(act)
    return PermissionPayload(record=record, errors=errors)


@strawberry.type
class AccessMutation:
    @strawberry.mutation(
        description="Share a record: the grant reaches everything below it. Needs MANAGE on the record."
    )
    def permission_grant(self, info: Info, input: PermissionInput) -> PermissionPayload:
        return _share(info, input, grants.grant)

    @strawberry.mutation(
        description="Take back a grant (and the grants that include it, e.g. VIEW takes all)."
    )
    def permission_revoke(self, info: Info, input: PermissionInput) -> PermissionPayload:
        return _share(info, input, grants.revoke)
