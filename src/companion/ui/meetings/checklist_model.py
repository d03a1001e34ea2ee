"""The meeting checklist as a tree: sections (where items came from), and the items to tick under them."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from companion.core import checklist
from companion.core.changes import Record
from companion.ui.common.theme import severity_color

_SECTION = 0  # internal id of a section row; an item row's is its section's number + 1

AnyIndex = QModelIndex | QPersistentModelIndex


class ChecklistModel(QAbstractItemModel):
    """Sections in the order composed; ticking an item asks for it to be saved."""

    sig_tick_requested = Signal(str, bool)
    """The person ticked or unticked an item: (item id, done)."""

    IdRole = Qt.ItemDataRole.UserRole + 1
    DetailRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent=None):
        super().__init__(parent)
        self._sections: list[tuple[str, list[Record]]] = []
        self._done: dict[str, bool] = {}

    def set_items(self, items: tuple[Record, ...] | list[Record]) -> None:
        self.beginResetModel()
        self._sections = []
        for item in items:
            name = checklist.section_of(item)
            if not self._sections or self._sections[-1][0] != name:
                self._sections.append((name, []))
            self._sections[-1][1].append(item)
        self._done = {item.id: bool(item["done"]) for item in items}
        self.endResetModel()

    # --- structure ---------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _SECTION) if row < len(self._sections) else QModelIndex()
        if parent.internalId() != _SECTION or parent.row() >= len(self._sections):
            return QModelIndex()
        items = self._sections[parent.row()][1]
        return self.createIndex(row, 0, parent.row() + 1) if row < len(items) else QModelIndex()

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _SECTION:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _SECTION)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._sections)
        if parent.internalId() == _SECTION and parent.column() == 0 and parent.row() < len(self._sections):
            return len(self._sections[parent.row()][1])
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 1

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.internalId() != _SECTION:
            flags |= Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemNeverHasChildren
        return flags

    # --- content -----------------------------------------------------------------------------

    def item_at(self, index: AnyIndex) -> Record | None:
        if not index.isValid() or index.internalId() == _SECTION:
            return None
        return self._sections[index.internalId() - 1][1][index.row()]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self.item_at(index)
        if item is None:
            name, items = self._sections[index.row()]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                done = sum(1 for i in items if self._done.get(i.id))
                return f"{name}  ({done}/{len(items)})"
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            text = str(item["text"])
            if item["detail"] and len(text) < 60:
                # A short label reads better with the start of what it labels: "Dress code — Suit".
                first = str(item["detail"]).strip().splitlines()[0].removeprefix("- ")
                text += f" — {first if len(first) <= 110 else first[:109] + '…'}"
            return text + (self.tr("  · must") if item["must"] else "")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return str(item["text"]) + (self.tr(", must be done") if item["must"] else "")
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if self._done.get(item.id) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(item["detail"]) if item["detail"] else None
        if role == Qt.ItemDataRole.ForegroundRole and item["must"] and not self._done.get(item.id):
            return severity_color("must")
        if role == self.IdRole:
            return item.id
        if role == self.DetailRole:
            return str(item["detail"] or "")
        return None

    def setData(self, index: AnyIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.item_at(index)
        if item is None or role != Qt.ItemDataRole.CheckStateRole:
            return False
        done = Qt.CheckState(value) == Qt.CheckState.Checked
        if self._done.get(item.id) == done:
            return False
        self._done[item.id] = done  # shown at once; the page reloads if saving is refused
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.ForegroundRole])
        section = self.parent(index)
        self.dataChanged.emit(section, section, [Qt.ItemDataRole.DisplayRole])
        self.sig_tick_requested.emit(item.id, done)
        return True

    def index_of(self, item_id: str) -> QModelIndex:
        for s, (_name, items) in enumerate(self._sections):
            for r, item in enumerate(items):
                if item.id == item_id:
                    return self.index(r, 0, self.index(s, 0))
        return QModelIndex()
