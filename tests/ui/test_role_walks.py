"""A walk per role through the real window on the demo workspace: every kind the role keeps current is
edited where it is shown (keys and clicks), the stored value read back through the services, then undone
with Edit → Undo and read back again."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QInputDialog, QWidget

from companion.core.demo import load_demo
from companion.model.kinds import get_kind
from companion.model.labels import choice_label
from companion.ui.common.edit_dialog import EditRecordDialog
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.record_dialog import NewRecordDialog
from companion.ui.meetings.templates_dialog import TemplatesDialog
from companion.ui.team.dialog import TeamDialog
from tests.ui.helpers import TIMEOUT, run_edit, visible, wait_idle


@pytest.fixture
def demo(qtbot, window):
    run_edit(qtbot, window, load_demo)
    ws = window.worker.workspace
    client = next(c for c in ws.list(kind="client") if str(c["name"]).startswith("Halvorsen Offshore"))
    return window, ws, client.id


def _stored(ws, kind: str, record_id: str, field: str):
    return ws.get(kind=kind, id=record_id)[field]


def _edit_then_undo(qtbot, window, kind: str, record_id: str, field: str, edit: Callable[[], None]) -> None:
    """Runs an edit made in the window, checks it was stored, undoes it and checks it is gone."""
    ws = window.worker.workspace
    before = _stored(ws, kind, record_id, field)
    with qtbot.waitSignal(window.edits.sig_done, timeout=TIMEOUT):
        edit()
    wait_idle(qtbot, window)
    after = _stored(ws, kind, record_id, field)
    assert after != before, f"{kind}.{field} was not changed from the window"
    with qtbot.waitSignal(window.edits.sig_done, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    assert _stored(ws, kind, record_id, field) == before, f"{kind}.{field} was not undone"
    assert window.statusBar().currentMessage().startswith("Undone: ")


def _retype(qtbot, widget, text: str) -> None:
    """Replaces a line's text as a person does, and presses Return (which saves it)."""
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def _next_choice(qtbot, combo: QComboBox) -> None:
    """Moves a choice by one with the arrow keys (which saves it)."""
    combo.setFocus()
    key = Qt.Key.Key_Down if combo.currentIndex() < combo.count() - 1 else Qt.Key.Key_Up
    qtbot.keyClick(combo, key)


def _find(model, target: tuple[str, str], parent: QModelIndex | None = None) -> QModelIndex | None:
    parent = parent or QModelIndex()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        shown = index.data(RecordRole)
        if shown is not None and shown[0] == target[0] and target[1] in ("", shown[1]):
            return index
        found = _find(model, target, index)
        if found is not None:
            return found
    return None


def _checklist_item(model, item_id: str | None = None) -> QModelIndex | None:
    """A ticking row of a meeting's checklist (the first, or the one with this id)."""
    for group in range(model.rowCount()):
        heading = model.index(group, 0)
        for row in range(model.rowCount(heading)):
            index = model.index(row, 0, heading)
            if index.data(model.IdRole) and item_id in (None, index.data(model.IdRole)):
                return index
    return None


def _open_by_keys(qtbot, window, view, kind: str) -> tuple[str, None]:
    """Puts the cursor on the first record of a kind in a view and presses Enter: its form opens."""
    qtbot.waitUntil(lambda: _find(view.model(), (kind, "")) is not None, timeout=TIMEOUT)
    index = _find(view.model(), (kind, ""))
    view.setCurrentIndex(index)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    return tuple(index.data(RecordRole))[1], None


def _dialog_edit(qtbot, window, view, kind: str, field: str, change) -> None:
    record_id, _ = _open_by_keys(qtbot, window, view, kind)
    dialog = visible(qtbot, window, EditRecordDialog)

    def edit() -> None:
        change(dialog.form.editors[field].widget)

    _edit_then_undo(qtbot, window, kind, record_id, field, edit)
    dialog.close()


def test_an_account_manager_after_a_visit_keeps_every_record_current(qtbot, demo):
    window, ws, client = demo
    window.open_client(client, "overview")
    page = window.clients.page
    qtbot.waitUntil(lambda: page.page is not None and page.people.model.rowCount() > 2, timeout=TIMEOUT)

    # The client: the Overview's Edit switch, then its form.
    qtbot.mouseClick(page.overview.edit_button, Qt.MouseButton.LeftButton)
    industry = page.overview.form.editors["industry"].widget
    _edit_then_undo(
        qtbot, window, "client", client, "industry", lambda: _retype(qtbot, industry, "Offshore wind")
    )

    # A role: stance changed in place in the People table.
    page.show_section("people")
    table = page.people.table
    stance_index = page.people.proxy.index(0, 4)
    position_id = stance_index.data(RecordRole)[1]
    current = _stored(ws, "position", position_id, "stance")
    wanted = next(c for c in get_kind("position").field("stance").choices if c != current)

    def change_stance() -> None:
        table.setCurrentIndex(stance_index)
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_F2)
        combo = table.findChild(QComboBox)
        combo.hidePopup()
        qtbot.keyClicks(combo, choice_label(wanted))

    _edit_then_undo(qtbot, window, "position", position_id, "stance", change_stance)

    # The person: Edit person… on their card.
    contact_id = page.people.proxy.index(0, 0).data(page.people.model.ContactIdRole)
    page.show_person(contact_id)
    card = page.people.card
    qtbot.waitUntil(lambda: card.contact_id == contact_id, timeout=TIMEOUT)
    qtbot.mouseClick(card.edit_button, Qt.MouseButton.LeftButton)
    person = visible(qtbot, window, EditRecordDialog)
    best = person.form.editors["best_times"].widget
    _edit_then_undo(
        qtbot, window, "contact", contact_id, "best_times", lambda: _retype(qtbot, best, "Fridays")
    )
    person.close()

    # A relationship: Enter on it in the card's list.
    with_ties = next(
        r
        for r in ws.list(kind="relationship")
        if r["from_contact_id"] in {p.contact.id for p in page.page.people}
    )
    page.show_person(str(with_ties["from_contact_id"]))
    qtbot.waitUntil(lambda: card.contact_id == str(with_ties["from_contact_id"]), timeout=TIMEOUT)
    _dialog_edit(qtbot, window, card.records, "relationship", "type", lambda w: _next_choice(qtbot, w))

    # A sub-group, a do or don't, a note, an interaction: Enter on each in its section, then its form.
    page.show_section("culture")
    _dialog_edit(
        qtbot, window, page.culture.sub_groups, "sub_group", "name", lambda w: _retype(qtbot, w, "Drilling")
    )
    page.show_section("guidelines")
    _dialog_edit(
        qtbot, window, page.guidelines.tree, "guideline", "severity", lambda w: _next_choice(qtbot, w)
    )
    page.show_section("notes")
    _dialog_edit(qtbot, window, page.notes.list, "note", "privacy", lambda w: _next_choice(qtbot, w))
    page.show_section("activity")
    _dialog_edit(
        qtbot, window, page.activity.tree, "interaction", "sentiment", lambda w: _next_choice(qtbot, w)
    )

    # A follow-up: ticked done in place with the space bar.
    tree = page.activity.tree
    qtbot.waitUntil(lambda: _find(tree.model(), ("follow_up", "")) is not None, timeout=TIMEOUT)
    follow_index = _find(tree.model(), ("follow_up", ""))
    follow_up = follow_index.data(RecordRole)[1]

    def tick_follow_up() -> None:
        tree.setCurrentIndex(_find(tree.model(), ("follow_up", follow_up)))
        tree.setFocus()
        qtbot.keyClick(tree, Qt.Key.Key_Space)

    _edit_then_undo(qtbot, window, "follow_up", follow_up, "done", tick_follow_up)

    # A site: chosen in its list, corrected in the form beside it.
    page.show_section("sites")
    page.sites.list.setCurrentRow(0)
    site_id = page.sites.list.currentItem().data(RecordRole)[1]
    site_name = page.sites.form.editors["name"].widget
    _edit_then_undo(qtbot, window, "site", site_id, "name", lambda: _retype(qtbot, site_name, "Forus campus"))

    # A meeting: Enter opens its page, where its details and its checklist are kept.
    page.show_section("meetings")
    meeting_id, _ = _open_by_keys(qtbot, window, page.meetings.records, "meeting")
    meeting = window.meetings.page
    qtbot.waitUntil(
        lambda: window.stack.currentWidget() is meeting and meeting.page is not None, timeout=TIMEOUT
    )
    title = meeting.form.editors["title"].widget
    _edit_then_undo(
        qtbot, window, "meeting", meeting_id, "title", lambda: _retype(qtbot, title, "Quarterly review")
    )
    meeting.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: _checklist_item(meeting.model) is not None, timeout=TIMEOUT)
    item_id = _checklist_item(meeting.model).data(meeting.model.IdRole)

    def tick_item() -> None:
        meeting.tree.setCurrentIndex(_checklist_item(meeting.model, item_id))
        meeting.tree.setFocus()
        qtbot.keyClick(meeting.tree, Qt.Key.Key_Space)

    _edit_then_undo(qtbot, window, "meeting_checklist_item", item_id, "done", tick_item)


def test_new_staff_add_themselves_read_a_pack_and_sign_it_off(qtbot, demo, monkeypatch):
    window, ws, client = demo
    window.open_pack(client)
    reader = window.induction.reader
    qtbot.waitUntil(lambda: reader.view is not None and reader.contents.count() > 3, timeout=TIMEOUT)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Noor Hansen", True)))
    with qtbot.waitSignal(window.edits.sig_done, timeout=TIMEOUT):
        qtbot.mouseClick(reader.add_me_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    noor = next(c for c in ws.list(kind="colleague") if c["name"] == "Noor Hansen")
    qtbot.waitUntil(lambda: reader.reader.currentText() == "Noor Hansen", timeout=TIMEOUT)

    now = [1000.0]
    reader.clock = lambda: now[0]
    bar = reader.text.verticalScrollBar()
    bar.setValue(bar.maximum())
    bar.setValue(0)
    for value in range(bar.pageStep() // 2, bar.maximum() + bar.pageStep(), bar.pageStep() // 2):
        now[0] += 600
        bar.setValue(value)
    now[0] += 600
    qtbot.waitUntil(reader.sign_button.isEnabled, timeout=TIMEOUT)
    with qtbot.waitSignal(window.edits.sig_done, timeout=TIMEOUT):
        qtbot.mouseClick(reader.sign_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    (signed,) = ws.list(kind="pack_signoff", where={"colleague_id": noor.id})
    assert signed["client_id"] == client
    with qtbot.waitSignal(window.edits.sig_done, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    assert ws.list(kind="pack_signoff", where={"colleague_id": noor.id}) == []
    assert window.statusBar().currentMessage().startswith("Undone: ")


def test_an_admin_keeps_the_team_and_the_checklist_templates(qtbot, demo):
    window, ws, _client = demo

    # The team: a colleague corrected from Edit → Team…
    window.team.team_action.trigger()
    team = visible(qtbot, window, TeamDialog)
    qtbot.waitUntil(lambda: team.list.count() >= 5, timeout=TIMEOUT)
    team.list.setCurrentRow(0)
    colleague = team.list.currentItem().data(RecordRole)[1]
    qtbot.mouseClick(team.edit_button, Qt.MouseButton.LeftButton)
    form = visible(qtbot, team, EditRecordDialog)
    role = form.form.editors["role"].widget
    _edit_then_undo(
        qtbot, window, "colleague", colleague, "role", lambda: _retype(qtbot, role, "Key account director")
    )
    form.close()
    qtbot.mouseClick(team.buttons.button(QDialogButtonBox.StandardButton.Close), Qt.MouseButton.LeftButton)
    assert not any(isinstance(w, NewRecordDialog) and w.isVisible() for w in team.findChildren(QWidget))

    # A checklist template renamed, and an item added to it, from Meetings → Checklist templates…
    window.meetings.templates_action.trigger()
    templates = visible(qtbot, window, TemplatesDialog)
    qtbot.waitUntil(lambda: templates.list.count() > 0, timeout=TIMEOUT)
    templates.list.setCurrentRow(0)
    template = templates.current_template()
    name = templates.form.editors["name"].widget
    _edit_then_undo(
        qtbot,
        window,
        "checklist_template",
        template.id,
        "name",
        lambda: _retype(qtbot, name, "Site visit, offshore"),
    )
    count = len(ws.list(kind="checklist_template_item", where={"template_id": template.id}))
    templates.new_item.setFocus()
    qtbot.keyClicks(templates.new_item, "Bring the survival suit certificate")
    with qtbot.waitSignal(window.edits.sig_done, timeout=TIMEOUT):
        qtbot.mouseClick(templates.add_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    items = ws.list(kind="checklist_template_item", where={"template_id": template.id})
    assert len(items) == count + 1 and "Bring the survival suit certificate" in {i["text"] for i in items}
    with qtbot.waitSignal(window.edits.sig_done, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    assert len(ws.list(kind="checklist_template_item", where={"template_id": template.id})) == count
