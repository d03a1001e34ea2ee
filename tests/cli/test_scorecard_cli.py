"""`companion scorecard CLIENT` and `companion portfolio` end to end: real processes on a real workspace
file, the CSV read back, the PDF read back with poppler's pdftotext."""

from __future__ import annotations

import csv

import pytest

from companion.app.config import workspace_path
from companion.app.opener import open_workspace
from tests.cli.test_cli import assert_bad_input, ok, run
from tests.cli.test_plan_cli import pdf_text
from tests.core.scorecard_records import ScorecardRecords


@pytest.fixture
def data_dir(tmp_path):
    data_dir = tmp_path / "data"
    data = ScorecardRecords()
    halvorsen = data.client("Halvorsen Offshore", status="active")
    for score in (10, 10, 9, 3):  # 3 promoters, 1 detractor of 4: +50
        data.response(halvorsen, "2026-11-10", nps=score, csat=4)
    data.review(halvorsen, "2026-09-01", ours=4, theirs=5)
    data.review(halvorsen, "2026-11-01", ours=2, theirs=5)  # ours fell 2 points
    data.factor(halvorsen, "innovation", "2026-07-01", 2)
    fjord = data.client("Fjordline", status="active")
    data.review(fjord, "2026-10-01", ours=1, theirs=1)
    data.client("Old Yard", status="former")
    ws = open_workspace(workspace_path(data_dir))
    try:
        data.write(ws)
    finally:
        ws.close()
    return data_dir


def test_a_clients_scorecard_by_name_as_of_a_day(data_dir):
    text = ok(data_dir, "scorecard", "halvorsen", "--as-of", "2026-12-02")
    lines = text.splitlines()
    assert lines[0] == "Scorecard of Halvorsen Offshore, as of 2026-12-02"
    assert "Financial: No data. No figure has data yet." in lines
    assert "Customer: Good. All 3 figures with data are good." in lines
    assert (
        "Internal process: Poor. 1 of 1 figures with data poor: Our review rating;"
        " falling: Our review rating." in lines
    )
    assert "Learning and growth: Poor. 1 of 1 figures with data poor: Innovation." in lines
    nps = next(line for line in lines if line.strip().startswith("NPS "))
    assert nps.split() == ["NPS", "+50", "Good"]
    ours = next(line for line in lines if line.strip().startswith("Our review rating"))
    assert ours.split()[-3:] == ["5", "Poor,", "falling"]
    assert lines[-1].startswith("How a perspective's status is set: No data when no figure has data;")
    # Before the November review, ours was 4 of 5 and nothing fell.
    earlier = ok(data_dir, "scorecard", "Halvorsen Offshore", "--as-of", "2026-10-01")
    assert "Internal process: Good. The one figure with data is good." in earlier


def test_bad_input_is_one_line_and_exit_2(data_dir, tmp_path):
    assert_bad_input(run(data_dir, "scorecard", "Paineira"), "Paineira")
    target = tmp_path / "nowhere" / "portfolio.csv"
    missing = run(data_dir, "portfolio", "--csv", str(target))  # the computer's answer: exit 1
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and str(target) in missing.stderr
    assert_bad_input(run(data_dir, "scorecard", "Halvorsen", "--as-of", "yesterday"), "--as-of", "yesterday")
    assert_bad_input(run(data_dir, "portfolio", "--by", "mood"), "--by", "mood", "learning_and_growth")


def test_the_portfolio_as_text_csv_and_pdf(data_dir, tmp_path):
    text = ok(data_dir, "portfolio", "--as-of", "2026-12-02")
    lines = text.splitlines()
    assert lines[0] == "2 clients ranked by the overall score, best first"
    assert [line.split()[1] for line in lines[2:]] == ["Halvorsen", "Fjordline"]
    assert lines[2].split()[-1] == "33" and lines[3].split()[-1] == "0"  # (100 + 0 + 0) / 3
    table, pdf = tmp_path / "portfolio.csv", tmp_path / "portfolio.pdf"
    out = ok(data_dir, "portfolio", "--by", "customer", "--as-of", "2026-12-02", "--csv", str(table),
             "--pdf", str(pdf), "--page-size", "letter")  # fmt: skip
    assert out.splitlines() == [f"wrote {table}", f"wrote {pdf}"]
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert [(r["rank"], r["client"], r["customer status"], r["customer score"]) for r in rows] == [
        ("1", "Halvorsen Offshore", "Good", "100"),
        ("2", "Fjordline", "Poor", "0"),
    ]
    words = pdf_text(pdf)
    assert "Portfolio scorecard" in words
    assert "2 clients ranked by Customer, best first (no data last), as of 2026-12-02." in words
    assert words.index("Halvorsen Offshore") < words.index("Fjordline")
    assert "Good (100)" in words and "Poor (0)" in words and "Old Yard" not in words
    assert "poor when a third or more of the figures with data are poor" in words
    assert "Good from +30, poor below 0" in words
