from django.db import models


class AccountErrorCode(models.TextChoices):
    EXPIRY_IN_PAST = "EXPIRY_IN_PAST"
    EXPIRY_TOO_FAR = "EXPIRY_TOO_FAR"
    RATE_LIMITED = "RATE_LIMITED"
