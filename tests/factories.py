"""Builders for test data, through the same services the API uses."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone
from strawberry import relay

from backend.catalog.models import Facility, Product, ProductKind
from backend.orders.services import add_order_item, create_order
from backend.parties.models import Party, PartyKind, RoleKind
from backend.parties.services import create_party
from backend.projects.models import Project
from backend.shipping.models import Shipment, ShipmentKind
from backend.work.models import CostKind, Job
from backend.work.services import create_job_cost, create_task, log_time

_seq = count(1)


def gid(type_name: str, pk: int) -> str:
    return str(relay.GlobalID(type_name, str(pk)))


@dataclass
class Company:
    internal: Party
    customer: Party
    supplier: Party
    carrier: Party
    employee: Party
    warehouse: Facility
    product: Product

    @classmethod
    def create(cls) -> "Company":
        n = next(_seq)
        return cls(
            internal=create_party(
                actor=None, kind=PartyKind.ORGANIZATION, name=f"Ourselves {n}", roles=[RoleKind.INTERNAL]
            ),
            customer=create_party(
                actor=None, kind=PartyKind.ORGANIZATION, name=f"Acme {n}", roles=[RoleKind.CUSTOMER]
            ),
            supplier=create_party(
                actor=None, kind=PartyKind.ORGANIZATION, name=f"Parts Co {n}", roles=[RoleKind.SUPPLIER]
            ),
            carrier=create_party(
                actor=None, kind=PartyKind.ORGANIZATION, name=f"Ship Co {n}", roles=[RoleKind.CARRIER]
            ),
            employee=create_party(
                actor=None, kind=PartyKind.PERSON, name=f"Pat Worker {n}", roles=[RoleKind.EMPLOYEE]
            ),
            warehouse=Facility.objects.create(kind="WAREHOUSE", name=f"Main warehouse {n}"),
            product=Product.objects.create(kind=ProductKind.GOOD, name=f"Widget {n}", sku=f"W-{n}"),
        )

    def project(self, **fields) -> Project:
        n = next(_seq)
        fields.setdefault("code", f"P{n}")
        fields.setdefault("name", f"Project {n}")
        return Project.objects.create(customer=self.customer, internal_org=self.internal, **fields)

    def order(self, project=None, *, currency="USD", lines=((Decimal(2), Decimal("10.00")),)):
        order = create_order(
            actor=None, customer=self.customer, vendor=self.internal, currency=currency, project=project
        )
        for quantity, price in lines:
            add_order_item(order, actor=None, product=self.product, quantity=quantity, unit_price=price)
        order.refresh_from_db()
        return order

    def job(self, order, **fields) -> Job:
        n = next(_seq)
        fields.setdefault("name", f"Job {n}")
        return Job.objects.create(order=order, **fields)

    def cost(self, job, *, unit_cost=Decimal("5.00"), quantity=Decimal(1)):
        return create_job_cost(
            actor=None, job=job, kind=CostKind.MATERIAL, unit_cost=unit_cost, quantity=quantity
        )

    def task(self, target, **fields):
        fields.setdefault("title", "Do it")
        return create_task(actor=None, target=target, **fields)

    def time(self, task, *, hours=Decimal(2), rate=Decimal("40.00"), start: datetime | None = None):
        start = start or timezone.make_aware(datetime(2026, 3, 2, 9, 0))
        return log_time(
            actor=None,
            task=task,
            party=self.employee,
            from_at=start,
            hours=hours,
            cost_rate=rate,
            currency="USD",
        )

    def shipment(self, order=None, *, ship_task=None, kind=ShipmentKind.OUTGOING) -> Shipment:
        return Shipment.objects.create(
            kind=kind,
            from_party=self.internal,
            to_party=self.customer,
            order=order,
            ship_task=ship_task,
            carrier=self.carrier,
            origin_facility=self.warehouse,
            estimated_ship_date=date(2026, 3, 2),
            estimated_arrival_date=date(2026, 3, 2) + timedelta(days=3),
        )
