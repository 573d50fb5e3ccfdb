"""The rollup expressions on hand-built books: exact totals, computed by the database."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.analytics import receivables, rollups
from backend.billing.models import Invoice
from backend.orders.models import Order
from backend.parties.models import Party
from backend.projects.models import Project
from backend.work.models import Job

from .data import build_books

pytestmark = pytest.mark.django_db
D = Decimal


def test_job_rollups(company):
    books = build_books(company)
    jobs = Job.objects.annotate(
        actual=rollups.job_actual_cost(),
        pending=rollups.job_pending_cost(),
        variance=rollups.job_cost_variance(),
        used=rollups.job_budget_used_percent(),
        over=rollups.job_is_over_budget(),
        hours=rollups.job_actual_hours(),
    )
    over = jobs.get(pk=books.job_over.pk)
    assert (over.actual, over.pending, over.variance) == (D("350"), D("160"), D("-50"))
    assert (over.used, over.over, over.hours) == (D("116.67"), True, D("3"))
    under = jobs.get(pk=books.job_under.pk)
    assert (under.actual, under.pending, under.used, under.over, under.hours) == (
        D("100"),
        D("0"),
        D("10.00"),
        False,
        D("0"),
    )


def test_order_rollups(company):
    books = build_books(company)
    orders = Order.objects.annotate(
        revenue=rollups.order_revenue(),
        invoiced=rollups.order_invoiced(),
        paid=rollups.order_paid(),
        outstanding=rollups.order_outstanding(),
        cost=rollups.order_cost(),
        margin=rollups.order_margin(),
        margin_percent=rollups.order_margin_percent(),
    )
    usd = orders.get(pk=books.usd.pk)
    assert (usd.revenue, usd.invoiced, usd.paid, usd.outstanding) == (D("1000"), D("550"), D("250"), D("300"))
    assert (usd.cost, usd.margin, usd.margin_percent) == (D("450"), D("550"), D("55.00"))
    cancelled = orders.get(pk=books.cancelled.pk)
    assert (cancelled.revenue, cancelled.margin, cancelled.margin_percent) == (D("0"), D("0"), None)


def test_project_rollups(company):
    books = build_books(company)
    project = Project.objects.annotate(
        money=rollups.project_by_currency(),
        hours=rollups.project_hours_by_status(),
        budgeted=rollups.project_budgeted_hours(),
    ).get(pk=books.project.pk)
    assert [
        (r["currency"], D(r["revenue"]), D(r["cost"]), D(r["invoiced"]), D(r["paid"])) for r in project.money
    ] == [
        ("EUR", D("200"), D("80"), D("200"), D("200")),
        ("USD", D("1000"), D("450"), D("550"), D("250")),
    ]
    assert [(r["status"], D(r["estimated"]), D(r["actual"])) for r in project.hours] == [
        ("PLANNING", D(5), D(3))
    ]
    assert project.budgeted == D("10")


def test_party_receivables(company):
    books = build_books(company)
    today = timezone.localdate()
    party = Party.objects.annotate(
        ar=receivables.party_receivables(Invoice.objects.all(), today),
        days=receivables.party_average_days_to_pay(Invoice.objects.all()),
    ).get(pk=company.customer.pk)
    assert [(r["currency"], D(r["open"]), D(r["overdue"])) for r in party.ar] == [
        ("USD", D("5300"), D("5320")),
    ]
    assert party.days == D("20.0")  # the EUR invoice, dated 20 days ago, paid today
    rows = receivables.receivables_aging(Invoice.objects.all(), today + timedelta(days=20))
    assert [(r.customer_id, r.currency, r.amounts) for r in rows] == [
        (
            company.customer.pk,
            "USD",
            {
                "current": D("-20"),
                "days_1_to_30": D(0),
                "days_31_to_60": D(0),
                "days_61_to_90": D("320"),
                "over_90": D("5000"),
            },
        ),
    ]
    assert books
