"""Reviews due on home, on the real window: a client overdue by its cadence and one never reviewed show in
their group; opening one shows the client on its Scorecard; recording the review settles it; screenshots."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from companion.ui.home.model import HEADING, ITEM
from tests.ui.helpers import SHOTS, TIMEOUT, run_edit, wait_idle
from tests.ui.home.test_home import _click, _rows

TODAY = dt.date.today()


def _day(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


def _reviews(ws):
    """As in the demo: Casa Paineira reviewed 190 days ago every 182 (8 days overdue), Halvorsen's next
    review set at its last one for 10 days from now, Kurobane reviewed lately; a former client never due."""
    make = lambda kind_name, **values: ws.create(kind=kind_name, values=values).created_id  # noqa: E731
    paineira = make("client", name="Casa Paineira", status="active", review_every_days=182)
    make("review", client_id=paineira, title="Annual review", kind="annual", held_on=_day(-190))
    halvorsen = make("client", name="Halvorsen Offshore", status="active", review_every_days=91)
    make(
        "review", client_id=halvorsen, title="Q2 business review", kind="quarterly", held_on=_day(-105),
        next_review=_day(10),
    )  # fmt: skip
    kurobane = make("client", name="Kurobane", status="active", review_every_days=182)
    make("review", client_id=kurobane, title="Executive review", kind="executive", held_on=_day(-120))
    return ws.create(kind="client", values={"name": "Gone Ltd", "status": "former", "review_every_days": 30})


@pytest.fixture
def home(qtbot, window):
    run_edit(qtbot, window, _reviews)
    window.show_home()
    page = window.home.page
    qtbot.waitUntil(lambda: len(page.items) == 2, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    return page


def test_reviews_due_show_open_on_the_scorecard_and_settle_when_held(qtbot, window, home):
    assert [text for kind, text in _rows(home) if kind == HEADING] == ["Reviews due (2)"]
    texts = [text for kind, text in _rows(home) if kind == ITEM]
    assert texts[0].startswith("Hold a review — Casa Paineira: last review ")
    assert "every 182 days · overdue 8 days" in texts[0]
    assert texts[1].startswith("Hold a review — Halvorsen Offshore: ") and "due in 10 days" in texts[1]
    assert window.grab().save(str(SHOTS / "home_reviews_due.png"))
    # Not settled from home: a review is recorded on the client's page.
    _click(qtbot, home, "Casa Paineira")
    assert not home.done_button.isEnabled() and "review" in home.done_button.toolTip()
    qtbot.keyClick(home.view, Qt.Key.Key_Return)
    clients = window.clients.page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is clients, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: clients.title.text() == "Casa Paineira", timeout=TIMEOUT)
    assert clients.tabs.currentWidget() is clients.scorecard
    wait_idle(qtbot, window)
    # The review held today takes Casa Paineira off home.
    ws = window.worker.workspace
    (paineira,) = [c for c in ws.list(kind="client") if c["name"] == "Casa Paineira"]
    run_edit(
        qtbot,
        window,
        lambda w: w.create(
            kind="review",
            values={
                "client_id": paineira.id,
                "title": "Renewal review",
                "kind": "executive",
                "held_on": _day(0),
            },
        ),
    )
    window.show_home()
    qtbot.waitUntil(lambda: [i.client_name for i in home.items] == ["Halvorsen Offshore"], timeout=TIMEOUT)
    wait_idle(qtbot, window)
