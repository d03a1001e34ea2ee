"""The People section: a sortable table, the org chart and the relationship map, beside the contact card."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.people import Person
from companion.model.kinds import STANCES, Field, get_kind
from companion.model.labels import choice_label
from companion.ui.common.field_delegate import FieldDelegate
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.table_model import ColumnTableModel
from companion.ui.common.theme import muted_text_color, set_icon
from companion.ui.people.contact_card import ContactCard
from companion.ui.people.org_chart import OrgChartView
from companion.ui.people.relationship_map import RelationshipMapView


class PeopleTableModel(ColumnTableModel):
    """People at one client, one row per position; a role's short values are edited in place."""

    SortRole = Qt.ItemDataRole.UserRole + 1
    ContactIdRole = Qt.ItemDataRole.UserRole + 2
    COLUMNS = ("Name", "Title", "Buying role", "Influence", "Stance", "Last contact", "Role")
    # The position's field each editable column shows.
    EDITABLE: ClassVar[dict[int, str]] = {1: "title", 2: "buying_role", 3: "influence", 4: "stance"}

    sig_value_edited = Signal(str, str, dict)
    """A value was changed in place: (kind, id, {field: value}); saved by the page, not here."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._people: list[Person] = []

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        person = self._people[index.row()] if index.isValid() else None
        if person is not None and person.current and index.column() in self.EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def field_at(self, index: QModelIndex | QPersistentModelIndex) -> Field | None:
        name = self.EDITABLE.get(index.column())
        return get_kind("position").field(name) if name else None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        name = self.EDITABLE.get(index.column())
        if role != Qt.ItemDataRole.EditRole or name is None or not index.isValid():
            return False
        position = self._people[index.row()].position
        if position[name] != value:
            self.sig_value_edited.emit("position", position.id, {name: value})
        return True

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._people)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._people):
            return None
        person = self._people[index.row()]
        p, column = person.position, index.column()
        if role == self.ContactIdRole:
            return person.contact.id
        if role == RecordRole:
            return ("position", p.id)
        if role == Qt.ItemDataRole.EditRole and column in self.EDITABLE:
            return p[self.EDITABLE[column]]
        if role in (Qt.ItemDataRole.DisplayRole, self.SortRole):
            sorting = role == self.SortRole
            if column == 0:
                return person.name.casefold() if sorting else person.name
            if column == 1:
                return str(p["title"] or "")
            if column == 2:
                return choice_label(str(p["buying_role"])) if p["buying_role"] else ""
            if column == 3:
                value = p["influence"]
                return (value or 0) if sorting else ("●" * value if value else "")
            if column == 4:
                stance = p["stance"]
                if sorting:
                    return STANCES.index(stance) if stance else len(STANCES)
                return choice_label(str(stance)) if stance else ""
            if column == 5:
                return person.last_contact or ("" if sorting else self.tr("never"))
            if column == 6:
                if sorting:
                    return 0 if person.current else 1
                return (
                    self.tr("current") if person.current else self.tr("past (until {0})").format(p["ended"])
                )
        if role == Qt.ItemDataRole.ToolTipRole and column == 3 and p["influence"]:
            return self.tr("Influence {0} of 5").format(p["influence"])
        if role == Qt.ItemDataRole.ForegroundRole and not person.current:
            return muted_text_color()
        return None

    def set_people(self, people: list[Person]) -> None:
        self.beginResetModel()
        self._people = list(people)
        self.endResetModel()


class PeopleTab(QWidget):
    """Who is who at the client, and how to deal with each of them."""

    sig_person_selected = Signal(str)
    """A person was chosen in the table, chart or map (contact id)."""
    sig_add_requested = Signal()
    """The person wants to add someone to this client."""
    sig_value_edited = Signal(str, str, dict)
    """A role's value was changed in the table: (kind, id, {field: value})."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = PeopleTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(PeopleTableModel.SortRole)
        self._people: list[Person] = []
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add person…"))
        self.show_past = QCheckBox(self.tr("Show past roles"))
        bar.addWidget(self.add_button)
        bar.addWidget(self.show_past)
        bar.addStretch(1)
        # Chart tools: shown while the org chart or the relationship map is in front.
        self.chart_tools = []
        self.exports_allowed = True  # an admin may turn file exports off (companion.app.settings)
        for name, tip in (
            ("zoom-out", "Zoom out (Ctrl+-)"),
            ("zoom-in", "Zoom in (Ctrl+=)"),
            ("fit", "Fit the whole chart (Ctrl+0)"),
            ("export", "Export as PNG…"),
        ):
            button = QToolButton()
            set_icon(button, name)
            button.setToolTip(self.tr(tip))
            button.setAccessibleName(self.tr(tip))
            button.setObjectName(f"chart_{name}")
            button.hide()
            bar.addWidget(button)
            self.chart_tools.append(button)
        layout.addLayout(bar)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # A click on the selected cell or F2 edits a short value in place; Enter or a double-click opens
        # the role's whole form (the page attaches it: ui/common/record_actions.py).
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.SelectedClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setItemDelegate(
            FieldDelegate(lambda index: self.model.field_at(self.proxy.mapToSource(index)), self.table)
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setWordWrap(False)
        self.table.setAccessibleName(self.tr("People"))
        self.org_chart = OrgChartView()
        self.relationship_map = RelationshipMapView()
        self.views.addTab(self.table, self.tr("Table"))
        self.views.addTab(self.org_chart, self.tr("Org chart"))
        self.views.addTab(self.relationship_map, self.tr("Relationship map"))
        splitter.addWidget(self.views)
        self.card = ContactCard()
        splitter.addWidget(self.card)
        # The table and chart get the room; the card reads fine at a column's width.
        self.card.setMinimumWidth(300)
        self.card.setMaximumWidth(520)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([800, 360])
        layout.addWidget(splitter, 1)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self.sig_add_requested)
        self.model.sig_value_edited.connect(self.sig_value_edited)
        self.show_past.toggled.connect(lambda _checked: self._fill_table())
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.org_chart.sig_person_activated.connect(self.sig_person_selected)
        self.relationship_map.sig_person_activated.connect(self.sig_person_selected)
        self.views.currentChanged.connect(self._on_views_current_changed)
        zoom_out, zoom_in, fit, export = self.chart_tools
        zoom_out.clicked.connect(lambda: self._chart().zoom_out())
        zoom_in.clicked.connect(lambda: self._chart().zoom_in())
        fit.clicked.connect(lambda: self._chart().fit())
        export.clicked.connect(self._on_export_clicked)

    def _chart(self):
        return (
            self.relationship_map if self.views.currentWidget() is self.relationship_map else self.org_chart
        )

    def _on_views_current_changed(self, _index: int) -> None:
        charting = self.views.currentWidget() is not self.table
        for button in self.chart_tools:
            exporting = button is self.chart_tools[-1]
            button.setVisible(charting and (self.exports_allowed or not exporting))

    def _on_export_clicked(self) -> None:
        name = "org-chart.png" if self._chart() is self.org_chart else "relationship-map.png"
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export as PNG"), name, self.tr("PNG images (*.png)")
        )
        if not path:
            return
        from companion.model.errors import CompanionError

        try:
            written = self.export_chart(path)
        except CompanionError as exc:  # WriteFailed: the path, the reason, the old file kept
            QMessageBox.warning(self, self.tr("Not saved"), str(exc))
            return
        if not written:
            QMessageBox.warning(self, self.tr("Export"), self.tr("Nothing to export yet."))

    def export_chart(self, path: str) -> bool:
        """Writes the chart in front (org chart or relationship map) as a PNG."""
        return self._chart().export_png(path)

    def set_people(self, people: list[Person]) -> None:
        self._people = list(people)
        self._fill_table()
        self.org_chart.set_people(self._people)
        self.relationship_map.set_people(self._people)

    def _fill_table(self) -> None:
        shown = self._people if self.show_past.isChecked() else [p for p in self._people if p.current]
        self.model.set_people(shown)
        self.table.resizeColumnsToContents()
        # Long titles would push stance and influence out of sight on a laptop screen.
        for column, widest in ((0, 160), (1, 170), (2, 115), (3, 88)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))

    def highlight(self, contact_id: str) -> None:
        """The person chosen anywhere (table, chart, map, search) is the one marked in all three."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(PeopleTableModel.ContactIdRole) == contact_id:
                if self.table.currentIndex().row() != row:
                    self.table.selectionModel().blockSignals(True)
                    self.table.setCurrentIndex(index)
                    self.table.selectionModel().blockSignals(False)
                    self.table.scrollTo(index)
                break
        self.org_chart.select_contact(contact_id)
        self.relationship_map.select_contact(contact_id)

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        contact_id = current.data(PeopleTableModel.ContactIdRole)
        if contact_id:
            self.sig_person_selected.emit(contact_id)
