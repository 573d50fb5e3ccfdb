"""Runs a compiled statement. A client repeating a read sends the same statement text again, so the
statement is prepared on the connection the second time it runs there: PostgreSQL then skips
parsing and planning it (about a third of a small tree's time in the database).

Django turns psycopg's prepared statements off for the whole connection, for connection poolers
that cannot keep them. Only the cursor made here prepares (Django's own cursors bind parameters on
the client and never do), and `GRAPHQL_COMPILED_PREPARED=0` turns it off behind such a pooler.
"""

import psycopg
from django.conf import settings
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

# Prepare a statement the second time it runs on a connection; one-off reads stay unprepared.
PREPARE_THRESHOLD = 1


def supported() -> bool:
    """Compiled statements are written for PostgreSQL (the embedded SQLite server never tries them)."""
    return connection.vendor == "postgresql"


def fetch_text(sql: str) -> str:
    """The one text value the statement returns, through Django's cursor wrappers (statement counts,
    query logging and error translation apply as for any query)."""
    if not settings.GRAPHQL_COMPILED_PREPARED:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        driver = connection.connection
        if driver.prepare_threshold is None:
            driver.prepare_threshold = PREPARE_THRESHOLD
        raw = psycopg.Cursor(driver)  # binds on the server, so it may prepare
    connection.validate_thread_sharing()
    wrapped = _LoggedCursor(raw, connection) if connection.queries_logged else connection.make_cursor(raw)
    with wrapped as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


class _LoggedCursor(CursorDebugWrapper):
    """Logs the statement's own text: psycopg keeps none for a prepared statement."""

    def execute(self, sql, params=None):
        with self.debug_sql(sql, params):
            return CursorWrapper.execute(self, sql, params)
