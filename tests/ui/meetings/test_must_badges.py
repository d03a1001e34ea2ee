"""Must-items are marked with a small badge, not by painting every item red: quiet while the meeting is
some way off or the item is ticked, red only while it is open on a meeting that is close."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from companion.core.demo import load_demo
from companion.ui.common import theme
from companion.ui.meetings.checklist_model import ChecklistModel
from tests.ui.helpers import SHOTS, TIMEOUT, laptop_window, run_edit, wait_idle
from tests.ui.meetings.test_meetings import _items, _plan_in_dialog, _seed


def _badges(model: ChecklistModel) -> dict[str, str]:
    return {str(model.item_at(i)["text"]): model.data(i, ChecklistModel.BadgeRole) for i in _items(model)}


def test_badges_follow_the_ticks_and_turn_red_only_close_to_the_meeting(qtbot, window):
    ids = _seed(qtbot, window)
    meeting_id = _plan_in_dialog(qtbot, window, ids)  # in 2031: some way off
    page = window.meetings.page
    model = page.model
    badges = _badges(model)
    assert set(badges.values()) == {"", "open"}
    assert badges["ID and badge"] == "open" and badges["Dress code"] == ""
    for index in _items(model):
        assert model.data(index, Qt.ItemDataRole.ForegroundRole) is None, "no text is painted red"
        assert not model.data(index, Qt.ItemDataRole.DecorationRole).isNull(), "texts line up"
        assert not str(model.data(index)).endswith("must")
    assert model.data(next(iter(_items(model))), Qt.ItemDataRole.AccessibleTextRole).endswith(
        ", must be done"
    )
    assert page.musts.property("role") is None and "must-items still open" in page.musts.text()

    # Ticking a must quiets its badge at once.
    escort = next(i for i in _items(model) if model.item_at(i)["text"] == "ID and badge")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        model.setData(escort, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.data(escort, ChecklistModel.BadgeRole) == "done"
    wait_idle(qtbot, window)

    # The meeting moves to tomorrow: its open musts turn red, the ticked one stays quiet.
    tomorrow = (dt.datetime.now().astimezone() + dt.timedelta(days=1)).replace(microsecond=0)
    run_edit(
        qtbot,
        window,
        lambda ws: ws.update(
            kind="meeting",
            id=meeting_id,
            values={
                "starts_at": tomorrow.isoformat(),
                "ends_at": (tomorrow + dt.timedelta(hours=1)).isoformat(),
            },
        ),
    )
    qtbot.waitUntil(lambda: model.close, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: page.musts.property("role") == "must", timeout=TIMEOUT)
    badges = _badges(model)
    assert badges["ID and badge"] == "done" and badges["Don't: Mention the failed 2024 pilot"] == "urgent"
    assert badges["Dress code"] == ""
    assert "open" not in badges.values()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_checklist_with_must_items(qtbot, workspace, tmp_path, scheme):
    app = QApplication.instance()
    load_demo(workspace)
    window = laptop_window(qtbot, workspace, tmp_path, scheme)
    worker = window.worker
    try:
        meeting = next(
            m
            for m in workspace.list(kind="meeting")
            if m["status"] == "planned" and str(m["title"]).startswith("Ågotnes")
        )
        window.open_meeting(meeting.id)
        page = window.meetings.page
        qtbot.waitUntil(lambda: page.model.rowCount() > 3, timeout=TIMEOUT)
        wait_idle(qtbot, window)
        # A few ticked, as a person part-way through preparing.
        for index in list(_items(page.model))[:3]:
            with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
                page.model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
            wait_idle(qtbot, window)
        qtbot.wait(50)
        assert window.grab().save(str(SHOTS / f"meeting-musts-{scheme}.png"))
        soon = (dt.datetime.now().astimezone() + dt.timedelta(hours=20)).replace(
            minute=0, second=0, microsecond=0
        )
        run_edit(
            qtbot,
            window,
            lambda ws: ws.update(
                kind="meeting",
                id=meeting.id,
                values={"starts_at": soon.isoformat(), "ends_at": (soon + dt.timedelta(hours=2)).isoformat()},
            ),
        )
        qtbot.waitUntil(lambda: page.model.close, timeout=TIMEOUT)
        wait_idle(qtbot, window)
        qtbot.wait(50)
        assert window.grab().save(str(SHOTS / f"meeting-musts-close-{scheme}.png"))
    finally:
        window.close()
        worker.stop()
        theme.apply(app, "light")
