"""The welcome on first run: the role an admin presets is chosen, and a locked one is the only choice; the
demo only into a workspace without records; new staff start in a pack once the workspace is loaded."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from companion.app import settings
from companion.ui.common import theme
from companion.ui.common.roles import ROLES
from companion.ui.shell.application import welcome
from companion.ui.shell.first_run import WelcomeDialog
from tests.ui.helpers import SHOTS, TIMEOUT, run_edit, wait_idle


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


# --- the welcome in the window ------------------------------------------------------------------


def _welcome_dialog(qtbot, window) -> WelcomeDialog:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(WelcomeDialog)), timeout=TIMEOUT)
    return next(d for d in window.findChildren(WelcomeDialog) if d.isVisible())


def _choose_role(qtbot, dialog: WelcomeDialog, role: str) -> None:
    button = next(b for b in dialog.roles.buttons() if b.property("value") == role)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dialog.role == role


def _start(qtbot, dialog: WelcomeDialog) -> None:
    assert dialog.start_button.isVisible() and dialog.start_button.isEnabled()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)


def test_new_staff_with_the_demo_start_in_a_pack_once_the_demo_is_loaded(qtbot, window):
    welcome(window, window.settings)
    dialog = _welcome_dialog(qtbot, window)
    assert dialog.demo.isVisible() and dialog.demo.isChecked() and not dialog.has_records.isVisible()
    _choose_role(qtbot, dialog, "new_staff")
    _start(qtbot, dialog)
    reader = window.induction.reader
    qtbot.waitUntil(lambda: window.stack.currentWidget() is reader, timeout=TIMEOUT * 2)
    qtbot.waitUntil(lambda: reader.view is not None, timeout=TIMEOUT)
    assert len(window.clients.rows) == 5 and reader.client_id in {row[0] for row in window.clients.rows}
    assert window.settings.value("first_run_done", type=bool)
    assert window.settings.value("role") == "new_staff"


def test_an_account_manager_with_the_demo_starts_at_home(qtbot, window):
    welcome(window, window.settings)
    dialog = _welcome_dialog(qtbot, window)
    _choose_role(qtbot, dialog, "account_manager")
    _start(qtbot, dialog)
    qtbot.waitUntil(lambda: len(window.clients.rows) == 5, timeout=TIMEOUT * 2)
    wait_idle(qtbot, window)
    assert window.stack.currentWidget() is window.home.page


def test_a_workspace_with_records_is_never_offered_the_demo(qtbot, window):
    client = run_edit(
        qtbot, window, lambda ws: ws.create(kind="client", values={"name": "Already Here AS"})
    ).created_id
    qtbot.waitUntil(lambda: len(window.clients.rows) == 1, timeout=TIMEOUT)
    welcome(window, window.settings)
    dialog = _welcome_dialog(qtbot, window)
    assert not dialog.demo.isVisible() and not dialog.wants_demo
    assert dialog.has_records.isVisible() and "already holds records" in dialog.has_records.text()
    SHOTS.mkdir(exist_ok=True)
    theme.apply(QApplication.instance(), "light")
    dialog.grab().save(str(SHOTS / "welcome-with-records-light.png"))
    _choose_role(qtbot, dialog, "new_staff")
    _start(qtbot, dialog)
    reader = window.induction.reader
    qtbot.waitUntil(lambda: window.stack.currentWidget() is reader, timeout=TIMEOUT)
    assert reader.client_id == client
    wait_idle(qtbot, window)
    assert [c["name"] for c in window.worker.workspace.list(kind="client")] == ["Already Here AS"]


def test_the_demo_job_refuses_a_workspace_with_records_and_writes_nothing(workspace):
    from companion.ui.shell import operations

    assert not operations.holds_records(workspace)
    workspace.create(kind="colleague", values={"name": "Nina New"})
    assert operations.holds_records(workspace)
    with pytest.raises(operations.NotEmpty, match="already holds records"):
        operations.load_demo(workspace)
    assert workspace.count(kind="client") == 0
