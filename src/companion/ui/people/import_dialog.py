"""The contacts import preview: what a vCard or CSV file would add, merge or skip, chosen row by row before
anything is written."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.contact_import import Choice, ContactImport, PreviewRow, default_choice
from companion.interchange.contacts_csv import CARD_FIELDS, IGNORE
from companion.model.errors import CompanionError
from companion.model.text import fold
from companion.ui.common.edits import EditController
from companion.ui.common.elided_label import ElidedLabel
from companion.ui.common.table_model import ColumnTableModel
from companion.ui.common.theme import muted_text_color, warning_color
from companion.ui.common.widgets import error_label
from companion.ui.common.worker import Failure
from companion.ui.people import contacts_operations as operations
from companion.ui.people.contacts_operations import ContactsPreview

# What each field a CSV column may go to is called on screen (contacts_csv.CARD_FIELDS).
FIELD_LABELS = {
    "name": "Full name",
    "given_name": "Given name",
    "family_name": "Family name",
    "organisation": "Organisation",
    "title": "Job title",
    "department": "Department",
    "email_work": "Email (work)",
    "email_home": "Email (home)",
    "email_other": "Email (other)",
    "phone_work": "Phone (work)",
    "phone_mobile": "Phone (mobile)",
    "phone_home": "Phone (home)",
    "phone_other": "Phone (other)",
    "address": "Home address",
    "birthday": "Birthday",
    "note": "Note",
    "uid": "Unique id",
}
# The filter over the rows: (status or None for all, what it is called).
SHOWN = (
    (None, "All"),
    ("new", "New"),
    ("same", "Already here"),
    ("possible", "Possible duplicates"),
)
# Samples in the column mapping: the first value a column holds, cut to this.
SAMPLE_LENGTH = 40


def counted(widget: QObject, count: int, one: str, many: str) -> str:
    """ "1 contact", "12 contacts": the sentence for one, or for any other number, in the person's language."""
    return (widget.tr(one) if count == 1 else widget.tr(many)).format(count)


class ImportRowsModel(ColumnTableModel):
    """One row a card of the file: whether it is new or someone already here, where it goes, what it brings,
    and what importing does with it (the person's choice, else core's default)."""

    COLUMNS = ("Status", "Name", "Organisation → client", "What it brings", "Import as")
    CHOICE_COLUMN = 4
    StatusRole = Qt.ItemDataRole.UserRole + 1
    OptionsRole = Qt.ItemDataRole.UserRole + 2
    sig_choices_changed = Signal()
    """A row's choice changed, or new rows came with their defaults."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[PreviewRow] = []
        self._choices: dict[int, Choice] = {}
        # What the person chose themselves, by (row, name): kept when the file is read again (another
        # column mapping) for the same card, as long as it is still one of its choices.
        self._chosen: dict[tuple[int, str], Choice] = {}

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def set_rows(self, rows: Sequence[PreviewRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        kept: dict[tuple[int, str], Choice] = {}
        self._choices = {}
        for row in self._rows:
            key = (row.index, row.card.name)
            mine = self._chosen.get(key)
            if mine is not None and mine in [choice for _label, choice in self.options(row)]:
                kept[key] = mine
                self._choices[row.index] = mine
            else:
                self._choices[row.index] = default_choice(row)
        self._chosen = kept
        self.endResetModel()
        self.sig_choices_changed.emit()

    def rows(self) -> list[PreviewRow]:
        return list(self._rows)

    def choices(self) -> dict[int, Choice]:
        """Each row's choice, by its index in the preview: what apply_import is given."""
        return dict(self._choices)

    def choice(self, row: PreviewRow) -> Choice:
        return self._choices[row.index]

    def counts(self) -> Counter:
        return Counter(row.status for row in self._rows)

    def options(self, row: PreviewRow) -> list[tuple[str, Choice]]:
        """What may be done with a row: create a new person, merge into a candidate (the best first), skip."""
        options: list[tuple[str, Choice]] = [(self.tr("Create new"), ("create", None))]
        candidates = [row.match] if row.match is not None else []
        candidates += [c for c in row.candidates if row.match is None or c.contact_id != row.match.contact_id]
        for candidate in candidates:
            named = (
                self.tr("{0} ({1})").format(candidate.name, candidate.client_name)
                if candidate.client_name
                else candidate.name
            )
            options.append((self.tr("Merge into {0}").format(named), ("merge", candidate.contact_id)))
        options.append((self.tr("Skip"), ("skip", None)))
        return options

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.CHOICE_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == self.StatusRole:
            return row.status
        if role == self.OptionsRole:
            return self.options(row)
        if role == Qt.ItemDataRole.EditRole and column == self.CHOICE_COLUMN:
            return self._choices[row.index]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                self._status_text(row),
                row.card.name,
                self._destination(row),
                self._brings(row),
                self._choice_text(row),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.status == "possible" and column == 0:
                return warning_color()
            if row.status == "same" and not row.adds and column in (0, 3):
                return muted_text_color()
            if self._choices[row.index][0] == "skip" and column == self.CHOICE_COLUMN:
                return muted_text_color()
        return None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.CHOICE_COLUMN:
            return False
        row = self._rows[index.row()]
        if value not in [choice for _label, choice in self.options(row)]:
            return False
        self._choices[row.index] = value
        self._chosen[(row.index, row.card.name)] = value
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(self.COLUMNS) - 1))
        self.sig_choices_changed.emit()
        return True

    # --- what a row says -------------------------------------------------------------------------

    def _status_text(self, row: PreviewRow) -> str:
        if row.status == "new":
            return self.tr("New")
        if row.match is None:
            return self.tr("Possible duplicate") if row.status == "possible" else self.tr("Already here")
        if row.status == "same":
            if fold(row.match.name) == fold(row.card.name):
                return self.tr("Already here")
            return self.tr("Same as {0}").format(row.match.name)
        others = len({c.contact_id for c in row.candidates} - {row.match.contact_id})
        if others:
            return self.tr("Possible duplicate of {0} (+{1})").format(row.match.name, others)
        return self.tr("Possible duplicate of {0}").format(row.match.name)

    def _destination(self, row: PreviewRow) -> str:
        organisation = row.card.organisation or ""
        if row.client_id is None:
            named = row.client_name or organisation
            return self.tr("{0} (no client here)").format(named) if named else "—"
        client = row.client_name or ""
        if row.new_client:
            return self.tr("New client: {0}").format(client)
        if not organisation or fold(organisation) == fold(client):
            return client
        return f"{organisation} → {client}"

    def _brings(self, row: PreviewRow) -> str:
        if row.status == "possible":
            match = row.match
            return match.why if match else ""
        if row.status == "same":
            return self.tr("Adds {0}").format(", ".join(row.adds)) if row.adds else self.tr("Nothing new")
        # What a new person is made with, as core will write it (values it refuses are problems, not here).
        said = ", ".join(row.adds)
        return said[:1].upper() + said[1:] if said else self.tr("Their name only")

    def _choice_text(self, row: PreviewRow) -> str:
        # The person's name only: the options list names their client too, to tell people apart.
        op, target = self._choices[row.index]
        if op == "merge":
            name = next((c.name for c in (row.match, *row.candidates) if c and c.contact_id == target), "")
            return self.tr("Merge into {0}").format(name)
        return self.tr("Create new") if op == "create" else self.tr("Skip")

    def _tooltip(self, row: PreviewRow, column: int) -> str | None:
        if column == 1:
            card = row.card
            lines = [card.name, *(f"{address} ({kind})" for kind, address in card.emails)]
            lines += [f"{number} ({kind})" for kind, number in card.phones]
            lines.append(card.record)
            return "\n".join(lines)
        if column == 0 and row.candidates:
            return "\n".join(
                self.tr("{0}: {1} ({2}% alike)").format(c.name, c.why, c.score) for c in row.candidates
            )
        if column in (2, 3):
            return self.data(self.index(self._rows.index(row), column)) or None
        return None


class ChoiceDelegate(QStyledItemDelegate):
    """The choice of a row (create, merge into someone, skip) picked from a list opened on the cell."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        for number, (label, _choice) in enumerate(index.data(ImportRowsModel.OptionsRole) or ()):
            combo.addItem(label, number)
        combo.setAccessibleName(self.tr("Import as"))
        # A choice made is the edit done, as elsewhere.
        combo.activated.connect(lambda _index: (self.commitData.emit(combo), self.closeEditor.emit(combo)))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        options = [choice for _label, choice in index.data(ImportRowsModel.OptionsRole) or ()]
        current = index.data(Qt.ItemDataRole.EditRole)
        editor.setCurrentIndex(options.index(current) if current in options else 0)
        editor.showPopup()

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        options = [choice for _label, choice in index.data(ImportRowsModel.OptionsRole) or ()]
        if 0 <= editor.currentIndex() < len(options):
            model.setData(index, options[editor.currentIndex()], Qt.ItemDataRole.EditRole)


class MappingEditor(QTableWidget):
    """A CSV file's columns, each with a sample of what it holds and the field it is read into."""

    sig_mapping_changed = Signal(dict)
    """The person mapped a column elsewhere: the whole mapping now ({column: field})."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels([self.tr("Column"), self.tr("Example"), self.tr("Import as")])
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(0, 100)
        self.setColumnWidth(2, 156)
        self.setAccessibleName(self.tr("Columns of the file"))
        self.combos: dict[str, QComboBox] = {}

    def show_columns(
        self, header: Sequence[str], rows: Sequence[tuple[int, Sequence[str]]], mapping: dict
    ) -> None:
        self.combos = {}
        self.setRowCount(len(header))
        for number, column in enumerate(header):
            sample = next(
                (cells[number] for _line, cells in rows if number < len(cells) and cells[number]), ""
            )
            name = QTableWidgetItem(column)
            name.setToolTip(column)
            example = QTableWidgetItem(sample[:SAMPLE_LENGTH] + ("…" if len(sample) > SAMPLE_LENGTH else ""))
            example.setToolTip(sample)
            example.setForeground(muted_text_color())
            self.setItem(number, 0, name)
            self.setItem(number, 1, example)
            combo = QComboBox()
            combo.addItem(self.tr("(leave out)"), IGNORE)
            for field in CARD_FIELDS:
                combo.addItem(self.tr(FIELD_LABELS.get(field, field)), field)
            combo.setCurrentIndex(max(combo.findData(mapping.get(column, IGNORE)), 0))
            combo.setAccessibleName(self.tr("Import {0} as").format(column))
            combo.currentIndexChanged.connect(self._on_combo_changed)
            self.setCellWidget(number, 2, combo)
            self.combos[column] = combo
        self.resizeRowsToContents()

    def mapping(self) -> dict[str, str]:
        return {column: combo.currentData() for column, combo in self.combos.items() if combo.currentData()}

    def _on_combo_changed(self, _index: int) -> None:
        self.sig_mapping_changed.emit(self.mapping())


class ContactsImportDialog(QDialog):
    """Shows a contacts file as it would be imported: each card new, the same as someone here, or a possible
    duplicate, with a choice per row; for a CSV file, its columns and the fields they are read into. Import
    writes it all as one undoable step; Cancel writes nothing."""

    sig_imported = Signal(object)
    """The file was imported (a ContactImport)."""

    def __init__(
        self,
        edits: EditController,
        loaded: ContactsPreview,
        *,
        clients: Sequence[tuple[str, str]] = (),
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.edits = edits
        self.loaded = loaded
        self.clients = sorted(clients, key=lambda c: fold(c[1]))
        self.summary = ""  # what was imported, in one line, once it is
        self._importing = False
        self._reading: int | None = None  # the worker's ticket of a reading again under way
        self._asked = 0  # reads asked for: only the answer to the latest counts
        self.setWindowTitle(self.tr("Import contacts"))
        self._build_ui()
        self._connect_signals()
        self._show(loaded)

    # --- building ---------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.heading = ElidedLabel()
        self.heading.setProperty("role", "heading")
        self.facts = ElidedLabel()
        self.facts.setProperty("role", "muted")
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        options = QHBoxLayout()
        options.addWidget(QLabel(self.tr("Import into")))
        self.into = QComboBox()
        self.into.setAccessibleName(self.tr("Import into"))
        self.into.addItem(self.tr("Each person's own organisation"), None)
        for client_id, name in self.clients:
            self.into.addItem(name, client_id)
        self.into.setCurrentIndex(max(self.into.findData(self.loaded.client_id), 0))
        self.into.setMinimumContentsLength(24)
        self.into.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        options.addWidget(self.into)
        options.addSpacing(16)
        self.create_clients = QCheckBox(self.tr("Add clients for organisations not found here"))
        self.create_clients.setChecked(self.loaded.create_clients)
        options.addWidget(self.create_clients)
        options.addStretch(1)
        layout.addLayout(options)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.columns_box = QGroupBox(self.tr("Columns of the file"))
        columns_layout = QVBoxLayout(self.columns_box)
        hint = QLabel(self.tr("Choose what each column is; the preview follows."))
        hint.setProperty("role", "muted")
        hint.setWordWrap(True)
        columns_layout.addWidget(hint)
        self.mapping = MappingEditor()
        columns_layout.addWidget(self.mapping, 1)
        splitter.addWidget(self.columns_box)

        rows = QWidget()
        rows_layout = QVBoxLayout(rows)
        rows_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Show")))
        self.shown = QComboBox()
        self.shown.setAccessibleName(self.tr("Show rows"))
        for status, text in SHOWN:
            self.shown.addItem(self.tr(text), status)
        bar.addWidget(self.shown)
        bar.addSpacing(12)
        self.counts = QLabel()
        self.counts.setAccessibleName(self.tr("Counts"))
        bar.addWidget(self.counts, 1)
        rows_layout.addLayout(bar)
        self.model = ImportRowsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(ImportRowsModel.StatusRole)
        self.proxy.setFilterKeyColumn(0)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(
            -1, Qt.SortOrder.AscendingOrder
        )  # the file's order until a heading is clicked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.SelectedClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setItemDelegateForColumn(ImportRowsModel.CHOICE_COLUMN, ChoiceDelegate(self.table))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        # What a row brings takes the room left; the choice keeps its width, always in sight.
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ImportRowsModel.CHOICE_COLUMN, QHeaderView.ResizeMode.Interactive)
        self.table.setAccessibleName(self.tr("Contacts in the file"))
        rows_layout.addWidget(self.table, 1)
        self.plan = QLabel()
        self.plan.setWordWrap(True)
        rows_layout.addWidget(self.plan)
        self.photos = QLabel()
        self.photos.setProperty("role", "muted")
        self.photos.setWordWrap(True)
        rows_layout.addWidget(self.photos)
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        rows_layout.addWidget(self.problems_label)
        self.problems = QListWidget()
        self.problems.setAccessibleName(self.tr("What could not be read"))
        self.problems.setMaximumHeight(84)
        self.problems.setWordWrap(True)  # a reason is read whole, not scrolled to
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        rows_layout.addWidget(self.problems)
        splitter.addWidget(rows)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 920])
        layout.addWidget(splitter, 1)

        self.problem = error_label()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        layout.addWidget(self.buttons)
        csv = self.loaded.file.table is not None
        self.columns_box.setVisible(csv)
        # Within a 1366×768 laptop screen, title bar and all.
        self.resize(1340 if csv else 1100, 690)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.shown.currentIndexChanged.connect(self._on_shown_changed)
        self.model.sig_choices_changed.connect(self._show_plan)
        self.mapping.sig_mapping_changed.connect(lambda _mapping: self._read_again())
        self.into.currentIndexChanged.connect(lambda _index: self._read_again())
        self.create_clients.toggled.connect(lambda _checked: self._read_again())
        self.table.clicked.connect(self._on_table_clicked)

    # --- showing ----------------------------------------------------------------------------------

    def _show(self, loaded: ContactsPreview) -> None:
        self.loaded = loaded
        read, preview = loaded.file, loaded.preview
        self.heading.setText(self.tr("Import contacts from {0}").format(loaded.path.name))
        facts = [read.format, counted(self, len(read.cards), "{0} contact", "{0} contacts")]
        if read.table is not None:
            facts.append(counted(self, len(read.table.header), "{0} column", "{0} columns"))
            facts.append(read.table.encoding)
        self.facts.setText(" · ".join(facts))
        if read.table is not None and not self.mapping.combos:
            self.mapping.show_columns(read.table.header, read.table.rows, dict(read.mapping or {}))
        self.model.set_rows(preview.rows)
        # Long names and organisations are cut short (whole in their tooltips), so the choice stays in sight.
        for column, (least, widest) in enumerate(((100, 215), (120, 150), (120, 170))):
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, min(max(self.table.columnWidth(column), least), widest))
        self.table.setColumnWidth(ImportRowsModel.CHOICE_COLUMN, 220)
        counts = self.model.counts()
        said = [
            self.tr("{0} new").format(counts["new"]),
            self.tr("{0} same").format(counts["same"]),
            counted(self, counts["possible"], "{0} possible duplicate", "{0} possible duplicates"),
        ]
        if preview.problems:
            said.append(counted(self, len(preview.problems), "{0} problem", "{0} problems"))
        self.counts.setText(", ".join(said))
        for number, (status, text) in enumerate(SHOWN):
            total = len(preview.rows) if status is None else counts[status]
            self.shown.setItemText(number, self.tr("{0} ({1})").format(self.tr(text), total))
        self.problems.clear()
        for problem in preview.problems:
            self.problems.addItem(str(problem))
        self.problems_label.setText(
            counted(
                self,
                len(preview.problems),
                "{0} problem: what it names is left out, the rest comes in:",
                "{0} problems: what each names is left out, the rest comes in:",
            )
        )
        self.problems_label.setVisible(bool(preview.problems))
        self.problems.setVisible(bool(preview.problems))
        self.photos.setText(
            counted(
                self,
                loaded.cards_with_photos,
                "{0} card holds a photo: Companion keeps no photos, so it is left out.",
                "{0} cards hold a photo: Companion keeps no photos, so they are left out.",
            )
        )
        self.photos.setVisible(loaded.cards_with_photos > 0)
        self._show_plan()

    def _show_plan(self) -> None:
        """What Import would do now, with the choices as they are."""
        rows = self.model.rows()
        kinds = Counter(self.model.choice(row)[0] for row in rows)
        quiet = sum(
            1
            for row in rows
            if row.status == "same"
            and row.match is not None
            and not row.adds
            and self.model.choice(row) == ("merge", row.match.contact_id)
        )
        deeds = []
        if kinds["create"]:
            deeds.append(
                self.tr("add {0}").format(counted(self, kinds["create"], "{0} person", "{0} people"))
            )
        if kinds["merge"] - quiet:
            deeds.append(
                self.tr("bring what is new about {0} to the people here").format(
                    counted(self, kinds["merge"] - quiet, "{0} person", "{0} people")
                )
            )
        if kinds["skip"]:
            deeds.append(self.tr("skip {0}").format(kinds["skip"]))
        if not rows:
            said = self.tr("There is nobody in this file to import.")
        elif not deeds or deeds == [self.tr("skip {0}").format(kinds["skip"])]:
            said = self.tr("Importing changes nothing: everyone chosen is here already as they are.")
        else:
            joined = (
                deeds[0]
                if len(deeds) == 1
                else self.tr("{0} and {1}").format(", ".join(deeds[:-1]), deeds[-1])
            )
            said = self.tr("Import will {0}.").format(joined)
            if quiet:
                said += " " + counted(
                    self, quiet, "{0} is here already as they are.", "{0} are here already as they are."
                )
        self.plan.setText(said)
        self.import_button.setEnabled(bool(rows) and not self.reading and not self._importing)

    def _on_shown_changed(self, _index: int) -> None:
        status = self.shown.currentData()
        self.proxy.setFilterFixedString(status or "")

    def _on_table_clicked(self, index: QModelIndex) -> None:
        if index.column() == ImportRowsModel.CHOICE_COLUMN:
            self.table.edit(index)  # one click opens the choices

    # --- reading again ----------------------------------------------------------------------------

    def _read_again(self) -> None:
        """Another mapping, client or choice about new clients: the file is read and matched again."""
        self.problem.hide()
        self.plan.setText(self.tr("Reading the file again…"))
        self.import_button.setEnabled(False)
        mapping = self.mapping.mapping() if self.loaded.file.table is not None else None
        job = partial(
            operations.preview_contacts,
            path=self.loaded.path,
            mapping=mapping,
            client_id=self.into.currentData(),
            create_clients=self.create_clients.isChecked(),
        )
        if self._reading is not None:
            self.edits.worker.cancel(self._reading)
        self._asked += 1
        self._reading = self.edits.worker.submit(
            job, partial(self._on_preview_read, self._asked), partial(self._on_preview_refused, self._asked)
        )

    @property
    def reading(self) -> bool:
        """True while the file is read again (another mapping, client, or choice about new clients)."""
        return self._reading is not None

    def _on_preview_read(self, asked: int, loaded: ContactsPreview) -> None:
        if asked == self._asked:
            self._reading = None
            self._show(loaded)

    def _on_preview_refused(self, asked: int, failure: Failure) -> None:
        if asked != self._asked:
            return
        self._reading = None
        self._say(failure, self.tr("The file could not be read again."))
        self._show_plan()
        self.import_button.setEnabled(False)

    # --- importing --------------------------------------------------------------------------------

    def _on_buttons_accepted(self) -> None:
        if self.reading or self._importing:
            return
        self._importing = True
        self.problem.hide()
        self.import_button.setEnabled(False)
        job = partial(operations.import_contacts, preview=self.loaded.preview, choices=self.model.choices())
        self.edits.run(job, on_done=self._on_imported, on_error=self._on_import_refused)

    def _on_imported(self, result: ContactImport) -> None:
        self._importing = False
        self.summary = self.describe(result)
        self.sig_imported.emit(result)
        self.accept()

    def _on_import_refused(self, failure: Failure) -> None:
        self._importing = False
        self._say(failure, self.tr("Nothing was imported."))
        self._show_plan()

    def _say(self, failure: Failure, unexpected: str) -> None:
        """A refusal in the dialog's own words (CompanionErrors name the file and record); anything else is
        logged, never shown as a traceback."""
        if isinstance(failure.error, CompanionError):
            self.problem.setText(str(failure.error))
        else:
            logging.getLogger(__name__).error("Contacts import failed\n%s", failure.details)
            self.problem.setText(self.tr("Companion hit an unexpected problem. {0}").format(unexpected))
        self.problem.show()

    def describe(self, result: ContactImport) -> str:
        """What the import did, in one line for the status bar."""
        said = [
            self.tr("{0} added").format(len(result.created)),
            self.tr("{0} updated").format(len(result.merged)),
            self.tr("{0} unchanged").format(result.unchanged),
            self.tr("{0} skipped").format(len(result.skipped)),
        ]
        if result.clients_created:
            said.append(counted(self, len(result.clients_created), "{0} client added", "{0} clients added"))
        return self.tr("Imported {0}: {1}").format(self.loaded.path.name, ", ".join(said))

    def reject(self) -> None:
        if self._importing:
            return  # the import is on its way; the dialog closes once it is written
        super().reject()

    def done(self, result: int) -> None:
        if self._reading is not None:
            self.edits.worker.cancel(self._reading)  # its answer is not for a closed dialog
            self._reading = None
        super().done(result)
