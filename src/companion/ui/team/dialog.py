"""The team dialog: every colleague, added, edited and deleted where they are listed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.changes import ChangeSet, Record
from companion.ui.common.edits import EditController
from companion.ui.common.record_actions import RecordActions, RecordRole
from companion.ui.common.record_dialog import NewRecordDialog
from companion.ui.common.wrapping_delegate import WrappingDelegate
from companion.ui.team import operations


class TeamDialog(QDialog):
    """Our own people: who owns a client, a person or a follow-up is chosen among them."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self.setWindowTitle(self.tr("Team"))
        self._build_ui()
        self._connect_signals()
        self.reload()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "The colleagues who own clients, people and follow-ups. Enter edits one, Delete removes one."
            )
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Colleagues"))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setItemDelegate(WrappingDelegate(self.list))  # a long role is read whole
        layout.addWidget(self.list, 1)
        self.record_actions = RecordActions(self.list, self.edits, parent=self)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add colleague…"))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.delete_button = QPushButton(self.tr("Delete…"))
        for button in (self.add_button, self.edit_button, self.delete_button):
            # Enter on a colleague opens them: it must not also press a button of the dialog.
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout.addWidget(self.buttons)
        self.resize(560, 440)

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.delete_button.clicked.connect(self.record_actions.delete_current)
        self.list.currentItemChanged.connect(lambda *_args: self._update_buttons())
        self.edits.sig_changed.connect(self._on_edits_changed)

    def reload(self) -> None:
        self.edits.worker.submit(operations.colleagues, self._show)

    def _show(self, colleagues: list[Record]) -> None:
        current = self.record_actions.current()
        self.list.clear()
        for colleague in colleagues:
            details = " · ".join(str(colleague[f]) for f in ("role", "email") if colleague[f])
            item = QListWidgetItem(f"{colleague['name']}" + (f" — {details}" if details else ""))
            item.setData(RecordRole, ("colleague", colleague.id))
            self.list.addItem(item)
            if current == ("colleague", colleague.id):
                self.list.setCurrentItem(item)
        if not colleagues:
            empty = QListWidgetItem(self.tr("Nobody yet: Add colleague… adds the first."))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.record_actions.current() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _on_edits_changed(self, changes: ChangeSet) -> None:
        if any(c.kind == "colleague" for c in changes.changes):
            self.reload()

    def _on_add_clicked(self) -> NewRecordDialog:
        dialog = NewRecordDialog(self.edits, "colleague", parent=self)
        dialog.open()
        return dialog

    def _on_edit_clicked(self) -> None:
        target = self.record_actions.current()
        if target is not None:
            self.record_actions.edit(*target)
