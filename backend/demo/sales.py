"""Projects, sales orders and purchase orders with their parts, lines and jobs."""

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from backend.common.money import minor_unit, round_money
from backend.orders.models import Order, OrderItem, OrderKind, OrderPart, OrderStatus
from backend.projects.models import Project
from backend.work.models import JobKind
from backend.work.statuses import WorkStatus

from . import catalogue as cat
from .generator import Customer, DemoCompany, OrderPlan
from .work import plan_job, plan_purchase_costs

STARTED = {WorkStatus.IN_PROGRESS, WorkStatus.ON_HOLD, WorkStatus.COMPLETE, WorkStatus.CLOSED}
FINISHED = {WorkStatus.COMPLETE, WorkStatus.CLOSED}
QUOTE_STAGE = (OrderStatus.OPEN, OrderStatus.REQUESTED, OrderStatus.PROPOSED)
DISCOUNTS = (Decimal(0), Decimal(0), Decimal("0.05"), Decimal("0.1"), Decimal("0.125"))
CHILD_JOBS = (("Installation", JobKind.STANDARD, 45), ("Consulting engagement", JobKind.STANDARD, 20))
CHILD_JOBS += (("Production run", JobKind.PRODUCTION, 35),)


def _new_order(demo: DemoCompany, plan_list: list, **fields) -> OrderPlan:
    order = demo.add("orders", Order(number=f"demo-pending-{len(demo.rows['orders'])}", **fields))
    carrier, _prefix = demo.rng.choice(demo.carriers)
    part = demo.add("order parts", OrderPart(order=order, name="Main", carrier=carrier))
    counterparty = fields["customer"] if fields["kind"] == OrderKind.SALES else fields["vendor"]
    plan = OrderPlan(order, part, counterparty)
    plan_list.append(plan)
    return plan


def _line(demo: DemoCompany, plan: OrderPlan, quantity: Decimal, unit_price: Decimal, **fields) -> OrderItem:
    item = OrderItem(order=plan.order, part=plan.part, quantity=quantity, unit_price=unit_price, **fields)
    item.total = round_money(quantity * unit_price, plan.currency)
    plan.items.append(demo.add("order items", item))
    return item


def _close_totals(plan: OrderPlan) -> None:
    total = sum((item.total for item in plan.items), Decimal(0))
    plan.order.total = plan.part.total = total


def _plan_sales_lines(demo: DemoCompany, plan: OrderPlan) -> None:
    rng, currency = demo.rng, plan.currency
    for index in range(rng.randint(2, 6)):
        roll = rng.random()
        discount = rng.choice(DISCOUNTS)
        if index == 0 or roll < 0.55:
            entry = rng.choice(demo.goods)
            quantity = Decimal(rng.randint(3, 40) if index == 0 else rng.randint(1, 30))
            price = demo.unit_price(entry.price * (1 - discount), currency)
            _line(demo, plan, quantity, price, product=entry.product, description=entry.product.name)
        elif roll < 0.9:
            entry = rng.choice(demo.services)
            hourly = "(hour)" in entry.product.name
            quantity = demo.hours(2, 60) if hourly else Decimal(rng.randint(1, 4))
            price = demo.unit_price(entry.price * (1 - discount), currency)
            _line(demo, plan, quantity, price, product=entry.product, description=entry.product.name)
        else:
            description, usd = rng.choice(cat.FREE_TEXT_LINES)
            price = demo.money(usd * Decimal(rng.randint(60, 160)) / 100, currency)
            _line(demo, plan, Decimal(1), price, description=description)
    _close_totals(plan)


def _split(total: Decimal, weights: list[Decimal], currency: str) -> list[Decimal]:
    """Shares of `total` proportional to `weights`, in whole minor units, adding up to `total`."""
    whole = sum(weights)
    shares = [(total * w / whole).quantize(minor_unit(currency), rounding=ROUND_DOWN) for w in weights[:-1]]
    return [*shares, total - sum(shares, Decimal(0))]


def _plan_sales_jobs(demo: DemoCompany, plan: OrderPlan, start: date, cancelled: bool) -> None:
    rng = demo.rng
    specs = [("Standard delivery", JobKind.ORDER, start)]
    names = [name for name, _, _ in CHILD_JOBS]
    weights = [weight for _, _, weight in CHILD_JOBS]
    for _ in range(rng.randint(1, 4)):
        template = rng.choices(names, weights)[0]
        kind = next(kind for name, kind, _ in CHILD_JOBS if name == template)
        specs.append((template, kind, demo.business_days(start, rng.randint(0, 10))))
    hours = [sum(i.estimated_hours for i in demo.templates[t].items) for t, _, _ in specs]
    revenues = _split(plan.order.total, hours, plan.currency)
    parent = None
    for (template, kind, job_start), revenue in zip(specs, revenues, strict=True):
        duration = rng.randint(8, 25) if kind == JobKind.ORDER else rng.randint(10, 30)
        job_plan = plan_job(
            demo,
            plan,
            template=template,
            kind=kind,
            name=f"{template}: {plan.order.name}" if parent else f"Deliver {plan.order.name}",
            start=job_start,
            duration=duration,
            revenue=revenue,
            parent=parent,
            cancelled=cancelled,
        )
        parent = parent or job_plan.job


def _order_dates(demo: DemoCompany, plan: OrderPlan, start: date) -> None:
    """Status and dates of an order (and its part) that agree with the state of its jobs."""
    rng, order, as_of = demo.rng, plan.order, demo.as_of
    statuses = [job.job.status for job in plan.jobs]
    placed = start - timedelta(days=rng.randint(3, 20))
    if plan.cancelled:
        status = OrderStatus.CANCELLED
    elif all(s in FINISHED for s in statuses):
        status = OrderStatus.COMPLETED
    elif any(s in STARTED for s in statuses):
        if WorkStatus.ON_HOLD in statuses:
            status = OrderStatus.HOLD
        else:
            status = rng.choice((OrderStatus.APPROVED, OrderStatus.PROCESSING, OrderStatus.SENT))
    elif placed <= as_of:
        status = rng.choice((OrderStatus.PLACED, OrderStatus.APPROVED))
    else:
        status = rng.choice(QUOTE_STAGE)
    if status in QUOTE_STAGE or placed > as_of:
        entered = as_of - timedelta(days=rng.randint(1, 15))
    else:
        entered = placed - timedelta(days=rng.randint(0, 5))
        order.placed_at = demo.at(placed, 10)
    if status not in (*QUOTE_STAGE, OrderStatus.PLACED, OrderStatus.CANCELLED):
        order.approved_at = demo.at(min(placed + timedelta(days=rng.randint(1, 2)), as_of), 15)
    if status == OrderStatus.COMPLETED:
        order.completed_at = demo.at(max(job.job.end_date for job in plan.jobs), 17)
    plan.entered_at = demo.at(entered, 8, 30)
    order.status = plan.part.status = status
    plan.part.ship_after = min(job.job.start_date for job in plan.jobs)
    plan.part.ship_before = max(job.job.end_date for job in plan.jobs) + timedelta(days=5)


def _project_status(demo: DemoCompany, orders: list[OrderPlan]) -> str:
    statuses = [plan.order.status for plan in orders]
    if all(s == OrderStatus.CANCELLED for s in statuses):
        return WorkStatus.CANCELLED
    if all(s in (OrderStatus.COMPLETED, OrderStatus.CANCELLED) for s in statuses):
        last = max(job.job.end_date for plan in orders for job in plan.jobs)
        return WorkStatus.CLOSED if last < demo.as_of - timedelta(days=60) else WorkStatus.COMPLETE
    if any(s not in (*QUOTE_STAGE, OrderStatus.PLACED, OrderStatus.CANCELLED) for s in statuses):
        return WorkStatus.IN_PROGRESS
    if any(s == OrderStatus.PLACED for s in statuses):
        return WorkStatus.APPROVED
    return WorkStatus.PLANNING


def plan_sales(demo: DemoCompany) -> None:
    rng = demo.rng
    customers = demo.customers
    owners: list[Customer] = []
    for n in range(demo.count(20)):
        owners.append(customers[n] if n < len(customers) else rng.choice(customers))
    order_counts = [1] * len(owners)
    for _ in range(demo.count(80) - len(owners)):
        order_counts[rng.randrange(len(owners))] += 1
    for seq, (customer, orders) in enumerate(zip(owners, order_counts, strict=True), 1):
        kind = rng.choice(cat.PROJECT_KINDS)
        first_word = customer.party.name.split()[0]
        project = demo.add(
            "projects",
            Project(
                code=demo.unique("project", f"{customer.initials}-{seq:03d}"),
                name=f"{first_word} {kind.lower()}",
                description=f"{kind} for {customer.party.name}.",
                customer=customer.party,
                internal_org=demo.internal,
                currency=customer.currency,
            ),
        )
        # Skewed towards recent starts: some history, a good share of running work, a pipeline.
        days_ago = int(300 * rng.random() ** 1.5) - 10
        project_start = demo.business_days(demo.as_of - timedelta(days=days_ago), 0)
        planned: list[OrderPlan] = []
        for _ in range(orders):
            start = demo.business_days(project_start, rng.randint(0, 60))
            plan = _new_order(
                demo,
                demo.sales_orders,
                name=rng.choice(cat.ORDER_NAMES),
                project=project,
                customer=customer.party,
                vendor=demo.internal,
                kind=OrderKind.SALES,
                currency=customer.currency,
            )
            plan.part.facility = rng.choice(demo.warehouses)
            plan.part.ship_to_address = customer.address
            plan.cancelled = rng.random() < 0.04
            _plan_sales_lines(demo, plan)
            _plan_sales_jobs(demo, plan, start, plan.cancelled)
            _order_dates(demo, plan, start)
            planned.append(plan)
        live = [plan for plan in planned if not plan.cancelled]
        sold = sum((plan.order.total for plan in live), Decimal(0))
        project.budget = (sold * Decimal("1.1") / 100).quantize(Decimal(1)) * 100
        project.start_date = min(job.job.start_date for plan in planned for job in plan.jobs)
        project.end_date = max(job.job.end_date for plan in planned for job in plan.jobs)
        project.status = _project_status(demo, planned)


def plan_purchase_orders(demo: DemoCompany) -> None:
    """Materials bought for running sales jobs: each line is a PURCHASE cost of that job."""
    rng = demo.rng
    candidates = [(plan, job) for plan in demo.sales_orders if not plan.cancelled for job in plan.jobs]
    if not candidates:
        return
    for _ in range(demo.count(20)):
        sale, sales_job = rng.choice(candidates)
        supplier = rng.choice(demo.suppliers)
        warehouse = rng.choice(demo.warehouses)
        plan = _new_order(
            demo,
            demo.purchase_orders,
            name=f"Materials for {sale.counterparty.name}"[:255],
            customer=demo.internal,
            vendor=supplier,
            kind=OrderKind.PURCHASE,
            currency=sale.currency,
        )
        plan.part.facility = warehouse
        plan.part.ship_to_address = warehouse.address
        for entry in rng.sample(demo.goods, rng.randint(1, 4)):
            quantity = Decimal(rng.randint(5, 100))
            price = demo.unit_price(entry.cost, plan.currency)
            _line(demo, plan, quantity, price, product=entry.product, description=entry.product.name)
        _close_totals(plan)
        start = demo.business_days(sales_job.job.start_date, -rng.randint(5, 15))
        plan_job(
            demo,
            plan,
            template="Procurement",
            kind=JobKind.STANDARD,
            name=f"Procure materials from {supplier.name}",
            start=start,
            duration=rng.randint(8, 15),
            revenue=Decimal(0),
            parent=None,
            cancelled=False,
        )
        _order_dates(demo, plan, start)
        plan_purchase_costs(demo, plan, sales_job)
