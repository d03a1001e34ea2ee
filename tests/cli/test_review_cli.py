"""`companion review CLIENT` end to end: real processes on a real workspace file, PDFs read back with
poppler's pdftotext."""

from __future__ import annotations

import pytest

from companion.app.config import workspace_path
from companion.app.opener import open_workspace
from tests.cli.test_cli import assert_bad_input, ok, run
from tests.core.test_review_document import INTERNAL_ONLY, SHARED, build_review
from tests.render.test_review_pdf import pdf_text


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def reviewed(data_dir) -> dict[str, str]:
    ws = open_workspace(workspace_path(data_dir))
    try:
        return build_review(ws)
    finally:
        ws.close()


def test_the_latest_review_printed_internal_or_for_the_client(data_dir, reviewed):
    text = ok(data_dir, "review", "halvorsen")
    assert text.startswith("# Review pack: Halvorsen Offshore — Q3 business review\n")
    for words in (*SHARED, *INTERNAL_ONLY):
        assert words in text.replace("**", ""), words
    assert ok(data_dir, "review", reviewed["client"], "--review", reviewed["latest"]) == text
    shared = ok(data_dir, "review", "Halvorsen Offshore", "--for-client").replace("**", "")
    for words in SHARED:
        assert words in shared, words
    for words in INTERNAL_ONLY:
        assert words not in shared, words


def test_the_pdf_for_the_client(data_dir, reviewed, tmp_path):
    pdf = tmp_path / "pack.pdf"
    out = ok(data_dir, "review", "Halvorsen", "--for-client", "--pdf", str(pdf), "--page-size", "letter")
    assert out == f"wrote {pdf}\n"
    text = pdf_text(pdf)
    assert "Prepared for Halvorsen Offshore" in text
    for words in INTERNAL_ONLY:
        assert words not in text, words


def test_bad_input_is_one_line(data_dir, reviewed, tmp_path):
    assert_bad_input(run(data_dir, "review", "Paineira"), "Paineira")
    assert_bad_input(run(data_dir, "review", "Halvorsen", "--review", "nope"), "nope")
    target = tmp_path / "nowhere" / "pack.pdf"
    missing = run(data_dir, "review", "Halvorsen", "--pdf", str(target))  # the computer's answer: exit 1
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and str(target) in missing.stderr
    ws = open_workspace(workspace_path(data_dir))
    try:
        ws.create(kind="client", values={"name": "Aurora Retail"})
    finally:
        ws.close()
    assert ok(data_dir, "review", "Aurora").endswith("Aurora Retail has had no review yet.\n")
    result = run(data_dir, "review", "Aurora", "--pdf", str(tmp_path / "pack.pdf"))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "companion: Aurora Retail has had no review yet: nothing was written."
    ]
