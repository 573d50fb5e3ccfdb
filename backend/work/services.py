"""Jobs, job costs, tasks, templates and time. Derived numbers are recomputed from rows."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from backend.common.errors import CommonErrorCode
from backend.common.money import round_money
from backend.common.services import change, delete_record, lock, save_validated
from graph.hierarchy import TASK_TARGETS

from .errors import WorkErrorCode
from .models import (
    ApprovalStatus,
    CostKind,
    Job,
    JobCost,
    Task,
    TaskTemplate,
    TaskTemplateItem,
    TemplateAnchor,
    TimeEntry,
)

# -- job costs ---------------------------------------------------------------------------------


def _priced_cost(cost: JobCost) -> JobCost:
    if not cost.currency and cost.job_id:
        cost.currency = cost.job.order.currency
    if cost.quantity is not None and cost.unit_cost is not None and cost.currency:
        cost.amount = round_money(cost.quantity * cost.unit_cost, cost.currency)
    return cost


@transaction.atomic
def create_job_cost(*, actor, job: Job, **fields) -> JobCost:
    return save_validated(_priced_cost(JobCost(job=job, **fields)))


def _refuse_generated(cost: JobCost) -> None:
    if cost.source_time_entry_id:
        raise ValidationError(
            "This cost comes from a time entry; change the time entry instead.",
            code=WorkErrorCode.GENERATED_COST,
        )


@transaction.atomic
def update_job_cost(cost: JobCost, *, actor, expected_version: int | None = None, **changes) -> JobCost:
    cost = change(cost, expected_version, changes)
    _refuse_generated(cost)
    return save_validated(_priced_cost(cost))


@transaction.atomic
def delete_job_cost(cost: JobCost, *, actor, expected_version: int | None = None) -> None:
    _refuse_generated(cost)
    delete_record(cost, actor=actor, expected_version=expected_version)


# -- tasks -------------------------------------------------------------------------------------


def target_field(target) -> str:
    field = TASK_TARGETS.get(target._meta.label)
    if field is None:
        raise ValidationError(
            {
                "target": ValidationError(
                    f"A {target._meta.verbose_name} cannot carry tasks.",
                    code=WorkErrorCode.CANNOT_CARRY_TASKS,
                )
            }
        )
    return field


@transaction.atomic
def create_task(*, actor, target, **fields) -> Task:
    return save_validated(Task(**{target_field(target): target}, **fields))


# -- task templates ----------------------------------------------------------------------------


def _save_template_items(template: TaskTemplate, items: list[dict]) -> None:
    if not items:
        raise ValidationError(
            {"items": ValidationError("A template needs items.", code=WorkErrorCode.EMPTY_TEMPLATE)}
        )
    template.items.all().delete()
    for index, fields in enumerate(items):
        item = TaskTemplateItem(template=template, sequence=index + 1, **fields)
        try:
            item.full_clean(exclude=["template"])
            if not 1 <= item.priority <= 9:
                raise ValidationError(
                    {
                        "priority": ValidationError(
                            "Priority runs from 1 to 9.", code=CommonErrorCode.OUT_OF_RANGE
                        )
                    }
                )
        except ValidationError as exc:
            # Report the field as the client sent it: items.<index>.<field>.
            raise ValidationError(
                {f"items.{index}.{name}": errors for name, errors in exc.error_dict.items()}
            ) from None
        item.save()


@transaction.atomic
def create_task_template(*, actor, items: list[dict], **fields) -> TaskTemplate:
    template = save_validated(TaskTemplate(**fields))
    _save_template_items(template, items)
    return template


@transaction.atomic
def update_task_template(
    template: TaskTemplate,
    *,
    actor,
    expected_version: int | None = None,
    items: list[dict] | None = None,
    **changes,
) -> TaskTemplate:
    template = save_validated(change(template, expected_version, changes))
    if items is not None:
        _save_template_items(template, items)
    return template


def add_business_days(start: date, days: int) -> date:
    """Move by working days (Monday to Friday), forwards or backwards."""
    step = 1 if days >= 0 else -1
    current, remaining = start, abs(days)
    while current.weekday() >= 5:  # an anchor on a weekend counts from the next Monday
        current += timedelta(days=1)
    while remaining:
        current += timedelta(days=step)
        if current.weekday() < 5:
            remaining -= 1
    return current


def _job_of(target) -> Job | None:
    if isinstance(target, Job):
        return target
    if isinstance(target, JobCost):
        return target.job
    return None


@transaction.atomic
def apply_task_template(
    *, actor, template: TaskTemplate, target, anchor_date: date | None = None
) -> list[Task]:
    """Create the template's tasks on `target`, due dates offset in business days from an anchor."""
    field = target_field(target)
    items = list(template.items.order_by("sequence", "id"))
    if not items:
        raise ValidationError(
            {"template": ValidationError("The template has no items.", code=WorkErrorCode.EMPTY_TEMPLATE)}
        )
    job = _job_of(target)
    tasks: list[Task] = []
    previous_start = previous_due = None
    for item in items:
        anchor = {
            TemplateAnchor.JOB_START: job and job.start_date,
            TemplateAnchor.JOB_END: job and job.end_date,
            TemplateAnchor.PREVIOUS_TASK_START: previous_start,
            TemplateAnchor.PREVIOUS_TASK_END: previous_due,
            TemplateAnchor.ANCHOR_DATE: anchor_date,
        }[item.anchor] or anchor_date
        if anchor is None:
            raise ValidationError(
                {
                    "anchor_date": ValidationError(
                        f"Task {item.sequence} ({item.title!r}) is anchored to {item.get_anchor_display().lower()}, "
                        "which is not set; give an anchor date.",
                        code=WorkErrorCode.ANCHOR_DATE_REQUIRED,
                    )
                }
            )
        start = add_business_days(anchor, item.offset_days)
        due = add_business_days(start, item.duration_days)
        task = Task(
            **{field: target},
            title=item.title,
            description=item.description,
            priority=item.priority,
            estimated_hours=item.estimated_hours,
            due_date=due,
            template_item=item,
        )
        tasks.append(save_validated(task))
        previous_start, previous_due = start, due
    return tasks


# -- time entries ------------------------------------------------------------------------------


def derive_time_span(entry: TimeEntry) -> TimeEntry:
    """Fill the one missing of from / thru / hours: thru = from + hours + breaks."""
    breaks = entry.break_hours or Decimal(0)
    for name in ("hours", "break_hours"):
        value = getattr(entry, name)
        if value is not None and value < 0:
            raise ValidationError(
                {name: ValidationError("Must not be negative.", code=CommonErrorCode.NEGATIVE)}
            )
    if entry.from_at and entry.thru_at and entry.hours is None:
        worked = Decimal((entry.thru_at - entry.from_at).total_seconds()) / 3600 - breaks
        entry.hours = worked.quantize(Decimal("0.01"))
    elif entry.from_at and entry.hours is not None and not entry.thru_at:
        entry.thru_at = entry.from_at + timedelta(hours=float(entry.hours + breaks))
    elif entry.thru_at and entry.hours is not None and not entry.from_at:
        entry.from_at = entry.thru_at - timedelta(hours=float(entry.hours + breaks))
    errors = {}
    if entry.from_at and entry.thru_at and entry.hours is not None and entry.hours >= 0:
        span = Decimal((entry.thru_at - entry.from_at).total_seconds()) / 3600
        if abs(span - entry.hours - breaks) > Decimal("0.01"):
            errors["hours"] = ValidationError(
                "From, thru, hours and breaks do not add up; give only two of from, thru and hours.",
                code=WorkErrorCode.TIME_RANGE,
            )
    if entry.from_at and entry.thru_at and entry.thru_at < entry.from_at:
        errors["thru_at"] = ValidationError("Ends before it starts.", code=WorkErrorCode.TIME_RANGE)
    elif entry.hours is not None and entry.hours < 0:
        errors["hours"] = ValidationError(
            "The breaks are longer than the time between from and thru.",
            code=WorkErrorCode.TIME_RANGE,
        )
    if entry.from_at is None or entry.thru_at is None or entry.hours is None:
        errors["hours"] = ValidationError("Give two of from, thru and hours.", code=CommonErrorCode.REQUIRED)
    job = entry.task.owning_job if entry.task_id else None
    if job is not None:
        if entry.currency and entry.currency != job.order.currency:
            errors["currency"] = ValidationError(
                f"Time on this task is costed in its job's currency ({job.order.currency}).",
                code=CommonErrorCode.CURRENCY_MISMATCH,
            )
        entry.currency = entry.currency or job.order.currency
    if entry.party_id and entry.party.disabled:
        errors["party"] = ValidationError("This worker is disabled.", code=WorkErrorCode.WORKER_DISABLED)
    if errors:
        raise ValidationError(errors)
    return entry


def _refuse_if_cost_approved(entry: TimeEntry) -> None:
    # An approved amount must not change under the approver: reject or re-open the cost first.
    if JobCost.objects.filter(source_time_entry=entry, approval_status=ApprovalStatus.APPROVED).exists():
        raise ValidationError(
            "The TIME cost of this entry is approved; it can no longer change.",
            code=WorkErrorCode.COST_APPROVED,
        )


def _sync_time_cost(entry: TimeEntry) -> None:
    """A time entry on a task under a job is a TIME cost of that job, kept in step with it."""
    job = entry.task.owning_job
    cost = JobCost.objects.filter(source_time_entry=entry).first()
    if job is None:
        if cost:
            cost.delete()
        return
    cost = cost or JobCost(source_time_entry=entry, kind=CostKind.TIME)
    cost.job = job
    cost.currency = job.order.currency
    cost.description = f"Time: {entry.task.title}"[:255]
    cost.quantity = entry.hours
    cost.unit_cost = entry.cost_rate
    cost.billable = entry.billable
    cost.party = entry.party
    cost.incurred_on = entry.from_at.date()
    if cost.pk:
        cost.version += 1
    save_validated(_priced_cost(cost))


def _sync_task_hours(task: Task) -> None:
    hours = TimeEntry.objects.filter(task=task).aggregate(s=Sum("hours"))["s"] or Decimal(0)
    Task.objects.filter(pk=task.pk).update(actual_hours=hours)
    task.actual_hours = hours


@transaction.atomic
def log_time(*, actor, task: Task, party, **fields) -> TimeEntry:
    task = lock(task)
    entry = save_validated(derive_time_span(TimeEntry(task=task, party=party, **fields)))
    _sync_time_cost(entry)
    _sync_task_hours(task)
    return entry


@transaction.atomic
def update_time_entry(
    entry: TimeEntry, *, actor, expected_version: int | None = None, **changes
) -> TimeEntry:
    task = lock(entry.task)
    entry = change(entry, expected_version, changes)
    _refuse_if_cost_approved(entry)
    # Re-derive the part of the span the client did not send from what it did.
    if "thru_at" in changes and "hours" not in changes:
        entry.hours = None
    elif {"from_at", "hours", "break_hours"} & changes.keys() and "thru_at" not in changes:
        entry.thru_at = None
    save_validated(derive_time_span(entry))
    _sync_time_cost(entry)
    _sync_task_hours(task)
    return entry


@transaction.atomic
def delete_time_entry(entry: TimeEntry, *, actor, expected_version: int | None = None) -> None:
    task = lock(entry.task)
    _refuse_if_cost_approved(entry)
    delete_record(entry, actor=actor, expected_version=expected_version)
    _sync_task_hours(task)
