"""People from an address book or a CRM export: matched against the workspace, previewed, then written as one change."""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from companion.core.bulk import cycle_collector_paused
from companion.core.changes import ChangeSet, Edit
from companion.core.contact_cards import Card, CardProblem
from companion.core.person_matching import (
    PeopleIndex,
    Person,
    check_region,
    display_phone,
    name_similarity,
    normal_email,
)
from companion.model.errors import NotFoundError, ValidationError
from companion.model.ids import new_id
from companion.model.kinds import get_kind
from companion.model.text import fold
from companion.model.values import normalise

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

Status = Literal["new", "same", "possible"]
Choice = tuple[str, str | None]  # ("create", None) | ("merge", contact_id) | ("skip", None)
CHOICES = ("create", "merge", "skip")
# A strong sign (the same email or phone) on one person whose name is this unlike the card's is only a
# possible duplicate: a shared mailbox or a switchboard number, not the same person.
NAMES_APART = 60
# Ids of people made from a card with a UID are made from it: importing the card again finds them.
_UID_SPACE = uuid.UUID("6f1d4c56-2b0e-4c8e-9a51-8d3f0c1b7e22")
# The signs that a card is someone, strongest first.
_BY_UID, _BY_EMAIL, _BY_PHONE, _BY_NAME_AT_CLIENT, _BY_NAME = range(5)


@dataclass(frozen=True)
class Candidate:
    """A person of the workspace a card may be, and why."""

    contact_id: str
    name: str
    client_name: str | None
    why: str
    score: int


@dataclass(frozen=True)
class PreviewRow:
    """One card as importing it would go: a new person, the same as one here, or possibly one here."""

    index: int
    card: Card
    status: Status
    match: Candidate | None  # the person it is (same), or most likely is (possible)
    candidates: tuple[Candidate, ...]
    client_id: str | None  # where its organisation and title become a position (a new client's id to be)
    client_name: str | None  # that client's name, or the card's organisation when it is no client here
    new_client: bool
    adds: tuple[str, ...]  # what importing adds to the person, in words; () for "same": nothing changes
    new_id: str | None = None  # the id a person made from this card gets (later cards may be them)


@dataclass(frozen=True)
class ImportPreview:
    """How importing a file would go: its rows in the file's order and the records it could not read."""

    source: str
    rows: tuple[PreviewRow, ...]
    problems: tuple[CardProblem, ...]
    region: str | None = None


@dataclass(frozen=True)
class ContactImport:
    """What an import wrote: people made, people added to, those it left as they were, cards skipped."""

    changes: ChangeSet
    created: tuple[str, ...]
    merged: tuple[str, ...]
    unchanged: int
    skipped: tuple[str, ...]  # the cards' records ("card 3", "line 12")
    clients_created: tuple[str, ...]


# --- a card's values as the workspace takes them ----------------------------------------------------


@dataclass
class _Incoming:
    name: str
    emails: list[tuple[bool, str]] = field(default_factory=list)  # (work, address)
    phones: list[tuple[bool, str]] = field(default_factory=list)  # (work, international form)
    organisation: str | None = None
    title: str | None = None
    department: str | None = None
    birthday: str | None = None
    address: str | None = None
    note: str | None = None


def _label(card: Card) -> str:
    return f"{card.record} ({card.name})" if card.name and card.name not in card.record else card.record


def _checked(
    what: str, kind: str, field_name: str, value: object, card: Card, problems: list[CardProblem]
) -> object:
    """The value as the field stores it, or None with a problem saying it was left out."""
    if value is None or value == "":
        return None
    try:
        return normalise(get_kind(kind), get_kind(kind).field(field_name), value)
    except ValidationError as exc:
        problem = str(exc).split("): ", 1)[-1]  # the model names its own field; the card's word is clearer
        problems.append(CardProblem(card.record, f"{_label(card)}: {what}: {problem}; left out"))
        return None


def _incoming(card: Card, *, region: str | None, problems: list[CardProblem]) -> _Incoming | None:
    """The card's values in the form the workspace keeps them; a value it would refuse is left out (and said
    so in `problems`), a card without a name is left out whole."""
    if not (card.name or "").strip():
        problems.append(CardProblem(card.record, f"{card.record}: it has no name; left out"))
        return None
    name = _checked("name", "contact", "name", card.name.strip(), card, problems)
    if name is None:
        return None
    incoming = _Incoming(name=str(name))
    seen: set[str] = set()
    for kind_of, address in card.emails:
        value = _checked("email", "position", "work_email", address, card, problems)
        if value is not None and normal_email(str(value)) not in seen:
            seen.add(normal_email(str(value)))
            incoming.emails.append((kind_of == "work", str(value)))
    shown: set[str] = set()
    for kind_of, number in card.phones:
        value = _checked(
            "phone", "position", "work_phone", display_phone(number, region=region), card, problems
        )
        if value is not None and value not in shown:
            shown.add(str(value))
            incoming.phones.append((kind_of == "work", str(value)))
    incoming.organisation = _checked("organisation", "client", "name", card.organisation, card, problems)
    incoming.title = _checked("title", "position", "title", card.title, card, problems)
    incoming.department = _checked("department", "position", "department", card.department, card, problems)
    incoming.birthday = _checked("birthday", "contact", "birthday", card.birthday, card, problems)
    incoming.address = _checked("home address", "contact", "address", card.address, card, problems)
    note = _checked("note", "note", "body", card.note, card, problems)
    incoming.note = str(note).strip() if note else None
    return incoming


# --- clients by what a card calls them (core/naming.py's rule, for thousands of names at once) ----------


class _Clients:
    """Clients found by name or alias, case and accents aside; else by a part of one name, when only one
    client has it (as naming.find_record finds them); clients an import makes are added as it plans them."""

    def __init__(self, ws: Workspace):
        self.names: dict[str, str] = {}
        self._exact: dict[str, set[str]] = {}
        entries: list[tuple[str, str]] = []
        for client_id, name, aliases in ws.columns(
            kind="client", fields=("id", "name", "aliases"), ordered=False
        ):
            self.names[client_id] = str(name)
            for called in (str(name), *(aliases or ())):
                folded = " ".join(fold(called).split())
                self._exact.setdefault(folded, set()).add(client_id)
                entries.append((folded, client_id))
        # One text of every name, searched at C speed for a part of one.
        self._text = "\n".join(folded for folded, _ in entries)
        self._starts: list[int] = []
        at = 0
        for folded, _ in entries:
            self._starts.append(at)
            at += len(folded) + 1
        self._owners = [client_id for _, client_id in entries]
        self._planned: dict[str, str] = {}  # folded name -> the id a client made by the import is to have

    def is_planned(self, client_id: str) -> bool:
        return client_id in self._planned.values()

    def find(self, organisation: str) -> str | None:
        wanted = " ".join(fold(organisation).split())
        if not wanted:
            return None
        exact = self._exact.get(wanted)
        if exact:
            return next(iter(exact)) if len(exact) == 1 else None
        if wanted in self._planned:
            return self._planned[wanted]
        found: set[str] = set()
        at = self._text.find(wanted)
        while at >= 0 and len(found) < 2:
            entry = bisect.bisect_right(self._starts, at) - 1
            found.add(self._owners[entry])
            at = self._text.find(
                wanted, self._starts[entry + 1] if entry + 1 < len(self._starts) else len(self._text)
            )
        return next(iter(found)) if len(found) == 1 else None

    def plan(self, organisation: str) -> str:
        """The id a new client of this name is to have (one per name, however many cards give it)."""
        wanted = " ".join(fold(organisation).split())
        if wanted not in self._planned:
            self._planned[wanted] = new_id()
            self.names[self._planned[wanted]] = organisation
        return self._planned[wanted]


# --- what one card changes of one person ------------------------------------------------------------


@dataclass
class _Plan:
    contact: dict[str, object]  # the contact's values to set
    edits: list[Edit]  # positions and notes
    adds: list[str]


def _plan(
    person: Person,
    incoming: _Incoming,
    *,
    client: tuple[str, str] | None,
    notes: _Notes,
    index: PeopleIndex,
    source: str,
    trial: bool = False,
) -> _Plan:
    """What the card adds to `person` (it changes `person` to match): its emails and phones not held yet
    (work ones to the position while it has none), a position at the client, a title and department the
    position lacks, a birthday and address the person lacks, its note unless they have it already. A
    `trial` plans on a copy of the person and leaves what notes they have as it is."""
    contact: dict[str, object] = {}
    adds: list[str] = []
    position, made, position_values = None, False, {}
    if client is not None:
        client_id, client_name = client
        position = person.current_position_at(client_id)
        if position is None:
            position = {"id": new_id(), "contact_id": person.id, "client_id": client_id, "ended": None}
            for name in ("title", "department", "work_email", "work_phone"):
                position[name] = None
            person.positions.append(position)
            made = True
            adds.append(
                f"position {incoming.title} at {client_name}"
                if incoming.title
                else f"position at {client_name}"
            )
        for name in ("title", "department"):
            value = getattr(incoming, name)
            if value and not position.get(name):
                position[name] = position_values[name] = value
                if not made:
                    adds.append(f"{name} {value} at {client_name}")
    known = {normal_email(address) for address in person.all_emails()}
    for work, address in incoming.emails:
        if normal_email(address) in known:
            continue
        known.add(normal_email(address))
        if work and position is not None and not position.get("work_email"):
            position["work_email"] = position_values["work_email"] = address
            adds.append(f"work email {address}")
        else:
            person.emails.append(address)
            contact["emails"] = list(person.emails)
            adds.append(f"email {address}")
    held = {index.phone_normal(number) for number in person.all_phones()}
    for work, number in incoming.phones:
        normal = index.phone_normal(number)
        if normal in held:
            continue
        held.add(normal)
        if work and position is not None and not position.get("work_phone"):
            position["work_phone"] = position_values["work_phone"] = number
            adds.append(f"work phone {number}")
        else:
            person.phones.append(number)
            contact["phones"] = list(person.phones)
            adds.append(f"phone {number}")
    if incoming.birthday and not person.birthday:
        person.birthday = contact["birthday"] = incoming.birthday
        adds.append(f"birthday {incoming.birthday}")
    if incoming.address and not person.address:
        person.address = contact["address"] = incoming.address
        adds.append("home address")
    edits: list[Edit] = []
    if made:
        values = {
            k: position[k]
            for k in ("contact_id", "client_id", "title", "department", "work_email", "work_phone")
        }
        edits.append(
            Edit("create", "position", position["id"], {k: v for k, v in values.items() if v is not None})
        )
    elif position_values:
        edits.append(Edit("update", "position", position["id"], position_values))
    if incoming.note and incoming.note not in notes.of(person.id):
        if not trial:
            notes.of(person.id).add(incoming.note)
        title = f"Note from {source}"[:200]
        edits.append(
            Edit(
                "create",
                "note",
                new_id(),
                {"contact_id": person.id, "title": title, "body": incoming.note, "privacy": "team"},
            )
        )
        adds.append("note")
    return _Plan(contact, edits, adds)


class _Notes:
    """The note texts each person has, read when first needed."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        self.by_person: dict[str, set[str]] = {}

    def of(self, person_id: str) -> set[str]:
        if person_id not in self.by_person:
            bodies = (n["body"] for n in self.ws.list(kind="note", where={"contact_id": person_id}))
            self.by_person[person_id] = {str(body).strip() for body in bodies if body}
        return self.by_person[person_id]

    def made(self, person_id: str) -> None:
        """A person the import makes: no notes yet."""
        self.by_person[person_id] = set()


# --- the preview ------------------------------------------------------------------------------------


def _uid_id(uid: str) -> str:
    return str(uuid.uuid5(_UID_SPACE, uid.strip()))


def _client_of(person: Person, clients: _Clients) -> str | None:
    current = [p for p in person.positions if not p.get("ended")] or person.positions
    return next((clients.names[p["client_id"]] for p in current if p["client_id"] in clients.names), None)


def preview_import(
    ws: Workspace,
    *,
    cards: Sequence[Card],
    problems: Sequence[CardProblem] = (),
    source: str = "the file",
    client_id: str | None = None,
    create_clients: bool = False,
    region: str | None = None,
) -> ImportPreview:
    """How importing the cards would go, writing nothing: each card matched against the workspace (and the
    cards before it) by its UID, normalised email, phone number (E.164 in `region`) and its name among the
    people of its client (`client_id`, else the client its organisation names; a new client of that name
    with `create_clients`)."""
    region = check_region(region)
    if client_id is not None:
        ws.get(kind="client", id=client_id)  # NotFoundError when there is none
    with cycle_collector_paused():
        return _preview(ws, cards, problems, source, client_id, create_clients, region)


def _preview(
    ws: Workspace,
    cards: Sequence[Card],
    problems: Sequence[CardProblem],
    source: str,
    client_id: str | None,
    create_clients: bool,
    region: str | None,
) -> ImportPreview:
    index = PeopleIndex.of(ws, region=region)
    clients = _Clients(ws)
    notes = _Notes(ws)
    found: list[CardProblem] = list(problems)
    taken = set(ws.get_many(kind="contact", ids=[_uid_id(c.uid) for c in cards if c.uid]))
    rows: list[PreviewRow] = []
    for position, card in enumerate(cards):
        incoming = _incoming(card, region=region, problems=found)
        if incoming is None:
            continue
        target, target_name, new_client = _client_for(incoming, client_id, clients, create_clients)
        client = (target, target_name) if target is not None else None
        candidates = _candidates(card, incoming, target, target_name, index, clients)
        status, match = _decide(incoming, candidates, client, index, notes, source, target is not None)
        adds: list[str] = []
        made_id = None
        if status == "new":
            made_id = _uid_id(card.uid) if card.uid and _uid_id(card.uid) not in taken else new_id()
            taken.add(made_id)
            person = Person(made_id, incoming.name)
            notes.made(made_id)
            adds = _plan(person, incoming, client=client, notes=notes, index=index, source=source).adds
            index.add(person)
        elif match is not None:
            person = index.people[match.contact_id]
            if status == "possible":
                person = copy.deepcopy(person)  # skipped unless a person chooses otherwise
            adds = _plan(
                person,
                incoming,
                client=client,
                notes=notes,
                trial=status == "possible",
                index=index,
                source=source,
            ).adds
            if status == "same":
                index.add(person)
        rows.append(
            PreviewRow(
                index=position,
                card=card,
                status=status,
                match=match,
                candidates=tuple(c for _sign, c in candidates),
                client_id=target,
                client_name=target_name,
                new_client=new_client,
                adds=tuple(adds),
                new_id=made_id,
            )
        )
    return ImportPreview(source=source, rows=tuple(rows), problems=tuple(found), region=region)


def _client_for(
    incoming: _Incoming, client_id: str | None, clients: _Clients, create: bool
) -> tuple[str | None, str | None, bool]:
    """(client id, its name, whether the import makes it): the one given, else the one the organisation names."""
    if client_id is not None:
        return client_id, clients.names.get(client_id), False
    if not incoming.organisation:
        return None, None, False
    found = clients.find(incoming.organisation)
    if found is not None:
        return found, clients.names[found], clients.is_planned(found)
    if create:
        planned = clients.plan(incoming.organisation)
        return planned, incoming.organisation, True
    return None, incoming.organisation, False


def _candidates(
    card: Card,
    incoming: _Incoming,
    client_id: str | None,
    client_name: str | None,
    index: PeopleIndex,
    clients: _Clients,
) -> list[tuple[int, Candidate]]:
    """Everyone the card may be with how strong the sign is (`_BY_UID`… `_BY_NAME`), strongest first."""
    hits: dict[str, tuple[int, str, int]] = {}  # person -> (sign, why, score)

    def hit(person_id: str, strength: int, why: str, score: int) -> None:
        if person_id not in hits or hits[person_id][0] > strength:
            hits[person_id] = (strength, why, score)

    if card.uid:
        for person_id in (card.uid.strip().lower(), _uid_id(card.uid)):
            if person_id in index.people:
                hit(person_id, _BY_UID, "the same card (UID)", 100)
    for _work, address in incoming.emails:
        for person_id in index.by_email(normal_email(address)):
            hit(person_id, _BY_EMAIL, f"same email {address}", 100)
    for _work, number in incoming.phones:
        normal = index.phone_normal(number)
        for person_id in index.by_phone(normal) if normal else ():
            hit(person_id, _BY_PHONE, f"same phone {number}", 100)
    if client_id is not None:
        for person_id, score in index.similar_at(client_id, incoming.name):
            why = (
                f"same name at {client_name}" if score == 100 else f"similar name ({score}) at {client_name}"
            )
            hit(person_id, _BY_NAME_AT_CLIENT, why, score)
    if not hits and client_id is None:
        for person_id in index.same_name(incoming.name):
            hit(person_id, _BY_NAME, "same name", 100)
    ordered = sorted(hits.items(), key=lambda item: (item[1][0], -item[1][2], index.people[item[0]].name))
    return [
        (
            sign,
            Candidate(
                person_id,
                index.people[person_id].name,
                _client_of(index.people[person_id], clients),
                why,
                score,
            ),
        )
        for person_id, (sign, why, score) in ordered
    ]


def _decide(
    incoming: _Incoming,
    candidates: list[tuple[int, Candidate]],
    client: tuple[str, str] | None,
    index: PeopleIndex,
    notes: _Notes,
    source: str,
    placed: bool,
) -> tuple[Status, Candidate | None]:
    """new, same or possible, and the person it is (or most likely is): the card's UID decides unless the
    names are far apart; one person
    of its email or phone whose name is not far off is the same; one of exactly its name at its client is
    the same; anyone else it may be makes it possible."""
    if not candidates:
        return "new", None
    sign, best = candidates[0]
    if sign == _BY_UID:  # the same card, unless its name says otherwise (an id pasted into another card)
        return ("same" if name_similarity(best.name, incoming.name) >= NAMES_APART else "possible"), best
    strong = [c for s, c in candidates if s in (_BY_EMAIL, _BY_PHONE)]
    if strong:
        alike = len(strong) == 1 and name_similarity(best.name, incoming.name) >= NAMES_APART
        return ("same" if alike else "possible"), best
    if placed:
        exact = [c for _s, c in candidates if c.score == 100]
        return ("same" if len(exact) == 1 else "possible"), best
    # Only a name, and no client to hold it against: the same person when the card adds nothing to them.
    if len(candidates) == 1:
        trial = copy.deepcopy(index.people[best.contact_id])
        if not _plan(
            trial, incoming, client=client, notes=notes, index=index, source=source, trial=True
        ).adds:
            return "same", best
    return "possible", best


def default_choice(row: PreviewRow) -> Choice:
    """A new person is made, the same person is added to, a possible duplicate is left out."""
    if row.status == "new":
        return ("create", None)
    if row.status == "same" and row.match is not None:
        return ("merge", row.match.contact_id)
    return ("skip", None)


# --- writing ----------------------------------------------------------------------------------------


def _load_people(ws: Workspace, ids: set[str], region: str | None) -> tuple[PeopleIndex, set[str]]:
    """The live people among `ids` as they are now (with their positions), and every id of them that is
    taken (deleted people's too)."""
    index = PeopleIndex(region=region)
    found = ws.get_many(kind="contact", ids=sorted(ids)) if ids else {}
    for record in found.values():
        if record.deleted_at:
            continue
        v = record.values
        index.people[record.id] = Person(
            record.id,
            str(v["name"]),
            list(v["emails"] or ()),
            list(v["phones"] or ()),
            v["birthday"],
            v["address"],
        )
        for position in ws.list(kind="position", where={"contact_id": record.id}):
            index.people[record.id].positions.append({"id": position.id, **position.values})
    return index, set(found)


def _merge_target(row: PreviewRow, choice: Choice) -> str | None:
    op, target = choice
    if op != "merge":
        return None
    target = target or (row.match.contact_id if row.match else None)
    if target is None:
        raise ValidationError(f"{_label(row.card)}: merge into whom? Name the person to add it to.")
    return target


def apply_import(
    ws: Workspace, *, preview: ImportPreview, choices: Mapping[int, Choice] | None = None
) -> ContactImport:
    """Writes the preview's rows as chosen (`default_choice` for rows not in `choices`, by row index) in one
    change, one undo step: new people with their position and note, what a card adds to the person it is,
    the new clients they need. Rows are planned again against the workspace as it is now, so a preview
    applied twice makes nobody twice."""
    chosen: dict[int, Choice] = {}
    for row in preview.rows:
        chosen[row.index] = (choices or {}).get(row.index) or default_choice(row)
        if chosen[row.index][0] not in CHOICES:
            raise ValidationError(
                f"{_label(row.card)}: '{chosen[row.index][0]}' is no choice; choose create, merge or skip."
            )
    targets = {_merge_target(row, chosen[row.index]) for row in preview.rows} - {None}
    planned = {row.new_id for row in preview.rows if row.new_id}
    index, taken = _load_people(ws, targets | planned, preview.region)
    notes = _Notes(ws)
    edits: list[Edit] = []
    created: list[str] = []
    merged: list[str] = []
    skipped: list[str] = []
    made_clients: list[str] = []
    unchanged = 0
    for row in preview.rows:
        op = chosen[row.index][0]
        if op == "skip":
            skipped.append(row.card.record)
            continue
        incoming = _incoming(row.card, region=preview.region, problems=[])
        if incoming is None:
            continue
        target = _merge_target(row, chosen[row.index])
        if op == "create" and row.new_id in index.people:
            op, target = "merge", row.new_id  # made by an earlier apply of this preview
        if op == "merge" and target not in index.people:
            if target not in planned:
                raise NotFoundError(
                    f"{_label(row.card)}: there is no person with the id {target} to add it to."
                )
            op = "create"  # the same as a card above that was not imported: made from this one
        client = (row.client_id, row.client_name or "") if row.client_id else None
        if row.new_client and row.client_id and row.client_id not in made_clients:
            made_clients.append(row.client_id)
            edits.append(Edit("create", "client", row.client_id, {"name": row.client_name}))
        if op == "merge":
            plan = _plan(
                index.people[target], incoming, client=client, notes=notes, index=index,
                source=preview.source,
            )  # fmt: skip
            edits.extend([Edit("update", "contact", target, plan.contact)] if plan.contact else [])
            edits.extend(plan.edits)
            if not (plan.contact or plan.edits):
                unchanged += 1
            elif target not in merged and target not in created:
                merged.append(target)
            continue
        made_id = target or row.new_id
        if not made_id or made_id in taken or made_id in index.people:
            made_id = new_id()
        person = Person(made_id, incoming.name)
        notes.made(made_id)
        plan = _plan(
            person,
            incoming,
            client=client,
            notes=notes,
            index=index,
            source=preview.source,
        )
        edits.append(Edit("create", "contact", made_id, {"name": incoming.name, **plan.contact}))
        edits.extend(plan.edits)
        index.add(person)
        created.append(made_id)
    if not edits:
        return ContactImport(ChangeSet((), ""), (), (), unchanged, tuple(skipped), ())
    changes = ws.apply(edits=edits, label=f"Import contacts from {preview.source}")
    return ContactImport(
        changes, tuple(created), tuple(merged), unchanged, tuple(skipped), tuple(made_clients)
    )


# --- export -----------------------------------------------------------------------------------------


def _role(held: list[dict], client_id: str | None) -> dict | None:
    """The position a card shows: at the chosen client (current, else the latest), else a current one."""
    if client_id is not None:
        held = [p for p in held if p["client_id"] == client_id]
    else:
        held = [p for p in held if not p["ended"]]
    held.sort(key=lambda p: (bool(p["ended"]), "" if not p["ended"] else _reverse(str(p["ended"]))))
    return held[0] if held else None


def _reverse(day: str) -> str:
    """Sorts later dates first."""
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in day)


def cards_for_export(ws: Workspace, *, client_id: str | None = None) -> list[Card]:
    """Every live person (or those who hold or held a position at one client) as a card, by name: their
    current position's organisation, title, department, work email and phone (at that client: the latest
    one there), their own emails (home) and phones (mobile), birthday, home address, their id as UID."""
    fields = ("id", "contact_id", "client_id", "title", "department", "work_email", "work_phone", "ended")
    names = {cid: str(name) for cid, name in ws.columns(kind="client", fields=("id", "name"), ordered=False)}
    if client_id is not None and client_id not in names:
        raise NotFoundError(f"There is no client with the id {client_id}.")
    positions: dict[str, list[dict]] = {}
    for row in ws.columns(kind="position", fields=fields, ordered=False):
        if row[2] in names:
            positions.setdefault(row[1], []).append(dict(zip(fields, row, strict=True)))
    cards: list[Card] = []
    columns = ("id", "name", "emails", "phones", "birthday", "address")
    for contact_id, name, emails, phones, birthday, address in ws.columns(kind="contact", fields=columns):
        held = positions.get(contact_id, [])
        if client_id is not None and not any(p["client_id"] == client_id for p in held):
            continue
        role = _role(held, client_id) or {}
        cards.append(
            Card(
                record=str(name),
                name=str(name),
                organisation=names[role["client_id"]] if role else None,
                title=role.get("title"),
                department=role.get("department"),
                emails=(
                    *((("work", str(role["work_email"])),) if role.get("work_email") else ()),
                    *(("home", str(address)) for address in emails or ()),
                ),
                phones=(
                    *((("work", str(role["work_phone"])),) if role.get("work_phone") else ()),
                    *(("mobile", str(number)) for number in phones or ()),
                ),
                address=address,
                birthday=dt.date.fromisoformat(str(birthday)) if birthday else None,
                uid=contact_id,
            )
        )
    return cards
