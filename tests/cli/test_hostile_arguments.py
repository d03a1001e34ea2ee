"""Every command and sub-command, found by walking the command line's own parser (so one added later is
covered too), run with hostile arguments: unknown and malformed ids, empty and enormous values, absurd
numbers and dates, unknown kinds and fields, missing arguments, and folders, missing files and named pipes
where a file is named. Each must answer in words with status 0, 1 or 2: never a traceback, and never the
last resort's line (that is a safety net for bugs, not an answer)."""

from __future__ import annotations

import argparse
import contextlib
import functools
import getpass
import itertools
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import companion.cli
from companion.app.config import workspace_path
from companion.cli import _parser, main
from companion.cli.common import UNEXPECTED
from companion.core.demo import load_demo
from companion.core.service import Workspace

UNKNOWN = "0190c7e5-0000-7000-8000-000000000000"
HUGE = "x" * 100_000
# What any id, name or key argument is given.
NAMES = ("nonsense", UNKNOWN, "", HUGE, "\udcff\udcfe")
NUMBERS = ("-1", "0", "9" * 5000, "1e400", "abc")
DATES = ("0000-01-01", "0001-01-01", "9999-12-31", "nonsense")
TEXTS = ("", HUGE, "\udcff", '"', "NEAR(")
FIELDS = ("nonsense", "=x", "nonsense=1", "name=" + HUGE, "name=\udcff")
# Files named on the command line: a folder, a missing file (or one in a missing folder, for a file
# written), a named pipe (never to be opened: a reader would wait for a writer forever), and bytes that are
# nothing Companion reads.
READ, WRITTEN = ("folder", "missing", "fifo", "garbage"), ("folder", "missing-folder", "fifo")
# Arguments that are files Companion writes (owned by the outputs' helper) or reads.
OUTPUTS = {"--out", "--pdf", "--html", "--csv"}
INPUTS = {"file", "--ssl-certfile", "--ssl-keyfile"}

# Never run: the window, the server listening, a sync or login or update check over the network. Their
# argument errors are still run (a case is skipped only when its arguments would be accepted).
LISTENS = {("gui",), ("serve",)}
# A case still running after this long hangs (on a named pipe, say): it is stopped and fails.
HANGS_AFTER = 5


@dataclass(frozen=True)
class Case:
    command: tuple[str, ...]
    argv: tuple[str, ...]
    files: tuple[str, ...] = ()  # which of READ and WRITTEN the argv names (made in the test's folder)

    @property
    def id(self) -> str:
        shown = []
        for word in self.argv:
            word = word.encode("ascii", "backslashreplace").decode()
            shown.append(word if len(word) <= 24 else f"{word[:12]}…{len(word)}")
        return " ".join(shown) or "(none)"


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple]:
    """(command words, its parser) for every command that runs, down every level of sub-commands."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
        return
    (sub,) = subs
    if not sub.required:
        yield path, parser
    seen: set[int] = set()
    for name, child in sub.choices.items():
        if id(child) not in seen:  # an alias is the same parser
            seen.add(id(child))
            yield from _leaves(child, (*path, name))


def _arguments(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [
        a
        for a in parser._actions
        if not isinstance(a, (argparse._HelpAction, argparse._VersionAction, argparse._SubParsersAction))
    ]


def _name(action: argparse.Action) -> str:
    return action.option_strings[-1] if action.option_strings else action.dest


@functools.cache
def _demo_ids() -> dict[str, str]:
    """Real ids and names from the demo workspace, so that one hostile argument at a time is tested."""
    ws = Workspace.open(workspace_path(demo_folder()))
    try:
        from companion.core.early_warning import warnings

        first = {
            k: ws.list(kind=k, limit=2) for k in ("client", "contact", "meeting", "colleague", "campaign")
        }
        first |= {k: ws.list(kind=k, limit=1) for k in ("proposition", "cohort", "survey", "account_plan")}
        return {
            "client": first["client"][0].id,
            "client2": first["client"][1].id,
            "contact": first["contact"][0].id,
            "contact2": first["contact"][1].id,
            "meeting": first["meeting"][0].id,
            "colleague": first["colleague"][0].id,
            "campaign": first["campaign"][0].id,
            "proposition": first["proposition"][0].id,
            "cohort": first["cohort"][0].id,
            "survey": first["survey"][0].id,
            "plan": first["account_plan"][0].id,
            "warning": warnings(ws)[0].key,
        }
    finally:
        ws.close()


@functools.cache
def demo_folder() -> Path:
    """The demo workspace, made once per run (plain SQLite); each case runs on a copy of it."""
    folder = Path(tempfile.mkdtemp(prefix="hostile-demo-"))
    ws = Workspace.open(workspace_path(folder))
    try:
        load_demo(ws)
    finally:
        ws.close()
    return folder


def _base(command: tuple[str, ...], action: argparse.Action) -> list[str] | None:
    """A value the argument accepts (an @name stands for a real id of the demo, filled in when the case
    runs), or None to leave an optional one out: so that one hostile argument at a time is tested."""
    if action.option_strings:
        return None if not action.required else [action.option_strings[-1], _plain_value(command, action)]
    if action.nargs == "?":
        return None
    if action.nargs in ("*", "+"):
        return ["name=Hostile"]
    if action.choices:
        return [next(iter(action.choices))]
    if action.dest in ("keep", "other"):
        return [f"@{command[-1]}" + ("2" if action.dest == "other" else "")]
    if action.dest == "id":
        return ["@meeting" if command[0] == "meeting" else "@client"]
    named = {"kind": "client", "key": "@warning", "text": "halvorsen"}
    if action.dest in named:
        return [named[action.dest]]
    if action.dest in ("client", "campaign", "proposition", "cohort", "survey"):
        return [f"@{action.dest}"]
    return ["hostile"]


def _plain_value(command: tuple[str, ...], action: argparse.Action) -> str:
    name = _name(action)
    if name in OUTPUTS:
        return "out.file"
    return {"--summary": "Went well.", "--device": "laptop"}.get(name, "hostile")


def _hostile(action: argparse.Action) -> list[tuple[str, ...]]:
    """The hostile values an argument is given: (value, which of READ or WRITTEN it names)."""
    name = _name(action)
    if isinstance(
        action, (argparse._StoreTrueAction, argparse._StoreFalseAction, argparse._StoreConstAction)
    ):
        return []  # a flag has no value to be hostile with; it is on in one case (see _cases)
    if action.choices:
        return [("nonsense",)]
    if name in OUTPUTS:
        return [(kind, kind) for kind in WRITTEN]
    if name in INPUTS:
        return [(kind, kind) for kind in READ]
    if action.type is int:
        return [(n,) for n in NUMBERS]
    if "YYYY" in str(action.metavar or "") or name in ("--today", "--as-of"):
        return [(d,) for d in DATES]
    if action.nargs in ("*", "+"):
        return [(f,) for f in FIELDS]
    if name in ("text", "--summary", "--follow-up", "--map", "--region", "--take"):
        return [(t,) for t in TEXTS]
    if name == "kind":
        return [("nonsense",), (HUGE,), ("Client",)]
    return [(n,) for n in NAMES]


def _cases() -> Iterator[Case]:
    for command, parser in _leaves(_parser()):
        actions = _arguments(parser) if command else []
        if command in LISTENS or not command:
            yield Case(command, (*command, "--nonsense"))
            for action in actions:
                if action.type is int:  # refused before anything listens
                    yield from (Case(command, (*command, _name(action), n)) for n in NUMBERS)
            continue
        yield Case(command, command)  # every argument missing
        yield Case(command, (*command, "--nonsense"))
        base = {a.dest: _base(command, a) for a in actions}
        plain = [word for a in actions for word in base[a.dest] or ()]
        if all(base[a.dest] is not None or a.option_strings or a.nargs == "?" for a in actions):
            yield Case(command, (*command, *plain))
        for action in actions:
            if not action.option_strings and action.nargs == "?" and action.choices:
                continue  # a verb such as `sync login`: its own leaf of cases below
            for value, *files in _hostile(action):
                argv: list[str] = []
                for other in actions:
                    if other is action:
                        argv += [action.option_strings[-1], value] if action.option_strings else [value]
                    else:
                        argv += base[other.dest] or ()
                yield Case(command, (*command, *argv), tuple(files))
            if isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction)):
                yield Case(command, (*command, *plain, action.option_strings[-1]))
    yield from _verb_cases()


def _verb_cases() -> Iterator[Case]:
    """Commands whose first word is a verb chosen from a list (`sync`, `settings`), with each verb."""
    for command, parser in _leaves(_parser()):
        verbs = [a for a in _arguments(parser) if not a.option_strings and a.nargs == "?" and a.choices]
        for verb in verbs:
            others = [a for a in _arguments(parser) if not a.option_strings and a is not verb]
            for choice in verb.choices:
                yield Case(command, (*command, choice))
                for place, other in enumerate(others):  # the ones before it given a plain value
                    for value, *files in _hostile(other):
                        yield Case(command, (*command, choice, *["x"] * place, value), tuple(files))


def _runs_safely(case: Case) -> bool:
    """False for the few cases whose arguments are fine and would reach the network or start a server."""
    words = case.argv
    if case.command in LISTENS:
        return True  # only its argument errors are run
    if case.command == ("sync",):
        # A sync, a login or an update check with a well-formed server would talk to it.
        return not ("login" in words and "--server" in words)
    if case.command == ("updates",):
        return "--feed" in words
    return True


CASES = [c for c in _cases() if _runs_safely(c)]


class Hung(BaseException):
    """A case that never answered (a BaseException: no handler of the program's may catch it)."""


def _hangs(signum, frame):
    raise Hung(f"no answer after {HANGS_AFTER} seconds: it waits for something that never comes")


@contextlib.contextmanager
def _pipe_watched(fifo: Path) -> Iterator[list[bool]]:
    """Notes whether the program opens the named pipe: a pipe is refused by its type, never opened (a
    reader would wait for a writer forever, a writer for a reader). Opening its writing end, which succeeds
    only once a reader has it open, both notes a reader and ends its wait. A writer still waiting after
    HANGS_AFTER (in C code that holds the interpreter, where neither the alarm nor a thread can act) is
    given a reader by another process, and noted when anything arrives. The case fails rather than hang."""
    opened: list[bool] = []
    done = threading.Event()

    def watch() -> None:
        deadline = time.monotonic() + HANGS_AFTER
        while not done.is_set() and time.monotonic() < deadline:
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # no reader yet
                done.wait(0.002)
                continue
            if stat.S_ISFIFO(os.fstat(fd).st_mode):  # not a file written over it
                opened.append(True)
            os.close(fd)
            return

    received = fifo.with_name("received")
    reader = subprocess.Popen(
        ["sh", "-c", f'sleep {HANGS_AFTER + 1} && [ -p "$1" ] && cat "$1" > "$2"', "-", fifo, received],
        start_new_session=True,  # its sleep is stopped with it
    )
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield opened
    finally:
        done.set()
        watcher.join()
        os.killpg(reader.pid, signal.SIGKILL)
        reader.wait()
        if received.exists() and received.stat().st_size:
            opened.append(True)


@functools.cache
def _built_parser(groups: tuple[str, ...]) -> argparse.ArgumentParser:
    return _parser(groups)


@pytest.fixture(autouse=True)
def parser_built_once(monkeypatch):
    """The command line's parser, built once rather than on every run of main() (building it is most of an
    in-process run's time; a parser parses any number of command lines)."""
    monkeypatch.setattr(companion.cli, "_parser", _built_parser)


@pytest.fixture(scope="module")
def cases_folder(tmp_path_factory) -> Iterator[tuple[Path, itertools.count]]:
    """Where the cases' folders go (one each, numbered: cheaper than a tmp_path per case)."""
    yield tmp_path_factory.mktemp("cases"), itertools.count()


@pytest.fixture
def folder(cases_folder, monkeypatch, qapp) -> Path:
    """A copy of the demo workspace, and the files the cases name, in a folder of its own. (The documents
    draw with Qt: one QApplication for every case, as each run of the program makes its own.)"""
    parent, numbers = cases_folder
    here = parent / str(next(numbers))
    data = here / "data"
    data.mkdir(parents=True)
    shutil.copyfile(workspace_path(demo_folder()), workspace_path(data))
    monkeypatch.chdir(here)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "")  # nobody at a terminal types anything
    (here / "folder").mkdir()
    (here / "garbage").write_bytes(b"\x00\xff" * 1000)
    os.mkfifo(here / "fifo")
    return data


def test_the_cases_reach_every_command():
    commands = {c.command for c in CASES}
    leaves = {command for command, _ in _leaves(_parser()) if command}
    assert leaves <= commands, leaves - commands
    assert {("add",), ("meeting", "ics"), ("server", "token", "issue"), ("sync",), ("settings",)} <= leaves


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_a_hostile_argument_is_answered_in_words(case, folder, capsys):
    ids = _demo_ids()
    argv = [
        str(folder.parent / w) if w in case.files else ids.get(w[1:], w) if w[:1] == "@" else w
        for w in case.argv
    ]
    previous = signal.signal(signal.SIGALRM, _hangs)
    signal.alarm(HANGS_AFTER)
    try:
        watched = (
            _pipe_watched(folder.parent / "fifo") if "fifo" in case.files else contextlib.nullcontext([])
        )
        with watched as pipe_opened:
            status = main(["--data-dir", str(folder), *argv])
    except SystemExit as exc:  # argparse's usage errors
        status = exc.code
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err, err
    assert UNEXPECTED not in err, err
    assert status in (0, 1, 2), (status, err)
    if status:
        assert err.strip(), "a failure says why"
        lines = err.strip().splitlines()
        assert len(lines) == 1 or lines[0].startswith("usage:"), err
    assert not pipe_opened, "it opened a named pipe, which waits for a writer forever: refuse it by its type"
    with contextlib.suppress(FileNotFoundError):
        assert not any(folder.glob("crash-*.log"))
