from django.db import models


class AccountErrorCode(models.TextChoices):
    EXPIRY_IN_PAST = "EXPIRY_IN_PAST"
    RATE_LIMITED = "RATE_LIMITED"
