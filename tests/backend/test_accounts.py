"""API tokens: stored as hashes only, usable while active, revocable by their owner."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.accounts.models import ApiToken
from backend.accounts.services import authenticate_token, create_token, revoke_token
from backend.common.errors import NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user("owner", password="pw-owner-123")


@pytest.fixture
def stranger(django_user_model):
    return django_user_model.objects.create_user("stranger", password="pw-stranger-123")


def stored_row(token: ApiToken) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table} WHERE id = %s", [token.pk])
        return cursor.fetchone()


def test_only_the_hash_of_a_token_is_stored(owner):
    token, plaintext = create_token(user=owner, name="Dashboard")

    assert plaintext.startswith("og_") and len(plaintext) >= 3 + 43
    assert token.prefix == plaintext[:8]
    assert token.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    row = " ".join(str(value) for value in stored_row(token))
    assert plaintext not in row
    assert plaintext[8:] not in row


def test_every_token_is_different(owner):
    (first, first_plain), (second, second_plain) = (
        create_token(user=owner, name="a"),
        create_token(user=owner, name="b"),
    )
    assert first_plain != second_plain
    assert first.key_hash != second.key_hash


def test_a_valid_token_authenticates_its_owner_and_records_the_use(owner):
    token, plaintext = create_token(user=owner, name="Mobile", expires_at=timezone.now() + timedelta(days=1))
    assert token.last_used_at is None

    assert authenticate_token(plaintext) == owner
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < timedelta(seconds=10)


def test_last_use_is_written_at_most_once_a_minute(owner):
    token, plaintext = create_token(user=owner, name="Busy")
    recent = timezone.now() - timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)

    with CaptureQueriesContext(connection) as ctx:
        assert authenticate_token(plaintext) == owner
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    token.refresh_from_db()
    assert token.last_used_at == recent

    old = timezone.now() - timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=old)
    assert authenticate_token(plaintext) == owner
    token.refresh_from_db()
    assert token.last_used_at > recent


def test_a_revoked_token_does_not_authenticate(owner):
    token, plaintext = create_token(user=owner, name="Old phone")
    revoke_token(token=token, actor=owner)

    assert authenticate_token(plaintext) is None
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.is_active is False


def test_an_expired_token_does_not_authenticate(owner):
    token, plaintext = create_token(user=owner, name="Short")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert authenticate_token(plaintext) is None


@pytest.mark.parametrize("plaintext", ["", "og_unknown", "x" * 10_000])
def test_an_unknown_token_does_not_authenticate(owner, plaintext):
    create_token(user=owner, name="Real")
    assert authenticate_token(plaintext) is None


def test_a_token_of_an_inactive_user_does_not_authenticate(owner):
    _, plaintext = create_token(user=owner, name="Left the company")
    owner.is_active = False
    owner.save()

    assert authenticate_token(plaintext) is None


def test_a_token_cannot_expire_in_the_past_or_without_a_time_zone(owner):
    with pytest.raises(ValidationError) as past:
        create_token(user=owner, name="Late", expires_at=timezone.now() - timedelta(minutes=1))
    assert past.value.error_dict["expires_at"][0].code == "EXPIRY_IN_PAST"

    with pytest.raises(ValidationError) as naive:
        create_token(user=owner, name="Naive", expires_at=timezone.now().replace(tzinfo=None))
    assert naive.value.error_dict["expires_at"][0].code == "INVALID"
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_name(owner):
    with pytest.raises(ValidationError) as error:
        create_token(user=owner, name="")
    assert "name" in error.value.error_dict
    assert not ApiToken.objects.exists()


def test_only_the_owner_can_revoke_a_token(owner, stranger):
    token, plaintext = create_token(user=owner, name="Mine")

    with pytest.raises(NotFound):
        revoke_token(token=token, actor=stranger)
    assert authenticate_token(plaintext) == owner


def test_revoking_twice_keeps_the_first_time(owner):
    token, _ = create_token(user=owner, name="Twice")
    first = revoke_token(token=token, actor=owner).revoked_at
    second = revoke_token(token=token, actor=owner).revoked_at
    assert first is not None and second == first


def test_tokens_go_with_their_user(owner):
    create_token(user=owner, name="Gone")
    owner.delete()
    assert not ApiToken.objects.exists()
