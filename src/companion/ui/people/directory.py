"""Everyone in the workspace, in one table that loads page by page as the person scrolls."""

from __future__ import annotations

from collections import OrderedDict
from functools import partial

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from companion.model.kinds import kinds_shown_on
from companion.model.labels import choice_label
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.table_model import ColumnTableModel
from companion.ui.common.worker import DbWorker
from companion.ui.people import operations
from companion.ui.people.contacts_drop import ContactsDrop

PAGE_SIZE = 500
# Pages kept in memory: a few screens around where the person looks, not 100,000 rows.
CACHED_PAGES = 8
# Typing in the search box asks once the person pauses.
SEARCH_PAUSE_MS = 250
ORDER_OF_COLUMN = ("name", "title", "client", "phone", "relationship", "prefers", "every", "difficult")


class ContactDirectoryModel(ColumnTableModel):
    """Every person, with their current title and client. Only the pages the view shows are fetched (on
    the database thread) and kept; a row not yet here reads as "…" until its page arrives. A search or
    another column's order first reads the ids of the people in that order, then pages of them."""

    COLUMNS = ("Name", "Title", "Client", "Phone", "Relationship", "Prefers", "Visit every", "Difficult")
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
        self.text = ""
        self.order, self.descending = "name", False
        self._ids: list[str] | None = None  # the people in view, when searched or sorted otherwise
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
        if role not in (Qt.ItemDataRole.DisplayRole, self.IdRole, RecordRole):
            return None
        values = self.row(index.row())
        if values is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 else None
        record_id, name, title, client, phone, strength, channel, every, difficult = values
        if role == self.IdRole:
            return record_id
        if role == RecordRole:
            return ("contact", record_id)
        return (
            name,
            title or "",
            client or "",
            phone or "",
            "●" * strength if strength else "",
            choice_label(channel) if channel else "",
            self.tr("{0} days").format(every) if every else "",
            self.tr("yes") if difficult else "",
        )[index.column()]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A column heading clicked: everyone in that column's order (names break ties)."""
        wanted = (ORDER_OF_COLUMN[column], order == Qt.SortOrder.DescendingOrder)
        if wanted != (self.order, self.descending):
            self.order, self.descending = wanted
            self.reset()

    def set_text(self, text: str) -> None:
        """Only the people whose name, title or client holds the text (any spelling: "bjorn" finds Bjørn)."""
        if text.strip() != self.text:
            self.text = text.strip()
            self.reset()

    def _request(self, page: int) -> None:
        if page in self._pending:
            return
        self._pending.add(page)
        generation = self._generation
        if self._ids is None:
            job = partial(operations.contacts_page, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
        else:
            job = partial(operations.directory_rows, ids=self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
        self.worker.submit(job, lambda rows: self._on_page(generation, page, rows))

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
        """Forgets every page and counts again (after people were added or deleted, a search, a sort)."""
        self._generation += 1
        generation = self._generation
        self.beginResetModel()
        self._pages.clear()
        self._pending.clear()
        self._count = 0
        self._ids = None
        self.endResetModel()
        if not self.text and (self.order, self.descending) == ("name", False):
            self.worker.submit(operations.count_contacts, lambda n: self._on_counted(generation, n, None))
        else:
            job = partial(
                operations.directory_ids, text=self.text, order=self.order, descending=self.descending
            )
            self.worker.submit(job, lambda ids: self._on_counted(generation, len(ids), ids))

    def _on_counted(self, generation: int, count: int, ids: list[str] | None) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._count = count
        self._ids = ids
        self.endResetModel()
        self.sig_counted.emit(count)

    def cached_pages(self) -> list[int]:
        return list(self._pages)


class DirectoryPage(QWidget):
    """All people, whichever client they work for: searched by name, title or client, sorted by any column."""

    sig_person_activated = Signal(str)
    """The person opened a contact (its id)."""
    sig_duplicates_requested = Signal()
    """The person asked for the possible duplicates among everyone."""
    sig_contacts_dropped = Signal(list, str)
    """Files were dropped on the directory: (their paths, no client)."""

    def __init__(self, worker: DbWorker, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = ContactDirectoryModel(worker, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel(self.tr("People"))
        title.setProperty("role", "heading")
        self.duplicates_button = QPushButton(self.tr("Possible duplicates…"))
        self.duplicates_button.setToolTip(
            self.tr("People who may be one person: merge them, or tell them apart")
        )
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(self.duplicates_button)
        layout.addLayout(header)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Find a person, a title or a client…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Find people"))
        layout.addWidget(self.search)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        # Every column in sight beside the client list on a 1366-pixel screen.
        for column, width in enumerate((190, 190, 200, 130, 90, 90, 80, 70)):
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        self.table.setAccessibleName(self.tr("All people"))
        layout.addWidget(self.table, 1)
        self.empty = QLabel(
            self.tr(
                "Nobody here yet.\nOpen a client and add the people you work with there,"
                " or drop your contacts here (a .vcf or .csv file)."
            )
        )
        self.empty.setProperty("role", "empty-state")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.hide()
        layout.addWidget(self.empty, 1)
        self._pause = QTimer(self, singleShot=True, interval=SEARCH_PAUSE_MS)
        self._pause.timeout.connect(lambda: self.model.set_text(self.search.text()))
        self.search.textChanged.connect(lambda _text: self._pause.start())
        self.model.sig_counted.connect(self._on_model_counted)
        self.duplicates_button.clicked.connect(self.sig_duplicates_requested)
        # A contacts file dropped anywhere on the page is offered for import.
        self.contacts_drop = ContactsDrop(self)
        self.contacts_drop.sig_dropped.connect(
            lambda files, _where: self.sig_contacts_dropped.emit(files, "")
        )
        self.table.activated.connect(
            lambda index: self.sig_person_activated.emit(index.data(ContactDirectoryModel.IdRole))
        )

    def _on_model_counted(self, count: int) -> None:
        searching = bool(self.model.text)
        self.table.setVisible(count > 0 or searching)
        self.empty.setVisible(count == 0 and not searching)

    def on_changed(self, kinds: set[str]) -> None:
        if kinds & kinds_shown_on("directory"):
            self.model.reset()
