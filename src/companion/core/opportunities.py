"""Deals: their qualification gaps, read from the people data, and the pipeline by stage.

A gap is something a person can act on that the people data says is missing from an open deal:

- `no_economic_buyer`: nobody is named as the deal's economic buyer;
- `economic_buyer_against`: the economic buyer is a sceptic or an opponent: the support they are given
  in this deal (its `opportunity_contact`) when it says, else the stance of their current position at
  the deal's client (the deal's word is the newer, narrower one);
- `champion_silent`: the champion has been in no interaction for `CHAMPION_SILENT_DAYS` (or ever);
- `process_unknown_unmet`: the decision process is unknown (not set, or "unknown") while someone who
  holds a buying role at the client now has never been met (no interaction ever involved them). One gap
  per deal, naming the most influential of them.

The gaps are read in a few SQL queries over the open deals (store/queries.py `deal_gap_facts`), so the
home page and a workspace of 10,000 clients stay quick.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from companion.model.kinds import MEDDPICC, OPEN_STAGES, OPPORTUNITY_STAGES
from companion.model.labels import choice_label

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.changes import Record
    from companion.core.service import Workspace

GAP_KEYS = ("no_economic_buyer", "economic_buyer_against", "champion_silent", "process_unknown_unmet")
GAP_LABELS = {
    "no_economic_buyer": "No economic buyer named",
    "economic_buyer_against": "Economic buyer against us",
    "champion_silent": "Champion not contacted lately",
    "process_unknown_unmet": "Decision process unknown, a buyer never met",
}
# A champion nobody has been in touch with for this long may have gone cold on the deal.
CHAMPION_SILENT_DAYS = 60
# The stances (or deal support) of an economic buyer who stands against us.
AGAINST = ("sceptic", "opponent")
CLOSED_STAGES = tuple(s for s in OPPORTUNITY_STAGES if s not in OPEN_STAGES)
# One MEDDPICC criterion of a deal: (key, label, status, note, the person it names).
QualificationRow = tuple[str, str, str | None, str | None, str | None]
_ROW_FIELDS = (
    "id",
    "client_id",
    "title",
    "stage",
    "value",
    "currency",
    "expected_close",
    "next_step",
    "next_step_due",
    "owner_id",
    "proposition_id",
    "campaign_id",
    "sub_group_id",
    *(f"{key}_status" for key, _label in MEDDPICC),
)


@dataclass(frozen=True)
class Gap:
    """One missing piece of an open deal's qualification."""

    key: str  # one of GAP_KEYS
    opportunity_id: str
    text: str  # one sentence a person acts on, naming the deal and the person
    contact_id: str | None = None
    # The champion's silence only: the day it began (their last contact + CHAMPION_SILENT_DAYS), or None
    # when they were never contacted. Early warnings key a lapse by it.
    since: str | None = None


@dataclass(frozen=True)
class DealRow:
    """One deal as the pipeline lists it."""

    id: str
    client_id: str
    client_name: str
    title: str
    stage: str
    value: float | None
    currency: str | None
    expected_close: str | None
    next_step: str | None
    next_step_due: str | None
    owner_id: str | None
    proposition_id: str | None
    campaign_id: str | None
    sub_group_id: str | None
    confirmed: int  # MEDDPICC criteria marked confirmed, of 8
    gaps: tuple[Gap, ...]


@dataclass(frozen=True)
class Stage:
    """One stage of the pipeline: its deals and their value by currency ("" for none)."""

    name: str
    label: str
    rows: tuple[DealRow, ...]
    totals: dict[str, float]


@dataclass(frozen=True)
class Pipeline:
    """Every stage of OPPORTUNITY_STAGES in order, empty ones too."""

    stages: tuple[Stage, ...]

    @property
    def rows(self) -> tuple[DealRow, ...]:
        return tuple(row for stage in self.stages for row in stage.rows)

    def stage(self, name: str) -> Stage:
        return next(s for s in self.stages if s.name == name)


def is_open(stage: object) -> bool:
    return stage in OPEN_STAGES


def _unmet_first(person: tuple, names: dict[str, str]) -> tuple:
    """The most influential first (unknown influence last), then decision makers and economic buyers,
    then by name and id: the same person on every laptop."""
    contact, role, influence = person
    return (
        -(influence or 0),
        role != "decision_maker",
        role != "economic_buyer",
        names.get(contact, ""),
        contact,
    )


def qualification_gaps(
    workspace: Workspace,
    *,
    client_id: str | None = None,
    opportunity_ids: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> dict[str, list[Gap]]:
    """The gaps of the open deals (of one client, of these ids, or all), by deal id; a deal without gaps
    is left out."""
    facts = gap_facts(workspace, client_id=client_id, opportunity_ids=opportunity_ids)
    return gaps_from(facts, today=today) if facts is not None else {}


def gap_facts(
    workspace: Workspace, *, client_id: str | None = None, opportunity_ids: Iterable[str] | None = None
):
    """What the gaps of the open deals (of one client, of these ids, or all) are read from
    (store/queries.py `DealGapFacts`), or None when no deal is asked for."""
    from companion.store import queries

    ids = None if opportunity_ids is None else sorted(set(opportunity_ids))
    if ids == []:
        return None
    with workspace.db.reading() as conn:
        return queries.deal_gap_facts(
            conn, open_stages=OPEN_STAGES, against_stances=AGAINST, client_id=client_id, opportunity_ids=ids
        )


def gaps_from(facts, *, today: dt.date | None = None) -> dict[str, list[Gap]]:
    """The gaps `gap_facts` read, by deal id; a deal without gaps is left out."""
    today = today or dt.date.today()
    names = facts.names
    silent_since = (today - dt.timedelta(days=CHAMPION_SILENT_DAYS)).isoformat()
    found: dict[str, list[Gap]] = {}
    for deal_id, deal_client, title, _stage, buyer_id, champion_id, process, *_value in facts.deals:
        gaps: list[Gap] = []
        deal = f"“{title}”"
        if not buyer_id or buyer_id not in names:
            gaps.append(
                Gap(
                    "no_economic_buyer",
                    deal_id,
                    f"No economic buyer is named for {deal}: find out who signs off the budget.",
                )
            )
        else:
            support = facts.buyer_support.get(deal_id)
            stance = support if support and support != "unknown" else facts.buyer_stance.get(deal_id)
            if stance in AGAINST:
                gaps.append(
                    Gap(
                        "economic_buyer_against",
                        deal_id,
                        f"{names[buyer_id]}, the economic buyer of {deal}, is {_article(stance)} "
                        f"{stance}: win them over or find another way to the budget.",
                        buyer_id,
                    )
                )
        if champion_id and champion_id in names:
            seen = facts.champion_seen.get(deal_id)
            if seen is None or str(seen)[:10] < silent_since:
                last = None if seen is None else dt.date.fromisoformat(str(seen)[:10])
                when = (
                    "has never been contacted"
                    if last is None
                    else f"was last contacted {(today - last).days} days ago"
                )
                began = None if last is None else last + dt.timedelta(days=CHAMPION_SILENT_DAYS)
                gaps.append(
                    Gap(
                        "champion_silent",
                        deal_id,
                        f"{names[champion_id]}, the champion of {deal}, {when}: get in touch before the "
                        "deal goes cold.",
                        champion_id,
                        None if began is None else began.isoformat(),
                    )
                )
        unmet = facts.unmet.get(str(deal_client)) if process in (None, "unknown") else None
        if unmet:
            people = sorted(dict.fromkeys(unmet), key=lambda p: _unmet_first(p, names))
            first, role, _influence = people[0]
            others = len({p[0] for p in people} - {first})
            also = f" (and {others} more with a buying role)" if others else ""
            gaps.append(
                Gap(
                    "process_unknown_unmet",
                    deal_id,
                    f"The decision process of {deal} is unknown and {names.get(first, 'someone')} "
                    f"({choice_label(str(role)).lower()}){also} has never been met: meet them to learn "
                    "how the decision is taken.",
                    first,
                )
            )
        if gaps:
            found[deal_id] = gaps
    return found


def gap_phrase(gap: Gap, name: str | None = None) -> str:
    """The gap in a few words, for a line under its deal: "economic buyer Ingrid Dahl against us"."""
    who = f" {name}" if name else ""
    return {
        "no_economic_buyer": "no economic buyer named",
        "economic_buyer_against": f"economic buyer{who} against us",
        "champion_silent": f"champion{who} not contacted lately",
        "process_unknown_unmet": f"decision process unknown,{who or ' someone'} never met",
    }.get(gap.key, gap.text)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def confirmed_count(values) -> int:
    """How many of the eight MEDDPICC criteria are marked confirmed (`values` maps `<key>_status`)."""
    return sum(1 for key, _label in MEDDPICC if values.get(f"{key}_status") == "confirmed")


def pipeline(workspace: Workspace, *, client_id: str | None = None, today: dt.date | None = None) -> Pipeline:
    """Every deal (of one client, or the whole workspace) by stage, each stage's value by currency, and the
    open deals' gaps. Within a stage: by expected close (none last), then title."""
    from companion.store import queries

    with workspace.db.reading() as conn:
        found = queries.deal_rows(conn, _ROW_FIELDS, client_id=client_id)
    records = [dict(zip(_ROW_FIELDS, row[1:], strict=True)) for row in found]
    clients = {row[2]: row[0] for row in found}  # client id → name
    gaps = qualification_gaps(workspace, client_id=client_id, today=today) if records else {}
    by_stage: dict[str, list[DealRow]] = {name: [] for name in OPPORTUNITY_STAGES}
    for r in records:
        row = DealRow(
            id=str(r["id"]),
            client_id=str(r["client_id"]),
            client_name=str(clients.get(r["client_id"], "")),
            title=str(r["title"]),
            stage=str(r["stage"]),
            value=None if r["value"] is None else float(r["value"]),
            currency=r["currency"],
            expected_close=r["expected_close"],
            next_step=r["next_step"],
            next_step_due=r["next_step_due"],
            owner_id=r["owner_id"],
            proposition_id=r["proposition_id"],
            campaign_id=r["campaign_id"],
            sub_group_id=r["sub_group_id"],
            confirmed=confirmed_count(r),
            gaps=tuple(gaps.get(str(r["id"]), ())),
        )
        by_stage.setdefault(row.stage, []).append(row)
    stages = []
    for name in OPPORTUNITY_STAGES:
        rows = sorted(
            by_stage[name],
            key=lambda d: (d.expected_close is None, d.expected_close or "", d.title.lower(), d.id),
        )
        totals: dict[str, float] = {}
        for row in rows:
            if row.value is not None:
                totals[row.currency or ""] = totals.get(row.currency or "", 0.0) + row.value
        stages.append(Stage(name, choice_label(name), tuple(rows), totals))
    return Pipeline(tuple(stages))


def qualification_rows_of(deal: Record | Mapping[str, Any]) -> list[QualificationRow]:
    """(key, label, status, note, contact_id) of the eight MEDDPICC criteria in order, from a deal's values
    (a record already read, or its values); the person only for the economic buyer and the champion."""
    return [
        (
            key,
            label,
            deal[f"{key}_status"],
            deal[f"{key}_note"],
            deal[f"{key}_id"] if key in ("economic_buyer", "champion") else None,
        )
        for key, label in MEDDPICC
    ]


def qualification_rows(workspace: Workspace, opportunity_id: str) -> list[QualificationRow]:
    """qualification_rows_of the deal read from the workspace."""
    return qualification_rows_of(workspace.get(kind="opportunity", id=opportunity_id))


def deal_words(row: DealRow | dict, *, stage: bool = True) -> str:
    """ "negotiating, 1,250,000 NOK": the stage and the value as people read them."""
    from companion.core.account_plan import amount

    get = row.get if isinstance(row, dict) else (lambda name: getattr(row, name))
    parts = [choice_label(str(get("stage"))).lower()] if stage else []
    if get("value") is not None:
        parts.append(amount(get("value"), currency=get("currency")))
    return ", ".join(parts)


def totals_words(totals: dict[str, float]) -> str:
    """ "1,250,000 NOK + 40,000 EUR", or "" when nothing has a value."""
    from companion.core.account_plan import amount

    return " + ".join(amount(v, currency=c or None) for c, v in sorted(totals.items()))


def names_of(workspace: Workspace, ids: Sequence[str], kind: str = "contact") -> dict[str, str]:
    """id → name (or title) of the live records of these ids."""
    from companion.model.kinds import get_kind

    title = get_kind(kind).title_field
    found = workspace.get_many(kind=kind, ids=sorted(set(i for i in ids if i)))
    return {i: str(r[title]) for i, r in found.items() if not r.deleted_at}
