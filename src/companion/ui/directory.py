"""Everyone in the workspace, in one table that loads page by page as the person scrolls."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from companion.ui.labels import choice_label
from companion.ui.worker import DbWorker

PAGE_SIZE = 500
FIELDS = ("name", "relationship_strength", "preferred_channel", "visit_frequency_days", "difficult")


class ContactDirectoryModel(QAbstractTableModel):
    """Contacts by name; rows arrive from the database thread a page at a time (fetchMore)."""

    COLUMNS = ("Name", "Relationship", "Prefers", "Visit every", "Difficult")
    IdRole = Qt.ItemDataRole.UserRole + 1
    sig_page_loaded = Signal(int)
    """A page arrived; the model now holds this many rows."""

    def __init__(self, worker: DbWorker, parent=None):
        super().__init__(parent)
        self.worker = worker
        self._rows: list[tuple] = []
        self._loading = False
        self._exhausted = False

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.tr(self.COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        _key, record_id, name, strength, channel, every, difficult = self._rows[index.row()]
        if role == self.IdRole:
            return record_id
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return name
        if column == 1:
            return "●" * strength if strength else ""
        if column == 2:
            return choice_label(channel) if channel else ""
        if column == 3:
            return self.tr("{0} days").format(every) if every else ""
        if column == 4:
            return self.tr("yes") if difficult else ""
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if parent.isValid() or self._loading or self._exhausted:
            return
        self._loading = True
        after = tuple(self._rows[-1][:2]) if self._rows else None
        self.worker.submit(
            lambda ws: ws.page(kind="contact", fields=FIELDS, after=after, limit=PAGE_SIZE), self._on_page
        )

    def _on_page(self, rows: list[tuple]) -> None:
        self._loading = False
        if len(rows) < PAGE_SIZE:
            self._exhausted = True
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.sig_page_loaded.emit(len(self._rows))

    def reset(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._exhausted = False
        self._loading = False
        self.endResetModel()


class DirectoryPage(QWidget):
    """All people, whichever client they work for."""

    sig_person_activated = Signal(str)
    """The person opened a contact (its id)."""

    def __init__(self, worker: DbWorker, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = ContactDirectoryModel(worker, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel(self.tr("People"))
        title.setProperty("role", "heading")
        layout.addWidget(title)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(self.tr("All people"))
        layout.addWidget(self.table, 1)
        self.table.activated.connect(
            lambda index: self.sig_person_activated.emit(index.data(ContactDirectoryModel.IdRole))
        )

    def on_changed(self, kinds: set[str]) -> None:
        if "contact" in kinds:
            self.model.reset()
