"""Global ids in mutation input: decode, check the type, load through the visibility hook."""

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from strawberry import relay
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


def type_name(model: type[models.Model]) -> str:
    return TYPE_NAMES[model._meta.label]


def decode(global_id: str, expected: tuple[type[models.Model], ...], *, field: str) -> tuple[type, int]:
    """(model, pk) for a global id of one of the expected types, or a typed validation error."""
    try:
        gid = relay.GlobalID.from_id(global_id)
        pk = int(gid.node_id)
    except Exception:
        raise ValidationError(
            {field: ValidationError("Not a valid id.", code=CommonErrorCode.INVALID_ID)}
        ) from None
    label = NODE_MODELS.get(gid.type_name)
    allowed = {m._meta.label for m in expected}
    if label not in allowed:
        names = " or ".join(sorted(type_name(m) for m in expected))
        raise ValidationError(
            {
                field: ValidationError(
                    f"Expected the id of a {names}, got a {gid.type_name} id.",
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
