"""The Portfolio page, walked as a person does: opened from its action, the clients ranked overall and then
by a perspective chosen in the list, a client opened on its Scorecard section with a double-click, the
ranking exported as CSV through the (patched) save dialog; and how it looks on a laptop screen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from companion.core.scorecard import portfolio, portfolio_csv
from tests.core.scorecard_records import ScorecardRecords
from tests.ui.helpers import TIMEOUT, answer_save, laptop_window, run_edit, wait_idle

TODAY = dt.date.today()
SHOTS_DIR = Path("/tmp/shots19")


def _day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def _three_clients(ws) -> dict[str, str]:
    """Fjord: customers happy, financials poor. Nordkyn: customers unhappy. Tromsø: nothing recorded."""
    data = ScorecardRecords()
    fjord = data.client("Fjord Drilling", status="active")
    nordkyn = data.client("Nordkyn Seafood", status="active")
    tromso = data.client("Tromso Harbour", status="active")
    for client, nps, theirs in ((fjord, 10, 5), (nordkyn, 2, 1)):
        person = data.person(client, f"Buyer at {client[:4]}")
        for offset in (-200, -100, -10):
            data.response(client, _day(offset), nps=nps, csat=5 if nps > 5 else 1, contact=person)
        data.review(client, _day(-30), ours=4, theirs=theirs)
    plan = data.plan(fjord)
    data.objective(plan, "financial", "off_track", "Grow the margin")
    data.write(ws)
    return {"fjord": fjord, "nordkyn": nordkyn, "tromso": tromso}


@pytest.fixture
def portfolio_page(qtbot, window):
    ids: dict[str, str] = {}

    def build(ws):
        ids.update(_three_clients(ws))
        return ws.update(kind="client", id=ids["tromso"], values={"industry": "Ports"})

    run_edit(qtbot, window, build)
    window.findChild(QAction, "portfolio").trigger()
    page = window.portfolio.page
    assert window.portfolio.showing()
    ranking = page.ranking
    qtbot.waitUntil(lambda: ranking.rows is not None, timeout=TIMEOUT)
    return window, ranking, ids


def _names(ranking) -> list[str]:
    table = ranking.table
    return [table.topLevelItem(n).text(1) for n in range(table.topLevelItemCount())]


def _choose(qtbot, combo, text: str) -> None:
    """Opens the list and clicks an entry, as a person does."""
    target = combo.findText(text)
    assert target >= 0, text
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=TIMEOUT)
    index = view.model().index(target, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=TIMEOUT)


def test_the_clients_are_ranked_overall_then_by_the_perspective_chosen(qtbot, portfolio_page):
    window, ranking, _ids = portfolio_page
    ws = window.worker.workspace
    assert _names(ranking) == [row.name for row in portfolio(ws)]
    assert _names(ranking)[-1] == "Tromso Harbour"  # no data: last
    first = ranking.table.topLevelItem(0)
    assert first.text(0) == "1"
    customer = ranking.table.headerItem().text(4)
    assert customer == "Customer"
    _choose(qtbot, ranking.by, "Customer")
    qtbot.waitUntil(
        lambda: ranking.rows is not None and ranking.chosen_perspective() == "customer", timeout=TIMEOUT
    )
    wait_idle(qtbot, window)
    assert _names(ranking) == ["Fjord Drilling", "Nordkyn Seafood", "Tromso Harbour"]
    assert ranking.table.topLevelItem(0).text(4).startswith("● Good")
    assert ranking.table.topLevelItem(1).text(4).startswith("● Poor")
    assert ranking.table.topLevelItem(2).text(4) == "● No data  —"
    assert "best first by customer" in ranking.summary.text()


def test_a_double_click_opens_the_clients_scorecard(qtbot, portfolio_page):
    window, ranking, ids = portfolio_page
    table = ranking.table
    row = _names(ranking).index("Nordkyn Seafood")
    rect = table.visualItemRect(table.topLevelItem(row))
    # A double click is a click and then the second press (QTest's double click is only the second).
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page = window.clients.page
    qtbot.waitUntil(lambda: window.clients.showing() and page.client_id == ids["nordkyn"], timeout=TIMEOUT)
    assert page.tabs.currentWidget() is page.scorecard
    qtbot.waitUntil(lambda: page.scorecard.section is not None, timeout=TIMEOUT)
    assert page.scorecard.perspectives.boxes["customer"].perspective.status == "poor"


def test_the_ranking_is_exported_as_csv_through_the_save_dialog(qtbot, portfolio_page, monkeypatch, tmp_path):
    window, ranking, _ids = portfolio_page
    target = tmp_path / "ranking.csv"
    asked = answer_save(monkeypatch, target)
    with qtbot.waitSignal(ranking.sig_exported, timeout=TIMEOUT):
        qtbot.mouseClick(ranking.csv_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and str(asked[0][2]).endswith("portfolio-overall.csv")
    text = target.read_text(encoding="utf-8")
    assert text == portfolio_csv(ranking.rows)
    assert text.splitlines()[1].startswith("1,Fjord Drilling,")
    assert "Saved" in window.statusBar().currentMessage()


def test_the_ranking_is_exported_as_a_pdf_read_back_in_words(qtbot, portfolio_page, monkeypatch, tmp_path):
    import subprocess

    window, ranking, _ids = portfolio_page
    _choose(qtbot, ranking.by, "Customer")
    qtbot.waitUntil(lambda: ranking.chosen_perspective() == "customer", timeout=TIMEOUT)
    wait_idle(qtbot, window)
    target = tmp_path / "ranking.pdf"
    asked = answer_save(monkeypatch, target, "PDF, Letter (*.pdf)")
    with qtbot.waitSignal(ranking.sig_exported, timeout=TIMEOUT):
        qtbot.mouseClick(ranking.pdf_button, Qt.MouseButton.LeftButton)
    assert str(asked[0][2]).endswith("portfolio-customer.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    # Ranked as on screen (a long name wraps in its column: its first word is enough).
    assert text.index("Fjord Drilling") < text.index("Nordkyn") < text.index("Tromso")
    assert "Customer" in text


def test_a_survey_opened_from_elsewhere_is_chosen_on_the_surveys_tab(qtbot, portfolio_page):
    window, _ranking, _ids = portfolio_page
    survey = window.worker.workspace.list(kind="survey")[0]
    window.show_home()
    window.open_record("survey", survey.id)
    page = window.portfolio.page
    qtbot.waitUntil(
        lambda: window.portfolio.showing() and page.tabs.currentWidget() is page.surveys, timeout=TIMEOUT
    )
    qtbot.waitUntil(lambda: page.surveys.current_id() == survey.id, timeout=TIMEOUT)
    assert page.tabs.tabText(1) == "Surveys"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_portfolio_page_on_a_laptop_screen(qtbot, workspace, tmp_path, scheme):
    from companion.core.demo import load_demo

    load_demo(workspace)
    _three_clients(workspace)
    workspace.create(
        kind="client",
        values={
            "name": "Sociedade Portuguesa de Logística Frigorífica e Distribuição Alimentar",
            "status": "active",
        },
    )
    SHOTS_DIR.mkdir(exist_ok=True)
    window = laptop_window(qtbot, workspace, tmp_path, scheme)
    try:
        window.portfolio.show()
        ranking = window.portfolio.page.ranking
        qtbot.waitUntil(lambda: ranking.rows is not None, timeout=TIMEOUT)
        wait_idle(qtbot, window)
        assert ranking.table.topLevelItemCount() == len(ranking.rows) >= 4
        qtbot.wait(50)
        window.grab().save(str(SHOTS_DIR / f"portfolio_{scheme}.png"))
        # The demo's survey, on the tab beside.
        window.portfolio.show("surveys")
        surveys = window.portfolio.page.surveys
        qtbot.waitUntil(lambda: surveys.list.topLevelItemCount() > 0, timeout=TIMEOUT)
        wait_idle(qtbot, window)
        qtbot.wait(50)
        window.grab().save(str(SHOTS_DIR / f"portfolio_surveys_{scheme}.png"))
    finally:
        window.worker.stop()
