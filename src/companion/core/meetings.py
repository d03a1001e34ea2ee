"""Meetings: plan one with its composed checklist, keep the checklist current, log what happened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core import checklist
from companion.core.account_plan import OPEN_RISK_STATUSES, ordered_plans
from companion.core.changes import ChangeSet, Edit, Record
from companion.core.reach import OPEN_STATUSES, affected_meetings
from companion.model.errors import ValidationError
from companion.model.ids import new_id
from companion.model.values import local_time

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace


# What recomposing writes: a step of nobody's undo.
UPDATE_LABEL = "Update checklist"


def _live(records: Mapping[str, Record]) -> dict[str, Record]:
    return {record_id: r for record_id, r in records.items() if r.deleted_at is None}


def _position_there(positions: Sequence[Record]) -> Record | None:
    """A person's position at the meeting's client: the current one, else the one that ended last."""
    current = [p for p in positions if p["ended"] is None]
    if current:
        return max(current, key=lambda p: str(p["started"] or ""))
    return max(positions, key=lambda p: str(p["ended"]), default=None)


def gather(workspace: Workspace, meeting: Record, *, today: dt.date | None = None) -> checklist.MeetingInputs:
    """Reads everything the meeting's checklist is composed from."""
    client_id = str(meeting["client_id"])
    client = workspace.get(kind="client", id=client_id)
    site = None
    if meeting["site_id"]:
        site = _live(workspace.get_many(kind="site", ids=[str(meeting["site_id"])])).get(
            str(meeting["site_id"])
        )
    contact_ids = [str(c) for c in meeting["contact_ids"] or ()]
    contacts = _live(workspace.get_many(kind="contact", ids=contact_ids))
    positions: dict[str, list[Record]] = {}
    for position in workspace.list(
        kind="position", where={"contact_id": contact_ids, "client_id": client_id}
    ):
        positions.setdefault(str(position["contact_id"]), []).append(position)
    interaction_ids = workspace.interaction_ids_involving(contact_ids=list(contacts), client_id=client_id)
    interactions = _live(workspace.get_many(kind="interaction", ids=interaction_ids))
    ordered = [interactions[i] for i in interaction_ids if i in interactions]  # newest first
    open_follow_ups: dict[str, list[Record]] = {}
    for follow_up in workspace.list(kind="follow_up", where={"interaction_id": list(interactions)}):
        if not follow_up["done"]:
            open_follow_ups.setdefault(str(follow_up["interaction_id"]), []).append(follow_up)
    attendees = []
    for contact_id in contact_ids:
        contact = contacts.get(contact_id)
        if contact is None:
            continue  # deleted since it was invited: nothing left to prepare for
        theirs = [i for i in ordered if contact_id in (i["contact_ids"] or ())]
        promises = tuple(
            (f, i)
            for i in theirs
            for f in sorted(open_follow_ups.get(i.id, ()), key=lambda f: str(f["due"] or "~"))
        )
        attendees.append(
            checklist.Attendee(
                contact,
                _position_there(positions.get(contact_id, [])),
                tuple(theirs[: checklist.RECENT_INTERACTIONS]),
                promises,
            )
        )
    template_ids = [str(t) for t in meeting["template_ids"] or ()]
    templates = _live(workspace.get_many(kind="checklist_template", ids=template_ids))
    items: dict[str, list[Record]] = {}
    for item in workspace.list(kind="checklist_template_item", where={"template_id": list(templates)}):
        items.setdefault(str(item["template_id"]), []).append(item)
    chosen = tuple(
        (templates[t], tuple(sorted(items.get(t, ()), key=lambda i: (i["position"] or 0, str(i["text"])))))
        for t in template_ids
        if t in templates
    )
    sub_groups = {
        g.id: (str(g["parent_id"]) if g["parent_id"] else None)
        for g in workspace.list(kind="sub_group", where={"client_id": client_id})
    }
    colleague_ids = [str(c) for c in meeting["colleague_ids"] or ()]
    ours = {
        colleague_id: str(colleague["name"])
        for colleague_id, colleague in _live(workspace.get_many(kind="colleague", ids=colleague_ids)).items()
    }
    return checklist.MeetingInputs(
        meeting=meeting,
        client=client,
        site=site,
        attendees=tuple(attendees),
        guidelines=tuple(workspace.list(kind="guideline", where={"client_id": client_id})),
        templates=chosen,
        sub_group_parents=sub_groups,
        today=today or dt.date.today(),
        plan=_plan_inputs(workspace, client_id, [a.contact.id for a in attendees]),
        ours=ours,
        deals=_deal_inputs(workspace, client_id, today=today),
        satisfaction=_satisfaction_inputs(workspace, client, [a.contact.id for a in attendees], today=today),
    )


def _satisfaction_inputs(
    workspace: Workspace, client: Record, contact_ids: Sequence[str], *, today: dt.date | None
) -> checklist.SatisfactionInputs:
    """The client's NPS and CSAT answers, the attendees' detractors' comments, the client's reviews, the
    latest one's open agreed actions and when the next is due: a few reads of the client's rows."""
    from companion.core.reviews import agreed_actions, client_reviews, next_review_due
    from companion.core.satisfaction import latest_by_person, scores

    given = scores(workspace, client_id=client.id)
    theirs = [s for s in given if s.contact_id in set(contact_ids)]
    # The comments told are those of each attendee's latest score and latest NPS answer, when a detractor's.
    latest = [
        *latest_by_person(theirs).values(),
        *latest_by_person(s for s in theirs if s.type == "nps").values(),
    ]
    detractors = sorted({s.response_id for s in latest if s.detractor})
    comments = {
        i: str(r["comment"])
        for i, r in workspace.rows_of(kind="survey_response", ids=detractors).items()
        if r["comment"]
    }
    reviews = client_reviews(workspace, client_id=client.id)
    latest = reviews[0] if reviews else None
    agreed = [a for a in agreed_actions(workspace, review_id=latest.id) if not a["done"]] if latest else []
    due = next_review_due(
        held_on=str(latest["held_on"]) if latest is not None else None,
        next_review=str(latest["next_review"]) if latest is not None and latest["next_review"] else None,
        every_days=client["review_every_days"],
        today=today or dt.date.today(),
    )
    return checklist.SatisfactionInputs(
        scores=tuple(given),
        comments=comments,
        reviews=tuple(reviews),
        agreed=tuple(agreed),
        review_due=due,
    )


def _deal_inputs(workspace: Workspace, client_id: str, *, today: dt.date | None) -> checklist.DealInputs:
    """The client's open deals, their qualification gaps and the people in them: three reads."""
    from companion.core.opportunities import qualification_gaps
    from companion.model.kinds import OPEN_STAGES

    deals = workspace.list(kind="opportunity", where={"client_id": client_id, "stage": list(OPEN_STAGES)})
    if not deals:
        return checklist.DealInputs()
    gaps = qualification_gaps(workspace, client_id=client_id, today=today)
    people = workspace.list(kind="opportunity_contact", where={"opportunity_id": [d.id for d in deals]})
    return checklist.DealInputs(
        deals=tuple(deals),
        gaps={deal_id: tuple(found) for deal_id, found in gaps.items()},
        roles={(str(p["opportunity_id"]), str(p["contact_id"])): (p["role"], p["support"]) for p in people},
    )


def _plan_inputs(workspace: Workspace, client_id: str, contact_ids: Sequence[str]) -> checklist.PlanInputs:
    """The client's active plan with its objectives, the client's open risks and contracts, the open
    actions of both, and the attendees' ties to competitors: a few reads, whatever the plan's size."""
    # Two active plans can meet in a sync: every screen shows the same one (the latest period's).
    plans = ordered_plans(
        workspace.list(kind="account_plan", where={"client_id": client_id, "status": "active"})
    )
    plan = plans[0] if plans else None
    objectives = workspace.list(kind="objective", where={"plan_id": plan.id}) if plan is not None else []
    risks = workspace.list(kind="risk", where={"client_id": client_id, "status": list(OPEN_RISK_STATUSES)})
    actions: list[Record] = []
    for key, ids in (("objective_id", [o.id for o in objectives]), ("risk_id", [r.id for r in risks])):
        if ids:
            actions += [a for a in workspace.list(kind="action", where={key: ids}) if not a["done"]]
    ties = (
        workspace.list(kind="competitor_tie", where={"contact_id": list(contact_ids)}) if contact_ids else []
    )
    competitor_ids = {str(t["competitor_id"]) for t in ties}
    competitor_ids |= {str(r["competitor_id"]) for r in risks if r["competitor_id"]}
    competitors = _live(workspace.get_many(kind="competitor", ids=sorted(competitor_ids)))
    return checklist.PlanInputs(
        plan=plan,
        objectives=tuple(objectives),
        risks=tuple(risks),
        actions=tuple(actions),
        contracts=tuple(workspace.list(kind="contract", where={"client_id": client_id})),
        ties=tuple(
            (t, competitors[str(t["competitor_id"])]) for t in ties if str(t["competitor_id"]) in competitors
        ),
        competitors={c.id: str(c["name"]) for c in competitors.values()},
    )


def checklist_items(workspace: Workspace, meeting_id: str) -> list[Record]:
    """The meeting's stored checklist items, removed ones included."""
    return workspace.list(kind="meeting_checklist_item", where={"meeting_id": meeting_id})


def recompose(workspace: Workspace, *, meeting_id: str, today: dt.date | None = None) -> ChangeSet:
    """Brings an open meeting's checklist in line with what is known now; writes only what differs."""
    meeting = workspace.get(kind="meeting", id=meeting_id)
    if meeting["status"] not in OPEN_STATUSES:
        return ChangeSet((), "")
    proposed = checklist.compose(gather(workspace, meeting, today=today))
    live = checklist_items(workspace, meeting_id)
    shared_ids = [checklist.composed_item_id(meeting_id, item.origin) for item in proposed]
    deleted = {
        i
        for i, r in workspace.get_many(kind="meeting_checklist_item", ids=shared_ids).items()
        if r.deleted_at
    }
    edits = checklist.reconcile(meeting_id, live, proposed, deleted_ids=deleted)
    if not edits:
        return ChangeSet((), "")
    return workspace.apply(edits=edits, label=UPDATE_LABEL, react=False)


def plan_meeting(
    workspace: Workspace, *, values: Mapping[str, object], today: dt.date | None = None
) -> ChangeSet:
    """Creates a meeting and composes its checklist: one change, undone as one."""
    meeting_id = new_id()
    planned = {"status": "planned", **values}
    created = workspace.apply(
        edits=[Edit("create", "meeting", meeting_id, planned)], label="Plan meeting", react=False
    )
    composed = recompose(workspace, meeting_id=meeting_id, today=today)
    return workspace.react(ChangeSet(created.changes + composed.changes, "Plan meeting"), today=today)


def recompose_affected(
    workspace: Workspace, changes: ChangeSet, *, today: dt.date | None = None
) -> ChangeSet:
    """Recomposes every upcoming open meeting the changes may touch; one change set for all of them.
    (The write path runs it after every change: core/reactions.py.)"""
    collected = []
    for meeting_id in affected_meetings(workspace, changes, today=today):
        collected += recompose(workspace, meeting_id=meeting_id, today=today).changes
    return ChangeSet(tuple(collected), UPDATE_LABEL if collected else "")


def meetings_of_items(workspace: Workspace, item_ids: Sequence[str]) -> set[str]:
    """The meetings these checklist items belong to."""
    if not item_ids:
        return set()
    found = workspace.get_many(kind="meeting_checklist_item", ids=list(item_ids))
    return {str(item["meeting_id"]) for item in found.values()}


def add_item(workspace: Workspace, *, meeting_id: str, text: str, must: bool = False) -> ChangeSet:
    """A line the person adds to this meeting's list; recomposing never touches it."""
    existing = checklist_items(workspace, meeting_id)
    position = min(10_000, max((int(i["position"] or 0) for i in existing), default=-1) + 1)
    values = {"meeting_id": meeting_id, "text": text, "must": must, "source": "manual", "position": position}
    return workspace.apply(
        edits=[Edit("create", "meeting_checklist_item", None, values)], label="Add checklist item"
    )


def remove_item(workspace: Workspace, *, item_id: str) -> ChangeSet:
    """Takes an item off this meeting's list: a composed one stays off when the list is recomposed."""
    item = workspace.get(kind="meeting_checklist_item", id=item_id)
    if item["origin"]:
        edit = Edit("update", "meeting_checklist_item", item_id, {"removed": True})
    else:
        edit = Edit("delete", "meeting_checklist_item", item_id)
    return workspace.apply(edits=[edit], label="Remove checklist item")


def set_done(workspace: Workspace, *, item_id: str, done: bool) -> ChangeSet:
    label = "Tick checklist item" if done else "Untick checklist item"
    return workspace.apply(
        edits=[Edit("update", "meeting_checklist_item", item_id, {"done": done})], label=label
    )


@dataclass(frozen=True)
class FollowUp:
    text: str
    due: str | None = None
    owner_id: str | None = None


def log_meeting(
    workspace: Workspace,
    *,
    meeting_id: str,
    summary: str | None,
    sentiment: str | None = None,
    follow_ups: Sequence[FollowUp] = (),
    contact_ids: Sequence[str] | None = None,
    on_date: str | None = None,
) -> ChangeSet:
    """Records what happened: an interaction with the attendees (their last contact moves on), its
    follow-ups, and the meeting marked held. One change, undone as one."""
    meeting = workspace.get(kind="meeting", id=meeting_id)
    logged = workspace.list(kind="interaction", where={"meeting_id": meeting_id})
    if logged:
        raise ValidationError(
            f"“{meeting['title']}” was logged already (on {logged[0]['date']}); edit that interaction instead.",
            kind="interaction",
            field="meeting_id",
        )
    zone = dt.UTC if meeting["all_day"] else None  # an all-day meeting's day is its UTC date
    starts = local_time(meeting["starts_at"], zone)
    interaction_id = new_id()
    people = list(contact_ids) if contact_ids is not None else list(meeting["contact_ids"] or ())
    values = {
        "client_id": meeting["client_id"],
        "meeting_id": meeting_id,
        "date": on_date or starts.date().isoformat(),
        "channel": "meeting",
        "contact_ids": people or None,
        "summary": summary,
        "sentiment": sentiment,
    }
    edits = [Edit("create", "interaction", interaction_id, values)]
    for follow_up in follow_ups:
        if follow_up.text.strip():
            edits.append(
                Edit(
                    "create",
                    "follow_up",
                    None,
                    {
                        "interaction_id": interaction_id,
                        "text": follow_up.text.strip(),
                        "due": follow_up.due,
                        "owner_id": follow_up.owner_id,
                    },
                )
            )
    edits.append(Edit("update", "meeting", meeting_id, {"status": "held"}))
    return workspace.apply(edits=edits, label="Log meeting")


def parse_follow_ups(text: str) -> list[FollowUp]:
    """One follow-up per line, a due date after "@": "Send the pricing @ 2026-12-01"."""
    found = []
    for line in text.splitlines():
        what, _, due = line.partition("@")
        if what.strip():
            found.append(FollowUp(what.strip(), due.strip() or None))
    return found


# --- the meeting page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingPage:
    """Everything the meeting view shows, read in one go on the worker."""

    meeting: Record
    client_name: str
    site_name: str | None
    items: tuple[Record, ...]  # shown ones, in order
    readiness: checklist.Readiness
    people: tuple[tuple[str, str], ...]  # (contact id, "Name — title") at the client, current first
    colleagues: tuple[tuple[str, str], ...]
    sites: tuple[tuple[str, str], ...]
    templates: tuple[tuple[str, str], ...]
    logged: Record | None  # the interaction logged from it, once held


def load_meeting_page(workspace: Workspace, *, meeting_id: str) -> MeetingPage:
    from companion.core.people import people_at

    meeting = workspace.get(kind="meeting", id=meeting_id)
    client_id = str(meeting["client_id"])
    client = workspace.get(kind="client", id=client_id)
    sites = workspace.list(kind="site", where={"client_id": client_id})
    site_name = next((str(s["name"]) for s in sites if s.id == meeting["site_id"]), None)
    items = checklist_items(workspace, meeting_id)
    people: dict[str, str] = {}
    for person in people_at(workspace, client_id=client_id):
        title = f" — {person.position['title']}" if person.position["title"] else ""
        left = " (left)" if not person.current else ""
        people.setdefault(person.contact.id, f"{person.name}{title}{left}")
    # Someone invited who holds no role here still shows, so unticking them is possible.
    others = [str(c) for c in meeting["contact_ids"] or () if str(c) not in people]
    for contact_id, contact in _live(workspace.get_many(kind="contact", ids=others)).items():
        people[contact_id] = str(contact["name"])
    logged = workspace.list(kind="interaction", where={"meeting_id": meeting_id})
    return MeetingPage(
        meeting=meeting,
        client_name=str(client["name"]),
        site_name=site_name,
        items=tuple(checklist.shown(items)),
        readiness=checklist.readiness(items),
        people=tuple(people.items()),
        colleagues=tuple(
            (str(c[0]), str(c[1])) for c in workspace.columns(kind="colleague", fields=("id", "name"))
        ),
        sites=tuple((s.id, str(s["name"])) for s in sites),
        templates=tuple(
            (str(t[0]), str(t[1]))
            for t in workspace.columns(kind="checklist_template", fields=("id", "name"))
        ),
        logged=logged[0] if logged else None,
    )


def refresh_meeting_page(workspace: Workspace, *, meeting_id: str) -> tuple[ChangeSet, MeetingPage]:
    """Recomposes the checklist (what is known may have changed since), then reads the page."""
    changes = recompose(workspace, meeting_id=meeting_id)
    return changes, load_meeting_page(workspace, meeting_id=meeting_id)
