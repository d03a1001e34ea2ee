"""The welcome on first run: the role an admin presets is chosen, and a locked one is the only choice."""

from __future__ import annotations

from companion.app import settings
from companion.ui.common.roles import ROLES
from companion.ui.shell.first_run import WelcomeDialog


def test_the_roles_offered_are_the_ones_settings_know():
    assert tuple(role for role, _text in ROLES) == settings.ROLES


def test_the_preset_role_is_chosen_and_the_others_stay_open(qtbot):
    dialog = WelcomeDialog(role="new_staff")
    qtbot.addWidget(dialog)
    assert dialog.role == "new_staff"
    assert all(button.isEnabled() for button in dialog.roles.buttons())


def test_a_locked_role_is_the_only_choice(qtbot):
    dialog = WelcomeDialog(role="admin", role_locked=True)
    qtbot.addWidget(dialog)
    assert dialog.role == "admin"
    enabled = [b.property("value") for b in dialog.roles.buttons() if b.isEnabled()]
    assert enabled == ["admin"]
