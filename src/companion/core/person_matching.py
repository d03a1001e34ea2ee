"""Whether two records are one person: emails, phone numbers and names compared the way people write them."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import phonenumbers
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from companion.model.errors import ValidationError
from companion.model.text import fold

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

SIMILAR_NAMES = 90  # token_sort_ratio, accents folded: "Kari Nordman" and "Nordmann, Kari" are one person
# What follows the number itself: an extension ("ext. 12", "x12", ";ext=12", "#12") is no part of it.
_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x|#|;|,).*$", re.IGNORECASE)
_NOT_DIGIT = re.compile(r"\D")
_SEPARATORS = str.maketrans("", "", " +-()./")
# Phone numbers are first grouped by their last digits (cheap), and only those sharing them with a number
# asked for are parsed (40 µs each): 100,000 people's phones are never all parsed.
_TAIL = 6


def normal_email(address: str) -> str:
    """An email address as compared: without "mailto:", spaces and case ("Kari@Firma.NO" is kari@firma.no)."""
    if address.isascii() and address.isprintable() and ":" not in address and " " not in address:
        return address.lower()
    text = address.strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return text.strip().casefold()


def check_region(region: str | None) -> str | None:
    """A region for phone numbers written without a country code ("NO", "de"), upper case; None stays None."""
    if region is None:
        return None
    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationError(
            f"'{region}' is not a region phone numbers know: give a two-letter country code such as NO, DE or US."
        )
    return code


@functools.lru_cache(maxsize=65_536)  # a card's number is parsed to be shown, then to be compared
def _parsed(number: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    text = number.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    if text.startswith("+"):
        text = text.replace("(0)", "")  # "+44 (0)20 …": the trunk zero written for those dialling at home
    elif region is None:
        return None  # without a country code and no region to read it in: compared by its digits
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_possible_number(parsed) else None


def digits(number: str) -> str:
    """The digits of a phone number without its extension: what numbers that do not parse are compared by."""
    plain = number.translate(_SEPARATORS)  # the usual "+47 22 12 34 56" needs no regular expression
    return plain if plain.isdigit() else _NOT_DIGIT.sub("", _EXTENSION.sub("", number))


def normal_phone(number: str, *, region: str | None) -> str | None:
    """A phone number as compared: E.164 ("+4722123456") when it parses (it has a country code, "+47" or
    "0047", or `region` says where it is dialled), else its digits alone ("22123456"); None without digits."""
    parsed = _parsed(number, region)
    if parsed is not None:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return digits(number) or None


def same_number_key(number: str, *, region: str | None) -> str | None:
    """A phone number as told apart when two lists are united: normal_phone with its extension, so that
    "22 12 34 56 ext 1" and "ext 2" stay two numbers (matching people ignores extensions; merging their
    numbers must not drop one)."""
    extension = _EXTENSION.search(number)
    normal = normal_phone(number, region=region)
    if extension is None or normal is None:
        return normal
    return f"{normal};ext={_NOT_DIGIT.sub('', extension.group(0))}"


def display_phone(number: str, *, region: str | None) -> str:
    """A phone number as stored: the international form ("+47 22 12 34 56"), or as written when it does not
    parse."""
    parsed = _parsed(number, region)
    if parsed is None:
        return " ".join(number.split())
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def name_key(name: str) -> str:
    """A name folded for comparing: accents, case and punctuation aside."""
    return default_process(fold(name))


def name_similarity(a: str, b: str) -> int:
    """How alike two names are, 0-100, whatever their order ("Nordmann, Kari" is Kari Nordmann: 100)."""
    return round(fuzz.token_sort_ratio(name_key(a), name_key(b)))


def exact_name_key(name: str) -> str:
    """Names equal by this are the same name (token_sort_ratio 100)."""
    return " ".join(sorted(name_key(name).split()))


@dataclass
class Person:
    """A person as matching sees them: their own emails and phones, birthday, address, and their positions
    (plain dicts with id, client_id, title, department, work_email, work_phone, ended)."""

    id: str
    name: str
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    birthday: str | None = None
    address: str | None = None
    positions: list[dict] = field(default_factory=list)
    _key: str | None = field(default=None, repr=False)

    @property
    def key(self) -> str:
        if self._key is None:
            self._key = name_key(self.name)
        return self._key

    def all_emails(self) -> list[str]:
        return [*self.emails, *(str(p["work_email"]) for p in self.positions if p.get("work_email"))]

    def all_phones(self) -> list[str]:
        return [*self.phones, *(str(p["work_phone"]) for p in self.positions if p.get("work_phone"))]

    def current_position_at(self, client_id: str) -> dict | None:
        return next((p for p in self.positions if p["client_id"] == client_id and not p.get("ended")), None)


POSITION_FIELDS = (
    "id",
    "contact_id",
    "client_id",
    "title",
    "department",
    "work_email",
    "work_phone",
    "ended",
)


class PeopleIndex:
    """The workspace's people, found by normalised email, by phone number and by name among the people
    of one client; people an import plans to make are added as it plans them."""

    def __init__(self, *, region: str | None):
        self.region = region
        self.people: dict[str, Person] = {}
        self._emails: dict[str, set[str]] = defaultdict(set)
        self._tails: dict[str, set[tuple[str, str]]] = defaultdict(set)  # last digits -> (person, as written)
        self._normal: dict[str, str | None] = {}
        self._clients: dict[str, set[str]] = defaultdict(set)  # client -> people holding a position there
        self._exact: dict[str, list[str]] | None = None

    @classmethod
    def of(cls, ws: Workspace, *, region: str | None) -> PeopleIndex:
        """Every live person with their live positions, read in two passes of the tables (written out
        rather than through `add`: it runs over 100,000 people before an import's preview)."""
        index = cls(region=region)
        people, emails, tails, clients = index.people, index._emails, index._tails, index._clients
        for pid, name, own_emails, own_phones, birthday, address in ws.columns(
            kind="contact", fields=("id", "name", "emails", "phones", "birthday", "address"), ordered=False
        ):
            people[pid] = Person(pid, str(name), own_emails or [], own_phones or [], birthday, address)
            for email in own_emails or ():
                emails[normal_email(email)].add(pid)
            for number in own_phones or ():
                tails[digits(number)[-_TAIL:]].add((pid, number))
        for row in ws.columns(kind="position", fields=POSITION_FIELDS, ordered=False):
            pid = row[1]
            person = people.get(pid)
            if person is None:
                continue
            person.positions.append(dict(zip(POSITION_FIELDS, row, strict=True)))
            clients[row[2]].add(pid)
            if row[5]:
                emails[normal_email(row[5])].add(pid)
            if row[6]:
                tails[digits(row[6])[-_TAIL:]].add((pid, row[6]))
        tails.pop("", None)
        return index

    def _register(self, person: Person) -> None:
        for address in person.all_emails():
            self._emails[normal_email(address)].add(person.id)
        for number in person.all_phones():
            tail = digits(number)[-_TAIL:]
            if tail:
                self._tails[tail].add((person.id, number))
        for position in person.positions:
            self._clients[position["client_id"]].add(person.id)
        if self._exact is not None:
            same = self._exact[exact_name_key(person.name)]
            if person.id not in same:
                same.append(person.id)

    def add(self, person: Person) -> None:
        """A person made or changed while planning (a later card of the file may be them)."""
        self.people[person.id] = person
        self._register(person)

    def phone_normal(self, number: str) -> str | None:
        if number not in self._normal:
            self._normal[number] = normal_phone(number, region=self.region)
        return self._normal[number]

    def by_email(self, normal: str) -> set[str]:
        return set(self._emails.get(normal, ()))

    def by_phone(self, normal: str) -> set[str]:
        tail = _NOT_DIGIT.sub("", normal)[-_TAIL:]
        return {pid for pid, written in self._tails.get(tail, ()) if self.phone_normal(written) == normal}

    def at_client(self, client_id: str) -> set[str]:
        return set(self._clients.get(client_id, ()))

    def similar_at(self, client_id: str, name: str, *, cutoff: int = SIMILAR_NAMES) -> list[tuple[str, int]]:
        """The people at a client whose name is like `name`, best first: (id, score)."""
        ids = sorted(self._clients.get(client_id, ()))
        if not ids:
            return []
        found = process.extract(
            name_key(name),
            [self.people[i].key for i in ids],
            scorer=fuzz.token_sort_ratio,
            processor=None,
            score_cutoff=cutoff,
            limit=None,
        )
        return sorted(((ids[at], round(score)) for _key, score, at in found), key=lambda hit: -hit[1])

    def same_name(self, name: str) -> list[str]:
        """Everyone of exactly this name (accents, case, punctuation and order aside)."""
        if self._exact is None:
            self._exact = defaultdict(list)
            for person in self.people.values():
                self._exact[exact_name_key(person.name)].append(person.id)
        return list(self._exact.get(exact_name_key(name), ()))

    def groups_by_email(self) -> Iterable[tuple[str, set[str]]]:
        """(normalised email, people) for addresses held by more than one person."""
        return ((email, ids) for email, ids in self._emails.items() if len(ids) > 1)

    def groups_by_phone(self) -> Iterable[tuple[str, set[str]]]:
        """(normalised number, people) for numbers held by more than one person."""
        for entries in self._tails.values():
            if len({pid for pid, _ in entries}) < 2:
                continue
            by_normal: dict[str, set[str]] = defaultdict(set)
            for pid, written in entries:
                normal = self.phone_normal(written)
                if normal:
                    by_normal[normal].add(pid)
            yield from ((normal, ids) for normal, ids in by_normal.items() if len(ids) > 1)

    def clients(self) -> Iterable[tuple[str, set[str]]]:
        return self._clients.items()
