"""Editing a short value in place in a table (a stance, an influence), with the editor its field's type asks for."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from companion.model.kinds import Field
from companion.model.labels import choice_label

NO_VALUE = "—"


class FieldDelegate(QStyledItemDelegate):
    """Edits the cells whose column is a field (`field_at`): a list of choices, a number in its range, or
    text. The model gets the stored value (None for "—") through setData with the EditRole."""

    def __init__(self, field_at: Callable[[QModelIndex], Field | None], parent=None):
        super().__init__(parent)
        self.field_at = field_at

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        field = self.field_at(index)
        if field is None:
            return super().createEditor(parent, option, index)
        if field.type == "enum":
            combo = QComboBox(parent)
            combo.addItem(NO_VALUE, None)
            for choice in field.choices:
                combo.addItem(choice_label(choice), choice)
            combo.setAccessibleName(field.label)
            # A choice made is the edit done: saved at once, as everywhere else.
            combo.activated.connect(
                lambda _index: (self.commitData.emit(combo), self.closeEditor.emit(combo))
            )
            return combo
        if field.type == "int":
            spin = QSpinBox(parent)
            low = field.min if field.min is not None else 0
            # One below the range stands for "not set", shown as "—".
            spin.setRange(low - 1, field.max if field.max is not None else 1_000_000)
            spin.setSpecialValueText(NO_VALUE)
            spin.setAccessibleName(field.label)
            return spin
        line = QLineEdit(parent)
        line.setAccessibleName(field.label)
        return line

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
            editor.showPopup()
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value) if value is not None else editor.minimum())
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))
        else:
            super().setEditorData(editor, index)

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, QComboBox):
            value = editor.currentData()
        elif isinstance(editor, QSpinBox):
            value = None if editor.value() == editor.minimum() else editor.value()
        elif isinstance(editor, QLineEdit):
            value = editor.text().strip() or None
        else:
            super().setModelData(editor, model, index)
            return
        model.setData(index, value, Qt.ItemDataRole.EditRole)
