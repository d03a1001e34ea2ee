"""Plan a meeting: client, site, time, objectives, who comes and which checklists; the checklist is composed."""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from companion.core.changes import ChangeSet
from companion.model.kinds import Field
from companion.ui.common.edits import EditController
from companion.ui.common.record_form import RecordForm
from companion.ui.common.saving_dialog import SavingDialog
from companion.ui.meetings import operations
from companion.ui.meetings.page import checkable_list, checked_ids, fill_checkable

FIELDS = ("title", "site_id", "starts_at", "ends_at", "objectives", "agenda")


class PlanMeetingDialog(SavingDialog):
    """Saves the meeting and its composed checklist as one undoable step."""

    def __init__(
        self,
        edits: EditController,
        clients: list[tuple[str, str]],
        client_id: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(edits, parent)
        self.setWindowTitle(self.tr("Plan a meeting"))
        self.created_id: str | None = None
        self._sites: list[tuple[str, str]] = []
        self._build_ui(clients)
        self._connect_signals()
        if client_id:
            self.client.setCurrentIndex(max(self.client.findData(client_id), 0))
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        self.form.start_draft(
            {
                "starts_at": dt.datetime.combine(tomorrow, dt.time(9, 0)).astimezone().isoformat(),
                "ends_at": dt.datetime.combine(tomorrow, dt.time(10, 0)).astimezone().isoformat(),
            }
        )
        self._on_client_changed()

    def _site_choices(self, field: Field) -> list[tuple[str, str]]:
        return self._sites if field.ref_kind == "site" else []

    def _build_ui(self, clients: list[tuple[str, str]]) -> None:
        layout = QVBoxLayout(self)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        top = QFormLayout()
        top.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.client = QComboBox()
        self.client.setAccessibleName(self.tr("Client"))
        for client_id, name in clients:
            self.client.addItem(name, client_id)
        top.addRow(self.tr("Client"), self.client)
        left.addLayout(top)
        self.form = RecordForm("meeting", FIELDS, ref_choices=self._site_choices)
        left.addWidget(self.form)
        left.addStretch(1)
        columns.addLayout(left, 3)
        right = QVBoxLayout()
        self.theirs = checkable_list(self.tr("Their attendees"))
        self.ours = checkable_list(self.tr("Our attendees"))
        self.templates = checkable_list(self.tr("Checklist templates"))
        right.addWidget(QLabel(self.tr("Their attendees")))
        right.addWidget(self.theirs, 3)
        below = QGridLayout()
        below.addWidget(QLabel(self.tr("Our attendees")), 0, 0)
        below.addWidget(QLabel(self.tr("Checklists")), 0, 1)
        below.addWidget(self.ours, 1, 0)
        below.addWidget(self.templates, 1, 1)
        right.addLayout(below, 2)
        columns.addLayout(right, 2)
        layout.addLayout(columns, 1)
        self.hint = QLabel(
            self.tr("The checklist is composed from what you choose here, and kept up to date.")
        )
        self.hint.setProperty("role", "muted")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self._add_footer(layout, QDialogButtonBox.StandardButton.Save, self.tr("Plan meeting"))
        self.resize(1000, 600)

    def _connect_signals(self) -> None:
        self.client.currentIndexChanged.connect(self._on_client_changed)
        self.buttons.accepted.connect(self._on_buttons_accepted)

    def _on_client_changed(self, *_args) -> None:
        client_id = self.client.currentData()
        if not client_id:
            return
        self.edits.worker.submit(
            partial(operations.plan_choices, client_id=client_id), self._on_choices_loaded, lambda _f: None
        )

    def _on_choices_loaded(self, choices: operations.PlanChoices) -> None:
        if choices.changes:
            self.edits.announce_derived(choices.changes)
        if choices.client_id != self.client.currentData():
            return
        self._sites = choices.sites
        self.form.editors["site_id"].refresh_choices()
        keep_theirs = set(checked_ids(self.theirs))
        fill_checkable(self.theirs, choices.people, keep_theirs)
        fill_checkable(self.ours, choices.colleagues, set(checked_ids(self.ours)))
        fill_checkable(self.templates, choices.templates, set(checked_ids(self.templates)))

    def values(self) -> dict | None:
        """The meeting as typed and ticked, or None after showing what does not parse."""
        values = self.form.collect()
        if values is None:
            return None
        values["client_id"] = self.client.currentData()
        for field, widget in (
            ("contact_ids", self.theirs),
            ("colleague_ids", self.ours),
            ("template_ids", self.templates),
        ):
            values[field] = checked_ids(widget) or None
        return values

    def _on_buttons_accepted(self) -> None:
        values = self.values()
        if values is None:
            return
        self.save(partial(operations.plan_meeting, values=values))

    def saved(self, changes: ChangeSet) -> None:
        self.created_id = changes.created_id

    def show_in_form(self, error: BaseException) -> bool:
        from companion.model.errors import ValidationError

        return isinstance(error, ValidationError) and self.form.show_save_error(error)
