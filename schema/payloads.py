"""Mutation payloads: the changed record, or the errors that stopped the change."""

import strawberry

from .errors import UserError


def payload(name: str, field: str, node_type, description: str = "") -> type:
    """`<name> { <field>: <node_type>, errors: [UserError!]! }`: exactly one side is filled."""
    cls = type(
        name,
        (),
        {
            "__annotations__": {field: node_type | None, "errors": list[UserError]},
            field: None,
            "errors": strawberry.field(default_factory=list),
        },
    )
    return strawberry.type(cls, description=description or f"The result of {name.removesuffix('Payload')}.")


@strawberry.type(description="The result of a delete: the id that was removed, or why not.")
class DeletePayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
