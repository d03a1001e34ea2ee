"""`companion plan CLIENT` end to end: real processes on a real workspace file, PDFs read back with
poppler's pdftotext."""

from __future__ import annotations

import subprocess
import unicodedata

import pytest

from companion.app.config import workspace_path
from companion.app.opener import open_workspace
from tests.cli.test_cli import assert_bad_input, ok, run
from tests.core.test_plan_document import INTERNAL_ONLY, SHARED, build_plan


def pdf_text(path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    # Ligatures and line wrapping are the typesetter's business, not the content's.
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def planned(data_dir) -> dict[str, str]:
    ws = open_workspace(workspace_path(data_dir))
    try:
        return build_plan(ws)
    finally:
        ws.close()


def test_the_plan_printed_by_name_alias_or_id(data_dir, planned):
    text = ok(data_dir, "plan", "Halvorsen Offshore")
    assert text.startswith("# Account plan: Halvorsen Offshore — Plan 2027\n")
    for words in (*SHARED, *INTERNAL_ONLY):
        assert words in text, words
    assert ok(data_dir, "plan", "hos") == text
    assert ok(data_dir, "plan", planned["client"], "--plan", planned["plan"]) == text
    shared = ok(data_dir, "plan", "HOS", "--for-client")
    for words in SHARED:
        assert words in shared, words
    for words in INTERNAL_ONLY:
        assert words not in shared, words


def test_pdf_and_html_internal_and_for_the_client(data_dir, planned, tmp_path):
    pdf, html = tmp_path / "plan.pdf", tmp_path / "plan.html"
    out = ok(data_dir, "plan", "Halvorsen", "--pdf", str(pdf), "--html", str(html), "--page-size", "letter")
    assert out.splitlines() == [f"wrote {html}", f"wrote {pdf}"]
    text = pdf_text(pdf)
    for words in ("Account plan: Halvorsen Offshore", *SHARED, *INTERNAL_ONLY):
        assert words in text, words
    assert "12 (3×4) high" in text and "value 1250000 EUR" in text
    page = html.read_text(encoding="utf-8")
    assert (
        page.startswith("<!DOCTYPE html>")
        and "<title>Account plan: Halvorsen Offshore — Plan 2027</title>" in page
    )
    assert "RISKMARK" in page and "<table" in page

    shared_pdf, shared_html = tmp_path / "shared.pdf", tmp_path / "shared.html"
    ok(data_dir, "plan", "Halvorsen", "--for-client", "--pdf", str(shared_pdf), "--html", str(shared_html))
    shared_text, shared_page = pdf_text(shared_pdf), shared_html.read_text(encoding="utf-8")
    for words in SHARED:
        assert words in shared_text and words in shared_page, words
    for words in INTERNAL_ONLY:
        assert words not in shared_text and words not in shared_page, words
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []  # no temporary left


def test_an_unknown_client_is_one_line_and_exit_2(data_dir, planned):
    assert_bad_input(run(data_dir, "plan", "Paineira"), "Paineira")


def test_a_pdf_in_a_folder_that_does_not_exist_is_one_line_naming_it(data_dir, planned, tmp_path):
    target = tmp_path / "nowhere" / "plan.pdf"
    result = run(data_dir, "plan", "Halvorsen", "--pdf", str(target))  # the computer's answer: exit 1
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and str(target) in result.stderr
    assert not target.parent.exists()


def test_a_client_without_a_plan(data_dir, planned, tmp_path):
    ws = open_workspace(workspace_path(data_dir))
    try:
        ws.create(kind="client", values={"name": "Paineira Logística"})
    finally:
        ws.close()
    assert ok(data_dir, "plan", "paineira logistica").endswith(
        "Paineira Logística has no account plan yet.\n"
    )
    result = run(data_dir, "plan", "Paineira", "--pdf", str(tmp_path / "plan.pdf"))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "companion: Paineira Logística has no account plan yet: nothing was written."
    ]
    assert not (tmp_path / "plan.pdf").exists()
