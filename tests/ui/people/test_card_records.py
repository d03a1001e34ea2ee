"""A person's roles and relationships are records on their contact card: added, edited, deleted and undone
there, through the real buttons and keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from companion.ui.common.edit_dialog import EditRecordDialog
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.record_dialog import NewRecordDialog
from tests.ui.helpers import TIMEOUT, run_edit, visible, wait_idle


def _two_people(window):
    def build(ws):
        client = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
        other = ws.create(kind="client", values={"name": "Nordlys Energi"}).created_id
        ingrid = ws.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
        bjorn = ws.create(kind="contact", values={"name": "Bjørn Haugland"}).created_id
        ws.create(kind="position", values={"contact_id": ingrid, "client_id": client, "title": "CFO"})
        ws.create(kind="position", values={"contact_id": bjorn, "client_id": client, "title": "CEO"})
        earlier = ws.create(
            kind="position",
            values={"contact_id": ingrid, "client_id": other, "title": "Controller", "ended": "2024-05-31"},
        ).created_id
        window.test_ids = {"client": client, "ingrid": ingrid, "bjorn": bjorn, "earlier": earlier}
        return ws.update(kind="client", id=client, values={"industry": "Energy"})

    return build


def _records(card) -> dict[tuple[str, str], str]:
    found = {}
    for g in range(card.records.topLevelItemCount()):
        group = card.records.topLevelItem(g)
        for c in range(group.childCount()):
            item = group.child(c)
            if item.data(0, RecordRole):
                found[tuple(item.data(0, RecordRole))] = item.text(0)
    return found


def _item(card, target):
    for g in range(card.records.topLevelItemCount()):
        group = card.records.topLevelItem(g)
        for c in range(group.childCount()):
            if group.child(c).data(0, RecordRole) == target:
                return group.child(c)
    raise AssertionError(f"{target} not on the card")


def test_a_relationship_is_added_edited_and_deleted_on_the_card(qtbot, window, monkeypatch):
    run_edit(qtbot, window, _two_people(window))
    ids = window.test_ids
    window.open_client(ids["client"], "people")
    page = window.clients.page
    qtbot.waitUntil(lambda: page.people.model.rowCount() == 2, timeout=TIMEOUT)
    page.show_person(ids["ingrid"])
    card = page.people.card
    qtbot.waitUntil(lambda: ("position", ids["earlier"]) in _records(card), timeout=TIMEOUT)
    assert "Controller — Nordlys Energi (… – 2024-05-31) · past" in _records(card).values()

    qtbot.mouseClick(card.relate_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    other = dialog.form.editors["to_contact_id"].widget
    assert [other.itemText(i) for i in range(other.count()) if other.itemData(i)] == ["Bjørn Haugland"]
    other.setCurrentIndex(other.findData(ids["bjorn"]))
    kind = dialog.form.editors["type"].widget
    kind.setCurrentIndex(kind.findData("mentor"))
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    wait_idle(qtbot, window)
    (tie,) = window.worker.workspace.list(kind="relationship")
    assert (tie["from_contact_id"], tie["to_contact_id"], tie["type"]) == (
        ids["ingrid"],
        ids["bjorn"],
        "mentor",
    )
    qtbot.waitUntil(
        lambda: _records(card).get(("relationship", tie.id)) == "Mentor to Bjørn Haugland", timeout=TIMEOUT
    )

    # Bjørn's card reads it from his side.
    page.show_person(ids["bjorn"])
    qtbot.waitUntil(
        lambda: _records(card).get(("relationship", tie.id)) == "Mentored by Ingrid Dahl", timeout=TIMEOUT
    )

    card.records.setCurrentItem(_item(card, ("relationship", tie.id)))
    card.records.setFocus()
    qtbot.keyClick(card.records, Qt.Key.Key_Return)
    form = visible(qtbot, window, EditRecordDialog)
    qtbot.waitUntil(form.form.isEnabled, timeout=TIMEOUT)
    assert "to_contact_id" not in form.form.editors  # who it is between is what it is
    notes = form.form.editors["notes"].widget
    notes.setFocus()
    qtbot.keyClicks(notes, "Met at NTNU")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        form.close()  # leaving the form saves what was typed
    wait_idle(qtbot, window)
    assert window.worker.workspace.get(kind="relationship", id=tie.id)["notes"] == "Met at NTNU"
    qtbot.waitUntil(
        lambda: _records(card).get(("relationship", tie.id)) == "Mentored by Ingrid Dahl: Met at NTNU",
        timeout=TIMEOUT,
    )

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    card.records.setCurrentItem(_item(card, ("relationship", tie.id)))
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.keyClick(card.records, Qt.Key.Key_Delete)
    wait_idle(qtbot, window)
    assert window.worker.workspace.list(kind="relationship") == []
    qtbot.waitUntil(lambda: ("relationship", tie.id) not in _records(card), timeout=TIMEOUT)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    assert [r.id for r in window.worker.workspace.list(kind="relationship")] == [tie.id]
    assert window.statusBar().currentMessage().startswith("Undone: ")


def test_a_past_role_elsewhere_is_corrected_from_the_card(qtbot, window):
    run_edit(qtbot, window, _two_people(window))
    ids = window.test_ids
    window.open_client(ids["client"], "people")
    page = window.clients.page
    page.show_person(ids["ingrid"])
    card = page.people.card
    qtbot.waitUntil(lambda: ("position", ids["earlier"]) in _records(card), timeout=TIMEOUT)
    item = _item(card, ("position", ids["earlier"]))
    card.records.scrollToItem(item)
    rect = card.records.visualItemRect(item)
    assert rect.isValid()
    # (a double-click opens what was pressed: the press comes first, as from a real mouse)
    qtbot.mouseClick(card.records.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(card.records.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    form = visible(qtbot, window, EditRecordDialog)
    qtbot.waitUntil(form.form.isEnabled, timeout=TIMEOUT)
    # This client's sub-groups, sites and people are no choices for a role at another client.
    assert {"sub_group_id", "reports_to_id", "site_id"}.isdisjoint(form.form.editors)
    title = form.form.editors["title"].widget
    title.selectAll()
    qtbot.keyClicks(title, "Group controller")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.keyClick(title, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert window.worker.workspace.get(kind="position", id=ids["earlier"])["title"] == "Group controller"
    form.close()
