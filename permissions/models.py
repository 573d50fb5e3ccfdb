"""Guardian's direct foreign-key permission tables, a user and a group table per guarded model.

Direct tables give real foreign keys (cascade on delete, no varchar casts) and let the
visibility filter be a plain `pk IN (SELECT content_object_id ...)` semi-join.
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

# Every record type the API exposes as a Node: object permissions can be granted on each.
GUARDED_MODELS: tuple[str, ...] = (
    "parties.Party",
    "catalog.Facility",
    "catalog.Product",
    "catalog.Asset",
    "projects.Project",
    "orders.Order",
    "orders.OrderPart",
    "orders.OrderItem",
    "work.Job",
    "work.JobCost",
    "work.Task",
    "work.TaskTemplate",
    "work.TimeEntry",
    "shipping.Shipment",
    "shipping.ShipmentItem",
    "billing.Invoice",
    "billing.InvoiceItem",
    "billing.Payment",
    "billing.PaymentApplication",
    "returns.Return",
    "returns.ReturnItem",
)


def _direct_table(label: str, base: type[models.Model], holder: str) -> type[models.Model]:
    name = label.split(".")[1]
    meta = type("Meta", (base.Meta,), {"verbose_name": f"{name} {holder} permission"})
    return type(
        f"{name}{holder.capitalize()}ObjectPermission",
        (base,),
        {
            "__module__": __name__,
            # guardian finds a direct table through this reverse relation, so it must not be hidden
            "content_object": models.ForeignKey(
                label, on_delete=models.CASCADE, related_name=f"{holder}_object_permissions"
            ),
            "Meta": meta,
        },
    )


USER_TABLES: dict[str, type[models.Model]] = {}
GROUP_TABLES: dict[str, type[models.Model]] = {}
for _label in GUARDED_MODELS:
    USER_TABLES[_label] = _direct_table(_label, UserObjectPermissionBase, "user")
    GROUP_TABLES[_label] = _direct_table(_label, GroupObjectPermissionBase, "group")
    globals()[USER_TABLES[_label].__name__] = USER_TABLES[_label]
    globals()[GROUP_TABLES[_label].__name__] = GROUP_TABLES[_label]


def user_table(model) -> type[models.Model]:
    return USER_TABLES[model._meta.label]


def group_table(model) -> type[models.Model]:
    return GROUP_TABLES[model._meta.label]


def guarded(model) -> bool:
    return model._meta.label in USER_TABLES
