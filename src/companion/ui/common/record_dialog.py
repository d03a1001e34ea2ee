"""A dialog to add a record of any kind; a refused save keeps everything typed, with the reason shown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtWidgets import QDialogButtonBox, QScrollArea, QVBoxLayout, QWidget

from companion.core.changes import ChangeSet
from companion.model.errors import ValidationError
from companion.model.kinds import Field, get_kind
from companion.ui.common import operations
from companion.ui.common.edits import EditController
from companion.ui.common.record_form import RecordForm
from companion.ui.common.saving_dialog import SavingDialog


class NewRecordDialog(SavingDialog):
    """Collects a new record's fields, then creates it through the services."""

    def __init__(
        self,
        edits: EditController,
        kind_name: str,
        *,
        fields: Sequence[str] | None = None,
        fixed: dict | None = None,
        initial: dict | None = None,
        ref_choices: Callable[[Field], Sequence[tuple[str, str]]] | None = None,
        title: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(edits, parent)
        self.kind = get_kind(kind_name)
        self.fixed = dict(fixed or {})
        self.created_id: str | None = None
        self.setWindowTitle(title or self.tr("New {0}").format(self.kind.label.lower()))
        names = [n for n in (fields or self.kind.field_names) if n not in self.fixed]
        self.form = RecordForm(kind_name, names, ref_choices=ref_choices)
        self.form.start_draft(initial)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        layout.addWidget(scroll, 1)
        self._add_footer(layout, QDialogButtonBox.StandardButton.Save)
        self.resize(560, min(640, 140 + 44 * len(self.form.editors)))

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)

    def _on_buttons_accepted(self) -> None:
        values = self.form.collect()
        if values is None:
            return
        kind, record = self.kind.name, {**self.fixed, **values}
        self.save(partial(operations.create_record, kind=kind, values=record))

    def saved(self, changes: ChangeSet) -> None:
        self.created_id = changes.created_id

    def show_in_form(self, error: BaseException) -> bool:
        return isinstance(error, ValidationError) and self.form.show_save_error(error)
