"""One person recorded twice made one: their roles, history and ties moved over, nothing either record said lost."""

from __future__ import annotations

import copy
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from companion.core.bulk import cycle_collector_paused
from companion.core.changes import ChangeSet, Edit, Record
from companion.core.duplicates import filled_in, repoint_edits
from companion.core.person_matching import (
    SIMILAR_NAMES,
    PeopleIndex,
    check_region,
    normal_email,
    same_number_key,
)
from companion.model.errors import NotFoundError, ValidationError
from companion.model.kinds import KINDS, Field, get_kind
from companion.model.values import format_value

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

# Pairs a person said are two people: kept in this laptop's workspace bookkeeping, never offered again.
NOT_DUPLICATES = "not_duplicates:"
# Values of one line whose difference goes into the history note rather than being joined in the field.
_JOINED_TYPES = ("strings", "refs", "longtext")
_KEPT_APART = frozenset({"address"})  # a long text, but two home addresses are not one text


@dataclass(frozen=True)
class DuplicatePair:
    """Two people who may be one, and why; `keep_id` is the one a merge keeps by default."""

    keep_id: str
    other_id: str
    keep_name: str
    other_name: str
    why: str
    score: int


def _shown(ws: Workspace, f: Field, value: object) -> str:
    """A value as a person reads it: a referenced record by its title, not its id."""
    if f.type == "ref" and value:
        kind = get_kind(str(f.ref_kind))
        try:
            record = ws.get(kind=kind.name, id=str(value), include_deleted=True)
        except NotFoundError:  # a reference to a record this laptop never had: its id says it
            return str(value)
        return str(record.values.get(kind.title_field) or kind.label)
    return format_value(f, value)


def _differences(
    ws: Workspace, kind_name: str, kept: dict, other: dict, *, skip: frozenset[str]
) -> list[str]:
    """The other record's one-line values that differ from the kept record's (both set): "Label: value"."""
    lines = []
    for f in get_kind(kind_name).fields:
        mine, theirs = kept.get(f.name), other.get(f.name)
        if f.name in skip or mine in (None, "", []) or theirs in (None, "", []) or mine == theirs:
            continue
        if f.type in _JOINED_TYPES and f.name not in _KEPT_APART:
            continue  # lists are united and long texts joined: nothing of them is lost
        shown = _shown(ws, f, theirs)
        lines.append(
            f"{f.label}: {shown}" if "\n" not in shown else f"{f.label}:\n\n  " + shown.replace("\n", "\n  ")
        )
    return lines


def _united(items: list[str], more: list[str], key) -> list[str]:
    seen = {key(item) for item in items}
    result = list(items)
    for item in more:
        if key(item) not in seen:
            seen.add(key(item))
            result.append(item)
    return result


def _contact_gaps(kept: Record, other: Record) -> dict[str, object]:
    """What the kept person takes from the other: what they lack, emails and phones they do not have (as
    addresses and numbers, spelling aside), long texts the other adds to; a differing address stays out."""
    gaps = filled_in("contact", kept.values, other.values)
    if kept["address"] and "address" in gaps:
        del gaps["address"]
    for name, key in (("emails", normal_email), ("phones", lambda n: same_number_key(n, region=None))):
        if kept[name] and other[name]:
            united = _united(list(kept[name]), list(other[name]), key)
            if united != list(kept[name]):
                gaps[name] = united
            else:
                gaps.pop(name, None)
    return gaps


def _self_ties(ws: Workspace, keep_id: str, other_id: str) -> tuple[list[Edit], set[str]]:
    """Records tying the two to each other where a kind forbids a record tying a person to themselves (a
    relationship: dropped; a campaign target routed through itself: the route cleared), and their ids."""
    edits: list[Edit] = []
    gone: set[str] = set()
    for kind in KINDS:
        for a, b in kind.distinct:
            fa, fb = kind.field(a), kind.field(b)
            if not (fa and fb and fa.ref_kind == "contact" and fb.ref_kind == "contact"):
                continue
            for first, second in ((keep_id, other_id), (other_id, keep_id)):
                for record in ws.list(kind=kind.name, where={a: first, b: second}):
                    gone.add(record.id)  # written here whole: the repointing leaves it alone
                    if fa.required and fb.required:
                        edits.append(Edit("delete", kind.name, record.id))
                        continue
                    values: dict[str, object] = {
                        f.name: keep_id
                        for f in kind.fields
                        if f.ref_kind == "contact" and f.type == "ref" and record[f.name] == other_id
                    }
                    values[b if not fb.required else a] = None
                    edits.append(Edit("update", kind.name, record.id, values))
    return edits, gone


def _positions(ws: Workspace, keep_id: str, other_id: str) -> tuple[list[Edit], set[str], list[str]]:
    """The other's current roles at a client where the kept person has one become that one: its gaps
    filled from them, those reporting to them reporting to it, they deleted; their differing values listed.
    Worked out on the client's roles as a whole, so that nobody ends up reporting to themselves."""
    edits: list[Edit] = []
    gone: set[str] = set()
    history: list[str] = []
    mine_at: dict[str, Record] = {}
    for position in ws.list(kind="position", where={"contact_id": keep_id}):
        if not position["ended"]:
            mine_at.setdefault(str(position["client_id"]), position)
    theirs_at: dict[str, list[Record]] = defaultdict(list)
    for position in ws.list(kind="position", where={"contact_id": other_id}):
        if not position["ended"] and str(position["client_id"]) in mine_at:
            theirs_at[str(position["client_id"])].append(position)
    for client_id, theirs in theirs_at.items():
        mine = mine_at[client_id].id
        client = ws.get(kind="client", id=client_id, include_deleted=True)
        roles = ws.list(kind="position", where={"client_id": client_id})
        before = {p.id: dict(p.values) for p in roles}
        state = copy.deepcopy(before)
        for position in theirs:
            gone.add(position.id)
            values = state.pop(position.id)
            for role_id, role in state.items():
                if role["reports_to_id"] == position.id:
                    role["reports_to_id"] = None if role_id == mine else mine
            if values["reports_to_id"] in gone or values["reports_to_id"] == mine:
                values["reports_to_id"] = None  # it reported to the kept role, or to one merged into it
            for line in _differences(ws, "position", state[mine], values, skip=frozenset({"contact_id"})):
                history.append(f"Role at {client['name']} · {line}")
            state[mine].update(filled_in("position", state[mine], values))
        if _reports_to_itself(state, mine):
            # Someone who reported to the other's role is the kept role's boss: the kept role stops
            # reporting to them, or the two would report to each other.
            boss = before[mine]["reports_to_id"]
            state[mine]["reports_to_id"] = None
            if boss and boss not in gone:
                title = before[boss]["title"] or "a role"
                history.append(f"Role at {client['name']} · Reported to (before the merge): {title}")
        # The kept role first, then those reporting to it, then the roles merged into it go.
        changed = {k: v for k, v in state[mine].items() if before[mine][k] != v}
        if changed:
            edits.append(Edit("update", "position", mine, changed))
        for role_id, role in state.items():
            if role_id != mine and role["reports_to_id"] != before[role_id]["reports_to_id"]:
                edits.append(Edit("update", "position", role_id, {"reports_to_id": role["reports_to_id"]}))
        for position in theirs:
            # Records of other kinds pointing at a role follow it too.
            edits.extend(
                repoint_edits(ws, kind="position", keep_id=mine, duplicate_id=position.id, leave=set(before))
            )
            edits.append(Edit("delete", "position", position.id))
    return edits, gone, history


def _reports_to_itself(state: dict[str, dict], role_id: str) -> bool:
    seen: set[str] = set()
    at = state[role_id]["reports_to_id"]
    while at and at not in seen:
        if at == role_id:
            return True
        seen.add(at)
        at = state.get(at, {}).get("reports_to_id")
    return False


def merge_contacts(ws: Workspace, *, keep_id: str, other_id: str) -> ChangeSet:
    """Makes two records of one person one, in one undoable change: everything that points at the other
    (roles, interactions, notes, relationships, meeting attendance, deals…) moves to the kept person, a
    relationship between the two goes, two current roles at one client become one, the kept person's gaps
    are filled and emails and phones united; where both say something different, the kept record's value
    stays and the other's is kept in a note "Merged with <other name>". The other is deleted."""
    if keep_id == other_id:
        raise ValidationError("A person cannot be merged into themselves.", kind="contact")
    kept = ws.get(kind="contact", id=keep_id)
    other = ws.get(kind="contact", id=other_id)
    ties, untied = _self_ties(ws, keep_id, other_id)
    roles, merged_roles, role_history = _positions(ws, keep_id, other_id)
    edits = [*ties, *roles]
    edits.extend(
        repoint_edits(ws, kind="contact", keep_id=keep_id, duplicate_id=other_id, leave=untied | merged_roles)
    )
    gaps = _contact_gaps(kept, other)
    if gaps:
        edits.append(Edit("update", "contact", keep_id, gaps))
    history = [*_differences(ws, "contact", kept.values, other.values, skip=frozenset()), *role_history]
    if history:
        body = (
            f"This person was recorded twice; the other record, {other['name']}, was merged into this one. "
            "Where the two said different things, this one's values stayed; the other said:\n\n"
            + "".join(f"- {line}\n" for line in history)
        )
        title = f"Merged with {other['name']}"[:200]
        edits.append(
            Edit(
                "create",
                "note",
                None,
                {"contact_id": keep_id, "title": title, "body": body, "privacy": "team"},
            )
        )
    edits.append(Edit("delete", "contact", other_id))
    return ws.apply(edits=edits, label=f"Merge {other['name']} into {kept['name']}")


# --- people who may be one -------------------------------------------------------------------------------


def _pair_key(a: str, b: str) -> str:
    first, second = sorted((a, b))
    return f"{NOT_DUPLICATES}{first}:{second}"


def dismiss_pair(ws: Workspace, *, a: str, b: str) -> None:
    """A person said these two are different people: they are not offered as possible duplicates again."""
    ws.set_meta(values={_pair_key(a, b): dt.date.today().isoformat()})


def possible_duplicates(ws: Workspace, *, region: str | None = None) -> list[DuplicatePair]:
    """People who may be one, over the whole workspace: the same email, the same phone number (E.164 in
    `region`), or names alike (token_sort_ratio ≥ 90, accents folded) among the people of one client;
    pairs a person dismissed left out. Most alike first."""
    with cycle_collector_paused():
        index = PeopleIndex.of(ws, region=check_region(region))
    reasons: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for email, ids in index.groups_by_email():
        for pair in _pairs(ids):
            reasons[pair].append((100, f"same email {email}"))
    for number, ids in index.groups_by_phone():
        for pair in _pairs(ids):
            reasons[pair].append((100, f"same phone {number}"))
    names = {cid: str(name) for cid, name in ws.columns(kind="client", fields=("id", "name"), ordered=False)}
    for client_id, ids in index.clients():
        people = sorted(ids)
        for i, a in enumerate(people):
            key = index.people[a].key
            for b in people[i + 1 :]:
                score = round(fuzz.token_sort_ratio(key, index.people[b].key, score_cutoff=SIMILAR_NAMES))
                if score >= SIMILAR_NAMES:
                    at = names.get(client_id, "one client")
                    word = "same name" if score == 100 else f"similar names ({score})"
                    reasons[(a, b)].append((score, f"{word} at {at}"))
    dismissed = ws.meta_items(prefix=NOT_DUPLICATES)
    found = []
    for (a, b), why in reasons.items():
        if _pair_key(a, b) in dismissed:
            continue
        keep, other = sorted((index.people[a], index.people[b]), key=_weight)
        found.append(
            DuplicatePair(
                keep.id,
                other.id,
                keep.name,
                other.name,
                "; ".join(dict.fromkeys(text for _score, text in why)),
                max(score for score, _text in why),
            )
        )
    found.sort(key=lambda p: (-p.score, p.keep_name.casefold(), p.other_name.casefold(), p.keep_id))
    return found


def _pairs(ids: set[str]):
    people = sorted(ids)
    return ((a, b) for i, a in enumerate(people) for b in people[i + 1 :])


def _weight(person) -> tuple:
    """The record a merge keeps by default: the one that holds more, else the older id."""
    return (-(len(person.positions) + len(person.emails) + len(person.phones)), person.id)
