"""The Sales page's Campaigns: each with its progress (targets by status); new ones draw their targets."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QTreeWidgetItem, QVBoxLayout, QWidget

from companion.core.markdown import flat
from companion.model.kinds import TARGET_STATUSES
from companion.model.labels import choice_label
from companion.ui.common.edits import EditController
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.record_dialog import NewRecordDialog
from companion.ui.common.widgets import button_bar, empty_state, tree
from companion.ui.sales import operations
from companion.ui.sales.pictures import BAR_SIZE, progress_bar, progress_words, status_legend
from companion.ui.sales.tab import SalesTab

CAMPAIGN_FIELDS = (
    "name",
    "proposition_id",
    "cohort_id",
    "owner_id",
    "starts",
    "ends",
    "status",
    "talk_track",
)


class NewCampaignDialog(NewRecordDialog):
    """A new campaign's form, and the offer to draw its targets as soon as it is saved."""

    def __init__(self, edits: EditController, **kwargs):
        super().__init__(edits, "campaign", fields=CAMPAIGN_FIELDS, **kwargs)
        self.draw = QCheckBox(self.tr("Draw its targets right away (the cohort's buying roles, ranked)"))
        self.draw.setChecked(True)
        layout = self.layout()
        layout.insertWidget(layout.count() - 2, self.draw)

    def _on_buttons_accepted(self) -> None:
        if not self.draw.isChecked():
            super()._on_buttons_accepted()
            return
        values = self.form.collect()
        if values is not None:  # the campaign and its targets: one change, one undo
            self.save(partial(operations.start_campaign, values={**self.fixed, **values}))


class CampaignsTab(SalesTab):
    """Campaigns with their progress; New campaign…, Edit…, Draw targets again, Open work list."""

    sig_new_requested = Signal()
    sig_edit_requested = Signal(str)
    sig_work_list_requested = Signal(str)
    """The person wants the campaign's work list beside the page (its id)."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(edits, parent)
        self.campaigns: operations.CampaignList | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.new_button = QPushButton(self.tr("New campaign…"))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.draw_button = QPushButton(self.tr("Draw targets"))
        self.draw_button.setToolTip(
            self.tr("Adds the cohort's people not yet targeted; targets already drawn stay as they are")
        )
        self.work_list_button = QPushButton(self.tr("Open work list"))
        self.work_list_button.setToolTip(self.tr("Work through its targets beside the page"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addLayout(
            button_bar(self.new_button, self.edit_button, self.draw_button, self.work_list_button)
        )
        self.list = tree(
            self.tr("Campaigns"),
            [self.tr("Campaign"), self.tr("Proposition"), self.tr("Cohort"), self.tr("Owner"), self.tr("Runs"),
             self.tr("Status"), self.tr("Approached")],
            (190, 160, 120, 110, 100, 70),
        )  # fmt: skip
        self.list.setIconSize(BAR_SIZE)
        layout.addWidget(self.list, 1)
        self.empty = empty_state(
            self.tr(
                "No campaigns yet.\nA campaign pitches one proposition to every decision maker of one cohort. "
                "New campaign… picks them and draws whom to approach."
            )
        )
        layout.addWidget(self.empty, 1)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setProperty("role", "muted")
        self.legend.setWordWrap(True)
        self.legend.setAccessibleName(self.tr("What the progress bar's colours mean"))
        layout.addWidget(self.legend)
        self.talk_track = QLabel()
        self.talk_track.setTextFormat(Qt.TextFormat.MarkdownText)
        self.talk_track.setWordWrap(True)
        self.talk_track.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.talk_track.setAccessibleName(self.tr("The campaign's talk track"))
        layout.addWidget(self.talk_track)

    def _connect_signals(self) -> None:
        self.new_button.clicked.connect(self.sig_new_requested)
        self.edit_button.clicked.connect(lambda: self._emit_chosen(self.sig_edit_requested))
        self.draw_button.clicked.connect(self._on_draw_clicked)
        self.work_list_button.clicked.connect(lambda: self._emit_chosen(self.sig_work_list_requested))
        self.list.currentItemChanged.connect(lambda _now, _before: self._on_selection_changed())
        self.list.itemActivated.connect(
            lambda _item, _column: self._emit_chosen(self.sig_work_list_requested)
        )

    def load_job(self):
        return operations.load_campaigns

    def show_data(self, campaigns: operations.CampaignList) -> None:
        self.campaigns = campaigns
        self.legend.setText(status_legend({s: self.tr(choice_label(s)) for s in TARGET_STATUSES}))
        self.legend.setVisible(bool(campaigns.campaigns))
        self.fill_list(campaigns.campaigns, self._item)

    def _item(self, row: operations.CampaignRow) -> QTreeWidgetItem:
        record = row.record
        runs = " – ".join(str(record[d]) if record[d] else "…" for d in ("starts", "ends"))
        item = QTreeWidgetItem(
            [str(record["name"]), row.proposition, row.cohort, row.owner,
             runs if record["starts"] or record["ends"] else "", self.tr(choice_label(str(record["status"]))),
             self._progress_caption(row.progress)]
        )  # fmt: skip
        item.setData(0, RecordRole, ("campaign", record.id))
        item.setToolTip(0, str(record["name"]))
        item.setIcon(6, QIcon(progress_bar(row.progress, dpr=self.devicePixelRatioF())))
        item.setToolTip(6, progress_words(row.progress))
        return item

    def _progress_caption(self, counts: dict[str, int]) -> str:
        total = sum(counts.values())
        if not total:
            return self.tr("no targets")
        done = total - counts.get("to_approach", 0)
        return self.tr("{0} of {1}").format(done, total)

    def _on_selection_changed(self) -> None:
        row = self.current_row()
        for button in (self.edit_button, self.draw_button, self.work_list_button):
            button.setEnabled(row is not None)
        track = row.record["talk_track"] if row is not None else None
        self.talk_track.setText(self.tr("**Talk track:** {0}").format(flat(str(track))) if track else "")
        self.talk_track.setVisible(bool(track))

    def _emit_chosen(self, signal) -> None:
        chosen = self.current_id()
        if chosen:
            signal.emit(chosen)

    def _on_draw_clicked(self) -> None:
        chosen = self.current_id()
        if chosen:
            self.edits.run(partial(operations.draw_targets, campaign_id=chosen))
