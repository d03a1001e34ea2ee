"""Account plans on home, on the real window: plan actions, early warnings, risks and plans to review and
contract notice dates appear for what a team types; an early warning is accepted (it becomes a risk) or
dismissed with its buttons, both undone with the window's Undo; opening a warning shows what it is
about; home follows changes to these kinds; screenshots in light and dark."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication

from companion.ui.common import theme
from companion.ui.home.model import HEADING, ITEM, REASON_ROLE
from tests.ui.helpers import SHOTS, TIMEOUT, laptop_window, run_edit, wait_idle
from tests.ui.home.test_home import _click, _rows

TODAY = dt.date.today()


def _day(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


def _plans(ws):
    """Halvorsen (Mira's) with an active plan due for review, an overdue action, a contract whose
    notice date is near and a decision maker who does not back us; Aurora with a risk to review and a
    champion who left last month."""
    make = lambda kind, **values: ws.create(kind=kind, values=values).created_id  # noqa: E731
    mira = make("colleague", name="Mira Tan")
    halvorsen = make("client", name="Halvorsen Offshore", status="active", owner_id=mira)
    aurora = make("client", name="Aurora Retail", status="active")
    plan = make(
        "account_plan", client_id=halvorsen, title="Halvorsen 2027", status="active", next_review=_day(-3)
    )
    goal = make("objective", plan_id=plan, title="Win the subsea maintenance frame")
    make("action", objective_id=goal, text="Book the site tour", due=_day(-2))
    make(
        "risk", client_id=aurora, title="Sponsor may retire", status="watching", likelihood=3, impact=5,
        next_review=_day(-1),
    )  # fmt: skip
    make(
        "contract", client_id=halvorsen, title="Frame agreement", notice_by=_day(30),
        renewal_status="negotiating",
    )  # fmt: skip
    ingrid = make("contact", name="Ingrid Dahl")
    make("position", contact_id=ingrid, client_id=halvorsen, title="CFO", buying_role="decision_maker",
         stance="sceptic")  # fmt: skip
    ana = make("contact", name="Ana Moe")
    return ws.create(
        kind="position",
        values={"contact_id": ana, "client_id": aurora, "title": "CIO", "buying_role": "champion",
                "started": _day(-900), "ended": _day(-20)},
    )  # fmt: skip


@pytest.fixture
def home(qtbot, window):
    run_edit(qtbot, window, _plans)
    window.show_home()
    page = window.home.page
    qtbot.waitUntil(lambda: len(page.items) == 6, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    return page


def _titles(page) -> set[str]:
    return {item.title for item in page.items}


def test_the_plan_groups_show_what_is_due(qtbot, window, home, qtmodeltester):
    headings = [text for kind, text in _rows(home) if kind == HEADING]
    assert headings == [
        "Actions due (1)",
        "Early warnings (2)",
        "Risks to review (1)",
        "Contract notice dates (1)",
        "Account plans to review (1)",
    ]
    texts = [text for kind, text in _rows(home) if kind == ITEM]
    assert any(t.startswith("Book the site tour — Halvorsen Offshore: overdue 2 days") for t in texts)
    assert any(
        t.startswith("Champion Ana Moe has left — Aurora Retail: Ana Moe (CIO, champion)") for t in texts
    )
    assert any(t.startswith("No decision maker supports us — Halvorsen Offshore: ") for t in texts)
    assert any(t.startswith("Review Sponsor may retire — Aurora Retail: review due 1 day ago") for t in texts)
    assert any(t.startswith("Frame agreement — Halvorsen Offshore: notice by ") for t in texts)
    assert any(t.startswith("Review Halvorsen 2027 — Halvorsen Offshore: active plan") for t in texts)
    qtmodeltester.check(home.model)
    # The type filter knows the new groups.
    home.type_filter.setCurrentIndex(home.type_filter.findData("early_warning"))
    assert [kind for kind, _text in _rows(home)] == [HEADING, ITEM, ITEM]
    assert home.summary.text() == "2 to do"


def test_accept_makes_the_warning_a_risk_and_undo_takes_it_back(qtbot, window, home):
    ws = window.worker.workspace
    _click(qtbot, home, "Champion Ana Moe has left")
    assert home.accept_button.isVisible() and home.dismiss_button.isVisible()
    assert not home.done_button.isVisible()
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(home.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Champion Ana Moe has left" not in _titles(home), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    (risk,) = [r for r in ws.list(kind="risk") if r["warning"]]
    assert risk["warning"].startswith("champion_left:") and risk["status"] == "open"
    assert risk["title"] == "Losing our champion at Aurora Retail: Ana Moe left"
    (decision,) = ws.list(kind="warning_decision")
    assert (decision["decision"], decision["risk_id"]) == ("accepted", risk.id)
    assert window.undo_action.text() == "Undo accept early warning"
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: "Champion Ana Moe has left" in _titles(home), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert [r for r in ws.list(kind="risk") if r["warning"]] == [] and ws.list(kind="warning_decision") == []


def test_dismiss_is_remembered_and_undo_brings_the_warning_back(qtbot, window, home):
    ws = window.worker.workspace
    _click(qtbot, home, "No decision maker supports us")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(home.dismiss_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "No decision maker supports us" not in _titles(home), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    (decision,) = ws.list(kind="warning_decision")
    assert decision["decision"] == "dismissed" and decision["warning"].startswith("no_supporter:")
    assert ws.list(kind="risk", where={"warning": decision["warning"]}) == []
    # The next item takes its place; reading home again does not bring the dismissed one back.
    with qtbot.waitSignal(home.sig_filled, timeout=TIMEOUT):
        window.home.reload()
    assert "No decision maker supports us" not in _titles(home)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: "No decision maker supports us" in _titles(home), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert ws.list(kind="warning_decision") == []


def test_the_context_menu_s_accept_and_ctrl_d_decide_a_warning(qtbot, window, home):
    ws = window.worker.workspace
    _click(qtbot, home, "No decision maker supports us")
    assert home.accept_action.isEnabled() and home.done_action.isEnabled()
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        home.done_action.trigger()  # Ctrl+D on a warning accepts it
    qtbot.waitUntil(lambda: "No decision maker supports us" not in _titles(home), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert [d["decision"] for d in ws.list(kind="warning_decision")] == ["accepted"]
    _click(qtbot, home, "Champion Ana Moe has left")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        home.dismiss_action.trigger()
    wait_idle(qtbot, window)
    assert sorted(d["decision"] for d in ws.list(kind="warning_decision")) == ["accepted", "dismissed"]


def test_a_plan_action_is_marked_done_and_a_risk_reviewed(qtbot, window, home):
    ws = window.worker.workspace
    _click(qtbot, home, "Book the site tour")
    assert home.done_button.isVisible() and home.done_button.text() == "Mark done"
    assert not home.accept_button.isVisible()
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(home.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Book the site tour" not in _titles(home), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert ws.list(kind="action")[0]["done"] is True
    _click(qtbot, home, "Sponsor may retire")
    assert home.done_button.text() == "Mark reviewed"
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(home.done_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    (risk,) = ws.list(kind="risk")
    assert risk["next_review"] == _day(30)
    # A contract is settled by deciding its renewal, not from home.
    _click(qtbot, home, "Frame agreement")
    assert not home.done_button.isEnabled() and "renewal" in home.done_button.toolTip()


def test_opening_a_warning_shows_what_it_is_about(qtbot, window, home):
    _click(qtbot, home, "Champion Ana Moe has left")
    qtbot.keyClick(home.view, Qt.Key.Key_Return)
    page = window.clients.page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: page.title.text() == "Aurora Retail", timeout=TIMEOUT)
    wait_idle(qtbot, window)


def test_opening_a_risk_to_review_shows_it_on_its_client_s_page(qtbot, window, home):
    from PySide6.QtWidgets import QDialog

    _click(qtbot, home, "Sponsor may retire")
    qtbot.mouseClick(home.open_button, Qt.MouseButton.LeftButton)
    page = window.clients.page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: page.title.text() == "Aurora Retail", timeout=TIMEOUT)
    wait_idle(qtbot, window)
    for dialog in window.findChildren(QDialog):  # its form, over the page
        if dialog.isVisible():
            dialog.reject()


def test_home_follows_changes_to_contracts_plans_and_people(qtbot, window, home):
    ws = window.worker.workspace
    (contract,) = ws.list(kind="contract")
    run_edit(
        qtbot,
        window,
        lambda w: w.update(kind="contract", id=contract.id, values={"renewal_status": "renewed"}),
    )
    qtbot.waitUntil(lambda: "Frame agreement" not in _titles(home), timeout=TIMEOUT)
    (plan,) = ws.list(kind="account_plan")
    run_edit(
        qtbot, window, lambda w: w.update(kind="account_plan", id=plan.id, values={"next_review": _day(60)})
    )
    qtbot.waitUntil(lambda: "Halvorsen 2027" not in _titles(home), timeout=TIMEOUT)
    ingrid = next(p for p in ws.list(kind="position") if p["buying_role"] == "decision_maker")
    run_edit(qtbot, window, lambda w: w.update(kind="position", id=ingrid.id, values={"stance": "supporter"}))
    qtbot.waitUntil(lambda: "No decision maker supports us" not in _titles(home), timeout=TIMEOUT)
    wait_idle(qtbot, window)


def _first_of(qtbot, page, reason: str):
    """Clicks the first item of a group."""
    proxy = page.proxy
    for g in range(proxy.rowCount()):
        heading = proxy.index(g, 0)
        if heading.data(REASON_ROLE) == reason:
            index = proxy.index(0, 0, heading)
            page.view.scrollTo(index)
            rect = page.view.visualRect(index)
            qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return index
    raise AssertionError(f"no {reason} on home: {_rows(page)}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_home_with_the_plan_groups(qtbot, workspace, tmp_path, scheme):
    from companion.core.demo import load_demo

    app = QApplication.instance()
    load_demo(workspace)
    window = laptop_window(qtbot, workspace, tmp_path, scheme)
    worker = window.worker
    try:
        window.show_home()
        page = window.home.page
        qtbot.waitUntil(lambda: any(i.is_warning for i in page.items), timeout=TIMEOUT)
        wait_idle(qtbot, window)
        qtbot.mouseClick(page.not_now_button, Qt.MouseButton.LeftButton)
        index = _first_of(qtbot, page, "early_warning")
        page.view.scrollTo(
            index.parent(), QAbstractItemView.ScrollHint.PositionAtTop
        )  # the new groups in sight
        qtbot.wait(50)
        assert page.accept_button.isVisible() and page.current_item().is_warning
        assert window.grab().save(str(SHOTS / f"home_plans_{scheme}.png"))
        page.type_filter.setCurrentIndex(page.type_filter.findData("early_warning"))
        qtbot.wait(50)
        assert window.grab().save(str(SHOTS / f"home_warnings_{scheme}.png"))
    finally:
        window.close()
        worker.stop()
        theme.apply(app, "light")
