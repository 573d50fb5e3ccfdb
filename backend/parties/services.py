from django.db import transaction

from backend.common.services import change, save_validated

from .models import Party, PartyRole


def _set_roles(party: Party, roles) -> None:
    roles = set(roles)
    party.roles.exclude(role__in=roles).delete()
    existing = set(party.roles.values_list("role", flat=True))
    PartyRole.objects.bulk_create([PartyRole(party=party, role=role) for role in sorted(roles - existing)])


@transaction.atomic
def create_party(*, actor, roles=(), **fields) -> Party:
    party = save_validated(Party(**fields))
    _set_roles(party, roles)
    return party


@transaction.atomic
def update_party(party: Party, *, actor, expected_version: int | None = None, roles=None, **changes) -> Party:
    party = save_validated(change(party, expected_version, changes))
    if roles is not None:
        _set_roles(party, roles)
    return party
