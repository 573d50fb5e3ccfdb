"""Shipments for the orders, and the follow-up tasks attached to records other than jobs."""

from datetime import date, timedelta
from decimal import Decimal

from backend.catalog.models import ProductKind
from backend.orders.models import OrderStatus
from backend.projects.models import Project
from backend.shipping.models import Shipment, ShipmentItem, ShipmentKind, ShipmentStatus
from backend.work.models import Priority, Task
from backend.work.statuses import WorkStatus

from . import catalogue as cat
from .generator import DemoCompany, OrderPlan

QUOTE_STAGE = (OrderStatus.OPEN, OrderStatus.REQUESTED, OrderStatus.PROPOSED)


def _shipment_status(demo: DemoCompany, plan: OrderPlan, ships: date, arrives: date, outgoing: bool) -> str:
    as_of, roll = demo.as_of, demo.rng.random()
    if plan.cancelled:
        return ShipmentStatus.CANCELLED
    if plan.order.status in QUOTE_STAGE:
        return ShipmentStatus.INPUT
    if arrives < as_of:
        return ShipmentStatus.DELIVERED if roll < 0.97 else ShipmentStatus.REJECTED
    if ships < as_of:
        return ShipmentStatus.SHIPPED
    if (ships - as_of).days <= 3:
        if outgoing:
            return ShipmentStatus.PACKED if roll < 0.6 else ShipmentStatus.PICKED
        return ShipmentStatus.SCHEDULED
    return ShipmentStatus.SCHEDULED if roll < 0.6 else ShipmentStatus.INPUT


def _plan_order_shipments(demo: DemoCompany, plan: OrderPlan, outgoing: bool) -> None:
    rng, order, part = demo.rng, plan.order, plan.part
    goods = [
        item for item in plan.items if item.product is not None and item.product.kind == ProductKind.GOOD
    ]
    if not goods:
        return
    count = 1 if plan.cancelled else rng.randint(1, 3)
    task = plan.marked_task("ship" if outgoing else "receive")
    first = task.due_date if task is not None and task.due_date else part.ship_after
    span = max(0, (part.ship_before - timedelta(days=5) - first).days)
    prefix = next(prefix for carrier, prefix in demo.carriers if carrier is part.carrier)
    for k in range(count):
        ships = demo.business_days(first + timedelta(days=span * k // count), 0)
        arrives = ships + timedelta(days=rng.randint(1, 5))
        status = _shipment_status(demo, plan, ships, arrives, outgoing)
        sent = status in (ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED, ShipmentStatus.REJECTED)
        shipment = demo.add(
            "shipments",
            Shipment(
                kind=ShipmentKind.OUTGOING if outgoing else ShipmentKind.INCOMING,
                status=status,
                from_party=demo.internal if outgoing else order.vendor,
                to_party=order.customer,
                origin_facility=part.facility if outgoing else None,
                destination_facility=None if outgoing else part.facility,
                carrier=part.carrier,
                tracking_code=f"{prefix}{rng.randint(10**9, 10**10 - 1)}" if sent else "",
                estimated_ship_date=ships,
                estimated_arrival_date=arrives,
                shipped_at=demo.at(ships, 14) if sent else None,
                delivered_at=demo.at(arrives, 11) if status == ShipmentStatus.DELIVERED else None,
                cost=demo.money(Decimal(rng.randint(1500, 25000)) / 100, plan.currency),
                currency=plan.currency,
                order=order,
                ship_task=task if outgoing else None,
                receive_task=None if outgoing else task,
            ),
        )
        for item in goods:
            whole = int(item.quantity)
            share = whole // count + (1 if k < whole % count else 0)
            if share:
                demo.add(
                    "shipment items",
                    ShipmentItem(
                        shipment=shipment, product=item.product, quantity=Decimal(share), order_item=item
                    ),
                )
        if outgoing and status == ShipmentStatus.SHIPPED and rng.random() < 0.5:
            _follow_up(demo, "shipment tasks", rng.choice(cat.SHIPMENT_TASKS), arrives, shipment=shipment)


def plan_shipments(demo: DemoCompany) -> None:
    for plan in demo.sales_orders:
        _plan_order_shipments(demo, plan, outgoing=True)
    for plan in demo.purchase_orders:
        _plan_order_shipments(demo, plan, outgoing=False)


def _follow_up(demo: DemoCompany, stage: str, title: str, due: date, status: str = "", **target) -> Task:
    rng = demo.rng
    if not status:
        status = WorkStatus.IN_PROGRESS if due < demo.as_of and rng.random() < 0.5 else WorkStatus.PLANNING
    return demo.add(
        stage,
        Task(
            title=title,
            status=status,
            priority=rng.choice((Priority.HIGH, Priority.NORMAL, Priority.NORMAL, Priority.LOW)),
            assignee=demo.pick_worker().party,
            due_date=demo.business_days(due, 0),
            estimated_hours=demo.hours(0.5, 3),
            **target,
        ),
    )


def _closing_status(project: Project) -> str:
    if project.status == WorkStatus.CANCELLED:
        return WorkStatus.CANCELLED
    if project.status in (WorkStatus.COMPLETE, WorkStatus.CLOSED):
        return WorkStatus.COMPLETE
    return ""


def plan_follow_up_tasks(demo: DemoCompany) -> None:
    """Tasks on projects, customers and open quotes: every kind of task target gets some."""
    rng, as_of = demo.rng, demo.as_of
    for project in demo.rows["projects"]:
        due = min(project.end_date, as_of + timedelta(days=rng.randint(-5, 20)))
        title = rng.choice(cat.PROJECT_TASKS)
        _follow_up(demo, "tasks", title, due, _closing_status(project), project=project)
    for customer in demo.customers:
        if rng.random() < 0.5:
            due = as_of + timedelta(days=rng.randint(5, 60))
            _follow_up(demo, "tasks", rng.choice(cat.CUSTOMER_TASKS), due, party=customer.party)
    for plan in demo.sales_orders:
        if plan.order.status in QUOTE_STAGE:
            due = as_of + timedelta(days=rng.randint(1, 10))
            _follow_up(demo, "tasks", rng.choice(cat.QUOTE_TASKS), due, order=plan.order)
