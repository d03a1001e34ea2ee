"""Which upcoming meetings' checklists written records can reach, so an edit or a pull recomposes only those.

It is what `meetings.gather` reads, seen from the other side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from companion.core.changes import ChangeSet
from companion.model.kinds import checklist_inputs

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

# A meeting's checklist follows its sources until the meeting is held or cancelled; then it is history.
OPEN_STATUSES = (None, "planned", "ready")


@dataclass(frozen=True)
class Upcoming:
    """An open meeting from today on, with what its checklist is composed from besides its client."""

    id: str
    client_id: str
    contact_ids: frozenset[str]
    template_ids: frozenset[str]


def upcoming_open_meetings(workspace: Workspace, *, today: dt.date | None = None) -> list[Upcoming]:
    """Planned or ready meetings from today on: the checklists that still follow what they are made of."""
    since = dt.datetime.combine(today or dt.date.today(), dt.time()).astimezone()
    fields = ("id", "starts_at", "status", "client_id", "contact_ids", "template_ids")
    return [
        Upcoming(str(meeting_id), str(client_id), frozenset(contacts or ()), frozenset(templates or ()))
        for meeting_id, starts_at, status, client_id, contacts, templates in workspace.columns(
            kind="meeting", fields=fields
        )
        if status in OPEN_STATUSES and dt.datetime.fromisoformat(str(starts_at)) >= since
    ]


@dataclass
class Reach:
    """Whose checklists some written records may touch: what `gather` reads, seen from the other side.
    Kept as plain lists in the workspace's bookkeeping while a pull is under way (`as_dict`)."""

    meetings: set[str] = field(default_factory=set)
    clients: set[str] = field(default_factory=set)
    contacts: set[str] = field(default_factory=set)
    templates: set[str] = field(default_factory=set)
    interactions: set[str] = field(default_factory=set)  # a follow-up's: resolved when asked
    # What the plan's records hang from, resolved to their client (or people) when asked.
    plans: set[str] = field(default_factory=set)  # an objective's
    objectives: set[str] = field(default_factory=set)  # an action's
    risks: set[str] = field(default_factory=set)  # an action's
    competitors: set[str] = field(default_factory=set)
    opportunities: set[str] = field(default_factory=set)  # a person in a deal's: resolved to its client
    reviews: set[str] = field(default_factory=set)  # an action agreed in one: resolved to its client
    responses: set[str] = field(default_factory=set)  # a survey answer's: resolved to its client

    def add(self, kind: str, record_id: str, values: Mapping[str, object]) -> None:
        """A record of a checklist input kind, written with these values (before or after a change)."""
        if kind == "meeting":  # its own checklist only: no other meeting reads it
            self.meetings.add(record_id)
            return
        if values.get("client_id"):
            self.clients.add(str(values["client_id"]))
        if kind == "client":
            self.clients.add(record_id)
        elif kind == "contact":
            self.contacts.add(record_id)
        elif kind == "position" and values.get("contact_id"):
            self.contacts.add(str(values["contact_id"]))
        elif kind == "interaction":
            self.contacts.update(str(c) for c in values.get("contact_ids") or ())
        elif kind == "follow_up" and values.get("interaction_id"):
            self.interactions.add(str(values["interaction_id"]))
        elif kind == "checklist_template":
            self.templates.add(record_id)
        elif kind == "checklist_template_item" and values.get("template_id"):
            self.templates.add(str(values["template_id"]))
        elif kind == "objective" and values.get("plan_id"):
            self.plans.add(str(values["plan_id"]))
        elif kind == "action":
            if values.get("objective_id"):
                self.objectives.add(str(values["objective_id"]))
            if values.get("risk_id"):
                self.risks.add(str(values["risk_id"]))
            if values.get("review_id"):
                self.reviews.add(str(values["review_id"]))
        elif kind == "survey_answer" and values.get("response_id"):
            self.responses.add(str(values["response_id"]))
        elif kind == "competitor":
            self.competitors.add(record_id)
        elif kind == "opportunity_contact" and values.get("opportunity_id"):
            self.opportunities.add(str(values["opportunity_id"]))
        elif kind == "competitor_tie" and values.get("contact_id"):
            # Shown on the meetings its person attends, whichever client they are at.
            self.contacts.add(str(values["contact_id"]))

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in REACH_PARTS)

    def size(self) -> int:
        """How many records it names."""
        return sum(len(getattr(self, name)) for name in REACH_PARTS)

    def as_dict(self) -> dict[str, list[str]]:
        return {name: sorted(getattr(self, name)) for name in REACH_PARTS}

    @classmethod
    def from_dict(cls, data: Mapping[str, Sequence[str]]) -> Reach:
        return cls(**{name: set(data.get(name, ())) for name in REACH_PARTS})

    def meetings_in(self, workspace: Workspace, upcoming: Sequence[Upcoming]) -> list[str]:
        """The upcoming meetings among `upcoming` these records touch."""
        reached = set(self.meetings)
        found = workspace.get_many(kind="interaction", ids=sorted(self.interactions))
        for interaction in found.values():
            # A follow-up shows on the meetings at its interaction's client that its people attend.
            people = {str(c) for c in interaction["contact_ids"] or ()}
            client = str(interaction["client_id"]) if interaction["client_id"] else None
            reached |= {m.id for m in upcoming if m.client_id == client and m.contact_ids & people}
        clients, contacts = self._plan_reach(workspace)
        return [
            m.id
            for m in upcoming
            if m.id in reached
            or m.client_id in clients
            or m.contact_ids & contacts
            or m.template_ids & self.templates
        ]

    def _plan_reach(self, workspace: Workspace) -> tuple[set[str], set[str]]:
        """The clients and people, besides those named outright, that the plan's records lead to: an
        objective's plan's client, an action's objective's, risk's or review's, a person in a deal's deal's
        client, a survey answer's response's client, a competitor's clients (where it is present, or a risk
        names it) and the people tied to it. Deleted records still lead there."""
        clients, contacts = set(self.clients), set(self.contacts)
        plans = set(self.plans)
        if self.objectives:
            found = workspace.get_many(kind="objective", ids=sorted(self.objectives))
            plans |= {str(o["plan_id"]) for o in found.values() if o["plan_id"]}
        if plans:
            found = workspace.get_many(kind="account_plan", ids=sorted(plans))
            clients |= {str(p["client_id"]) for p in found.values() if p["client_id"]}
        if self.risks:
            found = workspace.get_many(kind="risk", ids=sorted(self.risks))
            clients |= {str(r["client_id"]) for r in found.values() if r["client_id"]}
        for kind, ids in (
            ("opportunity", self.opportunities),
            ("review", self.reviews),
            ("survey_response", self.responses),
        ):
            if ids:
                found = workspace.get_many(kind=kind, ids=sorted(ids))
                clients |= {str(r["client_id"]) for r in found.values() if r["client_id"]}
        if self.competitors:
            competitors = sorted(self.competitors)
            for kind in ("competitor_presence", "risk"):
                for record in workspace.list(kind=kind, where={"competitor_id": competitors}):
                    clients.add(str(record["client_id"]))
            for tie in workspace.list(kind="competitor_tie", where={"competitor_id": competitors}):
                contacts.add(str(tie["contact_id"]))
        return clients, contacts


REACH_PARTS = (
    "meetings",
    "clients",
    "contacts",
    "templates",
    "interactions",
    "plans",
    "objectives",
    "risks",
    "competitors",
    "opportunities",
    "reviews",
    "responses",
)


def affected_meetings(workspace: Workspace, changes: ChangeSet, *, today: dt.date | None = None) -> list[str]:
    """Open meetings, today or later, whose checklist may read differently after these changes: those at
    the clients the changes belong to (a plan's records, a review's agreed actions and a survey's answers
    through what they hang from), with the people they changed (or tied to a competitor changed), or using
    the templates they changed."""
    inputs = checklist_inputs()
    relevant = [c for c in changes.changes if c.kind in inputs]
    if not relevant:
        return []
    upcoming = upcoming_open_meetings(workspace, today=today)
    if not upcoming:
        return []
    reach = Reach()
    by_kind: dict[str, list] = {}
    for change in relevant:
        by_kind.setdefault(change.kind, []).append(change)
    for kind, kind_changes in by_kind.items():
        stored = workspace.get_many(kind=kind, ids=[c.id for c in kind_changes])  # deleted ones too
        for change in kind_changes:
            now = stored[change.id].values if change.id in stored else change.after
            reach.add(kind, change.id, {**change.before, **now})
            reach.add(kind, change.id, change.before)  # a record moved away touches where it was
    return reach.meetings_in(workspace, upcoming)
