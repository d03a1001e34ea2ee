"""The team's checklist templates: rename, describe, add, reword, reorder and remove their items."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from companion.core.changes import ChangeSet, Edit
from companion.model.kinds import kinds_shown_on
from companion.ui.common import operations as common
from companion.ui.common.edits import EditController
from companion.ui.common.record_actions import ask_then_delete
from companion.ui.common.record_form import RecordForm
from companion.ui.common.widgets import error_label
from companion.ui.common.worker import Failure
from companion.ui.meetings import operations


class TemplatesDialog(QDialog):
    """Every edit is saved at once and can be undone from the main window."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self.setWindowTitle(self.tr("Checklist templates"))
        self.templates: list = []
        self.items: dict[str, list] = {}
        self._build_ui()
        self._connect_signals()
        self.resize(980, 560)
        self.reload()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Templates"))
        column.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(self.tr("New template"))
        self.delete_button = QPushButton(self.tr("Delete…"))
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        column.addLayout(buttons)
        splitter.addWidget(left)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        self.form = RecordForm("checklist_template", ("name", "meeting_kind", "description"))
        column.addWidget(self.form)
        hint = QLabel(self.tr("Items — tick the ones that must be done; double-click to reword"))
        hint.setProperty("role", "muted")
        column.addWidget(hint)
        self.item_list = QListWidget()
        self.item_list.setAccessibleName(self.tr("Template items"))
        self.item_list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        column.addWidget(self.item_list, 1)
        adding = QHBoxLayout()
        self.new_item = QLineEdit()
        self.new_item.setPlaceholderText(self.tr("New item…"))
        self.new_item.setAccessibleName(self.tr("New template item"))
        self.new_must = QCheckBox(self.tr("Must"))
        self.add_button = QPushButton(self.tr("Add"))
        self.up_button = QPushButton(self.tr("Up"))
        self.down_button = QPushButton(self.tr("Down"))
        self.remove_button = QPushButton(self.tr("Remove"))
        for widget in (self.new_item, self.new_must, self.add_button, self.up_button, self.down_button):
            adding.addWidget(widget, 1 if widget is self.new_item else 0)
        adding.addWidget(self.remove_button)
        column.addLayout(adding)
        # Return in a field saves that field (or adds the item typed): it must not also press a button.
        for button in (
            self.new_button, self.delete_button, self.add_button, self.up_button, self.down_button,
            self.remove_button,
        ):  # fmt: skip
            button.setAutoDefault(False)
        splitter.addWidget(right)
        splitter.setSizes([260, 700])
        layout.addWidget(splitter, 1)
        self.problem = error_label()
        layout.addWidget(self.problem)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)

    def _connect_signals(self) -> None:
        self.list.currentRowChanged.connect(lambda _row: self._show_current())
        self.form.sig_save_requested.connect(self._on_form_save_requested)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.new_item.returnPressed.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.item_list.itemChanged.connect(self._on_item_changed)
        self.edits.sig_changed.connect(self._on_edits_changed)

    # --- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        self.edits.worker.submit(operations.checklist_templates, self._on_loaded)

    def _on_loaded(self, loaded: operations.ChecklistTemplates) -> None:
        self.templates, self.items = loaded.templates, loaded.items
        if loaded.changes:
            self.edits.announce_derived(loaded.changes)
        current = self.current_template()
        self.list.blockSignals(True)
        self.list.clear()
        for template in self.templates:
            item = QListWidgetItem(str(template["name"]))
            item.setData(Qt.ItemDataRole.UserRole, template.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        ids = [t.id for t in self.templates]
        self.list.setCurrentRow(ids.index(current.id) if current is not None and current.id in ids else 0)
        self._show_current()

    def current_template(self):
        item = self.list.currentItem()
        template_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((t for t in self.templates if t.id == template_id), None)

    def _show_current(self) -> None:
        template = self.current_template()
        self.form.load(template)
        row = self.item_list.currentRow()
        self.item_list.blockSignals(True)
        self.item_list.clear()
        for record in self.items.get(template.id, []) if template is not None else []:
            item = QListWidgetItem(str(record["text"]))
            item.setData(Qt.ItemDataRole.UserRole, record.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable)
            item.setCheckState(Qt.CheckState.Checked if record["must"] else Qt.CheckState.Unchecked)
            self.item_list.addItem(item)
        self.item_list.blockSignals(False)
        self.item_list.setCurrentRow(min(row, self.item_list.count() - 1))
        for widget in (self.delete_button, self.item_list, self.new_item, self.add_button):
            widget.setEnabled(template is not None)

    def _on_edits_changed(self, changes: ChangeSet) -> None:
        shown_here = kinds_shown_on("templates")
        if any(c.kind in shown_here for c in changes.changes):
            self.reload()

    # --- editing -------------------------------------------------------------------------------

    def _run(self, job, **callbacks) -> None:
        self.problem.hide()

        def refused(failure: Failure) -> None:
            self.problem.setText(str(failure.error))
            self.problem.show()
            self.reload()

        self.edits.run(job, on_error=refused, **callbacks)

    def _on_form_save_requested(self, kind: str, record_id: str, values: dict) -> None:
        self._run(partial(common.update_record, kind=kind, record_id=record_id, values=values))

    def _on_new_clicked(self) -> None:
        self._run(operations.new_template)

    def _on_delete_clicked(self) -> None:
        template = self.current_template()
        if template is not None:
            # Asked once, naming the items and meetings that use it, as every delete is; undoable.
            ask_then_delete(self, self.edits, "checklist_template", template.id, title=template["name"])

    def _on_add_clicked(self) -> None:
        template = self.current_template()
        text = self.new_item.text().strip()
        if template is None or not text:
            return
        position = len(self.items.get(template.id, []))
        values = {
            "template_id": template.id,
            "text": text,
            "must": self.new_must.isChecked(),
            "position": position,
        }
        self._run(
            partial(operations.add_template_item, values=values),
            on_done=lambda _c: (self.new_item.clear(), self.new_must.setChecked(False)),
        )

    def _on_remove_clicked(self) -> None:
        item = self.item_list.currentItem()
        if item is not None:
            record_id = item.data(Qt.ItemDataRole.UserRole)
            self._run(partial(operations.remove_template_item, item_id=record_id))

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        record_id = item.data(Qt.ItemDataRole.UserRole)
        values = {"text": item.text().strip(), "must": item.checkState() == Qt.CheckState.Checked}
        self._run(partial(operations.change_template_item, item_id=record_id, values=values))

    def _move(self, step: int) -> None:
        template = self.current_template()
        row = self.item_list.currentRow()
        records = list(self.items.get(template.id, [])) if template is not None else []
        if not 0 <= row < len(records) or not 0 <= row + step < len(records):
            return
        records[row], records[row + step] = records[row + step], records[row]
        edits = [
            Edit("update", "checklist_template_item", r.id, {"position": i})
            for i, r in enumerate(records)
            if r["position"] != i
        ]
        self.item_list.setCurrentRow(row + step)
        self._run(partial(operations.reorder_template_items, edits=edits))
