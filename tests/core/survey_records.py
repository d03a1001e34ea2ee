"""A running survey with an NPS, a CSAT and a text question, and two clients with a person each."""

from __future__ import annotations


def build_survey(ws) -> dict[str, str]:
    """A running survey with an NPS, a CSAT and a text question, two clients and a person at each."""
    ids = {}
    ids["survey"] = ws.create(
        kind="survey", values={"title": "Satisfaction 2026", "status": "running"}
    ).created_id
    for key, kind, text, position in (
        ("nps", "nps", "How likely are you to recommend us?", 1),
        ("csat", "csat", "How satisfied are you with our service?", 2),
        ("text", "text", "What should we do better?", 3),
    ):
        ids[key] = ws.create(
            kind="survey_question",
            values={"survey_id": ids["survey"], "type": kind, "text": text, "position": position},
        ).created_id
    for key, name, person in (
        ("halvorsen", "Halvorsen Offshore", "Ingrid Dahl"),
        ("fjord", "Fjord Foods", "Per Lunde"),
    ):
        ids[key] = ws.create(kind="client", values={"name": name}).created_id
        ids[f"{key}_person"] = ws.create(kind="contact", values={"name": person}).created_id
        ws.create(
            kind="position",
            values={"contact_id": ids[f"{key}_person"], "client_id": ids[key], "title": "CFO"},
        )
    return ids
