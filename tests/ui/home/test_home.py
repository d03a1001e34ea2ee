"""Home's worklist on the real window, driven by clicks and keys: clients named, meetings first, Mine,
the type and client filters, done and undo, snooze and wake, opening an item, the loading state."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import QSettings, Qt

from companion.ui.common.worker import DbWorker
from companion.ui.home.model import HEADING, ITEM, MORE, REASON_ROLE, ROW_KIND_ROLE
from companion.ui.shell.main_window import MainWindow
from tests.ui.helpers import TIMEOUT, run_edit, wait_idle

TODAY = dt.date.today()


def _day(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


def _build(ws) -> object:
    """Mira owns Halvorsen, Jonas owns Aurora; people overdue, follow-ups, a site, a meeting in two days."""
    make = lambda kind, **values: ws.create(kind=kind, values=values).created_id  # noqa: E731
    mira = make("colleague", name="Mira Tan")
    jonas = make("colleague", name="Jonas Aas")
    halvorsen = make("client", name="Halvorsen Offshore", owner_id=mira)
    aurora = make("client", name="Aurora Retail", owner_id=jonas)
    ingrid = make("contact", name="Ingrid Dahl", visit_frequency_days=60, preferred_channel="phone")
    make("position", contact_id=ingrid, client_id=halvorsen, title="CFO")
    make("interaction", client_id=halvorsen, date=_day(-94), channel="call", contact_ids=[ingrid])
    luiza = make("contact", name="Luiza Prado", visit_frequency_days=30)
    make("position", contact_id=luiza, client_id=aurora, title="CEO")
    talk = make("interaction", client_id=aurora, date=_day(-20), channel="meeting")
    make("follow_up", interaction_id=talk, text="Send the quote", due=_day(-4))
    make("site", client_id=halvorsen, name="Ågotnes base")
    starts = f"{_day(2)}T12:00:00+00:00"
    return ws.create(
        kind="meeting", values={"client_id": halvorsen, "title": "Quarterly review", "starts_at": starts}
    )


@pytest.fixture
def home(qtbot, window):
    """The window with the worklist seeded and shown."""
    run_edit(qtbot, window, _build)
    window.show_home()
    page = window.home.page
    qtbot.waitUntil(lambda: len(page.items) == 5, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    return page


def _rows(page) -> list[tuple[str, str]]:
    """What the view shows, top to bottom: (row kind, text)."""
    rows = []
    proxy = page.proxy
    for g in range(proxy.rowCount()):
        heading = proxy.index(g, 0)
        rows.append((HEADING, heading.data()))
        for c in range(proxy.rowCount(heading)):
            child = proxy.index(c, 0, heading)
            rows.append((child.data(ROW_KIND_ROLE), child.data()))
    return rows


def _index_of(page, text: str):
    proxy = page.proxy
    for g in range(proxy.rowCount()):
        heading = proxy.index(g, 0)
        for c in range(proxy.rowCount(heading)):
            child = proxy.index(c, 0, heading)
            if text in (child.data() or ""):
                return child
    raise AssertionError(f"{text!r} is not on home: {_rows(page)}")


def _click(qtbot, page, text: str):
    """Clicks the row whose text holds `text`; returns its index."""
    index = _index_of(page, text)
    page.view.scrollTo(index)
    qtbot.mouseClick(
        page.view.viewport(), Qt.MouseButton.LeftButton, pos=page.view.visualRect(index).center()
    )
    assert page.view.currentIndex() == index
    return index


def _refilled(qtbot, page):
    return qtbot.waitSignal(page.sig_filled, timeout=TIMEOUT)


def test_the_worklist_names_clients_with_meetings_first(qtbot, window, home, qtmodeltester):
    rows = _rows(home)
    assert rows[0] == (HEADING, "Meetings in the next two weeks (1)")
    assert rows[1][1].startswith("Prepare Quarterly review — Halvorsen Offshore: ")
    headings = [text for kind, text in rows if kind == HEADING]
    assert headings == [
        "Meetings in the next two weeks (1)",
        "Follow-ups due (1)",
        "People to contact (2)",
        "Sites to verify (1)",
    ]
    texts = [text for kind, text in rows if kind == ITEM]
    assert (
        "Call Ingrid Dahl — Halvorsen Offshore: last contact 94 days ago, every 60 (34 days overdue)" in texts
    )
    assert "Send the quote — Aurora Retail: overdue 4 days" in " ".join(texts)
    assert home.summary.text() == "5 to do"
    qtmodeltester.check(home.model)
    qtmodeltester.check(home.proxy)
    # The type filter keeps one group.
    home.type_filter.setCurrentIndex(home.type_filter.findData("follow_up_due"))
    assert [kind for kind, _text in _rows(home)] == [HEADING, ITEM]
    assert home.summary.text() == "1 to do"
    home.type_filter.setCurrentIndex(0)
    assert len(_rows(home)) == 9


def test_mine_is_chosen_once_remembered_and_filters(qtbot, window, home):
    assert home.banner.isVisible()
    home.me_choice.setCurrentIndex(home.me_choice.findText("Jonas Aas"))
    with _refilled(qtbot, home):
        qtbot.mouseClick(home.me_button, Qt.MouseButton.LeftButton)
    assert not home.banner.isVisible() and home.mine_button.isChecked()
    jonas = home.me_choice.currentData()
    assert window.settings.value("home/colleague") == jonas
    assert window.settings.value("home/mine", type=bool) is True
    texts = [text for kind, text in _rows(home) if kind == ITEM]
    assert texts and all("Aurora Retail" in t for t in texts)  # Jonas owns Aurora only
    with _refilled(qtbot, home):
        qtbot.mouseClick(home.mine_button, Qt.MouseButton.LeftButton)  # off: everyone's again
    assert not home.mine_button.isChecked() and len(home.items) == 5
    # A window opened later on this laptop remembers who the person is.
    other = MainWindow(window.worker, QSettings(window.settings.fileName(), QSettings.Format.IniFormat))
    qtbot.addWidget(other)
    assert other.home.page.me == jonas
    other.close()


def test_the_client_filter_keeps_one_client(qtbot, window, home):
    home.client_filter.setFocus()
    qtbot.waitUntil(lambda: home.client_names.rowCount() == 2, timeout=TIMEOUT)
    qtbot.keyClicks(home.client_filter, "aurora")
    with _refilled(qtbot, home):
        qtbot.keyClick(home.client_filter, Qt.Key.Key_Return)
    assert home.client_filter.text() == "Aurora Retail"
    assert {i.client_name for i in home.items} == {"Aurora Retail"}
    with _refilled(qtbot, home):
        home.client_filter.clear()
    assert len(home.items) == 5


def test_done_marks_a_follow_up_done_and_undo_brings_it_back(qtbot, window, home):
    ws = window.worker.workspace
    (quote,) = ws.list(kind="follow_up")
    _click(qtbot, home, "Send the quote")
    assert home.done_button.isEnabled() and home.done_button.text() == "Mark done"
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(home.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not any(i.title == "Send the quote" for i in home.items), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert ws.get(kind="follow_up", id=quote.id)["done"] is True
    assert window.undo_action.text() == "Undo mark follow-up done"
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: any(i.title == "Send the quote" for i in home.items), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert not ws.get(kind="follow_up", id=quote.id)["done"]


def test_a_site_is_verified_today_from_home(qtbot, window, home):
    _click(qtbot, home, "Verify Ågotnes base")
    assert home.done_button.text() == "Mark verified"
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(home.done_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    (site,) = window.worker.workspace.list(kind="site")
    assert site["last_verified"] == TODAY.isoformat()
    qtbot.waitUntil(lambda: not any(i.reason == "stale_site" for i in home.items), timeout=TIMEOUT)


def test_snooze_hides_an_item_until_its_date_and_wake_brings_it_back(qtbot, window, home):
    _click(qtbot, home, "Call Ingrid Dahl")
    assert not home.done_button.isEnabled()  # a person is settled by contacting them
    with _refilled(qtbot, home):
        home.snooze_week_action.trigger()
    assert not any(i.title == "Ingrid Dahl" for i in home.items)
    assert home.snoozed_box.isVisible() and home.snoozed_box.text() == "Show snoozed (1)"
    (until,) = window.worker.workspace.meta_items(prefix="home.snooze.").values()
    assert until == _day(7)
    # The item next in its place is selected: the list can be worked through.
    assert home.current_item().title == "Luiza Prado"
    with _refilled(qtbot, home):
        qtbot.mouseClick(home.snoozed_box, Qt.MouseButton.LeftButton)
    index = _click(qtbot, home, "Call Ingrid Dahl")
    assert home.current_item().snoozed_until == _day(7) and home.wake_button.isVisible()
    assert index.data(REASON_ROLE) == "overdue_contact"
    with _refilled(qtbot, home):
        qtbot.mouseClick(home.wake_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not home.snoozed_box.text().endswith(")"), timeout=TIMEOUT)
    assert any(i.title == "Ingrid Dahl" and i.snoozed_until is None for i in home.items)


def test_enter_and_double_click_open_the_record_where_it_lives(qtbot, window, home):
    _click(qtbot, home, "Call Ingrid Dahl")
    qtbot.keyClick(home.view, Qt.Key.Key_Return)
    page = window.clients.page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: page.title.text() == "Halvorsen Offshore", timeout=TIMEOUT)
    wait_idle(qtbot, window)
    window.show_home()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is home, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    # A double click is a click and then the second press (QTest's double click is only the second).
    index = _click(qtbot, home, "Prepare Quarterly review")
    qtbot.mouseDClick(
        home.view.viewport(), Qt.MouseButton.LeftButton, pos=home.view.visualRect(index).center()
    )
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.meetings.page, timeout=TIMEOUT)
    wait_idle(qtbot, window)


def test_a_long_group_lists_more_when_asked(qtbot, window):
    def build(ws):
        client = ws.create(kind="client", values={"name": "Borealis Foods"}).created_id
        for n in range(60):
            person = ws.create(kind="contact", values={"name": f"Person {n:02}", "visit_frequency_days": 30})
            ws.create(kind="position", values={"contact_id": person.created_id, "client_id": client})
        return person

    run_edit(qtbot, window, build)
    page = window.home.page
    qtbot.waitUntil(lambda: len(page.items) == 50, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    rows = _rows(page)
    assert rows[0] == (HEADING, "People to contact (60)")
    assert rows[-1] == (MORE, "Show 10 more of 10 not listed")
    with _refilled(qtbot, page):
        _click(qtbot, page, "Show 10 more")
        qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert len(page.items) == 60 and _rows(page)[-1][0] == ITEM


def test_loading_shows_before_the_worklist_arrives(qtbot, workspace, tmp_path, monkeypatch):
    from companion.ui.home import operations

    release = threading.Event()
    load = operations.load_worklist

    def slow_load(ws, **kwargs):  # the worklist takes its time (a team's workspace)
        release.wait(10)
        return load(ws, **kwargs)

    monkeypatch.setattr(operations, "load_worklist", slow_load)
    worker = DbWorker(workspace)
    window = MainWindow(worker, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    page = window.home.page
    try:
        with qtbot.waitSignal(window.sig_ready, timeout=TIMEOUT):
            window.show()
        qtbot.waitUntil(lambda: worker.is_busy(), timeout=TIMEOUT)
        qtbot.wait(100)
        assert page.loading and page.message.isVisible() and page.message.text() == "Loading…"
        assert not page.view.isVisible()
        with qtbot.waitSignal(page.sig_filled, timeout=TIMEOUT):
            release.set()
        assert not page.loading
        assert page.message.text().startswith("Nothing needs attention today.")
    finally:
        release.set()
        window.close()
        worker.stop()


def test_not_now_puts_the_question_away_without_choosing(qtbot, window, home):
    assert home.banner.isVisible()
    qtbot.mouseClick(home.not_now_button, Qt.MouseButton.LeftButton)
    assert not home.banner.isVisible() and home.me is None and not home.mine_button.isChecked()
    assert window.settings.value("home/colleague") is None
