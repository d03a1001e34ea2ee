"""A form for any record kind, built from its fields: saves as you go, shows problems beside the field."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from companion.core.changes import Record
from companion.model.errors import ValidationError
from companion.model.kinds import Field, get_kind
from companion.model.labels import choice_label
from companion.model.values import format_value, parse_text
from companion.ui.common.widgets import error_label

# Typing in a long text saves after this pause, and always when the field loses focus.
AUTOSAVE_DELAY_MS = 800


class _FieldEditor(QObject):
    """One field's widget, its error label, and the conversion between widget and value."""

    sig_edited = Signal(str)
    """The person finished changing the field (by name)."""

    def __init__(
        self, kind_name: str, field: Field, ref_choices: Callable[[Field], Sequence[tuple[str, str]]]
    ):
        super().__init__()
        self.kind = get_kind(kind_name)
        self.field = field
        self.error = error_label()
        self._ref_choices = ref_choices
        self.widget = self._make_widget(ref_choices)
        self.widget.setAccessibleName(field.label)
        self.widget.setObjectName(f"field_{field.name}")
        self._loading = False
        # Typed and not yet saved: Ctrl+Z undoes the typing in the field; once saved, the app's Undo does.
        self._typed = False

    def _make_widget(self, ref_choices) -> QWidget:
        f = self.field
        if f.type == "longtext":
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self._timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
            self._timer.timeout.connect(self._emit)
            edit.textChanged.connect(self._on_text_changed)
            edit.installEventFilter(self)
            self._fit_height(edit)
            edit.document().documentLayout().documentSizeChanged.connect(lambda _size: self._fit_height(edit))
            return edit
        if f.type == "bool":
            box = QCheckBox(self.tr("Yes"))
            box.toggled.connect(self._emit)
            return box
        if f.type in ("enum", "ref"):
            combo = QComboBox()
            combo.addItem(self.tr("—"), None)
            options = [(v, choice_label(v)) for v in f.choices] if f.type == "enum" else list(ref_choices(f))
            for value, label in options:
                combo.addItem(label, value)
            combo.activated.connect(self._emit)
            return combo
        if (f.type == "refs" and f.ref_kind is not None) or (f.type == "strings" and f.choices):
            # A list of people or records (ticked from the choices this page offers), or of fixed choices.
            picks = QListWidget()
            picks.setMaximumHeight(6 * picks.fontMetrics().lineSpacing() + 12)
            self._fill_picks(picks, self._list_choices(), ())
            picks.itemChanged.connect(self._emit)
            return picks
        line = QLineEdit()
        hints = {
            "date": self.tr("YYYY-MM-DD"),
            "datetime": self.tr("YYYY-MM-DD HH:MM"),
            "strings": self.tr("separate with commas"),
            "email": self.tr("name@example.com"),
            "url": self.tr("example.com"),
        }
        line.setPlaceholderText(hints.get(f.type, ""))
        line.editingFinished.connect(self._emit)
        line.textEdited.connect(self._on_typed)
        line.installEventFilter(self)
        return line

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and self.field.type == "longtext" and self._timer.isActive():
            self._timer.stop()
            self._emit()
        elif event.type() == QEvent.Type.ShortcutOverride and (
            event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)
        ):
            # Unsaved typing is the field's to undo; anything saved is undone by the window's Undo, which
            # gets the keys when the field does not claim them.
            return not self._typed
        return False

    def _on_typed(self, *_args) -> None:
        self._typed = True

    def _on_text_changed(self) -> None:
        if not self._loading:
            self._typed = True
            self._timer.start()

    @staticmethod
    def _fit_height(edit: QPlainTextEdit) -> None:
        # Grow with the text, from three lines to fifteen, so a page of fields reads like a document.
        line = edit.fontMetrics().lineSpacing()
        # A plain-text document measures its height in (wrapped) lines.
        lines = max(3, min(15, edit.document().size().height() + 1))
        edit.setFixedHeight(int(lines * line + 2 * edit.frameWidth() + 12))

    def _fill_picks(self, picks: QListWidget, choices, ticked) -> None:
        picks.clear()
        ticked = list(ticked or ())
        offered = dict(choices)
        for value in [*offered, *(t for t in ticked if t not in offered)]:
            item = QListWidgetItem(offered.get(value, self.tr("(no longer listed here)")))
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value in ticked else Qt.CheckState.Unchecked)
            picks.addItem(item)

    def _list_choices(self) -> Sequence[tuple[str, str]]:
        if self.field.type == "strings":
            return [(v, choice_label(v)) for v in self.field.choices]
        return self._ref_choices(self.field)

    def refresh_choices(self) -> None:
        """Re-reads a reference field's choices (the people, sites, colleagues may have changed)."""
        w = self.widget
        if isinstance(w, QListWidget):
            self._loading = True
            try:
                self._fill_picks(w, self._list_choices(), self._ticked(w))
            finally:
                self._loading = False
            return
        if self.field.type != "ref" or not isinstance(w, QComboBox):
            return
        current = w.currentData()
        self._loading = True
        try:
            w.clear()
            w.addItem(self.tr("—"), None)
            for value, label in self._ref_choices(self.field):
                w.addItem(label, value)
            index = w.findData(current)
            w.setCurrentIndex(max(index, 0))
        finally:
            self._loading = False

    def _emit(self, *_args) -> None:
        if not self._loading:
            self._typed = False
            self.sig_edited.emit(self.field.name)

    def set_value(self, value: object) -> None:
        self._loading = True
        try:
            w = self.widget
            if isinstance(w, QPlainTextEdit):
                if w.toPlainText() != (value or ""):
                    w.setPlainText(str(value or ""))
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QListWidget):
                if self._ticked(w) != list(value or ()):
                    self._fill_picks(w, self._list_choices(), value)
            elif isinstance(w, QComboBox):
                index = w.findData(value)
                if index < 0 and value is not None:
                    w.addItem(str(value), value)  # a reference outside the offered choices
                    index = w.count() - 1
                w.setCurrentIndex(max(index, 0))
            elif w.text() != format_value(self.field, value):
                w.setText(format_value(self.field, value))
        finally:
            self._loading = False

    def value(self) -> object:
        """The widget's content as a value; raises ValidationError for text that doesn't parse."""
        w = self.widget
        if isinstance(w, QPlainTextEdit):
            text = w.toPlainText()
            return text if text.strip() else None
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QListWidget):
            return self._ticked(w) or None
        if isinstance(w, QComboBox):
            return w.currentData()
        return parse_text(self.kind, self.field, w.text())

    @staticmethod
    def _ticked(picks: QListWidget) -> list[str]:
        return [
            picks.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(picks.count())
            if picks.item(row).checkState() == Qt.CheckState.Checked
        ]

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.widget.setProperty("invalid", bool(message))
        self.widget.style().unpolish(self.widget)
        self.widget.style().polish(self.widget)


class RecordForm(QWidget):
    """Edits one record's chosen fields; each finished edit is sent to be saved at once.

    What a person typed stays in the field even when it is refused, with the reason beside it.
    """

    sig_save_requested = Signal(str, str, dict)
    """The person changed fields: (kind, record id, {field: value}) to save."""

    def __init__(
        self,
        kind_name: str,
        field_names: Sequence[str] | None = None,
        *,
        ref_choices: Callable[[Field], Sequence[tuple[str, str]]] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.kind = get_kind(kind_name)
        self.record_id: str | None = None
        names = field_names or self.kind.field_names
        self.editors = {
            name: _FieldEditor(kind_name, self.kind.field(name), ref_choices or (lambda f: ()))
            for name in names
        }
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for editor in self.editors.values():
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(editor.widget)
            column.addWidget(editor.error)
            label = QLabel(self.tr(editor.field.label))
            label.setBuddy(editor.widget)
            layout.addRow(label, holder)

    def _connect_signals(self) -> None:
        for editor in self.editors.values():
            editor.sig_edited.connect(self._on_editor_edited)

    def focus_first(self) -> None:
        """Puts the cursor in the first field (a record opened for editing)."""
        for editor in self.editors.values():
            if editor.widget.isEnabled():
                editor.widget.setFocus()
                return

    def load(self, record: Record | None) -> None:
        """Shows a record; fields the person is still fixing keep what they typed."""
        self.record_id = record.id if record else None
        for name, editor in self.editors.items():
            if editor.error.isVisible() and record is not None:
                continue
            editor.show_error(None)
            editor.refresh_choices()
            editor.set_value(record.values.get(name) if record else None)
        self.setEnabled(record is not None)

    def _on_editor_edited(self, name: str) -> None:
        editor = self.editors[name]
        try:
            value = editor.value()
        except ValidationError as exc:
            editor.show_error(str(exc).split(": ", 1)[-1])
            return
        if self.record_id is None:
            editor.show_error(None)
        else:
            self.sig_save_requested.emit(self.kind.name, self.record_id, {name: value})

    def start_draft(self, values: dict | None = None) -> None:
        """Edits a record not yet saved: nothing is sent until `collect()` is taken."""
        self.record_id = None
        for name, editor in self.editors.items():
            editor.show_error(None)
            editor.refresh_choices()
            editor.set_value((values or {}).get(name))
        self.setEnabled(True)

    def collect(self) -> dict | None:
        """The draft's values, or None after showing beside each field what does not parse."""
        values, ok = {}, True
        for name, editor in self.editors.items():
            try:
                value = editor.value()
            except ValidationError as exc:
                editor.show_error(str(exc).split(": ", 1)[-1])
                ok = False
                continue
            if value is not None and value is not False:
                values[name] = value
        return values if ok else None

    def show_save_error(self, error: ValidationError) -> bool:
        """Puts a refused save's reason beside its field; False if no field here matches."""
        editor = self.editors.get(error.field or "")
        if editor is None:
            return False
        editor.show_error(str(error).split(": ", 1)[-1])
        return True

    def clear_error(self, name: str) -> None:
        if name in self.editors:
            self.editors[name].show_error(None)
