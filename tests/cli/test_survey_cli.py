"""`companion survey list|results`, end to end on a real workspace."""

from __future__ import annotations

import csv

import pytest

from companion.app.config import workspace_path
from companion.app.opener import open_workspace
from companion.core.surveys import take_response
from tests.cli.test_cli import assert_bad_input, ok, run
from tests.core.survey_records import build_survey


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def answered(data_dir) -> dict[str, str]:
    ws = open_workspace(workspace_path(data_dir))
    try:
        ids = build_survey(ws)
        ws.create(kind="survey", values={"title": "Onboarding pulse", "status": "draft"})
        for client, nps, text, comment, date in (
            ("halvorsen", 10, "More visits", "Best supplier we have.", "2026-11-01"),
            ("fjord", 3, None, "Late  again.", "2026-11-02"),
        ):
            take_response(
                ws, survey_id=ids["survey"], client_id=ids[client], contact_id=ids[f"{client}_person"], date=date,
                channel="phone", answers={ids["nps"]: nps, ids["csat"]: 4, ids["text"]: text}, comment=comment,
            )  # fmt: skip
        return ids
    finally:
        ws.close()


def test_list_puts_running_surveys_first_with_their_nps(data_dir, answered):
    assert ok(data_dir, "survey", "list").splitlines() == [
        "Running  Satisfaction 2026: 3 questions, 2 responses, NPS 0",
        "Draft    Onboarding pulse: 0 questions, 0 responses, NPS -",
    ]


def test_results_by_title_by_question_client_and_response(data_dir, answered):
    assert ok(data_dir, "survey", "results", "satisfaction").splitlines() == [
        "Satisfaction 2026 (running): 2 responses, NPS 0, CSAT 4.0 of 5, 1 detractor",
        "Questions:",
        "  1. How likely are you to recommend us? [NPS]: 2 answers, NPS 0",
        "  2. How satisfied are you with our service? [CSAT]: 2 answers, CSAT 4.0",
        "  3. What should we do better? [Text]: 1 answer",
        '       "More visits"',
        "By client:",
        "  Fjord Foods: 1 response, NPS -100, CSAT 4.0",
        "  Halvorsen Offshore: 1 response, NPS +100, CSAT 4.0",
        "Responses:",
        "  2026-11-02  Per Lunde, Fjord Foods (phone): Q1 3, Q2 4 DETRACTOR",
        '      "Late again."',
        "  2026-11-01  Ingrid Dahl, Halvorsen Offshore (phone): Q1 10, Q2 4",
        '      "Best supplier we have."',
    ]


def test_results_as_csv_one_response_a_line(data_dir, answered, tmp_path):
    target = tmp_path / "satisfaction.csv"
    out = ok(data_dir, "survey", "results", answered["survey"], "--csv", str(target))
    assert out == f"Satisfaction 2026: 2 responses written to {target}\n"
    with open(target, encoding="utf-8", newline="") as written:
        rows = list(csv.reader(written))
    assert rows[0] == [
        "date", "client", "person", "channel", "Q1 NPS: How likely are you to recommend us?",
        "Q2 CSAT: How satisfied are you with our service?", "Q3 Text: What should we do better?", "comment",
        "detractor",
    ]  # fmt: skip
    assert rows[1] == ["2026-11-02", "Fjord Foods", "Per Lunde", "phone", "3", "4", "", "Late  again.", "yes"]
    assert rows[2][4:7] == ["10", "4", "More visits"] and rows[2][8] == ""


def test_an_unknown_survey_or_folder_is_one_line(data_dir, answered, tmp_path):
    assert_bad_input(run(data_dir, "survey", "results", "no such survey"), "no such survey")
    # A folder that is not there is the computer's answer, not a bad argument: exit 1 (model/files.py).
    missing = run(data_dir, "survey", "results", "Satisfaction", "--csv", str(tmp_path / "missing" / "s.csv"))
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.count("\n") == 1 and str(tmp_path / "missing" / "s.csv") in missing.stderr
