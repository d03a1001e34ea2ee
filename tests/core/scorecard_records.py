"""Scorecard data of any size, gathered as records and written in one import (tests and benchmarks)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from companion.core.service import Workspace
from companion.model.ids import new_id
from companion.model.kinds import SUCCESS_FACTORS


class ScorecardRecords:
    """Records a test or benchmark asks for one by one; `write` imports them all in one transaction."""

    def __init__(self) -> None:
        self.records: dict[str, list[dict]] = defaultdict(list)
        self._survey: tuple[str, str, str] | None = None

    def add(self, kind_name: str, /, **values: object) -> str:
        record_id = new_id()
        self.records[kind_name].append({"id": record_id, **values})
        return record_id

    def write(self, ws: Workspace) -> None:
        ws.import_records(records=dict(self.records), label="scorecard data")

    def client(self, name: str, **values: object) -> str:
        return self.add("client", name=name, **values)

    def person(self, client_id: str, name: str, *, role: str | None = None, **position: object) -> str:
        """A person holding a position at the client now (with a buying role if given)."""
        contact = self.add("contact", name=name)
        self.add(
            "position",
            contact_id=contact,
            client_id=client_id,
            title="Director",
            buying_role=role,
            **position,
        )
        return contact

    def survey(self) -> tuple[str, str, str]:
        """One running survey of an NPS and a CSAT question, made once: (survey, its two questions)."""
        if self._survey is None:
            survey = self.add("survey", title="Satisfaction 2026", status="running")
            nps = self.add(
                "survey_question", survey_id=survey, type="nps", text="Would you recommend us?", position=1
            )
            csat = self.add(
                "survey_question", survey_id=survey, type="csat", text="How satisfied are you?", position=2
            )
            self._survey = (survey, nps, csat)
        return self._survey

    def response(
        self,
        client_id: str,
        on: str,
        *,
        nps: int | None = None,
        csat: int | None = None,
        contact: str | None = None,
    ) -> str:
        survey, nps_question, csat_question = self.survey()
        response = self.add(
            "survey_response",
            survey_id=survey,
            client_id=client_id,
            contact_id=contact,
            date=on,
            channel="form",
        )
        for question, score in ((nps_question, nps), (csat_question, csat)):
            if score is not None:
                self.add("survey_answer", response_id=response, question_id=question, score=score)
        return response

    def plan(self, client_id: str, *, status: str = "active") -> str:
        return self.add("account_plan", client_id=client_id, title=f"Plan {status}", status=status)

    def objective(
        self, plan_id: str, perspective: str, status: str | None = "on_track", title: str = "Grow"
    ) -> str:
        return self.add("objective", plan_id=plan_id, title=title, perspective=perspective, status=status)

    def measure(
        self, objective_id: str, *, baseline: float | None, target: float | None,
        readings: list[tuple[str, float]],
        name: str = "Share of wallet", direction: str = "up_is_good",
    ) -> str:  # fmt: skip
        measure = self.add(
            "measure", objective_id=objective_id, name=name, unit="percent", direction=direction,
            baseline=baseline, target=target,
        )  # fmt: skip
        for on, value in readings:
            self.add("measure_reading", measure_id=measure, date=on, value=value)
        return measure

    def review(
        self, client_id: str, held_on: str, *, ours: int | None = None, theirs: int | None = None
    ) -> str:
        return self.add(
            "review", client_id=client_id, title=f"Review {held_on}", kind="quarterly", held_on=held_on,
            our_rating=ours, their_rating=theirs,
        )  # fmt: skip

    def factor(self, client_id: str, factor: str, period_from: str, rating: int) -> str:
        return self.add(
            "success_factor_rating",
            client_id=client_id,
            factor=factor,
            period_from=period_from,
            rating=rating,
        )

    def interaction(
        self, client_id: str, on: str, *, sentiment: str | None = None, people: tuple[str, ...] = ()
    ) -> str:
        return self.add(
            "interaction",
            client_id=client_id,
            date=on,
            channel="meeting",
            sentiment=sentiment,
            contact_ids=list(people),
        )


def months_back(today: dt.date, count: int) -> list[str]:
    """The first day of each of the `count` months up to today's, oldest first."""
    first = []
    year, month = today.year, today.month
    for _ in range(count):
        first.append(dt.date(year, month, 1).isoformat())
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return first[::-1]


def rich_client(
    data: ScorecardRecords, *, today: dt.date, name: str = "Halvorsen Offshore", months: int = 36,
    measures: int = 30, responses: int = 500, people: int = 12, seed: int = 19,
) -> str:  # fmt: skip
    """A client with an active plan of `measures` measures (one objective each, across the perspectives)
    read monthly for `months`, `responses` survey responses with NPS and CSAT answers from `people`
    people, quarterly reviews, success-factor ratings per quarter and interactions. Returns its id."""
    from companion.model.kinds import PERSPECTIVES

    rng = random.Random(seed)
    client = data.client(name)
    roles = ("decision_maker", "economic_buyer", None)
    staff = [data.person(client, f"Person {n}", role=roles[n % 3]) for n in range(people)]
    plan = data.plan(client)
    dates = months_back(today, months)
    for n in range(measures):
        objective = data.objective(
            plan, PERSPECTIVES[n % 4], rng.choice(("on_track", "at_risk", "achieved")), f"Objective {n}"
        )
        readings = [(on, round(10 + k * 0.5 + rng.uniform(-2, 2), 2)) for k, on in enumerate(dates)]
        data.measure(objective, baseline=10, target=30, readings=readings, name=f"Measure {n}")
    span = months * 30
    for n in range(responses):
        on = (today - dt.timedelta(days=rng.randrange(span))).isoformat()
        data.response(client, on, nps=rng.randrange(11), csat=rng.randrange(1, 6), contact=staff[n % people])
    quarters = dates[::3]
    for on in quarters:
        data.review(client, on, ours=rng.randrange(1, 6), theirs=rng.randrange(1, 6))
        for factor in SUCCESS_FACTORS:
            data.factor(client, factor, on, rng.randrange(1, 6))
    for n in range(months * 2):
        on = (today - dt.timedelta(days=rng.randrange(span))).isoformat()
        sentiment = rng.choice(("positive", "neutral", "negative", "mixed"))
        data.interaction(client, on, sentiment=sentiment, people=(staff[n % people],))
    return client


def portfolio_clients(data: ScorecardRecords, *, today: dt.date, clients: int, seed: int = 23) -> list[str]:
    """`clients` clients with some of everything: a plan with two objectives and a measure each read
    quarterly for a year, ten survey responses, two reviews, factor ratings, interactions and two deciders."""
    from companion.model.kinds import PERSPECTIVES

    rng = random.Random(seed)
    dates = months_back(today, 12)[::3]
    made = []
    for n in range(clients):
        client = data.client(f"Client {n:04d}", status="active")
        made.append(client)
        deciders = [data.person(client, f"Decider {n}-{k}", role="decision_maker") for k in range(2)]
        plan = data.plan(client)
        for k in range(2):
            objective = data.objective(
                plan, PERSPECTIVES[(n + k) % 4], rng.choice(("on_track", "at_risk", "off_track"))
            )
            readings = [(on, rng.uniform(0, 40)) for on in dates]
            data.measure(objective, baseline=10, target=30, readings=readings)
        for k in range(10):
            on = (today - dt.timedelta(days=rng.randrange(365))).isoformat()
            data.response(
                client, on, nps=rng.randrange(11), csat=rng.randrange(1, 6), contact=deciders[k % 2]
            )
        for on in dates[-2:]:
            data.review(client, on, ours=rng.randrange(1, 6), theirs=rng.randrange(1, 6))
        for factor in SUCCESS_FACTORS:
            data.factor(client, factor, dates[-1], rng.randrange(1, 6))
        for k in range(6):
            on = (today - dt.timedelta(days=rng.randrange(365))).isoformat()
            data.interaction(
                client,
                on,
                sentiment=rng.choice(("positive", "negative", "neutral")),
                people=(deciders[k % 2],),
            )
    return made
