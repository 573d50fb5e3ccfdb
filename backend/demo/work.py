"""Jobs with their budgets, tasks from templates, time entries and the costs they produce."""

import math
from datetime import date, timedelta
from decimal import Decimal

from backend.common.money import round_money
from backend.orders.models import OrderKind, OrderStatus
from backend.work.models import ApprovalStatus, CostKind, Job, JobCost, Task, TemplateAnchor, TimeEntry
from backend.work.statuses import WorkStatus

from . import catalogue as cat
from .generator import QUARTER_HOUR, DemoCompany, JobPlan, OrderPlan, TaskPlan, Template, Worker

STARTED = {WorkStatus.IN_PROGRESS, WorkStatus.ON_HOLD, WorkStatus.COMPLETE, WorkStatus.CLOSED}
FINISHED = {WorkStatus.COMPLETE, WorkStatus.CLOSED}
MAX_ENTRY_HOURS = Decimal(8)


def schedule(demo: DemoCompany, template: Template, start: date, end: date):
    """(item, start, due) per template item, as apply_task_template computes them."""
    previous_start = previous_due = None
    result = []
    for item in template.items:
        anchor = {
            TemplateAnchor.JOB_START: start,
            TemplateAnchor.JOB_END: end,
            TemplateAnchor.PREVIOUS_TASK_START: previous_start,
            TemplateAnchor.PREVIOUS_TASK_END: previous_due,
        }[item.anchor]
        task_start = demo.business_days(anchor, item.offset_days)
        due = demo.business_days(task_start, item.duration_days)
        result.append((item, task_start, due))
        previous_start, previous_due = task_start, due
    return result


def approval(demo: DemoCompany, day: date) -> str:
    roll = demo.rng.random()
    if day < demo.as_of - timedelta(days=14):
        if roll < 0.93:
            return ApprovalStatus.APPROVED
        return ApprovalStatus.REJECTED if roll < 0.97 else ApprovalStatus.PENDING
    return ApprovalStatus.PENDING if roll < 0.7 else ApprovalStatus.APPROVED


def _job_status(demo: DemoCompany, start: date, end: date, cancelled: bool) -> str:
    as_of, roll = demo.as_of, demo.rng.random()
    if cancelled:
        return WorkStatus.CANCELLED
    if end < as_of:
        return WorkStatus.CLOSED if end < as_of - timedelta(days=45) and roll < 0.6 else WorkStatus.COMPLETE
    if start >= as_of:
        return WorkStatus.APPROVED if roll < 0.5 else WorkStatus.PLANNING
    return WorkStatus.ON_HOLD if roll < 0.08 else WorkStatus.IN_PROGRESS


def _task_status(demo: DemoCompany, job: Job, start: date, due: date) -> str:
    as_of, roll = demo.as_of, demo.rng.random()
    if job.status in (WorkStatus.CANCELLED, WorkStatus.COMPLETE, WorkStatus.CLOSED):
        return job.status
    if job.status in (WorkStatus.PLANNING, WorkStatus.APPROVED) or start >= as_of:
        return (
            WorkStatus.APPROVED if job.status != WorkStatus.PLANNING and roll < 0.5 else WorkStatus.PLANNING
        )
    if due < as_of and roll < 0.85:
        return WorkStatus.COMPLETE
    return WorkStatus.ON_HOLD if job.status == WorkStatus.ON_HOLD else WorkStatus.IN_PROGRESS


def plan_job(
    demo: DemoCompany,
    plan: OrderPlan,
    *,
    template: str,
    kind: str,
    name: str,
    start: date,
    duration: int,
    revenue: Decimal,
    parent: Job | None,
    cancelled: bool,
) -> JobPlan:
    rng, currency = demo.rng, plan.currency
    planned = demo.templates[template]
    start = demo.business_days(start, 0)
    # The job lasts at least as long as its chained tasks.
    chained = [due for item, _, due in schedule(demo, planned, start, start) if item.anchor != "JOB_END"]
    end = max(demo.business_days(start, duration), *chained)
    estimated = sum(item.estimated_hours for item in planned.items)
    hours = (estimated * rng.randint(100, 130) / 50).quantize(Decimal(1)) / 2
    rate = cat.CURRENCY_RATES[currency]
    material = revenue * Decimal("0.3") if revenue else plan.order.total
    job = demo.add(
        "sub-jobs" if parent else "jobs",
        Job(
            order=plan.order,
            parent=parent,
            kind=kind,
            name=name[:255],
            status=_job_status(demo, start, end, cancelled),
            budgeted_cost=round_money(hours * 60 * rate + material, currency),
            budgeted_revenue=revenue,
            budgeted_hours=hours.quantize(Decimal("0.01")),
            start_date=start,
            end_date=end,
        ),
    )
    job_plan = JobPlan(job, planned)
    plan.jobs.append(job_plan)
    for item, task_start, due in schedule(demo, planned, start, end):
        worker = demo.pick_worker()
        task = demo.add(
            "tasks",
            Task(
                job=job,
                title=item.title,
                description=item.description,
                status=_task_status(demo, job, task_start, due),
                priority=item.priority,
                assignee=worker.party,
                due_date=due,
                estimated_hours=item.estimated_hours,
                template_item=item,
            ),
        )
        job_plan.tasks.append(TaskPlan(task, task_start, planned.markers.get(item.sequence, "")))
        _plan_time(demo, plan, job, task, worker, task_start)
    if not cancelled:
        _plan_costs(demo, plan, job)
    return job_plan


def _plan_time(demo: DemoCompany, plan: OrderPlan, job: Job, task: Task, worker: Worker, start: date) -> None:
    """Time entries on a started task, each with the TIME cost it produces on the task's job."""
    if task.status not in STARTED:
        return
    rng, currency = demo.rng, plan.currency
    last = min(task.due_date, demo.last_business_day_before(demo.as_of))
    days = [
        day
        for day in (start + timedelta(days=n) for n in range((last - start).days + 1))
        if day.weekday() < 5
    ]
    estimated = task.estimated_hours or Decimal(1)
    factor = Decimal(rng.randint(60, 140) if task.status in FINISHED else rng.randint(20, 80)) / 100
    target = max(QUARTER_HOUR, estimated * factor)
    count = rng.randint(1, 3) + int(target // 6)
    count = min(12, max(count, math.ceil(target / MAX_ENTRY_HOURS)))
    share = target / count
    billable_job = plan.order.kind == OrderKind.SALES
    total = Decimal(0)
    for day in sorted(rng.choice(days) for _ in range(count)):
        hours = (share * rng.randint(80, 120) / 100 / QUARTER_HOUR).quantize(Decimal(1)) * QUARTER_HOUR
        hours = min(MAX_ENTRY_HOURS, max(QUARTER_HOUR, hours))
        breaks = Decimal("0.5") if hours > 5 else Decimal(0)
        who = worker if rng.random() < 0.8 else demo.pick_worker()
        from_at = demo.at(day, rng.choice((8, 9, 10, 13)), rng.choice((0, 15, 30, 45)))
        entry = demo.add(
            "time entries",
            TimeEntry(
                task=task,
                party=who.party,
                from_at=from_at,
                thru_at=from_at + timedelta(hours=float(hours + breaks)),
                hours=hours,
                break_hours=breaks,
                cost_rate=demo.unit_price(who.cost_rate, currency),
                bill_rate=demo.unit_price(who.bill_rate, currency),
                currency=currency,
                billable=billable_job and rng.random() < 0.85,
            ),
        )
        demo.add(
            "time costs",
            JobCost(
                job=job,
                kind=CostKind.TIME,
                description=f"Time: {task.title}"[:255],
                quantity=entry.hours,
                unit_cost=entry.cost_rate,
                amount=round_money(entry.hours * entry.cost_rate, currency),
                currency=currency,
                billable=entry.billable,
                approval_status=approval(demo, day),
                party=who.party,
                incurred_on=day,
                source_time_entry=entry,
            ),
        )
        total += hours
    task.actual_hours = total


def _cost_day(demo: DemoCompany, job: Job) -> date:
    rng = demo.rng
    if job.start_date >= demo.as_of:
        return demo.as_of - timedelta(days=rng.randint(1, 10))  # bought ahead of the work
    last = min(job.end_date, demo.as_of - timedelta(days=1))
    return job.start_date + timedelta(days=rng.randint(0, (last - job.start_date).days))


def _cost(
    demo: DemoCompany, job: Job, currency: str, quantity: Decimal, unit_cost: Decimal, **fields
) -> JobCost:
    day = fields.pop("incurred_on", None) or _cost_day(demo, job)
    if "approval_status" not in fields:
        fields["approval_status"] = approval(demo, day)
    return demo.add(
        "job costs",
        JobCost(
            job=job,
            quantity=quantity,
            unit_cost=unit_cost,
            amount=round_money(quantity * unit_cost, currency),
            currency=currency,
            incurred_on=day,
            **fields,
        ),
    )


def _plan_costs(demo: DemoCompany, plan: OrderPlan, job: Job) -> None:
    rng, currency = demo.rng, plan.currency
    purchase = plan.order.kind == OrderKind.PURCHASE
    for _ in range(0 if purchase else rng.randint(2, 5)):
        entry = rng.choice(demo.goods)
        _cost(
            demo,
            job,
            currency,
            Decimal(rng.randint(1, 24)),
            demo.unit_price(entry.cost, currency),
            kind=CostKind.MATERIAL,
            description=entry.product.name,
            party=rng.choice(demo.suppliers),
            billable=True,
        )
    for _ in range(rng.randint(1, 2) if purchase else rng.randint(0, 3)):
        worker = demo.pick_worker()
        if not purchase and rng.random() < 0.2:
            quantity, unit_cost = Decimal(rng.randint(20, 300)), demo.unit_price(cat.MILEAGE_RATE, currency)
            description = "Mileage"
        else:
            description, low, high = cat.EXPENSES[-1] if purchase else rng.choice(cat.EXPENSES)
            usd = low + (high - low) * Decimal(rng.randint(0, 100)) / 100
            quantity, unit_cost = Decimal(1), demo.money(usd, currency)
        _cost(
            demo,
            job,
            currency,
            quantity,
            unit_cost,
            kind=CostKind.EXPENSE,
            description=description,
            party=worker.party,
            billable=not purchase and rng.random() < 0.6,
        )


def plan_purchase_costs(demo: DemoCompany, plan: OrderPlan, sales_job: JobPlan) -> None:
    """Each purchase line is a PURCHASE cost of the sales job it was bought for."""
    order = plan.order
    done = order.status == OrderStatus.COMPLETED
    if done:
        day = plan.jobs[0].job.end_date
    elif order.placed_at:
        day = order.placed_at.date()
    else:
        day = plan.entered_at.date()
    for item in plan.items:
        _cost(
            demo,
            sales_job.job,
            plan.currency,
            item.quantity,
            item.unit_price,
            kind=CostKind.PURCHASE,
            description=f"Purchase: {item.description}"[:255],
            party=plan.counterparty,
            billable=True,
            incurred_on=day,
            approval_status=ApprovalStatus.APPROVED if done else ApprovalStatus.PENDING,
            source_order_item=item,
        )
