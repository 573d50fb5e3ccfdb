from django.db import models

# Permissions Django creates for every record type; "manage" is the right to share a record.
OBJECT_PERMISSIONS = ("add", "change", "delete", "view", "manage")


class Record(models.Model):
    """Base of every domain table: timestamps and an optimistic-locking version."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Increases with every change; send it back as expectedVersion."
    )

    class Meta:
        abstract = True


def exactly_one_set(*fields: str) -> models.Q:
    """A CHECK condition: exactly one of these nullable columns holds a value."""
    condition = models.Q()
    for chosen in fields:
        term = models.Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                term &= models.Q(**{f"{other}__isnull": True})
        condition |= term
    return condition
