"""Every file the command line writes is written whole or not at all: into a missing folder, a read-only
folder or onto a full disk, each output answers with one line naming the path, exits 1, leaves the file
there before as it was and no temporary file behind, and never says "wrote"."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from companion.app.config import workspace_path
from companion.app.opener import open_workspace
from tests.cli.test_cli import _env

OLD = b"%PDF-1.4 the file a person kept here before\n"

# Each output of the command line: its arguments ({out} where the file goes) and the file's suffix.
OUTPUTS = {
    "meeting brief --pdf": ("meeting brief {meeting} --pdf {out}", "pdf"),
    "pack --pdf": ("pack {client} --pdf {out}", "pdf"),
    "pack --html": ("pack {client} --html {out}", "html"),
    "plan --pdf": ("plan Halvorsen --pdf {out}", "pdf"),
    "plan --html": ("plan Halvorsen --html {out}", "html"),
    "review --pdf": ("review Halvorsen --pdf {out}", "pdf"),
    "portfolio --pdf": ("portfolio --pdf {out}", "pdf"),
    "portfolio --csv": ("portfolio --csv {out}", "csv"),
    "meeting ics --out": ("meeting ics {meeting} --out {out}", "ics"),
    "meeting ics --all --out": ("meeting ics --all --out {out}", "ics"),
    "survey results --csv": ("survey results {survey} --csv {out}", "csv"),
    "export-contacts --out": ("export-contacts --out {out}", "vcf"),
    "export --out": ("export --out {out}", "json"),
}
# The same code path writes every one of them (model/files.py's write_whole); these cover each kind of
# writer behind it: Qt's text printing, the pack's own painter, text, bytes and the streamed bundle.
REPRESENTATIVE = ["meeting brief --pdf", "pack --pdf", "pack --html", "meeting ics --out", "export --out"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict[str, str]:
    """The demo workspace (every output has something to write) and the ids the commands name."""
    from companion.core.demo import load_demo
    from companion.core.naming import find_client

    data_dir = tmp_path_factory.mktemp("outputs") / "data"
    ws = open_workspace(workspace_path(data_dir))
    try:
        load_demo(ws)
        client = find_client(ws, "Halvorsen").id
        meeting = next(m for m in ws.list(kind="meeting") if m["client_id"] == client).id
        survey = str(next(iter(ws.list(kind="survey")))["title"])
    finally:
        ws.close()
    return {"data_dir": str(data_dir), "client": client, "meeting": meeting, "survey": survey}


def _args(demo: dict[str, str], output: str, out: Path) -> list[str]:
    template, _suffix = OUTPUTS[output]
    return [part.format(out=out, **demo) for part in template.split()]


def _run(demo, output: str, out: Path, *, wrapper: list[str] | None = None) -> subprocess.CompletedProcess:
    command = [*(wrapper or [sys.executable, "-m", "companion"]), "--data-dir", demo["data_dir"]]
    return subprocess.run(
        [*command, *_args(demo, output, out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(),
        timeout=300,
        check=False,
    )


def _assert_refused(result: subprocess.CompletedProcess, out: Path, *, kept: bool) -> None:
    """Exit 1, nothing claimed on stdout, one line on stderr naming the file and what became of it."""
    assert "Traceback" not in result.stderr, result.stderr
    assert "Painter not active" not in result.stderr, result.stderr[:500]
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "wrote" not in result.stdout and str(out) not in result.stdout, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"companion: Cannot write {out}: "), lines[0]
    ending = "The file there before was left as it was." if kept else "Nothing was written."
    assert lines[0].endswith(ending), lines[0]


def _no_parts(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".part")], "a temporary file was left"


# --- a folder that does not exist: every output -------------------------------------------------------


@pytest.mark.parametrize("output", OUTPUTS)
def test_a_missing_folder_is_one_line_and_exit_1(demo, tmp_path, output):
    out = tmp_path / "nowhere" / f"out.{OUTPUTS[output][1]}"
    result = _run(demo, output, out)
    _assert_refused(result, out, kept=False)
    assert f"the folder {out.parent} does not exist" in result.stderr
    assert not out.parent.exists()


# --- a full disk: a small tmpfs, else a file-size limit ------------------------------------------------


def _mount_tmpfs(folder: Path, *options: str) -> bool:
    """A tmpfs of 64 KiB at `folder`; False where this machine does not let us mount one."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(("size=64k", *options)), "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def _unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def _fill(folder: Path) -> None:
    """Fills the disk the folder is on, to the last byte."""
    with (folder / "filler").open("wb", buffering=0) as fh:
        with contextlib.suppress(OSError):
            while True:
                fh.write(b"\0" * 4096)
        with contextlib.suppress(OSError):
            while True:
                fh.write(b"\0")


# Where no tmpfs can be mounted: the same failure (EFBIG rather than ENOSPC) from a file-size limit set
# once the command starts writing into the folder, so the workspace, opened before, stays writable.
# Python ignores SIGXFSZ, so the write fails rather than the process.
_FILE_SIZE_LIMIT = """
import os, resource, sys
folder = sys.argv.pop(1)
def limit_there(event, args):
    if event == "open" and str(args[0]).startswith(folder):
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))
    elif event == "os.remove" and str(args[0]).startswith(folder):
        resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
sys.addaudithook(limit_there)
from companion.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def full_disk(tmp_path):
    """(folder, wrapper): a folder on a full disk, and how to run the command so that it is."""
    folder = tmp_path / "full"
    if _mount_tmpfs(folder):
        try:
            (folder / "kept").write_bytes(OLD)
            _fill(folder)
            yield folder, None
        finally:
            _unmount(folder)
    else:
        (folder / "kept").write_bytes(OLD)
        yield folder, [sys.executable, "-c", _FILE_SIZE_LIMIT, str(folder) + os.sep]


@pytest.mark.parametrize("output", REPRESENTATIVE)
def test_a_full_disk_leaves_the_file_there_before_byte_for_byte(demo, full_disk, output):
    folder, wrapper = full_disk
    out = folder / "kept"
    result = _run(demo, output, out, wrapper=wrapper)
    _assert_refused(result, out, kept=True)
    assert "No space left on device" in result.stderr or "File too large" in result.stderr
    assert out.read_bytes() == OLD
    _no_parts(folder)


def test_a_full_disk_leaves_no_file_where_there_was_none(demo, full_disk):
    folder, wrapper = full_disk
    out = folder / "pack.pdf"
    result = _run(demo, "pack --pdf", out, wrapper=wrapper)
    _assert_refused(result, out, kept=False)
    assert not out.exists()
    _no_parts(folder)


# --- a read-only folder: a read-only tmpfs, else permissions (which do not stop root) --------------------


@pytest.fixture
def read_only(tmp_path):
    folder = tmp_path / "read-only"
    if _mount_tmpfs(folder):
        try:
            (folder / "kept").write_bytes(OLD)
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)
            yield folder
        finally:
            _unmount(folder)
    elif os.geteuid() != 0:
        (folder / "kept").write_bytes(OLD)
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
    else:
        pytest.skip("running as root where no tmpfs can be mounted: nothing makes a folder read-only")


@pytest.mark.parametrize("output", ["meeting brief --pdf", "pack --html", "export-contacts --out"])
def test_a_read_only_folder_leaves_the_file_there_before(demo, read_only, output):
    out = read_only / "kept"
    result = _run(demo, output, out)
    _assert_refused(result, out, kept=True)
    reason = os.strerror(errno.EROFS) if os.geteuid() == 0 else os.strerror(errno.EACCES)
    assert reason in result.stderr
    assert out.read_bytes() == OLD
    _no_parts(read_only)
