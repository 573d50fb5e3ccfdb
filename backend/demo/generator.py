"""Plans a coherent demo company in memory from a seed, then writes it with batched inserts.

Derived numbers follow the services' rules: line totals are quantity × unit price rounded half-up
to the currency, part and order totals are sums of line totals, a job cost's amount is quantity ×
unit cost rounded, every time entry under a job yields a TIME cost, and a task's actual hours are
the sum of its time entries.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from backend.catalog.models import (
    Asset,
    AssetKind,
    Facility,
    FacilityLocation,
    Product,
    ProductKind,
)
from backend.common.money import round_money
from backend.orders.models import Order, OrderItem, OrderPart
from backend.parties.models import Party, PartyKind, PartyRole, RoleKind
from backend.work.models import Job, Task, TaskTemplate, TaskTemplateItem
from backend.work.services import add_business_days

from . import catalogue as cat
from .bulk import BulkWriter

# Insert order: every stage only points at rows of earlier stages.
STAGES = (
    "parties", "party roles", "facilities", "facility locations", "products", "assets",
    "task templates", "task template items", "projects", "orders", "order parts", "order items",
    "jobs", "sub-jobs", "job costs", "tasks", "time entries", "time costs", "shipments",
    "shipment items", "shipment tasks",
)  # fmt: skip

UNIT_PRICE_STEP = Decimal("0.00001")
QUARTER_HOUR = Decimal("0.25")


@dataclass
class Worker:
    party: Party
    cost_rate: Decimal  # USD per hour
    bill_rate: Decimal


@dataclass
class Customer:
    party: Party
    currency: str
    address: str
    initials: str


@dataclass
class CatalogueEntry:
    product: Product
    price: Decimal  # USD list price
    cost: Decimal  # USD unit cost


@dataclass
class Template:
    template: TaskTemplate
    job_kind: str
    items: list[TaskTemplateItem]
    markers: dict[int, str] = field(default_factory=dict)  # item sequence -> "ship" / "receive"


@dataclass
class TaskPlan:
    task: Task
    start: date
    marker: str = ""


@dataclass
class JobPlan:
    job: Job
    template: Template
    tasks: list[TaskPlan] = field(default_factory=list)


@dataclass
class OrderPlan:
    order: Order
    part: OrderPart
    counterparty: Party  # the customer of a sale, the supplier of a purchase
    entered_at: datetime | None = None
    items: list[OrderItem] = field(default_factory=list)
    jobs: list[JobPlan] = field(default_factory=list)
    cancelled: bool = False

    @property
    def currency(self) -> str:
        return self.order.currency

    def marked_task(self, marker: str) -> Task | None:
        for job in self.jobs:
            for planned in job.tasks:
                if planned.marker == marker:
                    return planned.task
        return self.jobs[0].tasks[-1].task if self.jobs and self.jobs[0].tasks else None


class DemoCompany:
    def __init__(self, *, seed: int, scale: float, as_of: date, writer: BulkWriter, taken: dict[str, set]):
        self.rng = random.Random(seed)
        self.scale = scale
        self.as_of = as_of
        self.writer = writer
        self.taken = taken  # values of unique columns already in the database
        self.rows: dict[str, list] = {stage: [] for stage in STAGES}
        self.customers: list[Customer] = []
        self.suppliers: list[Party] = []
        self.carriers: list[tuple[Party, str]] = []
        self.workers: list[Worker] = []
        self.goods: list[CatalogueEntry] = []
        self.services: list[CatalogueEntry] = []
        self.templates: dict[str, Template] = {}
        self.warehouses: list[Facility] = []
        self.sales_orders: list[OrderPlan] = []
        self.purchase_orders: list[OrderPlan] = []
        self.login_party: Party | None = None

    # -- helpers -------------------------------------------------------------------------------

    def add(self, stage: str, obj):
        self.rows[stage].append(obj)
        return obj

    def count(self, base: float, minimum: int = 1) -> int:
        """A quantity that grows linearly with the scale, never below `minimum`."""
        return max(minimum, round(base * self.scale))

    def money(self, usd: Decimal, currency: str) -> Decimal:
        return round_money(usd * cat.CURRENCY_RATES[currency], currency)

    def unit_price(self, usd: Decimal, currency: str) -> Decimal:
        """A unit price in `currency`: converted, kept to the unit-price column's five decimals."""
        return (usd * cat.CURRENCY_RATES[currency]).quantize(UNIT_PRICE_STEP, rounding=ROUND_HALF_UP)

    def hours(self, low: float, high: float) -> Decimal:
        """A random duration in quarter hours between low and high."""
        return QUARTER_HOUR * self.rng.randint(int(low * 4), int(high * 4))

    def business_days(self, start: date, days: int) -> date:
        return add_business_days(start, days)

    def last_business_day_before(self, day: date) -> date:
        day -= timedelta(days=1)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return day

    def at(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=UTC)

    def unique(self, kind: str, value: str) -> str:
        """`value`, suffixed when a row outside the demo (or an earlier demo row) already uses it."""
        taken = self.taken.setdefault(kind, set())
        candidate, n = value, 1
        while candidate in taken:
            n += 1
            candidate = f"{value}-{n}"
        taken.add(candidate)
        return candidate

    def pick_worker(self) -> Worker:
        return self.rng.choice(self.workers)

    # -- writing -------------------------------------------------------------------------------

    def insert(self) -> None:
        for stage in STAGES:
            self.writer.insert(stage, self.rows[stage])
        # Numbered like the services number them (O-<id>), so later orders never collide; a number
        # someone typed in by hand that happens to match keeps its row, ours gets a suffix.
        orders = self.rows["orders"]
        numbers = [f"O-{order.pk:06d}" for order in orders]
        typed = set(Order.objects.filter(number__in=numbers).values_list("number", flat=True))
        for order, number in zip(orders, numbers, strict=True):
            order.number = f"{number}-D" if number in typed else number
        for plan in self.sales_orders + self.purchase_orders:
            plan.order.entered_at = plan.entered_at
        self.writer.update("order numbers", self.rows["orders"], ["number", "entered_at"])

    # -- parties -------------------------------------------------------------------------------

    def party(self, kind: str, name: str, external_id: str, roles: tuple[str, ...]) -> Party:
        party = self.add(
            "parties", Party(kind=kind, name=name, external_id=self.unique("external_id", external_id))
        )
        for role in roles:
            self.add("party roles", PartyRole(party=party, role=role))
        return party

    def company_name(self, used: set[str]) -> str:
        rng = self.rng
        name = (
            f"{rng.choice(cat.COMPANY_FIRST)} {rng.choice(cat.COMPANY_SECOND)} {rng.choice(cat.COMPANY_FORM)}"
        )
        base, n = name, 1
        while name in used:
            n += 1
            name = f"{base} {n}"
        used.add(name)
        return name

    def person_name(self, used: set[str]) -> str:
        name = f"{self.rng.choice(cat.FIRST_NAMES)} {self.rng.choice(cat.LAST_NAMES)}"
        base, n = name, 1
        while name in used:
            n += 1
            name = f"{base} {n}"
        used.add(name)
        return name

    def address(self) -> str:
        rng = self.rng
        return f"{rng.randint(1, 240)} {rng.choice(cat.STREETS)}, {rng.choice(cat.CITIES)}"

    def plan_parties(self) -> None:
        rng = self.rng
        org, person = PartyKind.ORGANIZATION, PartyKind.PERSON
        self.internal = self.party(org, cat.INTERNAL_NAME, cat.INTERNAL_EXTERNAL_ID, (RoleKind.INTERNAL,))
        used: set[str] = set()
        for n in range(1, self.count(10) + 1):
            name = self.company_name(used)
            party = self.party(org, name, f"demo-customer-{n:04d}", (RoleKind.CUSTOMER,))
            initials = "".join(word[0] for word in name.split()[:-1] if word[0].isalpha()).upper()
            currency = cat.CUSTOMER_CURRENCIES[(n - 1) % len(cat.CUSTOMER_CURRENCIES)]
            self.customers.append(Customer(party, currency, self.address(), initials or "C"))
        for n in range(1, self.count(6, 2) + 1):
            name = cat.SUPPLIER_NAMES[(n - 1) % len(cat.SUPPLIER_NAMES)]
            if n > len(cat.SUPPLIER_NAMES):
                name = f"{name} {n // len(cat.SUPPLIER_NAMES) + 1}"
            roles = (RoleKind.SUPPLIER, RoleKind.VENDOR) if n % 3 else (RoleKind.SUPPLIER,)
            self.suppliers.append(self.party(org, name, f"demo-supplier-{n:04d}", roles))
        for n in range(1, min(len(cat.CARRIER_NAMES), self.count(3, 2)) + 1):
            party = self.party(org, cat.CARRIER_NAMES[n - 1], f"demo-carrier-{n:04d}", (RoleKind.CARRIER,))
            self.carriers.append((party, cat.CARRIER_PREFIX[n - 1]))
        people: set[str] = set()
        contractors = self.count(2)
        for n in range(1, self.count(15, 3) + contractors + 1):
            role = RoleKind.CONTRACTOR if n > self.count(15, 3) else RoleKind.EMPLOYEE
            party = self.party(person, self.person_name(people), f"demo-person-{n:04d}", (role,))
            cost = Decimal(35) + Decimal("2.5") * rng.randint(0, 24)
            bill = (cost * Decimal("1.9") / 5).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 5
            self.workers.append(Worker(party, cost, bill))
        self.login_party = self.party(person, "Demo User", "demo-user", (RoleKind.EMPLOYEE,))

    # -- facilities, catalogue, assets ---------------------------------------------------------

    def plan_places(self) -> None:
        for kind, name, address, locations in cat.FACILITIES:
            facility = self.add(
                "facilities", Facility(kind=kind, name=name, address=address, owner=self.internal)
            )
            for code in locations:
                self.add("facility locations", FacilityLocation(facility=facility, code=code))
            if kind == "WAREHOUSE":
                self.warehouses.append(facility)
        self.office = self.rows["facilities"][-1]

    def product(self, kind: str, name: str, code: str, n: int, **flags) -> Product:
        sku = self.unique("sku", f"DEMO-{code}-{n:03d}")
        return self.add("products", Product(kind=kind, name=name, sku=sku, **flags))

    def plan_catalogue(self) -> None:
        rng = self.rng
        n = 0
        for name, price, cost, code in cat.GOODS:
            n += 1
            product = self.product(ProductKind.GOOD, name, code, n, requires_inventory=True)
            self.goods.append(CatalogueEntry(product, price, cost))
            for warehouse in self.warehouses:
                if warehouse is self.warehouses[1] and rng.random() < 0.5:
                    continue
                quantity = Decimal(rng.randint(0, 400))
                self.add(
                    "assets",
                    Asset(
                        kind=AssetKind.INVENTORY,
                        product=product,
                        facility=warehouse,
                        lot=f"LOT-{self.as_of.year}-{rng.randint(100, 999)}",
                        quantity_on_hand=quantity,
                        acquire_cost=round_money(quantity * cost, "USD"),
                        currency="USD",
                    ),
                )
        for name, price, code in cat.SERVICES:
            n += 1
            product = self.product(ProductKind.SERVICE, name, code, n, returnable=False)
            self.services.append(
                CatalogueEntry(product, price, (price * Decimal("0.45")).quantize(Decimal("0.01")))
            )
        for name, _price, code in cat.DIGITAL:
            n += 1
            self.product(ProductKind.DIGITAL, name, code, n, returnable=False)
        for name, cost, code in cat.EQUIPMENT:
            n += 1
            product = self.product(ProductKind.GOOD, name, code, n, returnable=False, taxable=False)
            for _ in range(rng.randint(1, 2)):
                self.add(
                    "assets",
                    Asset(
                        kind=AssetKind.EQUIPMENT,
                        product=product,
                        facility=rng.choice([*self.warehouses, self.office]),
                        serial_number=f"SN-{rng.randint(100000, 999999)}",
                        quantity_on_hand=Decimal(1),
                        acquire_cost=cost,
                        currency="USD",
                    ),
                )
        supplies = self.goods[-1].product  # sealant: consumables kept at the office
        self.add(
            "assets",
            Asset(
                kind=AssetKind.SUPPLIES,
                product=supplies,
                facility=self.office,
                quantity_on_hand=Decimal(rng.randint(10, 60)),
                currency="USD",
            ),
        )

    def plan_templates(self) -> None:
        for name, description, job_kind, items in cat.TEMPLATES:
            template = self.add(
                "task templates",
                TaskTemplate(name=self.unique("template", name), description=description),
            )
            planned = Template(template, job_kind, [])
            for sequence, (title, anchor, offset, duration, hours, priority, marker) in enumerate(items, 1):
                item = self.add(
                    "task template items",
                    TaskTemplateItem(
                        template=template,
                        sequence=sequence,
                        title=title,
                        anchor=anchor,
                        offset_days=offset,
                        duration_days=duration,
                        estimated_hours=hours,
                        priority=priority,
                    ),
                )
                planned.items.append(item)
                if marker:
                    planned.markers[sequence] = marker
            self.templates[name] = planned
