"""Global ids: one canonical form, decoded and type-checked here, loaded through the visibility hook."""

import re

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from strawberry.extensions import FieldExtension
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


def canonical(global_id) -> tuple[str, int] | None:
    """(type name, pk) when `global_id` is exactly the id the API hands out for a record, else None:
    `Order:0081`, `Order:81 `, `Order:1e3` or another spelling of the same base64 name no record."""
    if not isinstance(global_id, str):
        return None
    try:
        name, node_id = from_base64(global_id)
    except Exception:
        return None
    if name not in NODE_MODELS or not CANONICAL_PK.fullmatch(node_id) or int(node_id) > MAX_PK:
        return None
    return (name, int(node_id)) if to_base64(name, node_id) == global_id else None


class CanonicalNodeIds(FieldExtension):
    """`node` and `nodes` answer null for an id in any other form, exactly as for a missing record
    (strawberry would look `Order:0081` up as record 81)."""

    def resolve(self, next_, source, info: Info, **kwargs):
        if "id" in kwargs:
            return next_(source, info, **kwargs) if canonical(str(kwargs["id"])) else None
        ids = kwargs.pop("ids")
        wanted = [gid for gid in ids if canonical(str(gid))]
        found = iter(next_(source, info, ids=wanted, **kwargs) if wanted else ())
        return [next(found) if canonical(str(gid)) else None for gid in ids]


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
