"""Access rules for writes that have no record to check yet (creating one)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from guardian.shortcuts import assign_perm

from graph import parent_links

from .grants import IMPLIES
from .visibility import codename, has_model_permission


def hierarchy_parent_fields(model: type[Model]) -> set[str]:
    """The foreign keys through which `model` hangs below another record."""
    return {link.field for link in parent_links(model)}


def require_add(user, model: type[Model], values: dict) -> None:
    """Creating below a parent needs change on that parent (checked when it was loaded);
    creating a record with no parent needs the model-wide add permission."""
    if any(values.get(field) is not None for field in hierarchy_parent_fields(model)):
        return
    if has_model_permission(user, model, "add"):
        return
    raise PermissionDenied(
        f"You may not create a {model._meta.verbose_name} without a parent you may change."
    )


def grant_to_creator(user, record: Model) -> None:
    """Whoever creates a record with no parent may see, change, delete and share it; records
    created below a parent are reached by the grants on the parent."""
    model = type(record)
    if any(getattr(record, f"{field}_id", None) for field in hierarchy_parent_fields(model)):
        return
    if has_model_permission(user, model, "manage"):
        return
    for action in IMPLIES["manage"]:
        assign_perm(f"{model._meta.app_label}.{codename(model, action)}", user, record)
