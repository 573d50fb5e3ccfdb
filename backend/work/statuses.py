from django.db import models


class WorkStatus(models.TextChoices):
    """The task flow, shared by projects, jobs and tasks."""

    PLANNING = "PLANNING"
    APPROVED = "APPROVED"
    IN_PROGRESS = "IN_PROGRESS"
    ON_HOLD = "ON_HOLD"
    COMPLETE = "COMPLETE"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"
