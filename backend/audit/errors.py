from django.db import models


class AuditErrorCode(models.TextChoices):
    INVALID_TRANSITION = "INVALID_TRANSITION"
