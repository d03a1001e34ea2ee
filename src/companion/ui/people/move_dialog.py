"""Moving a person to another client: their old role ends, a new one starts, their history stays."""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from companion.ui.common.edits import EditController
from companion.ui.common.saving_dialog import SavingDialog
from companion.ui.people import operations


class MovePersonDialog(SavingDialog):
    """One action that ends the current role and starts the new one, undoable as one."""

    def __init__(
        self,
        edits: EditController,
        *,
        contact_id: str,
        person_name: str,
        from_position_id: str,
        from_client_id: str,
        clients: list[tuple[str, str]],
        parent: QWidget | None = None,
    ):
        super().__init__(edits, parent)
        self.contact_id = contact_id
        self.from_position_id = from_position_id
        self.setWindowTitle(self.tr("Move {0} to another client").format(person_name))
        layout = QVBoxLayout(self)
        explain = QLabel(
            self.tr(
                "{0}'s role here ends on the date below and a new role starts at the other client. "
                "Notes, interactions and past roles stay with the person."
            ).format(person_name)
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        form = QFormLayout()
        self.client = QComboBox()
        self.client.setAccessibleName(self.tr("New client"))
        for client_id, name in clients:
            if client_id != from_client_id:
                self.client.addItem(name, client_id)
        form.addRow(self.tr("New client"), self.client)
        self.title = QLineEdit()
        self.title.setAccessibleName(self.tr("New title"))
        form.addRow(self.tr("New title"), self.title)
        self.date = QLineEdit(dt.date.today().isoformat())
        self.date.setAccessibleName(self.tr("Moves on"))
        form.addRow(self.tr("Moves on"), self.date)
        layout.addLayout(form)
        self._add_footer(layout, QDialogButtonBox.StandardButton.Ok, self.tr("Move"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.client.count() > 0)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.resize(480, 240)

    def _on_buttons_accepted(self) -> None:
        to_client, title, on_date = (
            self.client.currentData(),
            self.title.text().strip(),
            self.date.text().strip(),
        )
        contact_id, from_position = self.contact_id, self.from_position_id
        self.save(
            partial(
                operations.move_person,
                contact_id=contact_id,
                from_position_id=from_position,
                to_client_id=to_client,
                title=title or None,
                on_date=on_date,
            ),
        )
