"""The Sales page walked as a person does: the pipeline filtered and a deal opened, a proposition made,
made ready and retired, a cohort made with its live count and its exceptions, a campaign made that draws
its targets at once; each through the real buttons and forms, and undone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from companion.ui.common.edit_dialog import EditRecordDialog
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.record_dialog import NewRecordDialog
from companion.ui.sales.campaigns_view import NewCampaignDialog
from companion.ui.sales.cohort_dialog import CohortDialog
from companion.ui.sales.cohorts_view import ClientPicker
from tests.core.campaign_records import build_sales
from tests.ui.helpers import TIMEOUT, run_edit, visible, wait_idle


@pytest.fixture
def sales(qtbot, window):
    ids: dict[str, str] = {}

    def build(ws):
        ids.update(build_sales(ws))
        return ws.update(kind="client", id=ids["bakeri"], values={"industry": "Bakery"})

    run_edit(qtbot, window, build)
    window.sales.action.trigger()
    wait_idle(qtbot, window)
    return window, window.sales.page, ids


def _tab(qtbot, window, page, number: int) -> None:
    bar = page.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(number).center())
    wait_idle(qtbot, window)


def _save(qtbot, window, dialog) -> None:
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    wait_idle(qtbot, window)


def _click(qtbot, window, button) -> None:
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)


def _undo(qtbot, window) -> None:
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)


def _type(qtbot, widget, text: str) -> None:
    widget.clear()
    qtbot.keyClicks(widget, text)


def _choose(combo, value) -> None:
    """Picks an entry of a form's list as a person does (the form hears `activated`)."""
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def _texts(view, column: int = 0) -> list[str]:
    return [view.topLevelItem(n).text(column) for n in range(view.topLevelItemCount())]


def _select(view, text: str) -> None:
    (item,) = [
        view.topLevelItem(n) for n in range(view.topLevelItemCount()) if view.topLevelItem(n).text(0) == text
    ]
    view.setCurrentItem(item)


def test_the_sales_action_opens_the_page_from_the_toolbar_and_its_menu(qtbot, window):
    window.sales.action.trigger()
    assert window.sales.showing()
    assert window.sales.action in window.menus["&Sales"].actions()
    assert window.sales.action.shortcut().toString() == "Ctrl+Shift+S"
    assert window.sales.page.tabs.count() == 4
    assert [window.sales.page.tabs.tabText(n) for n in range(4)] == [
        "Pipeline", "Propositions", "Cohorts", "Campaigns",
    ]  # fmt: skip
    # An empty workspace says what to do on each tab.
    assert "No open deals" in window.sales.page.pipeline.empty.text()
    qtbot.waitUntil(window.sales.page.pipeline.empty.isVisible, timeout=TIMEOUT)
    assert not window.sales.page.pipeline.deals.isVisible()


def test_the_pipeline_shows_open_deals_by_stage_filters_them_and_opens_one(qtbot, sales):
    window, page, ids = sales

    def deals(ws):
        ws.create(kind="opportunity", values={
            "client_id": ids["halvorsen"], "title": "Subsea pilot", "stage": "qualifying", "value": 1_250_000,
            "currency": "NOK", "owner_id": ids["colleague"], "proposition_id": ids["proposition"],
            "next_step": "Send the case", "next_step_due": "2020-01-01",
        })  # fmt: skip
        ws.create(kind="opportunity", values={
            "client_id": ids["nordlys"], "title": "Fleet monitoring", "stage": "qualifying", "value": 40_000,
            "currency": "EUR",
        })  # fmt: skip
        ws.create(kind="opportunity", values={
            "client_id": ids["nordlys"], "title": "Service frame", "stage": "negotiating", "value": 300_000,
            "currency": "NOK", "owner_id": ids["colleague"],
        })  # fmt: skip
        return ws.create(kind="opportunity", values={
            "client_id": ids["fjord"], "title": "Old win", "stage": "won", "outcome_reason": "Best price",
        })  # fmt: skip

    run_edit(qtbot, window, deals)
    tree = page.pipeline.deals
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 2, timeout=TIMEOUT)
    qualifying, negotiating = (tree.topLevelItem(n) for n in range(2))
    assert qualifying.text(0) == "Qualifying (2) · 40,000 EUR + 1,250,000 NOK"
    assert negotiating.text(0) == "Negotiating (1) · 300,000 NOK"
    assert "Old win" not in {qualifying.child(n).text(0) for n in range(qualifying.childCount())}
    pilot = next(qualifying.child(n) for n in range(2) if qualifying.child(n).text(0) == "Subsea pilot")
    assert pilot.text(1) == "Halvorsen Offshore" and pilot.text(5) == "2020-01-01"
    assert pilot.toolTip(5) == "The next step is overdue"
    assert pilot.text(6) == "0/8" and pilot.toolTip(6), "an open deal's gaps are named on it"
    assert page.pipeline.total.text() == "3 open deals · 40,000 EUR + 1,550,000 NOK"

    _choose(page.pipeline.owner, ids["colleague"])
    assert _texts(tree) == ["Qualifying (1) · 1,250,000 NOK", "Negotiating (1) · 300,000 NOK"]
    _choose(page.pipeline.proposition, ids["proposition"])
    assert _texts(tree) == ["Qualifying (1) · 1,250,000 NOK"]
    _choose(page.pipeline.owner, None)
    _choose(page.pipeline.proposition, None)

    qualifying = tree.topLevelItem(0)  # the tree was filled again
    item = next(qualifying.child(n) for n in range(2) if qualifying.child(n).text(0) == "Fleet monitoring")
    tree.setCurrentItem(item)
    tree.itemActivated.emit(item, 0)  # as a double-click or Enter does
    qtbot.waitUntil(lambda: window.clients.showing(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.clients.page.client_id == ids["nordlys"], timeout=TIMEOUT)
    wait_idle(qtbot, window)


def test_a_proposition_is_made_made_ready_and_retired_through_its_forms(qtbot, sales):
    window, page, _ids = sales
    ws = window.worker.workspace
    _tab(qtbot, window, page, 1)
    view = page.propositions
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 1, timeout=TIMEOUT)
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    assert dialog.form.editors["status"].widget.currentData() == "draft"
    _type(qtbot, dialog.form.editors["title"].widget, "Remote vessel monitoring")
    _type(qtbot, dialog.form.editors["pain"].widget, "Unplanned stops cost a day each.")
    _save(qtbot, window, dialog)
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 2, timeout=TIMEOUT)
    (made,) = ws.list(kind="proposition", where={"title": "Remote vessel monitoring"})
    assert made["status"] == "draft"

    _select(view.list, "Remote vessel monitoring")
    qtbot.waitUntil(lambda: "Unplanned stops" in view.text.toPlainText(), timeout=TIMEOUT)
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, EditRecordDialog)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        _choose(dialog.form.editors["ready_it"].widget, "blocked")
    wait_idle(qtbot, window)
    dialog.close()
    row = next(
        view.list.topLevelItem(n) for n in range(2) if view.list.topLevelItem(n).text(0).startswith("Remote")
    )
    assert "IT: blocked" in row.toolTip(2)
    assert "IT: blocked" in view.text.toPlainText()

    _select(view.list, "Remote vessel monitoring")
    _click(qtbot, window, view.retire_button)
    assert ws.get(kind="proposition", id=made.id)["status"] == "retired"
    assert not view.retire_button.isEnabled()
    _undo(qtbot, window)
    assert ws.get(kind="proposition", id=made.id)["status"] == "draft"
    qtbot.waitUntil(view.retire_button.isEnabled, timeout=TIMEOUT)


def test_a_cohort_counts_its_clients_while_its_filter_is_typed_and_keeps_exceptions(qtbot, sales):
    window, page, ids = sales
    ws = window.worker.workspace
    _tab(qtbot, window, page, 2)
    view = page.cohorts
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 1, timeout=TIMEOUT)
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, CohortDialog)
    qtbot.waitUntil(lambda: dialog.count.text() == "Holds 0 clients", timeout=TIMEOUT)
    _type(qtbot, dialog.form.editors["name"].widget, "Offshore operators")
    _type(qtbot, dialog.form.editors["tags"].widget, "offshore")
    qtbot.waitUntil(lambda: dialog.count.text() == "Holds 3 clients", timeout=TIMEOUT)
    _type(qtbot, dialog.form.editors["industries"].widget, "Oil & Gas")
    qtbot.waitUntil(lambda: dialog.count.text() == "Holds 2 clients", timeout=TIMEOUT)
    assert ws.count(kind="cohort") == 1, "nothing is saved before Save"
    _save(qtbot, window, dialog)
    (cohort,) = ws.list(kind="cohort", where={"name": "Offshore operators"})
    assert cohort["industries"] == ["Oil & Gas"]
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 2, timeout=TIMEOUT)

    _select(view.list, "Offshore operators")
    qtbot.waitUntil(
        lambda: sorted(_texts(view.members)) == ["Halvorsen Offshore", "Nordlys Subsea"], timeout=TIMEOUT
    )
    assert "tagged offshore" in view.filter.text() and "in Oil & Gas" in view.filter.text()

    _select(view.members, "Nordlys Subsea")
    _click(qtbot, window, view.leave_out_button)
    qtbot.waitUntil(lambda: _texts(view.members) == ["Halvorsen Offshore"], timeout=TIMEOUT)
    assert ws.get(kind="cohort", id=cohort.id)["excluded_ids"] == [ids["nordlys"]]
    _undo(qtbot, window)
    qtbot.waitUntil(lambda: len(_texts(view.members)) == 2, timeout=TIMEOUT)

    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    picker = visible(qtbot, window, ClientPicker)
    qtbot.keyClicks(picker.search, "bakeri")
    assert picker.list.count() == 1
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(picker.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "Bakeri Berg" in _texts(view.members), timeout=TIMEOUT)
    bakeri = next(
        view.members.topLevelItem(n)
        for n in range(3)
        if view.members.topLevelItem(n).text(0) == "Bakeri Berg"
    )
    assert bakeri.text(3) == "added by hand"
    assert ws.get(kind="cohort", id=cohort.id)["added_ids"] == [ids["bakeri"]]

    # Editing the filter shows the count with the exceptions before it is saved.
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, CohortDialog)
    qtbot.waitUntil(lambda: dialog.count.text() == "Holds 3 clients", timeout=TIMEOUT)
    industries = dialog.form.editors["industries"].widget
    industries.selectAll()
    qtbot.keyClick(industries, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: dialog.count.text() == "Holds 4 clients", timeout=TIMEOUT)
    _save(qtbot, window, dialog)
    assert ws.get(kind="cohort", id=cohort.id)["industries"] is None
    _undo(qtbot, window)
    assert ws.get(kind="cohort", id=cohort.id)["industries"] == ["Oil & Gas"]


def test_a_new_campaign_draws_its_targets_at_once_and_one_undo_takes_both_back(qtbot, sales):
    window, page, ids = sales
    ws = window.worker.workspace
    _tab(qtbot, window, page, 3)
    view = page.campaigns
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 1, timeout=TIMEOUT)
    assert view.list.topLevelItem(0).text(6) == "no targets"
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewCampaignDialog)
    assert dialog.draw.isChecked()
    _type(qtbot, dialog.form.editors["name"].widget, "Spring push")
    _choose(dialog.form.editors["proposition_id"].widget, ids["proposition"])
    _choose(dialog.form.editors["cohort_id"].widget, ids["cohort"])
    _choose(dialog.form.editors["status"].widget, "running")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    wait_idle(qtbot, window)
    (campaign,) = ws.list(kind="campaign", where={"name": "Spring push"})
    drawn = ws.list(kind="campaign_target", where={"campaign_id": campaign.id})
    assert drawn, "the targets were drawn right after the campaign was saved"

    def spring():
        return next((view.list.topLevelItem(n) for n in range(view.list.topLevelItemCount())
                     if view.list.topLevelItem(n).text(0) == "Spring push"), None)  # fmt: skip

    qtbot.waitUntil(lambda: spring() is not None and spring().text(6) == f"0 of {len(drawn)}")
    assert f"{len(drawn)} targets" in spring().toolTip(6)

    assert window.undo_action.text() == "Undo start the campaign Spring push"
    _undo(qtbot, window)  # the campaign and its targets, together
    assert ws.list(kind="campaign_target", where={"campaign_id": campaign.id}) == []
    assert ws.list(kind="campaign", where={"name": "Spring push"}) == []

    # The campaign already there draws its targets on request, once: drawing again adds nobody.
    _select(view.list, "Predictive maintenance, winter")
    _click(qtbot, window, view.draw_button)
    first = ws.count(kind="campaign_target")
    assert first > 0
    qtbot.mouseClick(view.draw_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert ws.count(kind="campaign_target") == first
    item = view.list.topLevelItem(0)
    assert item.data(0, RecordRole) == ("campaign", ids["campaign"])
