"""The Plan section of a client page, walked as a person does: a plan started, its SWOT, objectives,
measures and readings, actions, risks, contracts and competitors added, edited, ticked, deleted and undone,
through the real buttons, keys and forms."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox

from companion.ui.common.edit_dialog import EditRecordDialog
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.record_dialog import NewRecordDialog
from tests.core.plan_records import write_plan
from tests.ui.helpers import SHOTS, TIMEOUT, laptop_window, run_edit, visible, wait_idle


def _client(ws) -> str:
    client = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    ingrid = ws.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
    ws.create(kind="position", values={"contact_id": ingrid, "client_id": client, "title": "CFO"})
    return client


@pytest.fixture
def plan_page(qtbot, window):
    def build(ws):
        window.test_client = _client(ws)
        return ws.update(kind="client", id=window.test_client, values={"industry": "Energy"})

    run_edit(qtbot, window, build)
    window.open_client(window.test_client, "plan")
    page = window.clients.page
    qtbot.waitUntil(lambda: page.plan.section is not None, timeout=TIMEOUT)
    return window, page.plan


def _save(qtbot, window, dialog) -> None:
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    wait_idle(qtbot, window)


def _undo(qtbot, window) -> None:
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)


def _type(qtbot, dialog, field: str, text: str) -> None:
    widget = dialog.form.editors[field].widget
    widget.clear()
    qtbot.keyClicks(widget, text)


def _one(ws, kind):
    (record,) = ws.list(kind=kind)
    return record


def test_a_plan_is_started_given_a_swot_an_objective_a_measure_and_a_reading(qtbot, plan_page):
    window, plan = plan_page
    ws = window.worker.workspace
    assert plan.no_plan.isVisible() and not plan.plan_choice.isVisible()
    qtbot.mouseClick(plan.new_plan_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    assert dialog.form.editors["status"].widget.currentData() == "active"  # the first plan is the active one
    _type(qtbot, dialog, "strategy", "Win the wind fleet through the operations director.")
    _save(qtbot, window, dialog)
    qtbot.waitUntil(lambda: plan.section.plan is not None, timeout=TIMEOUT)
    account_plan = _one(ws, "account_plan")
    assert account_plan["client_id"] == window.test_client
    assert "wind fleet" in plan.strategy.toPlainText()

    qtbot.mouseClick(plan.swot_add["weakness"], Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    _type(qtbot, dialog, "text", "No offshore wind reference yet")
    _save(qtbot, window, dialog)
    qtbot.waitUntil(lambda: plan.swot["weakness"].count() == 1, timeout=TIMEOUT)
    assert _one(ws, "swot_item")["quadrant"] == "weakness"

    plan.inner.setCurrentIndex(1)
    qtbot.mouseClick(plan.add_objective_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    _type(qtbot, dialog, "title", "Monitor all 14 vessels")
    _save(qtbot, window, dialog)
    qtbot.waitUntil(lambda: plan.objectives.topLevelItemCount() == 1, timeout=TIMEOUT)
    objective = _one(ws, "objective")
    assert objective["plan_id"] == account_plan.id

    plan.objectives.setCurrentItem(plan.objectives.topLevelItem(0))
    qtbot.mouseClick(plan.add_measure_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    _type(qtbot, dialog, "name", "Vessels monitored")
    _type(qtbot, dialog, "baseline", "11")
    _type(qtbot, dialog, "target", "14")
    _save(qtbot, window, dialog)
    qtbot.waitUntil(lambda: plan.objectives.topLevelItem(0).childCount() == 1, timeout=TIMEOUT)
    measure_row = plan.objectives.topLevelItem(0).child(0)
    assert measure_row.text(2) == "11 / 14"

    plan.objectives.setCurrentItem(measure_row)
    qtbot.mouseClick(plan.add_reading_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    assert dialog.form.editors["date"].widget.text() == dt.date.today().isoformat()
    _type(qtbot, dialog, "value", "12,5")  # a decimal comma, as people write it
    _save(qtbot, window, dialog)
    qtbot.waitUntil(lambda: plan.objectives.topLevelItem(0).child(0).text(2) == "12.5 / 14", timeout=TIMEOUT)
    assert _one(ws, "measure_reading")["value"] == 12.5
    assert plan.objectives.topLevelItem(0).child(0).text(6) == "behind"

    _undo(qtbot, window)
    qtbot.waitUntil(lambda: plan.objectives.topLevelItem(0).child(0).text(2) == "11 / 14", timeout=TIMEOUT)
    assert ws.list(kind="measure_reading") == []


def test_a_second_plan_starts_as_a_draft_and_cannot_be_made_active_beside_the_first(qtbot, plan_page):
    window, plan = plan_page
    run_edit(qtbot, window, lambda ws: ws.create(
        kind="account_plan", values={"client_id": window.test_client, "title": "Plan 2026", "status": "active"}
    ))  # fmt: skip
    qtbot.waitUntil(lambda: plan.section.plan is not None, timeout=TIMEOUT)
    qtbot.mouseClick(plan.new_plan_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    assert dialog.form.editors["status"].widget.currentData() == "draft"
    _type(qtbot, dialog, "title", "Plan 2027")
    _save(qtbot, window, dialog)
    qtbot.waitUntil(lambda: plan.plan_choice.count() == 2, timeout=TIMEOUT)
    # The draft is chosen in the list and opened in its form; making it active is refused, beside the field.
    index = next(n for n in range(2) if plan.plan_choice.itemText(n).startswith("Plan 2027"))
    plan.plan_choice.setCurrentIndex(index)
    plan.plan_choice.activated.emit(index)  # as the list does when a person picks an entry
    qtbot.waitUntil(lambda: str(plan.section.plan["title"]) == "Plan 2027", timeout=TIMEOUT)
    qtbot.mouseClick(plan.edit_plan_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, EditRecordDialog)
    status = dialog.form.editors["status"].widget
    status.setCurrentIndex(status.findData("active"))
    status.activated.emit(status.currentIndex())
    error = dialog.form.editors["status"].error
    qtbot.waitUntil(error.isVisible, timeout=TIMEOUT)
    assert "“Plan 2026” is the active account plan already" in error.text()
    statuses = sorted(str(p["status"]) for p in window.worker.workspace.list(kind="account_plan"))
    assert statuses == ["active", "draft"]
    dialog.close()


def test_actions_are_ticked_in_place_and_risks_found_on_the_grid_edited_and_deleted(
    qtbot, plan_page, monkeypatch
):
    window, plan = plan_page
    run_edit(qtbot, window, lambda ws: ws.update(
        kind="client", id=window.test_client, values={"status": "active"}
    ) if write_plan(ws, client_id=window.test_client) else None)  # fmt: skip
    qtbot.waitUntil(lambda: plan.action_list.topLevelItemCount() == 8, timeout=TIMEOUT)
    ws = window.worker.workspace

    plan.inner.setCurrentIndex(2)
    first = plan.action_list.topLevelItem(0)
    action_id = first.data(0, RecordRole)[1]
    assert first.checkState(0) == Qt.CheckState.Unchecked
    plan.action_list.setFocus()
    plan.action_list.setCurrentItem(first)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.keyClick(plan.action_list, Qt.Key.Key_Space)
    wait_idle(qtbot, window)
    assert ws.get(kind="action", id=action_id)["done"] is True
    _undo(qtbot, window)
    assert ws.get(kind="action", id=action_id)["done"] is False

    plan.inner.setCurrentIndex(3)
    high = [r for r in ws.list(kind="risk") if r["status"] == "open" and r["likelihood"] * r["impact"] >= 12]
    cell = (high[0]["likelihood"], high[0]["impact"])
    grid = plan.risk_grid
    assert grid.item(5 - cell[1], cell[0] - 1).text() == "1"
    rect = grid.visualItemRect(grid.item(5 - cell[1], cell[0] - 1))
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert plan.risks.topLevelItemCount() == 1
    row = plan.risks.topLevelItem(0)
    assert row.data(0, RecordRole) == ("risk", high[0].id)
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert plan.risks.topLevelItemCount() == 6

    plan.risks.setFocus()
    plan.risks.setCurrentItem(plan.risks.topLevelItem(0))
    qtbot.keyClick(plan.risks, Qt.Key.Key_Return)
    dialog = visible(qtbot, window, EditRecordDialog)
    status = dialog.form.editors["status"].widget
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        status.setCurrentIndex(status.findData("closed"))
        status.activated.emit(status.currentIndex())
    wait_idle(qtbot, window)
    dialog.close()
    assert ws.get(kind="risk", id=high[0].id)["status"] == "closed"
    qtbot.waitUntil(lambda: grid.item(5 - cell[1], cell[0] - 1).text() == "", timeout=TIMEOUT)

    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **_kw: asked.append(args[2]) or QMessageBox.StandardButton.Yes
    )
    plan.risks.setCurrentItem(next(
        plan.risks.topLevelItem(n) for n in range(6) if plan.risks.topLevelItem(n).data(0, RecordRole)[1] == high[0].id
    ))  # fmt: skip
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(plan.delete_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert "Risk" in asked[0]
    assert ws.get(kind="risk", id=high[0].id, include_deleted=True).deleted_at
    _undo(qtbot, window)
    assert not ws.get(kind="risk", id=high[0].id).deleted_at


def test_contracts_and_competitors_are_added_from_their_tabs(qtbot, plan_page):
    window, plan = plan_page
    ws = window.worker.workspace
    plan.inner.setCurrentIndex(4)
    qtbot.mouseClick(plan.add_contract_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    _type(qtbot, dialog, "title", "Frame agreement")
    _type(qtbot, dialog, "value", "1 250 000")
    _type(qtbot, dialog, "currency", "nok")
    _type(qtbot, dialog, "notice_by", (dt.date.today() + dt.timedelta(days=30)).isoformat())
    _save(qtbot, window, dialog)
    qtbot.waitUntil(lambda: plan.contracts.topLevelItemCount() == 1, timeout=TIMEOUT)
    contract = _one(ws, "contract")
    assert (contract["value"], contract["currency"], contract["client_id"]) == (
        1_250_000,
        "NOK",
        window.test_client,
    )
    assert plan.contracts.topLevelItem(0).text(3) == "1,250,000 NOK"
    assert "⚠" in plan.contracts.topLevelItem(0).text(2)

    plan.inner.setCurrentIndex(5)
    qtbot.mouseClick(plan.new_competitor_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    _type(qtbot, dialog, "name", "Nordkyst Services")
    _save(qtbot, window, dialog)
    competitor = _one(ws, "competitor")
    qtbot.waitUntil(
        lambda: plan.section.competitor_choices == ((competitor.id, "Nordkyst Services"),), timeout=TIMEOUT
    )
    qtbot.mouseClick(plan.add_tie_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    for field in ("contact_id", "competitor_id"):
        combo = dialog.form.editors[field].widget
        combo.setCurrentIndex(1)
    _save(qtbot, window, dialog)
    qtbot.waitUntil(lambda: plan.competitors.topLevelItemCount() == 1, timeout=TIMEOUT)
    tie = plan.competitors.topLevelItem(0).child(0)
    assert tie.text(0) == "Ingrid Dahl: worked there"
    assert plan.inner.tabText(5) == "Competitors (1)"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_plan_section_on_a_laptop_screen(qtbot, workspace, tmp_path, scheme):
    from companion.core.demo import load_demo

    load_demo(workspace)
    client = workspace.list(kind="client")[0].id
    if not workspace.list(kind="account_plan", where={"client_id": client}):
        write_plan(workspace, client_id=client, objectives=6, readings=30, actions=12, risks=9)
    window = laptop_window(qtbot, workspace, tmp_path, scheme)
    try:
        window.open_client(client, "plan")
        plan = window.clients.page.plan
        qtbot.waitUntil(lambda: plan.section is not None and plan.section.plan is not None, timeout=TIMEOUT)
        for number, name in enumerate(
            ("strategy", "objectives", "actions", "risks", "contracts", "competitors")
        ):
            plan.inner.setCurrentIndex(number)
            qtbot.wait(50)
            window.grab().save(str(SHOTS / f"plan_{name}_{scheme}.png"))
        assert not [
            label
            for label in plan.findChildren(QLabel)
            if label.isVisible() and not label.text() and label.property("role") == "empty-state"
        ]
    finally:
        window.worker.stop()


@pytest.mark.parametrize(
    ("kind", "words", "tab"),
    [
        ("risk", "sponsor may move", 3),
        ("objective", "monitored fleet", 1),
        ("contract", "frame agreement", 4),
    ],
)
def test_a_plan_record_found_by_search_opens_on_the_plan_section_in_its_form(qtbot, window, kind, words, tab):
    from tests.ui.search.test_palette import _type

    def build(ws):
        window.test_client = _client(ws)
        write_plan(
            ws, client_id=window.test_client, objectives=1, readings=0, actions=0, risks=1, contracts=1
        )
        return ws.update(kind="client", id=window.test_client, values={"status": "active"})

    run_edit(qtbot, window, build)
    (record,) = window.worker.workspace.list(kind=kind)
    window.search.action.trigger()
    palette = window.search.palette
    _type(qtbot, palette, words)
    qtbot.keyClick(palette.input, Qt.Key.Key_Return)
    dialog = visible(qtbot, window, EditRecordDialog)
    assert dialog.kind.name == kind
    plan = window.clients.page.plan
    assert window.clients.page.tabs.currentWidget() is plan and plan.inner.currentIndex() == tab
    assert plan.current_record()[0] == (kind, record.id)
    dialog.close()


def _find(tree_or_list, kind):
    """The first row of a kind in a tree (any depth) or list of the plan section."""
    if hasattr(tree_or_list, "topLevelItemCount"):
        stack = [tree_or_list.topLevelItem(n) for n in range(tree_or_list.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            if item.data(0, RecordRole) and item.data(0, RecordRole)[0] == kind:
                return item
            stack += [item.child(n) for n in range(item.childCount())]
        return None
    for row in range(tree_or_list.count()):
        if tree_or_list.item(row).data(RecordRole)[0] == kind:
            return tree_or_list.item(row)
    return None


# Each kind the section lists: where, a one-line text field of its form, and what is typed there.
EDITED = [
    ("swot_item", lambda plan: plan.swot["strength"], 0, "text", "Trusted by the crews"),
    ("objective", lambda plan: plan.objectives, 1, "title", "Monitor the whole fleet"),
    ("measure", lambda plan: plan.objectives, 1, "name", "Vessels under watch"),
    ("measure_reading", lambda plan: plan.objectives, 1, "note", "After the dry dock"),
    ("action", lambda plan: plan.action_list, 2, "text", "Book the site tour for March"),
    ("risk", lambda plan: plan.risks, 3, "title", "The sponsor retires in spring"),
    ("contract", lambda plan: plan.contracts, 4, "title", "Frame agreement 2024 to 2027"),
    ("competitor", lambda plan: plan.competitors, 5, "name", "Nordkyst Services AS"),
    ("competitor_presence", lambda plan: plan.competitors, 5, "footprint", "Crane inspections"),
    ("competitor_tie", lambda plan: plan.competitors, 5, "notes", "Left them in 2023"),
]


@pytest.mark.parametrize(("kind", "view_of", "tab", "field", "text"), EDITED, ids=[e[0] for e in EDITED])
def test_each_kind_of_the_plan_is_edited_in_its_form_and_undone(
    qtbot, plan_page, kind, view_of, tab, field, text
):
    window, plan = plan_page
    run_edit(qtbot, window, lambda ws: ws.update(
        kind="client", id=window.test_client, values={"status": "active"}
    ) if write_plan(ws, client_id=window.test_client) else None)  # fmt: skip
    qtbot.waitUntil(lambda: plan.risks.topLevelItemCount() > 0, timeout=TIMEOUT)
    plan.inner.setCurrentIndex(tab)
    view = view_of(plan)
    if kind == "measure_reading":
        plan.objectives.expandAll()
    item = _find(view, kind)
    record_id = (item.data(RecordRole) if hasattr(item, "listWidget") else item.data(0, RecordRole))[1]
    before = window.worker.workspace.get(kind=kind, id=record_id)[field]
    view.setFocus()
    view.setCurrentItem(item)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    dialog = visible(qtbot, window, EditRecordDialog)
    assert dialog.kind.name == kind
    widget = dialog.form.editors[field].widget
    widget.setFocus()
    if hasattr(widget, "selectAll"):
        widget.selectAll()
    qtbot.keyClicks(widget, text)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        dialog.close()  # a long text is saved as the form closes; a line as it loses the cursor
    wait_idle(qtbot, window)
    assert window.worker.workspace.get(kind=kind, id=record_id)[field] == text
    _undo(qtbot, window)
    assert window.worker.workspace.get(kind=kind, id=record_id)[field] == before


def test_a_plan_is_deleted_with_its_parts_after_one_question_and_undone(qtbot, plan_page, monkeypatch):
    window, plan = plan_page
    run_edit(qtbot, window, lambda ws: ws.update(
        kind="client", id=window.test_client, values={"status": "active"}
    ) if write_plan(ws, client_id=window.test_client) else None)  # fmt: skip
    qtbot.waitUntil(
        lambda: plan.section.plan is not None and plan.objectives.topLevelItemCount() == 4, timeout=TIMEOUT
    )
    ws = window.worker.workspace
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **_kw: asked.append(args[2]) or QMessageBox.StandardButton.Yes
    )
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(plan.delete_plan_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert "Account plan" in asked[0] and "objectives" in asked[0]
    qtbot.waitUntil(lambda: plan.section.plan is None, timeout=TIMEOUT)
    assert ws.list(kind="account_plan") == [] and ws.list(kind="objective") == []
    assert ws.list(kind="risk")  # the client's risks are not the plan's
    assert plan.no_plan.isVisible() and not plan.delete_plan_button.isEnabled()
    _undo(qtbot, window)
    qtbot.waitUntil(lambda: plan.section.plan is not None, timeout=TIMEOUT)
    assert len(ws.list(kind="objective")) == 4


def test_a_part_of_a_plan_not_shown_opens_with_its_plan_shown(qtbot, window):
    from tests.ui.search.test_palette import _type

    def build(ws):
        window.test_client = _client(ws)
        write_plan(ws, client_id=window.test_client, objectives=1, readings=0, actions=0, risks=0)
        old = ws.create(
            kind="account_plan",
            values={"client_id": window.test_client, "title": "Plan 2025", "status": "closed"},
        ).created_id
        return ws.create(kind="objective", values={"plan_id": old, "title": "Renew the crane contract"})

    objective = run_edit(qtbot, window, build).created_id
    window.search.action.trigger()
    _type(qtbot, window.search.palette, "crane contract")
    qtbot.keyClick(window.search.palette.input, Qt.Key.Key_Return)
    dialog = visible(qtbot, window, EditRecordDialog)
    plan = window.clients.page.plan
    assert str(plan.section.plan["title"]) == "Plan 2025" and plan.inner.currentIndex() == 1
    assert plan.current_record()[0] == ("objective", objective)
    dialog.close()


def test_delete_acts_only_on_what_the_shown_part_selects_and_lists_name_people_who_left(qtbot, plan_page):
    window, plan = plan_page

    def build(ws):
        write_plan(ws, client_id=window.test_client)
        (ingrid,) = ws.list(kind="position", where={"client_id": window.test_client})
        ws.update(kind="position", id=ingrid.id, values={"ended": "2026-11-01"})
        return ws.create(kind="risk", values={"client_id": window.test_client, "title": "Ingrid left",
                                              "status": "open", "contact_ids": [str(ingrid["contact_id"])]})  # fmt: skip

    risk = run_edit(qtbot, window, build).created_id
    qtbot.waitUntil(lambda: plan.risks.topLevelItemCount() == 7, timeout=TIMEOUT)
    plan.inner.setCurrentIndex(0)
    plan.swot["strength"].setCurrentRow(0)
    assert plan.delete_button.isEnabled()
    plan.inner.setCurrentIndex(3)
    assert not plan.delete_button.isEnabled()  # the SWOT item chosen before is not on this part

    row = next(
        plan.risks.topLevelItem(n)
        for n in range(7)
        if plan.risks.topLevelItem(n).data(0, RecordRole)[1] == risk
    )
    plan.risks.setFocus()
    plan.risks.setCurrentItem(row)
    qtbot.keyClick(plan.risks, Qt.Key.Key_Return)
    dialog = visible(qtbot, window, EditRecordDialog)
    people = dialog.form.editors["contact_ids"].widget
    ticked = [
        people.item(n).text()
        for n in range(people.count())
        if people.item(n).checkState() == Qt.CheckState.Checked
    ]
    assert ticked == ["Ingrid Dahl (left)"]
    dialog.close()
