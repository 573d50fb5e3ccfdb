from django.db import models


class PermissionErrorCode(models.TextChoices):
    ONE_HOLDER = "ONE_HOLDER"
