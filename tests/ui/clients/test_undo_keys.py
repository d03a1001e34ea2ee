"""Ctrl+Z as people expect: typing not yet saved is undone in the field; a saved edit is undone by the
app's Undo, even with the cursor still in that field."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.helpers import TIMEOUT, run_edit, wait_idle


def test_ctrl_z_undoes_typing_first_then_the_saved_edit(qtbot, window):
    client = run_edit(
        qtbot,
        window,
        lambda ws: ws.create(kind="client", values={"name": "Borealis Foods", "industry": "Food"}),
    ).created_id
    window.open_client(client, "overview")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)
    overview = window.clients.page.overview
    qtbot.mouseClick(overview.edit_button, Qt.MouseButton.LeftButton)  # from the profile to its form
    industry = overview.form.editors["industry"].widget
    qtbot.waitUntil(lambda: industry.text() == "Food", timeout=TIMEOUT)
    industry.setFocus()
    industry.end(False)
    qtbot.keyClicks(industry, " and drink")
    qtbot.keyClick(industry, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert industry.text() == "Food", "the field undid the typing"
    wait_idle(qtbot, window)
    # The app's Undo was not run: it would have taken the new client away.
    assert window.worker.workspace.get(kind="client", id=client)["industry"] == "Food"
    assert window.undo_action.text() == "Undo add client"

    industry.setText("Seafood")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.keyClick(industry, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert window.worker.workspace.get(kind="client", id=client)["industry"] == "Seafood"
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.keyClick(industry, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert window.worker.workspace.get(kind="client", id=client)["industry"] == "Food"
    qtbot.waitUntil(lambda: industry.text() == "Food", timeout=TIMEOUT)
    assert window.statusBar().currentMessage().startswith("Undone: ")

    with qtbot.waitSignal(window.edits.sig_done, timeout=TIMEOUT):
        window.redo_action.trigger()
    assert window.statusBar().currentMessage().startswith("Redone: ")
    assert window.worker.workspace.get(kind="client", id=client)["industry"] == "Seafood"
