"""Edit → Settings: each managed setting with where its value comes from; an admin's locked ones read-only,
with the reason. Saved to the user's settings file (companion.app.settings). The theme shows as soon as
it is chosen; Cancel puts the one before back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from companion.app import settings
from companion.model.errors import CompanionError
from companion.ui.common import theme
from companion.ui.common.theme import set_role

SOURCES = {"user": "your choice", "site": "your administrator's default", "built-in": "built in"}
THEME_LABELS = {"system": "System", "light": "Light", "dark": "Dark"}


class SettingsDialog(QDialog):
    def __init__(self, data_dir: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(520)
        self.managed = settings.load(data_dir)
        self.editors: dict[str, QWidget] = {}
        self._theme_before = theme.manager().requested_scheme()
        layout = QVBoxLayout(self)
        # Above the settings it holds: a site config that cannot be read, a settings file set aside.
        self.notice = QLabel("\n".join(line[:1].upper() + line[1:] for line in self.managed.notices()))
        self.notice.setWordWrap(True)
        set_role(self.notice, "error")
        self.notice.setVisible(bool(self.managed.notices()))
        layout.addWidget(self.notice)
        form = QFormLayout()
        for setting in settings.SETTINGS:
            editor = self._editor(setting, self.managed.value(setting.key))
            editor.setAccessibleName(self.tr(setting.label))
            reason = self.managed.lock_reason(setting.key)
            note = QLabel(
                self.tr("Held at its safest value until the site config is fixed")
                if setting.key in self.managed.held_safe
                else self.tr("Locked by your administrator")
                if reason
                else self.tr(SOURCES[self.managed.source(setting.key)])
            )
            note.setWordWrap(True)
            set_role(note, "muted")
            if reason:
                editor.setEnabled(False)
                editor.setToolTip(reason)
                note.setToolTip(reason)
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(editor)
            column.addWidget(note)
            form.addRow(self.tr(setting.label), column)
            self.editors[setting.key] = editor
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        set_role(self.problem, "error")
        self.problem.setVisible(bool(self.managed.problems))
        self.problem.setText("\n".join(self.managed.problems))
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.editors["ui.theme"].currentIndexChanged.connect(self._on_theme_changed)

    @staticmethod
    def _editor(setting: settings.Setting, value: object) -> QWidget:
        if setting.kind is bool:
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if setting.kind is int:
            spin = QSpinBox()
            spin.setRange(setting.minimum, setting.maximum)
            if setting.minimum == 0:
                spin.setSpecialValueText(QCoreApplication.translate("SettingsDialog", "Never"))
            spin.setValue(int(value))
            return spin
        if setting.choices:
            from companion.ui.common.roles import ROLES

            labels = (
                dict(ROLES)
                if setting.key == "ui.default_role"
                else THEME_LABELS
                if setting.key == "ui.theme"
                else {}
            )
            combo = QComboBox()
            for choice in setting.choices:
                label = labels.get(choice, choice).split(" — ")[0]
                combo.addItem(QCoreApplication.translate("SettingsDialog", label), choice)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            return combo
        line = QLineEdit(str(value))
        line.setPlaceholderText(setting.hint)
        return line

    def value_of(self, key: str) -> object:
        editor = self.editors[key]
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QSpinBox):
            return editor.value()
        if isinstance(editor, QComboBox):
            return editor.currentData()
        return editor.text().strip()

    def _on_theme_changed(self, _index: int) -> None:
        """The theme chosen shows at once, on this dialog and the window behind it."""
        theme.apply(QApplication.instance(), str(self.value_of("ui.theme")))

    def reject(self) -> None:
        """Cancel (or Esc, or closing): the theme of before comes back."""
        if theme.manager().requested_scheme() != self._theme_before:
            theme.apply(QApplication.instance(), self._theme_before)
        super().reject()

    def save(self) -> None:
        """Keeps what differs from what the layers below would give; a refused value says why."""
        try:
            for setting in settings.SETTINGS:
                if self.managed.lock_reason(setting.key) is not None:
                    continue
                value = self.value_of(setting.key)
                if value != self.managed.value(setting.key) or self.managed.source(setting.key) == "user":
                    self.managed.set(setting.key, value)
        except CompanionError as exc:
            self.problem.setText(str(exc))
            self.problem.setVisible(True)
            return
        self.accept()
