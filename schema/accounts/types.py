from typing import Any

import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry import auto, relay
from strawberry.types import Info

from backend.accounts.models import ApiToken
from backend.parties.models import Party

from ..context import current_user
from ..parties.types import PartyType


@strawberry_django.type(ApiToken, name="ApiToken", description="A bearer token of the viewer's.")
class ApiTokenType(relay.Node):
    id: relay.NodeID[int]
    name: auto
    prefix: auto
    created_at: auto
    expires_at: auto
    last_used_at: auto
    revoked_at: auto
    is_active: bool = strawberry_django.field(
        only=["expires_at", "revoked_at"], description="Neither revoked nor expired."
    )

    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: Info, **kwargs) -> QuerySet:
        """Only the caller's own tokens exist for them, whatever the access path."""
        user = current_user(info)
        if user is None or not user.is_authenticated:
            return queryset.none()
        return queryset.filter(user_id=user.pk)


@strawberry.type(description="The signed-in user.")
class Viewer:
    user: strawberry.Private[Any]

    @strawberry.field
    def username(self) -> str:
        return self.user.get_username()

    @strawberry.field
    def email(self) -> str:
        return self.user.email

    @strawberry.field
    def is_superuser(self) -> bool:
        return self.user.is_superuser

    @strawberry.field(description="The party this login belongs to, when there is one the viewer may see.")
    def party(self, info: Info) -> PartyType | None:
        parties = Party.objects.filter(user_id=self.user.pk)
        return PartyType.get_queryset(parties, info).first()

    @strawberry.field(description="The viewer's API tokens, newest first, revoked and expired ones included.")
    def api_tokens(self, info: Info) -> list[ApiTokenType]:
        return list(ApiTokenType.get_queryset(ApiToken.objects.all(), info))


def viewer_of(user) -> Viewer | None:
    if user is None or not user.is_authenticated:
        return None
    return Viewer(user=user)
