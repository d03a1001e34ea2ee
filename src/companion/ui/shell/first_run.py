"""The welcome on first run: the demo workspace or an empty one (the demo only into a workspace that holds
no records), and the person's role (their start page)."""

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
        self,
        parent: QWidget | None = None,
        *,
        role: str = "account_manager",
        role_locked: bool = False,
        offer_demo: bool = True,
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to Companion"))
        self.offer_demo = offer_demo
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
        layout.addSpacing(8)
        start_with = self._subheading(self.tr("Start with"))
        layout.addWidget(start_with)
        self.demo = QRadioButton(self.tr("The demo workspace: five example clients to explore"))
        self.empty = QRadioButton(self.tr("An empty workspace"))
        start = QButtonGroup(self)
        for button in (self.demo, self.empty):
            start.addButton(button)
            layout.addWidget(button)
        # A workspace that already holds records (restored, synced, filled from the command line) starts
        # with them: example clients would mix with real ones.
        self.demo.setChecked(self.offer_demo)
        self.empty.setChecked(not self.offer_demo)
        for widget in (start_with, self.demo, self.empty):
            widget.setVisible(self.offer_demo)
        self.has_records = QLabel(
            self.tr("This workspace already holds records: you start with them, without the demo.")
        )
        self.has_records.setWordWrap(True)
        self.has_records.setProperty("role", "muted")
        self.has_records.setVisible(not self.offer_demo)
        layout.addWidget(self.has_records)
        layout.addSpacing(8)
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
        layout.addSpacing(8)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.start_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText(self.tr("Start"))
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    @staticmethod
    def _subheading(text: str) -> QLabel:
        label = QLabel(text)
        label.setProperty("role", "subheading")
        return label

    @property
    def wants_demo(self) -> bool:
        return self.offer_demo and self.demo.isChecked()

    @property
    def role(self) -> str:
        return str(self.roles.checkedButton().property("value"))
