"""Quick capture: log an interaction in a few keystrokes, from anywhere (Ctrl+Shift+L)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from companion.core.changes import Edit
from companion.core.meetings import parse_follow_ups
from companion.model.ids import new_id
from companion.model.kinds import INTERACTION_CHANNELS, SENTIMENTS
from companion.model.labels import choice_label
from companion.model.values import local_time
from companion.ui.clients import operations
from companion.ui.common import operations as common
from companion.ui.common.edits import EditController
from companion.ui.common.saving_dialog import SavingDialog


class QuickCaptureDialog(SavingDialog):
    """Client, people, channel, what happened, and follow-ups (one per line, "text @ YYYY-MM-DD")."""

    def __init__(
        self,
        edits: EditController,
        clients: list[tuple[str, str]],
        client_id: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(edits, parent)
        self.setWindowTitle(self.tr("Log an interaction"))
        self.meeting_id: str | None = None
        self._attendees: set[str] = set()
        # Which request for the client's people is the latest: an earlier answer arriving after it (the
        # first client's people, asked before a meeting's attendees were known) is dropped.
        self._people_asked = 0
        self._build_ui(clients)
        self._connect_signals()
        if client_id:
            self.client.setCurrentIndex(max(self.client.findData(client_id), 0))
        self._on_client_changed()

    def _build_ui(self, clients: list[tuple[str, str]]) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.client = QComboBox()
        self.client.setEditable(False)
        for client_id, name in clients:
            self.client.addItem(name, client_id)
        self.client.setAccessibleName(self.tr("Client"))
        form.addRow(self.tr("Client"), self.client)
        self.date = QLineEdit(dt.date.today().isoformat())
        self.date.setAccessibleName(self.tr("Date"))
        form.addRow(self.tr("Date"), self.date)
        self.channel = QComboBox()
        for channel in INTERACTION_CHANNELS:
            self.channel.addItem(self.tr(choice_label(channel)), channel)
        form.addRow(self.tr("Channel"), self.channel)
        self.people = QListWidget()
        self.people.setAccessibleName(self.tr("People involved"))
        self.people.setMaximumHeight(120)
        form.addRow(self.tr("People"), self.people)
        self.summary = QPlainTextEdit()
        self.summary.setPlaceholderText(self.tr("What happened, what you learnt"))
        self.summary.setTabChangesFocus(True)
        self.summary.setAccessibleName(self.tr("Summary"))
        form.addRow(self.tr("Summary"), self.summary)
        self.sentiment = QComboBox()
        self.sentiment.addItem(self.tr("—"), None)
        for sentiment in SENTIMENTS:
            self.sentiment.addItem(self.tr(choice_label(sentiment)), sentiment)
        form.addRow(self.tr("Sentiment"), self.sentiment)
        self.follow_ups = QPlainTextEdit()
        self.follow_ups.setPlaceholderText(self.tr("One per line; add a due date with @ 2026-12-01"))
        self.follow_ups.setTabChangesFocus(True)
        self.follow_ups.setMaximumHeight(80)
        self.follow_ups.setAccessibleName(self.tr("Follow-ups"))
        form.addRow(self.tr("Follow-ups"), self.follow_ups)
        layout.addLayout(form)
        self._add_footer(layout, QDialogButtonBox.StandardButton.Save)
        self.resize(520, 560)

    def _connect_signals(self) -> None:
        self.client.currentIndexChanged.connect(self._on_client_changed)
        self.buttons.accepted.connect(self._on_buttons_accepted)

    def _on_client_changed(self, *_args) -> None:
        client_id = self.client.currentData()
        self.people.clear()
        self._people_asked += 1
        asked = self._people_asked
        if not client_id:
            return

        def fill(people) -> None:
            if asked != self._people_asked:
                return
            self.people.clear()
            for person in people:
                item = QListWidgetItem(f"{person.name} — {person.position['title'] or ''}")
                item.setData(Qt.ItemDataRole.UserRole, person.contact.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                came = person.contact.id in self._attendees
                item.setCheckState(Qt.CheckState.Checked if came else Qt.CheckState.Unchecked)
                self.people.addItem(item)

        self.edits.worker.submit(
            partial(operations.current_people, client_id=client_id), fill, lambda _f: None
        )

    def edits_to_save(self) -> list[Edit]:
        """The interaction and its follow-ups as one batch of edits."""
        interaction_id = new_id()
        contact_ids = self._checked_people()
        values = {
            "client_id": self.client.currentData(),
            "date": self.date.text(),
            "channel": self.channel.currentData(),
            "summary": self.summary.toPlainText() or None,
            "sentiment": self.sentiment.currentData(),
            "contact_ids": contact_ids or None,
        }
        edits = [Edit("create", "interaction", interaction_id, values)]
        for follow_up in parse_follow_ups(self.follow_ups.toPlainText()):
            follow = {"interaction_id": interaction_id, "text": follow_up.text, "due": follow_up.due}
            edits.append(Edit("create", "follow_up", values=follow))
        return edits

    def _checked_people(self) -> list[str]:
        return [
            self.people.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.people.count())
            if self.people.item(i).checkState() == Qt.CheckState.Checked
        ]

    def for_meeting(self, meeting_id: str) -> None:
        """Logs what happened at a meeting: its client, day and attendees filled in; saving marks it held."""
        self.meeting_id = meeting_id
        self.setWindowTitle(self.tr("Log the meeting"))
        self.client.setEnabled(False)
        self._people_asked += 1  # the people come once the attendees are known, ticked
        self.people.clear()

        def fill(meeting) -> None:
            self._attendees = {str(c) for c in meeting["contact_ids"] or ()}
            index = self.client.findData(meeting["client_id"])
            self.client.setCurrentIndex(max(index, 0))
            zone = dt.UTC if meeting["all_day"] else None  # an all-day meeting's day is its UTC date
            starts = local_time(meeting["starts_at"], zone)
            self.date.setText(starts.date().isoformat())
            self.channel.setCurrentIndex(max(self.channel.findData("meeting"), 0))
            self.summary.setPlaceholderText(
                self.tr("How “{0}” went, what you learnt").format(meeting["title"])
            )
            self._on_client_changed()

        self.edits.worker.submit(partial(common.get_record, kind="meeting", record_id=meeting_id), fill)

    def _on_buttons_accepted(self) -> None:
        if self.meeting_id is not None:
            meeting_id = self.meeting_id
            summary = self.summary.toPlainText() or None
            sentiment = self.sentiment.currentData()
            follow_ups = parse_follow_ups(self.follow_ups.toPlainText())
            people, on_date = self._checked_people(), self.date.text().strip()
            self.save(
                partial(
                    operations.log_meeting,
                    meeting_id=meeting_id,
                    summary=summary,
                    sentiment=sentiment,
                    follow_ups=follow_ups,
                    contact_ids=people,
                    on_date=on_date,
                )
            )
            return
        edits = self.edits_to_save()
        self.save(partial(operations.write, edits=edits, label="Log interaction"))
