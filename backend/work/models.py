from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models

from backend.common.errors import CommonErrorCode
from backend.common.models import OBJECT_PERMISSIONS, Record, exactly_one_set
from backend.common.money import (
    QUANTITY,
    TOTAL,
    UNIT_PRICE,
    validate_amount,
    validate_currency,
    validate_non_negative,
)
from graph.hierarchy import MAX_SELF_DEPTH, TASK_TARGETS

from .errors import WorkErrorCode
from .statuses import WorkStatus

HOURS = {"max_digits": 12, "decimal_places": 2}


class JobKind(models.TextChoices):
    ORDER = "ORDER"
    PRODUCTION = "PRODUCTION"
    STANDARD = "STANDARD"


class Job(Record):
    """Tracks an order's budget, costs, fulfilment and procurement."""

    status_history = GenericRelation("audit.StatusChange", related_query_name="+")
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="jobs")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    kind = models.CharField(max_length=16, choices=JobKind.choices, default=JobKind.STANDARD)
    name = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=WorkStatus.choices, default=WorkStatus.PLANNING)
    budgeted_cost = models.DecimalField(**TOTAL, default=0, validators=[validate_non_negative])
    budgeted_revenue = models.DecimalField(**TOTAL, default=0, validators=[validate_non_negative])
    budgeted_hours = models.DecimalField(**HOURS, default=0, validators=[validate_non_negative])
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return self.name

    @property
    def currency(self) -> str:
        return self.order.currency

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = ValidationError("Ends before it starts.", code=CommonErrorCode.DATE_ORDER)
        if self.parent_id and self.order_id:
            if self.parent.order_id != self.order_id:
                errors["parent"] = ValidationError(
                    "The parent job belongs to another order.", code=WorkErrorCode.PARENT_MISMATCH
                )
            elif self._parent_chain_contains_self():
                errors["parent"] = ValidationError(
                    "A job cannot sit under itself.", code=WorkErrorCode.PARENT_CYCLE
                )
            elif len(self._ancestors()) > MAX_SELF_DEPTH:
                # grants on a job reach this many levels of sub-jobs (graph.MAX_SELF_DEPTH)
                errors["parent"] = ValidationError(
                    f"Jobs nest at most {MAX_SELF_DEPTH} levels below a top job.", code=WorkErrorCode.TOO_DEEP
                )
        if self.order_id:
            for name in ("budgeted_cost", "budgeted_revenue"):
                try:
                    validate_amount(getattr(self, name), self.order.currency)
                except ValidationError as exc:
                    errors[name] = exc
        if errors:
            raise ValidationError(errors)

    def _ancestors(self) -> list["Job"]:
        chain, ancestor = [], self.parent
        while ancestor is not None and ancestor not in chain and len(chain) <= MAX_SELF_DEPTH + 1:
            chain.append(ancestor)
            ancestor = ancestor.parent
        return chain

    def _parent_chain_contains_self(self) -> bool:
        return self.pk is not None and any(job.pk == self.pk for job in self._ancestors())


class CostKind(models.TextChoices):
    TIME = "TIME"
    MATERIAL = "MATERIAL"
    EXPENSE = "EXPENSE"
    PURCHASE = "PURCHASE"


class ApprovalStatus(models.TextChoices):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class JobCost(Record):
    """One cost of a job: time worked, material used, an expense, a purchase."""

    status_history = GenericRelation("audit.StatusChange", related_query_name="+")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="costs")
    kind = models.CharField(max_length=16, choices=CostKind.choices)
    description = models.CharField(max_length=255, blank=True)
    quantity = models.DecimalField(**QUANTITY, default=1, validators=[validate_non_negative])
    unit_cost = models.DecimalField(**UNIT_PRICE, validators=[validate_non_negative])
    amount = models.DecimalField(**TOTAL, editable=False, help_text="quantity × unit cost, rounded.")
    currency = models.CharField(max_length=3, validators=[validate_currency])
    billable = models.BooleanField(default=True)
    approval_status = models.CharField(
        max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    party = models.ForeignKey(
        "parties.Party",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incurred_costs",
        help_text="Who incurred the cost (worker, supplier).",
    )
    incurred_on = models.DateField(null=True, blank=True)
    source_time_entry = models.OneToOneField(
        "work.TimeEntry",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="job_cost",
        help_text="The time entry this TIME cost was produced from.",
    )
    source_order_item = models.ForeignKey(
        "orders.OrderItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="job_costs",
        help_text="The purchase order line this cost comes from.",
    )

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        indexes = [models.Index(fields=["job", "approval_status"]), models.Index(fields=["kind"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="job_cost_quantity_gte_0"),
            models.CheckConstraint(condition=models.Q(unit_cost__gte=0), name="job_cost_unit_cost_gte_0"),
        ]

    def __str__(self):
        return f"{self.kind} {self.amount} {self.currency}"

    def clean(self):
        if self.job_id and self.currency and self.currency != self.job.order.currency:
            raise ValidationError(
                {
                    "currency": ValidationError(
                        f"A job cost is in its order's currency ({self.job.order.currency}).",
                        code=CommonErrorCode.CURRENCY_MISMATCH,
                    )
                }
            )


class Priority(models.IntegerChoices):
    HIGHEST = 1
    HIGH = 3
    NORMAL = 5
    LOW = 7
    LOWEST = 9


TARGET_FIELDS = tuple(TASK_TARGETS.values())


class Task(Record):
    """A to-do attached to exactly one record; the target columns are real foreign keys."""

    status_history = GenericRelation("audit.StatusChange", related_query_name="+")
    TARGET_FIELDS = TARGET_FIELDS

    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=WorkStatus.choices, default=WorkStatus.PLANNING)
    priority = models.PositiveSmallIntegerField(default=5, help_text="1 (highest) to 9 (lowest).")
    assignee = models.ForeignKey(
        "parties.Party",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_tasks",
    )
    due_date = models.DateField(null=True, blank=True)
    estimated_hours = models.DecimalField(**HOURS, null=True, blank=True, validators=[validate_non_negative])
    actual_hours = models.DecimalField(
        **HOURS, default=0, editable=False, help_text="Sum of its time entries."
    )
    actual_start = models.DateTimeField(null=True, blank=True, editable=False)
    actual_end = models.DateTimeField(null=True, blank=True, editable=False)
    template_item = models.ForeignKey(
        "work.TaskTemplateItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks")
    job_cost = models.ForeignKey(
        JobCost, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    shipment = models.ForeignKey(
        "shipping.Shipment", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    party = models.ForeignKey(
        "parties.Party", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=9), name="task_priority_1_9"
            ),
            models.CheckConstraint(condition=exactly_one_set(*TARGET_FIELDS), name="task_exactly_one_target"),
        ]

    def __str__(self):
        return self.title

    @property
    def target(self):
        for name in self.TARGET_FIELDS:
            if getattr(self, f"{name}_id") is not None:
                return getattr(self, name)
        return None

    @property
    def owning_job(self):
        """The job whose costs this task's time counts against, if any."""
        if self.job_id:
            return self.job
        if self.job_cost_id:
            return self.job_cost.job
        return None

    def clean(self):
        targets = [name for name in self.TARGET_FIELDS if getattr(self, f"{name}_id") is not None]
        if len(targets) != 1:
            raise ValidationError(
                {
                    "target": ValidationError(
                        "A task is attached to exactly one record.",
                        code=WorkErrorCode.TARGET_REQUIRED,
                    )
                }
            )
        if not 1 <= (self.priority or 0) <= 9:
            raise ValidationError(
                {
                    "priority": ValidationError(
                        "Priority runs from 1 (highest) to 9 (lowest).",
                        code=CommonErrorCode.OUT_OF_RANGE,
                    )
                }
            )


class TemplateAnchor(models.TextChoices):
    JOB_START = "JOB_START"
    JOB_END = "JOB_END"
    PREVIOUS_TASK_START = "PREVIOUS_TASK_START"
    PREVIOUS_TASK_END = "PREVIOUS_TASK_END"
    ANCHOR_DATE = "ANCHOR_DATE", "The date given when the template is applied"


class TaskTemplate(Record):
    """A task group: applying it creates its tasks with due dates offset from an anchor."""

    name = models.CharField(max_length=255, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]

    def __str__(self):
        return self.name


class TaskTemplateItem(models.Model):
    template = models.ForeignKey(TaskTemplate, on_delete=models.CASCADE, related_name="items")
    sequence = models.PositiveIntegerField(help_text="Order of the task in the group.")
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    anchor = models.CharField(max_length=24, choices=TemplateAnchor.choices, default=TemplateAnchor.JOB_START)
    offset_days = models.IntegerField(default=0, help_text="Business days after (or before) the anchor.")
    duration_days = models.PositiveIntegerField(default=0, help_text="Business days from start to due.")
    estimated_hours = models.DecimalField(**HOURS, null=True, blank=True, validators=[validate_non_negative])
    priority = models.PositiveSmallIntegerField(default=5)

    class Meta:
        ordering = ["template_id", "sequence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "sequence"], name="template_item_sequence_unique")
        ]

    def __str__(self):
        return f"{self.template} #{self.sequence} {self.title}"


class TimeEntry(Record):
    """Hours a party worked on a task; thru = from + hours + breaks."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="time_entries")
    party = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="time_entries")
    from_at = models.DateTimeField()
    thru_at = models.DateTimeField()
    hours = models.DecimalField(**HOURS, validators=[validate_non_negative])
    break_hours = models.DecimalField(**HOURS, default=0, validators=[validate_non_negative])
    cost_rate = models.DecimalField(**UNIT_PRICE, default=0, validators=[validate_non_negative])
    bill_rate = models.DecimalField(**UNIT_PRICE, default=0, validators=[validate_non_negative])
    currency = models.CharField(
        max_length=3,
        validators=[validate_currency],
        help_text="Of the rates; the job's currency under a job.",
    )
    billable = models.BooleanField(default=True)
    comments = models.TextField(blank=True)

    class Meta:
        default_permissions = OBJECT_PERMISSIONS
        ordering = ["id"]
        verbose_name_plural = "time entries"
        indexes = [models.Index(fields=["party", "from_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(thru_at__gte=models.F("from_at")),
                name="time_entry_from_before_thru",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gte=0, break_hours__gte=0), name="time_entry_hours_gte_0"
            ),
        ]

    def __str__(self):
        return f"{self.hours} h on {self.task}"
