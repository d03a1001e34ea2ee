"""Possible duplicates over the whole workspace, from the people directory: a pair compared side by side,
merged into the one kept with a click (one undo step), or told apart; in words when there are none."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from companion.ui.common import theme
from tests.ui.helpers import SHOTS, TIMEOUT, laptop_window, run_edit, wait_idle

TMP_SHOTS = Path("/tmp/shots")


def _twice_typed(ws) -> dict[str, str]:
    """Ingrid, typed once at each of two clients with the same mobile; and two people merely alike."""
    ids = {}
    for client in ("Halvorsen Offshore", "Aurora Retail"):
        ids[client] = ws.create(kind="client", values={"name": client}).created_id
    ids["ingrid"] = ws.create(
        kind="contact", values={"name": "Ingrid Dahl", "phones": ["+47 912 34 567"], "birthday": "1979-05-17"}
    ).created_id
    ws.create(
        kind="position",
        values={
            "contact_id": ids["ingrid"],
            "client_id": ids["Halvorsen Offshore"],
            "title": "Head of Procurement",
        },
    )
    ids["copy"] = ws.create(
        kind="contact", values={"name": "Ingrid Dahl", "phones": ["+4791234567"]}
    ).created_id
    ws.create(
        kind="position",
        values={
            "contact_id": ids["copy"],
            "client_id": ids["Aurora Retail"],
            "title": "Board member",
            "work_email": "ingrid.dahl@aurora.se",
        },
    )
    return ids


def _made(qtbot, window, make) -> dict[str, str]:
    """The records `make` writes, through the window (its views told), and their ids."""
    ids: dict[str, str] = {}

    def job(ws):
        ids.update(make(ws))
        return ws.create(kind="client", values={"name": "Zephyr Shipping"})

    run_edit(qtbot, window, job)
    return ids


def _open(qtbot, window):
    window.people.action.trigger()
    qtbot.mouseClick(window.people.directory.duplicates_button, Qt.MouseButton.LeftButton)
    page = window.people.duplicates
    assert window.showing(page)
    wait_idle(qtbot, window)
    return page


def test_a_pair_is_merged_with_a_click_and_undo_brings_both_back(qtbot, window):
    ids = _made(qtbot, window, _twice_typed)
    ws = window.worker.workspace
    page = _open(qtbot, window)
    qtbot.waitUntil(lambda: page.list.topLevelItemCount() == 1 and page.shown is not None, timeout=TIMEOUT)
    item = page.list.topLevelItem(0)
    assert item.text(0) == "Ingrid Dahl and Ingrid Dahl"
    assert "phone" in item.text(1)
    left, right = page.shown
    assert {left.contact_id, right.contact_id} == {ids["ingrid"], ids["copy"]}
    assert "Board member at Aurora Retail" in (page.left.details.text() + page.right.details.text())

    # Keep the one on the right: the other's role moves to them.
    qtbot.mouseClick(page.right.keep, Qt.MouseButton.LeftButton)
    assert page.merge_button.text() == "Merge into Ingrid Dahl (right)"
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.empty.isVisible, timeout=TIMEOUT)
    assert page.empty.text().startswith("No possible duplicates.")
    assert [c.id for c in ws.list(kind="contact")] == [right.contact_id]
    assert len(ws.list(kind="position", where={"contact_id": right.contact_id})) == 2

    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    qtbot.waitUntil(lambda: page.list.topLevelItemCount() == 1, timeout=TIMEOUT)
    assert sorted(c.id for c in ws.list(kind="contact")) == sorted([ids["ingrid"], ids["copy"]])
    assert len(ws.list(kind="position", where={"contact_id": ids["ingrid"]})) == 1


def test_not_the_same_person_is_not_offered_again(qtbot, window):
    _made(qtbot, window, _twice_typed)
    ws = window.worker.workspace
    page = _open(qtbot, window)
    qtbot.waitUntil(lambda: page.shown is not None, timeout=TIMEOUT)
    qtbot.mouseClick(page.dismiss_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.empty.isVisible, timeout=TIMEOUT)
    assert len(ws.list(kind="contact")) == 2
    window.people.show_directory()
    _open(qtbot, window)
    assert page.empty.isVisible() and page.list.topLevelItemCount() == 0


def test_screenshots_of_the_duplicates_view(qtbot, workspace, tmp_path):
    """Three pairs over the demo workspace at 1366×768, dark and light; and the view with none."""
    from companion.core.demo import load_demo

    load_demo(workspace)
    _twice_typed(workspace)
    # A person typed again a letter off at their client, and one whose work email a colleague's card has.
    first, second = workspace.list(kind="position")[:2]
    name = workspace.get(kind="contact", id=str(first["contact_id"]))["name"]
    again = workspace.create(
        kind="contact", values={"name": f"{name}s", "phones": ["+47 400 12 345"]}
    ).created_id
    workspace.create(
        kind="position",
        values={"contact_id": again, "client_id": first["client_id"], "title": "Interim lead"},
    )
    shared = workspace.create(
        kind="contact", values={"name": "Front Desk", "emails": [str(second["work_email"])]}
    ).created_id
    workspace.create(kind="position", values={"contact_id": shared, "client_id": second["client_id"]})
    window = laptop_window(qtbot, workspace, tmp_path, "dark")
    try:
        qtbot.waitUntil(lambda: window.settled, timeout=TIMEOUT)
        page = _open(qtbot, window)
        qtbot.waitUntil(lambda: page.shown is not None, timeout=TIMEOUT)
        assert page.list.topLevelItemCount() == 3
        _save(qtbot, window, "contacts_duplicates_dark")
        theme.apply(QApplication.instance(), "light")
        _save(qtbot, window, "contacts_duplicates_light")
        for _pair in range(3):
            qtbot.waitUntil(lambda: page.dismiss_button.isEnabled(), timeout=TIMEOUT)
            qtbot.mouseClick(page.dismiss_button, Qt.MouseButton.LeftButton)
            wait_idle(qtbot, window)
        qtbot.waitUntil(page.empty.isVisible, timeout=TIMEOUT)
        _save(qtbot, window, "contacts_duplicates_none_light")
    finally:
        window.close()
        window.worker.stop()


def _save(qtbot, window, name: str) -> None:
    wait_idle(qtbot, window)
    qtbot.wait(50)
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    assert window.grab().save(str(path))
    TMP_SHOTS.mkdir(exist_ok=True)
    shutil.copyfile(path, TMP_SHOTS / path.name)
