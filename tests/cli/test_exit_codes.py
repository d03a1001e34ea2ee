"""Exit statuses and the one line a failure is told in: 2 for what the person asked (a bad value, an unknown
id), 1 for the environment, 130 for Ctrl+C (rolled back), and the last resort for a bug, which keeps its
traceback in a crash log and never shows it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from companion.app.config import workspace_path
from companion.cli import main
from companion.cli.common import UNEXPECTED
from companion.core.demo import synthetic_records
from companion.interchange.bundle import FORMAT, VERSION
from tests.cli.test_cli import _env
from tests.cli.test_hostile_arguments import demo_folder

UNKNOWN = "0190c7e5-0000-7000-8000-000000000000"


def table_hashes(path: Path) -> dict[str, str]:
    """Each table's rows, hashed: what a refused command must leave as it was."""
    conn = sqlite3.connect(path)  # not mode=ro: closing it removes the write-ahead log it opened
    try:
        conn.execute("PRAGMA query_only = ON")
        tables = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        hashes = {}
        for table in tables:
            digest = hashlib.sha256()
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr(row).encode())
            hashes[table] = digest.hexdigest()
        return hashes
    finally:
        conn.close()


def one_line(capsys, status: int, got: int) -> str:
    """The one line on standard error (nothing on standard output) of a command that exited `status`."""
    out, err = capsys.readouterr()
    assert got == status, (got, out, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("companion: "), err
    assert "Traceback" not in err and UNEXPECTED not in err
    return lines[0]


@pytest.fixture
def data(tmp_path, capsys) -> Path:
    """A copy of the demo workspace (plain SQLite, made once for the run)."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(workspace_path(demo_folder()), workspace_path(folder))
    capsys.readouterr()
    return folder


@pytest.mark.parametrize(
    "args",
    [
        ("show", "client", "nonsense"),
        ("show", "client", UNKNOWN),
        ("set", "contact", "nonsense", "name=x"),
        ("delete", "client", UNKNOWN),
        ("meeting", "brief", "nonsense"),
        ("meeting", "checklist", UNKNOWN),
        ("meeting", "log", UNKNOWN, "--summary", "Went well."),
        ("pack", "nonsense"),
        ("pack", "nonsense", "--status"),
        ("export", "--client", UNKNOWN, "--out", "bundle.json"),
        ("warning", "dismiss", f"champion_left:{UNKNOWN}"),
    ],
)
def test_an_unknown_id_exits_2_in_one_line_and_changes_nothing(data, capsys, args, monkeypatch):
    monkeypatch.chdir(data)
    before = table_hashes(workspace_path(data))
    line = one_line(capsys, 2, main(["--data-dir", str(data), *args]))
    assert "nonsense" in line or UNKNOWN in line
    assert table_hashes(workspace_path(data)) == before
    assert [p.name for p in data.iterdir() if not p.name.startswith("workspace.sqlite")] == []  # no file made


@pytest.mark.parametrize(
    ("assignment", "said"),
    [
        ("relationship_strength=" + "9" * 5000, "too large a number"),
        ("relationship_strength=-" + "9" * 30, "too large a number"),
        ("relationship_strength=1e400", "not a whole number"),
        ("relationship_strength=NaN", "not a whole number"),
        ("name=" + "x" * 100_000, "at most 200 fit"),
        ("name=a\x00b", "NUL character"),
        ("name=a\x01b", "control characters"),
        ("name=\udcff\udcfe", "not UTF-8 text"),
        ("name=\ud800", "not UTF-8 text"),
        ("emails=" + "[" * 100_000, "nested deeper"),
        ("emails=[" + "9" * 5000 + "]", "not a valid JSON list"),
        ("emails=" + "[" * 20 + "]" * 20, "nested deeper"),
        ("emails=[1e999999]", "expected text"),
    ],
)
def test_absurd_values_are_one_short_line_and_exit_2(data, capsys, assignment, said):
    before = table_hashes(workspace_path(data))
    line = one_line(capsys, 2, main(["--data-dir", str(data), "add", "contact", "name=Ada", assignment]))
    assert said in line and len(line) < 400, line
    assert table_hashes(workspace_path(data)) == before


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("value", "9" * 5000, "too large a number"),
        ("value", "1e400", "not a number"),
        ("value", "inf", "not a number"),
        ("value", "-nan", "not a number"),
        ("value", "1" + "0" * 20, "too large a number"),
        ("expected_close", "0000-01-01", "not a date"),
        ("expected_close", "10000-01-01", "not a date"),
        ("expected_close", "2026-02-30", "not a date"),
        ("next_step_due", "9" * 100_000, "not a date"),
    ],
)
def test_absurd_numbers_and_dates_of_a_deal(data, capsys, field, value, said):
    (client,) = [r for r in _clients(data, capsys) if r.endswith("Halvorsen Offshore Services AS")]
    deal = ["client_id=" + client.split()[0], "title=Refit", "stage=idea"]
    line = one_line(
        capsys, 2, main(["--data-dir", str(data), "add", "opportunity", *deal, f"{field}={value}"])
    )
    assert said in line and len(line) < 400, line


def _clients(data: Path, capsys) -> list[str]:
    assert main(["--data-dir", str(data), "list", "client"]) == 0
    return capsys.readouterr().out.splitlines()


def test_a_meeting_beyond_the_calendar_in_this_zone_exits_2(data, capsys):
    (client,) = [r.split()[0] for r in _clients(data, capsys) if r.endswith("Halvorsen Offshore Services AS")]
    for moment in ("9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "0000-12-31T00:00:00Z"):
        args = ["add", "meeting", f"client_id={client}", "title=Ends", f"starts_at={moment}"]
        assert "starts_at" in one_line(capsys, 2, main(["--data-dir", str(data), *args]))


def test_a_negative_limit_exits_2(data, capsys):
    for args in (("list", "client", "--limit", "-1"), ("search", "halvorsen", "--limit", "0")):
        assert "--limit" in one_line(capsys, 2, main(["--data-dir", str(data), *args]))


def test_an_unusable_data_folder_exits_1(tmp_path, capsys):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("not a folder")
    line = one_line(capsys, 1, main(["--data-dir", str(not_a_folder), "list", "client"]))
    assert str(not_a_folder) in line
    assert not_a_folder.read_text() == "not a folder"


def test_the_last_resort_is_one_line_and_a_crash_log(data, capsys, monkeypatch):
    from companion.cli import records

    def broken(args):
        raise RuntimeError("a bug\nover two lines")

    monkeypatch.setattr(records, "_cmd_kinds", broken)
    before = table_hashes(workspace_path(data))
    out, err = capsys.readouterr()
    assert main(["--data-dir", str(data), "kinds"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and "Traceback" not in err
    (log,) = data.glob("crash-*.log")
    assert err == (
        f"companion: {UNEXPECTED} (RuntimeError: a bug over two lines). Details were written to {log}; "
        "nothing else was changed.\n"
    )
    details = log.read_text()
    assert details.startswith("Traceback") and "in broken" in details and "RuntimeError: a bug" in details
    assert table_hashes(workspace_path(data)) == before

    missing = data / "gone"  # no data folder to keep it in: the temporary folder does
    monkeypatch.setenv("TMPDIR", str(data))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    assert main(["--data-dir", str(missing), "kinds"]) == 1
    err = capsys.readouterr().err
    assert f"Details were written to {data}{os.sep}crash-" in err and not missing.exists()


def test_a_file_name_that_is_not_utf8_is_echoed_not_a_crash(tmp_path, empty_workspace_file):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(empty_workspace_file, workspace_path(data))
    out = os.fsencode(data) + b"/\xff\xfe.json"
    result = subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", os.fsencode(data), "export", "--out", out],
        capture_output=True,
        env=_env(),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"exported ") and b"\\udcff\\udcfe.json" in result.stdout
    assert json.loads(Path(os.fsdecode(out)).read_text(encoding="utf-8"))["format"] == FORMAT


def test_ctrl_c_during_an_import_rolls_it_back_in_one_line(tmp_path, empty_workspace_file):
    bundle = tmp_path / "big.json"
    records = synthetic_records(clients=20, seed=7)
    bundle.write_text(json.dumps({"format": FORMAT, "version": VERSION, "records": records}))
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(empty_workspace_file, workspace_path(data))
    before = table_hashes(workspace_path(data))
    wal = Path(f"{workspace_path(data)}-wal")
    assert not wal.exists()
    process = subprocess.Popen(
        [sys.executable, "-m", "companion", "--data-dir", str(data), "import", str(bundle)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        # It has opened the workspace (SQLite made the write-ahead log): the import is under way.
        while process.poll() is None and not wal.exists():
            time.sleep(0.005)
        assert process.poll() is None, process.communicate()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert (process.returncode, out, err) == (130, "", "companion: Interrupted: nothing of it was written.\n")
    assert table_hashes(workspace_path(data)) == before
