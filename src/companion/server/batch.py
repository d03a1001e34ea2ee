"""What one push reads once and writes in bulk: the records it names, its new rows, its titles for duplicates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from companion.model.kinds import KINDS_BY_NAME
from companion.model.reference_order import references_of
from companion.model.values import is_uuid
from companion.server.common import now
from companion.server.schema import record

if TYPE_CHECKING:
    from companion.model.kinds import Kind
    from companion.sync import wire

# A new row as the push's bulk insert takes it (`Batch.insert`): a tuple in this order, JSON as text.
_NEW_ROW = (
    "id", "team_id", "kind", "fields", "field_seqs", "field_hlcs", "created_at", "updated_at", "deleted_at",
    "deleted_seq", "seq",
)  # fmt: skip


def among(conn: sa.Connection, column: sa.ColumnElement, values: list[str]) -> sa.ColumnElement:
    """`column IN values` as one parameter, whatever the count: 2,000 ids as 2,000 bound parameters
    cost SQLAlchemy more to render at every push than the query cost the database to run."""
    if conn.dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam("among", list(values), type_=postgresql.ARRAY(sa.Text())))
    listed = sa.func.json_each(sa.bindparam("among", orjson.dumps(values).decode(), type_=sa.Text()))
    return column.in_(sa.select(listed.table_valued("value").c.value))


def title_key(title: Any) -> str:
    """A title as duplicates are compared: case and surrounding spaces aside."""
    return str(title).casefold().strip()


class Batch:
    """What one push has read and what it will write in bulk: records, their new rows, the stored results."""

    def __init__(self, conn: sa.Connection, team_id: str, ids: list[str], *, lock: bool = True):
        self.conn = conn
        self.team_id = team_id
        self.stamp = now()  # one time for the whole push: it commits as one
        # Every mutation applied exactly as sent (no conflict, no merge, no skip): the device then holds
        # what the server holds for these records and need not read them back.
        self.clean = True
        query = sa.select(record).where(record.c.team_id == team_id, among(conn, record.c.id, ids))
        self.held = {r.id: r for r in conn.execute(query.with_for_update() if lock else query)}
        # The kind of each record of the team a value of the push may point at (`expect_targets`), and
        # of those the push makes: a reference must find its target here.
        self.target_kinds: dict[str, str] = {r.id: r.kind for r in self.held.values()}
        # References the push wrote, checked once it is applied: (mutation, kind, field, target).
        self.references: list[tuple] = []
        # Long texts merged before the push took its lock: (base, sent, held) → merged (apply.merge_ahead).
        self.merged: dict[tuple, str] = {}
        self.new_rows: list[dict] = []
        self.new_ids: set[str] = set()
        self.touched: set[str] = set()
        self.results: list[dict] = []
        self._titles: dict[str, dict[str, str]] = {}

    def record(self, record_id: str):
        """The record as it stands now (re-read when this push already wrote it)."""
        if record_id in self.new_ids:
            self.flush()
        if record_id in self.touched:
            self.held[record_id] = self.conn.execute(
                sa.select(record).where(record.c.team_id == self.team_id, record.c.id == record_id)
            ).first()
            self.touched.discard(record_id)
        return self.held.get(record_id)

    def expect_targets(self, mutations: Iterable[wire.Mutation]) -> None:
        """Reads once the kinds of the team's records that the push's values point at."""
        wanted: set[str] = set()
        pushed: set[str] = set()
        for m in mutations:
            pushed.add(m.id)
            kind = KINDS_BY_NAME.get(m.kind)
            if kind is not None and kind.reference_fields:
                # Only what could be an id is looked up (the values' own check refuses the rest), as
                # the values are kept: in small letters.
                wanted.update(t.lower() for t in references_of(kind.reference_fields, m.fields) if is_uuid(t))
        # What the push itself makes is known once it is applied (`insert`), and what it edits is held.
        wanted -= pushed
        wanted -= self.target_kinds.keys()
        if wanted:
            # All rows at once: iterating a result row by row cost more than the query.
            self.target_kinds.update(
                self.conn.execute(
                    sa.select(record.c.id, record.c.kind).where(
                        record.c.team_id == self.team_id, among(self.conn, record.c.id, sorted(wanted))
                    )
                ).all()
            )

    def titles(self, kind: Kind) -> dict[str, str]:
        """The team's live records of a kind by title key, to their ids.

        Read once per push and per kind (one query, however many new records ask); the push adds its
        own new records to it as it makes them.
        """
        found = self._titles.get(kind.name)
        if found is None:
            rows = self.conn.execute(
                sa.select(record.c.id, record.c.fields).where(
                    record.c.team_id == self.team_id,
                    record.c.kind == kind.name,
                    record.c.deleted_at.is_(None),
                )
            )
            found = self._titles[kind.name] = {
                title_key(r.fields.get(kind.title_field, "")): r.id for r in rows
            }
        return found

    def insert(
        self, record_id: str, kind: str, fields: dict, *, seq: int, hlc: str, created_at: str, deleted: bool
    ) -> None:
        """A new record, every field written by this change, held back for the push's one bulk insert
        (or until the push reads it again); its JSON encoded here, as the insert takes it."""
        stamp = self.stamp
        self.new_rows.append(
            (
                record_id, self.team_id, kind, orjson.dumps(fields).decode(),
                orjson.dumps(dict.fromkeys(fields, seq)).decode(), orjson.dumps(dict.fromkeys(fields, hlc)).decode(),
                created_at, stamp, stamp if deleted else None, seq if deleted else None, seq,
            )
        )  # fmt: skip
        self.new_ids.add(record_id)
        self.target_kinds[record_id] = kind

    def flush(self) -> None:
        if self.new_rows:
            # One driver-level executemany: SQLAlchemy's per-row parameter processing cost more than the
            # insert (PostgreSQL casts the text to json itself).
            mark = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
            self.conn.exec_driver_sql(
                f"INSERT INTO record ({', '.join(_NEW_ROW)}) VALUES ({', '.join([mark] * len(_NEW_ROW))})",
                self.new_rows,
            )
            self.touched |= self.new_ids
            self.new_rows, self.new_ids = [], set()
