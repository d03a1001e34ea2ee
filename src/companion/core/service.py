"""The one write path: every create, update, delete and import of GUI, CLI and server goes through here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from companion.core import bulk
from companion.core.changes import Change, ChangeSet, Edit, Record
from companion.model.errors import DependentRecordsError, Interrupted, NotFoundError, ValidationError
from companion.model.ids import new_id, now
from companion.model.kinds import KINDS, Kind, get_kind
from companion.model.labels import choice_label
from companion.model.rules import anchors, check_no_loops, check_record, check_references, normalise_fields
from companion.model.values import is_uuid
from companion.store import queries, search_index
from companion.store import records as rows
from companion.store.cipher import WorkspaceKey
from companion.store.database import Database
from companion.store.records import MIXIN_COLUMNS


def _to_record(kind: Kind, row: Mapping[str, object]) -> Record:
    values = {f.name: row.get(f.name) for f in kind.fields}
    return Record(
        kind=kind.name,
        id=str(row["id"]),
        values=values,
        created_at=str(row["created_at"]),
        updated_at=str(row["updated_at"]),
        deleted_at=row.get("deleted_at"),
        row_seq=int(row.get("row_seq") or 0),
        team_id=row.get("team_id"),
    )


def _field_values(kind: Kind, row: Mapping[str, object]) -> dict[str, object]:
    return {f.name: row.get(f.name) for f in kind.fields}


def _count_phrase(counts: Mapping[str, int]) -> str:
    """{"position": 2, "site": 1} → "2 positions, 1 site"."""
    return ", ".join(
        f"{n} {get_kind(k).label.lower() if n == 1 else get_kind(k).plural.lower()}"
        for k, n in counts.items()
    )


class _Batch:
    """One write transaction: validates and applies edits, collecting changes and outbox entries."""

    def __init__(self, conn):
        self.conn = conn
        self.changes: list[Change] = []
        self.stamp = now()
        # Records given another client: their same-client links are checked once every edit of the
        # batch is in, so records moving together (a merge of two clients) may point at each other.
        self.moved: list[tuple[Kind, str]] = []
        # Live rows looked up for references, kept for the batch: a calendar's meetings all point at the
        # same client and people, their checklist items at meetings just made. Forgotten when written.
        self._live: dict[tuple[str, str], dict | None] = {}

    def live(self, kind_name: str, record_id: str) -> dict | None:
        key = (kind_name, record_id)
        if key not in self._live:
            found = rows.fetch(self.conn, get_kind(kind_name), [record_id], include_deleted=False)
            self._live[key] = found.get(record_id)
        return self._live[key]

    def forget(self, kind: Kind, record_id: str) -> None:
        """A row written: the next look-up reads it again (`forget_all` after a write of many at once)."""
        self._live.pop((kind.name, record_id), None)

    def forget_all(self) -> None:
        self._live.clear()

    def _row(self, kind: Kind, record_id: str, *, deleted: bool | None) -> dict:
        found = rows.fetch(self.conn, kind, [record_id]).get(record_id)
        if (
            found is None
            or (deleted is False and found["deleted_at"])
            or (deleted and not found["deleted_at"])
        ):
            state = {None: "", False: "", True: " deleted"}[deleted]
            raise NotFoundError(f"There is no{state} {kind.label.lower()} with the id {record_id}.")
        return found

    def _outbox(self, kind: Kind, record_id: str, op: str, fields: Iterable[str], base_seq: int) -> None:
        rows.add_outbox(
            self.conn,
            [
                {
                    "kind": kind.name,
                    "record_id": record_id,
                    "op": op,
                    "fields": sorted(fields),
                    "base_seq": base_seq,
                    "changed_at": self.stamp,
                }
            ],
        )

    def create(self, kind: Kind, record_id: str | None, values: Mapping[str, object]) -> str:
        record_id = record_id or new_id()
        if not is_uuid(record_id):
            raise ValidationError(f"'{record_id}' is not a record id.", kind=kind.name, field="id")
        record_id = record_id.lower()  # references are compared in lower case
        holder = rows.find_kind_of(self.conn, record_id)
        if holder is not None:
            raise ValidationError(
                f"A {holder.label.lower()} with the id {record_id} exists already; ids are unique across kinds.",
                kind=kind.name,
                field="id",
            )
        given = normalise_fields(kind, values)
        record = {f.name: given.get(f.name) for f in kind.fields}
        check_record(kind, record, record_id=record_id)
        check_references(kind, record, self.live)
        check_no_loops(kind, record, record_id, self.live)
        row = {"id": record_id, "created_at": self.stamp, "updated_at": self.stamp, **record}
        rows.insert(self.conn, kind, [row])
        self.forget(kind, record_id)
        search_index.index(self.conn, kind, [row])
        after = {k: v for k, v in record.items() if v is not None}
        self._outbox(kind, record_id, "upsert", after, 0)
        self.changes.append(Change("create", kind.name, record_id, {}, after))
        return record_id

    def update(self, kind: Kind, record_id: str, values: Mapping[str, object]) -> None:
        current = self._row(kind, record_id, deleted=False)
        given = normalise_fields(kind, values)
        changed = {k: v for k, v in given.items() if current.get(k) != v}
        if not changed:
            return
        merged = {**_field_values(kind, current), **changed}
        check_record(kind, merged, record_id=record_id)
        to_check = set(changed)
        if "client_id" in changed:
            to_check -= {f.name for f in kind.fields if f.same_client}
            self.moved.append((kind, record_id))
        # A list keeps members deleted since (an old attendee): only members added now must be live.
        checked = dict(merged)
        for f in kind.fields:
            if f.type == "refs" and f.name in changed and merged[f.name]:
                kept = set(current.get(f.name) or ())
                checked[f.name] = [m for m in merged[f.name] if m not in kept] or None
        check_references(kind, checked, self.live, fields=to_check)
        check_no_loops(kind, merged, record_id, self.live)
        rows.update(self.conn, kind, record_id, {**changed, "updated_at": self.stamp})
        self.forget(kind, record_id)
        search_index.index(self.conn, kind, [{"id": record_id, **merged}])
        self._outbox(kind, record_id, "upsert", changed, current["row_seq"])
        before = {k: current.get(k) for k in changed}
        self.changes.append(Change("update", kind.name, record_id, before, changed))

    def _check_referrers_follow(self, kind: Kind, record_id: str, new_client: object) -> None:
        """A record moving to another client may not leave behind records of the old one pointing at it."""
        stranded: dict[str, int] = defaultdict(int)
        for (other_name, field_name), ids in rows.live_referrers(self.conn, kind.name, record_id).items():
            other = get_kind(other_name)
            if not other.field(field_name).same_client:
                continue
            for row in rows.fetch(self.conn, other, ids).values():
                if row.get("client_id") != new_client:
                    stranded[other_name] += 1
        if stranded:
            listed = _count_phrase(stranded)
            raise ValidationError(
                f"{kind.label} · Client (client_id): {listed} of its present client still point at it; "
                "change or clear those first.",
                kind=kind.name,
                field="client_id",
            )

    def delete(self, kind: Kind, record_id: str, *, cascade: bool) -> None:
        current = self._row(kind, record_id, deleted=False)
        referrers = rows.live_referrers(self.conn, kind.name, record_id)
        # A list of people (attendees, people involved) keeps a deleted person's id: the list
        # still reads true and nothing is lost. Single references block, or cascade on request.
        blocking = {
            key: ids for key, ids in referrers.items() if get_kind(key[0]).field(key[1]).type == "ref"
        }
        if blocking and not cascade:
            counts: dict[str, int] = defaultdict(int)
            for (other, _field), ids in blocking.items():
                counts[other] += len(ids)
            listed = _count_phrase(counts)
            raise DependentRecordsError(
                f"{kind.label} '{search_index.name_of(kind, current)}' is still used by {listed}. "
                "Delete or move those first, or delete them together with it.",
                dependents=dict(counts),
            )
        for (other_name, field_name), ids in blocking.items():
            other = get_kind(other_name)
            for other_id in ids:
                if self.live(other_name, other_id) is None:
                    continue  # already removed earlier in this cascade
                if other.field(field_name).required or anchors(other, field_name):
                    # It means nothing without this record (a note about it, a rule scoped to it).
                    self.delete(other, other_id, cascade=True)
                else:
                    self.update(other, other_id, {field_name: None})
        rows.update(self.conn, kind, record_id, {"deleted_at": self.stamp, "updated_at": self.stamp})
        self.forget(kind, record_id)
        search_index.unindex(self.conn, [record_id])
        self._outbox(kind, record_id, "delete", (), current["row_seq"])
        self.changes.append(Change("delete", kind.name, record_id, {}, {}))

    def apply_one(self, kind: Kind, edit: Edit) -> None:
        if edit.op == "create":
            self.create(kind, edit.id, edit.values)
        elif edit.op == "update":
            self.update(kind, str(edit.id), edit.values)
        elif edit.op == "delete":
            self.delete(kind, str(edit.id), cascade=bool(edit.values.get("cascade")))
        elif edit.op == "restore":
            self.restore(kind, str(edit.id))
        else:
            raise ValidationError(f"Unknown operation '{edit.op}'.")

    def check_moves(self) -> None:
        """Every record given another client in this batch still has its same-client links (its own,
        and those of records pointing at it) within one client."""
        for kind, record_id in self.moved:
            row = self.live(kind.name, record_id)
            if row is None:
                continue  # deleted later in the batch
            check_references(kind, row, self.live, fields={f.name for f in kind.fields if f.same_client})
            self._check_referrers_follow(kind, record_id, row["client_id"])

    def check_single(self) -> None:
        """Of kinds allowing one record per owner in a state (one active account plan per client), no
        record this batch wrote into that state has a live twin."""
        for change in self.changes:
            kind = get_kind(change.kind)
            if kind.single_when is None or change.op == "delete":
                continue
            field, value, per = kind.single_when
            if change.op != "restore" and field not in change.after and per not in change.after:
                # Only a record put into that state (or moved to another owner) is checked: two active
                # plans made on two laptops and met in a sync can still each be edited, until one is closed.
                continue
            row = self.live(kind.name, change.id)
            if row is None or row[field] != value:
                continue
            twins = [
                other
                for other in rows.select_rows(self.conn, kind, where={per: row[per], field: value})
                if other["id"] != change.id
            ]
            if twins:
                state = choice_label(value).lower()
                raise ValidationError(
                    f"{kind.label} · {kind.field(field).label} ({field}): “{twins[0][kind.title_field]}” is "
                    f"the {state} {kind.label.lower()} already; one may be {state} at a time. "
                    f"Set that one to another {kind.field(field).label.lower()} first.",
                    kind=kind.name,
                    field=field,
                )

    def check_signoffs(self) -> None:
        """A sign-off this batch wrote names a pack version that was recorded: one with a made-up content
        hash would show its colleague as cleared (as imports check, `bulk._check_signoffs`)."""
        from companion.core.induction import check_signoff, version_key  # induction builds on this module

        named = ("client_id", "version", "content_hash", "candid")
        for change in self.changes:
            if change.kind != "pack_signoff" or change.op not in ("create", "update"):
                continue
            if change.op == "update" and not set(change.after) & set(named):
                continue
            signoff = self.live("pack_signoff", change.id)
            if signoff is None:
                continue
            versions = rows.select_rows(
                self.conn, get_kind("pack_version"), where={"client_id": signoff["client_id"]}
            )
            check_signoff(signoff, {version_key(v) for v in versions})

    def settle_meetings(self, also: Iterable[str] = ()) -> None:
        """A meeting is ready only with every must-item ticked: setting it ready with one open is
        refused; an open must appearing later (a new rule, an untick) puts it back to planned. The
        meetings this batch touched are settled, and those in `also` (pulled from the team)."""
        item_kind = get_kind("meeting_checklist_item")
        touched = {c.id for c in self.changes if c.kind == "meeting" and c.op != "delete"} | set(also)
        item_ids = [c.id for c in self.changes if c.kind == item_kind.name]
        for row in rows.fetch(self.conn, item_kind, item_ids).values():
            touched.add(str(row["meeting_id"]))
        meeting_kind = get_kind("meeting")
        for meeting_id in sorted(touched):
            meeting = self.live("meeting", meeting_id)
            if meeting is None or meeting["status"] != "ready":
                continue
            items = rows.select_rows(self.conn, item_kind, where={"meeting_id": meeting_id})
            open_musts = [i for i in items if i["must"] and not i["done"] and not i["removed"]]
            if not open_musts:
                continue
            made_ready = any(
                c.kind == "meeting" and c.id == meeting_id and c.after.get("status") == "ready"
                for c in self.changes
            )
            if made_ready:
                listed = "; ".join(str(i["text"]) for i in open_musts[:3])
                more = f" and {len(open_musts) - 3} more" if len(open_musts) > 3 else ""
                raise ValidationError(
                    f"Meeting · Status: “{meeting['title']}” cannot be ready while {len(open_musts)} "
                    f"must-item{'s are' if len(open_musts) != 1 else ' is'} not ticked: {listed}{more}.",
                    kind="meeting",
                    field="status",
                )
            self.update(meeting_kind, meeting_id, {"status": "planned"})

    def restore(self, kind: Kind, record_id: str) -> None:
        current = self._row(kind, record_id, deleted=True)
        record = _field_values(kind, current)
        single_refs = {f.name for f in kind.fields if f.type == "ref"}
        check_references(kind, record, self.live, fields=single_refs)
        rows.update(self.conn, kind, record_id, {"deleted_at": None, "updated_at": self.stamp})
        self.forget(kind, record_id)
        search_index.index(self.conn, kind, [{"id": record_id, **record}])
        self._outbox(kind, record_id, "upsert", ["deleted_at"], current["row_seq"])
        self.changes.append(Change("restore", kind.name, record_id, {}, {}))


class Workspace:
    """An open workspace and the services on it. Hands out plain records only, never rows."""

    def __init__(self, db: Database):
        self.db = db
        self._interrupted = threading.Event()

    @classmethod
    def open(cls, path: Path, key: WorkspaceKey | None = None) -> Workspace:
        """KEY opens an encrypted file (and encrypts a new one); companion.app.workspace_keys finds it."""
        return cls(Database.open(path, key))

    def close(self) -> None:
        self.db.close()

    @property
    def path(self) -> Path:
        return self.db.path

    # --- stopping long work --------------------------------------------------------------

    def interrupt(self) -> None:
        """Asks the operation now running to stop; safe to call from any thread."""
        self._interrupted.set()

    def clear_interrupt(self) -> None:
        self._interrupted.clear()

    def check_interrupt(self) -> None:
        """Raises Interrupted if a stop was asked for; long operations call it between steps."""
        if self._interrupted.is_set():
            self._interrupted.clear()
            raise Interrupted("Stopped. Nothing of it was saved.")

    # --- reading -------------------------------------------------------------------------

    def get(self, *, kind: str, id: str, include_deleted: bool = False) -> Record:
        k = get_kind(kind)
        with self.db.reading() as conn:
            row = rows.fetch(conn, k, [id], include_deleted=include_deleted).get(id)
        if row is None:
            raise NotFoundError(f"There is no {k.label.lower()} with the id {id}.")
        return _to_record(k, row)

    def get_many(self, *, kind: str, ids: Sequence[str]) -> dict[str, Record]:
        k = get_kind(kind)
        with self.db.reading() as conn:
            found = rows.fetch(conn, k, ids, include_deleted=True)
        return {record_id: _to_record(k, row) for record_id, row in found.items()}

    def rows_of(self, *, kind: str, ids: Sequence[str]) -> dict[str, dict]:
        """The stored rows (every column, deleted ones included) of these ids: what a push sends."""
        k = get_kind(kind)
        with self.db.reading() as conn:
            return rows.fetch(conn, k, ids, include_deleted=True)

    def dependents(self, *, kind: str, id: str) -> dict[str, int]:
        """How many live records of each kind point at this one with a single reference: what deleting it
        would also change or delete (lists of people keep a deleted person's id)."""
        counts: dict[str, int] = {}
        with self.db.reading() as conn:
            for (other, field), ids in rows.live_referrers(conn, get_kind(kind).name, id).items():
                if get_kind(other).field(field).type == "ref":
                    counts[other] = counts.get(other, 0) + len(ids)
        return counts

    def find_kind(self, *, id: str) -> str | None:
        with self.db.reading() as conn:
            kind = rows.find_kind_of(conn, id)
        return kind.name if kind else None

    def list(
        self,
        *,
        kind: str,
        where: Mapping[str, object] | None = None,
        include_deleted: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Record]:
        k = get_kind(kind)
        for name in where or {}:
            if name not in MIXIN_COLUMNS and k.field(name) is None:
                normalise_fields(k, {name: None})  # raises the unknown-field error
        with self.db.reading() as conn:
            found = rows.select_rows(
                conn, k, where=where, include_deleted=include_deleted, limit=limit, offset=offset
            )
        return [_to_record(k, row) for row in found]

    def columns(self, *, kind: str, fields: Sequence[str], ordered: bool = True) -> list[tuple]:
        """Chosen fields (or id, created_at, updated_at) of every live record, as tuples, by title (or in
        no particular order)."""
        k = get_kind(kind)
        for name in fields:
            if name not in MIXIN_COLUMNS and k.field(name) is None:
                normalise_fields(k, {name: None})  # raises the unknown-field error
        with self.db.reading() as conn:
            return rows.select_columns(conn, k, fields, ordered=ordered)

    def page(self, *, kind: str, fields: Sequence[str], offset: int = 0, limit: int = 500) -> list[tuple]:
        """Live records `offset` to `offset + limit` in title order, as (id, *fields) tuples."""
        k = get_kind(kind)
        for name in fields:
            if name not in MIXIN_COLUMNS and k.field(name) is None:
                normalise_fields(k, {name: None})  # raises the unknown-field error
        with self.db.reading() as conn:
            return rows.select_page(conn, k, fields, offset=offset, limit=limit)

    def directory_ids(self, *, text: str = "", order: str = "name", descending: bool = False) -> list[str]:
        """Ids of the live people matching `text` (name, current title or client, any spelling), in the
        order of a directory column."""
        from companion.model.text import fold

        with self.db.reading() as conn:
            return queries.directory_ids(conn, text=text, order=order, descending=descending, fold=fold)

    def directory_rows(self, *, ids: Sequence[str]) -> list[tuple]:
        """The directory's columns of these people, in the order given: (id, name, title, client, phone,
        relationship strength, preferred channel, visit every, difficult)."""
        with self.db.reading() as conn:
            found = queries.directory_rows(conn, list(ids))
        return [found[i] for i in ids if i in found]

    def last_contact_dates(self, *, contact_ids: Sequence[str] | None = None) -> dict[str, str]:
        """Each person's latest interaction date, by contact id."""
        with self.db.reading() as conn:
            return queries.last_contact_dates(conn, list(contact_ids) if contact_ids is not None else None)

    def interaction_ids_involving(
        self, *, contact_ids: Sequence[str], client_id: str | None = None
    ) -> list[str]:
        """Live interactions any of these people took part in (at one client if given), newest first."""
        if not contact_ids:
            return []
        with self.db.reading() as conn:
            return queries.interaction_ids_involving(conn, list(contact_ids), client_id=client_id)

    def overdue_contacts(self, *, today: str, limit: int = 50) -> tuple[list[tuple], int]:
        """People overdue against their own visit frequency, most overdue first, and the total."""
        with self.db.reading() as conn:
            return queries.overdue_contacts(conn, today=today, limit=limit)

    def position_facts(
        self,
        *,
        deciding_roles: Sequence[str],
        champion_roles: Sequence[str],
        ended_since: str,
        client_id: str | None = None,
    ) -> queries.PositionFacts:
        """The positions the early-warning rules read (store/queries.py `position_facts`)."""
        with self.db.reading() as conn:
            return queries.position_facts(
                conn, deciding_roles=deciding_roles, champion_roles=champion_roles, ended_since=ended_since,
                client_id=client_id,
            )  # fmt: skip

    def current_position_holders(self) -> dict[str, list[str]]:
        """The clients where each person holds an unended position, by contact id."""
        with self.db.reading() as conn:
            return queries.current_position_holders(conn)

    def count(self, *, kind: str) -> int:
        with self.db.reading() as conn:
            return rows.count_rows(conn, get_kind(kind))

    def search(self, *, text: str, limit: int = 20) -> list[search_index.Hit]:
        with self.db.reading() as conn:
            return search_index.search(conn, text, limit=limit)

    def outbox(self, *, record_id: str | None = None, limit: int | None = None, after: int = 0) -> list[dict]:
        """Local edits not yet acknowledged by the server, oldest first (the first `limit` of them, from
        mutation id `after` on)."""
        with self.db.reading() as conn:
            return rows.outbox_entries(conn, record_id=record_id, limit=limit, after=after)

    def first_queued(self, *, record_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
        """For records with edits in the outbox: the mutation id and base number of the first one."""
        with self.db.reading() as conn:
            return rows.first_outbox_entries(conn, record_ids)

    def outbox_count(self) -> int:
        with self.db.reading() as conn:
            return rows.outbox_count(conn)

    def meta(self, *, key: str) -> str | None:
        with self.db.reading() as conn:
            return rows.meta(conn, key)

    def metas(self, *, keys: Sequence[str]) -> dict[str, str]:
        """The bookkeeping keys that are set, read together (a sync reads several at each step)."""
        with self.db.reading() as conn:
            return rows.meta_values(conn, keys)

    def meta_items(self, *, prefix: str) -> dict[str, str]:
        with self.db.reading() as conn:
            return rows.meta_items(conn, prefix)

    # --- writing -------------------------------------------------------------------------

    def apply(self, *, edits: Sequence[Edit], label: str = "", react: bool = True) -> ChangeSet:
        """Applies edits in order in one transaction: all of them, or none if any is refused. Then the
        domain reactions run (`react`), unless the caller runs them once for several applies."""
        return self._apply(edits, label=label, react=react)

    def _apply(self, edits: Sequence[Edit], *, label: str, react: bool, in_bulk: bool = False) -> ChangeSet:
        """`apply`; `in_bulk` first tries the edits together (bulk.deletes_or_restores), which writes
        nothing when it cannot give exactly what applying them one by one gives."""
        with self.db.writing() as conn:
            batch = _Batch(conn)
            if in_bulk:
                self._apply_in_bulk(batch, list(edits))
            else:
                self._apply_in_order(batch, list(edits))
            batch.check_moves()
            batch.check_single()
            batch.check_signoffs()
            batch.settle_meetings()
        changes = ChangeSet(tuple(batch.changes), label)
        return self.react(changes) if react else changes

    def _apply_in_order(self, batch: _Batch, pending: list[Edit]) -> None:
        while pending:
            waiting = self._apply_edits(batch, pending)
            if len(waiting) == len(pending):
                self._apply_edits(batch, waiting[:1], defer=False)  # raises the real refusal
                waiting = waiting[1:]
            pending = waiting

    def _apply_in_bulk(self, batch: _Batch, edits: list[Edit]) -> None:
        """A large undo or redo: its plain deletes or restores written together (bulk.deletes_or_restores),
        the rest one by one. An undone import mixes the deletes of the records it made with updates
        giving people it merged into their values back; those updates go first, since a value from
        before the import can never point at a record the import made. Redone, the restores go first,
        since the updates may point at them. Anything else goes one by one, in order."""
        conn = batch.conn
        plain = [e for e in edits if e.op in ("delete", "restore") and not e.values]
        updates = [e for e in edits if e.op == "update"]
        ops = {e.op for e in plain}
        if len(ops) != 1 or len(plain) + len(updates) != len(edits):
            self._apply_in_order(batch, edits)
            return
        if ops == {"delete"}:
            self._apply_in_order(batch, updates)
            together = bulk.deletes_or_restores(conn, plain, batch.stamp)
            if together is None:
                self._apply_in_order(batch, plain)
            else:
                batch.forget_all()
                batch.changes.extend(together)
            return
        together = bulk.deletes_or_restores(conn, plain, batch.stamp)
        if together is None:
            self._apply_in_order(batch, edits)
            return
        batch.forget_all()
        batch.changes.extend(together)
        self._apply_in_order(batch, updates)

    def react(self, changes: ChangeSet, *, today: dt.date | None = None) -> ChangeSet:
        """Runs the domain reactions (core/reactions.py) after `changes` were written; returns them with
        what the reactions changed attached as `reactions`. Every service runs it after writing; one
        made of several writes (planning a meeting and composing its checklist) runs it once, at the end.

        The change itself is saved whatever happens here: a reaction that fails (the file busy) is logged
        and left to the next change or the meeting page, which recompose again."""
        from companion.core import reactions

        try:
            followed = reactions.follow(self, changes, today=today)
        except Exception:
            logging.getLogger(__name__).warning("Reactions to %r failed", changes.label, exc_info=True)
            return changes
        return dataclasses.replace(changes, reactions=followed) if followed else changes

    def react_to_pull(self, *, today: dt.date | None = None) -> ChangeSet:
        """Runs what the pulled pages left for the reactions (core/reactions.py), then forgets it; a
        failure leaves it for the next sync."""
        from companion.core import reactions

        due = self.meta(key=reactions.DUE_AFTER_PULL)
        if due is None:
            return ChangeSet((), "", derived=True)
        try:
            followed = reactions.follow_pull(self, due=due, today=today)
        except Exception:
            logging.getLogger(__name__).warning("Reactions to a pull failed", exc_info=True)
            return ChangeSet((), "", derived=True)
        self.set_meta(values={reactions.DUE_AFTER_PULL: None})
        return followed

    def settle_meetings(self, *, meeting_ids: Sequence[str]) -> ChangeSet:
        """Puts back to planned those of these meetings marked ready with a must-item open (derived)."""
        if not meeting_ids:
            return ChangeSet((), "", derived=True)
        with self.db.writing() as conn:
            batch = _Batch(conn)
            batch.settle_meetings(also=meeting_ids)
        return ChangeSet(tuple(batch.changes), "Settle meetings", derived=True)

    @staticmethod
    def _apply_edits(batch: _Batch, edits: Sequence[Edit], *, defer: bool = True) -> list[Edit]:
        """Applies edits in order; a delete blocked only by records this batch deletes later waits
        for them (undoing an import deletes a boss before the report that points at them)."""
        later_deletes = {e.id for e in edits if e.op == "delete"}
        waiting: list[Edit] = []
        for edit in edits:
            kind = get_kind(edit.kind)
            if edit.op == "delete" and defer and not edit.values.get("cascade"):
                referrers = rows.live_referrers(batch.conn, kind.name, str(edit.id))
                blockers = {
                    i for (k, f), ids in referrers.items() if get_kind(k).field(f).type == "ref" for i in ids
                }
                if blockers and blockers <= later_deletes:
                    waiting.append(edit)
                    continue
            batch.apply_one(kind, edit)
        return waiting

    def create(
        self, *, kind: str, values: Mapping[str, object], id: str | None = None, react: bool = True
    ) -> ChangeSet:
        label = f"Add {get_kind(kind).label.lower()}"
        return self.apply(edits=[Edit("create", kind, id, dict(values))], label=label, react=react)

    def update(self, *, kind: str, id: str, values: Mapping[str, object], react: bool = True) -> ChangeSet:
        label = f"Edit {get_kind(kind).label.lower()}"
        return self.apply(edits=[Edit("update", kind, id, dict(values))], label=label, react=react)

    def delete(self, *, kind: str, id: str, cascade: bool = False, react: bool = True) -> ChangeSet:
        label = f"Delete {get_kind(kind).label.lower()}"
        return self.apply(edits=[Edit("delete", kind, id, {"cascade": cascade})], label=label, react=react)

    def restore(self, *, kind: str, id: str, react: bool = True) -> ChangeSet:
        label = f"Restore {get_kind(kind).label.lower()}"
        return self.apply(edits=[Edit("restore", kind, id)], label=label, react=react)

    def import_records(
        self, *, records: Mapping[str, Sequence[Mapping[str, object]]], label: str = "Import"
    ) -> ChangeSet:
        """Validates every record first, then writes all that differs in one transaction.

        Records are written as they are, derived ones included (a bundle carries its meetings'
        checklists): the domain reactions do not run, so importing gives exactly what was imported.
        """
        with self.db.writing() as conn:
            changes = bulk.import_records(conn, records)
            self.check_interrupt()  # stopped while importing: roll back, nothing half-written
        return ChangeSet(tuple(changes), label)

    def export_records(self, *, client_id: str | None = None) -> dict[str, list[dict]]:
        """Every live record by kind (or those belonging with one client), as plain dicts.

        A list of references keeps only members that are exported too, so the result always
        imports on its own (a deleted person drops out of an old attendee list).
        """
        with self.db.reading() as conn:
            all_rows = {k.name: {r["id"]: r for r in rows.select_rows(conn, k)} for k in KINDS}
        if client_id is not None:
            if client_id not in all_rows["client"]:
                raise NotFoundError(f"There is no client with the id {client_id}.")
            keep = bulk.client_closure(all_rows, client_id)
            all_rows = {k: {i: r for i, r in by_id.items() if i in keep[k]} for k, by_id in all_rows.items()}
        result: dict[str, list[dict]] = {}
        for kind in KINDS:
            items = []
            for record_id in sorted(all_rows[kind.name]):
                row = all_rows[kind.name][record_id]
                item = {"id": record_id, "created_at": row["created_at"], "updated_at": row["updated_at"]}
                for f in kind.fields:
                    value = row.get(f.name)
                    if f.type == "refs" and value:
                        value = [v for v in value if v in all_rows[f.ref_kind]] or None
                    if value is not None:
                        item[f.name] = value
                items.append(item)
            if items:
                result[kind.name] = items
        return result

    # --- sync bookkeeping -------------------------------------------------------------------

    def set_meta(self, *, values: Mapping[str, str | None]) -> None:
        """Workspace bookkeeping (sync state), written in one transaction."""
        with self.db.writing() as conn:
            rows.set_meta(conn, values)

    def acknowledge_push(
        self,
        *,
        before_mutation: int,
        meta: Mapping[str, str | None],
        row_seqs: Mapping[str, Sequence[tuple[int, str, str]]] | None = None,
    ) -> None:
        """The server has the edits queued before `before_mutation`: they leave the outbox (marked so;
        `forget_acknowledged` deletes them). `row_seqs` (kind → (seq, team id, record id)) are the
        numbers the server gave records it holds as sent."""
        with self.db.writing() as conn:
            rows.acknowledge_outbox_before(conn, before_mutation)
            for kind, changes in (row_seqs or {}).items():
                rows.set_row_seqs(conn, get_kind(kind), changes)
            rows.set_meta(conn, meta)

    def forget_acknowledged(self) -> None:
        """Deletes the outbox entries the server acknowledged (a push's batches), together; writes nothing
        when none are left."""
        with self.db.reading() as conn:
            if not rows.acknowledged_outbox_left(conn):
                return
        with self.db.writing() as conn:
            rows.delete_acknowledged_outbox(conn)

    def apply_pulled(
        self,
        *,
        records: Sequence[Mapping[str, object]],
        team_id: str | None,
        meta: Mapping[str, str | None],
        live_before: int,
        deleted_so_far: int = 0,
        allow_deletes: bool = False,
    ):
        """One page from the server and its cursor, in one transaction (all or nothing), with what it
        leaves for the reactions once the pull is done (`react_to_pull`)."""
        from companion.core import reactions, remote

        with self.db.writing(check_references=False) as conn:
            applied = remote.apply_rows(
                conn, records, team_id=team_id, live_before=live_before, deleted_so_far=deleted_so_far,
                allow_deletes=allow_deletes,
            )  # fmt: skip
            due = reactions.note_pulled(rows.meta(conn, reactions.DUE_AFTER_PULL), applied.records)
            aside = remote.set_aside_after(rows.meta(conn, remote.SET_ASIDE), applied)
            rows.set_meta(conn, {**meta, reactions.DUE_AFTER_PULL: due, remote.SET_ASIDE: aside})
        return applied

    def differing_from_server(self, *, rows: Sequence[Mapping[str, object]]) -> tuple[set[str], set[str]]:
        """Of a page of the server's rows: the ids it holds, and those whose version here differs."""
        from companion.core import remote

        with self.db.reading() as conn:
            return remote.differing_from_server(conn, rows)

    def resend_what_the_server_lost(
        self, *, held: set[str], differing: set[str], meta: Mapping[str, str | None]
    ) -> int:
        """After the server was restored from a backup: what it lacks or holds otherwise goes into the
        outbox again (core/remote.py), with the sync bookkeeping `meta`, in one transaction; the count."""
        from companion.core import remote

        with self.db.writing() as conn:
            queued = remote.queue_what_the_server_lost(conn, held=held, differing=differing)
            rows.set_meta(conn, meta)
        return queued

    def set_aside(self) -> dict[str, dict]:
        """Records from the server this laptop could not store, by id: {kind, seq, problem}."""
        from companion.core import remote

        return remote.set_aside_of(self.meta(key=remote.SET_ASIDE))

    def undo(self, *, changes: ChangeSet) -> ChangeSet:
        """Reverses a change set; the result reverses the undo (redo). A large one (an import, a campaign's
        drawn targets) is checked and written together, with the same outcome."""
        edits = changes.undo_edits()
        return self._apply(
            edits, label=changes.label, react=True, in_bulk=len(edits) >= bulk.UNDO_IN_BULK_FROM
        )

    def worklist_contacts(
        self,
        *,
        today: str,
        limit: int,
        owner_id: str | None = None,
        client_id: str | None = None,
        snoozed: Sequence[str] = (),
        with_snoozed: bool = False,
    ) -> tuple[list[tuple], int, int]:
        """People overdue against their own visit frequency for home's worklist (a colleague's, one
        client's): the first `limit`, how many there are, how many of them are snoozed."""
        with self.db.reading() as conn:
            return queries.worklist_contacts(
                conn, today=today, limit=limit, owner_id=owner_id, client_id=client_id,
                snoozed=list(snoozed), with_snoozed=with_snoozed,
            )  # fmt: skip

    def worklist_candidates(
        self, *, today: str, follow_ups_by: str, sites_verified_by: str, meetings_until: str
    ) -> dict[str, list[tuple]]:
        """Home's other groups as rows, in one read: role models due for reassessment, sites to verify,
        open follow-ups due, planned and ready meetings around these dates (queries.worklist_candidates)."""
        with self.db.reading() as conn:
            return queries.worklist_candidates(
                conn, today=today, follow_ups_by=follow_ups_by, sites_verified_by=sites_verified_by,
                meetings_until=meetings_until,
            )  # fmt: skip


__all__ = ["KINDS", "Workspace"]
