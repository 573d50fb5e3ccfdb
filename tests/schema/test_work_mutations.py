"""Jobs, costs, tasks, time and templates through GraphQL."""

from datetime import date
from decimal import Decimal

import pytest

from backend.work.models import CostKind, JobCost, Task, TimeEntry

from ..factories import gid

pytestmark = pytest.mark.django_db


def codes(payload):
    return [(e["code"], e["field"]) for e in payload["errors"]]


def test_job_under_a_parent_of_another_order_is_refused(gql, company):
    order, other = company.order(company.project()), company.order(company.project())
    parent = company.job(other)
    payload = gql.mutate(
        "jobCreate",
        {"orderId": gid("Order", order.pk), "parentId": gid("Job", parent.pk), "name": "Sub"},
        "job { id }",
    )
    assert payload["job"] is None
    assert codes(payload) == [("PARENT_MISMATCH", "parentId")]
    assert not order.jobs.exists()


def test_job_budget_in_the_order_currency(gql, company):
    order = company.order(currency="JPY", lines=[])
    payload = gql.mutate(
        "jobCreate",
        {"orderId": gid("Order", order.pk), "name": "Build", "budgetedCost": "1000.5"},
        "job { id }",
    )
    assert codes(payload) == [("TOO_MANY_DECIMALS", "budgetedCost")]
    ok = gql.mutate(
        "jobCreate",
        {"orderId": gid("Order", order.pk), "name": "Build", "budgetedCost": "1000", "budgetedHours": "12.5"},
        "job { budgetedCost { amount currency } budgetedHours order { number } }",
    )
    assert ok["job"] == {
        "budgetedCost": {"amount": "1000", "currency": "JPY"},
        "budgetedHours": "12.50",
        "order": {"number": order.number},
    }


def test_job_cost_amount_is_derived(gql, company):
    job = company.job(company.order())
    payload = gql.mutate(
        "jobCostCreate",
        {"jobId": gid("Job", job.pk), "kind": "MATERIAL", "quantity": "3", "unitCost": "1.115"},
        "jobCost { amount { amount currency } unitCost { amount } approvalStatus }",
    )
    assert payload["jobCost"] == {
        "amount": {"amount": "3.35", "currency": "USD"},  # 3.345 rounds half-up
        "unitCost": {"amount": "1.115"},
        "approvalStatus": "PENDING",
    }
    wrong = gql.mutate(
        "jobCostCreate",
        {"jobId": gid("Job", job.pk), "kind": "MATERIAL", "unitCost": "1", "currency": "EUR"},
        "jobCost { id }",
    )
    assert codes(wrong) == [("CURRENCY_MISMATCH", "currency")]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("project", "Project"),
        ("order", "Order"),
        ("job", "Job"),
        ("cost", "JobCost"),
        ("party", "Party"),
        ("shipment", "Shipment"),
    ],
)
def test_a_task_attaches_to_any_record_that_carries_tasks(gql, company, target, expected):
    project = company.project()
    order = company.order(project)
    job = company.job(order)
    records = {
        "project": ("Project", project.pk),
        "order": ("Order", order.pk),
        "job": ("Job", job.pk),
        "cost": ("JobCost", company.cost(job).pk),
        "party": ("Party", company.customer.pk),
        "shipment": ("Shipment", company.shipment(order).pk),
    }
    payload = gql.mutate(
        "taskCreate",
        {"targetId": gid(*records[target]), "title": "Call back", "priority": 3},
        "task { title priority status target { __typename ... on Node { id } } }",
    )
    assert payload["errors"] == []
    assert payload["task"]["target"] == {"__typename": expected, "id": gid(*records[target])}
    assert payload["task"]["status"] == "PLANNING"


def test_a_record_that_cannot_carry_tasks_is_refused(gql, company):
    item = company.order().items.first()
    payload = gql.mutate(
        "taskCreate", {"targetId": gid("OrderItem", item.pk), "title": "Nope"}, "task { id }"
    )
    assert codes(payload) == [("CANNOT_CARRY_TASKS", "targetId")]
    bad_priority = gql.mutate(
        "taskCreate",
        {"targetId": gid("Party", company.customer.pk), "title": "x", "priority": 12},
        "task { id }",
    )
    assert codes(bad_priority) == [("OUT_OF_RANGE", "priority")]
    assert not Task.objects.exists()


TIME = "timeEntry { id fromAt thruAt hours costRate { amount currency } jobCost { kind amount { amount } } task { actualHours } }"


def test_time_on_a_task_under_a_job_is_a_time_cost(gql, company):
    job = company.job(company.order())
    task = company.task(job)
    payload = gql.mutate(
        "timeEntryCreate",
        {
            "taskId": gid("Task", task.pk),
            "partyId": gid("Party", company.employee.pk),
            "fromAt": "2026-03-02T09:00:00+00:00",
            "hours": "2.5",
            "breakHours": "0.5",
            "costRate": "40",
        },
        TIME,
    )
    assert payload["errors"] == []
    entry = payload["timeEntry"]
    assert entry["thruAt"] == "2026-03-02T12:00:00+00:00"  # from + hours + breaks
    assert entry["jobCost"] == {"kind": "TIME", "amount": {"amount": "100.00"}}
    assert entry["costRate"] == {"amount": "40.00", "currency": "USD"}
    assert entry["task"]["actualHours"] == "2.50"

    changed = gql.mutate("timeEntryUpdate", {"id": entry["id"], "hours": "4"}, TIME)
    assert changed["errors"] == []
    assert changed["timeEntry"]["thruAt"] == "2026-03-02T13:30:00+00:00"
    assert changed["timeEntry"]["jobCost"]["amount"] == {"amount": "160.00"}
    assert changed["timeEntry"]["task"]["actualHours"] == "4.00"

    cost = JobCost.objects.get(kind=CostKind.TIME)
    refused = gql.mutate("jobCostUpdate", {"id": gid("JobCost", cost.pk), "unitCost": "1"}, "jobCost { id }")
    assert codes(refused) == [("GENERATED_COST", None)]

    gql.mutate("timeEntryDelete", {"id": entry["id"]}, "deletedId")
    task.refresh_from_db()
    assert task.actual_hours == Decimal(0)
    assert not JobCost.objects.filter(kind=CostKind.TIME).exists()


def test_time_derives_hours_from_the_span(gql, company):
    task = company.task(company.customer)
    payload = gql.mutate(
        "timeEntryCreate",
        {
            "taskId": gid("Task", task.pk),
            "partyId": gid("Party", company.employee.pk),
            "fromAt": "2026-03-02T09:00:00+00:00",
            "thruAt": "2026-03-02T17:30:00+00:00",
            "breakHours": "0.5",
            "currency": "EUR",
        },
        "timeEntry { hours jobCost { id } }",
    )
    assert payload["timeEntry"] == {"hours": "8.00", "jobCost": None}  # not under a job: no cost


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"fromAt": "2026-03-02T09:00:00+00:00", "thruAt": "2026-03-02T08:00:00+00:00"},
            ("TIME_RANGE", "thruAt"),
        ),
        (
            {"fromAt": "2026-03-02T09:00:00+00:00", "thruAt": "2026-03-02T10:00:00+00:00", "hours": "3"},
            ("TIME_RANGE", "hours"),
        ),
        ({"fromAt": "2026-03-02T09:00:00+00:00"}, ("REQUIRED", "hours")),
        ({"fromAt": "2026-03-02T09:00:00+00:00", "hours": "-1"}, ("NEGATIVE", "hours")),
    ],
)
def test_inconsistent_time_is_refused(gql, company, fields, expected):
    task = company.task(company.job(company.order()))
    payload = gql.mutate(
        "timeEntryCreate",
        {"taskId": gid("Task", task.pk), "partyId": gid("Party", company.employee.pk), **fields},
        "timeEntry { id }",
    )
    assert payload["timeEntry"] is None
    assert expected in codes(payload)
    assert not TimeEntry.objects.exists()


TEMPLATE = {
    "name": "Print job",
    "items": [
        {"title": "Proof", "anchor": "JOB_START", "offsetDays": 0, "durationDays": 1},
        {"title": "Print", "anchor": "PREVIOUS_TASK_END", "offsetDays": 1, "durationDays": 2},
        {"title": "Deliver", "anchor": "JOB_END", "offsetDays": -1},
    ],
}


def test_template_creates_tasks_with_business_day_due_dates(gql, company):
    created = gql.mutate(
        "taskTemplateCreate", TEMPLATE, "taskTemplate { id items { sequence title anchor } }"
    )
    assert [i["sequence"] for i in created["taskTemplate"]["items"]] == [1, 2, 3]
    # Friday start, Wednesday end
    job = company.job(company.order(), start_date=date(2026, 3, 6), end_date=date(2026, 3, 11))
    payload = gql.mutate(
        "taskTemplateApply",
        {"templateId": created["taskTemplate"]["id"], "targetId": gid("Job", job.pk)},
        "tasks { title dueDate target { ... on Job { name } } }",
    )
    assert payload["errors"] == []
    assert [(t["title"], t["dueDate"]) for t in payload["tasks"]] == [
        ("Proof", "2026-03-09"),  # Friday + 1 business day = Monday
        ("Print", "2026-03-12"),  # Monday + 1 = Tuesday start, + 2 = Thursday
        ("Deliver", "2026-03-10"),  # Wednesday - 1 business day
    ]
    assert {t["target"]["name"] for t in payload["tasks"]} == {job.name}


def test_template_without_anchor_needs_a_date(gql, company):
    created = gql.mutate("taskTemplateCreate", TEMPLATE, "taskTemplate { id }")
    job = company.job(company.order())
    payload = gql.mutate(
        "taskTemplateApply",
        {"templateId": created["taskTemplate"]["id"], "targetId": gid("Job", job.pk)},
        "tasks { title }",
    )
    assert codes(payload) == [("ANCHOR_DATE_REQUIRED", "anchorDate")]
    assert not Task.objects.exists()
    dated = gql.mutate(
        "taskTemplateApply",
        {
            "templateId": created["taskTemplate"]["id"],
            "targetId": gid("Party", company.customer.pk),
            "anchorDate": "2026-03-02",
        },
        "tasks { dueDate }",
    )
    assert [t["dueDate"] for t in dated["tasks"]] == ["2026-03-03", "2026-03-06", "2026-02-27"]


def test_template_items_are_validated(gql):
    payload = gql.mutate(
        "taskTemplateCreate",
        {"name": "Bad", "items": [{"title": "ok"}, {"title": "bad", "priority": 0}]},
        "taskTemplate { id }",
    )
    assert codes(payload) == [("OUT_OF_RANGE", "items.1.priority")]
    empty = gql.mutate("taskTemplateCreate", {"name": "Empty", "items": []}, "taskTemplate { id }")
    assert codes(empty) == [("EMPTY_TEMPLATE", "items")]


def test_time_behind_an_approved_cost_is_frozen(gql, company):
    task = company.task(company.job(company.order()))
    entry = company.time(task)
    JobCost.objects.filter(source_time_entry=entry).update(approval_status="APPROVED")
    changed = gql.mutate(
        "timeEntryUpdate", {"id": gid("TimeEntry", entry.pk), "hours": "9"}, "timeEntry { hours }"
    )
    assert codes(changed) == [("COST_APPROVED", None)]
    deleted = gql.mutate("timeEntryDelete", {"id": gid("TimeEntry", entry.pk)}, "deletedId")
    assert codes(deleted) == [("COST_APPROVED", None)]
    entry.refresh_from_db()
    assert entry.hours == Decimal("2.00")
