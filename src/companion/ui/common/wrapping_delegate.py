"""Items whose text wraps to their column's width in a tree or list, so nothing a person wrote is cut off."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

PADDING = 6


class WrappingDelegate(QStyledItemDelegate):
    """Sizes each row to its text wrapped at the column's width (a view asks for row heights once, with
    no width, unless told: this measures against the column the item is drawn in)."""

    def __init__(self, view: QAbstractItemView):
        super().__init__(view)
        self.view = view
        view.setWordWrap(True)
        if isinstance(view, QTreeView):
            view.setUniformRowHeights(False)
            # A column made wider or narrower changes every row's height.
            view.header().sectionResized.connect(lambda *_args: view.scheduleDelayedItemsLayout())

    def _text_width(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> int:
        view = self.view
        if isinstance(view, QTreeView):
            width = view.columnWidth(index.column())
            if index.column() == 0:
                depth, parent = 0, index.parent()
                while parent.isValid():
                    depth, parent = depth + 1, parent.parent()
                width -= view.indentation() * (depth + (1 if view.rootIsDecorated() else 0))
        else:
            width = view.viewport().width()
        style = view.style()
        if option.features & QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator:
            width -= style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + 2 * PADDING
        if option.features & QStyleOptionViewItem.ViewItemFeature.HasDecoration:
            width -= option.decorationSize.width() + PADDING
        return max(80, width - 2 * PADDING)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = self._text_width(opt, index)
        text = opt.text or ""
        bounds = QFontMetrics(opt.font).boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text
        )
        base = super().sizeHint(option, index)
        return QSize(base.width(), max(base.height(), bounds.height() + PADDING))
