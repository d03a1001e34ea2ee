"""The checklist's Satisfaction section: a detractor attending is a must with their words, a review's open
agreed actions and a review falling due are to prepare, and all of it follows the scores and reviews
through the write path, ticks kept; and the brief's Satisfaction part, capped and counted."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.core import checklist, meetings
from companion.core.brief import build_brief
from companion.render.brief import brief_markdown
from tests.core.satisfaction_records import Satisfaction

# Reactions to an edit look at meetings from the real today on: the meeting is a few weeks ahead of it.
TODAY = dt.date.today()
MEETING_DAY = TODAY + dt.timedelta(days=20)


def _day(offset: int) -> str:
    """A date this many days from the meeting."""
    return (MEETING_DAY + dt.timedelta(days=offset)).isoformat()


def _short(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%b}"


@pytest.fixture
def sat(workspace) -> Satisfaction:
    return Satisfaction(workspace)


def _meet(sat: Satisfaction, *contacts: str) -> str:
    values = {
        "client_id": sat.client,
        "title": "Autumn visit",
        "starts_at": f"{MEETING_DAY.isoformat()}T09:00:00+01:00",
        "contact_ids": list(contacts) or None,
        "colleague_ids": [sat.mira],
    }
    return meetings.plan_meeting(sat.ws, values=values, today=TODAY).ids("meeting")[0]


def _section(sat: Satisfaction, meeting_id: str) -> dict[str, object]:
    return {
        str(i["origin"]).split(":")[0]: i
        for i in meetings.checklist_items(sat.ws, meeting_id)
        if i["section"] == checklist.SATISFACTION_SECTION
    }


def test_a_detractor_attending_is_a_must_with_score_day_and_words_and_follows_edits_keeping_the_tick(sat):
    per = sat.person("Per Lunde")
    on = _day(-40)
    response = sat.respond(on, nps=4, contact=sat.ingrid, comment="Invoices arrive late")
    sat.respond(_day(-30), nps=2, contact=per)  # Per is not coming
    meeting_id = _meet(sat, sat.ingrid)

    item = _section(sat, meeting_id)["detractor"]
    assert item["text"] == f"Ingrid Dahl scored 4 of 10 on {_short(on)}: 'Invoices arrive late'"
    assert item["must"] and item["source"] == "plan"
    meetings.set_done(sat.ws, item_id=item.id, done=True)

    (answer,) = sat.ws.list(kind="survey_answer", where={"response_id": response, "question_id": sat.nps_q})
    sat.ws.update(kind="survey_answer", id=answer.id, values={"score": 3})  # reaches through the response

    item = _section(sat, meeting_id)["detractor"]
    assert item["text"].startswith("Ingrid Dahl scored 3 of 10") and item["done"]

    sat.respond(_day(-5), nps=9, contact=sat.ingrid)  # she has come round since
    assert "detractor" not in _section(sat, meeting_id)


def test_a_detractor_outside_the_window_or_without_words_reads_so(sat):
    sat.respond(_day(-181), nps=1, contact=sat.ingrid)
    meeting_id = _meet(sat, sat.ingrid)
    assert _section(sat, meeting_id) == {}
    sat.respond(_day(-10), nps=6, contact=sat.ingrid)
    assert _section(sat, meeting_id)["detractor"]["text"].endswith(
        "no comment given: ask what lies behind it"
    )


def test_the_latest_reviews_open_actions_and_a_review_falling_due_are_to_prepare(sat):
    sat.ws.update(kind="client", id=sat.client, values={"review_every_days": 90})
    older = sat.review(_day(-200), theirs=4)
    sat.make("action", review_id=older, text="Old promise")
    latest = sat.review(_day(-95), theirs=3)
    sat.make("action", review_id=latest, text="Done already", done=True)
    meeting_id = _meet(sat, sat.ingrid)
    assert set(_section(sat, meeting_id)) == {"review_due"}
    due = _section(sat, meeting_id)["review_due"]
    assert due["text"] == "Due for a quarterly review: propose a date" and not due["must"]
    assert due["detail"] == f"Last review {_day(-95)} · due {_day(-5)} (every 90 days)"

    sat.make("action", review_id=latest, text="Send the uptime report", owner_id=sat.mira, due=_day(-3))

    agreed = _section(sat, meeting_id)["review_action"]
    assert agreed["text"] == f"Agreed in the review: Send the uptime report (due {_day(-3)})"
    assert "Involves Mira Tan" in agreed["detail"]

    sat.ws.update(kind="review", id=latest, values={"next_review": _day(30)})
    assert "review_due" not in _section(sat, meeting_id)


def test_the_brief_tells_the_latest_review_the_trend_and_each_attendees_latest_score(sat):
    per = sat.person("Per Lunde")
    latest = sat.review(_day(-60), theirs=3, our_rating=4)
    for n in range(5):
        sat.make("action", review_id=latest, text=f"Promise {n}", due=_day(n))
    sat.respond("2025-01-15", nps=10, csat=5, contact=per)
    sat.respond(_day(-40), nps=4, csat=3, contact=sat.ingrid, comment="Invoices arrive late")
    sat.respond(_day(-40), nps=9, contact=per)  # the same quarter as hers, whenever the test runs
    meeting_id = _meet(sat, sat.ingrid, per)

    brief = build_brief(sat.ws, meeting_id=meeting_id, today=TODAY)
    text = brief_markdown(brief)

    assert (brief.satisfaction.nps or "").endswith("(from +100)")
    assert (brief.satisfaction.csat or "").endswith("(from 5.0)")
    assert "## Satisfaction" in text
    assert f"last review {_day(-60)}: ours 4, theirs 3 of 5" in text
    assert f"Promise 1 (due {_day(1)}); …and 3 more" in text and "Promise 2" not in text
    ingrid, per_ = brief.people
    assert ingrid.score == f"4 of 10 (NPS, {_day(-40)}): “Invoices arrive late”"
    assert per_.score == f"9 of 10 (NPS, {_day(-40)})"
    assert f"latest score 9 of 10 (NPS, {_day(-40)})" in text


def test_a_brief_without_reviews_or_scores_has_no_satisfaction_part(sat):
    brief = build_brief(sat.ws, meeting_id=_meet(sat, sat.ingrid), today=TODAY)
    assert brief.satisfaction is None and "Satisfaction" not in brief_markdown(brief)
