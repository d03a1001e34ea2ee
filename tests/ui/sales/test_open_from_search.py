"""A proposition, a cohort or a campaign found in the search palette (or opened from anywhere) opens the
Sales page on its tab with it selected and its detail shown, not a lone form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from companion.ui.common.edit_dialog import EditRecordDialog
from companion.ui.common.record_actions import RecordRole
from tests.core.campaign_records import build_sales
from tests.ui.helpers import TIMEOUT, run_edit, wait_idle
from tests.ui.search.test_palette import _type


@pytest.fixture
def ids(qtbot, window):
    """The sales world, and a record of each kind that sorts before its own, so the one opened is not
    simply the first row."""
    found: dict[str, str] = {}

    def build(ws):
        found.update(build_sales(ws))
        found["other_proposition"] = ws.create(
            kind="proposition", values={"title": "Asset tracking", "status": "draft"}
        ).created_id
        found["other_cohort"] = ws.create(
            kind="cohort", values={"name": "Arctic operators", "tags": ["arctic"]}
        ).created_id
        found["other_campaign"] = ws.create(
            kind="campaign",
            values={"name": "Autumn push", "proposition_id": found["proposition"],
                    "cohort_id": found["cohort"], "status": "running"},
        ).created_id  # fmt: skip
        return ws.update(
            kind="campaign", id=found["campaign"], values={"talk_track": "Ask about unplanned downtime."}
        )

    run_edit(qtbot, window, build)
    return found


def _open_from_palette(qtbot, window, text: str, kind: str, record_id: str) -> None:
    window.search.action.trigger()
    palette = window.search.palette
    palette.input.clear()
    _type(qtbot, palette, text)
    assert palette.results.currentItem().data(Qt.ItemDataRole.UserRole) == (kind, record_id)
    qtbot.keyClick(palette.input, Qt.Key.Key_Return)


def _selected(tab) -> tuple[str, str] | None:
    item = tab.list.currentItem()
    return item.data(0, RecordRole) if item is not None else None


def _row_of(tab, record_id: str) -> int:
    rows = [tab.list.topLevelItem(n).data(0, RecordRole)[1] for n in range(tab.list.topLevelItemCount())]
    return rows.index(record_id)


def _no_lone_form(window) -> bool:
    return not any(d.isVisible() for d in window.findChildren(EditRecordDialog))


def test_a_proposition_found_opens_on_the_propositions_tab(qtbot, window, ids):
    proposition = ids["proposition"]
    _open_from_palette(qtbot, window, "Predictive subsea", "proposition", proposition)
    page = window.sales.page
    tab = page.propositions
    qtbot.waitUntil(
        lambda: tab.detail is not None and tab.detail.proposition_id == proposition, timeout=TIMEOUT
    )
    wait_idle(qtbot, window)
    assert window.stack.currentWidget() is page
    assert page.tabs.currentWidget() is tab
    assert _selected(tab) == ("proposition", proposition)
    assert _row_of(tab, proposition) > 0  # not merely the first row, selected by default
    shown = tab.text.toPlainText()
    assert shown.startswith("Predictive subsea maintenance")
    assert "Predictive maintenance, winter" in shown  # its campaigns: the detail read for it
    assert _no_lone_form(window)


def test_a_cohort_found_is_selected_on_the_cohorts_tab_already_read(qtbot, window, ids):
    page_tab = 2
    window.sales.action.trigger()
    page = window.sales.page
    bar = page.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(page_tab).center())
    wait_idle(qtbot, window)
    tab = page.cohorts
    assert _selected(tab) == ("cohort", ids["other_cohort"])  # the first, before anything is opened
    window.home.action.trigger()  # elsewhere in the window, the Sales page's data already read
    _open_from_palette(qtbot, window, "North Sea operators", "cohort", ids["cohort"])
    qtbot.waitUntil(lambda: _selected(tab) == ("cohort", ids["cohort"]), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert window.stack.currentWidget() is page
    assert page.tabs.currentWidget() is tab
    assert tab.filter.text() == "Clients tagged offshore"
    members = {tab.members.topLevelItem(n).text(0) for n in range(tab.members.topLevelItemCount())}
    assert members == {"Halvorsen Offshore", "Nordlys Subsea", "Fjord Drilling"}
    assert _no_lone_form(window)


def test_a_campaign_found_has_its_row_selected_on_the_campaigns_tab(qtbot, window, ids):
    campaign = ids["campaign"]
    _open_from_palette(qtbot, window, "maintenance, winter", "campaign", campaign)
    page = window.sales.page
    tab = page.campaigns
    qtbot.waitUntil(lambda: _selected(tab) == ("campaign", campaign), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert window.stack.currentWidget() is page
    assert page.tabs.currentWidget() is tab
    assert _row_of(tab, campaign) > 0
    assert tab.talk_track.isVisible()
    assert "Ask about unplanned downtime." in tab.talk_track.text()
    assert _no_lone_form(window)


def test_the_latest_record_opened_wins_over_one_still_waiting(qtbot, window, ids):
    # Both asked before the tab has read: the first request is dropped, not applied after the second.
    window.open_record("proposition", ids["proposition"])
    window.open_record("proposition", ids["other_proposition"])
    tab = window.sales.page.propositions
    qtbot.waitUntil(lambda: tab.library is not None, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert _selected(tab) == ("proposition", ids["other_proposition"])
    window.open_record("proposition", ids["proposition"])
    qtbot.waitUntil(lambda: _selected(tab) == ("proposition", ids["proposition"]), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert _selected(tab) == ("proposition", ids["proposition"])
    assert tab.detail.proposition_id == ids["proposition"]


def test_a_campaign_target_still_opens_on_its_client_s_page(qtbot, window, ids):
    def target(ws):
        return ws.create(
            kind="campaign_target",
            values={"campaign_id": ids["campaign"], "client_id": ids["fjord"], "status": "to_approach"},
        )

    target_id = run_edit(qtbot, window, target).created_id
    window.open_record("campaign_target", target_id)
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in window.findChildren(EditRecordDialog)), timeout=TIMEOUT
    )
    assert window.stack.currentWidget() is window.clients.page
