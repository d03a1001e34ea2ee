"""Reviews with the client (core/reviews.py): when each client's next review is due by its cadence, home's
"Reviews due" group, and a review's agreed actions, open first and on home's actions due."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.core.attention import Filters, attention, snooze
from companion.core.reviews import agreed_actions, client_reviews, next_review_due, reviews_due

TODAY = dt.date(2026, 12, 2)


def _ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def _in(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def clients(workspace):
    ws = workspace
    make = lambda kind_name, **values: ws.create(kind=kind_name, values=values).created_id  # noqa: E731
    ids = {"mira": make("colleague", name="Mira Tan"), "jonas": make("colleague", name="Jonas Aas")}
    # Overdue: last review 100 days ago, every 90 days (10 days late).
    ids["late"] = make("client", name="Halvorsen Offshore", review_every_days=90, owner_id=ids["mira"])
    make("review", client_id=ids["late"], title="Q2 review", kind="quarterly", held_on=_ago(200))
    ids["late_review"] = make(
        "review", client_id=ids["late"], title="Q3 review", kind="quarterly", held_on=_ago(100)
    )
    # Never reviewed, with a cadence: due from today.
    ids["never"] = make("client", name="Aurora Retail", review_every_days=180, owner_id=ids["jonas"])
    # The latest review set its next date, sooner than the cadence: due in 5 days.
    ids["soon"] = make("client", name="Casa Paineira", review_every_days=365)
    make(
        "review",
        client_id=ids["soon"],
        title="Executive review",
        kind="executive",
        held_on=_ago(30),
        next_review=_in(5),
    )
    # Not due within two weeks: reviewed 20 days ago, every 90 days.
    ids["fine"] = make("client", name="Kurobane", review_every_days=90)
    make("review", client_id=ids["fine"], title="Q4 review", kind="quarterly", held_on=_ago(20))
    # No cadence and no date: never due. A former client with a cadence: never due.
    make("client", name="No Cadence")
    make("client", name="Gone Ltd", review_every_days=30, status="former")
    return ws, ids


def test_the_next_review_is_due_by_the_latest_review_and_the_cadence():
    assert next_review_due(held_on="2026-06-01", next_review=None, every_days=90, today=TODAY) == dt.date(
        2026, 8, 30
    )
    # The date set at the review wins over the cadence.
    assert next_review_due(
        held_on="2026-06-01", next_review="2026-07-01", every_days=90, today=TODAY
    ) == dt.date(2026, 7, 1)
    assert next_review_due(held_on=None, next_review=None, every_days=90, today=TODAY) == TODAY
    assert next_review_due(held_on="2026-06-01", next_review=None, every_days=None, today=TODAY) is None
    assert next_review_due(held_on=None, next_review=None, every_days=None, today=TODAY) is None


def test_reviews_due_are_the_overdue_and_the_near_most_overdue_first(clients):
    ws, ids = clients
    due = reviews_due(ws, today=TODAY)
    assert [d.client_id for d in due] == [ids["late"], ids["never"], ids["soon"]]
    late, never, soon = due
    assert late.due == TODAY - dt.timedelta(days=10) and late.last_review_id == ids["late_review"]
    assert late.days_late(TODAY) == 10
    assert "overdue 10 days" in late.phrase(TODAY) and "every 90 days" in late.phrase(TODAY)
    assert never.last_held is None and never.due == TODAY
    assert never.phrase(TODAY) == "never reviewed (every 180 days)"
    assert soon.due == TODAY + dt.timedelta(days=5) and "due in 5 days" in soon.phrase(TODAY)
    # Without the horizon, every client with a due date; one client alone when asked.
    assert {d.client_id for d in reviews_due(ws, today=TODAY, within_days=None)} == {
        ids["late"],
        ids["never"],
        ids["soon"],
        ids["fine"],
    }
    assert [d.client_id for d in reviews_due(ws, today=TODAY, client_id=ids["soon"])] == [ids["soon"]]
    # The SQL says the rule as next_review_due does, client by client.
    for client in ws.list(kind="client"):
        held = client_reviews(ws, client_id=client.id)
        latest = held[0] if held else None
        expected = next_review_due(
            held_on=latest["held_on"] if latest else None,
            next_review=latest["next_review"] if latest else None,
            every_days=client["review_every_days"],
            today=TODAY,
        )
        found = reviews_due(ws, today=TODAY, client_id=client.id, within_days=None)
        if client["status"] == "former":
            expected = None
        assert [d.due for d in found] == ([expected] if expected else []), client["name"]


def test_home_lists_reviews_due_and_a_new_review_settles_one(clients):
    ws, ids = clients
    group = attention(ws, today=TODAY).group("reviews_due")
    assert group is not None and group.total == 3
    first = group.items[0]
    assert (first.kind, first.record_id, first.client_name) == ("client", ids["late"], "Halvorsen Offshore")
    assert first.headline == "Hold a review — Halvorsen Offshore"
    # Mine: the client's account owner.
    mine = attention(ws, today=TODAY, filters=Filters(mine=ids["jonas"])).group("reviews_due")
    assert mine is not None and [i.record_id for i in mine.items] == [ids["never"]]
    # Snoozed as any other item, until its day.
    snooze(ws, kind="client", record_id=ids["never"], until=TODAY + dt.timedelta(days=7), today=TODAY)
    group = attention(ws, today=TODAY).group("reviews_due")
    assert group is not None and ids["never"] not in [i.record_id for i in group.items]
    # Holding the review settles it: due again in 90 days.
    ws.create(
        kind="review",
        values={
            "client_id": ids["late"],
            "title": "Q4 review",
            "kind": "quarterly",
            "held_on": TODAY.isoformat(),
        },
    )
    group = attention(ws, today=TODAY).group("reviews_due")
    assert group is not None and [i.record_id for i in group.items] == [ids["soon"]]


def test_a_review_s_agreed_actions_open_first(clients):
    ws, ids = clients
    review = ids["late_review"]
    make = lambda **values: ws.create(kind="action", values={"review_id": review, **values})  # noqa: E731
    make(text="Send the minutes", done=True, due=_ago(90))
    make(text="Plan the pilot")
    make(text="Call the CFO", due=_in(10))
    make(text="Share the roadmap", due=_ago(5))
    assert [a["text"] for a in agreed_actions(ws, review_id=review)] == [
        "Share the roadmap",
        "Call the CFO",
        "Plan the pilot",
        "Send the minutes",
    ]
    assert client_reviews(ws, client_id=ids["late"])[0].id == review
    # Home's actions due hold the open ones due within a week, with the review they were agreed in.
    group = attention(ws, today=TODAY).group("action_due")
    assert group is not None
    assert [(i.title, i.client_id) for i in group.items] == [("Share the roadmap", ids["late"])]
    assert "agreed in the review “Q3 review”" in group.items[0].detail
