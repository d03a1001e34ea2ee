"""A review's pack as Markdown (core/review_document.py): the review, its agreed actions, the success factors of
its period and the scorecard with its charts named; and the one place that decides what the client may read."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.core.review_document import (
    INTERNAL_MARKER,
    ReviewPack,
    build_review_document,
    for_the_client,
    review_document,
)
from companion.core.scorecard import Figure, Perspective, Point, Scorecard, Source
from companion.model.errors import ValidationError
from tests.core.scorecard_records import ScorecardRecords

TODAY = dt.date(2026, 12, 2)
SECRET = "Their CFO distrusts our delivery lead"


# In every version of the pack, and only in the internal one (the CLI and the PDF tests read them too).
SHARED = (
    "Two late spare-part deliveries",
    "Their rating: 3 of 5",
    "Heard of the delay",
    "Visit the Stavanger base",
    "Spare parts run short at Forus",
)
INTERNAL_ONLY = (SECRET, "INTERNAL", "Per Lunde", "Their CFO may leave for Nordvane")


def build_review(ws) -> dict[str, str]:
    """A client with two reviews (the latest with internal notes and agreed actions), success-factor
    ratings in and out of its period, survey answers and people: their ids."""
    data = ScorecardRecords()
    client = data.client("Halvorsen Offshore", review_every_days=90)
    mira = data.add("colleague", name="Mira Tan")
    ingrid = data.person(client, "Ingrid Dahl", role="decision_maker")
    data.person(client, "Per Lunde", role="economic_buyer")  # never met: named in the coverage's sources
    data.review(client, "2026-06-10", ours=3, theirs=2)
    meeting = data.add(
        "meeting", client_id=client, title="Quarterly review at Forus", starts_at="2026-10-05T09:00:00+02:00"
    )
    latest = data.add(
        "review",
        client_id=client,
        title="Q3 business review",
        kind="quarterly",
        held_on="2026-10-05",
        meeting_id=meeting,
        period_from="2026-07-01",
        period_to="2026-09-30",
        our_rating=4,
        their_rating=3,
        went_well="Uptime of the *subsea* pumps",
        went_badly="Two late spare-part deliveries",
        internal_notes=SECRET,
    )
    data.add(
        "action",
        review_id=latest,
        text="Send the spare-part plan",
        owner_id=mira,
        due="2026-10-20",
        done=True,
    )
    data.add("action", review_id=latest, text="Visit the Stavanger base", contact_id=ingrid, due="2026-12-15")
    data.add("risk", client_id=client, title="Spare parts run short at Forus", status="open", likelihood=3,
             impact=4, mitigation="A consignment stock", shareable=True)  # fmt: skip
    data.add("risk", client_id=client, title="Their CFO may leave for Nordvane", status="open", likelihood=2,
             impact=5)  # fmt: skip
    data.factor(client, "focal_point", "2026-07-01", 4)
    data.add(
        "success_factor_rating",
        client_id=client,
        factor="early_warning",
        period_from="2026-07-01",
        period_to="2026-09-30",
        rating=2,
        evidence="Heard of the delay from their buyer first",
    )
    data.factor(client, "teamwork", "2026-01-01", 5)  # another period: not in this pack
    for on, nps in (("2026-04-10", 9), ("2026-07-10", 6), ("2026-10-10", 10)):
        data.response(client, on, nps=nps, csat=4, contact=ingrid)
    data.write(ws)
    return {"client": client, "latest": latest}


@pytest.fixture
def reviewed(workspace):
    return workspace, build_review(workspace)


def test_the_internal_pack_holds_the_whole_review(reviewed):
    ws, ids = reviewed
    document = build_review_document(ws, client_id=ids["client"], today=TODAY)
    text = document.markdown
    assert document.has_review and document.title == "Review pack: Halvorsen Offshore — Q3 business review"
    assert INTERNAL_MARKER in text and SECRET in text
    for expected in (
        "**Kind:** Quarterly business review",
        "**Period:** 2026-07-01 to 2026-09-30",
        "**Held on:** 2026-10-05",
        "**Meeting:** Quarterly review at Forus (2026-10-05)",
        "**Our rating:** 4 of 5",
        "**Their rating:** 3 of 5",
        "**Next review:** 2027-01-03",  # held on plus the 90-day cadence
        "Uptime of the *subsea* pumps",
        "| Visit the Stavanger base |  | Ingrid Dahl | 2026-12-15 | open |",
        "| Send the spare-part plan | Mira Tan |  | 2026-10-20 | done |",
        "| Early warning of bad news | 2026-07-01 to 2026-09-30 | 2 of 5 | Heard of the delay",
        "| One focal point | from 2026-07-01 | 4 of 5 |",
        "### Customer:",
        "### Internal process:",
        "Per Lunde, not met",  # the coverage figure's sources, internal only
    ):
        assert expected in text, expected
    assert "Teamwork" not in text.split("## Scorecard")[0]  # rated for another period
    # The open action comes first; every trend is a named chart the Markdown shows.
    assert text.index("Visit the Stavanger base") < text.index("Send the spare-part plan")
    assert document.charts and all(f"]({chart.name})" in text for chart in document.charts)
    nps = next(c for c in document.charts if c.points[-1] == ("2026-10-01", 100.0))
    assert nps.low < 0 < nps.high


def test_the_client_version_leaves_every_internal_assessment_out(reviewed):
    ws, ids = reviewed
    text = build_review_document(ws, client_id=ids["client"], for_client=True, today=TODAY).markdown
    assert "Internal assessment" not in text and "by person" not in text
    assert "Prepared for Halvorsen Offshore" in text
    for words in INTERNAL_ONLY:
        assert words not in text, words
    # What the client agreed to and said stays.
    for words in SHARED:
        assert words in text.replace("**", ""), words


def _figure(key: str, **values) -> Figure:
    return Figure(key, key.upper(), 1.0, "1", "poor", f"rule of {key}", **values)


def test_for_the_client_decides_what_leaves_the_team():
    from companion.core.changes import Record

    client = Record("client", "c1", {"name": "Halvorsen"}, "", "")
    review = Record("review", "r1", {"title": "Q3", "internal_notes": SECRET, "went_well": "Uptime"}, "", "")
    person = ("p1", "Ingrid Dahl", 10.0, "+100")
    figures = (
        _figure("nps", trend=(Point("2026-10-01", 1.0),), sources=(Source("contact", "p1", "Ingrid Dahl"),)),
        _figure("csat", by_person=(person,)),
    )
    scorecard = Scorecard(
        "c1",
        "Halvorsen",
        TODAY,
        (
            Perspective("customer", "Customer", "poor", "2 of 2 figures poor: NPS, CSAT", figures),
            Perspective("internal_process", "Internal process", "poor", "Not met: Per Lunde", figures),
        ),
    )
    shared = for_the_client(ReviewPack(client, review, scorecard=scorecard))
    assert shared.review is not None and "internal_notes" not in shared.review.values
    assert shared.review["went_well"] == "Uptime"
    customer, internal = shared.scorecard.perspectives
    assert customer.reason == "2 of 2 figures poor: NPS, CSAT" and internal.reason == ""
    for figure in customer.figures + internal.figures:
        assert figure.sources == () and figure.by_person == ()
    assert customer.figures[0].trend  # the trend is the client's to see
    # The internal pack keeps them, and marks itself.
    internal_text = review_document(
        ReviewPack(client, review, scorecard=scorecard), for_client=False
    ).markdown
    assert "Not met: Per Lunde" in internal_text and "Ingrid Dahl +100" in internal_text
    assert SECRET in internal_text and INTERNAL_MARKER in internal_text


def test_a_client_without_reviews_and_a_review_of_another_client(reviewed, workspace):
    ws, ids = reviewed
    other = ws.create(kind="client", values={"name": "Aurora Retail"}).created_id
    document = build_review_document(ws, client_id=other, today=TODAY)
    assert not document.has_review and "has had no review yet" in document.markdown
    with pytest.raises(ValidationError, match="Aurora Retail has no review with the id"):
        build_review_document(ws, client_id=other, review_id=ids["latest"], today=TODAY)
