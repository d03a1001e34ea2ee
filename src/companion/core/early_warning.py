"""Early warnings: risks that propose themselves, for a person to accept (it becomes a risk) or dismiss.

Each rule is a small function over what the workspace holds today, and each proposal it makes has a
key, "<rule>:<subject id>[:<extra>]", made only of what the situation is (a position, a client, a
contract and its notice date), never of when or where it was computed: the same situation is the same
warning on every laptop, and a decision taken on one (a `warning_decision` record, synced like any
other) settles it on all. A key already decided (a live decision, or a live risk raised by it) is never
proposed again; undoing the decision brings it back.

The rules, and what was decided where the issue left it open:

- `champion_left`: a position whose buying role is champion or sponsor, or whose stance is champion,
  has an end date from `CHAMPION_RECENT_DAYS` ago on (a date still ahead is an announced departure and
  warns too). A person who still holds another position at that client moved within it: no warning.
- `no_supporter`: an active or prospect client (or one without a status) whose people now include a
  decision maker or economic buyer, none of whom is a champion or supporter.
  `no_decision_maker`: such a client whose buying centre is being mapped (someone there has a buying
  role) but where nobody is known to decide. A client where no buying role is known at all stays quiet:
  a workspace that does not map buying roles is not warned once per client.
- `dm_overdue`: a decision maker or economic buyer with a visit rhythm who is past due by it (seen
  last more than `visit_frequency_days` ago), or was never contacted. The key's extra is the day they
  fell due ("never" when never contacted): a dismissed lapse stays dismissed, the next one warns again.
- `negative_streak`: the client's two latest interactions (by date, then by when they were written)
  were both negative. The key's extra is the latest of them.
- `contract_notice`: a contract whose renewal is not under way (renewal empty, not due or to review)
  with its notice-by date within `NOTICE_HORIZON_DAYS`; a notice date passed warns too while the
  contract runs (until its end date, or for `NOTICE_HORIZON_DAYS` after the notice date when it has
  none). The key's extra is the notice date: a new term is a new warning.
- `competitor_tie`: a person with a tie to a competitor (worked there, a relative there, their
  champion) holds a decision maker's or economic buyer's position; one warning per tie and client.
- The deals' rules, one per qualification gap of an open deal (core/opportunities.py says when each
  arises), keyed by the deal: `deal_no_economic_buyer`; `deal_economic_buyer_against` (the extra is the
  economic buyer: another buyer against us is another warning); `deal_champion_silent` (the extra is
  the champion and the day their silence began, "never" when never contacted: a dismissed lapse stays
  dismissed, the next one warns again); `deal_process_unknown_unmet`. The risk each becomes belongs to
  the deal (`opportunity_id`).
- `survey_detractor`: a survey response whose NPS answer is 0–6 (its lowest, when it has two), dated
  within `satisfaction.RECENT_DAYS` (180) of today; one warning per response, keyed by it. The risk
  names the person who answered.
- `satisfaction_falling`: the client's NPS or CSAT fell by more than the scorecard's step for it
  (`scorecard.RULES`: 10 points, 0.5; the one rule by which the scorecard says "falling" too) from the
  previous calendar quarter with scores to the latest, that latest quarter ending
  within `satisfaction.RECENT_DAYS` (an old fall is history, not news); or the latest review the client
  rated (`their_rating`) is rated lower than the one before it, however long ago (a review stands until
  the next). The key's extra is the measure and where it fell: "nps:2026-Q4", "csat:2026-Q4",
  "review:<review id>": the next quarter's fall is another warning.

Former clients are never warned about. Accepting writes the risk (status open, its next review
`REVIEW_AFTER_DAYS` ahead, its owner the client's account owner) and an "accepted" decision pointing at
it in one change; a rule that proposes a follow-up (the satisfaction rules: a low score is answered by
talking to the client, not by a case) adds an action on that risk in the same change, owned by the
account owner and due `FOLLOW_UP_DAYS` ahead. Dismissing writes a "dismissed" decision. Both are undone
as one step; nothing is written before a person chooses.

The rules read the workspace in a few whole-table reads (clients, positions, interactions, contracts,
ties, reviews, and the survey questions, responses and answers in narrow columns) and a few narrow ones
(the people involved, their last contact, a detractor's comment), so a workspace of thousands of
clients is answered in a fraction of a second; asked for one client, they read only that client's rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core.account_plan import NOTICE_HORIZON_DAYS
from companion.core.changes import ChangeSet, Edit
from companion.model.errors import NotFoundError, ValidationError
from companion.model.labels import choice_label

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

RULES = (
    "champion_left",
    "no_supporter",
    "no_decision_maker",
    "dm_overdue",
    "negative_streak",
    "contract_notice",
    "competitor_tie",
    "deal_no_economic_buyer",
    "deal_economic_buyer_against",
    "deal_champion_silent",
    "deal_process_unknown_unmet",
    "survey_detractor",
    "satisfaction_falling",
)
# What each rule's key names first: the record opening the warning shows.
SUBJECT_KIND = {
    "champion_left": "position",
    "no_supporter": "client",
    "no_decision_maker": "client",
    "dm_overdue": "position",
    "negative_streak": "client",
    "contract_notice": "contract",
    "competitor_tie": "competitor_tie",
    "deal_no_economic_buyer": "opportunity",
    "deal_economic_buyer_against": "opportunity",
    "deal_champion_silent": "opportunity",
    "deal_process_unknown_unmet": "opportunity",
    "survey_detractor": "survey_response",
    "satisfaction_falling": "client",
}
RULE_LABELS = {
    "champion_left": "Champion left",
    "no_supporter": "No supportive decision maker",
    "no_decision_maker": "No known decision maker",
    "dm_overdue": "Decision maker overdue",
    "negative_streak": "Negative interactions",
    "contract_notice": "Contract notice date",
    "competitor_tie": "Competitor tie",
    "deal_no_economic_buyer": "Deal without an economic buyer",
    "deal_economic_buyer_against": "Economic buyer against us",
    "deal_champion_silent": "Champion silent",
    "deal_process_unknown_unmet": "Decision process unknown",
    "survey_detractor": "Detractor in a survey",
    "satisfaction_falling": "Satisfaction falling",
}

# A champion who left longer ago than this is history, not a warning.
CHAMPION_RECENT_DAYS = 180
# A risk accepted from a warning is reviewed again this many days later.
REVIEW_AFTER_DAYS = 14
# The follow-up a satisfaction warning proposes is due this many days after it is accepted.
FOLLOW_UP_DAYS = 7
DECIDERS = ("decision_maker", "economic_buyer")
CHAMPIONS = ("champion", "sponsor")
SUPPORTIVE = ("champion", "supporter")
# Clients whose missing support warns; None: a client without a status.
WATCHED_FOR_SUPPORT = (None, "active", "prospect")
# Renewal states in which nothing is being done about a notice date yet.
NO_RENEWAL_ACTION = (None, "not_due", "to_review")
_TIES = {"worked_there": "worked at", "relative_there": "has a relative at", "champion": "is a champion of"}


@dataclass(frozen=True)
class ProposedRisk:
    """The risk a warning becomes when accepted."""

    title: str
    category: str
    likelihood: int
    impact: int
    trigger: str
    contact_ids: tuple[str, ...] = ()
    competitor_id: str | None = None
    opportunity_id: str | None = None
    # The action proposed with it ("Call Ingrid Dahl about the score of 4 (NPS, 2026-11-02)"), if any,
    # and the person it involves.
    follow_up: str | None = None
    follow_up_contact_id: str | None = None

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


@dataclass(frozen=True)
class EarlyWarning:
    """One proposal: what it is (its key and rule), where (the client), what a person reads (title and
    why), what it would become (the risk), the record it is about and the day it arose or falls due."""

    key: str
    rule: str
    client_id: str
    client_name: str
    title: str
    why: str
    risk: ProposedRisk
    subject_kind: str
    subject_id: str
    since: str  # ISO date

    @property
    def subject(self) -> tuple[str, str]:
        return self.subject_kind, self.subject_id


# --- the visit rhythm (home's people to contact say the same, in words and in SQL) -----------------


def visit_due(every: int, seen: str | None, today: dt.date) -> dt.date:
    """When a person seen every `every` days is due: that many days after their last contact, or today
    when never contacted (store/queries.py's worklist query states the same in SQL)."""
    if seen is None:
        return today
    return dt.date.fromisoformat(seen[:10]) + dt.timedelta(days=every)


def rhythm_phrase(every: int, seen: str | None, today: dt.date) -> str:
    """ "last contact 94 days ago, every 60 (34 days overdue)", or "never contacted, every 30 days"."""
    if seen is None:
        return f"never contacted, every {every} days"
    ago = (today - dt.date.fromisoformat(seen[:10])).days
    late = (today - visit_due(every, seen, today)).days
    return f"last contact {_plural(ago, 'day')} ago, every {every} ({_plural(late, 'day')} overdue)"


# --- keys -----------------------------------------------------------------------------------------


def make_key(rule: str, subject_id: str, extra: str | None = None) -> str:
    return f"{rule}:{subject_id}:{extra}" if extra else f"{rule}:{subject_id}"


def parse_key(key: str) -> tuple[str, str, str | None]:
    """(rule, subject id, extra or None) of a warning's key; a ValidationError for anything else."""
    rule, _, rest = key.strip().partition(":")
    subject, _, extra = rest.partition(":")
    if rule not in RULES or not subject:
        raise ValidationError(
            f"“{key}” is not an early warning's key: it reads <rule>:<record id>, the rule one of "
            f"{', '.join(RULES)}."
        )
    return rule, subject.lower(), extra or None


def decided_keys(workspace: Workspace, *, client_id: str | None = None) -> set[str]:
    """The keys a person decided already: a live decision, or a live risk raised by the warning."""
    if client_id is None:
        decisions = [w for (w,) in workspace.columns(kind="warning_decision", fields=("warning",))]
        risks = [w for (w,) in workspace.columns(kind="risk", fields=("warning",))]
    else:
        where = {"client_id": client_id}
        decisions = [r["warning"] for r in workspace.list(kind="warning_decision", where=where)]
        risks = [r["warning"] for r in workspace.list(kind="risk", where=where)]
    return {str(key) for key in (*decisions, *risks) if key}


# --- what the rules read --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Position:
    id: str
    contact_id: str
    client_id: str
    title: str | None
    buying_role: str | None
    stance: str | None
    ended: str | None

    @property
    def decides(self) -> bool:
        return self.buying_role in DECIDERS and self.ended is None

    @property
    def role_words(self) -> str:
        """ "CFO, decision maker"."""
        parts = [self.title] if self.title else []
        if self.buying_role:
            parts.append(choice_label(self.buying_role).lower())
        return ", ".join(parts)


class _Facts:
    """What the rules read, each read once when a rule first needs it: the whole workspace, or one
    client's rows when `client_id` is given."""

    def __init__(self, workspace: Workspace, today: dt.date, client_id: str | None):
        self.ws = workspace
        self.today = today
        self.client_id = client_id
        self._cache: dict[str, object] = {}

    def _once(self, name: str, read):
        if name not in self._cache:
            self._cache[name] = read()
        return self._cache[name]

    def rows(self, kind: str, fields: tuple[str, ...]) -> list[tuple]:
        """These fields of the live records of a kind with a client: every client's, or the one's."""
        if self.client_id is None:
            return self.ws.columns(kind=kind, fields=fields, ordered=False)
        found = self.ws.list(kind=kind, where={"client_id": self.client_id})
        mixin = {"id": lambda r: r.id, "created_at": lambda r: r.created_at}
        return [tuple(mixin[f](r) if f in mixin else r[f] for f in fields) for r in found]

    @property
    def clients(self) -> dict[str, tuple[str, str | None]]:
        """client id → (name, status) of the clients warned about (not former ones)."""

        def read():
            if self.client_id is None:
                rows = self.ws.columns(kind="client", fields=("id", "name", "status"))
            else:
                client = self.ws.get(kind="client", id=self.client_id)
                rows = [(client.id, client["name"], client["status"])]
            return {str(i): (str(n), s) for i, n, s in rows if s != "former"}

        return self._once("clients", read)

    def _read_positions(
        self,
    ) -> tuple[list[_Position], list[_Position], set[tuple[str, str]], dict[str, int]]:
        """The positions at the clients warned about, read narrowly in SQL: those of decision makers and
        economic buyers held now; those of champions and sponsors ended from `CHAMPION_RECENT_DAYS` ago on
        (or ending); where those who left hold a position now (contact, client); how many buying roles
        are held now at each client."""
        clients = self.clients
        since = (self.today - dt.timedelta(days=CHAMPION_RECENT_DAYS)).isoformat()
        facts = self.ws.position_facts(
            deciding_roles=DECIDERS, champion_roles=CHAMPIONS, ended_since=since, client_id=self.client_id
        )
        deciders = [_Position(*row) for row in facts.deciders if row[2] in clients]
        left = [_Position(*row) for row in facts.left if row[2] in clients]
        roles = {client_id: count for client_id, count in facts.roles.items() if client_id in clients}
        return deciders, left, facts.held, roles

    @property
    def deciders(self) -> list[_Position]:
        """The positions held now of decision makers and economic buyers."""
        return self._once("positions", self._read_positions)[0]

    @property
    def champions_left(self) -> list[_Position]:
        """Champions' and sponsors' positions ended from `CHAMPION_RECENT_DAYS` ago on (or ending)."""
        return self._once("positions", self._read_positions)[1]

    @property
    def held(self) -> set[tuple[str, str]]:
        """(contact id, client id) of the positions held now by the champions who left one."""
        return self._once("positions", self._read_positions)[2]

    @property
    def roles_held(self) -> dict[str, int]:
        """client id → how many buying roles its people hold now."""
        return self._once("positions", self._read_positions)[3]

    @property
    def people(self) -> dict[str, tuple[str, int | None]]:
        """contact id → (name, visit every days) of the live people the rules name: the decision makers
        and the champions who left."""

        def read():
            wanted = {p.contact_id for p in self.deciders} | {p.contact_id for p in self.champions_left}
            found = self.ws.rows_of(kind="contact", ids=sorted(wanted))
            return {
                i: (str(r["name"]), r["visit_frequency_days"])
                for i, r in found.items()
                if not r["deleted_at"]
            }

        return self._once("people", read)

    def name(self, contact_id: str) -> str:
        return self.people.get(contact_id, ("Someone",))[0]

    def names_of(self, contact_ids: Iterable[str]) -> dict[str, str]:
        """contact id → name of these people, the live ones only."""
        found = self.ws.rows_of(kind="contact", ids=sorted(set(contact_ids)))
        return {i: str(r["name"]) for i, r in found.items() if not r["deleted_at"]}

    def client_name(self, client_id: str) -> str:
        return self.clients[client_id][0]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _day(iso: str) -> str:
    return f"{dt.date.fromisoformat(iso[:10]):%a %d %b %Y}"


def _live(facts: _Facts, contact_ids: Iterable[str]) -> tuple[str, ...]:
    """The people of these ids that exist still (a risk may only name live people), once each."""
    known = facts.people
    return tuple(dict.fromkeys(i for i in contact_ids if i in known))


# --- the rules ------------------------------------------------------------------------------------


def _champion_left(facts: _Facts) -> Iterator[EarlyWarning]:
    today = facts.today
    for p in facts.champions_left:
        if (p.contact_id, p.client_id) in facts.held:
            continue  # they hold another position there: moved within the client
        if p.contact_id not in facts.people:
            continue
        name, client = facts.name(p.contact_id), facts.client_name(p.client_id)
        word = "sponsor" if p.buying_role == "sponsor" else "champion"
        ended = dt.date.fromisoformat(p.ended)
        days = (today - ended).days
        if days >= 0:
            title = f"{word.capitalize()} {name} has left"
            when = f"ended on {_day(p.ended)}" + (f", {_plural(days, 'day')} ago" if days else ", today")
        else:
            title = f"{word.capitalize()} {name} leaves on {_day(p.ended)}"
            when = f"ends on {_day(p.ended)}, in {_plural(-days, 'day')}"
        role = f" ({p.role_words})" if p.role_words else ""
        yield EarlyWarning(
            make_key("champion_left", p.id),
            "champion_left",
            p.client_id,
            client,
            title,
            f"{name}{role} was our {word} at {client}; the position {when}. "
            "Find who takes up the role before support fades.",
            ProposedRisk(
                f"Losing our {word} at {client}: {name} {'left' if days >= 0 else 'is leaving'}",
                "relationship",
                4,
                4,
                f"No new {word} at {client} by {_day((max(ended, today) + dt.timedelta(days=60)).isoformat())}",
                _live(facts, [p.contact_id]),
            ),
            "position",
            p.id,
            p.ended,
        )


def _no_supporter(facts: _Facts) -> Iterator[EarlyWarning]:
    deciders_at: dict[str, list[_Position]] = {}
    for p in facts.deciders:
        deciders_at.setdefault(p.client_id, []).append(p)
    for client_id, roles in facts.roles_held.items():
        name, status = facts.clients[client_id]
        if status not in WATCHED_FOR_SUPPORT:
            continue
        deciders = deciders_at.get(client_id)
        if deciders:
            if any(p.stance in SUPPORTIVE for p in deciders):
                continue
            listed = "; ".join(
                f"{facts.name(p.contact_id)} ({p.role_words}, {choice_label(p.stance or 'unknown').lower()})"
                for p in deciders
            )
            yield EarlyWarning(
                make_key("no_supporter", client_id),
                "no_supporter",
                client_id,
                name,
                "No decision maker supports us",
                f"Who decides at {name}: {listed}. None of them is a champion or a supporter of ours.",
                ProposedRisk(
                    f"No decision maker at {name} supports us",
                    "relationship",
                    3,
                    5,
                    f"A decision at {name} is taken before a decision maker backs us",
                    _live(facts, (p.contact_id for p in deciders)),
                ),
                "client",
                client_id,
                facts.today.isoformat(),
            )
        else:
            mapped = roles
            yield EarlyWarning(
                make_key("no_decision_maker", client_id),
                "no_decision_maker",
                client_id,
                name,
                "Nobody known to decide",
                f"The buying roles of {mapped} {'person' if mapped == 1 else 'people'} at {name} are "
                "known, but not who decides: no decision maker or economic buyer among them.",
                ProposedRisk(
                    f"We do not know who decides at {name}",
                    "commercial",
                    3,
                    4,
                    f"A proposal to {name} goes out before we know who decides",
                ),
                "client",
                client_id,
                facts.today.isoformat(),
            )


def _dm_overdue(facts: _Facts) -> Iterator[EarlyWarning]:
    today = facts.today
    people = facts.people
    with_rhythm = sorted(
        {p.contact_id for p in facts.deciders if (people.get(p.contact_id) or ("", None))[1]}
    )
    if not with_rhythm:
        return
    seen_last = facts.ws.last_contact_dates(contact_ids=with_rhythm)
    for p in facts.deciders:
        name, every = people.get(p.contact_id, ("", None))
        if not every:
            continue
        seen = seen_last.get(p.contact_id)
        due = visit_due(int(every), seen, today)
        if seen is not None and due >= today:
            continue
        client = facts.client_name(p.client_id)
        role = choice_label(str(p.buying_role)).lower()
        yield EarlyWarning(
            make_key("dm_overdue", p.id, due.isoformat() if seen is not None else "never"),
            "dm_overdue",
            p.client_id,
            client,
            f"{role.capitalize()} {name} is overdue for contact",
            f"{name} ({p.role_words}) is seen every {every} days: {rhythm_phrase(int(every), seen, today)}.",
            ProposedRisk(
                f"Our relationship with {name} at {client} is going cold",
                "relationship",
                3,
                4 if p.buying_role == "economic_buyer" else 3,
                f"Still no contact with {name} by {_day((max(due, today) + dt.timedelta(days=int(every))).isoformat())}",
                _live(facts, [p.contact_id]),
            ),
            "position",
            p.id,
            due.isoformat(),
        )


def _negative_streak(facts: _Facts) -> Iterator[EarlyWarning]:
    clients = facts.clients
    latest: dict[str, list[tuple]] = {}  # client id → its two latest interactions, the latest first
    for row in facts.rows("interaction", ("client_id", "date", "created_at", "id", "sentiment", "channel")):
        if row[0] not in clients:
            continue
        order = row[1:4]  # by date, then as written
        two = latest.get(row[0])
        if two is None:
            latest[row[0]] = [row]
        elif order > two[0][1:4]:
            two.insert(0, row)
            del two[2:]
        elif len(two) == 1 or order > two[1][1:4]:
            two[1:] = [row]
    streaks = [
        (client_id, *two)
        for client_id, two in latest.items()
        if len(two) == 2 and all(r[4] == "negative" for r in two)
    ]
    talks = facts.ws.rows_of(kind="interaction", ids=sorted(str(r[3]) for _c, *two in streaks for r in two))
    members = {i: [str(m) for m in (row["contact_ids"] or ())] for i, row in talks.items()}
    involved = sorted({m for ids in members.values() for m in ids})
    live = {i for i, r in facts.ws.rows_of(kind="contact", ids=involved).items() if not r["deleted_at"]}
    for client_id, newest, before in streaks:
        client = facts.client_name(client_id)
        people = [m for r in (before, newest) for m in members.get(str(r[3]), ())]
        yield EarlyWarning(
            make_key("negative_streak", client_id, str(newest[3])),
            "negative_streak",
            client_id,
            client,
            "Two negative interactions in a row",
            f"The last two interactions with {client} went badly: {_day(str(before[1]))} "
            f"({before[5]}) and {_day(str(newest[1]))} ({newest[5]}).",
            ProposedRisk(
                f"Our standing at {client} is slipping",
                "relationship",
                4,
                4,
                f"A third interaction with {client} goes badly",
                tuple(dict.fromkeys(i for i in people if i in live)),
            ),
            "client",
            client_id,
            str(newest[1])[:10],
        )


def _contract_notice(facts: _Facts) -> Iterator[EarlyWarning]:
    today = facts.today
    fields = ("id", "client_id", "title", "notice_by", "ends", "renewal_status")
    for contract_id, client_id, title, notice_by, ends, renewal in facts.rows("contract", fields):
        if client_id not in facts.clients or not notice_by or renewal not in NO_RENEWAL_ACTION:
            continue
        notice = dt.date.fromisoformat(str(notice_by))
        days = (notice - today).days
        if days > NOTICE_HORIZON_DAYS:
            continue
        if days < 0:
            running = dt.date.fromisoformat(str(ends)) >= today if ends else -days <= NOTICE_HORIZON_DAYS
            if not running:
                continue
        client = facts.client_name(str(client_id))
        state = choice_label(str(renewal)).lower() if renewal else "not set"
        if days >= 0:
            heading = (
                f"Notice for “{title}” due in {_plural(days, 'day')}"
                if days
                else f"Notice for “{title}” due today"
            )
            when = f"Notice must be given by {_day(str(notice_by))}"
        else:
            heading = f"Notice date for “{title}” passed"
            when = f"The notice date, {_day(str(notice_by))}, passed {_plural(-days, 'day')} ago"
        yield EarlyWarning(
            make_key("contract_notice", str(contract_id), str(notice_by)),
            "contract_notice",
            str(client_id),
            client,
            heading,
            f"{when}; renewal is {state}: nobody is working on it yet.",
            ProposedRisk(
                f"“{title}” with {client} renews or ends without our decision",
                "contractual",
                4 if days < 0 else 3,
                5,
                f"{_day(str(notice_by))} passes without a renewal decision",
            ),
            "contract",
            str(contract_id),
            str(notice_by),
        )


def _competitor_tie(facts: _Facts) -> Iterator[EarlyWarning]:
    deciding: dict[str, list[_Position]] = {}
    for p in facts.deciders:
        deciding.setdefault(p.contact_id, []).append(p)
    if not deciding:
        return
    if facts.client_id is None:
        ties = facts.ws.columns(kind="competitor_tie", fields=("id", "competitor_id", "contact_id", "tie"))
    else:
        found = facts.ws.list(kind="competitor_tie", where={"contact_id": sorted(deciding)})
        ties = [(t.id, t["competitor_id"], t["contact_id"], t["tie"]) for t in found]
    ties = [t for t in ties if t[2] in deciding]
    if not ties:
        return
    rivals = facts.ws.get_many(kind="competitor", ids=sorted({str(t[1]) for t in ties}))
    for tie_id, competitor_id, contact_id, tie in ties:
        rival = str(rivals[competitor_id]["name"]) if competitor_id in rivals else "a competitor"
        name = facts.name(contact_id)
        for client_id in dict.fromkeys(p.client_id for p in deciding[contact_id]):
            p = next(q for q in deciding[contact_id] if q.client_id == client_id)
            client = facts.client_name(client_id)
            role = choice_label(str(p.buying_role)).lower()
            yield EarlyWarning(
                make_key("competitor_tie", str(tie_id), client_id),
                "competitor_tie",
                client_id,
                client,
                f"{role.capitalize()} {name} {_TIES.get(str(tie), 'is tied to')} {rival}",
                f"{name} ({p.role_words} at {client}) {_TIES.get(str(tie), 'is tied to')} {rival}: "
                f"{rival} has an ear where {client} decides.",
                ProposedRisk(
                    f"{rival} has a tie to {name}, who decides at {client}",
                    "competitive",
                    4 if tie == "champion" else 3,
                    4,
                    f"{rival} is invited to bid at {client}",
                    _live(facts, [contact_id]),
                    str(competitor_id),
                ),
                "competitor_tie",
                str(tie_id),
                facts.today.isoformat(),
            )


def _deal_gaps(facts: _Facts) -> Iterator[EarlyWarning]:
    from companion.core.opportunities import deal_words, gap_facts, gaps_from

    read = gap_facts(facts.ws, client_id=facts.client_id)
    found = gaps_from(read, today=facts.today) if read is not None else {}
    if not found:
        return
    deals = {str(row[0]): row for row in read.deals}
    clients = facts.clients  # read once: thousands of deals ask
    today = facts.today.isoformat()
    call_by = _day((facts.today + dt.timedelta(days=14)).isoformat())
    for deal_id, gaps in found.items():
        _id, client_id, deal_title, stage, *_people, value, currency, expected_close = deals[deal_id]
        client_id = str(client_id)
        if client_id not in clients:
            continue  # a former client
        client, title = clients[client_id][0], f"“{deal_title}”"
        words = deal_words({"stage": stage, "value": value, "currency": currency})
        # "Negotiating, 1,250,000 NOK, at Halvorsen Offshore."
        about = f"{words[:1].upper()}{words[1:]}, at {client.rstrip('.')}."
        closing = f" before {_day(str(expected_close))}" if expected_close else ""
        for gap in gaps:
            name = read.names.get(gap.contact_id or "", "Someone")
            involved = (gap.contact_id,) if gap.contact_id in read.names else ()
            since, extra = today, None
            if gap.key == "no_economic_buyer":
                heading = f"No economic buyer for {title}"
                risk = ProposedRisk(
                    f"Nobody known to sign off {title} at {client}",
                    "commercial",
                    3,
                    4,
                    f"The offer for {title} goes out before we know who signs off the budget",
                    opportunity_id=deal_id,
                )
            elif gap.key == "economic_buyer_against":
                extra = gap.contact_id
                heading = f"Economic buyer {name} is against {title}"
                risk = ProposedRisk(
                    f"{name}, who signs off {title} at {client}, is against us",
                    "relationship",
                    4,
                    5,
                    f"{name} turns {title} down{closing}",
                    involved,
                    opportunity_id=deal_id,
                )
            elif gap.key == "champion_silent":
                extra = f"{gap.contact_id}:{gap.since or 'never'}"
                since = gap.since or since
                heading = f"Champion {name} of {title} has gone quiet"
                risk = ProposedRisk(
                    f"Our champion for {title} at {client} is going cold",
                    "relationship",
                    3,
                    4,
                    f"Still no contact with {name} by {call_by}",
                    involved,
                    opportunity_id=deal_id,
                )
            else:
                heading = f"How {client} decides on {title} is unknown"
                risk = ProposedRisk(
                    f"We do not know how {client} decides on {title}",
                    "commercial",
                    3,
                    3,
                    f"{client} decides on {title} in a way we did not foresee{closing}",
                    involved,
                    opportunity_id=deal_id,
                )
            rule = f"deal_{gap.key}"
            yield EarlyWarning(
                make_key(rule, deal_id, extra),
                rule,
                client_id,
                client,
                heading,
                f"{gap.text} {about}",
                risk,
                "opportunity",
                deal_id,
                since,
            )


def _survey_detractor(facts: _Facts) -> Iterator[EarlyWarning]:
    from companion.core.satisfaction import RECENT_DAYS, detractors

    since = facts.today - dt.timedelta(days=RECENT_DAYS)
    clients = facts.clients
    read = detractors(facts.ws, since=since, client_id=facts.client_id)
    found = {s.response_id: s for s in read if s.client_id in clients}
    if not found:
        return
    responses = facts.ws.rows_of(kind="survey_response", ids=sorted(found))
    surveys = facts.ws.rows_of(kind="survey", ids=sorted({str(r["survey_id"]) for r in responses.values()}))
    names = facts.names_of(s.contact_id for s in found.values() if s.contact_id)
    for response_id, score in found.items():
        response = responses[response_id]
        client = clients[score.client_id][0]
        name = names.get(score.contact_id or "")
        who = name or f"Someone at {client}"
        survey = surveys.get(str(response["survey_id"]))
        asked = f" “{survey['title']}”" if survey is not None else ""
        comment = " ".join(str(response["comment"] or "").split())
        said = f": “{comment[:200]}”" if comment else ", with no comment"
        channel = choice_label(str(response["channel"])).lower() if response["channel"] else "a survey"
        if name:
            follow_up = f"Call {name} about their score of {score.score} (NPS, {score.on})"
        else:
            follow_up = f"Find out who at {client} scored {score.score} (NPS, {score.on}) and call them"
        yield EarlyWarning(
            make_key("survey_detractor", response_id),
            "survey_detractor",
            score.client_id,
            client,
            f"{who} scored {score.score} of 10",
            f"{who} answered the survey{asked} on {_day(score.on)} ({channel}) with {score.score} of 10, "
            f"a detractor{said}.",
            ProposedRisk(
                f"{who} would not recommend us to others at {client}" if name else f"A detractor at {client}",
                "relationship",
                4 if score.score <= 3 else 3,
                4,
                f"{who} speaks against us when {client} next decides",
                (score.contact_id,) if name and score.contact_id else (),
                follow_up=follow_up,
                follow_up_contact_id=score.contact_id if name else None,
            ),
            "survey_response",
            response_id,
            score.on,
        )


def _satisfaction_falling(facts: _Facts) -> Iterator[EarlyWarning]:
    from companion.core.satisfaction import RECENT_DAYS, latest_quarters
    from companion.core.scorecard import RULES, Point

    recent = facts.today - dt.timedelta(days=RECENT_DAYS)
    clients = facts.clients
    for (client_id, measure), (quarters, last_said) in latest_quarters(
        facts.ws, client_id=facts.client_id
    ).items():
        if client_id not in clients or len(quarters) < 2:
            continue
        before, latest = quarters[-2], quarters[-1]
        trend = (Point(before.label, before.value), Point(latest.label, latest.value))
        if latest.last_day < recent or not RULES[measure].falls(trend):
            continue
        client = clients[client_id][0]
        name = measure.upper()
        was, now = before.shown(measure), latest.shown(measure)
        yield EarlyWarning(
            make_key("satisfaction_falling", client_id, f"{measure}:{latest.label}"),
            "satisfaction_falling",
            client_id,
            client,
            f"{name} at {client} fell from {was} to {now}",
            f"The {name} of {client} fell from {was} in {before.label} ({_plural(before.count, 'answer')}) "
            f"to {now} in {latest.label} ({_plural(latest.count, 'answer')}).",
            ProposedRisk(
                f"Satisfaction at {client} is falling ({name} {was} → {now})",
                "relationship",
                3,
                4,
                f"The next quarter's {name} at {client} falls again",
                follow_up=f"Ask {client} what changed: {name} fell from {was} to {now} "
                f"({before.label} to {latest.label})",
            ),
            "client",
            client_id,
            last_said,
        )
    rated: dict[str, list[tuple]] = {}
    for row in facts.rows("review", ("client_id", "held_on", "created_at", "id", "their_rating", "kind")):
        if row[0] in clients and row[4] is not None:
            rated.setdefault(str(row[0]), []).append(row)
    for client_id, reviews in rated.items():
        if len(reviews) < 2:
            continue
        before, latest = sorted(reviews, key=lambda r: (str(r[1]), str(r[2]), str(r[3])))[-2:]
        if int(latest[4]) >= int(before[4]):
            continue
        client = clients[client_id][0]
        held, held_before = str(latest[1])[:10], str(before[1])[:10]
        kind = f"{choice_label(str(latest[5])).lower()} " if latest[5] else ""
        yield EarlyWarning(
            make_key("satisfaction_falling", client_id, f"review:{latest[3]}"),
            "satisfaction_falling",
            client_id,
            client,
            f"{client} rated the last review lower: {before[4]} → {latest[4]} of 5",
            f"{client} rated the {kind}review of {_day(held)} {latest[4]} of 5, down from {before[4]} at "
            f"the review of {_day(held_before)}.",
            ProposedRisk(
                f"Satisfaction at {client} is falling (review rating {before[4]} → {latest[4]})",
                "relationship",
                3,
                4,
                f"{client} rates the next review lower again",
                follow_up=f"Ask {client} what made the review of {held} worse ({before[4]} → {latest[4]} of 5)",
            ),
            "client",
            client_id,
            held,
        )


_RULES = {
    "champion_left": _champion_left,
    "no_supporter": _no_supporter,  # and no_decision_maker
    "dm_overdue": _dm_overdue,
    "negative_streak": _negative_streak,
    "contract_notice": _contract_notice,
    "competitor_tie": _competitor_tie,
    "deal": _deal_gaps,  # one rule per qualification gap
    "survey_detractor": _survey_detractor,
    "satisfaction_falling": _satisfaction_falling,
}


# --- the public calls -----------------------------------------------------------------------------


def warnings(
    workspace: Workspace, *, client_id: str | None = None, today: dt.date | None = None
) -> list[EarlyWarning]:
    """The pending proposals (of one client, or all), the weightiest first (likelihood × impact), then
    by the day they arose, client and key."""
    facts = _Facts(workspace, today or dt.date.today(), client_id)
    if client_id is not None and not facts.clients:
        return []  # a former client
    decided = decided_keys(workspace, client_id=client_id)
    found = [w for rule in _RULES.values() for w in rule(facts) if w.key not in decided]
    found.sort(key=lambda w: (-w.risk.score, w.since, w.client_name.lower(), w.key))
    return found


def _client_of(workspace: Workspace, key: str) -> str:
    """The client a key's warning is about, read from the record it names."""
    rule, subject, extra = parse_key(key)
    kind = SUBJECT_KIND[rule]
    try:
        if kind == "client":
            return workspace.get(kind="client", id=subject).id
        if kind == "competitor_tie":
            workspace.get(kind="competitor_tie", id=subject)
            return str(workspace.get(kind="client", id=str(extra)).id)
        return str(workspace.get(kind=kind, id=subject)["client_id"])
    except NotFoundError:
        raise NotFoundError(f"There is no early warning “{key}”: what it was about is gone.") from None


def find(workspace: Workspace, key: str, *, today: dt.date | None = None) -> EarlyWarning:
    """The pending warning of this key; a NotFoundError saying why when there is none."""
    key = key.strip()
    client_id = _client_of(workspace, key)
    for warning in warnings(workspace, client_id=client_id, today=today):
        if warning.key == key:
            return warning
    decisions = workspace.list(kind="warning_decision", where={"warning": key})
    if decisions:
        deed = "accepted as a risk" if decisions[0]["decision"] == "accepted" else "dismissed"
        raise NotFoundError(f"The early warning “{key}” was {deed} already.")
    if workspace.list(kind="risk", where={"warning": key}):
        raise NotFoundError(f"The early warning “{key}” is a risk already.")
    raise NotFoundError(f"There is no early warning “{key}” now: what raised it has changed.")


def accept(workspace: Workspace, key: str, *, today: dt.date | None = None) -> ChangeSet:
    """Makes the warning a risk (open, raised by this warning, reviewed `REVIEW_AFTER_DAYS` from today,
    owned by the client's account owner), with the follow-up action it proposes (owned by the account
    owner, due `FOLLOW_UP_DAYS` from today), and records the acceptance, in one undoable change."""
    from companion.model.ids import new_id

    today = today or dt.date.today()
    warning = find(workspace, key, today=today)
    owner = workspace.get(kind="client", id=warning.client_id)["owner_id"]
    risk_id = new_id()
    risk = warning.risk
    values = {
        "client_id": warning.client_id,
        "title": risk.title[:300],
        "category": risk.category,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "trigger": risk.trigger,
        "contact_ids": list(risk.contact_ids) or None,
        "competitor_id": risk.competitor_id,
        "opportunity_id": risk.opportunity_id,
        "owner_id": owner,
        "status": "open",
        "next_review": (today + dt.timedelta(days=REVIEW_AFTER_DAYS)).isoformat(),
        "warning": warning.key,
    }
    decision = {
        "client_id": warning.client_id,
        "warning": warning.key,
        "decision": "accepted",
        "risk_id": risk_id,
    }
    edits = [Edit("create", "risk", risk_id, values), Edit("create", "warning_decision", None, decision)]
    if risk.follow_up:
        action = {
            "risk_id": risk_id,
            "text": risk.follow_up[:1000],
            "owner_id": owner,
            "contact_id": risk.follow_up_contact_id,
            "due": (today + dt.timedelta(days=FOLLOW_UP_DAYS)).isoformat(),
        }
        edits.insert(1, Edit("create", "action", None, action))
    return workspace.apply(edits=edits, label="Accept early warning")


def dismiss(workspace: Workspace, key: str, *, today: dt.date | None = None) -> ChangeSet:
    """Records that the warning was dismissed: it is not proposed again (undoable)."""
    warning = find(workspace, key, today=today)
    decision = {"client_id": warning.client_id, "warning": warning.key, "decision": "dismissed"}
    return workspace.apply(
        edits=[Edit("create", "warning_decision", None, decision)], label="Dismiss early warning"
    )
