"""The Sales feature's jobs on the database thread: the pipeline, propositions, cohorts, campaigns and work lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: start-up loads none of the sales domain
    from companion.core.campaigns import Feedback, TargetRow
    from companion.core.changes import ChangeSet, Record
    from companion.core.cohorts import Member
    from companion.core.opportunities import Pipeline


# Campaigns listed with the running ones first, the finished last.
_CAMPAIGN_ORDER = ("running", "planned", "paused", "finished")


def _campaign_rank(status: object) -> int:
    return _CAMPAIGN_ORDER.index(status) if status in _CAMPAIGN_ORDER else len(_CAMPAIGN_ORDER)


def _pairs(ws, kind: str, title: str) -> list[tuple[str, str]]:
    return [(str(i), str(n)) for i, n in ws.columns(kind=kind, fields=("id", title))]


@dataclass(frozen=True)
class PipelineView:
    """Every deal in the workspace by stage, and the names its filters offer."""

    pipeline: Pipeline
    colleagues: list[tuple[str, str]]  # (id, name), by name
    propositions: list[tuple[str, str]]  # (id, title), by title


def load_pipeline(ws) -> PipelineView:
    """The workspace's pipeline, with the colleagues and propositions to filter it by."""
    from companion.core.opportunities import pipeline

    return PipelineView(pipeline(ws), _pairs(ws, "colleague", "name"), _pairs(ws, "proposition", "title"))


@dataclass(frozen=True)
class Library:
    """The propositions (records, by title) and who the colleagues are (sponsors, owners)."""

    propositions: list[Record]
    colleagues: list[tuple[str, str]]


def load_propositions(ws) -> Library:
    """Every proposition, draft, approved and retired."""
    records = sorted(ws.list(kind="proposition"), key=lambda r: str(r["title"]).casefold())
    return Library(records, _pairs(ws, "colleague", "name"))


@dataclass(frozen=True)
class PropositionDetail:
    """What the market answered a proposition, and the campaigns that carry it."""

    proposition_id: str
    feedback: Feedback
    campaigns: list[tuple[str, str, str]]  # (id, name, status)


def proposition_detail(ws, *, proposition_id: str) -> PropositionDetail:
    """The declines of a proposition rolled up (by reason, cohort, month) and its campaigns."""
    from companion.core.campaigns import feedback

    campaigns = [
        (c.id, str(c["name"]), str(c["status"]))
        for c in ws.list(kind="campaign", where={"proposition_id": proposition_id})
    ]
    return PropositionDetail(proposition_id, feedback(ws, proposition_id), campaigns)


def retire_proposition(ws, *, proposition_id: str) -> ChangeSet:
    """Marks a proposition retired: no new campaigns of it (undoable)."""
    return ws.update(kind="proposition", id=proposition_id, values={"status": "retired"})


@dataclass(frozen=True)
class CohortList:
    """The cohorts (records, by name) with how many clients each holds now, and the colleagues."""

    cohorts: list[tuple[Record, int]]
    colleagues: list[tuple[str, str]]


def load_cohorts(ws) -> CohortList:
    """Every cohort and its member count."""
    from companion.core.cohorts import cohort_members

    records = sorted(ws.list(kind="cohort"), key=lambda r: str(r["name"]).casefold())
    return CohortList([(r, len(cohort_members(ws, r.id))) for r in records], _pairs(ws, "colleague", "name"))


def cohort_members(ws, *, cohort_id: str) -> list[Member]:
    """The clients a cohort holds now, each marked when added by hand."""
    from companion.core.cohorts import member_rows

    return member_rows(ws, cohort_id)


def matching_count(ws, *, values: dict) -> int:
    """How many clients a cohort with these (unsaved) values would hold."""
    from companion.core.cohorts import matching_clients

    return len(matching_clients(ws, values))


def include_client(ws, *, cohort_id: str, client_id: str) -> ChangeSet:
    """Adds a client to a cohort by hand: one undoable change."""
    from companion.core.cohorts import include_client as include

    return include(ws, cohort_id, client_id)


def leave_out_client(ws, *, cohort_id: str, client_id: str) -> ChangeSet:
    """Takes a client out of a cohort: one undoable change."""
    from companion.core.cohorts import leave_out_client as leave_out

    return leave_out(ws, cohort_id, client_id)


@dataclass(frozen=True)
class CampaignRow:
    """A campaign as the list shows it: its names resolved, its targets counted by status."""

    record: Record
    proposition: str
    cohort: str
    owner: str
    progress: dict[str, int]


@dataclass(frozen=True)
class CampaignList:
    """The campaigns, and the choices a campaign's form offers."""

    campaigns: list[CampaignRow]
    propositions: list[tuple[str, str]]  # (id, title) of the propositions not retired: a new campaign's
    every_proposition: list[tuple[str, str]]  # and every one: a campaign of a retired one still names it
    cohorts: list[tuple[str, str]]
    colleagues: list[tuple[str, str]]


def load_campaigns(ws) -> CampaignList:
    """Every campaign with its progress (targets by status), running ones first."""
    from companion.core.campaigns import progress

    every_proposition = _pairs(ws, "proposition", "title")
    propositions = dict(every_proposition)
    cohorts = _pairs(ws, "cohort", "name")
    colleagues = _pairs(ws, "colleague", "name")
    cohort_names, owner_names = dict(cohorts), dict(colleagues)
    records = sorted(
        ws.list(kind="campaign"), key=lambda r: (_campaign_rank(r["status"]), str(r["name"]).casefold())
    )
    rows = [
        CampaignRow(
            r,
            propositions.get(str(r["proposition_id"]), ""),
            cohort_names.get(str(r["cohort_id"]), ""),
            owner_names.get(str(r["owner_id"]), "") if r["owner_id"] else "",
            progress(ws, r.id),
        )
        for r in records
    ]
    offered = [
        (i, t)
        for i, t, status in ws.columns(kind="proposition", fields=("id", "title", "status"))
        if status != "retired"
    ]
    return CampaignList(rows, [(str(i), str(t)) for i, t in offered], every_proposition, cohorts, colleagues)


def campaign_choices(ws) -> list[tuple[str, str, str]]:
    """(id, name, status) of every campaign, running ones first: the work list's picker."""
    rows = [
        (str(i), str(n), str(s)) for i, n, s in ws.columns(kind="campaign", fields=("id", "name", "status"))
    ]
    return sorted(rows, key=lambda r: (_campaign_rank(r[2]), r[1].casefold()))


def start_campaign(ws, *, values: dict) -> ChangeSet:
    """Creates a campaign and draws its targets: one undoable change."""
    from companion.core.campaigns import start_campaign as start

    return start(ws, values)


def draw_targets(ws, *, campaign_id: str) -> ChangeSet:
    """Draws a campaign's targets from its cohort (again: only people not yet targeted): one undoable change."""
    from companion.core.campaigns import draw_targets as draw

    return draw(ws, campaign_id)


@dataclass(frozen=True)
class WorkList:
    """A campaign's targets, open ones first by rank; `next_id` is the next one to approach."""

    campaign_id: str
    rows: list[TargetRow]
    next_id: str | None


def work_list(ws, *, campaign_id: str) -> WorkList:
    """The targets of one campaign, as its work list shows them."""
    from companion.core.campaigns import next_target
    from companion.core.campaigns import work_list as targets

    rows = targets(ws, campaign_id)
    following = next_target(rows)
    return WorkList(campaign_id, rows, following.id if following else None)


def log_approach(ws, *, target_id: str, **values) -> ChangeSet:
    """An approach logged: the interaction and the target's new status in one undoable change."""
    from companion.core.campaigns import log_approach as log

    return log(ws, target_id, **values)


def set_target_status(ws, *, target_id: str, status: str, reason: str | None) -> ChangeSet:
    """A target's new status (a decline needs its reason: the kind refuses without one)."""
    return ws.update(kind="campaign_target", id=target_id, values={"status": status, "reason": reason})


def open_opportunity(ws, *, target_id: str) -> ChangeSet:
    """A deal opened from a target, the target marked as having become it: one undoable change."""
    from companion.core.campaigns import open_opportunity as open_deal

    return open_deal(ws, target_id)
