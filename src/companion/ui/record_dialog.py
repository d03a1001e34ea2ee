"""A dialog to add a record of any kind; a refused save keeps everything typed, with the reason shown."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from companion.core.changes import ChangeSet
from companion.core.errors import CompanionError, ValidationError
from companion.core.kinds import Field, get_kind
from companion.ui.edits import EditController
from companion.ui.record_form import RecordForm
from companion.ui.worker import Failure


class NewRecordDialog(QDialog):
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
        super().__init__(parent)
        self.edits = edits
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
        self.problem = QLabel()
        self.problem.setProperty("role", "error")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        layout.addWidget(self.buttons)
        self.resize(560, min(640, 140 + 44 * len(self.form.editors)))

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        values = self.form.collect()
        if values is None:
            return
        self.problem.hide()
        self.buttons.setEnabled(False)
        self.edits.create(
            self.kind.name, {**self.fixed, **values}, on_done=self._on_saved, on_error=self._on_refused
        )

    def _on_saved(self, changes: ChangeSet) -> None:
        self.created_id = changes.created_id
        self.buttons.setEnabled(True)
        self.accept()

    def _on_refused(self, failure: Failure) -> None:
        self.buttons.setEnabled(True)
        error = failure.error
        if isinstance(error, ValidationError) and self.form.show_save_error(error):
            return
        self.problem.setText(
            str(error) if isinstance(error, CompanionError) else self.tr("Saving failed: {0}").format(error)
        )
        self.problem.show()
