"""Everyone in the workspace, in one table that loads page by page as the person scrolls."""

from __future__ import annotations

from collections import OrderedDict
from functools import partial

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from companion.model.kinds import kinds_shown_on
from companion.model.labels import choice_label
from companion.ui.common.table_model import ColumnTableModel
from companion.ui.common.worker import DbWorker
from companion.ui.people import operations

PAGE_SIZE = 500
# Pages kept in memory: a few screens around where the person looks, not 100,000 rows.
CACHED_PAGES = 8
FIELDS = ("name", "relationship_strength", "preferred_channel", "visit_frequency_days", "difficult")


class ContactDirectoryModel(ColumnTableModel):
    """Every contact by name. Only the pages the view shows are fetched (on the database thread)
    and kept; a row not yet here reads as "…" until its page arrives."""

    COLUMNS = ("Name", "Relationship", "Prefers", "Visit every", "Difficult")
    IdRole = Qt.ItemDataRole.UserRole + 1
    sig_page_loaded = Signal(int)
    """A page arrived (its number)."""
    sig_counted = Signal(int)
    """The number of rows is known."""

    def __init__(self, worker: DbWorker, parent=None):
        super().__init__(parent)
        self.worker = worker
        self._count = 0
        self._pages: OrderedDict[int, list[tuple]] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0  # results of a fetch made before a reset are dropped
        self.reset()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def row(self, row: int) -> tuple | None:
        """The row's values if its page is here; otherwise asks for the page and answers None."""
        page = row // PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            self._request(page)
            return None
        self._pages.move_to_end(page)
        offset = row - page * PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, self.IdRole):
            return None
        values = self.row(index.row())
        if values is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 else None
        record_id, name, strength, channel, every, difficult = values
        if role == self.IdRole:
            return record_id
        column = index.column()
        if column == 0:
            return name
        if column == 1:
            return "●" * strength if strength else ""
        if column == 2:
            return choice_label(channel) if channel else ""
        if column == 3:
            return self.tr("{0} days").format(every) if every else ""
        return self.tr("yes") if difficult else ""

    def _request(self, page: int) -> None:
        if page in self._pending:
            return
        self._pending.add(page)
        generation = self._generation
        self.worker.submit(
            partial(operations.contacts_page, fields=FIELDS, offset=page * PAGE_SIZE, limit=PAGE_SIZE),
            lambda rows: self._on_page(generation, page, rows),
        )

    def _on_page(self, generation: int, page: int, rows: list[tuple]) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        self._pages[page] = rows
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        first = page * PAGE_SIZE
        last = min(first + PAGE_SIZE, self._count) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.COLUMNS) - 1))
        self.sig_page_loaded.emit(page)

    def reset(self) -> None:
        """Forgets every page and counts again (after contacts were added or deleted)."""
        self._generation += 1
        generation = self._generation
        self.beginResetModel()
        self._pages.clear()
        self._pending.clear()
        self._count = 0
        self.endResetModel()
        self.worker.submit(operations.count_contacts, lambda n: self._on_counted(generation, n))

    def _on_counted(self, generation: int, count: int) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._count = count
        self.endResetModel()
        self.sig_counted.emit(count)

    def cached_pages(self) -> list[int]:
        return list(self._pages)


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
        self.empty = QLabel(
            self.tr("Nobody here yet.\nOpen a client and add the people you work with there.")
        )
        self.empty.setProperty("role", "empty-state")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.hide()
        layout.addWidget(self.empty, 1)
        self.model.sig_counted.connect(self._on_model_counted)
        self.table.activated.connect(
            lambda index: self.sig_person_activated.emit(index.data(ContactDirectoryModel.IdRole))
        )

    def _on_model_counted(self, count: int) -> None:
        self.table.setVisible(count > 0)
        self.empty.setVisible(count == 0)

    def on_changed(self, kinds: set[str]) -> None:
        if kinds & kinds_shown_on("directory"):
            self.model.reset()
