"""The client list keeps its order while it is in use: a client opened from it stays where the person
clicked; it moves up among the recent ones when they next ask for a list (the filter); pinning places a
client at once; reloads after an edit keep the order."""

from __future__ import annotations

from PySide6.QtCore import Qt

from companion.core.changes import Edit
from companion.ui.clients.list_panel import ClientListModel
from tests.ui.helpers import TIMEOUT, run_edit, wait_idle

NAMES = ("Aker Bygg AS", "Berg Shipping", "Celsius Energi", "Dovre Data", "Eik Bank")


def _shown(window) -> list[str]:
    model = window.clients.list_panel.model
    return [model.data(model.index(row)) for row in range(model.rowCount())]


def _click_client(qtbot, window, name: str) -> None:
    panel = window.clients.list_panel
    row = _shown(window).index(name)
    rect = panel.list.visualRect(panel.model.index(row))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _seed(qtbot, window) -> dict[str, str]:
    edits = [Edit("create", "client", None, {"name": name}) for name in NAMES]
    changes = run_edit(qtbot, window, lambda ws: ws.apply(edits=edits))
    qtbot.waitUntil(lambda: len(window.clients.rows) == len(NAMES), timeout=TIMEOUT)
    return {c.after["name"]: c.id for c in changes.changes if c.kind == "client"}


def test_a_client_opened_from_the_list_stays_under_the_cursor(qtbot, window):
    ids = _seed(qtbot, window)
    assert _shown(window) == list(NAMES)
    panel = window.clients.list_panel

    _click_client(qtbot, window, "Dovre Data")
    assert window.clients.current_client_id() == ids["Dovre Data"]
    _click_client(qtbot, window, "Celsius Energi")
    assert window.clients.current_client_id() == ids["Celsius Energi"]
    assert _shown(window) == list(NAMES), "nothing moved under the cursor"
    assert panel.list.currentIndex().data() == "Celsius Energi"
    assert window.clients.recent()[:2] == [ids["Celsius Energi"], ids["Dovre Data"]]

    # An edit reloads the list: the order stays.
    run_edit(
        qtbot, window, lambda ws: ws.update(kind="client", id=ids["Eik Bank"], values={"industry": "Banking"})
    )
    wait_idle(qtbot, window)
    assert _shown(window) == list(NAMES)

    # Asking for a list (typing in the filter, then clearing it) puts the recent ones first.
    qtbot.keyClicks(panel.search, "e")
    assert _shown(window) == ["Celsius Energi", "Dovre Data", "Aker Bygg AS", "Berg Shipping", "Eik Bank"]
    panel.search.clear()
    assert _shown(window) == ["Celsius Energi", "Dovre Data", "Aker Bygg AS", "Berg Shipping", "Eik Bank"]
    model = panel.model
    assert [model.data(model.index(r), ClientListModel.GroupRole) for r in range(3)] == [1, 1, 2]

    # Pinning is a choice of its own: the client goes to the top at once, in bold.
    window.open_client(ids["Eik Bank"])
    page = window.clients.page
    qtbot.waitUntil(
        lambda: page.client_id == ids["Eik Bank"] and page.pin_button.isVisible(), timeout=TIMEOUT
    )
    qtbot.mouseClick(page.pin_button, Qt.MouseButton.LeftButton)
    assert _shown(window)[0] == "Eik Bank"
    assert model.data(model.index(0), Qt.ItemDataRole.FontRole).bold()
    assert _shown(window)[1:] == ["Celsius Energi", "Dovre Data", "Aker Bygg AS", "Berg Shipping"]


def test_a_filter_before_every_client_is_read_applies_again_when_they_are():
    rows = [(f"id{n}", f"Client {n:02}", None, "active", None, None) for n in range(30)]
    model = ClientListModel()
    model.set_rows(rows[:5], total=30)
    assert model.rowCount() == 5 and model.total() == 30 and model.matching() == 30
    model.set_filters(text="client 2", tag=None, owner=None, status=None)
    assert model.rowCount() == model.matching() == 0  # none of the five read so far matches
    model.set_rows(rows)
    assert [model.data(model.index(row)) for row in range(model.rowCount())] == [
        f"Client {n}" for n in range(20, 30)
    ]
    model.set_filters(text="", tag=None, owner=None, status=None)
    assert model.rowCount() == model.matching() == 30


def test_a_long_list_read_again_stays_on_screen(qtbot):
    """The rows are placed before the list paints: placed in batches, 5,000 clients read again left the
    list blank on screen for nine event-loop passes (after start-up too)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication

    from companion.ui.clients.list_panel import ClientListPanel

    def rows(word: str) -> list[tuple]:
        return [(f"id{n:04}", f"{word} {n:04}", None, "active", None, None) for n in range(5000)]

    def names_on_screen() -> bool:  # what the screen holds, as painted (not a fresh render)
        image = QApplication.primaryScreen().grabWindow(0).toImage()
        corner = panel.list.viewport().mapToGlobal(QPoint(0, 0))
        background = image.pixel(corner.x() + panel.list.viewport().width() - 30, corner.y() + 300)
        return any(
            image.pixel(corner.x() + x, corner.y() + y) != background
            for x in range(4, 120)
            for y in range(2, 16)
        )

    panel = ClientListPanel()
    qtbot.addWidget(panel)
    panel.resize(300, 500)
    panel.set_clients(rows("Client"))
    panel.show()
    qtbot.waitUntil(names_on_screen, timeout=TIMEOUT)
    panel.set_clients(rows("Firm"))
    seen = []
    for _ in range(12):
        QApplication.processEvents()
        seen.append(names_on_screen())
    assert all(seen), seen
