"""A cohort's filter, new or changed, with how many clients it holds shown live before it is saved."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from companion.core.changes import Record
from companion.model.kinds import Field
from companion.ui.common import operations as common
from companion.ui.common.edits import EditController
from companion.ui.common.record_dialog import NewRecordDialog
from companion.ui.sales import operations

# The filter's fields; the clients added or left out by hand are kept as they are (the tab edits them).
COHORT_FIELDS = (
    "name", "description", "tags", "industries", "statuses", "owner_ids", "field_name", "field_value",
)  # fmt: skip
# Typing pauses this long before the count is read again.
COUNT_PAUSE_MS = 250


class CohortDialog(NewRecordDialog):
    """New or Edit cohort: the filter in a form; "Holds N clients" follows every change; Save writes it
    in one undoable step. The common new-record dialog's form, footer and refusals; an existing cohort
    is saved as the fields that changed."""

    def __init__(
        self,
        edits: EditController,
        record: Record | None,
        *,
        ref_choices: Callable[[Field], Sequence[tuple[str, str]]],
        parent: QWidget | None = None,
    ):
        self.record = record
        self._asked = 0
        super().__init__(
            edits,
            "cohort",
            fields=COHORT_FIELDS,
            initial=dict(record.values) if record else None,
            ref_choices=ref_choices,
            parent=parent,
        )
        if record is not None:
            self.setWindowTitle(self.tr("Edit cohort"))
        self._count()

    def _build_ui(self) -> None:
        super()._build_ui()
        self._pause = QTimer(self, singleShot=True, interval=COUNT_PAUSE_MS)
        self.count = QLabel(self.tr("Counting the clients it holds…"))
        self.count.setProperty("role", "subheading")
        self.count.setAccessibleName(self.tr("Clients the cohort holds"))
        self.layout().insertWidget(1, self.count)  # below the form, above the refusal and the buttons
        self.resize(560, 640)

    def _connect_signals(self) -> None:
        super()._connect_signals()
        for editor in self.form.editors.values():
            editor.sig_edited.connect(lambda _name: self._count())
            widget = editor.widget
            if hasattr(widget, "textEdited"):
                widget.textEdited.connect(lambda _text: self._pause.start())
        self._pause.timeout.connect(self._count)

    def values(self) -> dict | None:
        """The filter as typed (with the record's additions and exclusions), or None when a field does not read."""
        values = self.form.collect()
        if values is None:
            return None
        for name in COHORT_FIELDS:
            values.setdefault(name, None)
        if self.record is not None:
            values["added_ids"] = self.record["added_ids"]
            values["excluded_ids"] = self.record["excluded_ids"]
        return values

    def _count(self) -> None:
        values = self.values()
        if values is None:
            return
        self._asked += 1
        asked = self._asked
        self.edits.worker.submit(
            partial(operations.matching_count, values=values),
            lambda n: self._on_counted(asked, n),
            lambda _failure: None,  # a half-typed filter: the count waits for the next change
        )

    def _on_counted(self, asked: int, n: int) -> None:
        if asked == self._asked:
            self.count.setText(
                self.tr("Holds 1 client") if n == 1 else self.tr("Holds {0} clients").format(n)
            )

    def _on_buttons_accepted(self) -> None:
        values = self.values()
        if values is None:
            return
        if self.record is None:
            values = {k: v for k, v in values.items() if v is not None}
            self.save(partial(common.create_record, kind="cohort", values=values))
        else:
            changed = {k: v for k, v in values.items() if k in COHORT_FIELDS and v != self.record[k]}
            if not changed:
                self.accept()
                return
            self.save(partial(common.update_record, kind="cohort", record_id=self.record.id, values=changed))
