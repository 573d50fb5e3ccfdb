"""Hand-built books with known totals: approved, pending and rejected costs, partial payments,
credit memos, two currencies, and a second project the limited viewer may not see."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from backend.audit.services import transition
from backend.billing.application import apply_credit_memo, apply_payment
from backend.billing.models import Invoice, InvoiceKind, InvoiceStatus, PaymentInstrument, PaymentStatus
from backend.billing.services import add_invoice_item, create_invoice, create_payment, transition_invoice
from backend.orders.models import Order, OrderStatus
from backend.orders.transitions import ORDER_FLOW
from backend.projects.models import Project
from backend.work.models import ApprovalStatus, CostKind, Job
from backend.work.services import create_job_cost
from backend.work.transitions import APPROVAL_FLOW

D = Decimal


def cost(job, amount, status=ApprovalStatus.APPROVED, kind=CostKind.MATERIAL):
    record = create_job_cost(actor=None, job=job, kind=kind, unit_cost=D(amount), quantity=D(1))
    for step in {ApprovalStatus.APPROVED: ["APPROVED"], ApprovalStatus.REJECTED: ["REJECTED"]}.get(
        status, []
    ):
        record = transition(record, flow=APPROVAL_FLOW, to=step, actor=None)
    return record


def invoice(company, amount, *, order=None, status=InvoiceStatus.FINALIZED, kind=InvoiceKind.SALES,
            currency="USD", due: date | None = None, customer=None, dated: date | None = None) -> Invoice:  # fmt: skip
    customer = customer or company.customer
    if due is not None and dated is None:
        dated = due - timedelta(days=30)
    issuer, billed = (
        (customer, company.internal) if kind != InvoiceKind.SALES else (company.internal, customer)
    )
    record = create_invoice(
        actor=None, from_party=issuer, to_party=billed, currency=currency, kind=kind, order=order,
        due_date=due, invoice_date=dated,
    )  # fmt: skip
    add_invoice_item(record, actor=None, description="Work", quantity=D(1), unit_price=D(amount))
    record.refresh_from_db()
    if status == InvoiceStatus.CANCELLED:
        return transition_invoice(record, to=status, actor=None)
    if status != record.status:
        record = transition_invoice(record, to=status, actor=None)
    return record


def pay(company, target: Invoice, amount, *, customer=None) -> None:
    payment = create_payment(
        actor=None, from_party=customer or company.customer, to_party=company.internal,
        instrument=PaymentInstrument.WIRE, amount=D(amount), currency=target.currency,
        status=PaymentStatus.DELIVERED, effective_date=date(2026, 3, 2),
    )  # fmt: skip
    apply_payment(payment=payment, invoice=target, amount=D(amount), actor=None)


@dataclass
class Books:
    project: Project
    usd: Order
    eur: Order
    cancelled: Order
    job_over: Job
    job_under: Job
    job_eur: Job
    hidden_project: Project
    hidden: Order


def build_books(company) -> Books:
    project = company.project(code="BOOKS")
    usd = company.order(project, lines=((D(2), D("500.00")),))  # 1000.00
    job_over = company.job(usd, budgeted_cost=D("300.00"), budgeted_hours=D("10.00"))
    cost(job_over, "200.00")
    cost(job_over, "150.00")
    cost(job_over, "40.00", ApprovalStatus.PENDING)
    cost(job_over, "70.00", ApprovalStatus.REJECTED)
    task = company.task(job_over, estimated_hours=D("5.00"))
    company.time(task, hours=D(3), rate=D("40.00"))  # a pending TIME cost of 120.00, 3 hours
    job_under = company.job(usd, budgeted_cost=D("1000.00"))
    cost(job_under, "100.00")

    today = timezone.localdate()
    first = invoice(company, "600.00", order=usd, due=today - timedelta(days=45))
    invoice(company, "400.00", order=usd, status=InvoiceStatus.IN_PROCESS)  # a draft: not invoiced
    invoice(company, "100.00", order=usd, status=InvoiceStatus.CANCELLED)  # never counts
    pay(company, first, "250.00")
    memo = invoice(company, "50.00", order=usd, kind=InvoiceKind.CREDIT_MEMO, status=InvoiceStatus.APPROVED)
    apply_credit_memo(credit_memo=memo, invoice=first, amount=D("30.00"), actor=None)

    eur = company.order(project, currency="EUR", lines=((D(1), D("200.00")),))
    job_eur = company.job(eur, budgeted_cost=D("100.00"))
    cost(job_eur, "80.00")
    eur_invoice = invoice(company, "200.00", order=eur, currency="EUR", due=today + timedelta(days=10))
    pay(company, eur_invoice, "200.00")

    cancelled = company.order(project, lines=((D(1), D("300.00")),))
    transition(cancelled, flow=ORDER_FLOW, to=OrderStatus.CANCELLED, actor=None)
    cancelled.refresh_from_db()

    hidden_project = company.project(code="HIDDEN")
    hidden = company.order(hidden_project, lines=((D(1), D("5000.00")),))
    cost(company.job(hidden), "900.00")
    invoice(company, "5000.00", order=hidden, due=today - timedelta(days=100))
    return Books(project, usd, eur, cancelled, job_over, job_under, job_eur, hidden_project, hidden)
