"""The record kinds and their fields: the one schema that store, sync, search, export and the CLI work from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cached_property
from typing import Literal

FieldType = Literal[
    "text",  # one line
    "longtext",  # several paragraphs of markdown
    "email",
    "url",
    "phone",
    "int",
    "number",  # a decimal number (an amount, a percentage, a reading)
    "bool",
    "date",  # ISO yyyy-mm-dd
    "datetime",  # ISO 8601 with offset, stored as UTC
    "enum",
    "ref",  # the id of one record of `ref_kind`
    "refs",  # a list of ids of `ref_kind`
    "strings",  # a list of short strings (items may carry `item_format`)
]

# The window's pages whose content reads records of a kind (`Kind.shown_on`): a change to such a record
# makes the page on screen read itself again.
PAGES = ("client_list", "client", "meeting", "pack", "directory", "templates", "sales", "portfolio")
# The client page's sections, in their order on the page (`Kind.section`).
SECTIONS = (
    "overview",
    "people",
    "plan",
    "deals",
    "scorecard",
    "culture",
    "guidelines",
    "sites",
    "activity",
    "meetings",
    "notes",
)
DuplicateRule = Literal["same_title"]

LIST_TYPES = frozenset({"refs", "strings"})
TEXT_TYPES = frozenset({"text", "longtext", "email", "url", "phone"})


@dataclass(frozen=True)
class Field:
    """One field of a record kind: its type and the rules a value must meet."""

    name: str
    type: FieldType
    label: str
    required: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    max_length: int | None = None
    ref_kind: str | None = None
    # The format of each item of a list, or of a one-line text's value ("currency": a three-letter code).
    item_format: Literal["email", "phone", "currency", ""] = ""
    # The referenced record must belong to the same client as this one.
    same_client: bool = False
    # Shown in the name column of search; searched first.
    searchable: bool = True
    group: str = ""

    @property
    def is_list(self) -> bool:
        return self.type in LIST_TYPES

    @property
    def is_reference(self) -> bool:
        return self.type in ("ref", "refs")

    @property
    def length_limit(self) -> int | None:
        if self.max_length is not None:
            return self.max_length
        if self.type in ("text", "email", "url", "phone"):
            return 500
        if self.type == "longtext":
            return 100_000
        return None


@dataclass(frozen=True)
class Kind:
    """A kind of record every device keeps and syncs."""

    name: str
    label: str
    plural: str
    title_field: str
    fields: tuple[Field, ...]
    description: str = ""
    # Pairs (earlier, later) of date/datetime fields that must be in order.
    ordered: tuple[tuple[str, str], ...] = ()
    # Groups of reference fields of which exactly one must be set.
    exactly_one_of: tuple[tuple[str, ...], ...] = ()
    # (field, values, field required): while `field` holds one of `values` (any value, when empty),
    # the other field must be set (a lost deal's reason, a declined target's).
    required_when: tuple[tuple[str, tuple[str, ...], str], ...] = ()
    # (enum field, {value: field that must be set for it}); other fields of the map must stay empty.
    scoped_by: tuple[str, dict[str, str | None]] | None = None
    # (field, value, per field): at most one live record per value of `per field` may hold `value` in
    # `field` (one active account plan per client). Checked on this laptop's writes.
    single_when: tuple[str, str, str] | None = None
    # Reference fields that may not point at the record itself.
    not_self: tuple[str, ...] = ()
    # Pairs of reference fields that may not point at the same record.
    distinct: tuple[tuple[str, str], ...] = ()
    # Found by the search palette. Records composed from others (checklist items) are not: they would
    # only repeat what search finds at its source.
    searchable: bool = True

    # --- what the kind is for in the window and the domain: read by navigation, the pages' refresh,
    # meeting checklists, exports and the server's merge instead of lists of kind names ---------------

    # The client page's section that shows it ("" for none).
    section: str = ""
    # Reference paths ("site_id.client_id"; "id" is the record itself) tried in order to the record
    # that places it in the window: a client, or a person whose role at a client places it. None: the
    # kind's own client field, if it has one.
    located_by: tuple[str, ...] | None = None
    # Path to the person or meeting the window opens on when showing it ("" for none).
    focus: str = ""
    # The pages whose content reads it (PAGES): they read themselves again when such a record changes.
    shown_on: frozenset[str] = frozenset()
    # A change may change what an upcoming meeting's composed checklist says.
    feeds_checklist: bool = False
    # An enum field whose value "private" keeps a record on this laptop: never exported, never in a pack.
    privacy_field: str | None = None
    # A new record whose title matches a live one of the team (case and spacing aside) is kept, and
    # flagged for a person to merge: the same client typed on two laptops.
    duplicate_rule: DuplicateRule | None = None
    _by_name: dict[str, Field] = dataclass_field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_name.update({f.name: f for f in self.fields})
        if self.section and self.section not in SECTIONS:
            raise ValueError(f"{self.name}: unknown section {self.section!r}")
        if not self.shown_on <= set(PAGES):
            raise ValueError(f"{self.name}: unknown pages {sorted(self.shown_on - set(PAGES))}")
        for path in (*(self.located_by or ()), *((self.focus,) if self.focus else ())):
            first = path.split(".")[0]
            if first != "id" and not (self.field(first) and self.field(first).is_reference):
                raise ValueError(f"{self.name}: {path!r} does not start at a reference field or the record")
        privacy = self.field(self.privacy_field) if self.privacy_field else None
        if self.privacy_field and (privacy is None or "private" not in privacy.choices):
            raise ValueError(f"{self.name}: privacy field {self.privacy_field!r} has no 'private' choice")
        if self.single_when and not all(self.field(n) for n in (self.single_when[0], self.single_when[2])):
            raise ValueError(f"{self.name}: single_when names a field it does not have")
        for field_name, _values, needed in self.required_when:
            if not (self.field(field_name) and self.field(needed)):
                raise ValueError(f"{self.name}: required_when names a field it does not have")
        if self.duplicate_rule and self.field(self.title_field) is None:
            raise ValueError(f"{self.name}: a duplicate rule needs its title field {self.title_field!r}")

    @property
    def locators(self) -> tuple[str, ...]:
        """The reference paths that place a record of this kind in the window, in the order tried."""
        if self.located_by is not None:
            return self.located_by
        return (self.client_field,) if self.client_field else ()

    @property
    def stands_alone(self) -> bool:
        """Exists on its own, not inside one client (people, colleagues, templates): a client's export
        brings such records along when its records use them."""
        return self.client_field is None and not any(f.required and f.is_reference for f in self.fields)

    def scope_target(self, values: Mapping[str, object]) -> str | None:
        """The reference field a scoped record applies through (a site's rule: its site_id), or None
        for the broadest scope and for kinds without scopes."""
        if self.scoped_by is None:
            return None
        field, targets = self.scoped_by
        return targets.get(str(values.get(field)))

    def is_private(self, values: Mapping[str, object]) -> bool:
        """Kept on this laptop only: left out of every export and pack."""
        return self.privacy_field is not None and values.get(self.privacy_field) == "private"

    def field(self, name: str) -> Field | None:
        return self._by_name.get(name)

    # Asked once per record by the sync server and the bulk paths (a first sync checks 100,000 records):
    # worked out once per kind.
    @cached_property
    def reference_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.is_reference)

    @cached_property
    def required_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)

    @cached_property
    def field_name_set(self) -> frozenset[str]:
        return frozenset(self._by_name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def client_field(self) -> str | None:
        """The field that ties a record to its client, if the kind has one."""
        return "client_id" if "client_id" in self._by_name else None


def _t(name: str, label: str, **kw) -> Field:
    return Field(name, "text", label, **kw)


def _lt(name: str, label: str, **kw) -> Field:
    return Field(name, "longtext", label, **kw)


def _ref(name: str, label: str, kind: str, **kw) -> Field:
    return Field(name, "ref", label, ref_kind=kind, **kw)


def _enum(name: str, label: str, choices: tuple[str, ...], **kw) -> Field:
    return Field(name, "enum", label, choices=choices, **kw)


def _scale(name: str, label: str, **kw) -> Field:
    return Field(name, "int", label, min=1, max=5, **kw)


CLIENT_STATUSES = ("prospect", "active", "dormant", "former")
BUYING_ROLES = (
    "decision_maker",
    "economic_buyer",
    "technical_buyer",
    "user",
    "influencer",
    "gatekeeper",
    "champion",
    "sponsor",
)
STANCES = ("champion", "supporter", "neutral", "sceptic", "opponent", "unknown")
DECISION_ORIENTATIONS = ("analytical", "consensus", "directive", "intuitive", "risk_averse")
CHANNELS = ("in_person", "phone", "video", "email", "messaging")
RELATIONSHIP_TYPES = (
    "informal_influence",
    "ally",
    "rival",
    "mentor",
    "former_colleague",
    "friend",
    "family",
)
GUIDELINE_CATEGORIES = ("etiquette", "communication", "protocol", "culture", "security", "legal")
SEVERITIES = ("must", "should")
SCOPES = ("client", "sub_group", "site", "contact")
PRIVACY_TIERS = ("private", "team", "induction_safe")
INTERACTION_CHANNELS = ("meeting", "call", "video", "email", "message", "event", "other")
SENTIMENTS = ("positive", "neutral", "negative", "mixed")
MEETING_STATUSES = ("planned", "ready", "held", "cancelled")
MEETING_KINDS = ("any", "first_visit", "regular_review", "site_visit", "executive_meeting")
CHECKLIST_SOURCES = ("template", "client", "site", "attendee", "warning", "plan", "manual")

_FIRST_WAVE: tuple[Kind, ...] = (
    Kind(
        "colleague",
        "Colleague",
        "Colleagues",
        "name",
        (
            _t("name", "Name", required=True, max_length=200),
            _t("role", "Role"),
            Field("email", "email", "Email"),
        ),
        description="One of our own people: owner of clients and relationships, attendee, reader.",
        shown_on=frozenset({"client_list", "client", "meeting", "pack"}),
    ),
    Kind(
        "client",
        "Client",
        "Clients",
        "name",
        (
            _t("name", "Name", required=True, max_length=200),
            Field("aliases", "strings", "Also known as", max_length=200),
            _t("industry", "Industry", max_length=200),
            Field("website", "url", "Website"),
            _enum("status", "Status", CLIENT_STATUSES),
            Field("tags", "strings", "Tags (cohorts)", max_length=100),
            _ref("owner_id", "Our account owner", "colleague"),
            Field("review_every_days", "int", "Review every (days)", min=7, max=730),
            _lt("summary", "Summary", group="overview"),
            _lt("mission", "Mission", group="overview"),
            _lt("vision", "Vision", group="overview"),
            _lt("values", "Values", group="overview"),
            _lt("history", "History", group="overview"),
            _lt("objectives", "Objectives", group="overview"),
            _lt("strategy", "Strategy", group="overview"),
            _lt("buying_process", "How buying decisions are made", group="overview"),
            _lt("politics", "Internal politics and power bases", group="overview"),
            _lt("culture", "Culture and psyche", group="culture"),
            _lt("protocols", "Protocols", group="culture"),
            _lt("success_factors", "Critical success factors", group="culture"),
            # The author's choice for the induction pack: stance, personality and handling notes in it or not.
            Field("pack_candid", "bool", "Induction pack shows candid assessments", group="pack"),
        ),
        section="overview",
        located_by=("id",),
        shown_on=frozenset({"client_list", "client", "meeting", "pack"}),
        feeds_checklist=True,
        duplicate_rule="same_title",
    ),
    Kind(
        "sub_group",
        "Sub-group",
        "Sub-groups",
        "name",
        (
            _ref("client_id", "Client", "client", required=True),
            _t("name", "Name", required=True, max_length=200),
            _ref("parent_id", "Part of", "sub_group", same_client=True),
            # What propositions are fitted to (a proposition names the functions it serves).
            _t(
                "function",
                "Function",
                max_length=100,
                help="What it does: finance, IT, logistics, production…",
            ),
            _lt("description", "Description"),
            _lt("culture", "Culture of its own"),
        ),
        description="A division or department whose culture differs from the whole.",
        not_self=("parent_id",),
        section="culture",
        shown_on=frozenset({"client", "meeting", "pack"}),
        feeds_checklist=True,
    ),
    Kind(
        "site",
        "Site",
        "Sites",
        "name",
        (
            _ref("client_id", "Client", "client", required=True),
            _t("name", "Name", required=True, max_length=200),
            _lt("address", "Address"),
            _lt("opening_hours", "Opening hours"),
            _lt("arrival", "Arrival and parking"),
            _lt("dress_code", "Dress code"),
            _lt("security_id", "ID and badge", group="security"),
            _lt("security_escort", "Escort", group="security"),
            _lt("security_ppe", "Protective equipment", group="security"),
            _lt("security_devices", "Laptop and data rules", group="security"),
            _lt("security_photography", "Photography", group="security"),
            Field("last_verified", "date", "Last verified"),
        ),
        section="sites",
        shown_on=frozenset({"client", "meeting", "pack"}),
        feeds_checklist=True,
    ),
    Kind(
        "contact",
        "Contact",
        "Contacts",
        "name",
        (
            _t("name", "Name", required=True, max_length=200),
            Field("emails", "strings", "Personal emails", item_format="email"),
            Field("phones", "strings", "Personal phones", item_format="phone"),
            _scale("relationship_strength", "Relationship strength"),
            _enum("decision_orientation", "Decision orientation", DECISION_ORIENTATIONS),
            _lt("personality", "Personality"),
            _lt("motivators", "Motivators and passions"),
            _lt("sensitivities", "Sensitivities and prejudices"),
            _enum("preferred_channel", "Preferred channel", CHANNELS),
            Field("visit_frequency_days", "int", "Visit every (days)", min=1, max=730),
            _t("best_times", "Best times"),
            _t("worst_times", "Worst times"),
            _lt("personal_facts", "Personal facts"),
            Field("birthday", "date", "Birthday"),
            _lt("address", "Home address", max_length=2000),
            Field("difficult", "bool", "Difficult person"),
            _lt("difficult_handling", "How to handle them"),
            _ref("owner_id", "Our relationship owner", "colleague"),
        ),
        description="A person; their relationship and history follow them from employer to employer.",
        section="people",
        located_by=("id",),
        shown_on=frozenset({"client", "meeting", "pack", "directory"}),
        feeds_checklist=True,
    ),
    Kind(
        "position",
        "Position",
        "Positions",
        "title",
        (
            _ref("contact_id", "Person", "contact", required=True),
            _ref("client_id", "Client", "client", required=True),
            _t("title", "Title", max_length=200),
            _t("department", "Department", max_length=200),
            _ref("sub_group_id", "Sub-group", "sub_group", same_client=True),
            _ref("reports_to_id", "Reports to", "position", same_client=True),
            Field("work_email", "email", "Work email"),
            Field("work_phone", "phone", "Work phone"),
            _ref("site_id", "Site", "site", same_client=True),
            _enum("buying_role", "Buying role", BUYING_ROLES),
            _scale("influence", "Influence"),
            _enum("stance", "Stance toward us", STANCES),
            Field("role_model", "bool", "Culture role model"),
            Field("role_model_reassess_by", "date", "Reassess role model by"),
            Field("started", "date", "Started"),
            Field("ended", "date", "Ended"),
        ),
        description="A person's role at one client; past roles stay when they move.",
        ordered=(("started", "ended"),),
        not_self=("reports_to_id",),
        section="people",
        focus="contact_id",
        shown_on=frozenset({"client", "meeting", "pack"}),
        feeds_checklist=True,
    ),
    Kind(
        "relationship",
        "Relationship",
        "Relationships",
        "type",
        (
            _ref("from_contact_id", "Person", "contact", required=True),
            _ref("to_contact_id", "Other person", "contact", required=True),
            _enum("type", "Kind of tie", RELATIONSHIP_TYPES, required=True),
            _scale("strength", "Strength"),
            _lt("notes", "Notes"),
        ),
        description="An informal tie between two people: influence, alliance, rivalry, mentoring.",
        distinct=(("from_contact_id", "to_contact_id"),),
        section="people",
        located_by=("from_contact_id",),
        shown_on=frozenset({"client"}),  # on the contact card
    ),
    Kind(
        "guideline",
        "Do or don't",
        "Do's and don'ts",
        "text",
        (
            _ref("client_id", "Client", "client", required=True),
            _enum("polarity", "Do or don't", ("do", "dont"), required=True),
            _lt("text", "What", required=True, max_length=2000),
            _lt("why", "Why"),
            _enum("category", "Category", GUIDELINE_CATEGORIES),
            _enum("severity", "Severity", SEVERITIES),
            _enum("scope", "Applies to", SCOPES, required=True),
            _ref("sub_group_id", "Sub-group", "sub_group", same_client=True),
            _ref("site_id", "Site", "site", same_client=True),
            _ref("contact_id", "Person", "contact"),
        ),
        scoped_by=(
            "scope",
            {"client": None, "sub_group": "sub_group_id", "site": "site_id", "contact": "contact_id"},
        ),
        section="guidelines",
        shown_on=frozenset({"client", "meeting", "pack"}),
        feeds_checklist=True,
    ),
    Kind(
        "note",
        "Note",
        "Notes",
        "title",
        (
            _t("title", "Title", max_length=200),
            _lt("body", "Text", required=True),
            _enum("privacy", "Privacy", PRIVACY_TIERS, required=True),
            _ref("client_id", "Client", "client"),
            _ref("site_id", "Site", "site"),
            _ref("contact_id", "Person", "contact"),
        ),
        description="Markdown attached to a client, a site or a person.",
        exactly_one_of=(("client_id", "site_id", "contact_id"),),
        section="notes",
        located_by=("client_id", "site_id.client_id", "contact_id"),
        shown_on=frozenset({"client", "pack"}),
        privacy_field="privacy",
    ),
    Kind(
        "interaction",
        "Interaction",
        "Interactions",
        "summary",
        (
            _ref("client_id", "Client", "client"),
            Field("date", "date", "Date", required=True),
            _enum("channel", "Channel", INTERACTION_CHANNELS, required=True),
            Field("contact_ids", "refs", "People involved", ref_kind="contact"),
            _lt("summary", "Summary"),
            _enum("sentiment", "Sentiment", SENTIMENTS),
            _ref("meeting_id", "Meeting", "meeting", same_client=True),
        ),
        section="activity",
        located_by=("client_id", "contact_ids"),
        shown_on=frozenset({"client", "meeting", "pack"}),
        feeds_checklist=True,
    ),
    Kind(
        "follow_up",
        "Follow-up",
        "Follow-ups",
        "text",
        (
            _ref("interaction_id", "Interaction", "interaction", required=True),
            _t("text", "What", required=True, max_length=1000),
            Field("due", "date", "Due"),
            Field("done", "bool", "Done"),
            _ref("owner_id", "Owner", "colleague"),
        ),
        section="activity",
        located_by=("interaction_id.client_id",),
        shown_on=frozenset({"client", "meeting"}),
        feeds_checklist=True,
    ),
    Kind(
        "checklist_template",
        "Checklist template",
        "Checklist templates",
        "name",
        (
            _t("name", "Name", required=True, max_length=200),
            _lt("description", "Description"),
            _enum("meeting_kind", "For meetings of kind", MEETING_KINDS),
            Field("built_in", "bool", "Built in"),
        ),
        shown_on=frozenset({"meeting", "templates"}),
        feeds_checklist=True,
    ),
    Kind(
        "checklist_template_item",
        "Checklist template item",
        "Checklist template items",
        "text",
        (
            _ref("template_id", "Template", "checklist_template", required=True),
            _t("text", "What", required=True, max_length=1000),
            Field("position", "int", "Position", min=0, max=10_000),
            Field("must", "bool", "Must be done"),
        ),
        shown_on=frozenset({"meeting", "templates"}),
        feeds_checklist=True,
    ),
    Kind(
        "meeting",
        "Meeting",
        "Meetings",
        "title",
        (
            _ref("client_id", "Client", "client", required=True),
            _ref("site_id", "Site", "site", same_client=True),
            _t("title", "Title", required=True, max_length=200),
            Field("starts_at", "datetime", "Starts", required=True),
            Field("ends_at", "datetime", "Ends"),
            # A day-long event: its days are starts_at's and ends_at's UTC dates, the end day included.
            Field("all_day", "bool", "All day"),
            _lt("objectives", "Objectives"),
            _lt("agenda", "Agenda"),
            Field("contact_ids", "refs", "Their attendees", ref_kind="contact"),
            Field("colleague_ids", "refs", "Our attendees", ref_kind="colleague"),
            Field("template_ids", "refs", "Checklist templates", ref_kind="checklist_template"),
            _enum("status", "Status", MEETING_STATUSES),
        ),
        ordered=(("starts_at", "ends_at"),),
        section="meetings",
        focus="id",
        shown_on=frozenset({"client", "meeting"}),
        feeds_checklist=True,
    ),
    Kind(
        "meeting_checklist_item",
        "Meeting checklist item",
        "Meeting checklist items",
        "text",
        (
            _ref("meeting_id", "Meeting", "meeting", required=True),
            _t("text", "What", required=True, max_length=2000),
            _enum("source", "Came from", CHECKLIST_SOURCES),
            Field("done", "bool", "Done"),
            Field("must", "bool", "Must be done"),
            Field("position", "int", "Position", min=0, max=10_000),
            _t("section", "Section", max_length=300),
            _lt("detail", "Detail"),
            # What a composed item was made from ("site:<id>:dress_code"); none for items a person added.
            _t("origin", "Made from", max_length=300),
            # Taken off this meeting's list by the person; recomposing leaves it off.
            Field("removed", "bool", "Removed"),
        ),
        description="One line of a meeting's checklist: composed from templates and knowledge, or added.",
        searchable=False,
        section="meetings",
        located_by=("meeting_id.client_id",),
        focus="meeting_id",
        shown_on=frozenset({"client", "meeting"}),
    ),
)

_INDUCTION: tuple[Kind, ...] = (
    Kind(
        "pack_version",
        "Induction pack version",
        "Induction pack versions",
        "content_hash",
        (
            _ref("client_id", "Client", "client", required=True),
            Field("number", "int", "Version", required=True, min=1, max=1_000_000),
            _t("content_hash", "Content hash", required=True, max_length=100),
            Field("candid", "bool", "With candid assessments"),
            # A change new staff must re-read for: conduct, security, protocols, difficult people.
            Field("material", "bool", "Material change"),
            Field("sections", "strings", "Sections (title|hash)", max_length=300),
            _lt("text", "Text", max_length=5_000_000),
        ),
        description="What a client's induction pack said at one version, so changes can be shown later.",
        searchable=False,
        shown_on=frozenset({"pack"}),
    ),
    Kind(
        "pack_signoff",
        "Induction sign-off",
        "Induction sign-offs",
        "content_hash",
        (
            _ref("client_id", "Client", "client", required=True),
            _ref("colleague_id", "Read by", "colleague", required=True),
            Field("version", "int", "Version read", required=True, min=1, max=1_000_000),
            _t("content_hash", "Content hash", required=True, max_length=100),
            Field("candid", "bool", "With candid assessments"),
            Field("signed_at", "datetime", "Signed", required=True),
        ),
        description="A colleague's word that they read one version of a client's induction pack.",
        searchable=False,
        shown_on=frozenset({"pack"}),
    ),
)

PLAN_TYPES = ("acquire", "retain", "expand", "win_back")
PLAN_STATUSES = ("draft", "active", "closed")
SWOT_QUADRANTS = ("strength", "weakness", "opportunity", "threat")
SWOT_SUBJECTS = ("us", "client")
PERSPECTIVES = ("financial", "customer", "internal_process", "learning_and_growth")
OBJECTIVE_STATUSES = ("not_started", "on_track", "at_risk", "off_track", "achieved", "dropped")
MEASURE_UNITS = ("number", "currency", "percent")
DIRECTIONS = ("up_is_good", "down_is_good")
RISK_CATEGORIES = ("relationship", "commercial", "competitive", "delivery", "contractual", "people")
RISK_STATUSES = ("open", "watching", "closed")
RENEWAL_STATUSES = ("not_due", "to_review", "negotiating", "renewed", "ending")
TIE_TYPES = ("worked_there", "relative_there", "champion")
WARNING_DECISIONS = ("accepted", "dismissed")


def _currency(name: str = "currency", label: str = "Currency") -> Field:
    return _t(name, label, max_length=3, item_format="currency", help="Its three-letter code: EUR, NOK, USD")


_PLANS: tuple[Kind, ...] = (
    Kind(
        "account_plan",
        "Account plan",
        "Account plans",
        "title",
        (
            _ref("client_id", "Client", "client", required=True),
            _t("title", "Title", required=True, max_length=200),
            Field("period_from", "date", "From"),
            Field("period_to", "date", "To"),
            _enum("type", "Type", PLAN_TYPES),
            _enum("status", "Status", PLAN_STATUSES, required=True),
            _lt("strategy", "Our strategy for the account"),
            Field("shared", "bool", "Shared with the client"),
            Field("shared_with_ids", "refs", "Shared with", ref_kind="contact"),
            Field("next_review", "date", "Next review"),
        ),
        description="How we mean to grow, keep or win back one client over a period: one active at a time.",
        ordered=(("period_from", "period_to"),),
        single_when=("status", "active", "client_id"),
        section="plan",
        shown_on=frozenset({"client", "meeting"}),
        feeds_checklist=True,
    ),
    Kind(
        "swot_item",
        "SWOT item",
        "SWOT items",
        "text",
        (
            _ref("plan_id", "Plan", "account_plan", required=True),
            _enum("quadrant", "Quadrant", SWOT_QUADRANTS, required=True),
            _lt("text", "What", required=True, max_length=2000),
            _enum("about", "About", SWOT_SUBJECTS),
            # Candid: kept out of the plan the client reads.
            Field("candid", "bool", "Candid (not for the client)"),
        ),
        section="plan",
        located_by=("plan_id.client_id",),
        shown_on=frozenset({"client"}),
    ),
    Kind(
        "objective",
        "Objective",
        "Objectives",
        "title",
        (
            _ref("plan_id", "Plan", "account_plan", required=True),
            _t("title", "Title", required=True, max_length=300),
            _enum("perspective", "Scorecard perspective", PERSPECTIVES),
            _ref("owner_id", "Our owner", "colleague"),
            _ref("stakeholder_id", "Their stakeholder", "contact"),
            Field("due", "date", "Due"),
            _enum("status", "Status", OBJECTIVE_STATUSES),
        ),
        section="plan",
        located_by=("plan_id.client_id",),
        shown_on=frozenset({"client", "meeting"}),
        feeds_checklist=True,
    ),
    Kind(
        "measure",
        "Measure",
        "Measures",
        "name",
        (
            _ref("objective_id", "Objective", "objective", required=True),
            _t("name", "Name", required=True, max_length=200),
            _enum("unit", "Unit", MEASURE_UNITS, required=True),
            _currency(),
            _enum("direction", "Direction", DIRECTIONS),
            Field("baseline", "number", "Baseline"),
            Field("target", "number", "Target"),
        ),
        section="plan",
        located_by=("objective_id.plan_id.client_id",),
        shown_on=frozenset({"client"}),
    ),
    Kind(
        "measure_reading",
        "Measure reading",
        "Measure readings",
        "date",
        (
            _ref("measure_id", "Measure", "measure", required=True),
            Field("date", "date", "Date", required=True),
            Field("value", "number", "Value", required=True),
            _t("note", "Note", max_length=500),
        ),
        searchable=False,
        section="plan",
        located_by=("measure_id.objective_id.plan_id.client_id",),
        shown_on=frozenset({"client"}),
    ),
    Kind(
        "competitor",
        "Competitor",
        "Competitors",
        "name",
        (
            _t("name", "Name", required=True, max_length=200),
            _lt("strengths", "Their strengths"),
            _lt("weaknesses", "Their weaknesses"),
            _lt("our_answer", "Our answer"),
        ),
        description="A company we compete with, across the workspace.",
        shown_on=frozenset({"client", "meeting"}),
        feeds_checklist=True,
        duplicate_rule="same_title",
    ),
    Kind(
        "competitor_presence",
        "Competitor presence",
        "Competitor presences",
        "footprint",
        (
            _ref("competitor_id", "Competitor", "competitor", required=True),
            _ref("client_id", "Client", "client", required=True),
            _lt("footprint", "Their footprint here"),
        ),
        description="A competitor working at one client, and what they hold there.",
        section="plan",
        shown_on=frozenset({"client"}),
    ),
    Kind(
        "competitor_tie",
        "Tie to a competitor",
        "Ties to competitors",
        "tie",
        (
            _ref("competitor_id", "Competitor", "competitor", required=True),
            _ref("contact_id", "Person", "contact", required=True),
            _enum("tie", "Tie", TIE_TYPES, required=True),
            _lt("notes", "Notes"),
        ),
        description="A person with a tie to a competitor: worked there, a relative there, their champion.",
        section="plan",
        located_by=("contact_id",),
        shown_on=frozenset({"client", "meeting"}),
        feeds_checklist=True,
    ),
)

OPPORTUNITY_STAGES = ("idea", "qualifying", "proposing", "negotiating", "won", "lost", "withdrawn")
OPEN_STAGES = ("idea", "qualifying", "proposing", "negotiating")
QUALIFICATION_LEVELS = ("unknown", "partial", "confirmed")
# MEDDPICC's eight criteria, in its order: (key, label). Each is an opportunity's `<key>_status` and
# `<key>_note`; the economic buyer and the champion also name a person (`<key>_id`).
MEDDPICC = (
    ("metrics", "Metrics"),
    ("economic_buyer", "Economic buyer"),
    ("decision_criteria", "Decision criteria"),
    ("decision_process", "Decision process"),
    ("paper_process", "Paper process"),
    ("pain", "Identified pain"),
    ("champion", "Champion"),
    ("competition", "Competition"),
)
PROPOSITION_STATUSES = ("draft", "approved", "retired")
READINESS_LEVELS = ("ready", "in_progress", "blocked")
# The departments that must be ready before a proposition is sold: (key, label).
DEPARTMENTS = (
    ("finance", "Finance"),
    ("it", "IT"),
    ("logistics", "Logistics"),
    ("production", "Production"),
    ("service", "Service"),
)
CAMPAIGN_STATUSES = ("planned", "running", "paused", "finished")
TARGET_STATUSES = (
    "to_approach",
    "approached",
    "meeting_set",
    "interested",
    "opportunity",
    "declined",
    "not_relevant",
)
# The buying roles a campaign approaches when its proposition names none.
DEFAULT_TARGET_ROLES = ("decision_maker", "economic_buyer", "sponsor")


def _meddpicc_fields() -> tuple[Field, ...]:
    fields: list[Field] = []
    for key, label in MEDDPICC:
        if key in ("economic_buyer", "champion"):
            fields.append(_ref(f"{key}_id", label, "contact", group="meddpicc"))
        fields.append(_enum(f"{key}_status", f"{label}: known", QUALIFICATION_LEVELS, group="meddpicc"))
        fields.append(_lt(f"{key}_note", f"{label}: note", group="meddpicc"))
    return tuple(fields)


def _readiness_fields() -> tuple[Field, ...]:
    fields: list[Field] = []
    for key, label in DEPARTMENTS:
        fields.append(_enum(f"ready_{key}", f"{label} readiness", READINESS_LEVELS, group="readiness"))
        fields.append(_t(f"ready_{key}_note", f"{label}: note", max_length=1000, group="readiness"))
    return tuple(fields)


# The client fields a cohort can look for a value in: one-line fields match it whole, long texts contain
# it (case aside).
COHORT_FILTER_FIELDS = ("name", "industry", "website", "status", "summary", "culture", "politics", "strategy")

_SALES: tuple[Kind, ...] = (
    Kind(
        "proposition",
        "Proposition",
        "Propositions",
        "title",
        (
            _t("title", "Title", required=True, max_length=200),
            _enum("status", "Status", PROPOSITION_STATUSES, required=True),
            _lt("pain", "The pain it solves"),
            _lt("outcomes", "Measurable outcomes"),
            _lt("proof", "Proof (references, cases)"),
            Field("fit_industries", "strings", "Fits industries", max_length=200, group="fit"),
            Field("fit_tags", "strings", "Fits clients tagged", max_length=100, group="fit"),
            Field("fit_functions", "strings", "Fits sub-groups of function", max_length=100, group="fit"),
            Field("fit_roles", "strings", "Buying roles to approach", choices=BUYING_ROLES, group="fit"),
            _lt("objections", "Objections and answers"),
            _ref("owner_id", "Owner", "colleague"),
            _ref("sponsor_id", "Executive sponsor", "colleague"),
            Field("approved_on", "date", "Approved on"),
            *_readiness_fields(),
        ),
        description="What we sell, approved by our executives, and who it is for.",
        shown_on=frozenset({"client", "sales"}),
        duplicate_rule="same_title",
    ),
    Kind(
        "cohort",
        "Cohort",
        "Cohorts",
        "name",
        (
            _t("name", "Name", required=True, max_length=200),
            _lt("description", "Description"),
            Field("tags", "strings", "Clients tagged (any of)", max_length=100),
            Field("industries", "strings", "In the industries", max_length=200),
            Field("statuses", "strings", "With the status", choices=CLIENT_STATUSES),
            Field("owner_ids", "refs", "Owned by", ref_kind="colleague"),
            _enum("field_name", "Whose field", COHORT_FILTER_FIELDS),
            _t("field_value", "Holds the value", max_length=200),
            Field("added_ids", "refs", "Also these clients", ref_kind="client"),
            Field("excluded_ids", "refs", "Leaving out these clients", ref_kind="client"),
        ),
        description="Clients alike enough to be sold the same proposition: a saved filter and exceptions.",
        required_when=(("field_name", (), "field_value"), ("field_value", (), "field_name")),
        shown_on=frozenset({"sales"}),
        duplicate_rule="same_title",
    ),
    Kind(
        "campaign",
        "Campaign",
        "Campaigns",
        "name",
        (
            _t("name", "Name", required=True, max_length=200),
            _ref("proposition_id", "Proposition", "proposition", required=True),
            _ref("cohort_id", "Cohort", "cohort", required=True),
            _ref("owner_id", "Owner", "colleague"),
            Field("starts", "date", "Starts"),
            Field("ends", "date", "Ends"),
            _lt("talk_track", "Talk track"),
            _enum("status", "Status", CAMPAIGN_STATUSES, required=True),
        ),
        description="One proposition pitched to every decision maker of one cohort.",
        ordered=(("starts", "ends"),),
        shown_on=frozenset({"client", "sales"}),
    ),
    Kind(
        "opportunity",
        "Opportunity",
        "Opportunities",
        "title",
        (
            _ref("client_id", "Client", "client", required=True),
            _t("title", "Title", required=True, max_length=300),
            _ref("sub_group_id", "Buying centre (sub-group)", "sub_group", same_client=True),
            _ref("proposition_id", "Proposition", "proposition"),
            _ref("campaign_id", "Campaign", "campaign"),
            _enum("stage", "Stage", OPPORTUNITY_STAGES, required=True),
            Field("value", "number", "Value"),
            _currency(),
            Field("expected_close", "date", "Expected close"),
            _ref("owner_id", "Our owner", "colleague"),
            Field("competitor_ids", "refs", "Competing with", ref_kind="competitor"),
            _lt("compelling_event", "Compelling event"),
            _t("next_step", "Next step", max_length=500),
            Field("next_step_due", "date", "Next step by"),
            _lt("outcome_reason", "Why we won or lost"),
            *_meddpicc_fields(),
        ),
        description="A deal at one client, qualified in MEDDPICC terms.",
        required_when=(("stage", ("won", "lost"), "outcome_reason"),),
        section="deals",
        shown_on=frozenset({"client", "meeting", "sales"}),
        feeds_checklist=True,
    ),
    Kind(
        "opportunity_contact",
        "Person in a deal",
        "People in deals",
        "role",
        (
            _ref("opportunity_id", "Opportunity", "opportunity", required=True),
            _ref("contact_id", "Person", "contact", required=True),
            _enum("role", "Role in this deal", BUYING_ROLES),
            _enum("support", "Support", STANCES),
            _t("note", "Note", max_length=1000),
        ),
        searchable=False,
        section="deals",
        located_by=("opportunity_id.client_id",),
        shown_on=frozenset({"client", "meeting", "sales"}),
        feeds_checklist=True,
    ),
    Kind(
        "campaign_target",
        "Campaign target",
        "Campaign targets",
        "status",
        (
            _ref("campaign_id", "Campaign", "campaign", required=True),
            _ref("client_id", "Client", "client", required=True),
            _ref("contact_id", "Person", "contact"),
            _enum("status", "Status", TARGET_STATUSES, required=True),
            _lt("reason", "Reason"),
            _t("next_step", "Next step", max_length=500),
            Field("next_step_due", "date", "Next step by"),
            _ref("opportunity_id", "Opportunity it became", "opportunity", same_client=True),
            # Drawn with the campaign: a supporter with informal influence on the person, and how to
            # approach them (their channel, their worst times, the client's do's and don'ts).
            _ref("route_via_id", "Approach through", "contact"),
            Field("rank", "int", "Rank", min=0, max=1_000_000),
            _lt("approach", "How to approach"),
        ),
        description="One person (or client) a campaign approaches, and how far it has got.",
        required_when=(("status", ("declined", "not_relevant"), "reason"),),
        distinct=(("contact_id", "route_via_id"),),
        searchable=False,
        section="deals",
        shown_on=frozenset({"client", "sales"}),
    ),
)

REVIEW_KINDS = ("quarterly", "annual", "executive")
SURVEY_STATUSES = ("draft", "running", "closed")
QUESTION_TYPES = ("nps", "csat", "text")
RESPONSE_CHANNELS = ("in_person", "phone", "email", "form")
# The supplier's side of the critical success factors, rated per client and period.
SUCCESS_FACTORS = (
    "focal_point",
    "early_warning",
    "value_for_money",
    "innovation",
    "skills_transfer",
    "teamwork",
)

_REVIEWS: tuple[Kind, ...] = (
    Kind(
        "review",
        "Review",
        "Reviews",
        "title",
        (
            _ref("client_id", "Client", "client", required=True),
            _t("title", "Title", required=True, max_length=200),
            _enum("kind", "Kind", REVIEW_KINDS, required=True),
            Field("held_on", "date", "Held on", required=True),
            Field("period_from", "date", "Period from"),
            Field("period_to", "date", "Period to"),
            _ref("meeting_id", "Held in the meeting", "meeting", same_client=True),
            _scale("our_rating", "Our rating"),
            _scale("their_rating", "Their rating"),
            _lt("went_well", "What went well"),
            _lt("went_badly", "What went badly"),
            # Kept out of the review pack the client reads.
            _lt("internal_notes", "Internal assessment (not for the client)"),
            Field("next_review", "date", "Next review"),
        ),
        description="A review of the account's performance held with the client.",
        ordered=(("period_from", "period_to"),),
        section="scorecard",
        shown_on=frozenset({"client", "meeting", "portfolio"}),
        feeds_checklist=True,  # a review falling due, its agreed actions
    ),
    Kind(
        "success_factor_rating",
        "Success factor rating",
        "Success factor ratings",
        "factor",
        (
            _ref("client_id", "Client", "client", required=True),
            _enum("factor", "Success factor", SUCCESS_FACTORS, required=True),
            Field("period_from", "date", "Period from", required=True),
            Field("period_to", "date", "Period to"),
            _scale("rating", "Rating", required=True),
            _lt("evidence", "Evidence"),
        ),
        description="How well we met one of the client's critical success factors over a period.",
        ordered=(("period_from", "period_to"),),
        searchable=False,
        section="scorecard",
        shown_on=frozenset({"client", "portfolio"}),
    ),
    Kind(
        "survey",
        "Survey",
        "Surveys",
        "title",
        (
            _t("title", "Title", required=True, max_length=200),
            _enum("status", "Status", SURVEY_STATUSES, required=True),
            _lt("introduction", "Introduction shown to the person answering"),
            Field("starts", "date", "Starts"),
            Field("ends", "date", "Ends"),
        ),
        description="A satisfaction survey: its questions, asked of clients' people.",
        ordered=(("starts", "ends"),),
        duplicate_rule="same_title",
        shown_on=frozenset({"portfolio"}),
    ),
    Kind(
        "survey_question",
        "Survey question",
        "Survey questions",
        "text",
        (
            _ref("survey_id", "Survey", "survey", required=True),
            _enum("type", "Type", QUESTION_TYPES, required=True),
            _t("text", "Question", required=True, max_length=500),
            Field("position", "int", "Position", min=0, max=10_000),
        ),
        searchable=False,
        shown_on=frozenset({"portfolio"}),
    ),
    Kind(
        "survey_response",
        "Survey response",
        "Survey responses",
        "comment",
        (
            _ref("survey_id", "Survey", "survey", required=True),
            _ref("client_id", "Client", "client", required=True),
            _ref("contact_id", "Person", "contact"),
            Field("date", "date", "Date", required=True),
            _enum("channel", "Channel", RESPONSE_CHANNELS, required=True),
            _lt("comment", "Verbatim comment"),
            _ref("meeting_id", "Taken in the meeting", "meeting", same_client=True),
        ),
        description="One person's answers to a survey.",
        section="scorecard",
        shown_on=frozenset({"client", "portfolio"}),
        feeds_checklist=True,  # a detractor attending
    ),
    Kind(
        "survey_answer",
        "Survey answer",
        "Survey answers",
        "text",
        (
            _ref("response_id", "Response", "survey_response", required=True),
            _ref("question_id", "Question", "survey_question", required=True),
            # NPS 0–10, CSAT 1–5 (the question's type says which); free text in `text`.
            Field("score", "int", "Score", min=0, max=10),
            _lt("text", "Answer"),
        ),
        searchable=False,
        section="scorecard",
        located_by=("response_id.client_id",),
        shown_on=frozenset({"client"}),
        feeds_checklist=True,  # a detractor's score
    ),
)

# Risks and actions come after the deals and reviews they may belong to.
_PLAN_FOLLOW_THROUGH: tuple[Kind, ...] = (
    Kind(
        "risk",
        "Risk",
        "Risks",
        "title",
        (
            _ref("client_id", "Client", "client", required=True),
            _t("title", "Title", required=True, max_length=300),
            _enum("category", "Category", RISK_CATEGORIES),
            _scale("likelihood", "Likelihood"),
            _scale("impact", "Impact"),
            _lt("trigger", "Trigger"),
            _lt("mitigation", "Mitigation"),
            _lt("contingency", "Contingency"),
            _ref("owner_id", "Owner", "colleague"),
            Field("contact_ids", "refs", "People involved", ref_kind="contact"),
            _ref("competitor_id", "Competitor", "competitor"),
            _ref("opportunity_id", "Opportunity", "opportunity", same_client=True),
            _enum("status", "Status", RISK_STATUSES, required=True),
            Field("next_review", "date", "Next review"),
            # A risk the client knows of and works on with us: the client's review pack lists it.
            Field("shareable", "bool", "Share with the client in review packs"),
            # The early warning it was accepted from ("champion_left:<position id>"), if any.
            _t("warning", "Raised by warning", max_length=300, searchable=False),
        ),
        section="plan",
        shown_on=frozenset({"client", "meeting"}),
        feeds_checklist=True,
    ),
    Kind(
        "action",
        "Action",
        "Actions",
        "text",
        (
            _ref("objective_id", "Objective", "objective"),
            _ref("risk_id", "Risk", "risk"),
            _ref("opportunity_id", "Opportunity", "opportunity"),
            _ref("review_id", "Agreed in the review", "review"),
            _t("text", "What", required=True, max_length=1000),
            _ref("owner_id", "Owner", "colleague"),
            _ref("contact_id", "Person involved", "contact"),
            Field("due", "date", "Due"),
            Field("done", "bool", "Done"),
        ),
        description="A step toward an objective, against a risk, in a deal or agreed in a review.",
        exactly_one_of=(("objective_id", "risk_id", "opportunity_id", "review_id"),),
        section="plan",
        located_by=(
            "objective_id.plan_id.client_id",
            "risk_id.client_id",
            "opportunity_id.client_id",
            "review_id.client_id",
        ),
        shown_on=frozenset({"client", "meeting"}),
        feeds_checklist=True,
    ),
    Kind(
        "contract",
        "Contract",
        "Contracts",
        "title",
        (
            _ref("client_id", "Client", "client", required=True),
            _t("title", "Title", required=True, max_length=300),
            Field("starts", "date", "Starts"),
            Field("ends", "date", "Ends"),
            Field("notice_by", "date", "Notice by"),
            Field("value", "number", "Value"),
            _currency(),
            _lt("obligations", "Obligations"),
            _enum("renewal_status", "Renewal", RENEWAL_STATUSES),
        ),
        ordered=(("starts", "ends"), ("notice_by", "ends")),
        section="plan",
        shown_on=frozenset({"client", "meeting"}),
        feeds_checklist=True,
    ),
    Kind(
        "warning_decision",
        "Early warning decision",
        "Early warning decisions",
        "warning",
        (
            _ref("client_id", "Client", "client", required=True),
            _t("warning", "Warning", required=True, max_length=300),
            _enum("decision", "Decision", WARNING_DECISIONS, required=True),
            _ref("risk_id", "Risk it became", "risk"),
        ),
        description="What a person made of an early warning: accepted as a risk, or dismissed.",
        searchable=False,
        section="plan",
        shown_on=frozenset({"client"}),
    ),
)

# Every kind, in an order where a kind comes after those it references (imports write in this order).
# A list, so a kind added at run time (`register`) is seen by every part that reads the table.
KINDS: list[Kind] = [*_FIRST_WAVE, *_INDUCTION, *_PLANS, *_SALES, *_REVIEWS, *_PLAN_FOLLOW_THROUGH]
KINDS_BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}


def register(kind: Kind) -> None:
    """Adds a kind to the table, after the kinds it references. Its store table comes from a migration,
    as every kind's does; search, sync, export and import, the command line and navigation need nothing
    more."""
    if kind.name in KINDS_BY_NAME:
        raise ValueError(f"There is a record kind '{kind.name}' already.")
    missing = {f.ref_kind for f in kind.fields if f.is_reference} - set(KINDS_BY_NAME) - {kind.name}
    if missing:
        raise ValueError(f"{kind.name} references kinds that do not exist: {', '.join(sorted(missing))}.")
    KINDS.append(kind)
    KINDS_BY_NAME[kind.name] = kind


def unregister(name: str) -> None:
    """Takes a kind added by `register` out of the table again."""
    KINDS.remove(KINDS_BY_NAME.pop(name))


def get_kind(name: str) -> Kind:
    """The kind called `name`, or an error that lists the kinds there are."""
    try:
        return KINDS_BY_NAME[name]
    except KeyError:
        # Imported here, not on every call: the write path asks for a kind per reference it checks.
        from companion.model.errors import UnknownKindError

        known = ", ".join(KINDS_BY_NAME)
        raise UnknownKindError(f"There is no record kind '{name}'. Kinds: {known}.") from None


def referencing_fields(kind_name: str) -> list[tuple[Kind, Field]]:
    """Every (kind, field) whose references point at records of `kind_name`."""
    return [(k, f) for k in KINDS for f in k.fields if f.is_reference and f.ref_kind == kind_name]


def kinds_shown_on(page: str) -> frozenset[str]:
    """The kinds whose records the page reads: a change to one of them makes the page read itself again."""
    return frozenset(k.name for k in KINDS if page in k.shown_on)


def checklist_inputs() -> frozenset[str]:
    """The kinds a meeting's composed checklist is made from."""
    return frozenset(k.name for k in KINDS if k.feeds_checklist)
