"""What every tab of the Sales page shares: reading its data off the UI thread, and reading again after changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTreeWidget, QVBoxLayout, QWidget

from companion.model.kinds import kinds_shown_on
from companion.ui.common.edits import EditController
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.wrapping_delegate import WrappingDelegate

# Besides the kinds shown on the Sales page, what its counts and names are read from.
READ_KINDS = kinds_shown_on("sales") | {
    "client",
    "colleague",
    "contact",
    "position",
    "relationship",
    "interaction",
}


class SalesTab(QWidget):
    """A tab that reads what it shows with one job; an answer to an older request is dropped.

    A tab that lists records (in `self.list`, each item's RecordRole its (kind, id)) can be asked to
    `select` one: at once if its data is in hand, else when the data arrives."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self.stale = True  # read on first show, and again after a change while hidden
        self._asked = 0
        self._answered = 0  # the latest request whose answer is shown: below `_asked`, one is on its way
        self._wanted: str | None = None  # the record to select when the data on its way arrives

    def load_job(self) -> Callable:
        """The job that reads what the tab shows."""
        raise NotImplementedError

    def show_data(self, data) -> None:
        """Shows what `load_job` read."""
        raise NotImplementedError

    def reload(self) -> None:
        self.stale = False
        self._asked += 1
        asked = self._asked
        self.edits.worker.submit(self.load_job(), lambda data: self._on_loaded(asked, data))

    def _on_loaded(self, asked: int, data) -> None:
        if asked == self._asked:
            self._answered = asked
            self.show_data(data)
            if self._wanted is not None:
                self._pick(self._wanted)
                self._wanted = None

    def select(self, record_id: str) -> None:
        """Selects this record, showing its detail, once the tab's data is in hand; a request still
        waiting is replaced by this one. A record not in the data shown yet (just made, say) is looked
        for once more in a fresh read."""
        self._wanted = record_id
        if self._answered != self._asked:
            return  # the answer on its way picks it
        if not self.stale and self._pick(record_id):
            self._wanted = None
        else:
            self.reload()

    def _pick(self, record_id: str) -> bool:
        """Makes the record's row current (its detail follows the selection); False if it is not listed."""
        for number in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(number)
            target = item.data(0, RecordRole)
            if target and target[1] == record_id:
                self.list.setCurrentItem(item)
                self.list.scrollToItem(item)
                return True
        return False

    def on_changed(self, kinds: frozenset[str], showing: bool) -> None:
        """Records changed: read again now if on screen, else when next shown."""
        if kinds & READ_KINDS:
            if showing:
                self.reload()
            else:
                self.stale = True


def button_bar(*buttons: QPushButton) -> QHBoxLayout:
    bar = QHBoxLayout()
    for button in buttons:
        bar.addWidget(button)
    bar.addStretch(1)
    return bar


def empty_state(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "empty-state")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


def tree(name: str, headers: list[str], widths: tuple[int, ...] = ()) -> QTreeWidget:
    """A list of records with headings; the first column wraps long names instead of cutting them."""
    view = QTreeWidget()
    view.setAccessibleName(name)
    view.setHeaderLabels(headers)
    view.setRootIsDecorated(False)
    view.setItemDelegate(WrappingDelegate(view))
    view.setUniformRowHeights(False)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view


def column(*widgets, margins: tuple[int, int, int, int] = (0, 0, 0, 0)) -> tuple[QWidget, QVBoxLayout]:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(*margins)
    for widget in widgets:
        if isinstance(widget, QWidget):
            layout.addWidget(widget)
        else:
            layout.addLayout(widget)
    return holder, layout
