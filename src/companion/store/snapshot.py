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
    lists = {f.name for f in kind.fields if f.is_list}
    for name in fields:  # names come from code, never from a person, but check them anyway
        if name is not None and name not in ("id", "created_at", "updated_at") and kind.field(name) is None:
            raise ValueError(f"{kind_name} has no field {name}")
    query = (
        f"SELECT {', '.join(name or 'NULL' for name in fields)} FROM {kind.name} WHERE deleted_at IS NULL"
        f" ORDER BY lower({kind.title_field}), id"
    )
    rows = conn.execute(query).fetchall()
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
