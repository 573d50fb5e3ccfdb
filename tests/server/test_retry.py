"""Deadlocks and serialization failures re-run the mutation's transaction; when retries run out the
client gets RETRY_LATER and nothing is written. The failures are raised by PostgreSQL itself."""

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, OperationalError, connection, transaction

from backend.server.database_errors import RetryLater, is_retryable, is_unreachable
from schema.errors import ATTEMPTS, run_mutation


def _raise_in_database(sqlstate: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DO $$ BEGIN RAISE EXCEPTION 'provoked' USING ERRCODE = '{sqlstate}'; END $$")


def _action(fail_times: int, sqlstate: str, calls: list):
    """Writes a user, then fails in the database for the first `fail_times` attempts."""

    def action():
        calls.append(1)
        user = get_user_model().objects.create(username=f"retry-{len(calls)}")
        if len(calls) <= fail_times:
            _raise_in_database(sqlstate)
        return user

    return action


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
def test_a_deadlock_or_serialization_failure_is_retried_and_written_once(sqlstate):
    calls: list = []
    user, errors = run_mutation(_action(1, sqlstate, calls))
    assert errors == []
    assert len(calls) == 2
    assert list(get_user_model().objects.values_list("username", flat=True)) == [user.username]


@pytest.mark.django_db(transaction=True)
def test_when_every_attempt_fails_the_client_is_told_to_retry_later_and_nothing_is_written():
    calls: list = []
    with pytest.raises(RetryLater) as raised:
        run_mutation(_action(ATTEMPTS, "40P01", calls))
    assert len(calls) == ATTEMPTS
    assert is_retryable(raised.value.__cause__)
    assert not get_user_model().objects.exists()


@pytest.mark.django_db(transaction=True)
def test_inside_an_outer_transaction_the_failure_goes_to_its_owner_unretried():
    calls: list = []
    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        run_mutation(_action(1, "40P01", calls))
    assert len(calls) == 1
    assert is_retryable(raised.value)
    assert not get_user_model().objects.exists()


@pytest.mark.django_db(transaction=True)
def test_other_errors_are_not_retried():
    calls: list = []
    with pytest.raises(DatabaseError) as raised:
        run_mutation(_action(1, "23514", calls))  # check_violation
    assert len(calls) == 1
    assert not is_retryable(raised.value) and not is_unreachable(raised.value)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("sqlstate", "unreachable"),
    [("57P01", True), ("08006", True), ("57014", False), ("55P03", False), ("40P01", False)],
)
def test_only_connection_failures_count_as_the_database_being_unavailable(sqlstate, unreachable):
    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        _raise_in_database(sqlstate)
    assert isinstance(raised.value, OperationalError) or not unreachable
    assert is_unreachable(raised.value) is unreachable
