"""The Scorecard section's read on the database thread: the scorecard, the reviews with their agreed actions,
the success-factor ratings and the survey responses of one client."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the page is built before the services are loaded
    from companion.core.changes import Record
    from companion.core.scorecard import Scorecard


@dataclass(frozen=True)
class ReviewRow:
    """A review and the actions agreed in it (open ones first)."""

    review: Record
    actions: tuple[Record, ...]


@dataclass(frozen=True)
class ScorecardSection:
    """What the Scorecard section shows of one client, and the choices its forms offer."""

    client_id: str
    scorecard: Scorecard
    reviews: tuple[ReviewRow, ...]  # newest first
    ratings: tuple[Record, ...]  # success-factor ratings, by factor then period
    responses: tuple[Record, ...]  # survey responses, newest first
    people: tuple[tuple[str, str], ...] = ()  # who works at the client now: (contact id, name)
    meetings: tuple[tuple[str, str], ...] = ()  # the client's meetings: (id, "date title")
    surveys: tuple[tuple[str, str], ...] = ()
    names: dict[str, str] = field(default_factory=dict)  # people, colleagues and surveys by id
    scores: dict[str, str] = field(default_factory=dict)  # a response's scores in words ("NPS 9 · CSAT 4")

    def name(self, record_id: object) -> str:
        return self.names.get(str(record_id or ""), "")


def scorecard_section(ws, *, client_id: str, today: dt.date | None = None) -> ScorecardSection:
    """Everything the Scorecard section shows of one client, in one read."""
    from companion.core.opportunities import names_of
    from companion.core.people import people_at
    from companion.core.reviews import agreed_order, client_reviews
    from companion.core.scorecard import scorecard

    ws.get(kind="client", id=client_id)  # a client that is gone says so (NotFoundError)
    card = scorecard(ws, client_id=client_id, today=today)
    reviews = client_reviews(ws, client_id=client_id)
    actions: dict[str, list[Record]] = {r.id: [] for r in reviews}
    if reviews:
        for action in ws.list(kind="action", where={"review_id": list(actions)}):
            actions[str(action["review_id"])].append(action)
    ratings = sorted(
        ws.list(kind="success_factor_rating", where={"client_id": client_id}),
        key=lambda r: (str(r["factor"]), str(r["period_from"] or "")),
    )
    responses = sorted(
        ws.list(kind="survey_response", where={"client_id": client_id}),
        key=lambda r: str(r["date"] or ""),
        reverse=True,
    )
    scores = _scores_of(ws, [r.id for r in responses])
    people = tuple(
        dict.fromkeys((p.contact.id, p.name) for p in people_at(ws, client_id=client_id, include_past=False))
    )
    contact_ids = [str(r["contact_id"]) for r in responses if r["contact_id"]]
    contact_ids += [str(a["contact_id"]) for group in actions.values() for a in group if a["contact_id"]]
    surveys = tuple(tuple(r) for r in ws.columns(kind="survey", fields=("id", "title")))
    meetings = sorted(
        ws.list(kind="meeting", where={"client_id": client_id}),
        key=lambda m: str(m["starts_at"] or ""),
        reverse=True,
    )
    names = {
        **dict(ws.columns(kind="colleague", fields=("id", "name"), ordered=False)),
        **names_of(ws, contact_ids),
        **dict(people),
        **dict(surveys),
    }
    return ScorecardSection(
        client_id=client_id,
        scorecard=card,
        reviews=tuple(ReviewRow(r, tuple(sorted(actions[r.id], key=agreed_order))) for r in reviews),
        ratings=tuple(ratings),
        responses=tuple(responses),
        people=people,
        meetings=tuple(
            (m.id, f"{str(m['starts_at'] or '')[:10]} {m['title'] or ''}".strip()) for m in meetings
        ),
        surveys=surveys,
        names={str(k): str(v) for k, v in names.items()},
        scores=scores,
    )


def _scores_of(ws, response_ids: list[str]) -> dict[str, str]:
    """Each response's NPS and CSAT answers in words, in the questions' order."""
    if not response_ids:
        return {}
    answers = ws.list(kind="survey_answer", where={"response_id": response_ids})
    questions = ws.get_many(kind="survey_question", ids=sorted({str(a["question_id"]) for a in answers}))
    scored: dict[str, list[tuple[int, str]]] = {}
    for answer in answers:
        question = questions.get(str(answer["question_id"]))
        if question is None or answer["score"] is None or question["type"] not in ("nps", "csat"):
            continue
        words = f"{str(question['type']).upper()} {answer['score']}"
        scored.setdefault(str(answer["response_id"]), []).append((int(question["position"] or 0), words))
    return {response: " · ".join(w for _p, w in sorted(found)) for response, found in scored.items()}


def review_pack(ws, *, client_id: str, review_id: str | None, for_client: bool, today: dt.date | None = None):
    """A review's pack (the latest's when none is named), for the meeting or for the client, ready to print."""
    from companion.core.review_document import build_review_document

    return build_review_document(
        ws, client_id=client_id, review_id=review_id, for_client=for_client, today=today
    )


def review_of_action(ws, *, action_id: str) -> str | None:
    """The review an action was agreed in, if it was."""
    review_id = ws.get(kind="action", id=action_id)["review_id"]
    return str(review_id) if review_id else None
