"""The whitespace grid of a client's Deals section, walked as a person does: each cell's word by what
happened there, the mark where a proposition fits, a new deal started from an empty cell with its buying
centre and proposition chosen, a deal found from its cell, and a competitor's footprint filling the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from companion.ui.common.record_dialog import NewRecordDialog
from tests.core.campaign_records import build_sales
from tests.ui.helpers import TIMEOUT, laptop_window, run_edit, visible

SHOTS_DIR = Path("/tmp/shots")


def _world(ws) -> dict[str, str]:
    """Halvorsen Offshore (build_sales: Finance and Operations) with a second approved proposition that
    fits production and a draft one; the first proposition won in Finance and open client-wide, the second
    lost in Operations."""
    ids = build_sales(ws)
    halvorsen, first = ids["halvorsen"], ids["proposition"]
    ids["second"] = ws.create(
        kind="proposition",
        values={"title": "Crew safety kit", "status": "approved", "fit_functions": ["production"]},
    ).created_id
    ws.create(kind="proposition", values={"title": "Drone inspections", "status": "draft"})
    deal = {"client_id": halvorsen, "currency": "NOK"}
    ids["won"] = ws.create(kind="opportunity", values={
        **deal, "title": "Finance pilot", "stage": "won", "outcome_reason": "Proven on the pilot vessel.",
        "sub_group_id": ids["finance"], "proposition_id": first, "value": 400_000,
    }).created_id  # fmt: skip
    ids["open"] = ws.create(kind="opportunity", values={
        **deal, "title": "Group rollout", "stage": "qualifying", "proposition_id": first,
    }).created_id  # fmt: skip
    ids["lost"] = ws.create(kind="opportunity", values={
        **deal, "title": "Kits for the crews", "stage": "lost", "outcome_reason": "No budget this year.",
        "sub_group_id": ids["operations"], "proposition_id": ids["second"],
    }).created_id  # fmt: skip
    return ids


@pytest.fixture
def grid_page(qtbot, window):
    """_world's Halvorsen Offshore, its whitespace on screen."""

    def build(ws):
        window.ids = _world(ws)
        return ws.update(kind="client", id=window.ids["halvorsen"], values={"website": "halvorsen.example"})

    run_edit(qtbot, window, build)
    window.open_client(window.ids["halvorsen"], "deals")
    deals = window.clients.page.deals
    qtbot.waitUntil(lambda: deals.section is not None, timeout=TIMEOUT)
    tab_bar = deals.inner.tabBar()
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(1).center())
    assert deals.inner.currentIndex() == 1 and deals.whitespace.isVisible()
    return window, deals


def _texts(grid) -> dict[tuple[str, str], str]:
    """(row heading, column heading) → the cell's text."""
    return {
        (grid.verticalHeaderItem(row).text(), grid.horizontalHeaderItem(column).text()): grid.item(
            row, column
        ).text()
        for row in range(grid.rowCount())
        for column in range(grid.columnCount())
    }


def _double_click(qtbot, grid, row_name: str, column_name: str) -> None:
    row = next(r for r in range(grid.rowCount()) if grid.verticalHeaderItem(r).text() == row_name)
    column = next(c for c in range(grid.columnCount()) if grid.horizontalHeaderItem(c).text() == column_name)
    rect = grid.visualItemRect(grid.item(row, column))
    # A double click is a click and then the second press (QTest's double click is only the second).
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_each_cell_says_what_happened_there_and_where_the_proposition_fits(qtbot, grid_page):
    _window, deals = grid_page
    grid = deals.whitespace
    # Buying centres down, the whole client first; approved propositions across (the draft left out).
    assert [grid.verticalHeaderItem(r).text() for r in range(grid.rowCount())] == [
        "Whole client",
        "Finance",
        "Operations",
    ]
    assert [grid.horizontalHeaderItem(c).text() for c in range(grid.columnCount())] == [
        "Crew safety kit",
        "Predictive subsea maintenance",
    ]
    assert _texts(grid) == {
        ("Whole client", "Crew safety kit"): "",
        ("Whole client", "Predictive subsea maintenance"): "Open ●",  # the offshore tag fits
        ("Finance", "Crew safety kit"): "",
        ("Finance", "Predictive subsea maintenance"): "Won ●",  # the finance function fits
        ("Operations", "Crew safety kit"): "Declined ●",  # production fits
        ("Operations", "Predictive subsea maintenance"): "",
    }
    assert grid.item(2, 0).toolTip().startswith("Declined: Kits for the crews (lost): No budget this year.")
    assert grid.item(0, 0).toolTip() == "Nothing proposed yet."
    # Each state has its own tint; an empty cell has none.
    tints = {grid.item(r, c).background().color().name() for r, c in ((0, 1), (1, 1), (2, 0))}
    assert len(tints) == 3 and grid.item(0, 0).background().style() == Qt.BrushStyle.NoBrush


def test_an_empty_cell_starts_a_deal_there_and_a_full_one_shows_its_deal(qtbot, grid_page):
    window, deals = grid_page
    grid = deals.whitespace
    _double_click(qtbot, grid, "Finance", "Crew safety kit")
    dialog = visible(qtbot, window, NewRecordDialog)
    form = dialog.form
    assert form.editors["sub_group_id"].widget.currentData() == window.ids["finance"]
    assert form.editors["proposition_id"].widget.currentData() == window.ids["second"]
    assert form.editors["title"].widget.text() == "Crew safety kit"
    assert form.editors["stage"].widget.currentData() == "idea"
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    qtbot.waitUntil(lambda: _texts(grid)[("Finance", "Crew safety kit")] == "Open", timeout=TIMEOUT)
    created = next(
        o for o in window.worker.workspace.list(kind="opportunity") if o["title"] == "Crew safety kit"
    )
    assert (
        created["sub_group_id"] == window.ids["finance"] and created["proposition_id"] == window.ids["second"]
    )
    # The new deal is shown on the pipeline once saved.
    qtbot.waitUntil(lambda: deals.panel.detail is not None, timeout=TIMEOUT)
    assert deals.inner.currentIndex() == 0 and deals.panel.detail.opportunity.id == created.id

    qtbot.mouseClick(
        deals.inner.tabBar(), Qt.MouseButton.LeftButton, pos=deals.inner.tabBar().tabRect(1).center()
    )
    _double_click(qtbot, grid, "Finance", "Predictive subsea maintenance")
    assert deals.inner.currentIndex() == 0
    assert deals.panel.detail.opportunity.id == window.ids["won"]
    won = deals.pipeline.currentItem()
    assert won.text(0) == "Finance pilot" and won.parent().text(0) == "Won" and won.parent().isExpanded()


def test_a_competitor_present_fills_the_cells_where_nothing_of_ours_is(qtbot, grid_page):
    window, deals = grid_page
    grid = deals.whitespace
    run_edit(qtbot, window, lambda ws: ws.create(kind="competitor_presence", values={
        "competitor_id": window.ids["competitor"], "client_id": window.ids["halvorsen"],
        "footprint": "Crane inspections on two rigs",
    }))  # fmt: skip
    qtbot.waitUntil(
        lambda: _texts(grid)[("Whole client", "Crew safety kit")] == "Nordkyst Services", timeout=TIMEOUT
    )
    texts = _texts(grid)
    assert texts[("Operations", "Predictive subsea maintenance")] == "Nordkyst Services"
    assert texts[("Finance", "Predictive subsea maintenance")] == "Won ●"  # ours comes first
    assert grid.item(0, 0).toolTip() == "Nordkyst Services is here: Crane inspections on two rigs"


def test_without_approved_propositions_the_grid_says_what_to_do(qtbot, window):
    run_edit(qtbot, window, lambda ws: ws.create(kind="client", values={"name": "Fjord Drilling"}))
    (client,) = window.worker.workspace.list(kind="client")
    window.open_client(client.id, "deals")
    deals = window.clients.page.deals
    qtbot.waitUntil(lambda: deals.section is not None, timeout=TIMEOUT)
    deals.inner.setCurrentIndex(1)
    assert deals.no_propositions.isVisible() and not deals.whitespace.isVisible()
    assert "No approved propositions yet" in deals.no_propositions.text()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_whitespace_grid_on_a_laptop_screen(qtbot, workspace, tmp_path, scheme):
    ids = _world(workspace)
    workspace.create(kind="sub_group", values={
        "client_id": ids["halvorsen"], "name": "Subsea engineering and integrity management, Bergen", "function": "production",
    })  # fmt: skip
    workspace.create(kind="proposition", values={
        "title": "Remote monitoring of cranes, winches and other lifting equipment on offshore installations",
        "status": "approved", "fit_tags": ["offshore"],
    })  # fmt: skip
    workspace.create(kind="competitor_presence", values={
        "competitor_id": ids["competitor"], "client_id": ids["halvorsen"], "footprint": "Crane inspections",
    })  # fmt: skip
    SHOTS_DIR.mkdir(exist_ok=True)
    window = laptop_window(qtbot, workspace, tmp_path, scheme)
    try:
        window.open_client(ids["halvorsen"], "deals")
        deals = window.clients.page.deals
        qtbot.waitUntil(lambda: deals.section is not None, timeout=TIMEOUT)
        deals.inner.setCurrentIndex(1)
        qtbot.wait(50)
        window.grab().save(str(SHOTS_DIR / f"whitespace_{scheme}.png"))
        grid = deals.whitespace
        assert grid.rowCount() == 4 and grid.columnCount() == 3
        # The long title is shortened to three lines of its heading, whole in its tooltip.
        long_title = grid.horizontalHeaderItem(2)
        assert long_title.text().endswith("…") and long_title.toolTip().endswith("offshore installations")
    finally:
        window.worker.stop()
