"""Deals and campaigns on home, on the real window: next steps due and campaign targets due appear with
their client, deal or person and date; opening a deal's step lands on the client's Deals section with the
deal shown, a target's on its form there; "Mark step done" clears the step (Undo brings it back); a
target snoozed leaves; home follows changes to deals; screenshots with the demo in light and dark."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication

from companion.ui.common import theme
from companion.ui.home.model import HEADING, ITEM, REASON_ROLE
from tests.ui.helpers import TIMEOUT, laptop_window, run_edit, visible, wait_idle
from tests.ui.home.test_home import _click, _rows

TODAY = dt.date.today()
SHOTS = Path("/tmp/shots")


def _day(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


def _deals(ws):
    """Halvorsen (Mira's) with a deal whose next step is overdue and a closed deal; a running campaign with
    a target due tomorrow and one of a paused campaign that is overdue."""
    make = lambda kind, **values: ws.create(kind=kind, values=values).created_id  # noqa: E731
    mira = make("colleague", name="Mira Tan")
    halvorsen = make("client", name="Halvorsen Offshore", status="active", owner_id=mira)
    ingrid = make("contact", name="Ingrid Dahl")
    make("position", contact_id=ingrid, client_id=halvorsen, title="CEO", buying_role="decision_maker",
         stance="supporter")  # fmt: skip
    make(
        "opportunity", client_id=halvorsen, title="Fleet renewal", stage="negotiating",
        next_step="Call the CFO", next_step_due=_day(-2), owner_id=mira,
    )  # fmt: skip
    make(
        "opportunity", client_id=halvorsen, title="Old win", stage="won", outcome_reason="Proof",
        next_step="Nothing", next_step_due=_day(-2),
    )  # fmt: skip
    proposition = make("proposition", title="Energy Watch", status="approved")
    cohort = make("cohort", name="Asset-heavy", tags=["energy"])
    running = make(
        "campaign", name="Energy autumn", proposition_id=proposition, cohort_id=cohort, status="running"
    )
    paused = make(
        "campaign", name="Paused push", proposition_id=proposition, cohort_id=cohort, status="paused"
    )
    make(
        "campaign_target", campaign_id=paused, client_id=halvorsen, contact_id=ingrid, status="approached",
        next_step="Paused step", next_step_due=_day(-5),
    )  # fmt: skip
    return ws.create(
        kind="campaign_target",
        values={"campaign_id": running, "client_id": halvorsen, "contact_id": ingrid,
                "status": "approached", "next_step": "Email the energy case", "next_step_due": _day(1)},
    )  # fmt: skip


@pytest.fixture
def home(qtbot, window):
    run_edit(qtbot, window, _deals)
    window.show_home()
    page = window.home.page
    qtbot.waitUntil(
        lambda: page.attention is not None and page.attention.group("target_due") is not None,
        timeout=TIMEOUT,
    )
    wait_idle(qtbot, window)
    return page


def _titles(page) -> set[str]:
    return {item.title for item in page.items}


def test_next_steps_and_campaign_targets_due_are_listed(qtbot, window, home, qtmodeltester):
    rows = _rows(home)
    headings = [text for kind, text in rows if kind == HEADING]
    # (The deal's qualification gaps come as early warnings, after these.)
    assert headings[:2] == ["Next steps due (1)", "Campaign targets due (1)"]
    texts = [text for kind, text in rows if kind == ITEM]
    assert texts[0].startswith("Call the CFO — Halvorsen Offshore: overdue 2 days (due ") and texts[
        0
    ].endswith("· deal “Fleet renewal” (negotiating)")
    assert texts[1] == (
        "Email the energy case — Halvorsen Offshore: due tomorrow · Ingrid Dahl (approached)"
        " · campaign “Energy autumn”"
    )
    qtmodeltester.check(home.model)
    # The type filter knows both groups.
    home.type_filter.setCurrentIndex(home.type_filter.findData("target_due"))
    assert [kind for kind, _text in _rows(home)] == [HEADING, ITEM]
    assert home.summary.text() == "1 to do"


def test_opening_a_deal_s_next_step_lands_on_the_deal_in_its_client_s_deals(qtbot, window, home):
    ws = window.worker.workspace
    (deal,) = [d for d in ws.list(kind="opportunity") if d["stage"] == "negotiating"]
    _click(qtbot, home, "Call the CFO")
    qtbot.keyClick(home.view, Qt.Key.Key_Return)
    page = window.clients.page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: page.deals.panel.detail is not None, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert page.title.text() == "Halvorsen Offshore"
    assert page.tabs.currentWidget() is page.deals
    assert page.deals.panel.detail.opportunity.id == deal.id


def test_opening_a_campaign_target_shows_its_form_on_its_client_s_page(qtbot, window, home):
    from companion.ui.common.edit_dialog import EditRecordDialog

    _click(qtbot, home, "Email the energy case")
    qtbot.mouseClick(home.open_button, Qt.MouseButton.LeftButton)
    page = window.clients.page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=TIMEOUT)
    dialog = visible(qtbot, window, EditRecordDialog)
    assert dialog.kind.name == "campaign_target"
    assert page.title.text() == "Halvorsen Offshore" and page.tabs.currentWidget() is page.deals
    dialog.close()
    wait_idle(qtbot, window)


def test_mark_step_done_clears_the_deal_s_step_and_undo_brings_it_back(qtbot, window, home):
    ws = window.worker.workspace
    _click(qtbot, home, "Call the CFO")
    assert home.done_button.isVisible() and home.done_button.text() == "Mark step done"
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(home.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Call the CFO" not in _titles(home), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    (deal,) = [d for d in ws.list(kind="opportunity") if d["stage"] == "negotiating"]
    assert (deal["next_step"], deal["next_step_due"]) == (None, None)
    assert window.undo_action.text() == "Undo mark the deal's next step done"
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: "Call the CFO" in _titles(home), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    (deal,) = [d for d in ws.list(kind="opportunity") if d["stage"] == "negotiating"]
    assert (deal["next_step"], deal["next_step_due"]) == ("Call the CFO", _day(-2))


def test_ctrl_d_settles_a_target_s_step_and_a_snoozed_target_leaves(qtbot, window, home):
    ws = window.worker.workspace
    _click(qtbot, home, "Email the energy case")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        home.done_action.trigger()
    qtbot.waitUntil(lambda: "Email the energy case" not in _titles(home), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    target = next(
        t for t in ws.list(kind="campaign_target") if t["status"] == "approached" and not t["next_step"]
    )
    assert target["next_step_due"] is None
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: "Email the energy case" in _titles(home), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    _click(qtbot, home, "Email the energy case")
    with qtbot.waitSignal(home.sig_filled, timeout=TIMEOUT):
        home.snooze_week_action.trigger()
    assert "Email the energy case" not in _titles(home)
    assert home.snoozed_box.isVisible()


def test_home_follows_changes_to_deals_and_campaigns(qtbot, window, home):
    ws = window.worker.workspace
    (deal,) = [d for d in ws.list(kind="opportunity") if d["stage"] == "negotiating"]
    run_edit(
        qtbot,
        window,
        lambda w: w.update(
            kind="opportunity", id=deal.id, values={"stage": "lost", "outcome_reason": "Price"}
        ),
    )
    qtbot.waitUntil(lambda: "Call the CFO" not in _titles(home), timeout=TIMEOUT)
    (campaign,) = [c for c in ws.list(kind="campaign") if c["status"] == "running"]
    run_edit(qtbot, window, lambda w: w.update(kind="campaign", id=campaign.id, values={"status": "paused"}))
    qtbot.waitUntil(lambda: "Email the energy case" not in _titles(home), timeout=TIMEOUT)
    assert home.attention.group("next_step_due") is None and home.attention.group("target_due") is None
    wait_idle(qtbot, window)


def _scroll_to(qtbot, page, reason: str) -> None:
    """Puts a group's heading at the top of the view and selects its first item by a click."""
    proxy = page.proxy
    for g in range(proxy.rowCount()):
        heading = proxy.index(g, 0)
        if heading.data(REASON_ROLE) == reason:
            page.view.scrollTo(heading, QAbstractItemView.ScrollHint.PositionAtTop)
            index = proxy.index(0, 0, heading)
            rect = page.view.visualRect(index)
            qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise AssertionError(f"no {reason} on home: {_rows(page)}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_home_with_the_demo_s_deals(qtbot, workspace, tmp_path, scheme):
    from companion.core.demo import load_demo

    app = QApplication.instance()
    load_demo(workspace)
    window = laptop_window(qtbot, workspace, tmp_path, scheme)
    worker = window.worker
    try:
        window.show_home()
        page = window.home.page
        qtbot.waitUntil(
            lambda: page.attention is not None and page.attention.group("target_due") is not None,
            timeout=TIMEOUT,
        )
        wait_idle(qtbot, window)
        qtbot.mouseClick(page.not_now_button, Qt.MouseButton.LeftButton)
        _scroll_to(qtbot, page, "next_step_due")
        qtbot.wait(50)
        assert page.current_item().reason == "next_step_due" and page.done_button.text() == "Mark step done"
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(SHOTS / f"home_deals_{scheme}.png"))
    finally:
        window.close()
        worker.stop()
        theme.apply(app, "light")
