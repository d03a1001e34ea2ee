"""SIGKILL at random moments of writes and pulls: the workspace stays whole, its outbox true, and it syncs."""

from __future__ import annotations

import json
import os
import random
import select
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from companion.app.config import workspace_path
from companion.core.reactions import DUE_AFTER_PULL
from companion.core.service import Workspace
from companion.model.ids import new_id
from companion.model.kinds import KINDS
from tests.cli.test_cli import _env
from tests.crash import script
from tests.sync.live import serving_process
from tests.sync.test_real_server import ok

pytestmark = pytest.mark.slow

# The edits and the kill moments follow from the seed (the moments land where the machine's speed puts them).
SEED = int(os.environ.get("COMPANION_CRASH_SEED", "16"))
CLI_KILLS, WINDOW_KILLS, PULL_KILLS = 75, 85, 45
SYNC_EVERY = 20  # kills between syncs run to the end while writing
REPO = Path(__file__).resolve().parents[2]
# The test keyring is one file rewritten whole: logins (its only writers here) take turns.
KEYRING = threading.Lock()


@dataclass
class Served:
    folder: Path
    url: str


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`companion serve` on 127.0.0.1 for the module; each phase has a team of its own on it."""
    folder = tmp_path_factory.mktemp("server")
    with serving_process(folder, env=_env()) as url:
        ok(folder, "server", "user", "add", "mira")
        yield Served(folder, url)


def team(server: Served, name: str, *devices: str) -> list[str]:
    """Team `name` with mira in it, and a device token for each device."""
    ok(server.folder, "server", "team", "add", name)
    ok(server.folder, "server", "member", "add", name, "mira")
    return [
        ok(server.folder, "server", "token", "issue", "mira", "--device", f"{name} {device}").splitlines()[-1]
        for device in devices
    ]


def laptop(folder: Path, server: Served, team_name: str, token: str) -> Path:
    """A plain workspace (the stdlib's sqlite3 reads it) logged in to the team, its token in the keyring."""
    ok(folder, "settings", "set", "workspace.encrypt_new", "false")
    with KEYRING:
        ok(folder, "sync", "login", "--server", server.url, "--team", team_name, "--token-stdin", stdin=token)
    return folder


class Child:
    """`python -m companion …` or the window driver in a process of its own, killed with SIGKILL."""

    def __init__(self, log: Path, *command: str):
        self.log = log
        with open(log, "w", encoding="utf-8") as errors:
            self.process = subprocess.Popen(
                [sys.executable, "-m", *command], stdout=subprocess.PIPE, stderr=errors, text=True, env=_env(),
                cwd=REPO,
            )  # fmt: skip
        self.started = time.monotonic()
        self.said = ""  # its standard output, once it ended by itself

    @classmethod
    def companion(cls, data_dir: Path, *args: str) -> Child:
        return cls(data_dir.parent / "child.log", "companion", "--data-dir", str(data_dir), *args)

    @classmethod
    def window(cls, data_dir: Path, *args: str) -> Child:
        return cls(data_dir.parent / "child.log", "tests.crash.window_driver", str(data_dir), *args)

    def ready(self, where: str) -> float:
        """Waits for the driver's "ready" (its window is up; editing, its first edit written); returns the
        moment it came."""
        readable, _, _ = select.select([self.process.stdout], [], [], 60)
        line = self.process.stdout.readline() if readable else ""
        assert line == "ready\n", f"{where}: the window did not start ({line!r}): {self.output()}"
        return time.monotonic()

    def kill_at(self, moment: float, where: str) -> bool:
        """SIGKILL at `moment` (time.monotonic) unless it ended before; True when it was killed, False
        when it had ended by itself (successfully: anything else fails)."""
        try:
            self.process.wait(timeout=max(0.0, moment - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        code = self.process.returncode
        self.said = self.process.stdout.read() if code == 0 else ""
        self.process.stdout.close()
        assert code in (0, -9), f"{where}: exit {code}: {self.output()}"
        return code == -9

    def finish(self, where: str) -> float:
        """Waits for the end (it must succeed); returns how long it took."""
        self.kill_at(time.monotonic() + 120, where)
        assert self.process.returncode == 0, f"{where}: did not finish"
        return time.monotonic() - self.started

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]


# --- writing ------------------------------------------------------------------------------------------


@dataclass
class Ledger:
    """What a workspace must hold: the notes written and the outbox entries the server has not taken."""

    state: script.State = field(default_factory=dict)
    outbox: list[script.Entry] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # note id by title, as last read
    schema: set[tuple[str, str]] = field(default_factory=set)  # tables, indexes, triggers: as first read


def _told(note: script.Note | None) -> str:
    return "none" if note is None else repr(note.body[:40]) + (" (deleted)" if note.deleted else "")


def check_written(path: Path, ledger: Ledger, steps, where: str) -> int:
    """The workspace is whole and holds exactly the notes, search entries and outbox entries of some whole
    number of the child's steps (`steps`: (step, notes after, entries) in order); returns that number."""
    found = script.read(path)
    assert found.integrity == ["ok"], f"{where}: integrity_check says {found.integrity[:5]}"
    assert found.broken_references == [], f"{where}: {found.broken_references[:5]}"
    ledger.schema = ledger.schema or found.schema
    assert found.schema == ledger.schema, f"{where}: missing {ledger.schema - found.schema}"
    title_of = {note_id: title for title, (note_id, _note) in found.notes.items()}
    outbox: list[script.Entry] = []
    for mutation_id, kind, record_id, op, fields in found.outbox:
        assert kind == "note" and record_id in title_of, (
            f"{where}: outbox entry {mutation_id} points at no note ({kind} {record_id})"
        )
        outbox.append((title_of[record_id], op, fields))
    # Every step writes at least one entry, so the number of new entries tells how many steps committed.
    new = len(outbox) - len(ledger.outbox)
    state, entries, committed = ledger.state, [], 0
    while len(entries) < new:
        following = next(steps, None)
        assert following is not None, f"{where}: {new} new outbox entries, more than the edits made"
        _step, state, made = following
        entries += made
        committed += 1
    assert len(entries) == new, f"{where}: {new} new outbox entries are not a whole number of edits"
    assert outbox == ledger.outbox + entries, f"{where}: the outbox is not that of {committed} whole edits"
    notes = {title: note for title, (_id, note) in found.notes.items()}
    if notes != state:
        wrong = sorted(t for t in notes.keys() | state.keys() if notes.get(t) != state.get(t))[:5]
        raise AssertionError(
            f"{where}: the notes are not those of the {committed} edits the outbox holds: "
            + "; ".join(f"{t}: {_told(notes.get(t))} instead of {_told(state.get(t))}" for t in wrong)
        )
    live = {note_id for note_id, note in found.notes.values() if not note.deleted}
    assert found.indexed & set(title_of) == live, f"{where}: the search index is not that of the notes"
    ledger.state, ledger.outbox = state, outbox
    ledger.ids = {title: note_id for title, (note_id, _note) in found.notes.items()}
    return committed


def sync_to_the_end(data_dir: Path, ledger: Ledger, where: str) -> None:
    """A sync runs to the end after the kills, and the server takes every edit."""
    ok(data_dir, "sync")
    ledger.outbox = []
    check_written(workspace_path(data_dir), ledger, iter(()), where)


def second_laptop_has(server: Served, folder: Path, team_name: str, token: str, ledger: Ledger, where: str):
    laptop(folder, server, team_name, token)
    ok(folder, "sync")
    pulled = script.notes_of(workspace_path(folder))
    live = {title: note for title, note in ledger.state.items() if not note.deleted}
    # A note deleted before any laptop pulled it never reaches another laptop; every live one does.
    assert {t: n for t, (_id, n) in pulled.items() if not n.deleted} == live, (
        f"{where}: the second laptop differs"
    )


def command(step: script.Step, ledger: Ledger, client_id: str, bundle: Path) -> list[str]:
    """The command line that makes `step`."""
    if step.op == "add":
        return [
            "add",
            "note",
            f"title={step.title}",
            f"body={step.body}",
            "privacy=team",
            f"client_id={client_id}",
        ]
    if step.op == "set":
        return ["set", "note", ledger.ids[step.title], f"body={step.body}"]
    if step.op == "delete":
        return ["delete", "note", ledger.ids[step.title]]
    notes = [
        {"id": ledger.ids.get(title) or new_id(), "title": title, "body": body, "privacy": "team",
         "client_id": client_id}
        for title, body in step.batch
    ]  # fmt: skip
    bundle.write_text(json.dumps({"format": "companion-bundle", "version": 1, "records": {"note": notes}}))
    return ["import", str(bundle)]


def command_line_writes(server: Served, tmp_path: Path, stop: threading.Event) -> str:
    """`companion add`, `set`, `delete` and `import` (hundreds of notes in one transaction) killed at random
    moments of their run; a sync every SYNC_EVERY kills and at the end; then a second laptop pulls."""
    rng = random.Random(f"command line {SEED}")
    tokens = team(server, "cli", "A", "B")
    a = laptop(tmp_path / "a", server, "cli", tokens[0])
    client_id = ok(a, "add", "client", "name=Kill Point Client").strip()
    ledger = Ledger()
    sync_to_the_end(a, ledger, f"seed {SEED}, first sync")
    took: dict[str, float] = {}  # how long each kind of command last ran, unkilled
    kills = committed = step_number = 0
    while kills < CLI_KILLS and not stop.is_set():
        step = script.cli_step(SEED, step_number, ledger.state)
        where = f"seed {SEED}, command line step {step_number} ({step.op}), kill {kills}"
        child = Child.companion(a, *command(step, ledger, client_id, tmp_path / "bundle.json"))
        run = "bulk import" if len(step.batch) >= 10_000 else step.op
        if run not in took or rng.random() < 0.1:
            took[run] = child.finish(where)
            killed = False
        else:
            # Most of a command's run is Python starting; the kill lands from late start-up to its end.
            killed = child.kill_at(child.started + rng.uniform(0.5, 1.0) * took[run], where)
            if not killed:  # done sooner than it used to: the machine is less busy
                took[run] = time.monotonic() - child.started
        done = check_written(
            workspace_path(a), ledger, iter([(step, *script.apply(ledger.state, step))]), where
        )
        assert killed or done == 1, f"{where}: the command ended well but its edit is not there"
        kills += killed
        committed += done if killed else 0
        step_number += 1
        if killed and kills % SYNC_EVERY == 0:
            sync_to_the_end(a, ledger, f"{where}, sync after it")
    if stop.is_set():
        return "command line: stopped"
    sync_to_the_end(a, ledger, f"seed {SEED}, command line, last sync")
    second_laptop_has(server, tmp_path / "b", "cli", tokens[1], ledger, f"seed {SEED}, command line")
    return f"command line: {kills} kills ({committed} after the commit) in {step_number} commands"


def window_writes(server: Served, tmp_path: Path, stop: threading.Event) -> str:
    """The window making the script's edits (add, change, delete, undo) one after another through its edit
    controller, killed at a random moment after it is up; a sync every SYNC_EVERY kills and at the end."""
    rng = random.Random(f"window {SEED}")
    tokens = team(server, "window", "A", "B")
    a = laptop(tmp_path / "a", server, "window", tokens[0])
    client_id = ok(a, "add", "client", "name=Kill Point Client").strip()
    # A first start adds the built-in checklist templates; they are synced before the script starts.
    Child.window(a, "settle").finish(f"seed {SEED}, first window")
    ledger = Ledger()
    sync_to_the_end(a, ledger, f"seed {SEED}, first sync")
    start = kills = 0
    for kill in range(WINDOW_KILLS):
        if stop.is_set():
            break
        kills += 1
        where = f"seed {SEED}, window from step {start}, kill {kill}"
        child = Child.window(a, "edits", str(SEED), str(start), client_id)
        assert child.kill_at(child.ready(where) + rng.uniform(0, 0.4), where), f"{where}: it stopped"
        start += check_written(
            workspace_path(a), ledger, script.window_steps(SEED, start, ledger.state), where
        )
        if kills % SYNC_EVERY == 0:
            sync_to_the_end(a, ledger, f"{where}, sync after it")
    if stop.is_set():
        return "window: stopped"
    # The driver says it is ready once its first edit is written and is killed 0–0.4 s later: every run
    # commits at least one edit, and usually several (the database thread takes them as fast as it can).
    assert start >= kills, f"seed {SEED}: the window made only {start} edits in {kills} runs"
    sync_to_the_end(a, ledger, f"seed {SEED}, window, last sync")
    second_laptop_has(server, tmp_path / "b", "window", tokens[1], ledger, f"seed {SEED}, window")
    return f"window: {kills} kills, {start} edits committed"


# --- pulling ------------------------------------------------------------------------------------------


def records_of(path: Path) -> dict[str, tuple[str, int, bool]]:
    """Every record of the workspace by id: (kind, row_seq, deleted)."""
    found = {}
    with closing(sqlite3.connect(path)) as db:
        for kind in KINDS:
            for record_id, seq, deleted in db.execute(f'SELECT id, row_seq, deleted_at FROM "{kind.name}"'):
                found[record_id] = (kind.name, seq, deleted is not None)
    return found


def check_pulled(path: Path, numbers: dict[str, int], own: list[str], schema: set, where: str) -> dict:
    """Whole (its indexes too), every outbox entry on a record, the local edits there, and the pulled
    records exactly those the server numbered up to the cursor kept (a page and its cursor commit together)."""
    found = script.read(path)
    assert found.integrity == ["ok"], f"{where}: integrity_check says {found.integrity[:5]}"
    assert found.schema == schema, f"{where}: missing {schema - found.schema}"
    held = records_of(path)
    for mutation_id, kind, record_id, _op, _fields in found.outbox:
        assert held.get(record_id, ("",))[0] == kind, (
            f"{where}: outbox entry {mutation_id} points at no record"
        )
    for record_id in own:
        assert record_id in held and not held[record_id][2], f"{where}: the local edit {record_id} is lost"
    cursor = int(found.meta.get("sync_cursor") or 0)
    pulled = {record_id: held[record_id][1] for record_id in numbers.keys() & held.keys()}
    expected = {record_id: seq for record_id, seq in numbers.items() if seq <= cursor}
    assert pulled == expected, (
        f"{where}: {len(pulled)} records pulled, {len(expected)} numbered up to the cursor {cursor}"
    )
    return {"snapshot": found, "held": held, "cursor": cursor}


def check_complete(path: Path, numbers: dict[str, int], own: list[str], schema: set, where: str) -> None:
    """After a sync that ran to the end: everything pulled and whole, every edit sent, the reactions run."""
    found = check_pulled(path, numbers, own, schema, where)
    snapshot, held = found["snapshot"], found["held"]
    assert snapshot.broken_references == [], f"{where}: {snapshot.broken_references[:5]}"
    assert snapshot.outbox == [], f"{where}: edits left unsent"
    assert numbers.keys() <= held.keys(), f"{where}: not every record of the server arrived"
    assert DUE_AFTER_PULL not in snapshot.meta, f"{where}: the pull's reactions did not run"


def exported(path: Path) -> dict[str, dict[str, dict]]:
    """Every live record's fields by kind and id (the stamps left out: the server keeps its own)."""
    ws = Workspace.open(path)
    try:
        records = ws.export_records()
    finally:
        ws.close()
    return {
        kind: {r["id"]: {k: v for k, v in r.items() if k not in ("created_at", "updated_at")} for r in items}
        for kind, items in records.items()
    }


def fresh_laptop(
    folder: Path, server: Served, team_name: str, token: str, number: int
) -> tuple[Path, list[str]]:
    """A new plain workspace logged in to the team (through the same login as the command line's) with a
    client and notes of its own made before its first sync, which the killed syncs push."""
    from companion.app.sync_account import login

    ws = Workspace.open(workspace_path(folder))
    try:
        with KEYRING:
            login(ws, server=server.url, team_name=team_name, token=token)
        client_id = ws.create(kind="client", values={"name": f"Local client {number}"}).created_id
        notes = [
            ws.create(
                kind="note", values={"body": f"b{number}.{n}", "privacy": "team", "client_id": client_id}
            )
            for n in range(3)
        ]
    finally:
        ws.close()
    return folder, [client_id, *(changes.created_id for changes in notes)]


class Pace:
    """How long a sync takes here to write its first page (from its process's start, or from its window's
    being up): measured as they run, so the kills follow the machine's speed of the moment."""

    def __init__(self):
        self.first: dict[str, deque[float]] = {"command line": deque(maxlen=5), "window": deque(maxlen=5)}

    def watch(self, child: Child, path: Path, since: float, kind: str, *, pages: int) -> tuple[int, float]:
        """Waits until the syncing child has written `pages` pages (its cursor moved) or ended; returns how
        many it wrote and when the last one was written (`since` if none)."""
        written, mark = 0, since
        with closing(sqlite3.connect(path)) as db:
            query = "SELECT value FROM workspace_meta WHERE key = 'sync_cursor'"
            cursor = db.execute(query).fetchone()
            while written < pages and child.process.poll() is None:
                time.sleep(0.01)
                now = db.execute(query).fetchone()
                if now != cursor:
                    if not written:
                        self.first[kind].append(time.monotonic() - since)
                    cursor, mark, written = now, time.monotonic(), written + 1
        return written, mark

    def typical(self, kind: str, written: int) -> float:
        """About how long the next page takes: the first comes after start-up, a later one in about half."""
        first = self.first[kind] or self.first["command line"]
        return statistics.median(first) * (0.5 if written else 1.0)


def pulls(server: Served, tmp_path: Path, stop: threading.Event) -> str:
    """A first laptop fills the server (about 3,600 records, 10 MB: pages of up to 4 MiB); fresh laptops with
    edits of their own sync by `companion sync` or the window's Sync now, killed at random moments while
    they push and pull, until a sync runs to the end; then a last laptop pulls everything."""
    rng = random.Random(f"pull {SEED}")
    tokens = team(server, "pull", "A", "B", "C")
    a = laptop(tmp_path / "a", server, "pull", tokens[0])
    # Records of every kind that point at each other, then long notes: pages end at 5,000 records or
    # 4 MiB, so a pull of these takes several pages.
    ok(a, "demo", "--synthetic", "60", "--seed", str(SEED))
    client_id = json.loads(ok(a, "list", "client", "--json", "--limit", "1"))[0]["id"]
    text = random.Random(SEED)
    notes = [
        {"id": new_id(), "title": f"Long note {n}", "body": script.text(text, f"long {n}", 1000),
         "privacy": "team", "client_id": client_id}
        for n in range(900)
    ]  # fmt: skip
    bundle = tmp_path / "long.json"
    bundle.write_text(json.dumps({"format": "companion-bundle", "version": 1, "records": {"note": notes}}))
    ok(a, "import", str(bundle))
    ok(a, "sync")
    # Once A's sync is done, its records carry the numbers the server gave them.
    numbers = {record_id: seq for record_id, (_kind, seq, _deleted) in records_of(workspace_path(a)).items()}
    schema = script.read(workspace_path(a)).schema
    assert len(numbers) > 3_000 and all(numbers.values()), (
        f"seed {SEED}: the server did not number A's records"
    )
    b, own = fresh_laptop(tmp_path / "b0", server, "pull", tokens[1], 0)
    # The second laptop's first sync runs to the end, watched: how long its first page takes to come here.
    pace = Pace()
    first = Child.companion(b, "sync")
    pace.watch(first, workspace_path(b), first.started, "command line", pages=1)
    first.finish(f"seed {SEED}, a first pull")
    check_complete(workspace_path(b), numbers, own, schema, f"seed {SEED}, after a first pull")
    kills = rounds = windows = 0
    where_cut = [0, 0, 0]  # kills before a page was written, part-way through the pull, after it
    top = max(numbers.values())
    while kills < PULL_KILLS and not stop.is_set():
        rounds += 1
        b, made = fresh_laptop(tmp_path / f"b{rounds}", server, "pull", tokens[1], rounds)
        own += made
        path = workspace_path(b)
        for attempt in range(5):
            window = rng.random() < 0.2
            kind = "window" if window else "command line"
            where = f"seed {SEED}, pull round {rounds}, {kind} {attempt}"
            child = Child.window(b, "sync") if window else Child.companion(b, "sync")
            since = child.ready(where) if window else child.started
            # Before its first page is written or after it, at a random moment of writing the next one.
            written, mark = pace.watch(child, path, since, kind, pages=rng.choice((0, 1)))
            killed = child.kill_at(mark + rng.uniform(0, 1) * pace.typical(kind, written), where)
            cursor = check_pulled(path, numbers, made, schema, where)["cursor"]
            if killed:
                where_cut[0 if cursor == 0 else 1 if cursor < top else 2] += 1
            kills += killed
            windows += 1 if killed and window else 0
            if not killed or stop.is_set():
                said = f"{kind}: {child.said.strip()}"
                break
        else:
            said = f"command line: {ok(b, 'sync').strip()}"  # killed each time: this one is not
        if stop.is_set():
            return "pull: stopped"
        where = f"seed {SEED}, pull round {rounds}, after the sync that ran to the end ({said})"
        check_complete(path, numbers, made, schema, where)
    if stop.is_set():
        return "pull: stopped"
    c = laptop(tmp_path / "c", server, "pull", tokens[2])
    ok(c, "sync")
    last = exported(workspace_path(c))
    assert last == exported(workspace_path(b)), f"seed {SEED}: the last two laptops differ"
    filled = exported(workspace_path(a))
    for kind, records in filled.items():
        assert {i: last[kind].get(i) for i in records} == records, f"seed {SEED}: {kind} records differ"
    assert set(own) <= {i for records in last.values() for i in records}, f"seed {SEED}: local edits lost"
    return (
        f"pull: {kills} kills ({windows} of the window; {where_cut[0]} before a page was written, "
        f"{where_cut[1]} part-way, {where_cut[2]} after the last page) in {rounds} rounds"
    )


def test_killed_at_random_moments(server, tmp_path):
    """The three at once, each with laptops of its own: each mostly waits for the processes it kills, and
    the machine's cores run those side by side."""
    phases = {"command line": command_line_writes, "window": window_writes, "pull": pulls}
    stop = threading.Event()  # one failed: the others end at their next kill

    def run(name: str, phase) -> str:
        folder = tmp_path / name.replace(" ", "_")
        folder.mkdir()
        began = time.monotonic()
        try:
            return f"{phase(server, folder, stop)}, {time.monotonic() - began:.0f} s"
        except BaseException:
            stop.set()
            raise

    with ThreadPoolExecutor(max_workers=len(phases)) as pool:
        running = [pool.submit(run, name, phase) for name, phase in phases.items()]
        summaries = [future.result() for future in running]
    print("\n".join(summaries))
