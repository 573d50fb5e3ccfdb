import strawberry

from backend.parties.models import Party
from backend.parties.services import create_party, update_party

from ..crud import create_mutation, delete_mutation, update_mutation
from ..inputs import check_list_size
from ..payloads import payload
from .inputs import PartyCreateInput, PartyUpdateInput
from .types import PartyType

PartyCreatePayload = payload("PartyCreatePayload", "party", PartyType)
PartyUpdatePayload = payload("PartyUpdatePayload", "party", PartyType)


def _create(*, actor, roles=(), **fields):
    check_list_size(roles, "roles")
    return create_party(actor=actor, roles=roles, **fields)


def _update(party, *, actor, expected_version=None, roles=None, **changes):
    check_list_size(roles, "roles")
    return update_party(party, actor=actor, expected_version=expected_version, roles=roles, **changes)


@strawberry.type
class PartyMutation:
    party_create = create_mutation(Party, PartyCreateInput, PartyCreatePayload, "party", service=_create)
    party_update = update_mutation(Party, PartyUpdateInput, PartyUpdatePayload, "party", service=_update)
    party_delete = delete_mutation(Party)
