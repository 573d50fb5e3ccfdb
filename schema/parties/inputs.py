import strawberry

from ..enums import PartyKindEnum, PartyRoleEnum

UNSET = strawberry.UNSET


@strawberry.input
class PartyCreateInput:
    kind: PartyKindEnum
    name: str
    roles: list[PartyRoleEnum] = strawberry.field(default_factory=list)
    external_id: str | None = None
    disabled: bool = False


@strawberry.input
class PartyUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    kind: PartyKindEnum | None = UNSET
    name: str | None = UNSET
    roles: list[PartyRoleEnum] | None = strawberry.field(
        default=UNSET, description="Replaces the party's roles when given."
    )
    external_id: str | None = UNSET
    disabled: bool | None = UNSET
