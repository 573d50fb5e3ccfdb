from django.db import models


class ReturnErrorCode(models.TextChoices):
    RETURN_NOT_EDITABLE = "RETURN_NOT_EDITABLE"
    ORDER_MISMATCH = "ORDER_MISMATCH"
    PRICE_REQUIRED = "PRICE_REQUIRED"
