"""`companion import` on files that are no bundle, run as a person would: a named pipe, a folder, a device,
a file too large, JSON nested 2,000 deep, a 5,000-digit number. Each is one line, exit 2, nothing written,
and never a wait or a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from companion.core.service import Workspace
from companion.interchange.bundle import MAX_BYTES
from tests.interchange.test_bundle_rules import table_hashes

HEAD = '{"format": "companion-bundle", "version": 1, "records": '


@pytest.fixture
def data_dir(tmp_path, empty_workspace_file) -> Path:
    """A plain workspace with one client in it."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(empty_workspace_file, data / "workspace.sqlite")
    ws = Workspace.open(data / "workspace.sqlite")
    try:
        ws.create(kind="client", values={"name": "Halvorsen Offshore"})
    finally:
        ws.close()
    return data


def _refused(data_dir: Path, path: Path, *named: str) -> None:
    """`companion import PATH` ends at once with exit 2 and one line naming `named`; every table as it was."""
    before = table_hashes(data_dir / "workspace.sqlite")
    result = subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(data_dir), "import", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,  # a pipe read without a writer would wait here forever
        check=False,
    )
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for name in named:
        assert name in lines[0], f"{name!r} not named in: {lines[0]}"
    assert table_hashes(data_dir / "workspace.sqlite") == before


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(data_dir, tmp_path):
    pipe = tmp_path / "bundle.json"
    os.mkfifo(pipe)
    _refused(data_dir, pipe, str(pipe), "is a named pipe, not a file")


def test_a_folder_is_refused(data_dir, tmp_path):
    _refused(data_dir, tmp_path, str(tmp_path), "is a folder, not a file")


def test_a_device_is_refused(data_dir):
    _refused(data_dir, Path("/dev/zero"), "/dev/zero is a device, not a file")


def test_a_file_larger_than_any_bundle_is_refused_before_it_is_read(data_dir, tmp_path):
    huge = tmp_path / "huge.json"
    with huge.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: nothing written to the disk
    _refused(data_dir, huge, str(huge), "larger than")


def test_json_nested_two_thousand_deep_is_refused_before_it_is_parsed(data_dir, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text(HEAD + '{"client": [' + "[" * 2000 + "]" * 2000 + "]}}", encoding="utf-8")
    _refused(data_dir, deep, str(deep), "nested more than 32 levels deep")


def test_deep_nesting_hidden_behind_brackets_in_strings_is_still_found(data_dir, tmp_path):
    deep = tmp_path / "deep.json"
    # Closing brackets inside strings must not hide the real depth from the scan.
    deep.write_text(HEAD + '{"client": [' + '["]]]]",' * 2000 + "0" + "]" * 2000 + "]}}", encoding="utf-8")
    _refused(data_dir, deep, str(deep), "nested more than 32 levels deep")


def test_a_five_thousand_digit_number_is_refused_before_it_is_parsed(data_dir, tmp_path):
    big = tmp_path / "big.json"
    record = '{"id": "0193a3c2-0000-7000-8000-0000000000d1", "name": "Dahl", "review_every_days": '
    big.write_text(HEAD + '{"client": [' + record + "9" * 5000 + "}]}}", encoding="utf-8")
    _refused(data_dir, big, str(big), "a number of 5,000 digits")


def test_long_digits_inside_a_string_are_no_number(data_dir, tmp_path):
    """The digit bound looks at numbers only: a long run of digits in a text imports as written."""
    fine = tmp_path / "fine.json"
    record = '{"id": "0193a3c2-0000-7000-8000-0000000000d2", "name": "Dahl", "summary": "' + "7" * 300 + '"}'
    fine.write_text(HEAD + '{"client": [' + record + "]}}", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(data_dir), "import", str(fine)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "added 1\n", "")
