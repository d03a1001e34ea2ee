"""Reads and writes rows of any record kind, driven by the kinds table; the only SQL on records."""

from __future__ import annotations

import contextlib
import functools
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import orjson
import sqlalchemy as sa

from companion.model.kinds import KINDS, KINDS_BY_NAME, Kind, referencing_fields
from companion.store.schema import KIND_TABLES, outbox, workspace_meta

MIXIN_COLUMNS = ("id", "team_id", "created_at", "updated_at", "deleted_at", "row_seq")
# SQLite allows at most 32766 bound parameters; stay well below for IN lists.
_CHUNK = 900
# An insert of at least this many rows into a table no larger than that drops the table's
# plain indexes and builds them again afterwards, in the same transaction: building an index
# from all its rows at once is many times cheaper than adding a hundred thousand random keys.
_REBUILD_INDEXES_FROM = 10_000


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _row_dicts(result: sa.CursorResult) -> list[dict]:
    # zip with the keys read once: Row._mapping costs several times more per row.
    keys = tuple(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result.all()]


def fetch(
    conn: sa.Connection, kind: Kind, ids: Sequence[str], *, include_deleted: bool = True
) -> dict[str, dict]:
    """Rows of `kind` with these ids, keyed by id (missing ids are simply absent)."""
    table = KIND_TABLES[kind.name]
    found: dict[str, dict] = {}
    if len(ids) > _CHUNK and conn.execute(sa.select(table.c.id).limit(1)).first() is None:
        return found  # an import into an empty table: no need to look for each id
    names, decoders, select = _row_shape(kind.name)
    live = "" if include_deleted else " AND deleted_at IS NULL"
    for values in rows_in(conn, f"{select} WHERE id IN ({{marks}}){live}", ids):
        row = dict(zip(names, values, strict=True))
        for name, decode in decoders:
            if row[name] is not None:
                row[name] = decode(row[name])
        found[row["id"]] = row
    return found


@functools.cache
def _row_shape(kind_name: str) -> tuple[tuple[str, ...], tuple[tuple[str, Callable], ...], str]:
    """A kind's columns; how a value read by the driver becomes what SQLAlchemy's column type gives
    (lists from JSON, flags from 0 and 1; text and numbers come as they are); the SELECT of them all."""
    table = KIND_TABLES[kind_name]
    decoders = []
    for column in table.c:
        if isinstance(column.type, sa.JSON):
            decoders.append((column.name, _from_json))
        elif isinstance(column.type, sa.Boolean):
            decoders.append((column.name, bool))
    names = tuple(column.name for column in table.c)
    columns = ", ".join(f'"{name}"' for name in names)
    return names, tuple(decoders), f'SELECT {columns} FROM "{table.name}"'


def _from_json(value: object) -> object:
    # A number in a JSON column reads as itself, as SQLAlchemy's SQLite JSON type gives it.
    return orjson.loads(value) if isinstance(value, str | bytes) else value


def rows_in(conn: sa.Connection, sql: str, ids: Sequence[str]) -> Iterator[tuple]:
    """The rows of `sql` (holding "IN ({marks})") for these ids, a chunk at a time, as the driver gives them.

    Plain driver SQL: SQLAlchemy's expanding IN renders its markers anew on every call, which cost more
    than the lookups themselves for a pull's pages of thousands of ids.
    """
    ids = list(ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        yield from conn.exec_driver_sql(sql.format(marks=", ".join("?" * len(chunk))), tuple(chunk))


def find_kind_of(conn: sa.Connection, record_id: str) -> Kind | None:
    """The kind of the record with this id, whatever its kind."""
    found = conn.execute(_id_lookup(tuple(k.name for k in KINDS)), {"record_id": record_id}).first()
    return KINDS_BY_NAME[found[0]] if found else None


@functools.lru_cache(maxsize=4)
def _id_lookup(kind_names: tuple[str, ...]) -> sa.CompoundSelect:
    # One statement over every kind's table (each looked up by its primary key): asked once per record
    # created, and one query per kind cost a round trip each, 23 of them since account plans.
    record_id = sa.bindparam("record_id")
    return sa.union_all(
        *(
            sa.select(sa.literal(name).label("kind")).where(KIND_TABLES[name].c.id == record_id)
            for name in kind_names
        )
    ).limit(1)


def select_rows(
    conn: sa.Connection,
    kind: Kind,
    *,
    where: Mapping[str, object] | None = None,
    include_deleted: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict]:
    """Rows of `kind` whose fields equal `where` (or are one of a list given), ordered by title then id."""
    table = KIND_TABLES[kind.name]
    query = sa.select(table)
    for name, value in (where or {}).items():
        column = table.c[name]
        if isinstance(value, list | tuple | set | frozenset):
            query = query.where(column.in_(list(value)))
        else:
            query = query.where(column.is_(None) if value is None else column == value)
    if not include_deleted:
        query = query.where(table.c.deleted_at.is_(None))
    title = table.c[kind.title_field]
    query = query.order_by(sa.func.lower(title), table.c.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return _row_dicts(conn.execute(query))


def select_columns(
    conn: sa.Connection, kind: Kind, columns: Sequence[str], *, ordered: bool = True
) -> list[tuple]:
    """Just these columns of every live record, ordered by title (or as stored, when the order does not
    matter: sorting 50,000 positions by title costs twice their reading): cheap enough for 100,000 rows."""
    table = KIND_TABLES[kind.name]
    query = sa.select(*(table.c[name] for name in columns)).where(table.c.deleted_at.is_(None))
    if ordered:
        query = query.order_by(sa.func.lower(table.c[kind.title_field]), table.c.id)
    return [tuple(row) for row in conn.execute(query)]


def select_page(
    conn: sa.Connection, kind: Kind, columns: Sequence[str], *, offset: int, limit: int
) -> list[tuple]:
    """Rows `offset` to `offset + limit` of the live records in title order, as (id, *columns).

    The lower(title), id index (migration 0001) makes any page cheap, however deep the person scrolls.
    """
    table = KIND_TABLES[kind.name]
    query = (
        sa.select(table.c.id, *(table.c[name] for name in columns))
        .where(table.c.deleted_at.is_(None))
        .order_by(sa.func.lower(table.c[kind.title_field]), table.c.id)
        .offset(offset)
        .limit(limit)
    )
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


def live_single_referrers(
    conn: sa.Connection, kind_name: str, record_ids: Sequence[str]
) -> dict[str, set[str]]:
    """Of many records of one kind: the live records pointing at each through a single reference (what
    blocks deleting it), by id; those without any are absent. A record pointing at itself is left out."""
    found: dict[str, set[str]] = {}
    for other, field in referencing_fields(kind_name):
        if field.type != "ref":
            continue
        table = KIND_TABLES[other.name]
        column = table.c[field.name]
        for chunk in _chunks(list(record_ids)):
            query = sa.select(table.c.id, column).where(column.in_(chunk), table.c.deleted_at.is_(None))
            for referrer, target in conn.execute(query):
                if referrer != target:
                    found.setdefault(target, set()).add(referrer)
    return found


def set_deleted(
    conn: sa.Connection, kind: Kind, record_ids: Sequence[str], *, deleted_at: str | None, updated_at: str
) -> None:
    """Marks many records of a kind deleted at `deleted_at` (or live again with None), in one statement."""
    if not record_ids:
        return
    conn.exec_driver_sql(
        f'UPDATE "{KIND_TABLES[kind.name].name}" SET deleted_at = ?, updated_at = ? WHERE id = ?',
        [(deleted_at, updated_at, record_id) for record_id in record_ids],
    )


@contextlib.contextmanager
def _indexes_rebuilt_after(conn: sa.Connection, table: str, count: int) -> Iterator[None]:
    """Around a large insert into a small table: its plain indexes are dropped, then rebuilt."""
    dropped = _droppable_indexes(conn, table) if count >= _REBUILD_INDEXES_FROM else []
    if dropped:
        present = conn.exec_driver_sql(
            f'SELECT count(*) FROM (SELECT 1 FROM "{table}" LIMIT ?)', (count + 1,)
        )
        if present.scalar_one() > count:
            dropped = []
    for name, _sql in dropped:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    try:
        yield
    except BaseException:
        # Never leave the table without its indexes, even if the caller goes on after the error.
        with contextlib.suppress(Exception):
            for _name, sql in dropped:
                conn.exec_driver_sql(sql)
        raise
    for _name, sql in dropped:
        conn.exec_driver_sql(sql)


def _droppable_indexes(conn: sa.Connection, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the table's plain indexes: made by CREATE INDEX, not unique, not partial.

    An index on a column that references the table itself stays: while a row points at one not
    inserted yet (foreign keys are checked at commit), every insert looks up the rows pointing
    at it, and without the index each lookup would read the whole table.
    """
    self_referencing = {
        row[3] for row in conn.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")').all() if row[2] == table
    }
    found = []
    for _seq, name, unique, origin, partial in conn.exec_driver_sql(f'PRAGMA index_list("{table}")').all():
        if unique or partial or origin != "c":
            continue
        columns = {row[2] for row in conn.exec_driver_sql(f'PRAGMA index_info("{name}")').all()}
        if columns & self_referencing:
            continue
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
        ).scalar()
        if sql:
            found.append((name, sql))
    return found


def insert(conn: sa.Connection, kind: Kind, rows: Sequence[Mapping[str, object]]) -> None:
    """Inserts rows that all have the same keys, stored exactly as SQLAlchemy's column types store them."""
    if not rows:
        return
    table = KIND_TABLES[kind.name]
    columns = list(rows[0])
    unknown = [name for name in columns if name not in table.c]
    if unknown:
        raise ValueError(f"Table {table.name} has no column {', '.join(unknown)}.")
    # One plain executemany: SQLAlchemy's per-row parameter processing costs more than the
    # insert itself. Lists go in as JSON (None as JSON null) like its JSON type writes them;
    # bools, ints and text need no conversion.
    json_columns = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, sa.JSON)]
    values_of = operator.itemgetter(*columns) if len(columns) > 1 else lambda row: (row[columns[0]],)
    params = [values_of(row) for row in rows]
    if json_columns:
        for n, values in enumerate(params):
            values = list(values)
            for i in json_columns:
                values[i] = json.dumps(values[i])
            params[n] = tuple(values)
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join("?" * len(columns))
    with _indexes_rebuilt_after(conn, table.name, len(params)):
        conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', params)


def update(conn: sa.Connection, kind: Kind, record_id: str, values: Mapping[str, object]) -> None:
    table = KIND_TABLES[kind.name]
    conn.execute(sa.update(table).where(table.c.id == record_id).values(**values))


def add_outbox(conn: sa.Connection, entries: Sequence[Mapping[str, object]]) -> None:
    if not entries:
        return
    encoded: dict[tuple, str] = {}  # most entries of a batch list the same fields

    def fields_json(fields) -> str:
        key = tuple(fields)
        text = encoded.get(key)
        if text is None:
            text = encoded[key] = json.dumps(list(key))
        return text

    params = [
        (e["kind"], e["record_id"], e["op"], fields_json(e["fields"]), e["base_seq"], e["changed_at"])
        for e in entries
    ]
    with _indexes_rebuilt_after(conn, outbox.name, len(params)):
        conn.exec_driver_sql(
            "INSERT INTO outbox (kind, record_id, op, fields, base_seq, changed_at) VALUES (?, ?, ?, ?, ?, ?)",
            params,
        )


# Outbox entries before this mutation id (a bookkeeping value) are acknowledged by the server, no longer
# pending: a push marks each batch so and deletes them all once it ends. Deleting each batch's entries
# rewrote most pages of the record-id index every time (random ids), a sixth of a first push. Mutation
# ids are never reused (AUTOINCREMENT), so a new edit is always above the mark.
OUTBOX_ACKED_BEFORE = "outbox_acked_before"
_ACKED = (
    f"coalesce((SELECT CAST(value AS INTEGER) FROM workspace_meta WHERE key = '{OUTBOX_ACKED_BEFORE}'), 0)"
)
_PENDING = f"mutation_id >= {_ACKED}"


def outbox_entries(
    conn: sa.Connection, *, record_id: str | None = None, limit: int | None = None, after: int = 0
) -> list[dict]:
    """Entries from mutation id `after` on (inclusive), oldest first."""
    # Plain driver SQL: a first sync reads every entry of an import, and SQLAlchemy's rows cost more than
    # reading them. Most entries of a batch list the same fields: each spelling is parsed once.
    # One lower bound (the later of `after` and the acknowledged mark): a range SQLite seeks to.
    query = f"SELECT {', '.join(_OUTBOX_COLUMNS)} FROM outbox WHERE mutation_id >= max(?, {_ACKED})"
    params: list[object] = [after]
    if record_id is not None:
        query += " AND record_id = ?"
        params.append(record_id)
    query += " ORDER BY mutation_id"
    if limit is not None:
        query += " LIMIT ?"
        params.append(limit)
    parsed: dict[str, tuple] = {}
    entries = []
    for values in conn.exec_driver_sql(query, tuple(params)):
        entry = dict(zip(_OUTBOX_COLUMNS, values, strict=True))
        fields = parsed.get(entry["fields"])
        if fields is None:
            fields = parsed[entry["fields"]] = tuple(orjson.loads(entry["fields"]))
        entry["fields"] = list(fields)
        entries.append(entry)
    return entries


_OUTBOX_COLUMNS = tuple(column.name for column in outbox.c)


def first_outbox_entries(conn: sa.Connection, record_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Record id → (mutation id, base_seq) of its first outbox entry, for those of the ids queued."""
    found: dict[str, tuple[int, int]] = {}
    for chunk in _chunks(list(record_ids)):
        marks = ", ".join("?" * len(chunk))
        # SQLite gives the bare column (base_seq) from the row that holds the MIN.
        for record_id, first, base_seq in conn.exec_driver_sql(
            f"SELECT record_id, MIN(mutation_id), base_seq FROM outbox WHERE record_id IN ({marks}) "
            f"AND {_PENDING} GROUP BY record_id",
            tuple(chunk),
        ):
            found[record_id] = (int(first), int(base_seq))
    return found


def outbox_count(conn: sa.Connection) -> int:
    return conn.exec_driver_sql(f"SELECT count(*) FROM outbox WHERE {_PENDING}").scalar_one()


def meta(conn: sa.Connection, key: str) -> str | None:
    return conn.execute(sa.select(workspace_meta.c.value).where(workspace_meta.c.key == key)).scalar()


def meta_values(conn: sa.Connection, keys: Sequence[str]) -> dict[str, str]:
    """Those of the bookkeeping keys that are set, with their values, in one read."""
    query = sa.select(workspace_meta.c.key, workspace_meta.c.value).where(
        workspace_meta.c.key.in_(list(keys))
    )
    return dict(conn.execute(query).all())


def meta_items(conn: sa.Connection, prefix: str) -> dict[str, str]:
    """Bookkeeping keys starting with `prefix`, in key order."""
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = (
        sa.select(workspace_meta.c.key, workspace_meta.c.value)
        .where(workspace_meta.c.key.like(pattern, escape="\\"))
        .order_by(workspace_meta.c.key)
    )
    return {row.key: row.value for row in conn.execute(query)}


def set_meta(conn: sa.Connection, values: Mapping[str, str | None]) -> None:
    """Writes workspace bookkeeping (sync cursors and the like); None removes a key."""
    for key, value in values.items():
        conn.execute(sa.delete(workspace_meta).where(workspace_meta.c.key == key))
        if value is not None:
            conn.execute(sa.insert(workspace_meta).values(key=key, value=value))


def acknowledge_outbox_before(conn: sa.Connection, mutation_id: int) -> None:
    """The entries before `mutation_id` are no longer pending (the server has them); they stay in the
    table until `delete_acknowledged_outbox`."""
    conn.exec_driver_sql(
        "INSERT INTO workspace_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
        "SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
        (OUTBOX_ACKED_BEFORE, mutation_id),
    )


def acknowledged_outbox_left(conn: sa.Connection) -> bool:
    """Whether acknowledged entries are still in the table (readers skip them already)."""
    return (
        conn.exec_driver_sql(f"SELECT 1 FROM outbox WHERE mutation_id < {_ACKED} LIMIT 1").first() is not None
    )


def delete_acknowledged_outbox(conn: sa.Connection) -> None:
    """Removes the acknowledged entries, all in one statement (a range of mutation ids)."""
    conn.exec_driver_sql(f"DELETE FROM outbox WHERE mutation_id < {_ACKED}")


def pending_fields(conn: sa.Connection, record_ids: Sequence[str]) -> dict[str, set[str]]:
    """Fields of these records with local edits not yet pushed ("*" when a delete is pending)."""
    found: dict[str, set[str]] = {}
    query = f"SELECT record_id, op, fields FROM outbox WHERE record_id IN ({{marks}}) AND {_PENDING}"
    for record_id, op, fields in rows_in(conn, query, record_ids):
        found.setdefault(record_id, set()).update(orjson.loads(fields) if op == "upsert" else ["*"])
    return found


def delete_outbox_of(conn: sa.Connection, record_ids: Sequence[str]) -> None:
    for chunk in _chunks(list(record_ids)):
        conn.execute(sa.delete(outbox).where(outbox.c.record_id.in_(chunk)))


def zero_base_seqs(conn: sa.Connection) -> None:
    """Every waiting edit counts as grown from nothing the server numbered (after a server restore)."""
    conn.execute(sa.update(outbox).values(base_seq=0))


def forget_row_seqs(conn: sa.Connection, kind: Kind, record_ids: Sequence[str]) -> None:
    table = KIND_TABLES[kind.name]
    for chunk in _chunks(list(record_ids)):
        conn.execute(sa.update(table).where(table.c.id.in_(chunk)).values(row_seq=0))


def set_row_seqs(conn: sa.Connection, kind: Kind, changes: Sequence[tuple]) -> None:
    """(seq, team id, record id) triples: the server's sequence number for records otherwise unchanged."""
    conn.exec_driver_sql(f"UPDATE {kind.name} SET row_seq = ?, team_id = ? WHERE id = ?", list(changes))
