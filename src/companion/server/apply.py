"""One pushed mutation applied to its record, in steps: check, new record, delete, edit of fields, write."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import sqlalchemy as sa

from companion.model.errors import ValidationError
from companion.model.kinds import KINDS_BY_NAME, Kind
from companion.model.rules import check_dates_in_order, check_record
from companion.model.values import is_uuid, stored_form, stored_forms
from companion.server.batch import Batch, title_key
from companion.server.common import BadMutation, keep_history
from companion.server.schema import conflict, history, record
from companion.sync import wire
from companion.sync.merge import MERGE_SECONDS, merge3

PUSH_MERGE_SECONDS = 1.0


def result(seq: int, record_seq: int | None = None, applied=(), conflicts=()) -> dict:
    """One mutation's outcome, shaped like wire.MutationResult."""
    return {
        "seq": seq, "record_seq": record_seq, "applied": sorted(applied), "conflicts": list(conflicts),
        "replayed": False,
    }  # fmt: skip


@dataclass(slots=True)
class _Incoming:
    """The mutation being applied, with what every step needs of it: its push, its sender, its number."""

    batch: Batch
    m: wire.Mutation
    kind: Kind
    device_id: str
    seq: int  # the team's number for this change

    @property
    def hlc(self) -> str:
        """Its clock stamp as a field keeps it: ties between devices go by device id.

        Never later than the server's own clock when the push arrived: a laptop whose clock runs ahead
        (or lies) would otherwise win every simultaneous edit for as long as its stamps stay ahead."""
        stamp = min(self.m.hlc, self.batch.stamp)
        return f"{stamp}|{self.device_id}"

    @property
    def own(self) -> str:
        """How a field's stamp ends when this very device wrote it last."""
        return f"|{self.device_id}"

    def keep_history(self, name: str, value: Any, seq: int) -> None:
        keep_history(self.batch.conn, self.batch.team_id, self.m.id, name, value, seq, self.device_id)

    def conflict(
        self, name: str, reason: str, *, base=None, kept=None, other=None, other_device: str | None = None
    ) -> str:
        """A conflict for a person to look at, numbered with this change; its id. `other_device` wrote the
        value set aside (`other`): this device, unless its own value was kept."""
        conflict_id = str(uuid.uuid4())
        m = self.m
        self.batch.conn.execute(
            sa.insert(conflict).values(
                id=conflict_id, team_id=self.batch.team_id, record_id=m.id, kind=m.kind, field=name,
                reason=reason, base=base, kept=kept, other=other, other_device=other_device or self.device_id,
                seq=self.seq,
            )
        )  # fmt: skip
        return conflict_id


@dataclass(slots=True)
class _Draft:
    """The held record as the mutation leaves it, not written yet, and what the device is told."""

    fields: dict
    seqs: dict
    hlcs: dict
    deleted_at: str | None
    deleted_seq: int | None
    applied: list[str] = dataclass_field(default_factory=list)
    conflicts: list[str] = dataclass_field(default_factory=list)

    @classmethod
    def of(cls, held) -> _Draft:
        return cls(
            dict(held.fields), dict(held.field_seqs), dict(held.field_hlcs), held.deleted_at, held.deleted_seq
        )

    def take(self, name: str, value: Any, seq: int, hlc: str) -> None:
        self.fields[name], self.seqs[name], self.hlcs[name] = value, seq, hlc
        self.applied.append(name)


def apply(batch: Batch, device_id: str, m: wire.Mutation, seq: int) -> dict:
    """What the mutation does to its record, numbered `seq`, and what the device is told of it."""
    incoming = _Incoming(batch, m, _checked_kind(m), device_id, seq)
    held = batch.record(m.id)
    if held is not None and held.kind != m.kind:
        raise BadMutation(f"mutation {m.seq}: record {m.id} is a {held.kind}, not a {m.kind}")
    sent = m.fields  # read, never changed: the checked values are a new dict
    fields_in = _checked_values(
        incoming, {f: v for f, v in sent.items() if f != "deleted_at"} if "deleted_at" in sent else sent
    )
    if m.op == "upsert":
        _expect_targets(incoming, fields_in, held)
    if held is None:
        if m.op == "delete":
            return _made_and_deleted_offline(incoming, fields_in)
        _check_new_record(incoming, fields_in)
        return _new_record(incoming, fields_in)
    draft = _Draft.of(held)
    if m.op == "delete":
        _delete_unless_edited_unseen(incoming, draft)
    else:
        _bring_back_if_deleted(incoming, draft)
        for name, value in fields_in.items():
            _edit_field(incoming, draft, name, value)
    return _write_row(incoming, held, draft)


def _checked_kind(m: wire.Mutation) -> Kind:
    """The mutation's kind, when it names one and only fields of it; BadMutation otherwise.

    Read from the kinds table at each check, not once at import: a kind registered later is accepted.
    """
    kind = KINDS_BY_NAME.get(m.kind)
    if kind is None:
        raise BadMutation(f"mutation {m.seq}: there is no record kind '{m.kind}'")
    if kind.field_name_set.issuperset(m.fields):
        return kind
    unknown = sorted(m.fields.keys() - kind.field_name_set - {"deleted_at"})
    if unknown:
        raise BadMutation(f"mutation {m.seq}: {kind.label} has no field {', '.join(unknown)}")
    return kind


def _refused(m: wire.Mutation, kind: Kind, error: ValidationError) -> BadMutation:
    """A value the laptop's services would refuse, named as they name it, with the record it is in."""
    return BadMutation(f"mutation {m.seq}, {kind.label.lower()} {m.id}: {error}")


def _checked_values(incoming: _Incoming, fields_in: dict) -> dict:
    """The values in the form the laptops' services keep them, checked by the same rules (types, choices,
    lengths, dates, sizes); BadMutation naming the record and field of the first that fails.

    A value the rules accept but would write differently (spaces around a name) is kept as they write it,
    and the device reads the record back.
    """
    kind, m = incoming.kind, incoming.m
    if not is_uuid(m.id) or m.id != m.id.lower():
        raise BadMutation(f"mutation {m.seq}: '{m.id}' is not a record id")
    try:
        checked, changed = stored_forms(kind, fields_in)
    except ValidationError as exc:
        raise _refused(m, kind, exc) from None
    if changed:
        incoming.batch.clean = False
    if m.op == "upsert":
        # Only dates this mutation sets together: the rest of the record may have moved on elsewhere,
        # and a pair that clashes only once merged is the merge's business, not a refusal.
        try:
            check_dates_in_order(kind, checked)
        except ValidationError as exc:
            raise _refused(m, kind, exc) from None
    return checked


def _expect_targets(incoming: _Incoming, fields_in: dict, held) -> None:
    """Notes the references the push must leave pointing at records of the team (`check_targets`).

    What the record already pointed at stays allowed: a list keeps members deleted since, and older
    servers kept no trace of a record made and deleted offline."""
    kind = incoming.kind
    for described in kind.reference_fields:
        value = fields_in.get(described.name)
        if value is None:
            continue
        before = held.fields.get(described.name) if held is not None else None
        kept = set(before) if isinstance(before, list) else {before}
        for target in value if described.is_list else [value]:
            if target not in kept:
                incoming.batch.references.append((incoming.m, kind, described, target))


def check_targets(batch: Batch) -> None:
    """Every reference the push wrote points at a record of the team of the field's kind, held before
    or made anywhere in the same push; BadMutation naming record and field otherwise.

    Checked once the push is applied, so the order of a push's records does not matter. A deleted target
    is fine; whether it belongs to the same client is the laptops' rule, not a reason to refuse a push
    whose target moved meanwhile."""
    for m, kind, described, target in batch.references:
        if batch.target_kinds.get(target) != described.ref_kind:
            wanted = KINDS_BY_NAME[described.ref_kind].label.lower()
            problem = f"{kind.label} · {described.label} ({described.name}): no {wanted} of this team has the id {target}"
            raise _refused(m, kind, ValidationError(problem, kind=kind.name, field=described.name))


def check_signoffs(batch: Batch, mutations: Iterable[wire.Mutation]) -> None:
    """Every sign-off the push wrote names a pack version the team holds, as the laptops' services and
    imports require (core.induction.check_signoff): one with a made-up content hash would show its
    colleague as cleared on every laptop. Checked once the push is applied, as references are."""
    named = {"client_id", "version", "content_hash", "candid"}
    pushed = [
        m for m in mutations if m.kind == "pack_signoff" and m.op == "upsert" and named & m.fields.keys()
    ]
    if not pushed:
        return
    from companion.core.induction import check_signoff, version_key  # only pushes carrying sign-offs

    batch.flush()
    versions = batch.conn.execute(
        sa.select(record.c.fields).where(record.c.team_id == batch.team_id, record.c.kind == "pack_version")
    )
    parts = [f.name for f in KINDS_BY_NAME["pack_version"].fields]
    known = set()
    for (fields,) in versions:
        with contextlib.suppress(TypeError, ValueError):  # a version without its number names nothing
            known.add(version_key({name: fields.get(name) for name in parts}))
    kind = KINDS_BY_NAME["pack_signoff"]
    for m in pushed:
        held = batch.record(m.id)
        if held is None or held.deleted_at is not None:
            continue
        try:
            check_signoff({f.name: held.fields.get(f.name) for f in kind.fields}, known)
        except (ValidationError, TypeError, ValueError) as exc:
            error = exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
            raise _refused(m, kind, error) from None


def _check_new_record(incoming: _Incoming, fields_in: dict) -> None:
    """A record new to the server holds what every record of its kind must (a meeting its start)."""
    try:
        check_record(incoming.kind, fields_in, record_id=incoming.m.id)
    except ValidationError as exc:
        raise _refused(incoming.m, incoming.kind, exc) from None


def _new_record(incoming: _Incoming, fields_in: dict) -> dict:
    """A record the server has never held: queued for the push's one bulk insert, every field applied."""
    batch, m, seq, hlc = incoming.batch, incoming.m, incoming.seq, incoming.hlc
    conflicts = _possible_duplicate(incoming, fields_in)
    batch.insert(
        m.id, m.kind, fields_in, seq=seq, hlc=hlc, created_at=m.created_at or batch.stamp, deleted=False
    )
    batch.clean = batch.clean and not conflicts
    return result(m.seq, seq, fields_in, conflicts)


def _made_and_deleted_offline(incoming: _Incoming, fields_in: dict) -> dict:
    """A record made and deleted before it was ever pushed: kept as deleted, with the values the laptop
    sent along, so what pointed at it meanwhile (a list keeps deleted members) still finds it and an
    undo of the delete brings it back whole. Laptops that never held it skip it on a pull."""
    batch, m, seq, hlc = incoming.batch, incoming.m, incoming.seq, incoming.hlc
    batch.insert(
        m.id, m.kind, fields_in, seq=seq, hlc=hlc, created_at=m.created_at or batch.stamp, deleted=True
    )
    return result(m.seq, seq, ["deleted_at"])


def _possible_duplicate(incoming: _Incoming, fields_in: dict) -> list[str]:
    """A flag when the new record may be one the team has already (the same client typed on two laptops).

    Only for a kind whose duplicate rule is "same_title": a live record of the kind in the team with the
    same title key. Both are kept; merging them is a person's call.
    """
    kind = incoming.kind
    title = kind.title_field
    if kind.duplicate_rule != "same_title" or not fields_in.get(title):
        return []
    key = title_key(fields_in[title])
    titles = incoming.batch.titles(kind)
    twin = titles.get(key)
    titles[key] = incoming.m.id
    if twin is None:
        return []
    return [incoming.conflict(title, "possible_duplicate", kept=fields_in[title], other=twin)]


def _delete_unless_edited_unseen(incoming: _Incoming, draft: _Draft) -> None:
    """A delete: done, unless others edited the record since the device last read it."""
    if draft.deleted_at is not None:
        return  # deleted already: nothing changes
    # What others wrote since the device last read the record; its own earlier edits it knows.
    unseen = sorted(
        f
        for f, s in draft.seqs.items()
        if s > incoming.m.base_seq and not str(draft.hlcs.get(f, "")).endswith(incoming.own)
    )
    if unseen:
        # Someone edited what this device deleted without seeing it: keep the record, ask a person.
        draft.conflicts.append(incoming.conflict("*", "delete_after_edit", other=unseen))
    else:
        draft.deleted_at, draft.deleted_seq = incoming.batch.stamp, incoming.seq
        draft.applied.append("deleted_at")


def _bring_back_if_deleted(incoming: _Incoming, draft: _Draft) -> None:
    """An edit of a deleted record: back, flagged, when it never saw the delete; back when restored."""
    if draft.deleted_at is None:
        return
    m = incoming.m
    if (draft.deleted_seq or 0) > m.base_seq:
        # Written over a delete the device had not seen: the edit wins, and a person is told.
        draft.deleted_at, draft.deleted_seq = None, None
        draft.applied.append("deleted_at")
        draft.conflicts.append(incoming.conflict("*", "edit_after_delete"))
    elif "deleted_at" in m.fields and m.fields["deleted_at"] is None:
        draft.deleted_at, draft.deleted_seq = None, None  # restored on the device
        draft.applied.append("deleted_at")


def _edit_field(incoming: _Incoming, draft: _Draft, name: str, value: Any) -> None:
    """One field's new value: it follows, merges three ways, or meets a concurrent edit."""
    current = draft.fields.get(name)
    if current == value:
        return
    field_seq = int(draft.seqs.get(name, 0))
    if _follows(incoming, draft, name, field_seq):
        incoming.keep_history(name, current, field_seq)
        draft.take(name, value, incoming.seq, incoming.hlc)
        return
    base = _base_of(incoming, draft, name, current, field_seq)
    if not _merged_three_ways(incoming, draft, name, base, value, current, field_seq):
        _concurrent_edit(incoming, draft, name, base, value, current, field_seq)


def _follows(incoming: _Incoming, draft: _Draft, name: str, field_seq: int) -> bool:
    """Whether the new value simply follows the held one, with nothing of others' to lose.

    So when the field is unchanged since the device saw it, or was last written by this very device (an
    edit made while its previous push was on the way).
    """
    return field_seq <= incoming.m.base_seq or str(draft.hlcs.get(name, "")).endswith(incoming.own)


def _base_of(incoming: _Incoming, draft: _Draft, name: str, current: Any, field_seq: int) -> Any:
    """The value the device's edit grew from: what the others' writes are weighed against."""
    if str(draft.hlcs.get(name, "")).endswith(f"{incoming.own}|merged"):
        # This device's last write was merged with others' here; its new edit grew from what
        # it wrote, so that is the base the others' part is kept against.
        return _sent_value(incoming, name, field_seq)
    return _value_at(incoming, name, incoming.m.base_seq, current, field_seq)


def _merged_three_ways(
    incoming: _Incoming, draft: _Draft, name: str, base: Any, value: Any, current: Any, field_seq: int
) -> bool:
    """Whether both edits of a long text were kept, merged against their base (False: they clash)."""
    described = incoming.kind.field(name)
    if described is None or described.type != "longtext":
        return False
    # Merged before the push took its lock (`merge_ahead`); a text that changed since is not merged
    # under the lock, where other pushes wait, but left to a person.
    merged = incoming.batch.merged.get((base, value, current))
    if merged is None:
        return False
    incoming.keep_history(name, current, field_seq)
    if merged != value:
        incoming.keep_history(name, value, incoming.seq)  # as this device wrote it
        incoming.batch.clean = False
    # Marked merged: the value holds others' writing too, so this device's next edit is
    # not "its own value, simply followed" (it never saw the merge).
    tag = incoming.hlc if merged == value else f"{incoming.hlc}|merged"
    draft.take(name, merged, incoming.seq, tag)
    return True


def merge_ahead(batch: Batch, device_id: str, mutations: Iterable[wire.Mutation]) -> dict[tuple, str]:
    """The three-way merges the push will need, made from what the server holds now, with no write lock
    held: (base, sent, held) → merged text, for the long texts that merge."""
    merged: dict[tuple, str] = {}
    # However many long texts a push brings, its merges together take at most this long.
    ends = time.monotonic() + PUSH_MERGE_SECONDS
    for m in mutations:
        kind = KINDS_BY_NAME.get(m.kind)
        held = batch.held.get(m.id)
        if m.op != "upsert" or kind is None or held is None or held.kind != m.kind:
            continue
        incoming = _Incoming(batch, m, kind, device_id, 0)
        draft = _Draft.of(held)
        for name, sent in m.fields.items():
            described = kind.field(name)
            if described is None or described.type != "longtext":
                continue
            try:
                value = stored_form(kind, described, sent)
            except ValidationError:
                continue  # refused when the push is applied
            current = draft.fields.get(name)
            field_seq = int(draft.seqs.get(name, 0))
            if current == value or _follows(incoming, draft, name, field_seq):
                continue
            base = _base_of(incoming, draft, name, current, field_seq)
            left = ends - time.monotonic()
            result_text = merge3(base, value, current, seconds=min(MERGE_SECONDS, left)) if left > 0 else None
            if result_text is not None:
                merged[(base, value, current)] = result_text
    return merged


def _concurrent_edit(
    incoming: _Incoming, draft: _Draft, name: str, base: Any, value: Any, current: Any, field_seq: int
) -> None:
    """Two edits made apart that cannot both stay: the later clock stamp wins, the other is kept aside.

    The loser goes to history under its own number so a person can still choose it, and a conflict
    names both values.
    """
    held_stamp = str(draft.hlcs.get(name, ""))
    incoming_wins = incoming.hlc > held_stamp
    if incoming_wins:
        kept, other = value, current
        # The value set aside was written by the device named in its stamp ("time|device[|merged]").
        loser = held_stamp.split("|")[1] if held_stamp.count("|") >= 1 else None
        incoming.keep_history(name, current, field_seq)
        draft.take(name, value, incoming.seq, incoming.hlc)
    else:
        kept, other, loser = current, value, incoming.device_id
        incoming.keep_history(name, value, incoming.seq)
    draft.conflicts.append(
        incoming.conflict(name, "concurrent_edit", base=base, kept=kept, other=other, other_device=loser)
    )


def _write_row(incoming: _Incoming, held, draft: _Draft) -> dict:
    """The record written back under the change's number, when the mutation changed or flagged anything."""
    batch, m, seq = incoming.batch, incoming.m, incoming.seq
    if not draft.applied and not draft.conflicts:
        return result(m.seq, int(held.seq))  # nothing to write: the record keeps its number
    batch.conn.execute(
        sa.update(record)
        .where(record.c.team_id == batch.team_id, record.c.id == m.id)
        .values(
            fields=draft.fields, field_seqs=draft.seqs, field_hlcs=draft.hlcs, deleted_at=draft.deleted_at,
            deleted_seq=draft.deleted_seq, updated_at=batch.stamp, seq=seq,
        )
    )  # fmt: skip
    batch.touched.add(m.id)
    batch.clean = batch.clean and not draft.conflicts
    return result(m.seq, seq, draft.applied, draft.conflicts)


def _value_at(incoming: _Incoming, field: str, seq: int, current: Any, current_seq: int) -> Any:
    """What the field held at `seq`: the latest value written at or before it."""
    if current_seq <= seq:
        return current
    row = incoming.batch.conn.execute(
        sa.select(history.c.value)
        .where(_history_of(incoming), history.c.field == field, history.c.seq <= seq)
        .order_by(history.c.seq.desc())
        .limit(1)
    ).first()
    return row.value if row is not None else None


def _sent_value(incoming: _Incoming, field: str, seq: int) -> Any:
    """What a device sent for a field that the server merged at `seq` (kept in history as written)."""
    row = incoming.batch.conn.execute(
        sa.select(history.c.value)
        .where(_history_of(incoming), history.c.field == field, history.c.seq == seq)
        .order_by(history.c.id.desc())
        .limit(1)
    ).first()
    return row.value if row is not None else None


def _history_of(incoming: _Incoming):
    """The condition for the history of the mutation's record (ids are the team's own)."""
    return sa.and_(history.c.team_id == incoming.batch.team_id, history.c.record_id == incoming.m.id)
