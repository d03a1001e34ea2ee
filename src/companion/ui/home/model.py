"""Home's worklist as a model: each group a top-level row with its count, its items beneath, and a
"show more" row when the group has more than it lists; a proxy keeps the groups of one type; a delegate
draws an item on two lines (what to do and for which client; why it is due)."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from companion.core.attention import PER_REASON, Attention, AttentionItem, Group
from companion.ui.common import theme

# What a row is: a group's heading, an item, or the row that lists more of a group.
ROW_KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ITEM_ROLE = Qt.ItemDataRole.UserRole + 2  # the AttentionItem of an item row
REASON_ROLE = Qt.ItemDataRole.UserRole + 3  # the group's reason, on every row
COUNT_ROLE = Qt.ItemDataRole.UserRole + 4  # a heading's total; the "more" row's number not listed
HEADLINE_ROLE = Qt.ItemDataRole.UserRole + 5  # "Call Ingrid Dahl — Halvorsen Offshore"
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 6  # "last contact 94 days ago, every 60 (34 days overdue)"
NOTE_ROLE = Qt.ItemDataRole.UserRole + 7  # "snoozed until Tue 08 Dec"

HEADING, ITEM, MORE = "heading", "item", "more"

# The groups' headings, by reason (core.attention.GROUPS gives their order).
HEADINGS = {
    "upcoming_meeting": "Meetings in the next two weeks",
    "follow_up_due": "Follow-ups due",
    "action_due": "Actions due",
    "next_step_due": "Next steps due",
    "target_due": "Campaign targets due",
    "overdue_contact": "People to contact",
    "early_warning": "Early warnings",
    "risk_review_due": "Risks to review",
    "contract_notice": "Contract notice dates",
    "plan_review_due": "Account plans to review",
    "reviews_due": "Reviews due",
    "role_model_due": "Culture role models to reassess",
    "stale_site": "Sites to verify",
}

_TOP = 0  # the internal id of a heading row; an item or "more" row's is its group's row + 1


class WorklistModel(QAbstractItemModel):
    """The groups of an Attention, one column. Items are AttentionItems (ITEM_ROLE)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._groups: tuple[Group, ...] = ()

    def set_attention(self, attention: Attention) -> None:
        self.beginResetModel()
        self._groups = attention.groups
        self.endResetModel()

    def group(self, row: int) -> Group:
        return self._groups[row]

    # --- structure ---------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()):
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _TOP) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != _TOP or parent.row() >= len(self._groups):
            return QModelIndex()
        if row >= self._child_count(self._groups[parent.row()]):
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() + 1)

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()):  # type: ignore[override]
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.column() != 0 or parent.internalId() != _TOP:
            return 0
        return self._child_count(self._groups[parent.row()])

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 1

    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return self.rowCount(parent) > 0

    @staticmethod
    def _child_count(group: Group) -> int:
        return len(group.items) + (1 if group.more else 0)

    # --- contents ----------------------------------------------------------------------------

    def row_kind(self, index: QModelIndex | QPersistentModelIndex) -> str | None:
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return HEADING
        group = self._groups[index.internalId() - 1]
        return ITEM if index.row() < len(group.items) else MORE

    def item(self, index: QModelIndex | QPersistentModelIndex) -> AttentionItem | None:
        if self.row_kind(index) != ITEM:
            return None
        return self._groups[index.internalId() - 1].items[index.row()]

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        kind = self.row_kind(index)
        if kind is None:
            return Qt.ItemFlag.NoItemFlags
        if kind == HEADING:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        kind = self.row_kind(index)
        if kind is None:
            return None
        group = self._groups[index.row() if kind == HEADING else index.internalId() - 1]
        if role == ROW_KIND_ROLE:
            return kind
        if role == REASON_ROLE:
            return group.reason
        if kind == HEADING:
            if role in (Qt.ItemDataRole.DisplayRole, HEADLINE_ROLE):
                return f"{self.tr(HEADINGS[group.reason])} ({group.total:,})"
            if role == COUNT_ROLE:
                return group.total
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return self.tr("{0}: {1} items").format(self.tr(HEADINGS[group.reason]), f"{group.total:,}")
            return None
        if kind == MORE:
            shown = min(PER_REASON, group.more)
            text = self.tr("Show {0} more of {1} not listed").format(f"{shown:,}", f"{group.more:,}")
            if role in (Qt.ItemDataRole.DisplayRole, HEADLINE_ROLE, Qt.ItemDataRole.AccessibleTextRole):
                return text
            if role == COUNT_ROLE:
                return group.more
            return None
        item = group.items[index.row()]
        if role == ITEM_ROLE:
            return item
        if role == HEADLINE_ROLE:
            return item.headline
        if role == DETAIL_ROLE:
            return item.detail
        if role == NOTE_ROLE:
            return self.tr("snoozed until {0}").format(item.snoozed_until) if item.snoozed_until else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return item.sentence
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.sentence
        return None


class WorklistFilter(QSortFilterProxyModel):
    """Keeps the groups of one reason (the type filter), or all of them."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._reason: str | None = None

    @property
    def reason(self) -> str | None:
        return self._reason

    def set_reason(self, reason: str | None) -> None:
        if reason != self._reason:
            self.beginFilterChange()
            self._reason = reason
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if source_parent.isValid() or self._reason is None:
            return True
        return self.sourceModel().index(source_row, 0).data(REASON_ROLE) == self._reason


class WorklistDelegate(QStyledItemDelegate):
    """A heading in bold with its count; an item on two lines, indented under it (what to do, elided;
    why, muted), with a snoozed note on the right; the "more" row as a link."""

    INDENT = 14
    PAD = 6

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setWeight(QFont.Weight.DemiBold)
        small = QFont(option.font)
        if small.pointSizeF() > 0:
            small.setPointSizeF(small.pointSizeF() * 0.92)
        return bold, small

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        kind = index.data(ROW_KIND_ROLE)
        metrics = option.fontMetrics
        bold, small = self._fonts(option)
        if kind == HEADING:
            return QSize(200, QFontMetrics(bold).height() + 2 * self.PAD + 8)
        if kind == MORE:
            return QSize(200, metrics.height() + 2 * self.PAD)
        return QSize(200, metrics.height() + QFontMetrics(small).height() + 2 * self.PAD + 2)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        kind = index.data(ROW_KIND_ROLE)
        if kind != HEADING:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)  # background
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        if selected:
            text_color = opt.palette.color(QPalette.ColorRole.HighlightedText)
            muted = QColor(text_color)
            muted.setAlphaF(0.8)
            link = text_color
        else:
            text_color = opt.palette.color(QPalette.ColorRole.Text)
            muted = theme.muted_text_color()
            link = opt.palette.color(QPalette.ColorRole.Link)
        bold, small = self._fonts(opt)
        rect = opt.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine
        painter.save()
        if kind == HEADING:
            # The heading sits at the bottom of its row: the space above it parts the groups.
            painter.setFont(bold)
            heading = QRect(rect.left(), rect.top() + 8, rect.width(), rect.height() - 8)
            painter.setPen(text_color)
            metrics = QFontMetrics(bold)
            text = index.data(HEADLINE_ROLE) or ""
            painter.drawText(
                heading, flags, metrics.elidedText(text, Qt.TextElideMode.ElideRight, heading.width())
            )
            painter.setPen(opt.palette.color(QPalette.ColorRole.Mid))
            painter.drawLine(rect.left(), opt.rect.bottom(), rect.right(), opt.rect.bottom())
            painter.restore()
            return
        rect.setLeft(rect.left() + self.INDENT)
        metrics = opt.fontMetrics
        if kind == MORE:
            painter.setFont(opt.font)
            painter.setPen(link)
            text = index.data(HEADLINE_ROLE) or ""
            painter.drawText(rect, flags, metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width()))
            painter.restore()
            return
        note = index.data(NOTE_ROLE) or ""
        small_metrics = QFontMetrics(small)
        note_width = small_metrics.horizontalAdvance(note) + self.PAD if note else 0
        top = QRect(rect.left(), rect.top(), rect.width(), metrics.height())
        bottom = QRect(rect.left(), top.bottom() + 2, rect.width() - note_width, small_metrics.height())
        painter.setFont(opt.font)
        painter.setPen(text_color)
        headline = index.data(HEADLINE_ROLE) or ""
        painter.drawText(top, flags, metrics.elidedText(headline, Qt.TextElideMode.ElideRight, top.width()))
        painter.setFont(small)
        painter.setPen(muted)
        detail = index.data(DETAIL_ROLE) or ""
        painter.drawText(
            bottom, flags, small_metrics.elidedText(detail, Qt.TextElideMode.ElideRight, bottom.width())
        )
        if note:
            painter.setPen(theme.warning_color() if not selected else text_color)
            right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine
            painter.drawText(QRect(rect.left(), bottom.top(), rect.width(), bottom.height()), right, note)
        painter.restore()
