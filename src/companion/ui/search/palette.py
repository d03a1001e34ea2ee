"""The search palette (Ctrl+K): results across every kind as you type; Enter opens the record."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from companion.model.kinds import KINDS_BY_NAME
from companion.ui.common import theme
from companion.ui.common.worker import DbWorker
from companion.ui.search import operations

# A result's parts (kind label, title, context) beside its accessible text (DisplayRole:
# "Contact · Ana Andersen — CFO, Halvorsen Offshore").
PARTS_ROLE = Qt.ItemDataRole.UserRole + 1
_FLAGS = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextSingleLine
_ELIDE = Qt.TextElideMode.ElideRight


class ResultDelegate(QStyledItemDelegate):
    """A result on one line: its kind in a muted column (as wide as the widest kind shown), its title,
    then what tells it apart, muted. A long title leaves room for the context; both are elided.

    Painting runs in Python while the search of the next keystroke waits for the interpreter, so
    where each part goes is worked out once per result and width, not at every paint.
    """

    GAP = 12  # between the columns, in pixels
    # The share of the line a title may take from its context when both do not fit.
    TITLE_SHARE = 0.6

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._labels: tuple[str, ...] = ()
        self._layouts: dict[tuple, tuple] = {}
        self._muted = theme.muted_text_color()

    def fit_kinds(self, labels: list[str]) -> None:
        """Sizes the kind column to the widest of these labels (those of the results shown)."""
        self._labels = tuple(sorted(set(labels)))
        self._layouts.clear()
        self._muted = theme.muted_text_color()  # (the scheme may have changed since)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() + 10))

    def _layout(self, parts: tuple[str, str, str], rect: QRect, option: QStyleOptionViewItem) -> tuple:
        """((x, width, text, muted) of each part to draw, relative to the text rectangle's left."""
        metrics = option.fontMetrics
        kind, title, context = parts
        # (+2: whole pixels round a text's width down, and elidedText would cut the widest label)
        widest = max(map(metrics.horizontalAdvance, self._labels), default=0) + 2
        kind_width = min(widest, rect.width() // 3)
        drawn = [(0, kind_width, metrics.elidedText(kind, _ELIDE, kind_width), True)]
        left = kind_width + self.GAP
        room = rect.width() - left
        # The title, then its context: the title keeps its share when both do not fit.
        context_text = f"— {context}" if context else ""
        title_width = metrics.horizontalAdvance(title)
        context_width = metrics.horizontalAdvance(context_text) if context else 0
        if context and title_width + self.GAP + context_width > room:
            title_width = min(title_width, max(room - self.GAP - context_width, int(room * self.TITLE_SHARE)))
        title_width = max(0, min(title_width, room))
        drawn.append((left, title_width, metrics.elidedText(title, _ELIDE, title_width), False))
        start = left + title_width + self.GAP
        width = rect.width() - start
        if context and width > metrics.horizontalAdvance("— …"):
            drawn.append((start, width, metrics.elidedText(context_text, _ELIDE, width), True))
        return tuple(drawn)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        parts = index.data(PARTS_ROLE)
        if parts is None:  # "Nothing found…"
            super().paint(painter, option, index)
            return
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        key = (parts, option.rect.width())
        laid = self._layouts.get(key)
        if selected or state & QStyle.StateFlag.State_MouseOver or laid is None:
            # The style's background (selection, hover) and where its padding leaves the text.
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.text = ""
            widget = opt.widget
            style = widget.style() if widget is not None else QApplication.style()
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
            if laid is None:
                rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
                inset = (rect.left() - option.rect.left(), rect.top() - option.rect.top(), rect.height())
                laid = self._layouts[key] = (inset, self._layout(parts, rect, opt))
        (dx, dy, height), layout = laid
        if selected:
            text_color = option.palette.color(QPalette.ColorRole.HighlightedText)
            muted = QColor(text_color)
            muted.setAlphaF(0.78)
        else:
            text_color = option.palette.color(QPalette.ColorRole.Text)
            muted = self._muted
        left, top = option.rect.left() + dx, option.rect.top() + dy
        painter.save()
        painter.setFont(option.font)
        for x, width, text, is_muted in layout:
            painter.setPen(muted if is_muted else text_color)
            painter.drawText(QRect(left + x, top, width, height), _FLAGS, text)
        painter.restore()


class SearchPalette(QDialog):
    """Type to search; arrows move, Enter opens, Escape closes. Stale queries are dropped."""

    sig_result_chosen = Signal(str, str)
    """The person opened a result: (kind, record id)."""
    sig_results_shown = Signal(str)
    """Results for this text are on screen (for tests and benchmarks)."""

    def __init__(self, worker: DbWorker, parent: QWidget | None = None):
        super().__init__(parent)
        self.worker = worker
        self._ticket: int | None = None
        self._pending: str | None = None
        self.setWindowTitle(self.tr("Search"))
        self.setModal(True)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.input = QLineEdit()
        self.input.setPlaceholderText(self.tr("Search people, clients, sites, notes…"))
        self.input.setAccessibleName(self.tr("Search"))
        self.input.setClearButtonEnabled(True)
        self.input.installEventFilter(self)
        layout.addWidget(self.input)
        self.results = QListWidget()
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setUniformItemSizes(True)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.delegate = ResultDelegate(self.results)
        self.results.setItemDelegate(self.delegate)
        layout.addWidget(self.results, 1)
        self.hint = QLabel(self.tr("Type a name, a word from a note, a site…  ↑↓ to move, Enter to open."))
        self.hint.setProperty("role", "muted")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.resize(680, 440)

    def _connect_signals(self) -> None:
        self.input.textChanged.connect(self._on_input_text_changed)
        self.results.itemActivated.connect(self._on_results_item_activated)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.input and event.type() == QEvent.Type.KeyPress:
            key = QKeyEvent(event).key() if not isinstance(event, QKeyEvent) else event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 8, Qt.Key.Key_PageUp: -8}[
                    key
                ]
                row = min(max(self.results.currentRow() + step, 0), self.results.count() - 1)
                self.results.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.results.currentItem()
                if item is not None:
                    self._on_results_item_activated(item)
                return True
        return super().eventFilter(watched, event)

    def open_palette(self) -> None:
        self.input.selectAll()
        self.show()
        self.raise_()
        self.input.setFocus()

    def _on_input_text_changed(self, text: str) -> None:
        # Only the newest query matters: a query still waiting is replaced, not run.
        if self._ticket is not None:
            self.worker.cancel(self._ticket)
        if not text.strip():
            self._ticket = None
            self.results.clear()
            self.sig_results_shown.emit(text)
            return
        self._ticket = self.worker.submit(
            partial(operations.search_everything, text=text),
            lambda hits: self._on_search_done(text, hits),
            lambda _f: None,
        )

    def _on_search_done(self, text: str, hits) -> None:
        if text != self.input.text():
            return
        self._ticket = None
        self.results.clear()
        labels = [self.tr(KINDS_BY_NAME[hit.kind].label) for hit in hits]
        self.delegate.fit_kinds(labels)
        for hit, label in zip(hits, labels, strict=True):
            # What a screen reader says, and what the delegate draws in parts.
            spoken = f"{label} · {hit.title}" + (f" — {hit.context}" if hit.context else "")
            item = QListWidgetItem(spoken)
            item.setToolTip(f"{hit.title}\n{hit.context}" if hit.context else hit.title)
            item.setData(Qt.ItemDataRole.UserRole, (hit.kind, hit.record_id))
            item.setData(PARTS_ROLE, (label, hit.title, hit.context))
            self.results.addItem(item)
        if hits:
            self.results.setCurrentRow(0)
        else:
            self.results.addItem(QListWidgetItem(self.tr("Nothing found for “{0}”.").format(text)))
        self.sig_results_shown.emit(text)

    def _on_results_item_activated(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            self.hide()
            self.sig_result_chosen.emit(*target)
