"""The task flow (projects, jobs, tasks) and the job cost approval flow."""

from django.utils import timezone

from backend.audit.flows import Flow
from backend.audit.services import transition
from backend.orders.transitions import complete_fulfilled_parts

from .models import ApprovalStatus as A
from .models import JobCost, Task
from .statuses import WorkStatus as S

WORK_FLOW = Flow(
    "work",
    [
        (S.PLANNING, S.APPROVED, "approve"),
        (S.PLANNING, S.IN_PROGRESS, "start"),
        (S.PLANNING, S.ON_HOLD, "hold"),
        (S.PLANNING, S.CANCELLED, "cancel"),
        (S.APPROVED, S.IN_PROGRESS, "start"),
        (S.APPROVED, S.ON_HOLD, "hold"),
        (S.APPROVED, S.PLANNING, "unapprove"),
        (S.APPROVED, S.CANCELLED, "cancel"),
        (S.IN_PROGRESS, S.ON_HOLD, "hold"),
        (S.IN_PROGRESS, S.COMPLETE, "complete"),
        (S.IN_PROGRESS, S.CANCELLED, "cancel"),
        (S.ON_HOLD, S.IN_PROGRESS, "resume"),
        (S.ON_HOLD, S.CANCELLED, "cancel"),
        (S.COMPLETE, S.IN_PROGRESS, "reopen"),
        (S.COMPLETE, S.CLOSED, "close"),
    ],
)

APPROVAL_FLOW = Flow(
    "job cost approval",
    [
        (A.PENDING, A.APPROVED, "approve", "manage"),
        (A.PENDING, A.REJECTED, "reject", "manage"),
        (A.REJECTED, A.PENDING, "reopen"),
    ],
    field="approval_status",
)


def _task_started(task: Task, actor) -> None:
    if task.actual_start is None:
        task.actual_start = timezone.now()
        Task.objects.filter(pk=task.pk).update(actual_start=task.actual_start)


def _task_completed(task: Task, actor) -> None:
    task.actual_end = timezone.now()
    Task.objects.filter(pk=task.pk).update(actual_end=task.actual_end)
    _task_done(task, actor)


def _task_done(task: Task, actor) -> None:
    order = task.order or (task.job.order if task.job_id else None)
    if order is not None:
        complete_fulfilled_parts(order)


def transition_work(record, *, to: str, actor, reason: str = "", expected_version=None):
    """Projects, jobs and tasks; a task records when it actually started and ended."""
    effects = (
        {
            S.IN_PROGRESS: _task_started,
            S.COMPLETE: _task_completed,
            S.CLOSED: _task_done,
            S.CANCELLED: _task_done,
        }
        if isinstance(record, Task)
        else None
    )
    return transition(
        record,
        flow=WORK_FLOW,
        to=to,
        actor=actor,
        reason=reason,
        expected_version=expected_version,
        side_effects=effects,
    )


def transition_job_cost(cost: JobCost, *, to: str, actor, reason: str = "", expected_version=None) -> JobCost:
    return transition(
        cost, flow=APPROVAL_FLOW, to=to, actor=actor, reason=reason, expected_version=expected_version
    )
