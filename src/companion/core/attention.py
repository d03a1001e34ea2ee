"""Home's worklist: what needs doing, by group (meetings first), each item naming its client and the deed.

The groups are upcoming meetings, follow-ups due, people overdue against their own visit rhythm,
culture role models to reassess and sites whose security notes are old. Each group keeps its most urgent
items (`PER_REASON`, or more when asked) and counts the rest, so a team workspace of 100,000 people
gives a list of a few hundred rows, never 100,000.

Filters are applied here, before counting: "mine" (what a colleague owns: the record's own owner, else
its client's account owner), one client, and the items snoozed on this laptop (kept in the workspace's
own bookkeeping, never synced: `snooze`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.changes import ChangeSet
    from companion.core.service import Workspace

Reason = Literal["upcoming_meeting", "follow_up_due", "overdue_contact", "role_model_due", "stale_site"]
# The groups in the order home shows them: the next days' meetings first.
GROUPS: tuple[Reason, ...] = (
    "upcoming_meeting",
    "follow_up_due",
    "overdue_contact",
    "role_model_due",
    "stale_site",
)
# The record kind each group is about.
KIND_OF: dict[Reason, str] = {
    "upcoming_meeting": "meeting",
    "follow_up_due": "follow_up",
    "overdue_contact": "contact",
    "role_model_due": "position",
    "stale_site": "site",
}

FOLLOW_UP_HORIZON_DAYS = 7
MEETING_HORIZON_DAYS = 14
# A culture role model reassessed today is looked at again in a year.
ROLE_MODEL_REASSESS_DAYS = 365
# A list of 100,000 overdue people helps nobody: show the most urgent, count the rest.
PER_REASON = 50
# Workspace bookkeeping keys of snoozed items: "home.snooze.<kind>:<id>" → the date they come back.
SNOOZE_PREFIX = "home.snooze."

# The verb for a person overdue for contact, by their preferred channel.
_CONTACT_VERBS = {
    "phone": "Call",
    "video": "Call",
    "email": "Email",
    "messaging": "Message",
    "in_person": "Visit",
}


@dataclass(frozen=True)
class AttentionItem:
    """One thing to do, with the record to open, its client and why it is due."""

    reason: Reason
    kind: str
    record_id: str
    title: str  # the person, site, follow-up or meeting
    detail: str  # why it is due: "last contact 94 days ago, every 60 (34 days overdue)"
    due: str  # ISO date the item became (or becomes) due; a group is sorted by it
    client_id: str | None = None
    client_name: str | None = None
    action: str = ""  # what to do: "Call", "Reassess", "Verify", "Prepare" ("" when the title says it)
    snoozed_until: str | None = None  # ISO date, for a snoozed item shown anyway

    @property
    def headline(self) -> str:
        """ "Call Ingrid Dahl — Halvorsen Offshore"."""
        text = f"{self.action} {self.title}" if self.action else self.title
        return f"{text} — {self.client_name}" if self.client_name else text

    @property
    def sentence(self) -> str:
        """ "Call Ingrid Dahl — Halvorsen Offshore: last contact 94 days ago, every 60"."""
        return f"{self.headline}: {self.detail}"

    @property
    def can_be_done(self) -> bool:
        """Whether home can settle it in one step (`mark_done`): a follow-up done, a site verified, a role
        model reassessed. A person is settled by contacting them, a meeting by holding it."""
        return self.reason in ("follow_up_due", "stale_site", "role_model_due")


@dataclass(frozen=True)
class Group:
    """The items of one reason shown (the most urgent first) and how many there are in all."""

    reason: Reason
    items: tuple[AttentionItem, ...]
    total: int

    @property
    def more(self) -> int:
        """How many are counted but not listed."""
        return max(0, self.total - len(self.items))


@dataclass(frozen=True)
class Attention:
    """The worklist: the groups that have items, in `GROUPS` order, and how many items are snoozed."""

    groups: tuple[Group, ...] = ()
    snoozed: int = 0
    filters: Filters | None = None

    @property
    def items(self) -> tuple[AttentionItem, ...]:
        return tuple(item for group in self.groups for item in group.items)

    @property
    def totals(self) -> dict[str, int]:
        return {group.reason: group.total for group in self.groups}

    def group(self, reason: str) -> Group | None:
        return next((g for g in self.groups if g.reason == reason), None)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.groups)


@dataclass(frozen=True)
class Filters:
    """What the worklist is narrowed to: a colleague's own items, one client, snoozed items shown too;
    `limits` lists more of a group than `PER_REASON`."""

    mine: str | None = None  # a colleague id
    client_id: str | None = None
    with_snoozed: bool = False
    limits: Mapping[str, int] = field(default_factory=dict)

    def limit(self, reason: str) -> int:
        return self.limits.get(reason, PER_REASON)


def _days(a: dt.date, b: dt.date) -> int:
    return (a - b).days


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _when(day: dt.date, today: dt.date) -> str:
    """ "today", "tomorrow", "yesterday", else "Tue 08 Dec"."""
    names = {0: "today", 1: "tomorrow", -1: "yesterday"}
    return names.get(_days(day, today), f"{day:%a %d %b}")


# --- snoozes: per laptop, in the workspace's own bookkeeping --------------------------------------


def _snooze_key(kind: str, record_id: str) -> str:
    return f"{SNOOZE_PREFIX}{kind}:{record_id}"


def snoozes(workspace: Workspace, *, today: dt.date | None = None) -> dict[tuple[str, str], str]:
    """The items snoozed now: (kind, id) → the ISO date they come back (later than today)."""
    today_iso = (today or dt.date.today()).isoformat()
    found: dict[tuple[str, str], str] = {}
    for key, until in workspace.meta_items(prefix=SNOOZE_PREFIX).items():
        kind, _, record_id = key[len(SNOOZE_PREFIX) :].partition(":")
        if until > today_iso:
            found[(kind, record_id)] = until
    return found


def snooze(
    workspace: Workspace, *, kind: str, record_id: str, until: dt.date, today: dt.date | None = None
) -> None:
    """Hides an item from home until `until` (it comes back that day). Kept on this laptop only, in the
    workspace's bookkeeping, with the snoozes that ran out removed."""
    today_iso = (today or dt.date.today()).isoformat()
    expired = {
        key: None for key, day in workspace.meta_items(prefix=SNOOZE_PREFIX).items() if day <= today_iso
    }
    workspace.set_meta(values={**expired, _snooze_key(kind, record_id): until.isoformat()})


def wake(workspace: Workspace, *, kind: str, record_id: str) -> None:
    """Brings a snoozed item back now."""
    workspace.set_meta(values={_snooze_key(kind, record_id): None})


# --- settling an item through the services --------------------------------------------------------


def mark_done(workspace: Workspace, *, kind: str, record_id: str, today: dt.date | None = None) -> ChangeSet:
    """Settles an item through the one write path (undoable): a follow-up marked done, a site's notes
    verified today, a role model reassessed (the next reassessment a year from today)."""
    from companion.core.changes import Edit
    from companion.model.errors import ValidationError

    today = today or dt.date.today()
    if kind == "follow_up":
        values, label = {"done": True}, "Mark follow-up done"
    elif kind == "site":
        values, label = {"last_verified": today.isoformat()}, "Verify site"
    elif kind == "position":
        next_time = today + dt.timedelta(days=ROLE_MODEL_REASSESS_DAYS)
        values, label = {"role_model_reassess_by": next_time.isoformat()}, "Reassess role model"
    else:
        raise ValidationError(f"A {kind.replace('_', ' ')} on home cannot be marked done; open it instead.")
    return workspace.apply(edits=[Edit("update", kind, record_id, values)], label=label)


# --- the worklist ---------------------------------------------------------------------------------


class _Context:
    """What every group reads: the day, the filters, the snoozes, the candidate rows and the clients."""

    def __init__(self, workspace: Workspace, today: dt.date, filters: Filters):
        from companion.core.staleness import SITE_STALE_DAYS  # here: start-up need not load it

        self.workspace = workspace
        self.today = today
        self.filters = filters
        self.snoozed = snoozes(workspace, today=today)
        self.rows = workspace.worklist_candidates(
            today=today.isoformat(),
            follow_ups_by=(today + dt.timedelta(days=FOLLOW_UP_HORIZON_DAYS)).isoformat(),
            sites_verified_by=(today - dt.timedelta(days=SITE_STALE_DAYS)).isoformat(),
            meetings_until=(today + dt.timedelta(days=MEETING_HORIZON_DAYS)).isoformat(),
        )
        self._clients: dict[str, tuple[str, str | None]] | None = None

    @property
    def clients(self) -> dict[str, tuple[str, str | None]]:
        """client id → (name, account owner id), read once when a group first needs it."""
        if self._clients is None:
            self._clients = {
                cid: (str(name), owner)
                for cid, name, owner in self.workspace.columns(
                    kind="client", fields=("id", "name", "owner_id")
                )
            }
        return self._clients

    def client_name(self, client_id: str | None) -> str | None:
        found = self.clients.get(client_id) if client_id else None
        return found[0] if found else None

    def keeps(self, own: object, client_id: str | None) -> bool:
        """Whether a record passes the filters: at the chosen client, and mine when asked: its own owner
        is me (or I am among its owners), or, without one, I own its client."""
        if self.filters.client_id is not None and client_id != self.filters.client_id:
            return False
        me = self.filters.mine
        if me is None:
            return True
        if own:
            return me in own if isinstance(own, list | tuple) else own == me
        found = self.clients.get(client_id) if client_id else None
        return found is not None and found[1] == me

    def group(self, reason: Reason, candidates: list[AttentionItem]) -> tuple[Group, int]:
        """A group from its sorted candidates: the snoozed left out (or marked when shown), the first
        kept; and how many were snoozed."""
        kind = KIND_OF[reason]
        kept: list[AttentionItem] = []
        hidden = 0
        for item in candidates:
            until = self.snoozed.get((kind, item.record_id))
            if until is not None:
                hidden += 1
                if not self.filters.with_snoozed:
                    continue
                item = replace(item, snoozed_until=until)
            kept.append(item)
        return Group(reason, tuple(kept[: self.filters.limit(reason)]), len(kept)), hidden


def attention(
    workspace: Workspace, *, today: dt.date | None = None, filters: Filters | None = None
) -> Attention:
    """The worklist for `today`: every group's most urgent items and its count, after the filters."""
    context = _Context(workspace, today or dt.date.today(), filters or Filters())
    groups: list[Group] = []
    snoozed = 0
    for reason in GROUPS:
        group, snoozed_here = _READERS[reason](context)
        snoozed += snoozed_here
        if group.total:
            groups.append(group)
    return Attention(tuple(groups), snoozed, context.filters)


def _meetings(context: _Context) -> tuple[Group, int]:
    from companion.core.checklist import readiness

    today = context.today
    until = today + dt.timedelta(days=MEETING_HORIZON_DAYS)
    upcoming = []
    for meeting_id, title, starts_at, status, client_id, colleagues in context.rows["meeting"]:
        starts = dt.datetime.fromisoformat(starts_at).astimezone()
        if today <= starts.date() <= until and context.keeps(colleagues, client_id):
            upcoming.append((starts, str(title), meeting_id, status, client_id))
    upcoming.sort()
    checklists: dict[str, list] = {}
    ids = [m[2] for m in upcoming]
    for item in context.workspace.list(kind="meeting_checklist_item", where={"meeting_id": ids}):
        checklists.setdefault(str(item["meeting_id"]), []).append(item)
    items = []
    for starts, title, meeting_id, status, client_id in upcoming:
        prepared = (
            "ready" if status == "ready" else f"{readiness(checklists.get(meeting_id, ())).percent}% prepared"
        )
        items.append(
            AttentionItem(
                "upcoming_meeting",
                "meeting",
                meeting_id,
                title,
                f"{_when(starts.date(), today)} {starts:%H:%M} · {prepared}",
                starts.date().isoformat(),
                client_id,
                context.client_name(client_id),
                "" if status == "ready" else "Prepare",
            )
        )
    return context.group("upcoming_meeting", items)


def _follow_ups(context: _Context) -> tuple[Group, int]:
    today = context.today
    items = []
    for follow_id, text, due, owner, client_id in context.rows["follow_up"]:
        if not context.keeps(owner, client_id):
            continue
        day = dt.date.fromisoformat(due)
        late = _days(today, day)
        detail = (
            f"overdue {_plural(late, 'day')} (due {day:%a %d %b})" if late > 0 else f"due {_when(day, today)}"
        )
        items.append(
            AttentionItem(
                "follow_up_due",
                "follow_up",
                follow_id,
                str(text),
                detail,
                due,
                client_id,
                context.client_name(client_id),
            )
        )
    items.sort(key=lambda i: (i.due, i.title.lower(), i.record_id))
    return context.group("follow_up_due", items)


def _overdue_contacts(context: _Context) -> tuple[Group, int]:
    """Counted in SQL: a team's 100,000 people never become 100,000 items."""
    today, filters = context.today, context.filters
    rows, total, snoozed = context.workspace.worklist_contacts(
        today=today.isoformat(),
        limit=filters.limit("overdue_contact"),
        owner_id=filters.mine,
        client_id=filters.client_id,
        snoozed=[record_id for (kind, record_id) in context.snoozed if kind == "contact"],
        with_snoozed=filters.with_snoozed,
    )
    items = []
    for contact_id, name, every, seen, channel, client_id, client_name, due, is_snoozed in rows:
        if seen is None:
            detail = f"never contacted, every {every} days"
        else:
            ago = _days(today, dt.date.fromisoformat(seen))
            late = _days(today, dt.date.fromisoformat(due))
            detail = f"last contact {_plural(ago, 'day')} ago, every {every} ({late} days overdue)"
        items.append(
            AttentionItem(
                "overdue_contact",
                "contact",
                contact_id,
                str(name),
                detail,
                due,
                client_id,
                client_name,
                _CONTACT_VERBS.get(channel or "", "Contact"),
                context.snoozed.get(("contact", contact_id)) if is_snoozed else None,
            )
        )
    return Group("overdue_contact", tuple(items), total), snoozed


def _role_models(context: _Context) -> tuple[Group, int]:
    today = context.today
    items = []
    for position_id, _contact_id, name, owner, title, client_id, due in context.rows["role_model"]:
        if not context.keeps(owner, client_id):
            continue
        late = _days(today, dt.date.fromisoformat(due))
        when = "today" if late == 0 else f"{_plural(late, 'day')} ago"
        items.append(
            AttentionItem(
                "role_model_due",
                "position",
                position_id,
                str(name or title or "Role model"),
                f"culture role model, reassessment due {when} ({due})",
                due,
                client_id,
                context.client_name(client_id),
                "Reassess",
            )
        )
    items.sort(key=lambda i: (i.due, i.title.lower(), i.record_id))
    return context.group("role_model_due", items)


def _stale_sites(context: _Context) -> tuple[Group, int]:
    from companion.core.staleness import SITE_STALE_DAYS

    today = context.today
    items = []
    for site_id, name, verified, client_id in context.rows["site"]:
        if not context.keeps(None, client_id):
            continue
        if verified:
            ago = _days(today, dt.date.fromisoformat(verified))
            detail = f"security notes last verified {_plural(ago, 'day')} ago ({verified})"
            due = (dt.date.fromisoformat(verified) + dt.timedelta(days=SITE_STALE_DAYS)).isoformat()
        else:
            detail, due = "security notes never verified", today.isoformat()
        items.append(
            AttentionItem(
                "stale_site",
                "site",
                site_id,
                str(name),
                detail,
                due,
                client_id,
                context.client_name(client_id),
                "Verify",
            )
        )
    items.sort(key=lambda i: (i.due, i.title.lower(), i.record_id))
    return context.group("stale_site", items)


_READERS = {
    "upcoming_meeting": _meetings,
    "follow_up_due": _follow_ups,
    "overdue_contact": _overdue_contacts,
    "role_model_due": _role_models,
    "stale_site": _stale_sites,
}
