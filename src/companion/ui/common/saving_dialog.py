"""A dialog whose OK button saves through the services; a refusal keeps everything typed and says why."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QBoxLayout, QDialog, QDialogButtonBox, QWidget

from companion.core.changes import ChangeSet
from companion.model.errors import CompanionError
from companion.ui.common.edits import EditController
from companion.ui.common.widgets import error_label
from companion.ui.common.worker import Failure


class SavingDialog(QDialog):
    """Base of the dialogs that create or change records in one undoable step."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits

    def _add_footer(self, layout: QBoxLayout, ok: QDialogButtonBox.StandardButton, ok_text: str = "") -> None:
        """The line that shows a refusal, and the OK and Cancel buttons."""
        self.problem = error_label()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
        if ok_text:
            self.buttons.button(ok).setText(ok_text)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)  # each dialog connects accepted to what it saves

    def save(self, job: Callable[[object], ChangeSet]) -> None:
        self.problem.hide()
        self.buttons.setEnabled(False)
        self.edits.run(job, on_done=self._on_saved, on_error=self._on_refused)

    def saved(self, changes: ChangeSet) -> None:
        """Called with what was saved, just before the dialog closes."""

    def show_in_form(self, error: BaseException) -> bool:
        """Puts a refusal beside the field it is about; False when no field here matches."""
        return False

    def _on_saved(self, changes: ChangeSet) -> None:
        self.buttons.setEnabled(True)
        self.saved(changes)
        self.accept()

    def _on_refused(self, failure: Failure) -> None:
        # Everything typed stays in the dialog; the reason is shown so it can be fixed.
        self.buttons.setEnabled(True)
        error = failure.error
        if self.show_in_form(error):
            return
        self.problem.setText(
            str(error) if isinstance(error, CompanionError) else self.tr("Saving failed: {0}").format(error)
        )
        self.problem.show()
