"""A client's whitespace: its buying centres × our approved propositions, and what each cell holds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from companion.model.kinds import OPEN_STAGES
from companion.model.labels import choice_label

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

WHOLE_CLIENT = "Whole client"
# What a cell shows, the strongest first: ours (won, open, declined) before a competitor's footprint.
STATES = ("won", "open", "declined", "competitor", "empty")


@dataclass(frozen=True)
class Cell:
    state: str  # "won" | "open" | "declined" | "competitor" | "empty"
    # The proposition fits this sub-group's function (the client's industry or tags, for the client-wide row).
    fits: bool
    opportunity_ids: tuple[str, ...]
    detail: str  # a sentence for the tooltip


@dataclass(frozen=True)
class Whitespace:
    sub_groups: list[tuple[str | None, str]]  # (id, name); the first row is (None, "Whole client")
    propositions: list[tuple[str, str]]  # approved ones: (id, title)
    cells: dict[tuple[str | None, str], Cell]


class _Mark(NamedTuple):
    """Something of ours in a cell: a deal, or a campaign target who declined."""

    deal_id: str | None  # None for a target
    stage: str  # the deal's stage; "declined" for a target
    title: str  # the deal's title; "<person> in <campaign>" for a target
    reason: str | None


def _plain(text: object) -> str:
    return " ".join(str(text or "").casefold().split())


def _fits_row(proposition: dict, *, function: object, client: dict, whole_client: bool) -> bool:
    """A sub-group fits when the proposition names its function; the whole client when it names the
    client's industry or one of its tags (case and spacing aside)."""
    if not whole_client:
        return bool(function) and _plain(function) in {_plain(f) for f in proposition["fit_functions"] or ()}
    industries = {_plain(i) for i in proposition["fit_industries"] or ()}
    tags = {_plain(t) for t in proposition["fit_tags"] or ()}
    return _plain(client["industry"]) in industries or bool(tags & {_plain(t) for t in client["tags"] or ()})


def _sentence(items: list[str]) -> str:
    return "; ".join(items)


def grid(workspace: Workspace, client_id: str) -> Whitespace:
    """The whitespace of one client. A cell is won when a won deal of the proposition is at that sub-group
    (the client-wide row: deals without one), open when an open deal is, declined when a deal of it was
    lost there or a person there declined it in a campaign (placed by their current position's sub-group),
    competitor when nothing of ours is there but a competitor is present at the client, else empty."""
    from companion.store import queries

    client = workspace.get(kind="client", id=client_id)
    sub_groups = sorted(
        workspace.list(kind="sub_group", where={"client_id": client.id}),
        key=lambda g: (str(g["name"]).casefold(), g.id),
    )
    propositions = sorted(
        workspace.list(kind="proposition", where={"status": "approved"}),
        key=lambda p: (str(p["title"]).casefold(), p.id),
    )
    with workspace.db.reading() as conn:
        deals = queries.client_deals(conn, client.id)
        declines = queries.client_declines(conn, client.id)
        competitors = queries.client_competitors(conn, client.id)
    known_groups = {g.id for g in sub_groups}
    # A deal or a person in a sub-group since deleted counts for the client as a whole.
    placed = defaultdict(list)
    for deal_id, proposition_id, group, stage, title, reason in deals:
        placed[(group if group in known_groups else None, proposition_id)].append(
            _Mark(deal_id, stage, title, reason)
        )
    for proposition_id, group, person, campaign, reason in declines:
        placed[(group if group in known_groups else None, proposition_id)].append(
            _Mark(None, "declined", f"{person or 'The client'} in {campaign}", reason)
        )
    competitor_detail = _sentence(
        [
            f"{name} is here: {' '.join(str(footprint).split())}" if footprint else f"{name} is here"
            for name, footprint in competitors
        ]
    )
    rows: list[tuple[str | None, str, object]] = [(None, WHOLE_CLIENT, None)]
    rows += [(g.id, str(g["name"]), g["function"]) for g in sub_groups]
    cells: dict[tuple[str | None, str], Cell] = {}
    for group_id, _name, function in rows:
        for proposition in propositions:
            fits = _fits_row(
                proposition.values, function=function, client=client.values, whole_client=group_id is None
            )
            cells[(group_id, proposition.id)] = _cell(
                placed.get((group_id, proposition.id), []), fits, competitor_detail
            )
    return Whitespace(
        sub_groups=[(group_id, name) for group_id, name, _function in rows],
        propositions=[(p.id, str(p["title"])) for p in propositions],
        cells=cells,
    )


def _cell(marks: list[_Mark], fits: bool, competitor_detail: str) -> Cell:
    won = [m for m in marks if m.stage == "won"]
    open_ = [m for m in marks if m.stage in OPEN_STAGES]
    declined = [m for m in marks if m.stage in ("lost", "declined")]
    if won:
        state, shown = "won", won
        detail = "Won: " + _sentence([m.title for m in won])
    elif open_:
        state, shown = "open", open_
        detail = "Open: " + _sentence([f"{m.title} ({choice_label(m.stage).lower()})" for m in open_])
    elif declined:
        state, shown = "declined", declined
        detail = "Declined: " + _sentence(
            [
                f"{m.title}{' (lost)' if m.deal_id else ''}"
                + (f": {' '.join(m.reason.split())}" if m.reason else "")
                for m in declined
            ]
        )
    elif competitor_detail:
        state, shown, detail = "competitor", [], competitor_detail
    else:
        state, shown = "empty", []
        detail = "Nothing proposed yet" + (": it fits here." if fits else ".")
    # The deals that give the cell its state first, then the others there.
    deals = [m.deal_id for m in shown if m.deal_id] + [
        m.deal_id for m in marks if m.deal_id and m not in shown
    ]
    return Cell(state=state, fits=fits, opportunity_ids=tuple(deals), detail=detail)
