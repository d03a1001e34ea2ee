"""Home's worklist: what needs doing, by group (meetings first), each item naming its client and the deed.

The groups are upcoming meetings, follow-ups due, account plan and deal actions due, deals' next steps
due, campaign targets' next steps due (running campaigns only), people overdue against their own visit
rhythm, early warnings waiting for a decision (core/early_warning.py: accepted, they become risks and come
back as risks to review), risks to review, contracts whose notice date is near, account plans to review,
reviews with the client due by their cadence (core/reviews.py), culture role models to reassess and sites whose security notes are old. Each group keeps its most urgent
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

Reason = Literal[
    "upcoming_meeting",
    "follow_up_due",
    "action_due",
    "next_step_due",
    "target_due",
    "overdue_contact",
    "early_warning",
    "risk_review_due",
    "contract_notice",
    "plan_review_due",
    "reviews_due",
    "role_model_due",
    "stale_site",
]
# The groups in the order home shows them: the next days' meetings first, then what is due by a date.
GROUPS: tuple[Reason, ...] = (
    "upcoming_meeting",
    "follow_up_due",
    "action_due",
    "next_step_due",
    "target_due",
    "overdue_contact",
    "early_warning",
    "risk_review_due",
    "contract_notice",
    "plan_review_due",
    "reviews_due",
    "role_model_due",
    "stale_site",
)
# The record kind each group is about ("warning": an early warning's key, no record yet).
KIND_OF: dict[Reason, str] = {
    "upcoming_meeting": "meeting",
    "follow_up_due": "follow_up",
    "action_due": "action",
    "next_step_due": "opportunity",
    "target_due": "campaign_target",
    "overdue_contact": "contact",
    "early_warning": "warning",
    "risk_review_due": "risk",
    "contract_notice": "contract",
    "plan_review_due": "account_plan",
    "reviews_due": "client",
    "role_model_due": "position",
    "stale_site": "site",
}

# Follow-ups, plan and deal actions, and the next steps of deals and campaign targets due within this many
# days are listed.
FOLLOW_UP_HORIZON_DAYS = 7
MEETING_HORIZON_DAYS = 14
# A culture role model reassessed today is looked at again in a year.
ROLE_MODEL_REASSESS_DAYS = 365
# A risk marked reviewed is reviewed again in a month; an account plan in a quarter.
RISK_REVIEW_EVERY_DAYS = 30
PLAN_REVIEW_EVERY_DAYS = 91
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
    # The record opening it shows, when it is not (kind, record_id): an early warning opens what it is
    # about (the position, contract, client or tie).
    opens: tuple[str, str] | None = None

    @property
    def target(self) -> tuple[str, str]:
        """(kind, id) of the record opening the item shows."""
        return self.opens or (self.kind, self.record_id)

    @property
    def is_warning(self) -> bool:
        """An early warning: accepted (it becomes a risk) or dismissed, not done."""
        return self.reason == "early_warning"

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
        model reassessed, a plan action done, a risk or a plan reviewed, a deal's or a campaign target's
        next step done. A person is settled by contacting them, a meeting by holding it, a contract by
        deciding its renewal, a warning by accepting or dismissing it."""
        return self.reason in (
            "follow_up_due",
            "stale_site",
            "role_model_due",
            "action_due",
            "risk_review_due",
            "plan_review_due",
            "next_step_due",
            "target_due",
        )


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
    """Settles an item through the one write path (undoable): a follow-up or a plan action marked done, a
    site's notes verified today, a role model reassessed (the next reassessment a year from today), a
    risk or an account plan reviewed (its next review a month, or a quarter, from today), a deal's or a
    campaign target's next step done (the step and its date cleared, for the person to set the next)."""
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
    elif kind == "action":
        values, label = {"done": True}, "Mark action done"
    elif kind == "risk":
        next_time = today + dt.timedelta(days=RISK_REVIEW_EVERY_DAYS)
        values, label = {"next_review": next_time.isoformat()}, "Mark risk reviewed"
    elif kind == "account_plan":
        next_time = today + dt.timedelta(days=PLAN_REVIEW_EVERY_DAYS)
        values, label = {"next_review": next_time.isoformat()}, "Mark account plan reviewed"
    elif kind == "opportunity":
        values, label = {"next_step": None, "next_step_due": None}, "Mark the deal's next step done"
    elif kind == "campaign_target":
        values, label = {"next_step": None, "next_step_due": None}, "Mark the target's next step done"
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
    from companion.model.values import local_time

    today = context.today
    until = today + dt.timedelta(days=MEETING_HORIZON_DAYS)
    upcoming = []
    for meeting_id, title, starts_at, status, client_id, colleagues, all_day in context.rows["meeting"]:
        # An all-day meeting's day is its UTC date (the meeting's all_day field), at no time of day.
        starts = local_time(starts_at, dt.UTC if all_day else None)
        if today <= starts.date() <= until and context.keeps(colleagues, client_id):
            upcoming.append((starts, str(title), meeting_id, status, client_id, all_day))
    upcoming.sort()
    checklists: dict[str, list] = {}
    ids = [m[2] for m in upcoming]
    for item in context.workspace.list(kind="meeting_checklist_item", where={"meeting_id": ids}):
        checklists.setdefault(str(item["meeting_id"]), []).append(item)
    items = []
    for starts, title, meeting_id, status, client_id, all_day in upcoming:
        prepared = (
            "ready" if status == "ready" else f"{readiness(checklists.get(meeting_id, ())).percent}% prepared"
        )
        items.append(
            AttentionItem(
                "upcoming_meeting",
                "meeting",
                meeting_id,
                title,
                f"{_when(starts.date(), today)} {'all day' if all_day else f'{starts:%H:%M}'} · {prepared}",
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
        detail = _due_phrase(day, today)
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
    from companion.core.early_warning import rhythm_phrase  # the rhythm's words, said once

    items = []
    for contact_id, name, every, seen, channel, client_id, client_name, due, is_snoozed in rows:
        detail = rhythm_phrase(every, seen, today)
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


def _due_phrase(day: dt.date, today: dt.date) -> str:
    """ "overdue 4 days (due Sat 28 Nov)" or "due tomorrow"."""
    late = _days(today, day)
    return f"overdue {_plural(late, 'day')} (due {day:%a %d %b})" if late > 0 else f"due {_when(day, today)}"


def _review_phrase(day: dt.date, today: dt.date) -> str:
    """ "review due today" or "review due 3 days ago (Sun 29 Nov)"."""
    late = _days(today, day)
    return "review due today" if late == 0 else f"review due {_plural(late, 'day')} ago ({day:%a %d %b})"


def _actions(context: _Context) -> tuple[Group, int]:
    """Open account plan, deal and review actions due within the follow-up horizon or overdue, with what they
    serve."""
    today, ws = context.today, context.workspace
    by = (today + dt.timedelta(days=FOLLOW_UP_HORIZON_DAYS)).isoformat()
    fields = (
        "id",
        "text",
        "due",
        "done",
        "owner_id",
        "objective_id",
        "risk_id",
        "opportunity_id",
        "review_id",
    )
    rows = ws.columns(kind="action", fields=fields, ordered=False)
    due = [row for row in rows if row[2] and row[2] <= by and not row[3]]
    if not due:
        return context.group("action_due", [])
    # What each action serves and where, a few columns of each, unsorted; only what is still wanted:
    # objectives open in an active plan, risks open or watched, deals still open.
    from companion.core.account_plan import DONE_OBJECTIVE_STATUSES, OPEN_RISK_STATUSES
    from companion.model.kinds import OPEN_STAGES

    plan_rows = ws.columns(kind="account_plan", fields=("id", "client_id", "status"), ordered=False)
    plans = {i: c for i, c, status in plan_rows if status == "active"}
    objective_rows = ws.columns(kind="objective", fields=("id", "plan_id", "title", "status"), ordered=False)
    objectives = {i: (p, t) for i, p, t, status in objective_rows if status not in DONE_OBJECTIVE_STATUSES}
    risk_rows = ws.columns(kind="risk", fields=("id", "client_id", "title", "status"), ordered=False)
    risks = {i: (c, t) for i, c, t, status in risk_rows if status in OPEN_RISK_STATUSES}
    deals: dict[str, tuple[str, str]] = {}
    if any(row[7] for row in due):
        deal_rows = ws.columns(
            kind="opportunity", fields=("id", "client_id", "title", "stage"), ordered=False
        )
        deals = {i: (c, t) for i, c, t, stage in deal_rows if stage in OPEN_STAGES}
    reviews: dict[str, tuple[str, str]] = {}
    if any(row[8] for row in due):
        reviews = {
            i: (c, t)
            for i, c, t in ws.columns(kind="review", fields=("id", "client_id", "title"), ordered=False)
        }
    items = []
    for action_id, text, day, _done, owner, objective_id, risk_id, opportunity_id, review_id in due:
        if objective_id:
            plan_id, title = objectives.get(objective_id, (None, None))
            client_id = plans.get(plan_id)
            serves = f"for “{title}”"
        elif risk_id:
            client_id, title = risks.get(risk_id, (None, None))
            serves = f"against the risk “{title}”"
        elif review_id:
            client_id, title = reviews.get(review_id, (None, None))
            serves = f"agreed in the review “{title}”"
        else:
            client_id, title = deals.get(opportunity_id, (None, None))
            serves = f"in the deal “{title}”"
        if client_id is None:
            continue  # what it served is gone or settled
        if not context.keeps(owner, client_id):
            continue
        items.append(
            AttentionItem(
                "action_due",
                "action",
                action_id,
                str(text),
                f"{_due_phrase(dt.date.fromisoformat(day), today)} · {serves}",
                day,
                client_id,
                context.client_name(client_id),
            )
        )
    items.sort(key=lambda i: (i.due, i.title.lower(), i.record_id))
    return context.group("action_due", items)


def _next_steps(context: _Context) -> tuple[Group, int]:
    """Open deals whose next step is due within the follow-up horizon or overdue: the step, the deal and
    its stage. A deal with a date but no step written asks for one."""
    from companion.model.kinds import OPEN_STAGES
    from companion.model.labels import choice_label

    today = context.today
    by = (today + dt.timedelta(days=FOLLOW_UP_HORIZON_DAYS)).isoformat()
    fields = ("id", "title", "stage", "next_step", "next_step_due", "owner_id", "client_id")
    items = []
    for deal in _plan_rows(context, "opportunity", fields):
        day = deal["next_step_due"]
        if deal["stage"] not in OPEN_STAGES or not day or str(day) > by:
            continue
        client_id = str(deal["client_id"])
        if not context.keeps(deal["owner_id"], client_id):
            continue
        stage = choice_label(str(deal["stage"])).lower()
        items.append(
            AttentionItem(
                "next_step_due",
                "opportunity",
                deal["id"],
                str(deal["next_step"] or "Decide the next step"),
                f"{_due_phrase(dt.date.fromisoformat(str(day)), today)} · deal “{deal['title']}” ({stage})",
                str(day),
                client_id,
                context.client_name(client_id),
            )
        )
    items.sort(key=lambda i: (i.due, i.title.lower(), i.record_id))
    return context.group("next_step_due", items)


def _campaign_targets(context: _Context) -> tuple[Group, int]:
    """Targets of running campaigns, still being worked, whose next step is due within the follow-up
    horizon or overdue: the step, the person (or the client) and the campaign.

    A target still to approach with no next step is not listed: a campaign drawn over a large cohort has
    thousands of them, and its work list (ranked) is where they are approached. Mine: the campaign's
    owner or the client's account owner."""
    # A target that became a deal is followed there; a declined or not relevant one is settled.
    from companion.core.campaigns import OPEN_TARGET_STATUSES
    from companion.model.labels import choice_label

    today, ws = context.today, context.workspace
    by = (today + dt.timedelta(days=FOLLOW_UP_HORIZON_DAYS)).isoformat()
    campaign_rows = ws.columns(kind="campaign", fields=("id", "name", "status", "owner_id"), ordered=False)
    running = {i: (str(name), owner) for i, name, status, owner in campaign_rows if status == "running"}
    if not running:
        return context.group("target_due", [])
    fields = ("id", "campaign_id", "client_id", "contact_id", "status", "next_step", "next_step_due")
    due = []
    for target in _plan_rows(context, "campaign_target", fields):
        day = target["next_step_due"]
        campaign = running.get(target["campaign_id"])
        if campaign is None or target["status"] not in OPEN_TARGET_STATUSES or not day or str(day) > by:
            continue
        client_id = str(target["client_id"])
        client = context.clients.get(client_id)
        owners = [owner for owner in (campaign[1], client[1] if client else None) if owner]
        if context.keeps(owners, client_id):
            due.append((target, campaign[0], client_id))
    # The most urgent first; the people's names are read for those listed only (a campaign over a large
    # cohort has thousands due, and a team 100,000 people): the rest are counted, never shown.
    due.sort(key=lambda d: (str(d[0]["next_step_due"]), str(d[0]["next_step"] or "").lower(), d[0]["id"]))
    snoozed_here = sum(1 for kind, _id in context.snoozed if kind == "campaign_target")
    listed = due[: context.filters.limit("target_due") + snoozed_here]
    people = sorted({str(t["contact_id"]) for t, _name, _client in listed if t["contact_id"]})
    names = {c.id: str(c["name"]) for c in ws.list(kind="contact", where={"id": people})} if people else {}
    items = []
    for target, campaign_name, client_id in due:
        client_name = context.client_name(client_id)
        who = names.get(str(target["contact_id"])) or client_name or "the client"
        status = choice_label(str(target["status"])).lower()
        day = str(target["next_step_due"])
        items.append(
            AttentionItem(
                "target_due",
                "campaign_target",
                target["id"],
                str(target["next_step"] or f"Next step with {who}"),
                f"{_due_phrase(dt.date.fromisoformat(day), today)} · {who} ({status}) · campaign “{campaign_name}”",
                day,
                client_id,
                client_name,
            )
        )
    return context.group("target_due", items)


def _early_warnings(context: _Context) -> tuple[Group, int]:
    """The early warnings waiting for a decision, the weightiest first (core/early_warning.py)."""
    from companion.core import early_warning

    found = early_warning.warnings(
        context.workspace, client_id=context.filters.client_id, today=context.today
    )
    items = [
        AttentionItem(
            "early_warning",
            "warning",
            warning.key,
            warning.title,
            warning.why,
            warning.since,
            warning.client_id,
            warning.client_name,
            opens=warning.subject,
        )
        for warning in found
        if context.keeps(None, warning.client_id)
    ]
    return context.group("early_warning", items)


def _plan_rows(context: _Context, kind: str, fields: tuple[str, ...]) -> list[dict]:
    """These fields of the live records of a client-bound plan kind: every client's, read without sorting
    (home reads them on every change), or the one client's."""
    ws = context.workspace
    if context.filters.client_id is None:
        return [
            dict(zip(fields, row, strict=True)) for row in ws.columns(kind=kind, fields=fields, ordered=False)
        ]
    found = ws.list(kind=kind, where={"client_id": context.filters.client_id})
    return [{f: (r.id if f == "id" else r[f]) for f in fields} for r in found]


def _risk_reviews(context: _Context) -> tuple[Group, int]:
    """Open and watched risks whose next review is due."""
    today = context.today
    fields = ("id", "title", "status", "next_review", "likelihood", "impact", "owner_id", "client_id")
    items = []
    for risk in _plan_rows(context, "risk", fields):
        review = risk["next_review"]
        if risk["status"] not in ("open", "watching") or not review or review > today.isoformat():
            continue
        if not context.keeps(risk["owner_id"], risk["client_id"]):
            continue
        score = (
            f" · likelihood {risk['likelihood']} × impact {risk['impact']}"
            if risk["likelihood"] and risk["impact"]
            else ""
        )
        client_id = str(risk["client_id"])
        items.append(
            AttentionItem(
                "risk_review_due",
                "risk",
                risk["id"],
                str(risk["title"]),
                f"{_review_phrase(dt.date.fromisoformat(str(review)), today)}{score}",
                str(review),
                client_id,
                context.client_name(client_id),
                "Review",
            )
        )
    items.sort(key=lambda i: (i.due, i.title.lower(), i.record_id))
    return context.group("risk_review_due", items)


def _contract_notices(context: _Context) -> tuple[Group, int]:
    """Contracts whose notice-by date is today or within the notice horizon, renewal not settled."""
    from companion.core.account_plan import notice_is_near
    from companion.model.labels import choice_label

    today = context.today
    items = []
    fields = ("id", "title", "notice_by", "renewal_status", "client_id")
    for contract in _plan_rows(context, "contract", fields):
        client_id = str(contract["client_id"])
        if not notice_is_near(contract, today) or not context.keeps(None, client_id):
            continue
        notice = dt.date.fromisoformat(str(contract["notice_by"]))
        days = _days(notice, today)
        when = "today" if days == 0 else f"in {_plural(days, 'day')}"
        renewal = contract["renewal_status"]
        state = f"renewal {choice_label(str(renewal)).lower()}" if renewal else "renewal not decided"
        items.append(
            AttentionItem(
                "contract_notice",
                "contract",
                contract["id"],
                str(contract["title"]),
                f"notice by {notice:%a %d %b %Y} ({when}) · {state}",
                notice.isoformat(),
                client_id,
                context.client_name(client_id),
            )
        )
    items.sort(key=lambda i: (i.due, i.title.lower(), i.record_id))
    return context.group("contract_notice", items)


def _plan_reviews(context: _Context) -> tuple[Group, int]:
    """Active and draft account plans whose next review is due."""
    today = context.today
    items = []
    for plan in _plan_rows(context, "account_plan", ("id", "title", "status", "next_review", "client_id")):
        review = plan["next_review"]
        client_id = str(plan["client_id"])
        if plan["status"] not in ("active", "draft") or not review or review > today.isoformat():
            continue
        if not context.keeps(None, client_id):
            continue
        state = "active plan" if plan["status"] == "active" else "draft plan"
        items.append(
            AttentionItem(
                "plan_review_due",
                "account_plan",
                plan["id"],
                str(plan["title"]),
                f"{state}, {_review_phrase(dt.date.fromisoformat(str(review)), today)}",
                str(review),
                client_id,
                context.client_name(client_id),
                "Review",
            )
        )
    items.sort(key=lambda i: (i.due, i.title.lower(), i.record_id))
    return context.group("plan_review_due", items)


def _reviews_due(context: _Context) -> tuple[Group, int]:
    """Clients whose review with the client is overdue by their cadence or due within two weeks
    (core/reviews.py); the item is the client, opened on its scorecard."""
    from companion.core.reviews import reviews_due

    items = [
        AttentionItem(
            "reviews_due",
            "client",
            due.client_id,
            "Hold a review",
            due.phrase(context.today),
            due.due.isoformat(),
            due.client_id,
            due.client_name,
        )
        for due in reviews_due(context.workspace, today=context.today, client_id=context.filters.client_id)
        if context.keeps(None, due.client_id)
    ]
    return context.group("reviews_due", items)


_READERS = {
    "upcoming_meeting": _meetings,
    "follow_up_due": _follow_ups,
    "action_due": _actions,
    "next_step_due": _next_steps,
    "target_due": _campaign_targets,
    "overdue_contact": _overdue_contacts,
    "early_warning": _early_warnings,
    "risk_review_due": _risk_reviews,
    "contract_notice": _contract_notices,
    "plan_review_due": _plan_reviews,
    "reviews_due": _reviews_due,
    "role_model_due": _role_models,
    "stale_site": _stale_sites,
}
