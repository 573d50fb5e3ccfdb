"""project → order → job → job cost → task → shipment, declared once.

`schema/` checks its two-way links against this table and `permissions/` inherits grants
along it. The helpers are set-based: one query per link and level, never one per row.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class Link:
    parent: str  # "app_label.Model"
    child: str
    field: str  # the foreign key on the child that points at the parent

    @property
    def parent_model(self) -> type[models.Model]:
        return apps.get_model(self.parent)

    @property
    def child_model(self) -> type[models.Model]:
        return apps.get_model(self.child)

    @property
    def related_name(self) -> str:
        """The reverse accessor on the parent (e.g. Project.orders)."""
        return self.child_model._meta.get_field(self.field).remote_field.related_name

    @property
    def recursive(self) -> bool:
        return self.parent == self.child


# Records that can carry tasks, with the Task column that points at them.
TASK_TARGETS: dict[str, str] = {
    "projects.Project": "project",
    "orders.Order": "order",
    "work.Job": "job",
    "work.JobCost": "job_cost",
    "shipping.Shipment": "shipment",
    "parties.Party": "party",
}

LINKS: tuple[Link, ...] = (
    Link("projects.Project", "orders.Order", "project"),
    Link("orders.Order", "orders.OrderPart", "order"),
    Link("orders.OrderPart", "orders.OrderItem", "part"),
    Link("orders.Order", "work.Job", "order"),
    Link("work.Job", "work.Job", "parent"),
    Link("work.Job", "work.JobCost", "job"),
    Link("orders.Order", "shipping.Shipment", "order"),
    Link("work.Task", "shipping.Shipment", "ship_task"),
    Link("work.Task", "shipping.Shipment", "receive_task"),
    Link("shipping.Shipment", "shipping.ShipmentItem", "shipment"),
    Link("work.Task", "work.TimeEntry", "task"),
    Link("orders.Order", "billing.Invoice", "order"),
    Link("billing.Invoice", "billing.InvoiceItem", "invoice"),
    Link("orders.Order", "billing.Payment", "order"),
    Link("billing.Payment", "billing.PaymentApplication", "payment"),
    Link("orders.Order", "returns.Return", "order"),
    Link("returns.Return", "returns.ReturnItem", "return_header"),
    *(Link(target, "work.Task", field) for target, field in TASK_TARGETS.items()),
)


def _label(model: type[models.Model] | str) -> str:
    return model if isinstance(model, str) else model._meta.label


def child_links(model) -> list[Link]:
    return [link for link in LINKS if link.parent == _label(model)]


def parent_links(model) -> list[Link]:
    return [link for link in LINKS if link.child == _label(model)]


def descendants(model, ids: Iterable[int]) -> dict[str, set[int]]:
    """Every record below the given ones, by model label (the given ones excluded)."""
    given = {_label(model): set(ids)}
    found: dict[str, set[int]] = defaultdict(set, {k: set(v) for k, v in given.items()})
    frontier = given
    while frontier:
        next_frontier: dict[str, set[int]] = defaultdict(set)
        for label, pks in frontier.items():
            for link in child_links(label):
                rows = link.child_model._default_manager.filter(**{f"{link.field}__in": pks})
                new = set(rows.values_list("pk", flat=True)) - found[link.child]
                if new:
                    found[link.child] |= new
                    next_frontier[link.child] |= new
        frontier = next_frontier
    return _without(found, given)


def _without(found: dict[str, set[int]], given: dict[str, set[int]]) -> dict[str, set[int]]:
    """The records found, less the ones the walk started from (a link can lead back to them)."""
    result = {label: pks - given.get(label, set()) for label, pks in found.items()}
    return {label: pks for label, pks in result.items() if pks}


def ancestors(model, ids: Iterable[int]) -> dict[str, set[int]]:
    """Every record above the given ones, by model label."""
    given = {_label(model): set(ids)}
    found: dict[str, set[int]] = defaultdict(set, {k: set(v) for k, v in given.items()})
    frontier = given
    while frontier:
        next_frontier: dict[str, set[int]] = defaultdict(set)
        for label, pks in frontier.items():
            for link in parent_links(label):
                rows = link.child_model._default_manager.filter(
                    pk__in=pks, **{f"{link.field}__isnull": False}
                )
                new = set(rows.values_list(link.field, flat=True)) - found[link.parent]
                if new:
                    found[link.parent] |= new
                    next_frontier[link.parent] |= new
        frontier = next_frontier
    return _without(found, given)


# How many levels of a self-link (a sub-job's parent job) the lookups follow.
MAX_SELF_DEPTH = 3


@cache
def ancestor_paths(model) -> tuple[tuple[str, str], ...]:
    """(ancestor label, ORM lookup from `model` to it) for every path upwards.

    Task → ("orders.Order", "order"), ("projects.Project", "order__project"),
    ("projects.Project", "job__order__project"), ...: each path is a join a filter can use.
    A self-link is followed up to MAX_SELF_DEPTH levels (job → parent job → its parent ...).
    """
    paths: list[tuple[str, str]] = []

    def walk(label: str, prefix: str, seen: frozenset[str]) -> None:
        for link in parent_links(label):
            if link.recursive:
                paths.extend(
                    (link.parent, prefix + "__".join([link.field] * depth))
                    for depth in range(1, MAX_SELF_DEPTH + 1)
                )
                continue
            if link.parent in seen:
                continue
            lookup = f"{prefix}{link.field}"
            paths.append((link.parent, lookup))
            walk(link.parent, f"{lookup}__", seen | {link.parent})

    walk(_label(model), "", frozenset({_label(model)}))
    return tuple(paths)
