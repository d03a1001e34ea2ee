"""A read-only look at a workspace with the DB-API driver alone, for the first paint before SQLAlchemy loads."""

from __future__ import annotations

import json
from collections.abc import Sequence

from companion.model.kinds import get_kind


def read_columns(conn, kind_name: str, fields: Sequence[str | None]) -> list[tuple]:
    """The same rows as the services' `columns()`: live records, these fields, ordered by title.

    A None in `fields` reads as None in every row: a column the caller does not need yet.
    """
    kind = get_kind(kind_name)
    query = (
        f"SELECT {_select(kind, fields)} FROM {kind.name} WHERE deleted_at IS NULL"
        f" ORDER BY lower({kind.title_field}), id"
    )
    return _decoded(kind, fields, conn.execute(query).fetchall())


def read_first_columns(
    conn, kind_name: str, fields: Sequence[str | None], *, first: int, ids: Sequence[str] = ()
) -> tuple[list[tuple], int]:
    """The first `first` rows of `read_columns`, and the rows of `ids` wherever they fall, in its order;
    and how many live records there are in all. A screenful of a long list, without reading the rest.
    """
    kind = get_kind(kind_name)
    order = f"lower({kind.title_field}), id"
    # The sort key comes along, so the two reads merge in SQL's order (UTF-8's byte order is Python's).
    select = f"SELECT {_select(kind, fields)}, {order} FROM {kind.name} WHERE deleted_at IS NULL"
    rows = conn.execute(f"{select} ORDER BY {order} LIMIT ?", (first,)).fetchall()
    if ids:
        seen = {row[-1] for row in rows}
        marked = conn.execute(f"{select} AND id IN ({', '.join('?' * len(ids))})", tuple(ids)).fetchall()
        rows = sorted([*rows, *(row for row in marked if row[-1] not in seen)], key=lambda row: row[-2:])
    (count,) = conn.execute(f"SELECT count(*) FROM {kind.name} WHERE deleted_at IS NULL").fetchone()
    return _decoded(kind, fields, [row[:-2] for row in rows]), count


def _select(kind, fields: Sequence[str | None]) -> str:
    for name in fields:  # names come from code, never from a person, but check them anyway
        if name is not None and name not in ("id", "created_at", "updated_at") and kind.field(name) is None:
            raise ValueError(f"{kind.name} has no field {name}")
    return ", ".join(name or "NULL" for name in fields)


def _decoded(kind, fields: Sequence[str | None], rows: list[tuple]) -> list[tuple]:
    """The rows with their list fields' JSON decoded."""
    lists = {f.name for f in kind.fields if f.is_list}
    positions = [i for i, name in enumerate(fields) if name in lists]
    if not positions:
        return rows
    result = []
    for row in rows:
        row = list(row)
        for i in positions:
            row[i] = json.loads(row[i]) if row[i] is not None else None
        result.append(tuple(row))
    return result
