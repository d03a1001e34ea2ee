"""What every tab of the Sales page shares: reading its data off the UI thread, and reading again after changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QSplitter, QTreeWidgetItem, QVBoxLayout, QWidget

from companion.model.kinds import kinds_shown_on
from companion.ui.common.edits import EditController
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.widgets import button_bar, column

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
    `select` one: at once if its data is in hand, else when the data arrives. Such a tab fills its list
    with `fill_list`, which keeps the selection and shows `self.empty` in place of an empty list."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self.stale = True  # read on first show, and again after a change while hidden
        self._asked = 0
        self._answered = 0  # the latest request whose answer is shown: below `_asked`, one is on its way
        self._wanted: str | None = None  # the record to select when the data on its way arrives
        self._listed: dict[str, object] = {}  # what fill_list listed, by the id of its record

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

    def lay_out_beside(self, buttons: list[QPushButton], detail: QWidget, sizes: list[int]) -> QSplitter:
        """Lays the tab out: on the left its buttons over `self.list` (`self.empty` in its place when it
        is empty), on the right the selected record's `detail`."""
        left, left_layout = column(button_bar(*buttons), self.list)
        left_layout.addWidget(self.empty, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(detail)
        splitter.setSizes(sizes)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addWidget(splitter)
        return splitter

    def fill_list(
        self, rows: Iterable, item_of: Callable[[object], QTreeWidgetItem], *beside: QWidget
    ) -> None:
        """Lists one item a row (`item_of` sets its RecordRole), the record selected before staying selected
        (else the first); with no rows, `self.empty` shows in place of the list and of the widgets `beside`."""
        chosen = self.current_id()
        self._listed = {}
        self.list.blockSignals(True)
        self.list.clear()
        for row in rows:
            item = item_of(row)
            record_id = item.data(0, RecordRole)[1]
            self._listed[record_id] = row
            self.list.addTopLevelItem(item)
            if record_id == chosen:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.list.currentItem() is None and self.list.topLevelItemCount():
            self.list.setCurrentItem(self.list.topLevelItem(0))  # its detail follows the selection
        else:
            self._on_selection_changed()
        filled = bool(self._listed)
        for widget in (self.list, *beside):
            widget.setVisible(filled)
        self.empty.setVisible(not filled)

    def current_id(self) -> str | None:
        """The id of the record selected in the list."""
        item = self.list.currentItem()
        target = item.data(0, RecordRole) if item is not None else None
        return target[1] if target else None

    def current_row(self):
        """The row fill_list listed for the record selected, or None."""
        return self._listed.get(self.current_id() or "")

    def _on_selection_changed(self) -> None:
        """Shows the selected record's detail: a tab with a list says how."""

    def on_changed(self, kinds: frozenset[str], showing: bool) -> None:
        """Records changed: read again now if on screen, else when next shown."""
        if kinds & READ_KINDS:
            if showing:
                self.reload()
            else:
                self.stale = True
