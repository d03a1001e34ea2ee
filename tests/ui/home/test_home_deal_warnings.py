"""A deal's qualification gaps on home, on the real window: each is an early warning with its deal and
client; accepting one makes a risk of the deal (Undo takes it back); opening one lands on the client's
page; home follows the deal being qualified."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.helpers import TIMEOUT, run_edit, wait_idle
from tests.ui.home.test_home import _click
from tests.ui.home.test_home_plans import _titles


def _deals(ws):
    """Halvorsen (Mira's), whose CFO Ingrid backs us; a deal there without an economic buyer, and one whose
    economic buyer Per is an opponent."""
    make = lambda kind, **values: ws.create(kind=kind, values=values).created_id  # noqa: E731
    mira = make("colleague", name="Mira Tan")
    halvorsen = make("client", name="Halvorsen Offshore", status="active", owner_id=mira)
    ingrid = make("contact", name="Ingrid Dahl")
    make("position", contact_id=ingrid, client_id=halvorsen, title="CFO", stance="supporter")
    per = make("contact", name="Per Lunde")
    make("position", contact_id=per, client_id=halvorsen, title="COO", stance="opponent")
    make("opportunity", client_id=halvorsen, title="Subsea pilot", stage="negotiating",
         decision_process_status="partial")  # fmt: skip
    values = {"client_id": halvorsen, "title": "Fleet renewal", "stage": "proposing", "economic_buyer_id": per,
              "decision_process_status": "partial"}  # fmt: skip
    return ws.create(kind="opportunity", values=values)


@pytest.fixture
def home(qtbot, window):
    run_edit(qtbot, window, _deals)
    window.show_home()
    page = window.home.page
    qtbot.waitUntil(lambda: sum(i.is_warning for i in page.items) == 2, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    return page


def test_each_gap_is_a_warning_and_accepting_makes_a_risk_of_the_deal(qtbot, window, home):
    ws = window.worker.workspace
    assert {
        "No economic buyer for “Subsea pilot”",
        "Economic buyer Per Lunde is against “Fleet renewal”",
    } <= (_titles(home))
    _click(qtbot, home, "Economic buyer Per Lunde is against")
    assert home.accept_button.isVisible() and home.dismiss_button.isVisible()
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(home.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "Economic buyer Per Lunde is against “Fleet renewal”" not in _titles(home), timeout=TIMEOUT
    )
    wait_idle(qtbot, window)
    (risk,) = ws.list(kind="risk")
    deal = next(d for d in ws.list(kind="opportunity") if d["title"] == "Fleet renewal")
    assert risk["opportunity_id"] == deal.id and risk["warning"].startswith("deal_economic_buyer_against:")
    assert risk["title"] == "Per Lunde, who signs off “Fleet renewal” at Halvorsen Offshore, is against us"
    window.undo_action.trigger()
    qtbot.waitUntil(
        lambda: "Economic buyer Per Lunde is against “Fleet renewal”" in _titles(home), timeout=TIMEOUT
    )
    wait_idle(qtbot, window)
    assert ws.list(kind="risk") == []


def test_opening_a_deal_warning_lands_on_its_client(qtbot, window, home):
    _click(qtbot, home, "No economic buyer for “Subsea pilot”")
    qtbot.keyClick(home.view, Qt.Key.Key_Return)
    page = window.clients.page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: page.title.text() == "Halvorsen Offshore", timeout=TIMEOUT)
    wait_idle(qtbot, window)


def test_home_follows_the_deal_being_qualified(qtbot, window, home):
    ws = window.worker.workspace
    deal = next(d for d in ws.list(kind="opportunity") if d["title"] == "Subsea pilot")
    ingrid = next(c for c in ws.list(kind="contact") if c["name"] == "Ingrid Dahl")
    run_edit(
        qtbot,
        window,
        lambda w: w.update(kind="opportunity", id=deal.id, values={"economic_buyer_id": ingrid.id}),
    )
    qtbot.waitUntil(lambda: "No economic buyer for “Subsea pilot”" not in _titles(home), timeout=TIMEOUT)
    wait_idle(qtbot, window)
