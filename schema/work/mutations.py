import strawberry
from django.apps import apps
from strawberry.types import Info

from backend.orders.models import Order
from backend.parties.models import Party
from backend.work import services
from backend.work.models import Job, JobCost, Task, TaskTemplate, TimeEntry
from backend.work.transitions import transition_job_cost, transition_work
from permissions.access import grant_to_creator, require_add

from ..crud import create_mutation, delete_mutation, fresh, update_mutation
from ..enums import ApprovalStatusEnum, WorkStatusEnum
from ..errors import UserError, run_mutation
from ..ids import NODE_MODELS, load
from ..inputs import actor, check_list_size, input_values
from ..payloads import payload
from ..status import transition_input, transition_mutation
from .inputs import (
    JobCostCreateInput,
    JobCostUpdateInput,
    JobCreateInput,
    JobUpdateInput,
    TaskCreateInput,
    TaskTemplateApplyInput,
    TaskTemplateCreateInput,
    TaskTemplateUpdateInput,
    TaskUpdateInput,
    TimeEntryCreateInput,
    TimeEntryUpdateInput,
)
from .types import JobCostType, JobType, TaskTemplateType, TaskType, TimeEntryType

JOB_REFS = {"order_id": Order, "parent_id": Job}
COST_REFS = {"job_id": Job, "party_id": Party}
TASK_REFS = {"assignee_id": Party}
TIME_REFS = {"task_id": Task, "party_id": Party}
ALL_NODE_MODELS = tuple(apps.get_model(label) for label in NODE_MODELS.values())

TaskCreatePayload = payload("TaskCreatePayload", "task", TaskType)
TaskTemplateCreatePayload = payload("TaskTemplateCreatePayload", "task_template", TaskTemplateType)
TaskTemplateUpdatePayload = payload("TaskTemplateUpdatePayload", "task_template", TaskTemplateType)


@strawberry.type(description="The tasks a template created, or why it created none.")
class TaskTemplateApplyPayload:
    tasks: list[TaskType] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


def load_task_target(info: Info, global_id):
    """Any record the viewer may change; whether it can carry tasks is the service's rule."""
    return load(info, global_id, ALL_NODE_MODELS, field="targetId", action="change")


def _create_job_cost(*, actor, job, **fields):
    return services.create_job_cost(
        actor=actor, job=job, **{k: v for k, v in fields.items() if v is not None}
    )


def _log_time(*, actor, task, party, **fields):
    return services.log_time(
        actor=actor, task=task, party=party, **{k: v for k, v in fields.items() if v is not None}
    )


def _template_items(input) -> list[dict] | None:
    if input.items is strawberry.UNSET or input.items is None:
        return None
    check_list_size(input.items, "items")
    return [{**vars(item), "anchor": item.anchor.value} for item in input.items]


@strawberry.type
class WorkMutation:
    job_create = create_mutation(
        Job, JobCreateInput, payload("JobCreatePayload", "job", JobType), "job", refs=JOB_REFS
    )
    job_update = update_mutation(
        Job, JobUpdateInput, payload("JobUpdatePayload", "job", JobType), "job", refs=JOB_REFS
    )
    job_delete = delete_mutation(Job)
    job_cost_create = create_mutation(
        JobCost,
        JobCostCreateInput,
        payload("JobCostCreatePayload", "job_cost", JobCostType),
        "job_cost",
        refs=COST_REFS,
        service=_create_job_cost,
    )
    job_cost_update = update_mutation(
        JobCost,
        JobCostUpdateInput,
        payload("JobCostUpdatePayload", "job_cost", JobCostType),
        "job_cost",
        refs=COST_REFS,
        service=services.update_job_cost,
    )
    job_cost_delete = delete_mutation(JobCost, service=services.delete_job_cost)

    @strawberry.mutation(description="Attach a task to a record.")
    def task_create(self, info: Info, input: TaskCreateInput) -> TaskCreatePayload:
        def act():
            user = actor(info)
            target = load_task_target(info, input.target_id)
            values = input_values(info, input, TASK_REFS, skip={"target_id"})
            return fresh(services.create_task(actor=user, target=target, **values))

        task, errors = run_mutation(act, model=Task)
        return TaskCreatePayload(task=task, errors=errors)

    task_update = update_mutation(
        Task, TaskUpdateInput, payload("TaskUpdatePayload", "task", TaskType), "task", refs=TASK_REFS
    )
    task_delete = delete_mutation(Task)
    time_entry_create = create_mutation(
        TimeEntry,
        TimeEntryCreateInput,
        payload("TimeEntryCreatePayload", "time_entry", TimeEntryType),
        "time_entry",
        refs=TIME_REFS,
        service=_log_time,
        description="Log time on a task; on a task under a job it becomes a TIME cost of that job.",
    )
    time_entry_update = update_mutation(
        TimeEntry,
        TimeEntryUpdateInput,
        payload("TimeEntryUpdatePayload", "time_entry", TimeEntryType),
        "time_entry",
        service=services.update_time_entry,
    )
    time_entry_delete = delete_mutation(TimeEntry, service=services.delete_time_entry)

    @strawberry.mutation(description="Create a task template (task group) with its items.")
    def task_template_create(self, info: Info, input: TaskTemplateCreateInput) -> TaskTemplateCreatePayload:
        def act():
            user = actor(info)
            require_add(user, TaskTemplate, {})
            items = _template_items(input)
            template = services.create_task_template(
                actor=user, name=input.name, description=input.description, items=items
            )
            grant_to_creator(user, template)
            return template

        template, errors = run_mutation(act, model=TaskTemplate)
        return TaskTemplateCreatePayload(task_template=template, errors=errors)

    @strawberry.mutation(description="Change a task template; items, when given, replace the old ones.")
    def task_template_update(self, info: Info, input: TaskTemplateUpdateInput) -> TaskTemplateUpdatePayload:
        def act():
            user = actor(info)
            template = load(info, input.id, TaskTemplate, action="change")
            values = input_values(info, input, skip={"items"})
            return services.update_task_template(
                template,
                actor=user,
                expected_version=input.expected_version,
                items=_template_items(input),
                **values,
            )

        template, errors = run_mutation(act, model=TaskTemplate)
        return TaskTemplateUpdatePayload(task_template=template, errors=errors)

    task_template_delete = delete_mutation(TaskTemplate)

    @strawberry.mutation(
        description="Create a template's tasks on a record, due dates counted in business days."
    )
    def task_template_apply(self, info: Info, input: TaskTemplateApplyInput) -> TaskTemplateApplyPayload:
        def act():
            user = actor(info)
            template = load(info, input.template_id, TaskTemplate, field="templateId")
            target = load_task_target(info, input.target_id)
            return services.apply_task_template(
                actor=user, template=template, target=target, anchor_date=input.anchor_date
            )

        tasks, errors = run_mutation(act, model=Task)
        return TaskTemplateApplyPayload(tasks=tasks or [], errors=errors)

    job_transition = transition_mutation(
        Job,
        transition_input("JobTransitionInput", WorkStatusEnum),
        payload("JobTransitionPayload", "job", JobType),
        "job",
        transition_work,
        "Move a job along the work flow.",
    )
    task_transition = transition_mutation(
        Task,
        transition_input("TaskTransitionInput", WorkStatusEnum),
        payload("TaskTransitionPayload", "task", TaskType),
        "task",
        transition_work,
        "Move a task along the work flow; starting and completing record its actual start and end.",
    )
    job_cost_transition = transition_mutation(
        JobCost,
        transition_input("JobCostTransitionInput", ApprovalStatusEnum),
        payload("JobCostTransitionPayload", "job_cost", JobCostType),
        "job_cost",
        transition_job_cost,
        "Approve or reject a job cost (needs MANAGE), or reopen a rejected one.",
    )
