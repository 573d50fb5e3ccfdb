"""Which rows one page of a connection holds, in the default order (by primary key), as
strawberry-django's `DjangoCursorConnection` pages them:

- `after`/`before` keep the rows with a key above/below the cursor's;
- `first` keeps the first rows of those, `last` then the last rows of what remains;
- `hasNextPage` says rows were cut by `first`, `hasPreviousPage` rows cut by `last` (never the
  cursors: a page after a cursor has no previous page unless `last` cut it);
- `totalCount` counts every visible row, except on a nested connection whose nodes are selected: the
  optimizer prefetches those pages with the cursors applied and reads the count off that window, so
  it counts only the rows between the cursors.

Such prefetched pages with both `first` and `last` are left to the general path: there the rows kept
by `first` are numbered across the children of every parent fetched together, not per parent.
"""

import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from strawberry.relay import from_base64
from strawberry_django.relay.cursor_connection import DjangoCursorEdge

from .catalog import TypeInfo

# Primary keys (of cursors and node ids) outside the column's range are left to the general path.
MAX_PK = 2**31 - 1


class NotPaged(Exception):
    """Page arguments the general path answers (it reports the invalid ones)."""


@dataclass(frozen=True)
class Window:
    first: int | None
    last: int | None
    after: int | None  # the primary key in the cursor
    before: int | None
    prefetched: bool  # a nested page whose nodes are selected


def page_window(arguments: dict, target: TypeInfo, *, prefetched: bool) -> Window:
    """The page the connection's arguments ask for (raises NotPaged)."""
    first, last = arguments.get("first"), arguments.get("last")
    if first is None and last is None:
        raise NotPaged("no page size")
    if any(size is not None and size < 0 for size in (first, last)):
        raise NotPaged("page size")
    if prefetched and first is not None and last is not None:
        raise NotPaged("prefetched page with first and last")
    after, before = arguments.get("after"), arguments.get("before")
    return Window(
        first,
        last,
        None if after is None else cursor_key(after, target),
        None if before is None else cursor_key(before, target),
        prefetched,
    )


def cursor_key(value: str, target: TypeInfo) -> int:
    """The primary key a cursor points at, read as the general path reads it."""
    try:
        prefix, values = from_base64(value)
        decoded = json.loads(values)
    except (ValueError, TypeError):
        raise NotPaged("cursor") from None
    if prefix != DjangoCursorEdge.CURSOR_PREFIX or not isinstance(decoded, list) or len(decoded) != 1:
        raise NotPaged("cursor")
    if not isinstance(decoded[0], str):
        raise NotPaged("cursor")
    try:
        pk = target.model._meta.pk.to_python(decoded[0])
    except ValidationError:
        raise NotPaged("cursor") from None
    if not isinstance(pk, int) or not -MAX_PK <= pk <= MAX_PK:
        raise NotPaged("cursor")
    return pk


@dataclass(frozen=True)
class PageSql:
    rows: str  # the fetched rows, with `_compiled_rn`
    in_page: str  # which of them the page shows (a condition on the rows' alias)
    has_next: str  # aggregates over the fetched rows
    has_previous: str


def cursor_bound(window: Window) -> bool:
    """Whether the page moves with its cursors (`last`, `after` or `before`), not only with `first`."""
    return window.last is not None or window.after is not None or window.before is not None


def between_cursors(window: Window, pk: str) -> list[str]:
    """The conditions the cursors put on the rows (`pk`: the primary key column)."""
    conditions = []
    if window.after is not None:
        conditions.append(f"{pk} > {window.after}")
    if window.before is not None:
        conditions.append(f"{pk} < {window.before}")
    return conditions


def page_sql(window: Window, rows: str, pk: str, source: str, page: str, order: str | None = None) -> PageSql:
    """The rows of `source` (`FROM … WHERE …`, the cursors' conditions included) that one page needs:
    `first` + 1 from the start, or `last` + 1 from the end, numbered from where they were fetched.
    `order`: an explicit ordering (read forwards only, with `first`), else by primary key."""
    first, last = window.first, window.last
    rn = f"{page}._compiled_rn"
    if order is not None:
        fetched = (
            f"SELECT {rows}.*, row_number() OVER (ORDER BY {order}) AS _compiled_rn "
            f"{source} ORDER BY {order} LIMIT {first + 1}"
        )
        return PageSql(fetched, f"{rn} <= {first}", f"count(*) > {first}", "false")
    if first is None:
        fetched = (
            f"SELECT {rows}.*, row_number() OVER (ORDER BY {pk} DESC) AS _compiled_rn "
            f"{source} ORDER BY {pk} DESC LIMIT {last + 1}"
        )
        return PageSql(fetched, f"{rn} <= {last}", "false", f"count(*) > {last}")
    fetched = (
        f"SELECT {rows}.*, row_number() OVER (ORDER BY {pk}) AS _compiled_rn "
        f"{source} ORDER BY {pk} LIMIT {first + 1}"
    )
    if last is None:
        return PageSql(fetched, f"{rn} <= {first}", f"count(*) > {first}", "false")
    # The first `first` rows, then the last `last` of those.
    counted = f"SELECT f.*, count(*) OVER () AS _compiled_fetched FROM ({fetched}) f"
    in_page = f"{rn} <= {first} AND {rn} > LEAST({page}._compiled_fetched, {first}) - {last}"
    return PageSql(counted, in_page, f"count(*) > {first}", f"LEAST(count(*), {first}) > {last}")
