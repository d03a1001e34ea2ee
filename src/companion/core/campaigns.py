"""Campaigns: drawing their targets from a cohort's people, the work list, logging approaches, the market's feedback."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core.changes import ChangeSet, Edit
from companion.model.errors import ValidationError
from companion.model.ids import new_id
from companion.model.kinds import DEFAULT_TARGET_ROLES, STANCES, TARGET_STATUSES, get_kind
from companion.model.labels import choice_label

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

# A target still being worked; the others are settled one way or another.
OPEN_TARGET_STATUSES = ("to_approach", "approached", "meeting_set", "interested")
CLOSED_TARGET_STATUSES = tuple(s for s in TARGET_STATUSES if s not in OPEN_TARGET_STATUSES)
# The market said no: what the proposition's owner reads as feedback. Read from the kind, which
# refuses these statuses without a reason.
DECLINING_STATUSES = next(
    values
    for field_name, values, needed in get_kind("campaign_target").required_when
    if (field_name, needed) == ("status", "reason")
)
# Who to approach first among people of equal influence: those on our side.
STANCE_ORDER = ("champion", "supporter", "neutral", "unknown", "sceptic", "opponent")
# Those who may open the door to someone they have informal influence on.
ROUTE_STANCES = ("champion", "supporter")
# The interaction channel an approach by a person's preferred channel is logged as.
INTERACTION_CHANNEL_FOR = {
    "in_person": "meeting",
    "phone": "call",
    "video": "video",
    "email": "email",
    "messaging": "message",
}
_SEVERITY_ORDER = {"must": 0, "should": 1}

assert set(STANCE_ORDER) == set(STANCES)


@dataclass(frozen=True)
class TargetRow:
    id: str
    client_id: str
    client_name: str
    contact_id: str | None
    contact_name: str | None
    title: str | None
    buying_role: str | None
    influence: int | None
    stance: str | None
    status: str
    reason: str | None
    next_step: str | None
    next_step_due: str | None
    route_via_id: str | None
    route_via_name: str | None
    rank: int | None
    approach: str | None
    channel: str | None  # the person's preferred channel
    opportunity_id: str | None


@dataclass(frozen=True)
class _Candidate:
    """A person (or, without one, the client itself) a campaign may approach."""

    client_id: str
    client_name: str
    contact_id: str | None
    name: str | None
    buying_role: str | None
    influence: int | None
    stance: str | None
    channel: str | None
    best_times: str | None
    worst_times: str | None


def ranking_key(influence: int | None, stance: str | None) -> tuple[int, int]:
    """The order targets are approached in: the most influential first; among equals, those on our side
    first (champion, supporter, neutral, unknown, sceptic, opponent). Unknown influence comes last, and
    no stance reads as unknown."""
    stance_place = STANCE_ORDER.index(stance) if stance in STANCE_ORDER else STANCE_ORDER.index("unknown")
    return (-(influence or 0), stance_place)


def _route_key(strength: int | None, stance: str) -> tuple[int, int]:
    """The strongest tie first; a champion before a supporter."""
    return (-(strength or 0), ROUTE_STANCES.index(stance))


def _roles_of(proposition_values: dict) -> tuple[str, ...]:
    return tuple(proposition_values.get("fit_roles") or ()) or DEFAULT_TARGET_ROLES


@functools.cache
def _channel_label(channel: str) -> str:
    return choice_label(channel).lower()


def _guideline_line(polarity: str, severity: str | None, text: str) -> str:
    word = "Do" if polarity == "do" else "Don't"
    return f"{word}{' (must)' if severity == 'must' else ''}: {' '.join(str(text).split())}"


def approach_rules(guidelines: Iterable[tuple]) -> dict[str, list[tuple[str | None, str]]]:
    """A client's do's and don'ts as lines of an approach, by client: (the person a line is about, or None
    for everyone there; the line), must before should, each in the order written. Rows as
    store/queries.approach_guidelines gives them."""
    by_client: dict[str, list[tuple]] = defaultdict(list)
    for rule in guidelines:
        by_client[rule[0]].append(rule)
    return {
        client: [
            (r[1], _guideline_line(r[2], r[3], r[4]))
            for r in sorted(rules, key=lambda r: _SEVERITY_ORDER.get(r[3], 2))
        ]
        for client, rules in by_client.items()
    }


def approach_text(
    candidate: _Candidate,
    *,
    route_name: str | None,
    rules: Sequence[tuple[str | None, str]],
    roles: Sequence[str],
) -> str:
    """How to approach the person: through whom, by which channel, when not and when, and the client's
    do's and don'ts that apply to them (`approach_rules`: the client's and their own); for a client with
    nobody to approach, who to find. One line each (a Markdown list)."""
    lines: list[str] = []
    if candidate.contact_id is None:
        named = [choice_label(r).lower() for r in roles]
        wanted = " or ".join([", ".join(named[:-1]), named[-1]]) if len(named) > 1 else named[0]
        lines.append(f"Nobody here holds a buying role this proposition looks for: find the {wanted}.")
    else:
        if route_name:
            lines.append(f"Through {route_name}, who has informal influence on them.")
        if candidate.channel:
            lines.append(f"Prefers: {_channel_label(candidate.channel)}.")
        if candidate.worst_times:
            lines.append(f"Avoid: {candidate.worst_times.strip().rstrip('.')}.")
        if candidate.best_times:
            lines.append(f"Best: {candidate.best_times.strip().rstrip('.')}.")
    lines += [line for person, line in rules if person is None or person == candidate.contact_id]
    return "\n".join(f"- {line}" for line in lines)


def _campaign_and_proposition(workspace: Workspace, campaign_id: str):
    campaign = workspace.get(kind="campaign", id=campaign_id)
    proposition = workspace.get(kind="proposition", id=str(campaign["proposition_id"]))
    return campaign, proposition


def draw_targets(workspace: Workspace, campaign_id: str, *, today: dt.date | None = None) -> ChangeSet:
    """Draws a campaign's targets from its cohort, as one undoable change.

    For every client of the cohort: the people holding a current position there (unended, or ending after
    `today`) with a buying role the proposition names (DEFAULT_TARGET_ROLES when it names none), ranked
    by `ranking_key` across the campaign (then by client and name); routed through the strongest
    champion or supporter with informal influence on them, if any (`_best_routes`); with how to approach
    them (`approach_text`). A client where nobody holds such a role gets one target for the client
    itself, saying who to find, ranked after the people.

    Drawing again adds only the people (and clients) not targeted yet, ranked after those there are;
    existing targets are never touched."""
    from companion.core.cohorts import cohort_members
    from companion.store import queries

    today = today or dt.date.today()
    campaign, proposition = _campaign_and_proposition(workspace, campaign_id)
    roles = _roles_of(proposition.values)
    members = cohort_members(workspace, str(campaign["cohort_id"]))
    with workspace.db.reading() as conn:
        names = queries.client_names(conn, members)
        people = queries.target_candidates(conn, client_ids=members, roles=roles, today=today.isoformat())
        targeted, last_rank = queries.campaign_target_keys(conn, campaign.id)
        people = [row for row in people if (row[0], row[1]) not in targeted]
        influences = queries.influencers_on(
            conn, contact_ids=sorted({row[1] for row in people}), today=today.isoformat()
        )
        rules_by_client = approach_rules(queries.approach_guidelines(conn, client_ids=members))

    # Rows: client, person, name, buying role, influence, stance, channel, best times, worst times.
    candidates = [_Candidate(row[0], names.get(row[0], ""), *row[1:]) for row in people]
    with_people = {c.client_id for c in candidates} | {client for client, person in targeted if person}
    candidates += [
        _Candidate(client, names.get(client, ""), None, None, None, None, None, None, None, None)
        for client in members
        if client not in with_people and (client, None) not in targeted
    ]
    candidates.sort(
        key=lambda c: (
            c.contact_id is None,
            ranking_key(c.influence, c.stance),
            c.client_name.casefold(),
            (c.name or "").casefold(),
            c.contact_id or "",
        )
    )
    routes = _best_routes(influences, candidates)
    records = []
    for place, candidate in enumerate(candidates, start=last_rank + 1):
        route = routes.get((candidate.client_id, candidate.contact_id))
        values = {
            "id": new_id(),
            "campaign_id": campaign.id,
            "client_id": candidate.client_id,
            "contact_id": candidate.contact_id,
            "status": "to_approach",
            "rank": place,
            "route_via_id": route[0] if route else None,
            "approach": approach_text(
                candidate,
                route_name=route[1] if route else None,
                rules=rules_by_client.get(candidate.client_id, ()),
                roles=roles,
            ),
        }
        records.append({k: v for k, v in values.items() if v is not None})
    if not records:
        return ChangeSet((), f"Draw targets for {campaign['name']}")
    return workspace.import_records(
        records={"campaign_target": records}, label=f"Draw targets for {campaign['name']}"
    )


def start_campaign(
    workspace: Workspace, values: Mapping[str, object], *, today: dt.date | None = None
) -> ChangeSet:
    """Creates a campaign and draws its targets (`draw_targets`) as one undoable change: what starting a
    campaign means to the person who starts it. Should the drawing fail, the campaign is taken back, so
    nothing half-made stays."""
    created = workspace.create(kind="campaign", values=values)
    try:
        drawn = draw_targets(workspace, str(created.created_id), today=today)
    except BaseException:
        workspace.undo(changes=created)
        raise
    name = created.changes[0].after.get("name")
    return ChangeSet(created.changes + drawn.changes, f"Start the campaign {name}")


def _best_routes(
    influences: Sequence[tuple], candidates: Sequence[_Candidate]
) -> dict[tuple[str, str | None], tuple[str, str]]:
    """For each person drawn: (id, name) of who to approach them through. The strongest tie of informal
    influence first, then a champion before a supporter (by the stance of the influencer's current
    position), then someone on our side at the person's own client before one elsewhere."""
    by_person: dict[str, list[tuple]] = defaultdict(list)
    for row in influences:
        by_person[row[0]].append(row)
    routes: dict[tuple[str, str | None], tuple[str, str]] = {}
    for candidate in candidates:
        found = by_person.get(candidate.contact_id or "")
        if found:
            best = min(
                found,
                key=lambda r: (*_route_key(r[3], r[4]), r[5] != candidate.client_id, str(r[2]).casefold()),
            )
            routes[(candidate.client_id, candidate.contact_id)] = (best[1], best[2])
    return routes


def work_list(workspace: Workspace, campaign_id: str) -> list[TargetRow]:
    """A campaign's targets in the order they are worked: open ones first by rank, then the settled
    ones (an opportunity, declined, not relevant) by rank. One read."""
    from companion.store import queries

    with workspace.db.reading() as conn:
        found = queries.work_list_rows(conn, campaign_id, closed=CLOSED_TARGET_STATUSES)
    return [TargetRow(*row) for row in found]


def next_target(rows: Sequence[TargetRow]) -> TargetRow | None:
    """The first target still to approach, by rank."""
    waiting = [r for r in rows if r.status == "to_approach"]
    return min(waiting, key=lambda r: (r.rank is None, r.rank or 0), default=None)


def progress(workspace: Workspace, campaign_id: str) -> dict[str, int]:
    """How many of a campaign's targets stand at each status (every status, zero included)."""
    from companion.store import queries

    counts = dict.fromkeys(TARGET_STATUSES, 0)
    with workspace.db.reading() as conn:
        found = queries.target_status_counts(conn, campaign_id)
    counts.update({status: n for status, n in found.items() if status in counts})
    return counts


def _target_and_person(workspace: Workspace, target_id: str):
    target = workspace.get(kind="campaign_target", id=target_id)
    person = workspace.get(kind="contact", id=str(target["contact_id"])) if target["contact_id"] else None
    return target, person


def log_approach(
    workspace: Workspace,
    target_id: str,
    *,
    date: str,
    channel: str,
    summary: str,
    sentiment: str | None = None,
    status: str = "approached",
    reason: str | None = None,
    next_step: str | None = None,
    next_step_due: str | None = None,
) -> ChangeSet:
    """Logs an approach to a target as an interaction (its client, the person, the channel) and moves the
    target on (its status, the reason, the next step and its date, which replace the ones done), as one
    undoable change."""
    target, person = _target_and_person(workspace, target_id)
    interaction = {
        "client_id": target["client_id"],
        "date": date,
        "channel": channel,
        "contact_ids": [person.id] if person else None,
        "summary": summary,
        "sentiment": sentiment,
    }
    update = {"status": status, "reason": reason, "next_step": next_step, "next_step_due": next_step_due}
    who = person["name"] if person else "the client"
    return workspace.apply(
        edits=[
            Edit("create", "interaction", None, interaction),
            Edit("update", "campaign_target", target.id, update),
        ],
        label=f"Log an approach to {who}",
    )


def open_opportunity(workspace: Workspace, target_id: str, *, title: str | None = None) -> ChangeSet:
    """Turns a target into an opportunity, as one undoable change: a deal at its client, in the person's
    buying centre (the sub-group of their position there), of the campaign's proposition, at stage
    "qualifying", with the person in it (and as its economic buyer when that is their buying role); the
    target stands at "opportunity" and points at it."""
    target, person = _target_and_person(workspace, target_id)
    if target["opportunity_id"]:
        raise ValidationError(
            "Campaign target · Opportunity it became (opportunity_id): this target became an opportunity already.",
            kind="campaign_target",
            field="opportunity_id",
        )
    campaign, proposition = _campaign_and_proposition(workspace, str(target["campaign_id"]))
    client = workspace.get(kind="client", id=str(target["client_id"]))
    position = _current_position(workspace, person.id, client.id) if person else None
    deal_id = new_id()
    longest = get_kind("opportunity").field("title").max_length
    deal = {
        "client_id": client.id,
        "title": (title or "").strip() or f"{proposition['title']} for {client['name']}"[:longest],
        "proposition_id": proposition.id,
        "campaign_id": campaign.id,
        "stage": "qualifying",
        "owner_id": campaign["owner_id"],
        "sub_group_id": position["sub_group_id"] if position else None,
    }
    edits = [Edit("create", "opportunity", deal_id, deal)]
    if person:
        role = position["buying_role"] if position else None
        if role == "economic_buyer":
            edits[0].values["economic_buyer_id"] = person.id
        involved = {"opportunity_id": deal_id, "contact_id": person.id, "role": role}
        involved["support"] = position["stance"] if position else None
        edits.append(Edit("create", "opportunity_contact", None, involved))
    edits.append(
        Edit("update", "campaign_target", target.id, {"status": "opportunity", "opportunity_id": deal_id})
    )
    return workspace.apply(edits=edits, label=f"Open an opportunity: {deal['title']}")


def _current_position(workspace: Workspace, contact_id: str, client_id: str):
    """The person's current position at the client (the most influential of several), or None."""
    held = [
        p
        for p in workspace.list(kind="position", where={"contact_id": contact_id, "client_id": client_id})
        if not p["ended"]
    ]
    return min(held, key=lambda p: (-(p["influence"] or 0), p.created_at), default=None)


@dataclass(frozen=True)
class Feedback:
    """The market's answer to a proposition, over every campaign of it. A decline is a target declined
    or found not relevant: both carry their reason."""

    declined: int
    not_relevant: int
    targets: int
    by_reason: list[tuple[str, int]]  # (reason as first written, declines), most first
    by_cohort: list[tuple[str, int, int]]  # (cohort name, declines, targets), most declines first
    by_month: list[tuple[str, int]]  # (yyyy-mm of the target's last change, declines), oldest first


def reason_key(reason: str) -> str:
    """A reason as declines are grouped by it: case and spacing aside."""
    return " ".join(reason.casefold().split())


def feedback(workspace: Workspace, proposition_id: str) -> Feedback:
    """Declines and their reasons rolled up over every campaign of a proposition: by reason (grouped case
    and spacing aside, most first), by cohort and by month of the target's last change."""
    from companion.store import queries

    workspace.get(kind="proposition", id=proposition_id)  # a clear error for an unknown one
    with workspace.db.reading() as conn:
        rows = queries.proposition_targets(conn, proposition_id)
    statuses = Counter(row[0] for row in rows)
    declines = [row for row in rows if row[0] in DECLINING_STATUSES]
    spelled: dict[str, str] = {}
    reasons: Counter[str] = Counter()
    for row in declines:
        reason = " ".join(str(row[1] or "").split()) or "(no reason given)"
        key = reason_key(reason)
        spelled.setdefault(key, reason)
        reasons[key] += 1
    cohort_names: dict[str, str] = {}
    cohort_targets: Counter[str] = Counter()
    cohort_declines: Counter[str] = Counter()
    for row in rows:
        cohort_names[row[2]] = str(row[3] or "(deleted cohort)")
        cohort_targets[row[2]] += 1
        if row[0] in DECLINING_STATUSES:
            cohort_declines[row[2]] += 1
    months = Counter(str(row[4]) for row in declines)
    return Feedback(
        declined=statuses["declined"],
        not_relevant=statuses["not_relevant"],
        targets=len(rows),
        by_reason=sorted(
            ((spelled[k], n) for k, n in reasons.items()), key=lambda r: (-r[1], r[0].casefold())
        ),
        by_cohort=sorted(
            ((cohort_names[c], cohort_declines[c], cohort_targets[c]) for c in cohort_targets),
            key=lambda r: (-r[1], r[0].casefold()),
        ),
        by_month=sorted(months.items()),
    )
