"""The Sales page's Cohorts: saved filters over clients, their members, and clients added or left out by hand."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.model.kinds import get_kind
from companion.model.labels import choice_label
from companion.model.text import fold
from companion.ui.common.edits import EditController
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.widgets import button_bar, column, empty_state, tree
from companion.ui.sales import operations
from companion.ui.sales.tab import SalesTab


def filter_words(record, colleagues: dict[str, str], tr) -> str:
    """The cohort's filter as a sentence: "Clients tagged offshore or wind, in Energy, prospect or active"."""
    parts = []
    if record["tags"]:
        parts.append(tr("tagged {0}").format(tr(" or ").join(record["tags"])))
    if record["industries"]:
        parts.append(tr("in {0}").format(tr(" or ").join(record["industries"])))
    if record["statuses"]:
        parts.append(tr(" or ").join(tr(choice_label(s)).lower() for s in record["statuses"]))
    if record["owner_ids"]:
        owners = [colleagues.get(o, "?") for o in record["owner_ids"]]
        parts.append(tr("owned by {0}").format(tr(" or ").join(owners)))
    if record["field_name"]:
        label = get_kind("client").field(str(record["field_name"])).label.lower()
        parts.append(tr("whose {0} holds “{1}”").format(label, record["field_value"]))
    extra = []
    if record["added_ids"]:
        extra.append(tr("{0} added by hand").format(len(record["added_ids"])))
    if record["excluded_ids"]:
        extra.append(tr("{0} left out").format(len(record["excluded_ids"])))
    said = tr("Clients {0}").format(", ".join(parts)) if parts else tr("Only the clients added by hand")
    return said + (f" ({', '.join(extra)})" if extra else "")


class ClientPicker(QDialog):
    """Choose one client by typing part of its name."""

    def __init__(self, clients: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a client to the cohort"))
        self.clients = clients
        self._folded = [fold(name) for _id, name in clients]
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Type part of the client's name…"))
        self.search.setAccessibleName(self.tr("Find a client"))
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Clients"))
        layout.addWidget(self.list, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Add"))
        layout.addWidget(self.buttons)
        self.search.textChanged.connect(self._fill)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._fill("")
        self.resize(420, 460)

    def _fill(self, text: str) -> None:
        wanted = fold(text.strip())
        self.list.clear()
        for (client_id, name), folded in zip(self.clients, self._folded, strict=True):
            if wanted in folded:
                item = QListWidgetItem(name)
                item.setData(Qt.ItemDataRole.UserRole, client_id)
                self.list.addItem(item)
                if self.list.count() >= 500:  # type more to narrow it: a list of 10,000 helps nobody
                    break
        if self.list.count():
            self.list.setCurrentRow(0)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.list.count() > 0)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


class CohortsTab(SalesTab):
    """Cohorts and their members; New and Edit open the filter with its live count; Add client… and Leave
    out change the cohort's exceptions, each in one undoable step."""

    sig_new_requested = Signal()
    sig_edit_requested = Signal(object)
    """The person wants to change a cohort (its Record)."""
    sig_client_opened = Signal(str)

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(edits, parent)
        self.cohorts: operations.CohortList | None = None
        self.client_names = lambda: []  # (id, name) of every client: the window's client list knows them
        self._members_asked = 0
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.new_button = QPushButton(self.tr("New cohort…"))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.list = tree(self.tr("Cohorts"), [self.tr("Cohort"), self.tr("Clients")], (220,))
        self.empty = empty_state(
            self.tr(
                "No cohorts yet.\nA cohort is a saved filter over clients alike enough to be sold the same "
                "proposition (an industry, a tag, a status). New cohort… makes one."
            )
        )
        self.filter = QLabel()
        self.filter.setWordWrap(True)
        self.filter.setProperty("role", "subheading")
        self.filter.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.add_button = QPushButton(self.tr("Add client…"))
        self.leave_out_button = QPushButton(self.tr("Leave out"))
        self.leave_out_button.setToolTip(self.tr("Take the selected client out of this cohort"))
        self.members = tree(
            self.tr("Members of the cohort"),
            [self.tr("Client"), self.tr("Industry"), self.tr("Status"), self.tr("In it by")],
            (240, 160, 90),
        )
        self.no_members = empty_state(
            self.tr("No client matches this filter.\nWiden it with Edit…, or add clients by hand.")
        )
        right, right_layout = column(
            self.filter, button_bar(self.add_button, self.leave_out_button), self.members
        )
        right_layout.addWidget(self.no_members, 1)
        self.detail = right
        self.lay_out_beside([self.new_button, self.edit_button], right, [340, 700])

    def _connect_signals(self) -> None:
        self.new_button.clicked.connect(self.sig_new_requested)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.list.currentItemChanged.connect(lambda _now, _before: self._on_selection_changed())
        self.list.itemActivated.connect(lambda _item, _column: self._on_edit_clicked())
        self.add_button.clicked.connect(self._on_add_clicked)
        self.leave_out_button.clicked.connect(self._on_leave_out_clicked)
        self.members.currentItemChanged.connect(lambda _now, _before: self._enable())
        self.members.itemActivated.connect(self._on_members_item_activated)

    # --- reading ------------------------------------------------------------------------------

    def load_job(self):
        return operations.load_cohorts

    def show_data(self, cohorts: operations.CohortList) -> None:
        self.cohorts = cohorts
        self.fill_list(cohorts.cohorts, self._item, self.detail)

    @staticmethod
    def _item(row) -> QTreeWidgetItem:
        record, count = row
        item = QTreeWidgetItem([str(record["name"]), str(count)])
        item.setData(0, RecordRole, ("cohort", record.id))
        item.setToolTip(0, str(record["description"] or record["name"]))
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def current_record(self):
        row = self.current_row()
        return row[0] if row is not None else None

    def _on_selection_changed(self) -> None:
        record = self.current_record()
        self._enable()
        if record is None:
            self.filter.setText("")
            self.members.clear()
            return
        colleagues = dict(self.cohorts.colleagues) if self.cohorts else {}
        self.filter.setText(filter_words(record, colleagues, self.tr))
        self._members_asked += 1
        asked = self._members_asked
        self.edits.worker.submit(
            partial(operations.cohort_members, cohort_id=record.id),
            lambda members: self._on_members_loaded(asked, record.id, members),
        )

    def _on_members_loaded(self, asked: int, cohort_id: str, members) -> None:
        if asked != self._members_asked or cohort_id != self.current_id():
            return
        chosen = self.current_member()
        self.members.clear()
        for member in members:
            item = QTreeWidgetItem(
                [member.name, member.industry or "", self.tr(choice_label(member.status)) if member.status else "",
                 self.tr("added by hand") if member.added else self.tr("the filter")]
            )  # fmt: skip
            item.setData(0, Qt.ItemDataRole.UserRole, member.client_id)
            item.setToolTip(0, member.name)
            self.members.addTopLevelItem(item)
            if member.client_id == chosen:
                self.members.setCurrentItem(item)
        self.members.setVisible(bool(members))
        self.no_members.setVisible(not members)
        self._enable()

    def current_member(self) -> str | None:
        item = self.members.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def _enable(self) -> None:
        chosen = self.current_id() is not None
        self.edit_button.setEnabled(chosen)
        self.add_button.setEnabled(chosen)
        self.leave_out_button.setEnabled(chosen and self.current_member() is not None)

    # --- the person's choices -----------------------------------------------------------------

    def _on_edit_clicked(self) -> None:
        record = self.current_record()
        if record is not None:
            self.sig_edit_requested.emit(record)

    def _on_add_clicked(self) -> ClientPicker | None:
        cohort_id = self.current_id()
        if cohort_id is None:
            return None
        picker = ClientPicker(self.client_names(), self)
        picker.accepted.connect(lambda: self._include(cohort_id, picker.chosen()))
        picker.open()
        return picker

    def _include(self, cohort_id: str, client_id: str | None) -> None:
        if client_id:
            self.edits.run(partial(operations.include_client, cohort_id=cohort_id, client_id=client_id))

    def _on_leave_out_clicked(self) -> None:
        cohort_id, client_id = self.current_id(), self.current_member()
        if cohort_id and client_id:
            self.edits.run(partial(operations.leave_out_client, cohort_id=cohort_id, client_id=client_id))

    def _on_members_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.sig_client_opened.emit(item.data(0, Qt.ItemDataRole.UserRole))
