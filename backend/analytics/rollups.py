"""Profitability rollups as SQL expressions the database computes for every row of a page.

Each function takes `prefix`, the path from the query's own rows to the record the rollup belongs
to: `""` on that record's own queryset (an annotation), `"order__"` from a job (a filter or an
ordering on a related record). The expressions are correlated subqueries, so a page of records
with every rollup is still one query.

Definitions (DOMAIN.md, Profitability; where it is silent, what an accountant expects):
- a job's actual cost is the sum of its APPROVED costs (its own; sub-jobs report theirs); pending
  costs are reported apart; rejected costs never count;
- an order's revenue is its item total when it is a SALES order that is not CANCELLED or REJECTED
  (a purchase order earns nothing); its cost is the sum of the approved costs of all its jobs;
- invoiced: the order's invoices that can take, or have taken, payments (FINALIZED, SENT,
  ACKNOWLEDGED, PAYMENT_RECEIVED, WRITTEN_OFF; payable: APPROVED, PAYMENT_SENT, BILLED_THROUGH);
  drafts (IN_PROCESS, INCOMING, RECEIVED) and CANCELLED invoices never count; credit memos and
  return invoices linked to the order reduce it;
- paid: payments applied to those invoices (credit memos settle by reducing what is invoiced);
- outstanding = invoiced − paid.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, TextField, When
from django.db.models.functions import Cast, Coalesce, JSONObject, NullIf, Round
from django.db.models.lookups import GreaterThan

from backend.billing.models import Invoice, InvoiceKind, PaymentApplication
from backend.billing.transitions import ISSUED_INVOICE_STATUSES
from backend.orders.models import Order, OrderKind, OrderStatus
from backend.work.models import ApprovalStatus, Job, JobCost, Task
from permissions.visibility import any_of

from .sql import HOURS, MONEY, PERCENT, json_rows, real, rounded, total, zero

# Issued invoices (open, paid or closed in their flow's money table: backend.billing.transitions).
COUNTED_INVOICE_STATUSES = ISSUED_INVOICE_STATUSES
CREDIT_KINDS = (InvoiceKind.CREDIT_MEMO, InvoiceKind.RETURN)
NO_REVENUE_STATUSES = (OrderStatus.CANCELLED, OrderStatus.REJECTED)


def percent(part, whole) -> Round:
    """part / whole × 100, rounded half away from zero to 2 places; null when whole is 0."""
    return rounded(part * real(100) / NullIf(whole, zero()), PERCENT)


# --- jobs ----------------------------------------------------------------------------------


def _job_costs(prefix: str, status: str):
    return total(JobCost.objects.filter(job=OuterRef(f"{prefix}pk"), approval_status=status), F("amount"))


def job_actual_cost(prefix: str = ""):
    return _job_costs(prefix, ApprovalStatus.APPROVED)


def job_pending_cost(prefix: str = ""):
    return _job_costs(prefix, ApprovalStatus.PENDING)


def job_cost_variance(prefix: str = ""):
    """Budget − actual: negative when the job is over budget."""
    return F(f"{prefix}budgeted_cost") - job_actual_cost(prefix)


def job_budget_used_percent(prefix: str = ""):
    return percent(job_actual_cost(prefix), F(f"{prefix}budgeted_cost"))


def job_is_over_budget(prefix: str = ""):
    return GreaterThan(job_actual_cost(prefix), F(f"{prefix}budgeted_cost"))


def job_actual_hours(prefix: str = ""):
    """Hours worked on the tasks of the job and of its costs."""
    ref = OuterRef(f"{prefix}pk")
    # two sums, not one over an OR: each side is an index probe
    on_job = total(Task.objects.filter(job=ref), F("actual_hours"), HOURS)
    return on_job + total(Task.objects.filter(job_cost__job=ref), F("actual_hours"), HOURS)


# --- orders --------------------------------------------------------------------------------


def order_revenue(prefix: str = ""):
    earns = Q(**{f"{prefix}kind": OrderKind.SALES}) & ~Q(**{f"{prefix}status__in": NO_REVENUE_STATUSES})
    return Case(When(earns, then=F(f"{prefix}total")), default=zero(), output_field=MONEY)


def order_invoiced(prefix: str = ""):
    signed = Case(When(kind__in=CREDIT_KINDS, then=-F("total")), default=F("total"), output_field=MONEY)
    invoices = Invoice.objects.filter(order=OuterRef(f"{prefix}pk"), status__in=COUNTED_INVOICE_STATUSES)
    return total(invoices, signed)


def order_paid(prefix: str = ""):
    applications = PaymentApplication.objects.filter(
        payment__isnull=False,
        invoice__order=OuterRef(f"{prefix}pk"),
        invoice__kind=InvoiceKind.SALES,
        invoice__status__in=COUNTED_INVOICE_STATUSES,
    )
    return total(applications, F("amount"))


def order_outstanding(prefix: str = ""):
    return order_invoiced(prefix) - order_paid(prefix)


def order_cost(prefix: str = ""):
    costs = JobCost.objects.filter(
        job__order=OuterRef(f"{prefix}pk"), approval_status=ApprovalStatus.APPROVED
    )
    return total(costs, F("amount"))


def order_margin(prefix: str = ""):
    return order_revenue(prefix) - order_cost(prefix)


def order_margin_percent(prefix: str = ""):
    """Margin as a percentage of revenue; null when there is no revenue."""
    return percent(order_margin(prefix), order_revenue(prefix))


def order_actual_hours(prefix: str = ""):
    ref = OuterRef(f"{prefix}pk")
    on_jobs = total(Task.objects.filter(job__order=ref), F("actual_hours"), HOURS)
    return on_jobs + total(Task.objects.filter(job_cost__job__order=ref), F("actual_hours"), HOURS)


# --- projects (per currency: a project's orders may be in several) ------------------------

PROJECT_AMOUNTS = {
    "revenue": order_revenue,
    "cost": order_cost,
    "invoiced": order_invoiced,
    "paid": order_paid,
}


def _text(expression):
    return Cast(expression, TextField())


def project_by_currency(prefix: str = "") -> Subquery:
    """One JSON object per currency of the project's orders: the order amounts summed, as text."""
    orders = (
        Order.objects.filter(project=OuterRef(f"{prefix}pk"))
        .order_by()
        .values("currency")
        .annotate(
            **{name: Sum(expression(), output_field=MONEY) for name, expression in PROJECT_AMOUNTS.items()}
        )
        .order_by("currency")
        .values(json=JSONObject(currency=F("currency"), **{name: _text(F(name)) for name in PROJECT_AMOUNTS}))
    )
    return json_rows(orders)


def project_budgeted_hours(prefix: str = ""):
    return total(Job.objects.filter(order__project=OuterRef(f"{prefix}pk")), F("budgeted_hours"), HOURS)


def project_hours_by_status(prefix: str = "") -> Subquery:
    """Estimated and actual hours per task status, over the tasks attached to the project, its
    orders, their jobs and the jobs' costs."""
    ref = OuterRef(f"{prefix}pk")
    project = OuterRef(ref)  # seen from the id lists, one level further in
    tasks = (
        Task.objects.filter(
            Q(project=ref)
            | Q(any_of("order", Order.objects.filter(project=project).values("pk")))
            | Q(any_of("job", Job.objects.filter(order__project=project).values("pk")))
            | Q(any_of("job_cost", JobCost.objects.filter(job__order__project=project).values("pk")))
        )
        .order_by()
        .values("status")
        .annotate(estimated=Sum("estimated_hours"), actual=Sum("actual_hours"))
        .order_by("status")
        .values(
            json=JSONObject(
                status=F("status"),
                estimated=_text(Coalesce(F("estimated"), zero(HOURS))),
                actual=_text(F("actual")),
            )
        )
    )
    return json_rows(tasks)


@dataclass(frozen=True)
class ProjectAmounts:
    """A project's orders in one currency, summed."""

    currency: str
    revenue: Decimal
    cost: Decimal
    invoiced: Decimal
    paid: Decimal

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def outstanding(self) -> Decimal:
        return self.invoiced - self.paid

    @property
    def margin_percent(self) -> Decimal | None:
        if not self.revenue:
            return None
        return (self.margin * 100 / self.revenue).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def project_amounts(rows: list[dict] | None) -> list[ProjectAmounts]:
    """The rows of `project_by_currency`, as numbers."""
    return [
        ProjectAmounts(row["currency"], *(Decimal(row[name]) for name in PROJECT_AMOUNTS))
        for row in rows or ()
    ]
