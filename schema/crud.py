"""Mutation fields for create / update / delete, so every record type behaves the same way.

A resolver converts input, loads records through the visibility hook, calls one service and
returns its payload; `run_mutation` makes it atomic and turns failures into typed errors.
"""

from collections.abc import Callable

import strawberry
from strawberry.types import Info

from backend.common.services import create_record, delete_record, update_record
from permissions.access import grant_to_creator, require_add

from .errors import run_mutation
from .ids import load
from .inputs import actor, input_values
from .payloads import DeletePayload


def fresh(record):
    """The record as stored (database rounding, derived columns), as a later read would show it."""
    record.refresh_from_db()
    return record


@strawberry.input(description="Which record to delete; expectedVersion guards against lost updates.")
class DeleteInput:
    id: strawberry.ID
    expected_version: int | None = None


def create_mutation(
    model,
    input_type,
    payload_type,
    field: str,
    *,
    refs=None,
    service: Callable | None = None,
    description: str = "",
):
    def resolve(info: Info, input: input_type) -> payload_type:  # type: ignore[valid-type]
        def act():
            user = actor(info)
            values = input_values(info, input, refs, owner=model)
            require_add(user, model, values)
            create = service or (lambda **fields: create_record(model, **fields))
            record = create(actor=user, **values)
            grant_to_creator(user, record)
            return fresh(record)

        record, errors = run_mutation(act, model=model)
        return payload_type(**{field: record, "errors": errors})

    return strawberry.mutation(resolver=resolve, description=description or f"Create a {field}.")


def update_mutation(
    model,
    input_type,
    payload_type,
    field: str,
    *,
    refs=None,
    service: Callable = update_record,
    description: str = "",
):
    def resolve(info: Info, input: input_type) -> payload_type:  # type: ignore[valid-type]
        def act():
            user = actor(info)
            record = load(info, input.id, model, action="change")
            values = input_values(info, input, refs, owner=model)
            return fresh(service(record, actor=user, expected_version=input.expected_version, **values))

        record, errors = run_mutation(act, model=model)
        return payload_type(**{field: record, "errors": errors})

    return strawberry.mutation(
        resolver=resolve, description=description or f"Change a {field}; fields left out stay as they are."
    )


def delete_mutation(model, *, service: Callable = delete_record, description: str = ""):
    def resolve(info: Info, input: DeleteInput) -> DeletePayload:
        def act():
            user = actor(info)
            record = load(info, input.id, model, action="delete")
            service(record, actor=user, expected_version=input.expected_version)
            return input.id

        deleted_id, errors = run_mutation(act, model=model)
        return DeletePayload(deleted_id=deleted_id, errors=errors)

    return strawberry.mutation(
        resolver=resolve, description=description or f"Delete a {model._meta.verbose_name}."
    )
