"""seed_demo: a coherent, deterministic, idempotent demo company."""

from collections import Counter
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Sum

from backend.catalog.models import Asset, Facility, FacilityLocation, Product
from backend.common.money import round_money
from backend.orders.models import Order, OrderItem, OrderKind, OrderPart
from backend.parties.models import Party, PartyRole, RoleKind
from backend.projects.models import Project
from backend.shipping.models import Shipment, ShipmentItem, ShipmentKind
from backend.work.models import (
    CostKind,
    Job,
    JobCost,
    Task,
    TaskTemplate,
    TaskTemplateItem,
    TimeEntry,
)

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 3, 4)
SCALE = 0.05
MODELS = (
    Party, PartyRole, Facility, FacilityLocation, Product, Asset, TaskTemplate, TaskTemplateItem,
    Project, Order, OrderPart, OrderItem, Job, JobCost, Task, TimeEntry, Shipment, ShipmentItem,
)  # fmt: skip


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(seed: int = 1) -> str:
    out = StringIO()
    call_command("seed_demo", scale=SCALE, seed=seed, as_of=AS_OF, stdout=out, stderr=StringIO())
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def snapshot() -> dict:
    """What must not depend on anything but the seed (primary keys and numbers excluded)."""
    return {
        "counts": counts(),
        "projects": sorted(Project.objects.values_list("code", "name", "budget", "status")),
        "orders": sorted(Order.objects.values_list("kind", "name", "currency", "status", "total")),
        "jobs": sorted(Job.objects.values_list("name", "budgeted_cost", "budgeted_revenue", "start_date")),
        "costs": sorted(JobCost.objects.values_list("kind", "currency").annotate(s=Sum("amount"))),
        "hours": sorted(Task.objects.values_list("title", "due_date", "actual_hours")),
        "shipments": sorted(Shipment.objects.values_list("kind", "status", "estimated_ship_date")),
    }


def wipe() -> None:
    Shipment.objects.all().delete()
    Order.objects.all().delete()
    Project.objects.all().delete()
    TaskTemplate.objects.all().delete()
    Asset.objects.all().delete()
    Product.objects.all().delete()
    Facility.objects.all().delete()
    Party.objects.all().delete()
    get_user_model().objects.filter(username="demo").delete()


def test_every_kind_of_row_is_created_and_passes_model_validation():
    output = seed()

    assert "Demo data created" in output and "Elapsed:" in output
    assert all(number > 0 for number in counts().values()), counts()
    for role in (
        RoleKind.INTERNAL,
        RoleKind.CUSTOMER,
        RoleKind.SUPPLIER,
        RoleKind.CARRIER,
        RoleKind.EMPLOYEE,
    ):
        assert PartyRole.objects.filter(role=role).exists(), role
    assert PartyRole.objects.filter(role=RoleKind.INTERNAL).count() == 1
    for model in (
        Project,
        Order,
        OrderPart,
        OrderItem,
        Job,
        JobCost,
        Task,
        TimeEntry,
        Shipment,
        ShipmentItem,
    ):
        rows = list(model.objects.all())
        for row in rows[:: max(1, len(rows) // 12)]:  # a spread sample: full_clean queries per row
            row.full_clean()


def test_order_totals_derive_from_their_items():
    seed()
    internal = Party.objects.get(external_id="demo-internal")

    assert not Order.objects.annotate(n=Count("parts")).filter(n=0).exists()
    assert Order.objects.filter(kind=OrderKind.SALES).exclude(vendor=internal).count() == 0
    assert Order.objects.filter(kind=OrderKind.PURCHASE).exclude(customer=internal).count() == 0
    assert Order.objects.filter(kind=OrderKind.PURCHASE).exists()
    assert Order.objects.filter(number__regex=r"^O-\d{6}$").count() == Order.objects.count()
    for item in OrderItem.objects.select_related("order"):
        assert item.total == round_money(item.quantity * item.unit_price, item.order.currency)
    for order in Order.objects.prefetch_related("items", "parts__items"):
        assert order.total == sum((i.total for i in order.items.all()), Decimal(0)) > 0
        for part in order.parts.all():
            assert part.total == sum((i.total for i in part.items.all()), Decimal(0))


def test_costs_time_and_tasks_agree_with_the_services_rules():
    seed()

    for cost in JobCost.objects.select_related("job__order", "source_time_entry__task"):
        assert cost.amount == round_money(cost.quantity * cost.unit_cost, cost.currency)
        assert cost.currency == cost.job.order.currency
        entry = cost.source_time_entry
        assert (cost.kind == CostKind.TIME) == (entry is not None)
        if entry is not None:
            assert (cost.quantity, cost.unit_cost, cost.party_id) == (
                entry.hours,
                entry.cost_rate,
                entry.party_id,
            )
            assert cost.job_id == entry.task.job_id
            assert entry.currency == cost.currency
    assert not TimeEntry.objects.filter(job_cost__isnull=True).exists()
    assert JobCost.objects.filter(kind=CostKind.PURCHASE, source_order_item__order__kind="PURCHASE").exists()

    hours = dict(TimeEntry.objects.values("task").annotate(s=Sum("hours")).values_list("task", "s"))
    targets = Counter()
    for task in Task.objects.all():
        assert task.actual_hours == hours.get(task.pk, Decimal(0))
        chosen = [name for name in Task.TARGET_FIELDS if getattr(task, f"{name}_id") is not None]
        assert len(chosen) == 1, (task.pk, chosen)
        targets[chosen[0]] += 1
    assert targets["job"] and targets["project"]
    assert Task.objects.filter(template_item__isnull=False).count() == targets["job"]
    assert Job.objects.filter(parent__isnull=False).exists()


def test_shipments_link_their_order_parties_tasks_and_lines():
    seed()
    internal = Party.objects.get(external_id="demo-internal")

    outgoing = Shipment.objects.filter(kind=ShipmentKind.OUTGOING).select_related("order", "ship_task__job")
    assert outgoing.exists()
    for shipment in outgoing:
        assert (shipment.from_party_id, shipment.to_party_id) == (internal.pk, shipment.order.customer_id)
        assert shipment.order.kind == OrderKind.SALES and shipment.carrier_id
        assert shipment.ship_task.job.order_id == shipment.order_id
    incoming = Shipment.objects.filter(kind=ShipmentKind.INCOMING).select_related(
        "order", "receive_task__job"
    )
    assert incoming.exists()
    for shipment in incoming:
        assert (shipment.from_party_id, shipment.to_party_id) == (shipment.order.vendor_id, internal.pk)
        assert shipment.receive_task.job.order_id == shipment.order_id
    assert not Shipment.objects.annotate(n=Count("items")).filter(n=0).exists()
    for line in ShipmentItem.objects.select_related("shipment", "order_item"):
        assert line.order_item.order_id == line.shipment.order_id
        assert line.product_id == line.order_item.product_id and line.quantity > 0


def test_same_seed_gives_the_same_company_and_a_second_run_creates_nothing():
    seed()
    first = snapshot()
    user = get_user_model().objects.get(username="demo")
    assert user.is_superuser and user.check_password("demo")
    assert Party.objects.filter(user=user).exists()

    again = seed()
    assert "already loaded" in again
    assert snapshot() == first

    wipe()
    assert counts()["Party"] == 0
    seed()
    assert snapshot() == first

    wipe()
    seed(seed=2)
    assert snapshot() != first
