from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A bearer token for apps that cannot use a browser session; only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. the app that uses it.")
    prefix = models.CharField(
        max_length=8,
        db_index=True,
        editable=False,
        help_text="The token's first characters, to tell tokens apart.",
    )
    # Tokens hold 256 random bits, so an unsalted fast hash cannot be reversed by guessing, and it
    # allows a direct lookup by hash; a slow salted password hash would only add cost to every request.
    key_hash = models.CharField(max_length=64, unique=True, editable=False, help_text="SHA-256 of the token.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="No expiry when empty.")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        """Not revoked and not expired (the owner's own status is checked on use)."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class SignInFailure(models.Model):
    """One refused sign-in, kept for the throttle's window (backend.accounts.throttle)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.username} from {self.address} at {self.at}"
