"""Edit → Team…: colleagues added, corrected and deleted in the window, each undoable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from companion.ui.common.edit_dialog import EditRecordDialog
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.record_dialog import NewRecordDialog
from companion.ui.team.dialog import TeamDialog
from tests.ui.helpers import TIMEOUT, visible, wait_idle


def _names(team: TeamDialog) -> list[str]:
    return [team.list.item(r).text() for r in range(team.list.count())]


def test_a_colleague_is_added_corrected_and_deleted_from_the_team_dialog(qtbot, window, monkeypatch):
    window.team.team_action.trigger()
    team = visible(qtbot, window, TeamDialog)
    qtbot.waitUntil(lambda: _names(team) == ["Nobody yet: Add colleague… adds the first."], timeout=TIMEOUT)
    assert not team.edit_button.isEnabled()

    qtbot.mouseClick(team.add_button, Qt.MouseButton.LeftButton)
    new = visible(qtbot, team, NewRecordDialog)
    qtbot.keyClicks(new.form.editors["name"].widget, "Maren Solberg")
    qtbot.keyClicks(new.form.editors["role"].widget, "Account manager")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(new.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    (maren,) = window.worker.workspace.list(kind="colleague")
    assert (maren["name"], maren["role"]) == ("Maren Solberg", "Account manager")
    qtbot.waitUntil(lambda: _names(team) == ["Maren Solberg — Account manager"], timeout=TIMEOUT)

    team.list.setCurrentRow(0)
    team.list.setFocus()
    qtbot.keyClick(team.list, Qt.Key.Key_Return)  # Enter opens the colleague, and nothing else
    form = visible(qtbot, team, EditRecordDialog)
    assert not any(d.isVisible() for d in team.findChildren(NewRecordDialog) if d is not new)
    assert not new.isVisible()
    form.close()
    qtbot.mouseClick(team.edit_button, Qt.MouseButton.LeftButton)
    form = visible(qtbot, team, EditRecordDialog)
    qtbot.waitUntil(form.form.isEnabled, timeout=TIMEOUT)
    email = form.form.editors["email"].widget
    qtbot.keyClicks(email, "maren@companion.example")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.keyClick(email, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    form.close()
    assert window.worker.workspace.get(kind="colleague", id=maren.id)["email"] == "maren@companion.example"
    qtbot.waitUntil(
        lambda: _names(team) == ["Maren Solberg — Account manager · maren@companion.example"], timeout=TIMEOUT
    )

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    team.list.setCurrentRow(0)
    assert team.list.currentItem().data(RecordRole) == ("colleague", maren.id)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(team.delete_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.worker.workspace.list(kind="colleague") == []
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    assert [c.id for c in window.worker.workspace.list(kind="colleague")] == [maren.id]
    qtbot.waitUntil(lambda: len(_names(team)) == 1 and _names(team)[0].startswith("Maren"), timeout=TIMEOUT)
    qtbot.mouseClick(team.buttons.button(QDialogButtonBox.StandardButton.Close), Qt.MouseButton.LeftButton)
    assert not team.isVisible()
