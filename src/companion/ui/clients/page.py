"""One client's page: a header, then sections for overview, people, plan, deals, scorecard, culture, do's and
don'ts, sites, activity, meetings, notes."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from companion.core.account_plan import PlanSection
from companion.core.changes import ChangeSet
from companion.core.client_view import ClientPage
from companion.model.errors import NotFoundError, ValidationError
from companion.model.kinds import SECTIONS, Field, get_kind, kinds_shown_on
from companion.model.labels import choice_label
from companion.ui.clients import operations, scorecard_operations
from companion.ui.clients.deals_tab import DealsTab
from companion.ui.clients.plan_tab import PLAN_FIELDS, PlanTab
from companion.ui.clients.scorecard_tab import ScorecardTab
from companion.ui.clients.tabs import (
    CULTURE_FIELDS,
    OVERVIEW_FIELDS,
    SITE_FIELDS,
    ActivityTab,
    CultureTab,
    GuidelinesTab,
    MeetingsTab,
    NotesTab,
    OverviewTab,
    SitesTab,
)
from companion.ui.common.edits import EditController
from companion.ui.common.elided_label import ElidedLabel
from companion.ui.common.record_actions import RecordActions, ask_then_delete
from companion.ui.common.record_dialog import NewRecordDialog
from companion.ui.common.record_form import RecordForm
from companion.ui.common.worker import Failure
from companion.ui.people.contacts_drop import ContactsDrop
from companion.ui.people.move_dialog import MovePersonDialog
from companion.ui.people.tab import PeopleTab

# What the form of each kind shows when a record is opened from this page: what ties it to the client
# is left out (moving a person is its own dialog), and lists of people that a form cannot pick yet.
# The fields each kind's form shows here, when adding one and when editing it.
EDIT_FIELDS = {
    "position": tuple(
        f.name for f in get_kind("position").fields if f.name not in ("contact_id", "client_id")
    ),
    "sub_group": ("name", "parent_id", "description", "culture"),
    "guideline": (
        "polarity",
        "text",
        "why",
        "category",
        "severity",
        "scope",
        "sub_group_id",
        "site_id",
        "contact_id",
    ),
    "note": ("title", "body", "privacy"),
    "interaction": ("date", "channel", "sentiment", "summary"),
    "follow_up": ("text", "due", "done", "owner_id"),
    # Who a relationship is between is what it is: another pair is another relationship.
    "relationship": ("type", "strength", "notes"),
    **PLAN_FIELDS,
}
# A role at another client is edited without the references that only its own client's page offers.
ELSEWHERE_POSITION_FIELDS = tuple(
    name for name in EDIT_FIELDS["position"] if get_kind("position").field(name).type != "ref"
)


class ClientPageView(QWidget):
    """Shows one client and saves every edit made on it as the person goes."""

    sig_closed = Signal()
    """The client shown was deleted; the window should go elsewhere."""
    sig_pin_toggled = Signal(str)
    """The person pinned or unpinned this client (its id)."""
    sig_log_requested = Signal(str)
    """The person wants to log an interaction with this client."""
    sig_meeting_opened = Signal(str)
    """The person opened one of the client's meetings (its id)."""
    sig_plan_requested = Signal(str)
    """The person wants to plan a meeting with this client (its id)."""
    sig_pack_requested = Signal(str)
    """The person wants to read this client's induction pack (its id)."""
    sig_record_opened = Signal(str, str)
    """The person chose a record shown elsewhere (a scorecard figure's source): (kind, id)."""
    sig_contacts_dropped = Signal(list, str)
    """Files were dropped on the People section: (their paths, this client's id), to import into it."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self.page: ClientPage | None = None
        self.client_id: str | None = None
        self.colleagues: list[tuple[str, str]] = []
        self.clients: list[tuple[str, str]] = []
        self._ticket: int | None = None
        self.plan_section: PlanSection | None = None
        self._plan_ticket: int | None = None
        self._plan_asked = 0
        self._plan_lookup: tuple[str, str] | None = None
        self._plan_id: str | None = None  # the plan the person chose to see, if not the one shown first
        self._selected_contact: str | None = None
        self._pending_edit: tuple[str, str] | None = None
        self._build_ui()
        self._connect_signals()

    def _ref_choices(self, field: Field) -> list[tuple[str, str]]:
        page = self.page
        if field.ref_kind == "colleague":
            return self.colleagues
        if page is None:
            return []
        if field.ref_kind == "site":
            return [(s.id, str(s["name"])) for s in page.sites]
        if field.ref_kind == "sub_group":
            return [(g.id, str(g["name"])) for g in page.sub_groups]
        if field.ref_kind == "position":
            return [
                (p.position.id, f"{p.name} — {p.position['title'] or ''}") for p in page.people if p.current
            ]
        if field.ref_kind == "contact":
            current = [(p.contact.id, p.name) for p in page.people if p.current]
            if field.type == "refs":
                # A list may name people who have left (a risk raised when a champion left): by name.
                here = {i for i, _name in current}
                current += [
                    (p.contact.id, f"{p.name} (left)") for p in page.people if p.contact.id not in here
                ]
            return current
        return self._plan_choices(field)

    def _plan_choices(self, field: Field) -> list[tuple[str, str]]:
        """Choices among the plan's records: its objectives, the client's risks, every competitor."""
        section = self.plan_section
        if section is None or section.client.id != self.client_id:
            return []
        if field.ref_kind == "account_plan":
            return [(p.id, str(p["title"])) for p in section.plans]
        if field.ref_kind == "objective":
            return [(o.objective.id, str(o.objective["title"])) for o in section.objectives]
        if field.ref_kind == "measure":
            return [(m.measure.id, str(m.measure["name"])) for o in section.objectives for m in o.measures]
        if field.ref_kind == "risk":
            return [(r.id, str(r["title"])) for r in section.risks]
        if field.ref_kind == "competitor":
            return list(section.competitor_choices)
        return []

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        header = QHBoxLayout()
        self.title = ElidedLabel()
        self.title.setProperty("role", "heading")
        self.subtitle = ElidedLabel()
        self.subtitle.setProperty("role", "muted")
        self.pin_button = QPushButton()
        self.pin_button.setCheckable(True)
        self.pin_button.setAccessibleName(self.tr("Pin client"))
        self.delete_button = QPushButton(self.tr("Delete client…"))
        self.pack_button = QPushButton(self.tr("Induction pack"))
        self.pack_button.setToolTip(self.tr("Read what new staff read about this client (Ctrl+I)"))
        header.addWidget(self.title, 2)
        header.addWidget(self.subtitle, 3)
        header.addWidget(self.pack_button)
        header.addWidget(self.pin_button)
        header.addWidget(self.delete_button)
        layout.addLayout(header)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.overview = OverviewTab(RecordForm("client", OVERVIEW_FIELDS, ref_choices=self._ref_choices))
        self.people = PeopleTab()
        self.contacts_drop = ContactsDrop(self.people)
        for chart in (self.people.org_chart, self.people.relationship_map):
            self.contacts_drop.watch(chart.viewport())  # charts take drops of their own otherwise
        self.plan = PlanTab()
        self.deals = DealsTab(self.edits, self._ref_choices)
        self.scorecard = ScorecardTab(self.edits, self._ref_choices)
        self.culture = CultureTab(RecordForm("client", CULTURE_FIELDS, ref_choices=self._ref_choices))
        self.guidelines = GuidelinesTab()
        self.sites = SitesTab(RecordForm("site", SITE_FIELDS, ref_choices=self._ref_choices))
        self.activity = ActivityTab()
        self.meetings = MeetingsTab()
        self.notes = NotesTab()
        for widget, label in (
            (self.overview, self.tr("Overview")),
            (self.people, self.tr("People")),
            (self.plan, self.tr("Plan")),
            (self.deals, self.tr("Deals")),
            (self.scorecard, self.tr("Scorecard")),
            (self.culture, self.tr("Culture")),
            (self.guidelines, self.tr("Do's && don'ts")),
            (self.sites, self.tr("Sites")),
            (self.activity, self.tr("Activity")),
            (self.meetings, self.tr("Meetings")),
            (self.notes, self.tr("Notes")),
        ):
            self.tabs.addTab(widget, label)
        layout.addWidget(self.tabs, 1)

    def _connect_signals(self) -> None:
        for form in self.forms():
            form.sig_save_requested.connect(self._on_form_save_requested)
        self.people.sig_person_selected.connect(self._on_people_person_selected)
        self.contacts_drop.sig_dropped.connect(
            lambda files, _where: self.client_id and self.sig_contacts_dropped.emit(files, self.client_id)
        )
        self.people.sig_add_requested.connect(self._on_people_add_requested)
        self.people.card.sig_edit_requested.connect(self._on_card_edit_requested)
        self.people.card.sig_move_requested.connect(self._on_card_move_requested)
        self.guidelines.sig_add_requested.connect(self._on_guidelines_add_requested)
        self.sites.sig_add_requested.connect(lambda: self._add("site", SITE_FIELDS))
        self.culture.sig_add_sub_group_requested.connect(
            lambda: self._add("sub_group", EDIT_FIELDS["sub_group"])
        )
        self.notes.sig_add_requested.connect(
            lambda: self._add("note", EDIT_FIELDS["note"], initial={"privacy": "team"})
        )
        self.activity.sig_log_requested.connect(
            lambda: self.client_id and self.sig_log_requested.emit(self.client_id)
        )
        self.meetings.sig_meeting_opened.connect(self.sig_meeting_opened)
        self.scorecard.sig_record_opened.connect(self.sig_record_opened)
        self.meetings.sig_plan_requested.connect(
            lambda: self.client_id and self.sig_plan_requested.emit(self.client_id)
        )
        self.pack_button.clicked.connect(
            lambda: self.client_id and self.sig_pack_requested.emit(self.client_id)
        )
        self.pin_button.clicked.connect(lambda: self.client_id and self.sig_pin_toggled.emit(self.client_id))
        self.delete_button.clicked.connect(
            lambda: self.client_id and self.delete_record("client", self.client_id)
        )
        self.people.card.sig_delete_requested.connect(self.delete_record)
        self.people.card.sig_add_relationship_requested.connect(self._on_card_add_relationship_requested)
        self._attach_record_actions()
        self.people.sig_value_edited.connect(self._on_form_save_requested)
        self.activity.sig_follow_up_done.connect(
            lambda follow_up_id, done: self.edits.update("follow_up", follow_up_id, {"done": done})
        )
        self.activity.sig_follow_up_snoozed.connect(self._on_activity_follow_up_snoozed)
        self.plan.sig_add_requested.connect(self._on_plan_add_requested)
        self.plan.sig_edit_requested.connect(self._on_plan_edit_requested)
        self.plan.sig_delete_requested.connect(
            lambda kind, record_id, title: ask_then_delete(self, self.edits, kind, record_id, title=title)
        )
        self.plan.sig_action_done.connect(
            lambda action_id, done: self.edits.update("action", action_id, {"done": done})
        )
        self.plan.sig_plan_chosen.connect(self._on_plan_plan_chosen)

    def _attach_record_actions(self) -> None:
        """Every record this page lists opens for editing (Enter, double-click), and Delete asks once."""
        self.record_actions = {
            name: RecordActions(
                view, self.edits, ref_choices=self._ref_choices, fields=EDIT_FIELDS, on_edit=on_edit
            )
            for name, view, on_edit in (
                ("people", self.people.table, None),
                ("guidelines", self.guidelines.tree, None),
                ("sites", self.sites.list, self._on_sites_edit_requested),
                ("notes", self.notes.list, None),
                (
                    "meetings",
                    self.meetings.records,
                    lambda _kind, meeting_id: self.sig_meeting_opened.emit(meeting_id),
                ),
                ("sub_groups", self.culture.sub_groups, None),
                ("role_models", self.culture.role_models, None),
                ("activity", self.activity.tree, None),
                ("card", self.people.card.records, self._on_card_record_edit_requested),
                *((f"plan_{number}", view, None) for number, view in enumerate(self.plan.views())),
            )
        }
        for name, button in (
            ("guidelines", self.guidelines.delete_button),
            ("sites", self.sites.delete_button),
            ("notes", self.notes.delete_button),
            ("activity", self.activity.delete_button),
        ):
            button.clicked.connect(self.record_actions[name].delete_current)

    def _on_sites_edit_requested(self, _kind: str, _site_id: str) -> None:
        """A site's form is beside its list: Enter goes to it."""
        self.sites.form.focus_first()

    def _on_activity_follow_up_snoozed(self, follow_up_id: str) -> None:
        self.edits.run(partial(operations.snooze_follow_up, follow_up_id=follow_up_id))

    def forms(self) -> list[RecordForm]:
        return [self.overview.form, self.culture.form, self.sites.form]

    # --- loading -------------------------------------------------------------------------

    def show_client(self, client_id: str) -> None:
        if client_id != self.client_id:
            self.page = None
            self._plan_id = None
            self.plan_section = None
            self.plan.setEnabled(False)  # its buttons would add to the last client's plan until read
            self._selected_contact = None
            self.people.card.show_career(None)
        self.client_id = client_id
        self.reload()

    def reload(self) -> None:
        if self.client_id is None:
            return
        if self._ticket is not None:
            self.edits.worker.cancel(self._ticket)
        client_id = self.client_id
        self._ticket = self.edits.worker.submit(
            partial(operations.client_page, client_id=client_id), self._on_page_loaded, self._on_page_failed
        )
        self._load_plan()
        self.deals.load(client_id)
        self.scorecard.load(client_id)

    def _load_plan(self) -> None:
        if self._plan_ticket is not None:
            self.edits.worker.cancel(self._plan_ticket)
        # Each read is numbered: an answer to an older one (its plan since changed) is dropped.
        self._plan_asked += 1
        self._plan_ticket = self.edits.worker.submit(
            partial(operations.plan_section, client_id=self.client_id, plan_id=self._plan_id),
            partial(self._on_plan_loaded, self._plan_asked),
            self._on_plan_failed,
        )

    def _on_plan_failed(self, failure: Failure) -> None:
        self._plan_ticket = None
        if not isinstance(failure.error, NotFoundError):  # the client itself gone: the page says so
            self.edits.sig_failed.emit(failure)

    def _on_plan_loaded(self, asked: int, section: PlanSection) -> None:
        if asked != self._plan_asked:
            return
        self._plan_ticket = None
        if section.client.id != self.client_id:
            return
        self.plan_section = section
        self.plan.show_section(section)
        self.plan.setEnabled(True)
        if self._ticket is None:
            self._open_pending_edit()

    def _on_plan_plan_chosen(self, plan_id: str) -> None:
        self._plan_id = plan_id
        self._load_plan()

    def _on_plan_add_requested(self, kind: str, fixed: dict, initial: dict) -> None:
        self._add(kind, PLAN_FIELDS[kind], initial=initial, fixed=fixed)

    def _on_plan_edit_requested(self, kind: str, record_id: str) -> None:
        from companion.ui.common.edit_dialog import EditRecordDialog

        EditRecordDialog(
            self.edits,
            kind,
            record_id,
            fields=EDIT_FIELDS.get(kind),
            ref_choices=self._ref_choices,
            parent=self,
        ).open()

    def _on_page_loaded(self, page: ClientPage) -> None:
        self._ticket = None
        if page.client.id != self.client_id:
            return
        self.page = page
        client = page.client
        self.title.setText(str(client["name"]))
        facts = [choice_label(str(client["status"])) if client["status"] else ""]
        if client["industry"]:
            facts.append(str(client["industry"]))
        if client["owner_id"]:
            facts.append(self.tr("owner {0}").format(page.name(client["owner_id"])))
        if client["tags"]:
            facts.append(" ".join(f"#{t}" for t in client["tags"]))
        self.subtitle.setText(" · ".join(f for f in facts if f))
        for tab in (
            self.overview,
            self.culture,
            self.guidelines,
            self.sites,
            self.activity,
            self.meetings,
            self.notes,
        ):
            tab.show_page(page)
        self.people.set_people(list(page.people))
        if self._selected_contact:
            self._on_people_person_selected(self._selected_contact)
        if self._plan_ticket is None:
            self._open_pending_edit()

    def _on_page_failed(self, failure: Failure) -> None:
        self._ticket = None
        if isinstance(failure.error, NotFoundError):
            self.client_id = None
            self.sig_closed.emit()
        else:
            self.edits.sig_failed.emit(failure)

    def set_pinned(self, pinned: bool) -> None:
        self.pin_button.setChecked(pinned)
        self.pin_button.setText(self.tr("Unpin") if pinned else self.tr("Pin"))

    def on_changed(self, changes: ChangeSet) -> None:
        """Reloads when a change touches this page's kinds (cheap: one read on the worker)."""
        shown_here = kinds_shown_on("client")
        if self.client_id and any(c.kind in shown_here for c in changes.changes):
            self.reload()

    # --- editing -------------------------------------------------------------------------

    def _on_form_save_requested(self, kind: str, record_id: str, values: dict) -> None:
        form = self.sender() if isinstance(self.sender(), RecordForm) else None

        def saved(_changes: ChangeSet) -> None:
            if form is not None:
                for name in values:
                    form.clear_error(name)

        def refused(failure: Failure) -> None:
            if (
                form is not None
                and isinstance(failure.error, ValidationError)
                and form.show_save_error(failure.error)
            ):
                return
            self.edits.sig_failed.emit(failure)

        self.edits.update(kind, record_id, values, on_done=saved, on_error=refused)

    def delete_record(self, kind: str, record_id: str) -> None:
        """Asks once, naming what depends on it, then deletes (undo brings it all back)."""
        title = self.page.name(record_id) if self.page is not None else ""
        if kind == "client" and self.page is not None:
            title = str(self.page.client["name"])
        ask_then_delete(self, self.edits, kind, record_id, title=title)

    def _add(
        self, kind: str, fields, *, initial: dict | None = None, fixed: dict | None = None
    ) -> NewRecordDialog | None:
        if self.client_id is None:
            return None
        # Records of the client carry it; competitors are the workspace's, and a plan's parts their plan's.
        tied = {"client_id": self.client_id} if get_kind(kind).client_field else {}
        dialog = NewRecordDialog(
            self.edits,
            kind,
            fields=fields,
            fixed={**tied, **(fixed or {})},
            initial=initial,
            ref_choices=self._ref_choices,
            parent=self,
        )
        dialog.open()
        return dialog

    def _on_guidelines_add_requested(self) -> None:
        self._add(
            "guideline",
            EDIT_FIELDS["guideline"],
            initial={"polarity": "dont", "scope": "client", "severity": "should"},
        )

    def _on_people_add_requested(self) -> None:
        dialog = NewPersonDialog(self.edits, self.client_id, self._ref_choices, parent=self)
        dialog.open()

    def show_section(self, section: str) -> None:
        """One of the kinds table's sections (model.kinds.SECTIONS): each has a tab of that name here."""
        if section in SECTIONS:
            self.tabs.setCurrentWidget(getattr(self, section))

    def edit_record(self, kind: str, record_id: str) -> None:
        """Selects a record where this page lists it and opens its form, once the page shows it (search
        opens records for editing). A client and a person are read and edited on the page itself: the
        Overview's Edit switch, the card's Edit person…"""
        if kind in ("client", "contact"):
            return
        if get_kind(kind).section == "deals":
            self._pending_edit = self._plan_lookup = None
            self.deals.open_record(kind, record_id)
            return
        if get_kind(kind).section == "scorecard":
            self._pending_edit = self._plan_lookup = None
            self.scorecard.open_record(kind, record_id)
            return
        if kind == "action":
            # An action agreed in a review is listed under its review on the Scorecard section.
            self._pending_edit = None
            self._plan_lookup = (kind, record_id)
            self.edits.worker.submit(
                partial(scorecard_operations.review_of_action, action_id=record_id),
                partial(self._on_review_of_action_found, record_id),
                self._on_page_failed,
            )
            return
        self._edit_plan_record(kind, record_id)

    def _on_review_of_action_found(self, action_id: str, review_id: str | None) -> None:
        if self._plan_lookup != ("action", action_id):
            return  # another record was asked for since
        if review_id is None:
            self._edit_plan_record("action", action_id)
            return
        self._plan_lookup = None
        self.show_section("scorecard")
        self.scorecard.open_record("action", action_id)

    def _edit_plan_record(self, kind: str, record_id: str) -> None:
        """A record of the Plan section (or of none: its form alone), once its plan is shown."""
        if get_kind(kind).section == "plan":
            # A part of another of the client's plans than the one shown: that plan is shown first, so
            # the record waits (not yet pending) until its plan is known.
            self._pending_edit = None
            self._plan_lookup = (kind, record_id)
            self.edits.worker.submit(
                partial(operations.plan_of, kind=kind, record_id=record_id),
                partial(self._on_plan_of_found, (kind, record_id)),
                self._on_page_failed,
            )
            return
        self._plan_lookup = None
        self._pending_edit = (kind, record_id)
        self._open_when_loaded()

    def _on_plan_of_found(self, target: tuple[str, str], plan_id: str | None) -> None:
        if self._plan_lookup != target:
            return  # another record was asked for since
        self._plan_lookup = None
        self._pending_edit = target
        shown = self.plan_section.plan if self.plan_section is not None else None
        if plan_id is not None and (shown is None or shown.id != plan_id):
            self._plan_id = plan_id
            self._load_plan()  # opens the pending edit once loaded
            return
        self._open_when_loaded()

    def _open_when_loaded(self) -> None:
        loaded = self._ticket is None and self._plan_ticket is None
        if loaded and self.page is not None and self.page.client.id == self.client_id:
            self._open_pending_edit()

    def _open_pending_edit(self) -> None:
        target, self._pending_edit = self._pending_edit, None
        if target is None:
            return
        for actions in self.record_actions.values():
            if actions.select(*target):
                actions.edit(*target)
                return
        # Listed nowhere yet (a relationship, before the person's card is read): its form alone.
        self._on_card_record_edit_requested(*target)

    def show_person(self, contact_id: str) -> None:
        """Their card on the People section (search and home open people here)."""
        self._on_people_person_selected(contact_id)

    def _on_people_person_selected(self, contact_id: str) -> None:
        self._selected_contact = contact_id
        self.people.highlight(contact_id)
        owner_names = dict(self.colleagues)

        def shown(career) -> None:
            if self._selected_contact == contact_id:
                owner = (
                    owner_names.get(str(career.contact["owner_id"]), "") if career.contact["owner_id"] else ""
                )
                self.people.card.show_career(career, owner_name=owner)

        self.edits.worker.submit(partial(operations.career, contact_id=contact_id), shown, lambda _f: None)

    def _on_card_move_requested(self, contact_id: str) -> MovePersonDialog | None:
        person = (
            next((p for p in self.page.people if p.contact.id == contact_id and p.current), None)
            if self.page
            else None
        )
        if person is None:
            self.edits.sig_failed.emit(
                Failure(NotFoundError(self.tr("This person has no current role here to move from.")), "")
            )
            return None
        dialog = MovePersonDialog(
            self.edits,
            contact_id=contact_id,
            person_name=person.name,
            from_position_id=person.position.id,
            from_client_id=str(self.client_id),
            clients=self.clients,
            parent=self,
        )
        dialog.open()
        return dialog

    def _on_card_record_edit_requested(self, kind: str, record_id: str) -> QWidget:
        """A role or relationship from the card, in its form (a role elsewhere without this client's choices)."""
        from companion.ui.common.edit_dialog import EditRecordDialog

        fields = EDIT_FIELDS.get(kind)
        if kind == "position" and not any(
            p.position.id == record_id for p in (self.page.people if self.page else ())
        ):
            fields = ELSEWHERE_POSITION_FIELDS
        dialog = EditRecordDialog(
            self.edits, kind, record_id, fields=fields, ref_choices=self._ref_choices, parent=self
        )
        dialog.open()
        return dialog

    def _on_card_add_relationship_requested(self, contact_id: str) -> NewRecordDialog:
        """A relationship of this person's with someone else at this client."""
        others = [(p.contact.id, p.name) for p in (self.page.people if self.page else ()) if p.current]
        dialog = NewRecordDialog(
            self.edits,
            "relationship",
            fields=("to_contact_id", "type", "strength", "notes"),
            fixed={"from_contact_id": contact_id},
            ref_choices=lambda field: [(i, name) for i, name in others if i != contact_id],
            title=self.tr("New relationship"),
            parent=self,
        )
        dialog.open()
        return dialog

    def _on_card_edit_requested(self, contact_id: str) -> None:
        from companion.ui.common.edit_dialog import EditRecordDialog

        dialog = EditRecordDialog(
            self.edits, "contact", contact_id, ref_choices=self._ref_choices, parent=self
        )
        dialog.open()


class NewPersonDialog(NewRecordDialog):
    """Adds a person and their position at this client in one undoable change."""

    def __init__(self, edits: EditController, client_id: str, ref_choices, parent: QWidget | None = None):
        self.client_id = client_id
        super().__init__(
            edits,
            "position",
            fields=(
                "title",
                "reports_to_id",
                "buying_role",
                "influence",
                "stance",
                "work_email",
                "work_phone",
                "site_id",
                "sub_group_id",
                "role_model",
                "role_model_reassess_by",
                "started",
            ),
            fixed={"client_id": client_id},
            ref_choices=ref_choices,
            title=edits.tr("Add a person"),
            parent=parent,
        )
        self.person_form = RecordForm(
            "contact", ("name", "relationship_strength", "preferred_channel", "visit_frequency_days")
        )
        self.person_form.start_draft()
        self.layout().insertWidget(0, self.person_form)

    def _on_buttons_accepted(self) -> None:
        person = self.person_form.collect()
        role = self.form.collect()
        if person is None or role is None:
            return
        from companion.core.changes import Edit
        from companion.model.ids import new_id

        contact_id = new_id()
        edits = [
            Edit("create", "contact", contact_id, person),
            Edit(
                "create", "position", values={**role, "client_id": self.client_id, "contact_id": contact_id}
            ),
        ]
        self.save(partial(operations.write, edits=edits, label="Add person"))

    def show_in_form(self, error: BaseException) -> bool:
        form = self.person_form if getattr(error, "kind", None) == "contact" else self.form
        return isinstance(error, ValidationError) and form.show_save_error(error)
