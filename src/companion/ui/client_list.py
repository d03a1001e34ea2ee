"""The client list: search box, filters by tag, owner and status, pinned and recent clients first."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from companion.core.kinds import CLIENT_STATUSES
from companion.core.text import fold
from companion.ui.record_form import choice_label

CLIENT_COLUMNS = ("id", "name", "aliases", "status", "tags", "owner_id")


@dataclass(frozen=True)
class ClientRow:
    id: str
    name: str
    aliases: tuple[str, ...]
    status: str | None
    tags: tuple[str, ...]
    owner_id: str | None
    folded: str  # name and aliases without case or accents, for filtering as you type

    @classmethod
    def from_tuple(cls, row: tuple) -> ClientRow:
        record_id, name, aliases, status, tags, owner_id = row
        aliases = tuple(aliases or ())
        return cls(
            record_id, name, aliases, status, tuple(tags or ()), owner_id, fold(" ".join((name, *aliases)))
        )


class ClientListModel(QAbstractListModel):
    """Every client, with pinned ones first, then recent ones, then the rest by name."""

    IdRole = Qt.ItemDataRole.UserRole + 1
    RowRole = Qt.ItemDataRole.UserRole + 2
    GroupRole = Qt.ItemDataRole.UserRole + 3  # 0 pinned, 1 recent, 2 the rest

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[ClientRow] = []
        self._pinned: list[str] = []
        self._recent: list[str] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        group = self._group(row.id)
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [row.name]
            if row.aliases:
                parts.append(self.tr("Also: {0}").format(", ".join(row.aliases)))
            if row.tags:
                parts.append(self.tr("Tags: {0}").format(", ".join(row.tags)))
            return "\n".join(parts)
        if role == Qt.ItemDataRole.FontRole and group == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == self.IdRole:
            return row.id
        if role == self.RowRole:
            return row
        if role == self.GroupRole:
            return group
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return row.name
        return None

    def _group(self, client_id: str) -> int:
        if client_id in self._pinned:
            return 0
        if client_id in self._recent:
            return 1
        return 2

    def set_rows(self, rows: list[ClientRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def set_marks(self, *, pinned: list[str], recent: list[str]) -> None:
        self._pinned, self._recent = list(pinned), list(recent)
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))

    def rank(self, client_id: str) -> int:
        """Position among pinned or recent clients, so they keep the person's order."""
        if client_id in self._pinned:
            return self._pinned.index(client_id)
        if client_id in self._recent:
            return self._recent.index(client_id)
        return 0

    def row_of(self, client_id: str) -> int:
        return next((i for i, row in enumerate(self._rows) if row.id == client_id), -1)

    def all_tags(self) -> list[str]:
        return sorted({tag for row in self._rows for tag in row.tags}, key=str.casefold)


class ClientFilterModel(QSortFilterProxyModel):
    """Filters by typed text (name or alias, accents ignored), tag, owner and status."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._text = ""
        self._tag: str | None = None
        self._owner: str | None = None
        self._status: str | None = None
        self.setDynamicSortFilter(True)

    def set_filters(self, *, text: str, tag: str | None, owner: str | None, status: str | None) -> None:
        self.beginFilterChange()
        self._text = fold(text.strip())
        self._tag, self._owner, self._status = tag, owner, status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        row: ClientRow = self.sourceModel().index(source_row, 0, source_parent).data(ClientListModel.RowRole)
        if row is None:
            return False
        if self._text and self._text not in row.folded:
            return False
        if self._tag and self._tag not in row.tags:
            return False
        if self._owner and row.owner_id != self._owner:
            return False
        return not (self._status and row.status != self._status)

    def lessThan(
        self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model: ClientListModel = self.sourceModel()
        lg, rg = left.data(ClientListModel.GroupRole), right.data(ClientListModel.GroupRole)
        if lg != rg:
            return lg < rg
        if lg in (0, 1):
            return model.rank(left.data(ClientListModel.IdRole)) < model.rank(
                right.data(ClientListModel.IdRole)
            )
        return left.row() < right.row()  # the source is already in name order


class ClientListPanel(QWidget):
    """The left-hand panel: find a client quickly, by typing or by filters."""

    sig_client_activated = Signal(str)
    """The person chose a client (its id)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = ClientListModel(self)
        self.proxy = ClientFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.sort(0)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Filter clients…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Filter clients"))
        layout.addWidget(self.search)
        filters = QGridLayout()
        filters.setSpacing(4)
        self.tag_filter = QComboBox()
        self.tag_filter.setAccessibleName(self.tr("Filter by tag"))
        self.owner_filter = QComboBox()
        self.owner_filter.setAccessibleName(self.tr("Filter by owner"))
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName(self.tr("Filter by status"))
        self.status_filter.addItem(self.tr("Any status"), None)
        for status in CLIENT_STATUSES:
            self.status_filter.addItem(self.tr(choice_label(status)), status)
        for position, combo in enumerate((self.tag_filter, self.status_filter, self.owner_filter)):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            # Owner names are long: it gets a row of its own under tag and status.
            row, column, span = (0, position, 1) if position < 2 else (1, 0, 2)
            filters.addWidget(combo, row, column, 1, span)
        layout.addLayout(filters)
        self.list = QListView()
        self.list.setModel(self.proxy)
        self.list.setUniformItemSizes(True)
        self.list.setAccessibleName(self.tr("Clients"))
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.list, 1)
        self.empty = QLabel()
        self.empty.setProperty("role", "empty-state")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty)
        self.count = QLabel()
        self.count.setProperty("role", "muted")
        layout.addWidget(self.count)
        self.set_owners([])
        self._refresh_tags()

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._on_filters_changed)
        for combo in (self.tag_filter, self.owner_filter, self.status_filter):
            combo.currentIndexChanged.connect(self._on_filters_changed)
        self.list.activated.connect(self._on_list_activated)
        self.list.clicked.connect(self._on_list_activated)
        self.proxy.rowsInserted.connect(self._update_counts)
        self.proxy.rowsRemoved.connect(self._update_counts)
        self.proxy.modelReset.connect(self._update_counts)
        self.proxy.layoutChanged.connect(self._update_counts)

    def set_clients(self, rows: list[tuple]) -> None:
        self.model.set_rows([ClientRow.from_tuple(r) for r in rows])
        self._refresh_tags()
        self._update_counts()

    def set_owners(self, owners: list[tuple[str, str]]) -> None:
        current = self.owner_filter.currentData()
        self.owner_filter.blockSignals(True)
        self.owner_filter.clear()
        self.owner_filter.addItem(self.tr("Any owner"), None)
        for owner_id, name in owners:
            self.owner_filter.addItem(name, owner_id)
        self.owner_filter.setCurrentIndex(max(self.owner_filter.findData(current), 0))
        self.owner_filter.blockSignals(False)

    def set_marks(self, *, pinned: list[str], recent: list[str]) -> None:
        self.model.set_marks(pinned=pinned, recent=recent)
        self.proxy.invalidate()

    def _refresh_tags(self) -> None:
        current = self.tag_filter.currentData()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem(self.tr("Any tag"), None)
        for tag in self.model.all_tags():
            self.tag_filter.addItem(tag, tag)
        self.tag_filter.setCurrentIndex(max(self.tag_filter.findData(current), 0))
        self.tag_filter.blockSignals(False)

    def _on_filters_changed(self, *_args) -> None:
        self.proxy.set_filters(
            text=self.search.text(),
            tag=self.tag_filter.currentData(),
            owner=self.owner_filter.currentData(),
            status=self.status_filter.currentData(),
        )
        self._update_counts()

    def _on_list_activated(self, index: QModelIndex) -> None:
        client_id = index.data(ClientListModel.IdRole)
        if client_id:
            self.sig_client_activated.emit(client_id)

    def select(self, client_id: str) -> None:
        row = self.model.row_of(client_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row))
            if index.isValid():
                self.list.setCurrentIndex(index)

    def _update_counts(self, *_args) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total == 0:
            self.empty.setText(self.tr("No clients yet.\nAdd one with New client (Ctrl+N)."))
        elif shown == 0:
            self.empty.setText(self.tr("No client matches these filters."))
        self.empty.setVisible(shown == 0)
        self.list.setVisible(shown > 0)
        self.count.setText(
            self.tr("{0} clients").format(total)
            if shown == total
            else self.tr("{0} of {1} clients").format(shown, total)
        )
