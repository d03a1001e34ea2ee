"""The meeting checklist as a tree: sections (where items came from), and the items to tick under them.

A must-item carries a small "MUST" badge before its text, quiet while the meeting is some way off or the
item is ticked, red only while it is open on a meeting that is close (MUST_URGENT_HOURS): the list stays
calm to read, and what needs doing now stands out.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPen, QPixmap

from companion.core import checklist
from companion.core.changes import Record
from companion.ui.common.theme import current_scheme, muted_text_color, severity_color

_SECTION = 0  # internal id of a section row; an item row's is its section's number + 1

AnyIndex = QModelIndex | QPersistentModelIndex

# Open must-items turn red this many hours before the meeting starts.
MUST_URGENT_HOURS = 48
# The badge's size in the tree (its icon size); items without one keep the room, so texts line up.
BADGE_SIZE = QSize(40, 15)
# Badge states: no badge, a must-item ticked, open, open on a meeting that is close.
NONE, DONE, OPEN, URGENT = "", "done", "open", "urgent"

_badges: dict[tuple[str, str, float], QIcon] = {}


def must_badge(state: str) -> QIcon:
    """The badge of a must-item in `state` (DONE, OPEN, URGENT), or the blank room of an item without one."""
    ratio = max(2.0, QGuiApplication.instance().devicePixelRatio())  # sharp on high-DPI screens too
    key = (state, current_scheme(), ratio)
    if (cached := _badges.get(key)) is not None:
        return cached
    pixmap = QPixmap(round(BADGE_SIZE.width() * ratio), round(BADGE_SIZE.height() * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    if state:
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pill = QRectF(0.5, 0.5, BADGE_SIZE.width() - 5.0, BADGE_SIZE.height() - 1.0)
        if state == URGENT:
            fill = severity_color("must")
            ink = QColor("#FFFFFF") if current_scheme() == "light" else QColor("#1C1E22")
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
        else:
            ink = muted_text_color() if state == DONE else QGuiApplication.palette().text().color()
            edge = QColor(ink)
            edge.setAlphaF(0.55 if state == OPEN else 0.35)
            painter.setPen(QPen(edge, 1.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        font = QFont(QGuiApplication.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.72))
        font.setBold(True)
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
        painter.setFont(font)
        painter.setPen(ink)
        painter.drawText(
            pill, Qt.AlignmentFlag.AlignCenter, QGuiApplication.translate("ChecklistModel", "MUST")
        )
        painter.end()
    badge = QIcon()
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected, QIcon.Mode.Active):  # never tinted when selected
        badge.addPixmap(pixmap, mode)
    _badges[key] = badge
    return badge


class ChecklistModel(QAbstractItemModel):
    """Sections in the order composed; ticking an item asks for it to be saved."""

    sig_tick_requested = Signal(str, bool)
    """The person ticked or unticked an item: (item id, done)."""

    IdRole = Qt.ItemDataRole.UserRole + 1
    DetailRole = Qt.ItemDataRole.UserRole + 2
    BadgeRole = Qt.ItemDataRole.UserRole + 3
    """NONE, DONE, OPEN or URGENT: the must-item's badge."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._sections: list[tuple[str, list[Record]]] = []
        self._done: dict[str, bool] = {}
        self._close = False

    def set_items(self, items: tuple[Record, ...] | list[Record], *, close: bool = False) -> None:
        """The items, in the order composed; `close`: the meeting is near (its open musts turn red)."""
        self.beginResetModel()
        self._close = close
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
            return text
        if role == Qt.ItemDataRole.DecorationRole:
            return must_badge(self._badge(item))
        if role == self.BadgeRole:
            return self._badge(item)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return str(item["text"]) + (self.tr(", must be done") if item["must"] else "")
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if self._done.get(item.id) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(item["detail"]) if item["detail"] else None
        if role == self.IdRole:
            return item.id
        if role == self.DetailRole:
            return str(item["detail"] or "")
        return None

    @property
    def close(self) -> bool:
        """The meeting is near: its open must-items are red."""
        return self._close

    def _badge(self, item: Record) -> str:
        if not item["must"]:
            return NONE
        if self._done.get(item.id):
            return DONE
        return URGENT if self._close else OPEN

    def setData(self, index: AnyIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.item_at(index)
        if item is None or role != Qt.ItemDataRole.CheckStateRole:
            return False
        done = Qt.CheckState(value) == Qt.CheckState.Checked
        if self._done.get(item.id) == done:
            return False
        self._done[item.id] = done  # shown at once; the page reloads if saving is refused
        self.dataChanged.emit(
            index, index, [Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.DecorationRole, self.BadgeRole]
        )
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
