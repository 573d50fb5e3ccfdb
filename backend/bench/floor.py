"""The floor: one hand-written SQL statement per read that returns the response's `data` as JSON.

Each connection level is a `json_agg` over a LATERAL subquery that takes the first rows of the
parent by id, as the API pages them; global ids are base64 in SQL and money is rounded to the
currency's minor unit and sent as text, as the API formats it. For a user other than a superuser
the visibility rules are applied over the grant tables: a project is visible through a view grant
to the user or to one of their groups; an order through a grant on it or on its project. Below a
visible record everything is visible (grants reach down the hierarchy), so the lower levels need
no check of their own. The statement runs prepared, on its own connection, and returns text, so
the time is the database's work plus the transfer, like the API's.
"""

import time

import psycopg
from django.db import connection

from backend.orders.models import Order
from backend.projects.models import Project
from permissions.models import group_table, user_table
from permissions.scale import permission_pk

from .queries import NODE_JOBS, ORDER_FIELDS, PROJECTS, Level


def _fields(fields, alias: str) -> list[str]:
    return [f"'{f.key}', {f.sql.format(r=alias)}" for f in fields]


def connection_json(level: Level, depth: int, parent: str, where: str = "", limit: str = "") -> str:
    """`{"edges": [{"node": {…}}, …]}` for the first rows of `level` below the parent row."""
    alias = f"t{depth}"
    pairs = _fields(level.fields, alias)
    joins = []
    for i, child in enumerate(level.children):
        child_alias = f"c{depth}_{i}"
        joins.append(
            f" CROSS JOIN LATERAL (SELECT {connection_json(child, depth + 1, alias)}) AS {child_alias}(v)"
        )
        pairs.append(f"'{child.field}', {child_alias}.v")
    conditions = [f"{alias}.{level.parent_column} = {parent}.id"] if level.parent_column else []
    if where:
        conditions.append(where.format(r=alias))
    where_sql = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = (
        f"(SELECT * FROM {level.table} {alias}{where_sql} ORDER BY {alias}.id LIMIT {limit or level.first})"
    )
    return (
        "json_build_object('edges', COALESCE((SELECT json_agg(json_build_object('node', json_build_object("
        f"{', '.join(pairs)})) ORDER BY {alias}.id) FROM {rows} {alias}{''.join(joins)}), '[]'::json))"
    )


def _granted(model, holder_param: str, permission_param: str) -> str:
    """Ids of `model` rows the user holds a grant on, directly or through a group."""
    users, groups = user_table(model)._meta.db_table, group_table(model)._meta.db_table
    return (
        f"SELECT content_object_id FROM {users} WHERE user_id = %({holder_param})s"
        f" AND permission_id = %({permission_param})s"
        f" UNION ALL SELECT g.content_object_id FROM {groups} g JOIN auth_user_groups ug"
        f" ON ug.group_id = g.group_id WHERE ug.user_id = %({holder_param})s"
        f" AND g.permission_id = %({permission_param})s"
    )


def tree_sql(restricted: bool) -> str:
    where = f"{{r}}.id IN ({_granted(Project, 'user', 'view_project')})" if restricted else ""
    return (
        f"SELECT json_build_object('projects', {connection_json(PROJECTS, 0, '', where, '%(first)s')})::text"
    )


def node_sql(restricted: bool) -> str:
    pairs = [*_fields(ORDER_FIELDS, "t0"), "'jobs', c0_0.v"]
    where = "t0.id = %(id)s"
    if restricted:
        where += (
            f" AND (t0.id IN ({_granted(Order, 'user', 'view_order')})"
            f" OR t0.project_id IN ({_granted(Project, 'user', 'view_project')}))"
        )
    return (
        f"SELECT json_build_object('node', (SELECT json_build_object({', '.join(pairs)})"
        f" FROM orders_order t0 CROSS JOIN LATERAL (SELECT {connection_json(NODE_JOBS, 1, 't0')}) AS c0_0(v)"
        f" WHERE {where}))::text"
    )


def statement(read: str, user, *, first: int = 0, order_pk: int = 0) -> tuple[str, dict]:
    """The floor's SQL and parameters for one read as seen by `user` (decided in Python first, as
    the API does: a superuser sees every row, anyone else what their grants reach)."""
    restricted = not user.is_superuser
    params: dict = {}
    if restricted:
        params = {
            "user": user.pk,
            "view_project": permission_pk(Project, "view"),
            "view_order": permission_pk(Order, "view"),
        }
    if read == "node":
        return node_sql(restricted), {**params, "id": order_pk}
    return tree_sql(restricted), {**params, "first": first}


def connect() -> psycopg.Connection:
    """A connection of its own to the database Django uses (autocommit, no statement timeout)."""
    s = connection.settings_dict
    conn = psycopg.connect(
        dbname=s["NAME"],
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        autocommit=True,
    )
    conn.execute("SET statement_timeout = 0")
    return conn


class Floor:
    """Runs one read's statement prepared and returns the JSON text and the milliseconds it took."""

    def __init__(self, conn: psycopg.Connection, sql: str, params: dict):
        self.cursor = conn.cursor()
        self.sql, self.params = sql, params

    def run(self) -> tuple[float, str]:
        started = time.perf_counter()
        self.cursor.execute(self.sql, self.params, prepare=True)
        (text,) = self.cursor.fetchone()
        return (time.perf_counter() - started) * 1000, text
