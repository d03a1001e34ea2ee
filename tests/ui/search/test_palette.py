"""The search palette on the real window: each result says what tells it apart, muted beside its title."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from companion.core.demo import load_demo
from companion.ui.common import theme
from companion.ui.common.worker import DbWorker
from companion.ui.search.palette import PARTS_ROLE
from companion.ui.shell.main_window import MainWindow
from tests.ui.helpers import SHOTS, TIMEOUT, run_edit, wait_idle


def _type(qtbot, palette, text):
    with qtbot.waitSignal(
        palette.sig_results_shown, timeout=TIMEOUT, check_params_cb=lambda shown: shown == text
    ):
        qtbot.keyClicks(palette.input, text)


def _rows(palette):
    items = [palette.results.item(row) for row in range(palette.results.count())]
    return [tuple(i.data(PARTS_ROLE)) for i in items]


def _two_anas(ws):
    halvorsen = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    aurora = ws.create(kind="client", values={"name": "Aurora Retail"}).created_id
    for client, title in ((halvorsen, "CFO"), (aurora, "Head of Stores")):
        person = ws.create(kind="contact", values={"name": "Ana Andersen"}).created_id
        ws.create(kind="position", values={"contact_id": person, "client_id": client, "title": title})
    return ws.create(kind="site", values={"client_id": aurora, "name": "Anaheim depot"})


def _has_color(image: QImage, color: QColor, left: int, right: int, top: int, bottom: int) -> bool:
    """Whether a pixel of the area is (nearly) this colour: text drawn in it."""
    for y in range(top, bottom):
        for x in range(left, right):
            pixel = image.pixelColor(x, y)
            if (
                max(
                    abs(pixel.red() - color.red()),
                    abs(pixel.green() - color.green()),
                    abs(pixel.blue() - color.blue()),
                )
                < 12
            ):
                return True
    return False


def test_results_tell_people_of_one_name_apart(qtbot, window):
    run_edit(qtbot, window, _two_anas)
    window.search.action.trigger()
    palette = window.search.palette
    _type(qtbot, palette, "ana")
    assert sorted(_rows(palette)) == [
        ("Contact", "Ana Andersen", "CFO, Halvorsen Offshore"),
        ("Contact", "Ana Andersen", "Head of Stores, Aurora Retail"),
        ("Site", "Anaheim depot", "Aurora Retail"),
    ]
    # What a screen reader says: the whole line.
    texts = {palette.results.item(row).text() for row in range(palette.results.count())}
    assert "Contact · Ana Andersen — CFO, Halvorsen Offshore" in texts
    assert palette.results.item(0).toolTip().startswith("Ana Andersen\n")
    # Positions carry their person and client; a folded spelling finds the same people.
    palette.input.clear()
    _type(qtbot, palette, "cfo")
    assert _rows(palette) == [("Position", "CFO", "Ana Andersen, Halvorsen Offshore")]
    palette.input.clear()
    _type(qtbot, palette, "ÅNA")
    assert len(_rows(palette)) == 3


def test_context_is_drawn_muted_after_the_title(qtbot, window):
    long_title = "Ana " + " ".join(["Wolfeschlegelsteinhausenbergerdorff"] * 4)

    def build(ws):
        client = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
        people = [
            ws.create(kind="contact", values={"name": name}).created_id
            for name in ("Ana Andersen", long_title)
        ]
        ws.create(kind="position", values={"contact_id": people[0], "client_id": client, "title": "CFO"})
        return ws.create(
            kind="position", values={"contact_id": people[1], "client_id": client, "title": "CFO"}
        )

    run_edit(qtbot, window, build)
    window.search.action.trigger()
    palette = window.search.palette
    _type(qtbot, palette, "ana")
    qtbot.wait(50)
    image = palette.results.viewport().grab().toImage()
    muted = theme.muted_text_color()
    width = palette.results.viewport().width()
    for row in range(palette.results.count()):
        rect = palette.results.visualItemRect(palette.results.item(row))
        if palette.results.item(row).isSelected():
            continue
        # The kind at the left and the context at the right are muted, even beside a title too long to show whole.
        assert _has_color(image, muted, rect.left(), rect.left() + 40, rect.top(), rect.bottom())
        assert _has_color(image, muted, width * 2 // 3, width - 4, rect.top(), rect.bottom())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshot_of_results_with_context(qtbot, workspace, tmp_path, scheme):
    """screenshots/palette-context-<scheme>.png: the palette over the window, at 1366×768."""
    app = QApplication.instance()
    before = theme.manager().requested_scheme()
    theme.apply(app, scheme)
    load_demo(workspace)
    # A second Ingrid Dahl, elsewhere: the palette must tell the two apart.
    client = next(c.id for c in workspace.list(kind="client") if c["name"].startswith("Van Rijn"))
    person = workspace.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
    workspace.create(
        kind="position",
        values={"contact_id": person, "client_id": client, "title": "Head of Customer Service"},
    )
    worker = DbWorker(workspace)
    window = MainWindow(worker, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    try:
        with qtbot.waitSignal(window.sig_ready, timeout=TIMEOUT):
            window.show()
        qtbot.waitUntil(lambda: window.settled, timeout=TIMEOUT)
        window.search.open_palette()
        palette = window.search.palette
        _type(qtbot, palette, "ingrid")
        wait_idle(qtbot, window)
        qtbot.wait(50)
        assert sum(1 for _kind, title, context in _rows(palette) if title == "Ingrid Dahl" and context) == 2
        # The palette is a window of its own: drawn over the main window where it opens, centred.
        shot = window.grab()
        painter = QPainter(shot)
        painter.fillRect(shot.rect(), QColor(0, 0, 0, 60))
        at = QPoint((shot.width() - palette.width()) // 2, 90)
        painter.drawPixmap(at, palette.grab())
        painter.setPen(theme.muted_text_color())  # where the window manager draws the dialog's frame
        painter.drawRect(at.x() - 1, at.y() - 1, palette.width() + 1, palette.height() + 1)
        painter.end()
        SHOTS.mkdir(exist_ok=True)
        path = SHOTS / f"palette-context-{scheme}.png"
        assert shot.save(str(path))
        assert QImage(str(path)).width() == 1366
        palette.hide()
    finally:
        window.close()
        worker.stop()
        theme.apply(app, before)


def test_a_result_opens_for_editing_where_it_is_listed(qtbot, window):
    from PySide6.QtCore import Qt

    from companion.ui.common.edit_dialog import EditRecordDialog
    from companion.ui.common.record_actions import RecordRole

    def build(ws):
        client = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
        return ws.create(
            kind="note",
            values={"client_id": client, "title": "Budget", "body": "Frozen until March", "privacy": "team"},
        )

    note = run_edit(qtbot, window, build).created_id
    window.search.action.trigger()
    palette = window.search.palette
    _type(qtbot, palette, "frozen")
    qtbot.keyClick(palette.input, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in window.findChildren(EditRecordDialog)), timeout=TIMEOUT
    )
    dialog = next(d for d in window.findChildren(EditRecordDialog) if d.isVisible())
    qtbot.waitUntil(dialog.form.isEnabled, timeout=TIMEOUT)
    notes = window.clients.page.notes
    assert window.clients.page.tabs.currentWidget() is notes
    assert notes.list.currentItem().data(RecordRole) == ("note", note)
    body = dialog.form.editors["body"].widget
    body.setFocus()
    body.moveCursor(body.textCursor().MoveOperation.End)
    qtbot.keyClicks(body, " at least")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        dialog.close()
    wait_idle(qtbot, window)
    assert window.worker.workspace.get(kind="note", id=note)["body"] == "Frozen until March at least"
