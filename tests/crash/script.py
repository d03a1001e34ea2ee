"""The edits the killed processes make, decided by a seed, and what a workspace holds after them."""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

# The fields a new note sets: its outbox entry names them (sorted, as the write path lists them).
NEW_NOTE_FIELDS = ("body", "client_id", "privacy", "title")
WORDS = (
    "agenda", "badge", "canteen", "deadline", "escort", "forecast", "gatehouse", "handshake", "induction",
    "keycard", "lanyard", "minutes", "negotiation", "procurement", "quarterly", "reception", "sceptic",
    "tender", "visitor", "workshop", "Ålesund", "Møller", "Straße", "café", "naïve",
)  # fmt: skip


@dataclass(frozen=True)
class Note:
    body: str
    deleted: bool = False


@dataclass(frozen=True)
class Step:
    """One edit: add, set (the body), delete, undo (the previous step of the same process) or import."""

    op: str
    title: str = ""
    body: str = ""  # add and set: the new text; undo of a set: the text it puts back
    undoes: str = ""  # undo: the op of the step it reverses
    batch: tuple[tuple[str, str], ...] = ()  # import: (title, body) of the notes it adds or changes


State = dict[str, Note]  # the notes by title (titles are unique: each names the step that added it)
Entry = tuple[str, str, tuple[str, ...]]  # one outbox entry: (note title, op, fields)


def text(rng: random.Random, tag: str, words: int = 0) -> str:
    """A body starting with its step's tag, so no two steps ever write the same text (of `words` words, or
    of up to 150)."""
    return f"{tag} " + " ".join(rng.choice(WORDS) for _ in range(words or rng.randint(3, 150)))


def apply(state: State, step: Step) -> tuple[State, list[Entry]]:
    """The notes after `step`, and the outbox entries its one transaction writes."""
    after = dict(state)
    if step.op == "add":
        after[step.title] = Note(step.body)
        return after, [(step.title, "upsert", NEW_NOTE_FIELDS)]
    if step.op == "set":
        after[step.title] = Note(step.body)
        return after, [(step.title, "upsert", ("body",))]
    if step.op == "delete":
        after[step.title] = Note(state[step.title].body, deleted=True)
        return after, [(step.title, "delete", ())]
    if step.op == "undo":
        note = state[step.title]
        if step.undoes == "add":
            after[step.title] = Note(note.body, deleted=True)
            return after, [(step.title, "delete", ())]
        if step.undoes == "set":
            after[step.title] = Note(step.body)
            return after, [(step.title, "upsert", ("body",))]
        after[step.title] = Note(note.body)  # a delete undone: the note restored
        return after, [(step.title, "upsert", ("deleted_at",))]
    entries: list[Entry] = []
    for title, body in step.batch:  # an import writes its entries in the bundle's order
        entries.append((title, "upsert", ("body",) if title in state else NEW_NOTE_FIELDS))
        after[title] = Note(body)
    return after, entries


def _live(state: State) -> list[str]:
    return sorted(title for title, note in state.items() if not note.deleted)


def window_steps(seed: int, start: int, state: State) -> Iterator[tuple[Step, State, list[Entry]]]:
    """The window's edits from step `start` on, in a process that starts on `state`: each step with the
    notes after it and its outbox entries. Undo reverses only a step of the same process (its stack)."""
    previous: Step | None = None
    before: State = state
    for i in range(start, start + 1_000_000):
        rng = random.Random(f"window {seed} {i}")
        live = _live(state)
        roll = rng.random()
        if previous is not None and previous.op != "undo" and roll < 0.1:
            old = before[previous.title].body if previous.op == "set" else ""
            step = Step("undo", previous.title, old, undoes=previous.op)
        elif len(live) < 6 or roll < 0.45:
            step = Step("add", f"w{i}", text(rng, f"w{i}"))
        elif roll < 0.88:
            step = Step("set", rng.choice(live), text(rng, f"w{i}"))
        else:
            step = Step("delete", rng.choice(live))
        after, entries = apply(state, step)
        yield step, after, entries
        previous, before, state = step, state, after


def cli_step(seed: int, i: int, state: State) -> Step:
    """The command line's step `i` (one command): add, set, delete, or import a bundle of new and
    changed notes (hundreds of records in one transaction)."""
    rng = random.Random(f"cli {seed} {i}")
    live = _live(state)
    roll = rng.random()
    if len(live) < 4 or roll < 0.2:
        return Step("add", f"c{i}", text(rng, f"c{i}"))
    if roll < 0.4:
        return Step("set", rng.choice(live), text(rng, f"c{i}"))
    if roll < 0.5:
        return Step("delete", rng.choice(live))
    if roll < 0.52:
        # Ten thousand records at once: the write path drops a small table's indexes and builds them
        # again at the end of the transaction (store.records), so a kill may land with them missing.
        batch = [(f"c{i}.{n}", f"c{i}.{n} {rng.choice(WORDS)}") for n in range(10_000 + rng.randint(0, 500))]
        return Step("import", batch=tuple(batch))
    changed = rng.sample(live, min(len(live), rng.randint(1, 12)))
    batch = [(f"c{i}.{n}", text(rng, f"c{i}.{n}")) for n in range(rng.randint(80, 400))]
    batch += [(title, text(rng, f"c{i}.{title}")) for title in changed]
    rng.shuffle(batch)
    return Step("import", batch=tuple(batch))


@dataclass
class Snapshot:
    """A workspace file as the next process finds it, read with the sqlite3 module alone."""

    integrity: list[str]
    broken_references: list[tuple]
    notes: dict[str, tuple[str, Note]]  # by title: (id, note)
    outbox: list[tuple[int, str, str, str, tuple[str, ...]]]  # (mutation id, kind, record id, op, fields)
    indexed: set[str]  # record ids in the search index
    meta: dict[str, str]
    schema: set[tuple[str, str]]  # (type, name) of every table, index and trigger


def read(path: Path) -> Snapshot:
    with closing(sqlite3.connect(path)) as db:
        integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
        # This SQLite's integrity_check does not look inside the full-text index; FTS5's own check does.
        for table in ("search_name", "search_text"):
            try:
                db.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as exc:
                integrity.append(f"{table}: {exc}")
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        notes = _notes(db)
        outbox = [
            (mutation_id, kind, record_id, op, tuple(json.loads(fields)))
            for mutation_id, kind, record_id, op, fields in db.execute(
                "SELECT mutation_id, kind, record_id, op, fields FROM outbox ORDER BY mutation_id"
            )
        ]
        indexed = {row[0] for row in db.execute("SELECT record_id FROM search_doc")}
        meta = dict(db.execute("SELECT key, value FROM workspace_meta").fetchall())
        schema = set(db.execute("SELECT type, name FROM sqlite_master").fetchall())
    return Snapshot(integrity, broken, notes, outbox, indexed, meta, schema)


def _notes(db: sqlite3.Connection) -> dict[str, tuple[str, Note]]:
    query = "SELECT id, title, body, deleted_at FROM note"
    return {
        title: (note_id, Note(body, deleted is not None))
        for note_id, title, body, deleted in db.execute(query)
    }


def notes_of(path: Path) -> dict[str, tuple[str, Note]]:
    """The notes by title: (id, note)."""
    with closing(sqlite3.connect(path)) as db:
        return _notes(db)
