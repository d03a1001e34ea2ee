"""The Deals section of a client page, walked as a person does: the pipeline by stage, a deal chosen, its
MEDDPICC criteria changed and undone, a deal marked lost first without and then with its reason, people,
actions and risks added to it, through the real buttons, keys and forms."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox

from companion.core.opportunities import qualification_rows
from companion.model.kinds import OPEN_STAGES
from companion.ui.clients.deal_cards import CardRole
from companion.ui.clients.deals_tab import StageRole
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.record_dialog import NewRecordDialog
from tests.core.campaign_records import build_sales
from tests.core.deal_records import write_deals
from tests.ui.helpers import TIMEOUT, laptop_window, run_edit, visible, wait_idle

TODAY = dt.date.today()


def _day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def deals_page(qtbot, window):
    """Halvorsen Offshore (build_sales) with one deal in each stage, its Deals section on screen."""

    def build(ws):
        window.ids = build_sales(ws)
        window.deal_ids = write_deals(ws, client_id=window.ids["halvorsen"], deals=7, today=TODAY)
        return ws.update(kind="client", id=window.ids["halvorsen"], values={"website": "halvorsen.example"})

    run_edit(qtbot, window, build)
    window.open_client(window.ids["halvorsen"], "deals")
    page = window.clients.page
    qtbot.waitUntil(lambda: page.deals.section is not None, timeout=TIMEOUT)
    assert page.tabs.currentWidget() is page.deals
    return window, page.deals


def _stage_rows(deals) -> dict[str, object]:
    """The pipeline's stage rows by stage name."""
    tree = deals.pipeline
    return {
        tree.topLevelItem(n).data(0, StageRole): tree.topLevelItem(n) for n in range(tree.topLevelItemCount())
    }


def _click_deal(qtbot, deals, title: str):
    tree = deals.pipeline
    for stage in _stage_rows(deals).values():
        for n in range(stage.childCount()):
            item = stage.child(n)
            if item.text(0) == title:
                stage.setExpanded(True)
                tree.scrollToItem(item)
                rect = tree.visualItemRect(item)
                qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
                qtbot.waitUntil(lambda: deals.panel.detail is not None, timeout=TIMEOUT)
                assert deals.panel.detail.opportunity["title"] == title
                return item
    raise AssertionError(f"no deal {title!r} on the pipeline")


def _undo(qtbot, window) -> None:
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)


def _save(qtbot, window, dialog) -> None:
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    wait_idle(qtbot, window)


def _choose(qtbot, combo, value) -> None:
    """Opens a list and clicks one of its entries, as a person does."""
    target = combo.findData(value)
    assert target >= 0, value
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=TIMEOUT)
    index = view.model().index(target, 0)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=TIMEOUT)
    assert combo.currentIndex() == target


def test_the_pipeline_lists_open_stages_with_their_totals_and_closed_ones_folded_below(qtbot, deals_page):
    _window, deals = deals_page
    stages = _stage_rows(deals)
    assert list(stages) == ["idea", "qualifying", "proposing", "negotiating", "won", "lost", "withdrawn"]
    # write_deals: deal n has stage n, 50,000 × (n + 1), NOK for even n and EUR for odd.
    idea = stages["idea"].data(0, CardRole)
    assert (idea.label, idea.summary) == ("Idea", "1 deal · 50,000 NOK")
    assert stages["qualifying"].data(0, CardRole).summary == "1 deal · 100,000 EUR"
    assert all(stages[s].isExpanded() for s in ("idea", "qualifying", "proposing", "negotiating"))
    assert not any(stages[s].isExpanded() for s in ("won", "lost", "withdrawn"))
    assert deals.summary.text().startswith("4 open deals · 300,000 EUR + 200,000 NOK")
    first = deals.section.pipeline.rows[0]
    card = stages["idea"].child(0).data(0, CardRole)
    assert (card.title, card.value) == ("Subsea pilot 1", "50,000 NOK")
    # Its next step was due three days ago: red, and said so.
    assert card.next_step == f"Next: Send the revised offer 1 · {_day(-3)}, overdue" and card.overdue
    assert card.facts == f"closes {first.expected_close} · {first.confirmed}/8 confirmed"
    assert card.gaps == (
        f"⚠ {len(first.gaps)} gaps" if len(first.gaps) > 1 else "⚠ 1 gap" if first.gaps else ""
    )
    due_today = stages["negotiating"].child(0).data(0, CardRole)
    assert due_today.next_step == f"Next: Send the revised offer 4 · {_day(0)}" and not due_today.overdue
    # A closed deal says why it was won or lost instead of a next step.
    won = stages["won"].child(0).data(0, CardRole)
    assert won.closed and won.next_step == "Why: Proven on the pilot vessel." and not won.overdue
    assert not deals.empty.isVisible()


def test_a_meddpicc_status_is_changed_with_its_list_and_undone(qtbot, deals_page):
    window, deals = deals_page
    ws = window.worker.workspace
    _click_deal(qtbot, deals, "Subsea pilot 1")
    panel = deals.panel
    deal_id = panel.detail.opportunity.id
    qtbot.mouseClick(
        panel.inner.tabBar(), Qt.MouseButton.LeftButton, pos=panel.inner.tabBar().tabRect(1).center()
    )
    assert panel.inner.currentIndex() == 1
    # The panel's rows are core's, read with the section.
    assert panel.detail.qualification == tuple(qualification_rows(ws, deal_id))
    status, person, _note = panel.meddpicc.row_widgets("paper_process")
    assert person is None
    before = ws.get(kind="opportunity", id=deal_id)["paper_process_status"]
    wanted = "confirmed" if before != "confirmed" else "partial"
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        _choose(qtbot, status, wanted)
    wait_idle(qtbot, window)
    assert ws.get(kind="opportunity", id=deal_id)["paper_process_status"] == wanted
    qtbot.waitUntil(lambda: status.currentData() == wanted, timeout=TIMEOUT)

    _undo(qtbot, window)
    assert ws.get(kind="opportunity", id=deal_id)["paper_process_status"] == before
    qtbot.waitUntil(lambda: status.currentData() == before, timeout=TIMEOUT)

    # The economic buyer is picked among the client's people now; Ola Nilsen left, so he is not offered.
    _status, buyer, _note = panel.meddpicc.row_widgets("economic_buyer")
    offered = [buyer.itemText(n) for n in range(buyer.count())]
    assert "Per Lunde" in offered and "Ola Nilsen" not in offered
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        _choose(qtbot, buyer, window.ids["per"])
    wait_idle(qtbot, window)
    assert ws.get(kind="opportunity", id=deal_id)["economic_buyer_id"] == window.ids["per"]


def test_a_deal_marked_lost_asks_for_its_reason_and_keeps_what_was_chosen(qtbot, deals_page):
    window, deals = deals_page
    ws = window.worker.workspace
    _click_deal(qtbot, deals, "Offshore wind retrofit 3")  # proposing
    panel = deals.panel
    deal_id = panel.detail.opportunity.id
    stage = panel.form.editors["stage"].widget
    reason = panel.form.editors["outcome_reason"]
    _choose(qtbot, stage, "lost")
    qtbot.waitUntil(reason.error.isVisible, timeout=TIMEOUT)
    assert reason.error.text() == "is required when stage is lost"
    assert panel.problem.isVisible() and panel.problem.text().startswith("Why we won or lost is required")
    assert ws.get(kind="opportunity", id=deal_id)["stage"] == "proposing"
    assert stage.currentData() == "lost"  # what was chosen stays on screen
    assert window.focusWidget() is reason.widget  # the cursor waits in the reason

    # Another change reads the page again: the choice still stays until the reason comes.
    run_edit(
        qtbot,
        window,
        lambda w: w.update(kind="client", id=window.ids["halvorsen"], values={"industry": "Energy"}),
    )
    assert stage.currentData() == "lost" and reason.error.isVisible()

    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.keyClicks(reason.widget, "Price: they chose the cheaper crane survey.")  # saved after a pause
    wait_idle(qtbot, window)
    saved = ws.get(kind="opportunity", id=deal_id)
    assert (saved["stage"], saved["outcome_reason"]) == (
        "lost",
        "Price: they chose the cheaper crane survey.",
    )
    qtbot.waitUntil(lambda: not reason.error.isVisible(), timeout=TIMEOUT)
    assert not panel.problem.isVisible()
    lost = _stage_rows(deals)["lost"]
    assert lost.childCount() == 2 and deals.pipeline.currentItem().parent() is lost

    _undo(qtbot, window)  # both came as one change, and go back as one
    back = ws.get(kind="opportunity", id=deal_id)
    assert (back["stage"], back["outcome_reason"]) == ("proposing", None)


def test_people_are_added_to_a_deal_their_support_changed_and_removed(qtbot, deals_page, monkeypatch):
    window, deals = deals_page
    ws = window.worker.workspace
    _click_deal(qtbot, deals, "Subsea pilot 1")
    panel = deals.panel
    deal_id = panel.detail.opportunity.id
    panel.inner.setCurrentIndex(2)
    before = panel.people.topLevelItemCount()
    qtbot.mouseClick(panel.add_person_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    person = dialog.form.editors["contact_id"].widget
    taken = {str(p["contact_id"]) for p in panel.detail.people}
    offered = {person.itemData(n) for n in range(1, person.count())}
    assert offered and not offered & taken and window.ids["ola"] not in offered
    kari = window.ids["kari"] if window.ids["kari"] not in taken else next(iter(offered))
    _choose(qtbot, person, kari)
    _choose(qtbot, dialog.form.editors["role"].widget, "technical_buyer")
    _save(qtbot, window, dialog)
    qtbot.waitUntil(lambda: panel.people.topLevelItemCount() == before + 1, timeout=TIMEOUT)
    (added,) = [
        p
        for p in ws.list(kind="opportunity_contact", where={"opportunity_id": deal_id})
        if p["contact_id"] == kari
    ]
    assert added["role"] == "technical_buyer"
    assert panel.inner.tabText(2) == f"People ({before + 1})"

    row = next(
        panel.people.topLevelItem(n)
        for n in range(panel.people.topLevelItemCount())
        if panel.people.topLevelItem(n).data(0, RecordRole)[1] == added.id
    )
    support = panel.people.itemWidget(row, 2)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        _choose(qtbot, support, "supporter")
    wait_idle(qtbot, window)
    assert ws.get(kind="opportunity_contact", id=added.id)["support"] == "supporter"

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    row = next(
        panel.people.topLevelItem(n)
        for n in range(panel.people.topLevelItemCount())
        if panel.people.topLevelItem(n).data(0, RecordRole)[1] == added.id
    )
    panel.people.setCurrentItem(row)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(panel.remove_person_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert ws.get(kind="opportunity_contact", id=added.id, include_deleted=True).deleted_at
    qtbot.waitUntil(lambda: panel.people.topLevelItemCount() == before, timeout=TIMEOUT)


def test_a_deal_s_actions_are_added_and_ticked_and_its_risks_listed(qtbot, deals_page):
    window, deals = deals_page
    ws = window.worker.workspace
    _click_deal(qtbot, deals, "Fleet monitoring 2")
    panel = deals.panel
    deal = panel.detail.opportunity
    panel.inner.setCurrentIndex(3)
    qtbot.mouseClick(panel.add_action_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    # The first action of a deal starts as its next step.
    assert dialog.form.editors["text"].widget.text() == deal["next_step"]
    _save(qtbot, window, dialog)
    (action,) = ws.list(kind="action", where={"opportunity_id": deal.id})
    qtbot.waitUntil(
        lambda: panel.action_list.topLevelItem(0).data(0, RecordRole) == ("action", action.id),
        timeout=TIMEOUT,
    )
    panel.action_list.setFocus()
    panel.action_list.setCurrentItem(panel.action_list.topLevelItem(0))
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.keyClick(panel.action_list, Qt.Key.Key_Space)
    wait_idle(qtbot, window)
    assert ws.get(kind="action", id=action.id)["done"] is True

    qtbot.mouseClick(panel.add_risk_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    qtbot.keyClicks(dialog.form.editors["title"].widget, "The buyer's budget is frozen")
    _save(qtbot, window, dialog)
    (risk,) = ws.list(kind="risk", where={"opportunity_id": deal.id})
    assert risk["client_id"] == window.ids["halvorsen"] and risk["status"] == "open"
    qtbot.waitUntil(
        lambda: panel.risks.topLevelItem(0).text(0) == "The buyer's budget is frozen", timeout=TIMEOUT
    )


def test_a_new_deal_is_started_from_the_button_and_shown_once_saved(qtbot, window):
    def build(ws):
        window.ids = build_sales(ws)
        return ws.update(kind="client", id=window.ids["fjord"], values={"industry": "Drilling"})

    run_edit(qtbot, window, build)
    window.open_client(window.ids["fjord"], "deals")
    deals = window.clients.page.deals
    qtbot.waitUntil(lambda: deals.section is not None, timeout=TIMEOUT)
    assert deals.empty.isVisible() and not deals.pipeline.isVisible()
    assert "New deal" in deals.empty.text()
    assert not deals.panel.detail and not deals.panel.isVisible()  # nothing to choose yet
    qtbot.mouseClick(deals.new_deal_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    assert dialog.form.editors["stage"].widget.currentData() == "idea"
    qtbot.keyClicks(dialog.form.editors["title"].widget, "Rig sensors")
    qtbot.keyClicks(dialog.form.editors["value"].widget, "1 250 000")
    qtbot.keyClicks(dialog.form.editors["currency"].widget, "nok")
    _save(qtbot, window, dialog)
    (deal,) = window.worker.workspace.list(kind="opportunity")
    assert deal["client_id"] == window.ids["fjord"]
    qtbot.waitUntil(lambda: deals.panel.detail is not None, timeout=TIMEOUT)
    assert deals.panel.detail.opportunity.id == deal.id
    assert deals.pipeline.currentItem().data(0, CardRole).value == "1,250,000 NOK"
    assert not [
        label
        for label in deals.findChildren(QLabel)
        if label.isVisible() and not label.text() and label.property("role") == "empty-state"
    ]


SHOTS_DIR = Path("/tmp/shots")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_deals_section_on_a_laptop_screen(qtbot, workspace, tmp_path, scheme):
    from companion.core.demo import load_demo

    load_demo(workspace)
    deals_by_client = Counter(str(o["client_id"]) for o in workspace.list(kind="opportunity"))
    busiest = deals_by_client.most_common(1)[0][0]
    quiet = workspace.create(kind="client", values={"name": "Fjord Drilling"}).created_id  # no deals yet
    SHOTS_DIR.mkdir(exist_ok=True)
    window = laptop_window(qtbot, workspace, tmp_path, scheme)
    try:
        window.open_client(busiest, "deals")
        deals = window.clients.page.deals
        qtbot.waitUntil(lambda: deals.section is not None, timeout=TIMEOUT)
        first_open = next(r for r in deals.section.pipeline.rows if r.stage in OPEN_STAGES)
        assert deals.show_deal(first_open.id)
        qtbot.waitUntil(lambda: deals.panel.detail is not None, timeout=TIMEOUT)
        for number, name in enumerate(("deal", "qualification", "people", "actions")):
            deals.panel.inner.setCurrentIndex(number)
            qtbot.wait(50)
            window.grab().save(str(SHOTS_DIR / f"deals_{name}_{scheme}.png"))
        deals.inner.setCurrentIndex(1)
        qtbot.wait(50)
        window.grab().save(str(SHOTS_DIR / f"deals_whitespace_{scheme}.png"))
        assert deals.whitespace.rowCount() >= 1 and deals.whitespace.columnCount() >= 1
        window.open_client(quiet, "deals")
        qtbot.waitUntil(
            lambda: deals.section is not None and deals.section.client_id == quiet, timeout=TIMEOUT
        )
        deals.inner.setCurrentIndex(0)
        qtbot.wait(50)
        window.grab().save(str(SHOTS_DIR / f"deals_empty_{scheme}.png"))
        assert deals.empty.isVisible()
        assert not [
            label
            for label in deals.findChildren(QLabel)
            if label.isVisible() and not label.text() and label.property("role") == "empty-state"
        ]
    finally:
        window.worker.stop()


def test_a_deal_opened_from_elsewhere_is_shown_with_its_panel_and_a_person_in_it_in_their_form(qtbot, window):
    from companion.ui.common.edit_dialog import EditRecordDialog

    def build(ws):
        window.ids = build_sales(ws)
        window.deal_ids = write_deals(ws, client_id=window.ids["halvorsen"], deals=7, today=TODAY)
        return ws.update(kind="client", id=window.ids["halvorsen"], values={"website": "halvorsen.example"})

    run_edit(qtbot, window, build)
    ws = window.worker.workspace
    lost = window.deal_ids[5]  # the lost one, folded away on the pipeline
    window.open_record("opportunity", lost)  # as search, home and the sales pipeline do
    page = window.clients.page
    qtbot.waitUntil(lambda: page.deals.panel.detail is not None, timeout=TIMEOUT)
    assert page.tabs.currentWidget() is page.deals
    assert page.deals.panel.detail.opportunity.id == lost
    current = page.deals.pipeline.currentItem()
    assert current.data(0, RecordRole) == ("opportunity", lost) and current.parent().isExpanded()

    person = ws.list(kind="opportunity_contact", where={"opportunity_id": window.deal_ids[0]})[0]
    window.open_record("opportunity_contact", person.id)
    dialog = visible(qtbot, window, EditRecordDialog)
    assert dialog.kind.name == "opportunity_contact"
    panel = page.deals.panel
    assert panel.detail.opportunity.id == window.deal_ids[0] and panel.inner.currentIndex() == 2
    assert panel.people.currentItem().data(0, RecordRole) == ("opportunity_contact", person.id)
    dialog.close()


def test_an_older_read_answering_late_is_dropped(qtbot, deals_page):
    window, deals = deals_page
    other = window.ids["nordlys"]
    window.open_client(window.ids["halvorsen"], "deals")
    window.open_client(other, "deals")  # asked while the first read is on its way
    wait_idle(qtbot, window)
    assert deals.section.client_id == other and deals.client_id == other
    assert deals.empty.isVisible() and not deals.section.pipeline.rows


def test_typing_in_a_field_survives_the_deal_being_read_again(qtbot, deals_page):
    window, deals = deals_page
    ws = window.worker.workspace
    _click_deal(qtbot, deals, "Subsea pilot 1")
    panel = deals.panel
    deal_id = panel.detail.opportunity.id
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)
    step = panel.form.editors["next_step"].widget
    step.setFocus()
    qtbot.waitUntil(step.hasFocus, timeout=TIMEOUT)
    step.selectAll()
    qtbot.keyClicks(step, "Call Per about the pilot")
    # A change elsewhere (a colleague's sync, another window) reads the deal again while the person types.
    run_edit(qtbot, window, lambda w: w.update(kind="opportunity", id=deal_id, values={"value": 60_000}))
    assert deals.pipeline.currentItem().data(0, CardRole).value == "60,000 NOK"
    assert step.text() == "Call Per about the pilot"
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.keyClick(step, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert ws.get(kind="opportunity", id=deal_id)["next_step"] == "Call Per about the pilot"
