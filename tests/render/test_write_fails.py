"""A write that fails at any step (the temporary file, the writer, the flush, the rename, or a PDF that was
never drawn) says the path and the reason in one line, leaves the file there before and no temporary one."""

from __future__ import annotations

import errno
import os

import pytest

from companion.model import files
from companion.model.errors import WriteFailed
from companion.model.files import write_whole
from companion.render.pdf import write_drawn_pdf, write_pdf

OLD = b"the file a person kept here before\n"
KEPT = "The file there before was left as it was."


def _fails_with(errno_: int, what: str):
    def fail(*_args, **_kwargs):
        raise OSError(errno_, os.strerror(errno_), what)

    return fail


def _write(part):
    part.write_bytes(b"new")


@pytest.mark.parametrize(
    ("step", "patch"),
    [
        ("temporary file", lambda mp: mp.setattr(files.tempfile, "mkstemp", _fails_with(errno.EACCES, "x"))),
        ("flush", lambda mp: mp.setattr(files.os, "fsync", _fails_with(errno.EIO, "x"))),
        ("rename", lambda mp: mp.setattr(files.os, "replace", _fails_with(errno.EXDEV, "x"))),
    ],
)
def test_each_step_failing_keeps_the_file_there_before(tmp_path, monkeypatch, step, patch):
    target = tmp_path / "kept.ics"
    target.write_bytes(OLD)
    patch(monkeypatch)
    with pytest.raises(WriteFailed) as failed:
        write_whole(target, _write)
    said = str(failed.value)
    assert said.startswith(f"Cannot write {target}: ") and said.endswith(KEPT) and "\n" not in said, step
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.ics"]


def test_a_writer_that_fails_leaves_nothing_where_there_was_nothing(tmp_path):
    def no_room(part):
        part.write_bytes(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    target = tmp_path / "new.csv"
    with pytest.raises(WriteFailed, match=r"No space left on device\. Nothing was written\.$"):
        write_whole(target, no_room)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_in_place_of_the_file_is_refused_and_kept(tmp_path):
    target = tmp_path / "brief.pdf"
    target.mkdir()
    with pytest.raises(WriteFailed, match=KEPT):
        write_whole(target, _write)
    assert target.is_dir() and sorted(p.name for p in tmp_path.iterdir()) == ["brief.pdf"]


def test_a_pdf_no_painter_drew_is_refused_not_written(tmp_path):
    target = tmp_path / "brief.pdf"
    target.write_bytes(OLD)
    with pytest.raises(WriteFailed, match="the PDF could not be drawn"):
        write_drawn_pdf(target, lambda _writer: None, page_size="a4", title="nothing")
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.pdf"]


def test_writing_over_a_file_keeps_who_may_read_it(tmp_path):
    target = tmp_path / "brief.pdf"
    target.write_bytes(OLD)
    target.chmod(0o644)
    write_pdf("# Brief", target)
    assert target.read_bytes().startswith(b"%PDF-") and (target.stat().st_mode & 0o777) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.pdf"]
