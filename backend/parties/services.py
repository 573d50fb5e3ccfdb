from django.db import transaction

from backend.common.services import check_version, lock, save_validated

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
    party = lock(party)
    check_version(party, expected_version)
    for name, value in changes.items():
        setattr(party, name, value)
    party.version += 1
    save_validated(party)
    if roles is not None:
        _set_roles(party, roles)
    return party
