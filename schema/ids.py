"""Global ids: one canonical form, decoded and type-checked here, loaded through the visibility hook."""

import re

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from strawberry import relay
from strawberry.extensions import FieldExtension
from strawberry.relay.types import GlobalIDValueError
from strawberry.relay.utils import from_base64, to_base64
from strawberry.types import Info

from backend.common.errors import CommonErrorCode, NotFound
from permissions.visibility import Action, can, visible

from .context import current_user

# GraphQL type name → model label. Global ids are "<TypeName>:<pk>", base64-encoded.
NODE_MODELS: dict[str, str] = {
    "Party": "parties.Party",
    "Facility": "catalog.Facility",
    "Product": "catalog.Product",
    "Asset": "catalog.Asset",
    "Project": "projects.Project",
    "Order": "orders.Order",
    "OrderPart": "orders.OrderPart",
    "OrderItem": "orders.OrderItem",
    "Job": "work.Job",
    "JobCost": "work.JobCost",
    "Task": "work.Task",
    "TaskTemplate": "work.TaskTemplate",
    "TimeEntry": "work.TimeEntry",
    "Shipment": "shipping.Shipment",
    "ShipmentItem": "shipping.ShipmentItem",
    "Invoice": "billing.Invoice",
    "InvoiceItem": "billing.InvoiceItem",
    "Payment": "billing.Payment",
    "PaymentApplication": "billing.PaymentApplication",
    "Return": "returns.Return",
    "ReturnItem": "returns.ReturnItem",
}
TYPE_NAMES: dict[str, str] = {label: name for name, label in NODE_MODELS.items()}


# Primary keys are positive bigints written in ASCII digits without a leading zero, sign or space.
CANONICAL_PK = re.compile(r"[1-9][0-9]{0,18}")
MAX_PK = 2**63 - 1


def type_name(model: type[models.Model]) -> str:
    return TYPE_NAMES[model._meta.label]


def canonical_parts(global_id) -> tuple[str, int] | None:
    """(type name, pk) when `global_id` is written exactly as the API writes ids, else None:
    `Order:0081`, `Order:81 `, `Order:1e3` or another base64 spelling of the same text is no id."""
    if not isinstance(global_id, str):
        return None
    try:
        name, node_id = from_base64(global_id)
    except Exception:
        return None
    if not CANONICAL_PK.fullmatch(node_id) or int(node_id) > MAX_PK:
        return None
    return (name, int(node_id)) if to_base64(name, node_id) == global_id else None


def canonical(global_id) -> tuple[str, int] | None:
    """(type name, pk) for the canonical id of a record type mutations and filters refer to."""
    parts = canonical_parts(global_id)
    return parts if parts is not None and parts[0] in NODE_MODELS else None


class CanonicalNodeIds(FieldExtension):
    """`node` and `nodes` answer null for an id in any other form or of an unknown type, exactly as
    for a missing record (strawberry would look `Order:0081` up as record 81)."""

    def resolve(self, next_, source, info: Info, **kwargs):
        if "id" in kwargs:
            return next_(source, info, **kwargs) if self.known(info, kwargs["id"]) else None
        ids = kwargs.pop("ids")
        wanted = [gid for gid in ids if self.known(info, gid)]
        found = iter(next_(source, info, ids=wanted, **kwargs) if wanted else ())
        return [next(found) if self.known(info, gid) else None for gid in ids]

    @staticmethod
    def known(info: Info, gid: relay.GlobalID) -> bool:
        if canonical_parts(str(gid)) is None:
            return False
        try:
            gid.resolve_type(info)  # a Node type of the schema
        except GlobalIDValueError:
            return False
        return True


def decode(global_id: str, expected: tuple[type[models.Model], ...], *, field: str) -> tuple[type, int]:
    """(model, pk) for a global id of one of the expected types, or a typed validation error."""
    decoded = canonical(global_id)
    if decoded is None:
        raise ValidationError({field: ValidationError("Not a valid id.", code=CommonErrorCode.INVALID_ID)})
    name, pk = decoded
    label = NODE_MODELS[name]
    allowed = {m._meta.label for m in expected}
    if label not in allowed:
        names = " or ".join(sorted(type_name(m) for m in expected))
        raise ValidationError(
            {
                field: ValidationError(
                    f"Expected the id of a {names}, got a {name} id.",
                    code=CommonErrorCode.WRONG_TYPE,
                )
            }
        )
    return apps.get_model(label), pk


def load(info: Info, global_id, expected, *, field: str = "id", action: Action = "view"):
    """The record behind a global id, if the viewer may act on it.

    A record the viewer cannot see is NOT_FOUND, exactly like a missing one; a record they can
    see but not `action` is a PERMISSION error.
    """
    expected = expected if isinstance(expected, tuple) else (expected,)
    model, pk = decode(str(global_id), expected, field=field)
    user = current_user(info)
    record = visible(user, model._default_manager.all(), "view").filter(pk=pk).first()
    if record is None:
        raise NotFound(f"No {type_name(model)} with id {global_id}.", field=field)
    if action != "view" and not can(user, record, action):
        raise PermissionDenied(f"You may not {action} this {type_name(model)}.")
    return record


def load_optional(info: Info, global_id, expected, *, field: str, action: Action = "view"):
    return None if global_id is None else load(info, global_id, expected, field=field, action=action)
