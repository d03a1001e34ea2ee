"""Reads and writes rows of any record kind, driven by the kinds table; the only SQL on records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import sqlalchemy as sa

from companion.core.kinds import KINDS, Kind, referencing_fields
from companion.store.schema import KIND_TABLES, outbox, workspace_meta

MIXIN_COLUMNS = ("id", "team_id", "created_at", "updated_at", "deleted_at", "row_seq")
# SQLite allows at most 32766 bound parameters; stay well below for IN lists.
_CHUNK = 900


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _row_dict(row: sa.Row) -> dict:
    return dict(row._mapping)


def fetch(conn: sa.Connection, kind: Kind, ids: Sequence[str], *, include_deleted: bool = True) -> dict[str, dict]:
    """Rows of `kind` with these ids, keyed by id (missing ids are simply absent)."""
    table = KIND_TABLES[kind.name]
    found: dict[str, dict] = {}
    for chunk in _chunks(list(ids)):
        query = sa.select(table).where(table.c.id.in_(chunk))
        if not include_deleted:
            query = query.where(table.c.deleted_at.is_(None))
        for row in conn.execute(query):
            found[row.id] = _row_dict(row)
    return found


def find_kind_of(conn: sa.Connection, record_id: str) -> Kind | None:
    """The kind of the record with this id, whatever its kind."""
    for kind in KINDS:
        table = KIND_TABLES[kind.name]
        if conn.execute(sa.select(table.c.id).where(table.c.id == record_id)).first():
            return kind
    return None


def select_rows(
    conn: sa.Connection,
    kind: Kind,
    *,
    where: Mapping[str, object] | None = None,
    include_deleted: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict]:
    """Rows of `kind` whose fields equal `where`, ordered by title then id."""
    table = KIND_TABLES[kind.name]
    query = sa.select(table)
    for name, value in (where or {}).items():
        column = table.c[name]
        query = query.where(column.is_(None) if value is None else column == value)
    if not include_deleted:
        query = query.where(table.c.deleted_at.is_(None))
    title = table.c[kind.title_field]
    query = query.order_by(sa.func.lower(title), table.c.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_row_dict(row) for row in conn.execute(query)]


def select_columns(conn: sa.Connection, kind: Kind, columns: Sequence[str]) -> list[tuple]:
    """Just these columns of every live record, ordered by title: cheap enough for 100,000 rows."""
    table = KIND_TABLES[kind.name]
    query = (
        sa.select(*(table.c[name] for name in columns))
        .where(table.c.deleted_at.is_(None))
        .order_by(sa.func.lower(table.c[kind.title_field]), table.c.id)
    )
    return [tuple(row) for row in conn.execute(query)]


def select_page(
    conn: sa.Connection, kind: Kind, columns: Sequence[str], *, after: tuple[str, str] | None, limit: int
) -> list[tuple]:
    """A page of live records by title, after the (folded title, id) key of the last row seen.

    Keyset paging: every page costs the same however deep the person has scrolled.
    Each row is (sort key, id, *columns).
    """
    table = KIND_TABLES[kind.name]
    key = sa.func.lower(table.c[kind.title_field])
    query = sa.select(key, table.c.id, *(table.c[name] for name in columns)).where(table.c.deleted_at.is_(None))
    if after is not None:
        query = query.where(sa.tuple_(key, table.c.id) > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
    query = query.order_by(key, table.c.id).limit(limit)
    return [tuple(row) for row in conn.execute(query)]


def count_rows(conn: sa.Connection, kind: Kind, *, include_deleted: bool = False) -> int:
    table = KIND_TABLES[kind.name]
    query = sa.select(sa.func.count()).select_from(table)
    if not include_deleted:
        query = query.where(table.c.deleted_at.is_(None))
    return conn.execute(query).scalar_one()


def live_referrers(conn: sa.Connection, kind_name: str, record_id: str) -> dict[tuple[str, str], list[str]]:
    """Live records that point at `record_id`, by (kind, field): what a delete would orphan."""
    found: dict[tuple[str, str], list[str]] = {}
    for other, field in referencing_fields(kind_name):
        table = KIND_TABLES[other.name]
        column = table.c[field.name]
        if field.type == "ref":
            condition = column == record_id
        else:
            members = sa.select(sa.literal_column("value")).select_from(sa.func.json_each(column))
            condition = sa.literal(record_id).in_(members.scalar_subquery())
        query = sa.select(table.c.id).where(condition, table.c.deleted_at.is_(None))
        ids = [row.id for row in conn.execute(query) if row.id != record_id]
        if ids:
            found[(other.name, field.name)] = ids
    return found


def insert(conn: sa.Connection, kind: Kind, rows: Sequence[Mapping[str, object]]) -> None:
    if rows:
        conn.execute(sa.insert(KIND_TABLES[kind.name]), list(rows))


def update(conn: sa.Connection, kind: Kind, record_id: str, values: Mapping[str, object]) -> None:
    table = KIND_TABLES[kind.name]
    conn.execute(sa.update(table).where(table.c.id == record_id).values(**values))


def add_outbox(conn: sa.Connection, entries: Sequence[Mapping[str, object]]) -> None:
    if entries:
        conn.execute(sa.insert(outbox), list(entries))


def outbox_entries(conn: sa.Connection, *, record_id: str | None = None) -> list[dict]:
    query = sa.select(outbox).order_by(outbox.c.mutation_id)
    if record_id is not None:
        query = query.where(outbox.c.record_id == record_id)
    return [_row_dict(row) for row in conn.execute(query)]


def meta(conn: sa.Connection, key: str) -> str | None:
    return conn.execute(sa.select(workspace_meta.c.value).where(workspace_meta.c.key == key)).scalar()
