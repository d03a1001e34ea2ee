"""The search palette (Ctrl+K): results across every kind as you type; Enter opens the record."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from companion.model.kinds import KINDS_BY_NAME
from companion.ui.common.worker import DbWorker
from companion.ui.search import operations


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
        layout.addWidget(self.results, 1)
        self.hint = QLabel(self.tr("Type a name, a word from a note, a site…  ↑↓ to move, Enter to open."))
        self.hint.setProperty("role", "muted")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.resize(560, 420)

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
        for hit in hits:
            kind = KINDS_BY_NAME[hit.kind]
            # The kind first, so it stays in sight when a long summary is cut at the right edge.
            item = QListWidgetItem(f"{self.tr(kind.label)}  ·  {hit.title}")
            item.setToolTip(hit.title)
            item.setData(Qt.ItemDataRole.UserRole, (hit.kind, hit.record_id))
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
