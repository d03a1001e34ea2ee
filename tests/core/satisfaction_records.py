"""A client with an NPS and CSAT survey, responses and reviews, for the satisfaction warnings, checklist and brief."""

from __future__ import annotations

import datetime as dt

from companion.core.changes import Edit
from companion.model.ids import new_id

TODAY = dt.date(2026, 12, 2)


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


class Satisfaction:
    """Mira's active client Halvorsen Offshore, with Ingrid Dahl (CFO) there and a survey asking NPS and CSAT."""

    def __init__(self, ws):
        self.ws = ws
        self.mira = self.make("colleague", name="Mira Tan")
        self.client = self.make("client", name="Halvorsen Offshore", status="active", owner_id=self.mira)
        self.ingrid = self.person("Ingrid Dahl")
        self.survey = self.make("survey", title="Autumn pulse", status="running")
        self.nps_q = self.make(
            "survey_question", survey_id=self.survey, type="nps", text="Would you recommend us?", position=1
        )
        self.csat_q = self.make(
            "survey_question", survey_id=self.survey, type="csat", text="How satisfied are you?", position=2
        )

    def make(self, kind_name: str, **values) -> str:
        return self.ws.create(kind=kind_name, values=values).created_id

    def person(self, name: str, client: str | None = None) -> str:
        contact = self.make("contact", name=name)
        self.make("position", contact_id=contact, client_id=client or self.client, title="CFO")
        return contact

    def respond(
        self,
        on: str,
        *,
        nps: int | None = None,
        csat: int | None = None,
        contact: str | None = None,
        client: str | None = None,
        comment: str | None = None,
    ) -> str:
        """A response with its answers, written in one change as the survey form writes it."""
        response = new_id()
        edits = [
            Edit(
                "create",
                "survey_response",
                response,
                {
                    "survey_id": self.survey,
                    "client_id": client or self.client,
                    "contact_id": contact,
                    "date": on,
                    "channel": "in_person",
                    "comment": comment,
                },
            )
        ]
        for question, score in ((self.nps_q, nps), (self.csat_q, csat)):
            if score is not None:
                values = {"response_id": response, "question_id": question, "score": score}
                edits.append(Edit("create", "survey_answer", None, values))
        self.ws.apply(edits=edits, label="Take a survey response")
        return response

    def review(self, held_on: str, *, theirs: int | None = None, **values) -> str:
        return self.make(
            "review",
            client_id=self.client,
            title=f"Review {held_on}",
            kind="quarterly",
            held_on=held_on,
            their_rating=theirs,
            **values,
        )
