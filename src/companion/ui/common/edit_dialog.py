"""A dialog that edits an existing record of any kind; every finished field is saved at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from companion.core.changes import ChangeSet, Record
from companion.model.errors import ValidationError
from companion.model.kinds import Field, get_kind
from companion.ui.common import operations
from companion.ui.common.edits import EditController
from companion.ui.common.record_form import RecordForm
from companion.ui.common.worker import Failure


class EditRecordDialog(QDialog):
    """Edits one record in place: no Save button to forget; Close when done."""

    def __init__(
        self,
        edits: EditController,
        kind_name: str,
        record_id: str,
        *,
        fields: Sequence[str] | None = None,
        ref_choices: Callable[[Field], Sequence[tuple[str, str]]] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.edits = edits
        self.kind = get_kind(kind_name)
        self.record_id = record_id
        self.setWindowTitle(self.tr("Edit {0}").format(self.kind.label.lower()))
        self.form = RecordForm(kind_name, fields, ref_choices=ref_choices)
        self.form.setEnabled(False)
        self._build_ui()
        self._connect_signals()
        edits.worker.submit(
            partial(operations.get_record, kind=kind_name, record_id=record_id),
            self._on_loaded,
            self._on_failed,
        )

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        layout.addWidget(scroll, 1)
        self.status = QLabel(self.tr("Changes are saved as you go."))
        self.status.setProperty("role", "muted")
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout.addWidget(self.buttons)
        self.resize(600, 620)

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self.form.sig_save_requested.connect(self._on_form_save_requested)

    def _on_loaded(self, record: Record) -> None:
        self.form.load(record)

    def _on_failed(self, failure: Failure) -> None:
        self.status.setText(str(failure.error))

    def _on_form_save_requested(self, kind: str, record_id: str, values: dict) -> None:
        def saved(_changes: ChangeSet) -> None:
            for name in values:
                self.form.clear_error(name)
            self.status.setText(self.tr("Saved."))

        def refused(failure: Failure) -> None:
            if isinstance(failure.error, ValidationError) and self.form.show_save_error(failure.error):
                return
            self.status.setText(str(failure.error))

        self.edits.update(kind, record_id, values, on_done=saved, on_error=refused)
