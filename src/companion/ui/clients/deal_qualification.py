"""A deal's MEDDPICC grid: each criterion unknown, partial or confirmed, its person where it has one, a note."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from companion.model.kinds import MEDDPICC, QUALIFICATION_LEVELS
from companion.model.labels import choice_label
from companion.ui.common.theme import level_color, muted_text_color

# The criteria that name a person of the client (`<key>_id`).
WITH_PERSON = ("economic_buyer", "champion")
LEVEL_COLORS = {"confirmed": "good", "partial": "watch"}


class MeddpiccGrid(QWidget):
    """Eight rows, one per criterion; every change is handed on to be saved at once."""

    sig_value_edited = Signal(dict)
    """The person changed a criterion: {field: value} of the deal shown."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.names: dict[str, QLabel] = {}
        self.status: dict[str, QComboBox] = {}
        self.person: dict[str, QComboBox] = {}
        self.note: dict[str, QLineEdit] = {}
        self._notes_shown: dict[str, str] = {}
        self._build_ui()

    def _build_ui(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        for column, heading in enumerate(
            (self.tr("Criterion"), self.tr("Known"), self.tr("Person"), self.tr("Note"))
        ):
            label = QLabel(heading)
            label.setProperty("role", "muted")
            grid.addWidget(label, 0, column)
        for row, (key, label) in enumerate(MEDDPICC, start=1):
            name = QLabel(self.tr(label))
            grid.addWidget(name, row, 0)
            self.names[key] = name
            status = QComboBox()
            status.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            status.setAccessibleName(self.tr("{0}: known").format(self.tr(label)))
            for level in QUALIFICATION_LEVELS:
                status.addItem(choice_label(level), level)
            status.activated.connect(lambda _index, k=key: self._on_status_activated(k))
            name.setBuddy(status)
            grid.addWidget(status, row, 1)
            self.status[key] = status
            if key in WITH_PERSON:
                person = QComboBox()
                person.setAccessibleName(self.tr("{0}: person").format(self.tr(label)))
                person.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                person.setMinimumContentsLength(10)
                person.activated.connect(lambda _index, k=key: self._on_person_activated(k))
                grid.addWidget(person, row, 2)
                self.person[key] = person
            note = QLineEdit()
            note.setAccessibleName(self.tr("{0}: note").format(self.tr(label)))
            note.setPlaceholderText(self.tr("what we know, and how we know it"))
            note.editingFinished.connect(lambda k=key: self._on_note_finished(k))
            grid.addWidget(note, row, 3)
            self.note[key] = note
        grid.setColumnStretch(3, 1)

    def show_rows(
        self,
        rows: Sequence[tuple[str, str, str | None, str | None, str | None]],
        people: Sequence[tuple[str, str]],
        names: dict[str, str],
    ) -> None:
        """Shows a deal's criteria (core.opportunities.qualification_rows); `people` are who the person
        pickers offer, and a person named who is not among them (they left) is shown by name."""
        for key, _label, status, note, contact_id in rows:
            combo = self.status[key]
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(status or "unknown")))
            combo.blockSignals(False)
            # The criterion's name in green once confirmed, amber while partial, muted while unknown.
            level = LEVEL_COLORS.get(status or "")
            color = level_color(level) if level else muted_text_color()
            self.names[key].setStyleSheet(f"color: {color.name()}")
            if key in self.person:
                self._fill_person(self.person[key], people, contact_id, names)
            line = self.note[key]
            shown = str(note or "")
            # A note being typed is not overwritten by a reload; one left alone follows the data.
            if not (line.hasFocus() and line.isModified()):
                line.setText(shown)
                line.setCursorPosition(0)
                line.setModified(False)
                line.setToolTip(shown)
            self._notes_shown[key] = shown

    def _fill_person(
        self, combo: QComboBox, people: Sequence[tuple[str, str]], chosen: str | None, names: dict[str, str]
    ) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("— nobody named —"), None)
        for contact_id, name in people:
            combo.addItem(name, contact_id)
        if chosen and combo.findData(chosen) < 0:
            combo.addItem(self.tr("{0} (left)").format(names.get(chosen, self.tr("someone"))), chosen)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
        combo.blockSignals(False)

    def _on_status_activated(self, key: str) -> None:
        self.sig_value_edited.emit({f"{key}_status": self.status[key].currentData()})

    def _on_person_activated(self, key: str) -> None:
        self.sig_value_edited.emit({f"{key}_id": self.person[key].currentData()})

    def _on_note_finished(self, key: str) -> None:
        line = self.note[key]
        text = line.text().strip()
        line.setModified(False)
        if text != self._notes_shown.get(key, "").strip():
            self._notes_shown[key] = text
            self.sig_value_edited.emit({f"{key}_note": text or None})

    def row_widgets(self, key: str) -> tuple[QComboBox, QComboBox | None, QLineEdit]:
        """The status, person (or None) and note of one criterion."""
        return self.status[key], self.person.get(key), self.note[key]
