"""The pipeline's rows drawn as cards: a deal's title and value, its close and qualification, its next step."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from companion.ui.common.theme import level_color, muted_text_color

# Where each row of the pipeline keeps what its card shows (a DealCard or a StageCard).
CardRole = Qt.ItemDataRole.UserRole + 43
PADDING = 6


@dataclass(frozen=True)
class DealCard:
    """One deal's card: three lines."""

    title: str
    value: str  # "420,000 BRL", or ""
    facts: str  # "closes 2027-04-05 · 1/8 confirmed"
    gaps: str  # "⚠ 1 gap", or ""
    next_step: str  # "Next: Call Ingrid · 2026-12-11", or a hint that there is none
    overdue: bool
    closed: bool  # won, lost or withdrawn: shown muted


@dataclass(frozen=True)
class StageCard:
    """A stage's band above its deals: its name, and how many deals of what value."""

    label: str
    summary: str
    closed: bool


class DealCardDelegate(QStyledItemDelegate):
    """Paints DealCards and StageCards; anything else as a plain row."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        card = index.data(CardRole)
        line = option.fontMetrics.lineSpacing()
        if isinstance(card, DealCard):
            return QSize(200, 3 * line + 2 * PADDING + 4)
        if isinstance(card, StageCard):
            return QSize(200, line + 2 * PADDING + 2)
        return super().sizeHint(option, index)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        card = index.data(CardRole)
        if not isinstance(card, DealCard | StageCard):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if isinstance(card, StageCard):
            # A band of the alternate base marks where a stage begins.
            painter.fillRect(opt.rect, opt.palette.alternateBase())
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text = opt.palette.highlightedText().color() if selected else opt.palette.text().color()
        painter.save()
        area = opt.rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        if isinstance(card, StageCard):
            self._paint_stage(painter, area, opt, card, text, selected)
        else:
            self._paint_deal(painter, area, opt, card, text, selected)
        painter.restore()

    def _paint_stage(self, painter, area: QRect, opt, card: StageCard, text: QColor, selected: bool) -> None:
        bold = QFont(opt.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text if selected or not card.closed else muted_text_color())
        metrics = painter.fontMetrics()
        summary_width = min(metrics.horizontalAdvance(card.summary) + 2, area.width() // 2)
        painter.drawText(
            area.adjusted(0, 0, -summary_width - 8, 0), Qt.AlignmentFlag.AlignVCenter, card.label
        )
        painter.setFont(opt.font)
        painter.setPen(text if selected else muted_text_color())
        summary = painter.fontMetrics().elidedText(card.summary, Qt.TextElideMode.ElideRight, summary_width)
        painter.drawText(area, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, summary)

    def _paint_deal(self, painter, area: QRect, opt, card: DealCard, text: QColor, selected: bool) -> None:
        line = opt.fontMetrics.lineSpacing()
        muted = text if selected else muted_text_color()
        bold = QFont(opt.font)
        bold.setBold(True)
        painter.setFont(bold)
        metrics = painter.fontMetrics()
        value_width = metrics.horizontalAdvance(card.value) + 2 if card.value else 0
        first = QRect(area.left(), area.top(), area.width(), line)
        painter.setPen(muted if card.closed else text)
        title_width = max(0, area.width() - value_width - (12 if value_width else 0))
        painter.drawText(
            first.adjusted(0, 0, -(area.width() - title_width), 0),
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(card.title, Qt.TextElideMode.ElideRight, title_width),
        )
        if card.value:
            painter.drawText(first, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, card.value)
        painter.setFont(opt.font)
        metrics = painter.fontMetrics()
        second = first.translated(0, line + 2)
        painter.setPen(muted)
        facts = metrics.elidedText(card.facts, Qt.TextElideMode.ElideRight, area.width())
        painter.drawText(second, Qt.AlignmentFlag.AlignVCenter, facts)
        if card.gaps:
            gaps_left = metrics.horizontalAdvance(facts + "   ")
            painter.setPen(text if selected else level_color("watch"))
            painter.drawText(second.adjusted(gaps_left, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, card.gaps)
        third = second.translated(0, line + 2)
        painter.setPen(
            text if selected else level_color("bad") if card.overdue else muted if card.closed else text
        )
        painter.drawText(
            third,
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(card.next_step, Qt.TextElideMode.ElideRight, area.width()),
        )
