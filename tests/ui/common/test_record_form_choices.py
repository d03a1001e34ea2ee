"""A list field limited to choices (a proposition's buying roles) is ticked from those choices, and what
is ticked is what the form gives to be saved."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget

from companion.core.changes import Record
from companion.ui.common.record_form import RecordForm


def test_buying_roles_are_ticked_from_their_choices(qtbot):
    form = RecordForm("proposition", ["title", "fit_roles"])
    qtbot.addWidget(form)
    form.load(
        Record(
            id="p1",
            kind="proposition",
            values={"title": "Sensors", "fit_roles": ["sponsor"]},
            created_at="",
            updated_at="",
        )
    )
    picks = form.findChild(QListWidget, "field_fit_roles")
    labels = [picks.item(row).text() for row in range(picks.count())]
    assert "Decision maker" in labels and "Economic buyer" in labels and len(labels) == 8
    ticked = [
        picks.item(r).text()
        for r in range(picks.count())
        if picks.item(r).checkState() == Qt.CheckState.Checked
    ]
    assert ticked == ["Sponsor"]

    with qtbot.waitSignal(form.sig_save_requested) as saved:
        picks.item(labels.index("Decision maker")).setCheckState(Qt.CheckState.Checked)
    assert saved.args == ["proposition", "p1", {"fit_roles": ["decision_maker", "sponsor"]}]
