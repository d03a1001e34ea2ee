"""The welcome on first run: the demo workspace or an empty one, and the person's role (their start page)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from companion.ui.common.roles import ROLES


class WelcomeDialog(QDialog):
    """Asks two things once: which workspace to start with, and who is using it."""

    def __init__(
        self, parent: QWidget | None = None, *, role: str = "account_manager", role_locked: bool = False
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to Companion"))
        self._build_ui(role, role_locked)

    def _build_ui(self, chosen_role: str, role_locked: bool) -> None:
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Welcome to Companion"))
        title.setProperty("role", "heading")
        layout.addWidget(title)
        intro = QLabel(
            self.tr(
                "Everything you need before walking into a client: their people and how they decide, "
                "the culture, the do's and don'ts, the dress code and the site's security rules. "
                "It all lives on this laptop and works offline."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self._subheading(self.tr("Start with")))
        self.demo = QRadioButton(self.tr("The demo workspace: five example clients to explore"))
        self.empty = QRadioButton(self.tr("An empty workspace"))
        self.demo.setChecked(True)
        start = QButtonGroup(self)
        for button in (self.demo, self.empty):
            start.addButton(button)
            layout.addWidget(button)
        layout.addWidget(self._subheading(self.tr("I am")))
        self.roles = QButtonGroup(self)
        for role, text in ROLES:
            button = QRadioButton(self.tr(text))
            button.setProperty("value", role)
            button.setChecked(role == chosen_role)
            # An admin who locked the role (companion.app.settings) leaves only theirs to pick.
            button.setEnabled(not role_locked or role == chosen_role)
            self.roles.addButton(button)
            layout.addWidget(button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start"))
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(520, 380)

    @staticmethod
    def _subheading(text: str) -> QLabel:
        label = QLabel(text)
        label.setProperty("role", "subheading")
        return label

    @property
    def wants_demo(self) -> bool:
        return self.demo.isChecked()

    @property
    def role(self) -> str:
        return str(self.roles.checkedButton().property("value"))
