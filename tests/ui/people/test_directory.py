"""The people directory: a search box (any spelling), title, client and phone columns, sortable columns."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tests.ui.helpers import TIMEOUT, run_edit


def _people(ws):
    clients = {
        name: ws.create(kind="client", values={"name": name}).created_id
        for name in ("Halvorsen Offshore", "Aurora Retail")
    }
    for name, title, client, phone in (
        ("Bjørn Haugland", "CFO", "Halvorsen Offshore", "+47 51 84 20 31"),
        ("Ingrid Dahl", "CEO", "Halvorsen Offshore", None),
        ("Zoë Lindqvist", "Buyer", "Aurora Retail", None),
    ):
        contact = ws.create(kind="contact", values={"name": name}).created_id
        ws.create(
            kind="position",
            values={"contact_id": contact, "client_id": clients[client], "title": title, "work_phone": phone},
        )
    return ws.create(kind="contact", values={"name": "Nobody Employed"})


def _column(model, column):
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_the_directory_finds_people_by_any_spelling_and_sorts_by_client(qtbot, window, qtmodeltester):
    run_edit(qtbot, window, _people)
    window.people.action.trigger()
    directory = window.people.directory
    model = directory.model
    qtbot.waitUntil(lambda: model.rowCount() == 4 and model.index(0, 1).data() is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: _column(model, 0)[0] == "Bjørn Haugland", timeout=TIMEOUT)
    assert _column(model, 1)[:3] == ["CFO", "CEO", ""]
    assert _column(model, 2)[0] == "Halvorsen Offshore" and _column(model, 3)[0] == "+47 51 84 20 31"

    with qtbot.waitSignal(model.sig_counted, timeout=TIMEOUT):
        qtbot.keyClicks(directory.search, "bjorn")
    qtbot.waitUntil(lambda: _column(model, 0) == ["Bjørn Haugland"], timeout=TIMEOUT)
    directory.search.clear()
    qtbot.waitUntil(lambda: model.rowCount() == 4, timeout=TIMEOUT)

    header = directory.table.horizontalHeader()
    point = QPoint(header.sectionViewportPosition(2) + 5, header.height() // 2)  # the Client heading
    with qtbot.waitSignal(model.sig_counted, timeout=TIMEOUT):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: _column(model, 2)[0] == "Aurora Retail", timeout=TIMEOUT)
    assert _column(model, 2)[-1] == "", "people without a client come last"
    qtmodeltester.check(model)


def test_a_person_chosen_in_the_table_is_marked_in_the_org_chart_and_the_map(qtbot, window):
    run_edit(qtbot, window, _people)
    ws = window.worker.workspace
    client = next(c.id for c in ws.list(kind="client") if c["name"] == "Halvorsen Offshore")
    window.open_client(client, "people")
    people = window.clients.page.people
    qtbot.waitUntil(lambda: people.model.rowCount() == 2, timeout=TIMEOUT)
    ingrid = next(
        people.proxy.index(row, 0) for row in range(2) if people.proxy.index(row, 0).data() == "Ingrid Dahl"
    )
    people.table.setFocus()
    people.table.setCurrentIndex(ingrid)
    contact = ingrid.data(people.model.ContactIdRole)
    qtbot.waitUntil(lambda: people.card.contact_id == contact, timeout=TIMEOUT)
    assert people.org_chart.item_for_contact(contact).isSelected()
    assert people.relationship_map.item_for_contact(contact).isSelected()
