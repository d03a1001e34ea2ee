"""The client list: search box, filters by tag, owner and status, pinned and recent clients first."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from companion.model.kinds import CLIENT_STATUSES
from companion.model.labels import choice_label
from companion.model.text import fold
from companion.ui.people.contacts_drop import ContactsDrop

CLIENT_COLUMNS = ("id", "name", "aliases", "status", "tags", "owner_id")
# The first paint reads names without the JSON lists (aliases, tags): decoding 20,000 of them is
# a tenth of a second the window can show sooner; the full rows follow from the worker.
FIRST_PAINT_COLUMNS = ("id", "name", None, "status", None, "owner_id")
# Until every client is read, the list holds this many by name (and the pinned and recent ones), not
# all 10,000: more than it shows on any screen (rows are ~20 px: a 2,160 px screen shows ~110).
FIRST_SCREEN_ROWS = 200


# Rows are the tuples the services return, in CLIENT_COLUMNS order: no per-row objects to build.
ID, NAME, ALIASES, STATUS, TAGS, OWNER = range(len(CLIENT_COLUMNS))


class ClientListModel(QAbstractListModel):
    """The clients shown: pinned first, then recent, then the rest by name; filtered as the person types.

    The order stays put while the list is in use: opening a client makes it recent, but it moves up
    only when the person next asks for a list (types in the filter, changes a filter, or starts the
    app), never under their cursor. Pinning is a choice of its own and places the client at once; a
    reload after an edit or a sync keeps the order (a new client falls in by name).

    Filtering and ordering happen here in one pass over plain tuples rather than in a
    QSortFilterProxyModel, whose per-row calls into Python cost ~1 s per keystroke at 10,000 clients.

    At start-up the list may hold only the clients the first screen shows (`set_rows` with a total):
    the count says every client from the first frame, and the rest follow. (Rows without data in their
    place cost as much as rows: placing each row asks the model twice, in Python, whether it exists.)
    A filter typed before they arrive applies to the clients read so far.
    """

    IdRole = Qt.ItemDataRole.UserRole + 1
    GroupRole = Qt.ItemDataRole.UserRole + 2  # 0 pinned, 1 recent, 2 the rest

    def __init__(self, parent=None):
        super().__init__(parent)
        self._all: list[tuple] = []
        self._shown: list[tuple] = []
        self._total = 0  # every client's count, read or not
        self._folded: list[str] | None = None  # made on the first filter, not at start-up
        self._pinned: list[str] = []
        self._recent: list[str] = []
        # The pinned and recent clients the order was made with (None until the first marks arrive).
        self._placed: tuple[list[str], list[str]] | None = None
        self._text = ""
        self._tag: str | None = None
        self._owner: str | None = None
        self._status: str | None = None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._shown)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        row = self._shown[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row[NAME]
        if role == self.IdRole:
            return row[ID]
        if role == self.GroupRole:
            return self._group(row[ID])
        if role == Qt.ItemDataRole.FontRole and row[ID] in self._pinned:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [row[NAME]]
            if row[ALIASES]:
                parts.append(self.tr("Also: {0}").format(", ".join(row[ALIASES])))
            if row[TAGS]:
                parts.append(self.tr("Tags: {0}").format(", ".join(row[TAGS])))
            return "\n".join(parts)
        return None

    def _group(self, client_id: str) -> int:
        """The group the client is shown in (as placed, which a recent visit does not change yet)."""
        pinned, recent = self._placed or ([], [])
        if client_id in pinned:
            return 0
        if client_id in recent:
            return 1
        return 2

    def set_rows(self, rows: list[tuple], total: int | None = None) -> None:
        """Every client, by name; or, with `total`, only the first clients by name and the pinned and
        recent ones, of `total` clients in all (the first paint's: the rest follow)."""
        self._all = list(rows)
        self._total = len(self._all) if total is None else max(total, len(self._all))
        self._folded = None
        self._refresh()

    def set_marks(self, *, pinned: list[str], recent: list[str]) -> None:
        """The pinned and recent clients now. The first marks, and a change of the pinned ones, place
        the clients at once; recent visits wait for the next list the person asks for."""
        self._pinned, self._recent = list(pinned), list(recent)
        if self._placed is None:
            self._placed = (self._pinned, self._recent)
        elif self._placed[0] != self._pinned:
            self._placed = (self._pinned, self._placed[1])
        else:
            return
        self._refresh()

    def set_filters(self, *, text: str, tag: str | None, owner: str | None, status: str | None) -> None:
        """A new list the person asked for: filtered, and ordered by the pinned and recent clients now."""
        self._text = fold(text.strip())
        self._tag, self._owner, self._status = tag, owner, status
        self._placed = (self._pinned, self._recent)
        self._refresh()

    def _refresh(self) -> None:
        rows = self._all
        if self._text:
            if self._folded is None:
                self._folded = [fold(" ".join((r[NAME], *(r[ALIASES] or ())))) for r in rows]
            rows = [r for r, folded in zip(rows, self._folded, strict=True) if self._text in folded]
        if self._tag:
            rows = [r for r in rows if self._tag in (r[TAGS] or ())]
        if self._owner:
            rows = [r for r in rows if r[OWNER] == self._owner]
        if self._status:
            rows = [r for r in rows if r[STATUS] == self._status]
        pinned, recent_ids = self._placed or ([], [])
        marked = {cid: i for i, cid in enumerate(pinned)}
        recent = {cid: i for i, cid in enumerate(recent_ids) if cid not in marked}
        first = sorted((r for r in rows if r[ID] in marked), key=lambda r: marked[r[ID]])
        then = sorted((r for r in rows if r[ID] in recent), key=lambda r: recent[r[ID]])
        rest = [r for r in rows if r[ID] not in marked and r[ID] not in recent] if first or then else rows
        self.beginResetModel()
        self._shown = [*first, *then, *rest]  # the services already give them by name
        self.endResetModel()

    def row_of(self, client_id: str) -> int:
        return next((i for i, row in enumerate(self._shown) if row[ID] == client_id), -1)

    def total(self) -> int:
        """Every client, read or not."""
        return self._total

    def matching(self) -> int:
        """The clients the filters let through: every client when there are none, read or not."""
        filtered = self._text or self._tag or self._owner or self._status
        return len(self._shown) if filtered else self._total

    def all_tags(self) -> list[str]:
        return sorted({tag for row in self._all for tag in row[TAGS] or ()}, key=str.casefold)


class ClientListPanel(QWidget):
    """The left-hand panel: find a client quickly, by typing or by filters."""

    sig_client_activated = Signal(str)
    """The person chose a client (its id)."""
    sig_contacts_dropped = Signal(list, str)
    """Files were dropped on the list: (their paths, the id of the client they were dropped on, or "")."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = ClientListModel(self)
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
        self.list.setModel(self.model)
        # Rows of one height, placed in one pass before the list paints (10,000 take ~20 ms: placing a
        # row asks the model twice, in Python, whether it exists). Placed in batches instead, the list
        # stayed blank on screen until the last batch was placed: 20 event-loop passes at 10,000 rows,
        # at start-up (after the window said it was ready) and again after every reload.
        self.list.setUniformItemSizes(True)
        self.list.setAccessibleName(self.tr("Clients"))
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.list, 1)
        # A contacts file dropped on a client is imported into it (ui/people/import_dialog.py).
        self.contacts_drop = ContactsDrop(self.list.viewport())
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
        self.model.modelReset.connect(self._update_counts)
        self.contacts_drop.sig_hovered.connect(self._on_contacts_drop_hovered)
        self.contacts_drop.sig_dropped.connect(self._on_contacts_drop_dropped)

    def set_clients(self, rows: list[tuple], total: int | None = None) -> None:
        """Every client; or the first screenful of `total` clients (ClientListModel.set_rows)."""
        self.model.set_rows(rows, total)
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
        self.model.set_filters(
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

    def _on_contacts_drop_hovered(self, where) -> None:
        # The client a file would go to is the one marked while it is dragged over the list.
        index = self.list.indexAt(where)
        if index.isValid():
            self.list.setCurrentIndex(index)

    def _on_contacts_drop_dropped(self, files: list, where) -> None:
        self.sig_contacts_dropped.emit(files, self.list.indexAt(where).data(ClientListModel.IdRole) or "")

    def select(self, client_id: str) -> None:
        row = self.model.row_of(client_id)
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))

    def _update_counts(self, *_args) -> None:
        total, shown = self.model.total(), self.model.matching()
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
