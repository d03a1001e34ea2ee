"""What every view of records offers: Enter or double-click opens the record's form, Delete asks once and
deletes it with what belongs to it (undo brings all of it back), and a context menu offers both."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QMenu, QMessageBox, QWidget

from companion.model.kinds import Field, get_kind
from companion.ui.common import operations
from companion.ui.common.edits import EditController

# Where each item of a view keeps the record it shows: (kind, id).
RecordRole = Qt.ItemDataRole.UserRole + 40


class RecordActions(QObject):
    """Makes a list, tree or table of records maintainable where it is shown; one per view.

    Items carry (kind, id) in `RecordRole`. `edit` opens the generic form of the kind unless `on_edit`
    opens it some other way (a meeting on its page)."""

    def __init__(
        self,
        view: QAbstractItemView,
        edits: EditController,
        *,
        ref_choices: Callable[[Field], Sequence[tuple[str, str]]] | None = None,
        fields: Mapping[str, Sequence[str]] | None = None,
        on_edit: Callable[[str, str], None] | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent or view)
        self.view = view
        self.edits = edits
        self.ref_choices = ref_choices
        self.fields = dict(fields or {})  # a kind's form fields, where not all of them
        self.on_edit = on_edit
        view.activated.connect(self._on_view_activated)
        # The Delete key while the list has the focus (not a window shortcut: a field's Delete deletes text).
        view.installEventFilter(self)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._on_view_context_menu_requested)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.view
            and event.type() == QEvent.Type.KeyPress
            and event.matches(QKeySequence.StandardKey.Delete)
            and self.view.state() != QAbstractItemView.State.EditingState
            and self.current() is not None
        ):
            self.delete_current()
            return True
        return False

    def record_at(self, index: QModelIndex) -> tuple[str, str] | None:
        target = index.data(RecordRole) if index.isValid() else None
        return tuple(target) if target else None

    def current(self) -> tuple[str, str] | None:
        return self.record_at(self.view.currentIndex())

    def select(self, kind: str, record_id: str) -> bool:
        """Puts the view's cursor on this record, if the view lists it (rows and their children)."""
        index = self._index_of((kind, record_id), QModelIndex())
        if index is None:
            return False
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True

    def _index_of(self, target: tuple[str, str], parent: QModelIndex) -> QModelIndex | None:
        model = self.view.model()
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            if self.record_at(index) == target:
                return index
            if model.rowCount(index) and (found := self._index_of(target, index)) is not None:
                return found
        return None

    def _on_view_activated(self, index: QModelIndex) -> None:
        target = self.record_at(index)
        if target is not None:
            self.edit(*target)

    def _on_view_context_menu_requested(self, point: QPoint) -> None:
        index = self.view.indexAt(point)
        target = self.record_at(index)
        if target is None:
            return
        self.view.setCurrentIndex(index)
        label = get_kind(target[0]).label.lower()
        menu = QMenu(self.view)
        menu.addAction(self.tr("Edit {0}…").format(label), lambda: self.edit(*target))
        menu.addAction(self.tr("Delete {0}…").format(label), lambda: self.delete(*target, title=index.data()))
        menu.popup(self.view.viewport().mapToGlobal(point))

    def edit(self, kind: str, record_id: str) -> QWidget | None:
        if self.on_edit is not None:
            self.on_edit(kind, record_id)
            return None
        from companion.ui.common.edit_dialog import EditRecordDialog

        dialog = EditRecordDialog(
            self.edits,
            kind,
            record_id,
            fields=self.fields.get(kind),
            ref_choices=self.ref_choices,
            parent=self.view.window(),
        )
        dialog.open()
        return dialog

    def delete_current(self) -> None:
        target = self.current()
        if target is not None:
            self.delete(*target, title=self.view.currentIndex().data())

    def delete(self, kind: str, record_id: str, *, title: object = None) -> None:
        ask_then_delete(self.view.window(), self.edits, kind, record_id, title=title)


def ask_then_delete(
    parent: QWidget, edits: EditController, kind: str, record_id: str, *, title: object = None
) -> None:
    """Asks once, naming what goes with the record, then deletes it (with what belongs to it); Ctrl+Z
    brings all of it back."""

    def confirm(dependents: dict[str, int]) -> None:
        label = get_kind(kind).label.lower()
        name = str(title or "").split("\n")[0].strip()
        question = (
            QCoreApplication.translate("RecordActions", "Delete the {0} “{1}”?").format(label, name)
            if name
            else QCoreApplication.translate("RecordActions", "Delete this {0}?").format(label)
        )
        if dependents:
            listed = ", ".join(
                f"{n} {get_kind(k).label.lower() if n == 1 else get_kind(k).plural.lower()}"
                for k, n in dependents.items()
            )
            question += " " + QCoreApplication.translate(
                "RecordActions", "It is used by {0}: they are deleted with it, or lose it."
            ).format(listed)
        question += "\n\n" + QCoreApplication.translate(
            "RecordActions", "Undo (Ctrl+Z) brings everything back."
        )
        answer = QMessageBox.question(
            parent,
            QCoreApplication.translate("RecordActions", "Delete {0}").format(label),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            edits.delete(kind, record_id, cascade=bool(dependents))

    edits.worker.submit(partial(operations.dependents, kind=kind, record_id=record_id), confirm)
