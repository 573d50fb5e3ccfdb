"""The visibility rules of `permissions.visibility` as SQL conditions on a table alias, so that every
level of a compiled statement keeps exactly the rows the general path keeps."""

from django.db.models.expressions import RawSQL

from permissions.visibility import AnyOf, visible

from .catalog import TypeInfo
from .sql import literal


class Unsupported(Exception):
    """A visibility filter that cannot be written into the statement."""


def _inline(sql: str, params) -> str:
    """The SQL with its parameters (integers and short strings from the permission tables) as literals."""
    pieces = sql.split("%s")
    if "%" in sql.replace("%s", "") or len(pieces) != len(params) + 1:
        raise Unsupported("placeholders")
    out = [pieces[0]]
    for value, piece in zip(params, pieces[1:], strict=True):
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise Unsupported(f"parameter {value!r}")
        out.append(str(value) if isinstance(value, int) else literal(value))
        out.append(piece)
    return "".join(out)


def visible_ids(user, info: TypeInfo) -> str | bool:
    """True (every row), False (none), or an `ARRAY(...)` of the ids the user may see: the user's
    cached filter (`permissions.visibility`) as SQL."""
    queryset = visible(user, info.model._default_manager.all(), "view")
    where = queryset.query.where
    if queryset.query.is_empty():
        return False
    if not where:
        return True
    only = where.children[0] if len(where.children) == 1 and not where.negated else None
    if isinstance(only, AnyOf) and isinstance(only.rhs, RawSQL):
        return _inline(only.rhs.sql, only.rhs.params)
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    return f"ARRAY({_inline(sql, params)})"


class Conditions:
    """The visibility conditions of one request's user. Each model's ids are computed once per
    statement, in a common table expression that every level of the statement reads."""

    def __init__(self, user):
        self.user = user
        self._ids: dict[str, str | bool] = {}

    def __call__(self, info: TypeInfo, alias: str, *, probe: bool = False) -> str:
        ids = self._ids.get(info.name)
        if ids is None:
            ids = self._ids[info.name] = visible_ids(self.user, info)
        if ids is True:
            return "TRUE"
        if ids is False:
            return "FALSE"
        pk, cte = f'{alias}."{info.pk}"', f'"visible_{info.name}"'
        if probe:
            # A top-level list: PostgreSQL probes the primary key's index with each visible id.
            return f"{pk} = ANY((SELECT ids FROM {cte})::bigint[])"
        # Rows reached through a link are found by its index; each is then looked up in a hash of
        # the visible ids built once per statement (COALESCE keeps PostgreSQL from turning the
        # check into a join planned again for every row above).
        return f"COALESCE({pk} IN (SELECT unnest(ids) FROM {cte}), FALSE)"

    def with_clause(self) -> str:
        ctes = [
            f'"visible_{name}" AS MATERIALIZED (SELECT {ids} AS ids)'
            for name, ids in self._ids.items()
            if isinstance(ids, str)
        ]
        return f"WITH {', '.join(ctes)} " if ctes else ""
