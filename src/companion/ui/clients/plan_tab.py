"""The client page's Plan section: strategy and SWOT, objectives with measures, actions, risks, contracts, competitors."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.account_plan import (
    QUADRANT_TITLES,
    MeasureView,
    PlanSection,
    amount,
    is_high,
    is_open_risk,
    notice_is_near,
    risk_score,
)
from companion.model.kinds import SWOT_QUADRANTS, get_kind
from companion.model.labels import choice_label
from companion.render.links import set_safe_markdown
from companion.ui.clients.plan_charts import SPARKLINE_SIZE, RiskGrid, risk_level, sparkline
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.theme import level_color, muted_text_color
from companion.ui.common.wrapping_delegate import WrappingDelegate

# What a new record of each kind may be added to from this section, as (button text, kind).
PLAN_FIELDS = {
    "account_plan": (
        "title", "status", "type", "period_from", "period_to", "next_review", "strategy", "shared", "shared_with_ids",
    ),
    "swot_item": ("quadrant", "text", "about", "candid"),
    "objective": ("title", "perspective", "status", "owner_id", "stakeholder_id", "due"),
    "measure": ("name", "unit", "currency", "direction", "baseline", "target"),
    "measure_reading": ("date", "value", "note"),
    "action": ("text", "objective_id", "risk_id", "owner_id", "contact_id", "due", "done"),
    "risk": (
        "title", "category", "status", "likelihood", "impact", "owner_id", "contact_ids", "competitor_id",
        "next_review", "trigger", "mitigation", "contingency",
    ),
    "contract": ("title", "starts", "ends", "notice_by", "value", "currency", "renewal_status", "obligations"),
    "competitor": ("name", "strengths", "weaknesses", "our_answer"),
    "competitor_presence": ("competitor_id", "footprint"),
    "competitor_tie": ("contact_id", "competitor_id", "tie", "notes"),
}  # fmt: skip


def _item(texts: list[str], kind: str, record_id: str) -> QTreeWidgetItem:
    item = QTreeWidgetItem(texts)
    item.setData(0, RecordRole, (kind, record_id))
    item.setToolTip(0, texts[0])
    return item


def _bold(item: QTreeWidgetItem, column: int = 0) -> None:
    font = QFont(item.font(column))
    font.setBold(True)
    item.setFont(column, font)


def _tree(name: str, headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setAccessibleName(name)
    tree.setHeaderLabels(headers)
    tree.setItemDelegate(WrappingDelegate(tree))
    tree.setUniformRowHeights(False)
    # The record's own words take the room left; the short columns fit what they hold.
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return tree


def _amount(value: object, unit: object = None, currency: object = None) -> str:
    return "—" if value is None else amount(value, unit=unit, currency=currency)


class PlanTab(QWidget):
    """One client's account plan and what stands around it, each record opened, added and deleted here."""

    sig_add_requested = Signal(str, dict, dict)
    """The person wants a new record: (kind, fixed values, initial values)."""
    sig_plan_chosen = Signal(str)
    """The person chose another of the client's plans to show (its id)."""
    sig_action_done = Signal(str, bool)
    """An action was ticked or unticked in place: (its id, done)."""
    sig_edit_requested = Signal(str, str)
    """The person wants to edit a record in its form: (kind, id)."""
    sig_delete_requested = Signal(str, str, str)
    """The person wants to delete the selected record: (kind, id, what it is called)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.section: PlanSection | None = None
        self.today = dt.date.today()
        self._last_view = None
        self._build_ui()
        self._connect_signals()

    # --- building ---------------------------------------------------------------------------

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.plan_choice = QComboBox()
        self.plan_choice.setAccessibleName(self.tr("Account plan shown"))
        self.plan_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.plan_choice.setMaximumWidth(520)
        self.new_plan_button = QPushButton(self.tr("New plan…"))
        self.edit_plan_button = QPushButton(self.tr("Edit plan…"))
        self.delete_plan_button = QPushButton(self.tr("Delete plan…"))
        self.delete_plan_button.setToolTip(self.tr("Delete this plan with its SWOT, objectives and actions"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setToolTip(self.tr("Delete the selected record (Ctrl+Z brings it back)"))
        self.delete_button.setEnabled(False)
        for widget in (
            self.plan_choice,
            self.new_plan_button,
            self.edit_plan_button,
            self.delete_plan_button,
            self.delete_button,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.facts = QLabel()
        self.facts.setProperty("role", "muted")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.facts)
        self.inner = QTabWidget()
        self.inner.setAccessibleName(self.tr("Parts of the plan"))
        self.inner.addTab(self._strategy_page(), "")
        self.inner.addTab(self._objectives_page(), "")
        self.inner.addTab(self._actions_page(), "")
        self.inner.addTab(self._risks_page(), "")
        self.inner.addTab(self._contracts_page(), "")
        self.inner.addTab(self._competitors_page(), "")
        layout.addWidget(self.inner, 1)
        self._name_tabs()

    def _page(self, *buttons: QPushButton) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(4, 6, 4, 4)
        if buttons:
            bar = QHBoxLayout()
            for button in buttons:
                bar.addWidget(button)
            bar.addStretch(1)
            column.addLayout(bar)
        return page, column

    def _empty(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setProperty("role", "empty-state")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        return label

    def _strategy_page(self) -> QWidget:
        page, column = self._page()
        self.no_plan = self._empty(
            self.tr(
                "No account plan yet.\nKeep it light: a strategy in a few lines, a SWOT, three to five "
                "objectives with a measure each. Start one with New plan…"
            )
        )
        column.addWidget(self.no_plan)
        self.strategy = QTextBrowser()
        self.strategy.setAccessibleName(self.tr("Our strategy for the account"))
        self.strategy.setOpenExternalLinks(True)
        self.strategy.setMaximumHeight(110)
        column.addWidget(self.strategy)
        grid = QGridLayout()
        grid.setSpacing(8)
        self.swot: dict[str, QListWidget] = {}
        self.swot_add: dict[str, QPushButton] = {}
        for number, quadrant in enumerate(SWOT_QUADRANTS):
            cell = QVBoxLayout()
            head = QHBoxLayout()
            title = QLabel(self.tr(QUADRANT_TITLES[quadrant]))
            title.setProperty("role", "subheading")
            add = QPushButton(self.tr("Add…"))
            add.setAccessibleName(self.tr("Add to {0}").format(self.tr(QUADRANT_TITLES[quadrant]).lower()))
            head.addWidget(title)
            head.addStretch(1)
            head.addWidget(add)
            items = QListWidget()
            items.setAccessibleName(self.tr(QUADRANT_TITLES[quadrant]))
            items.setWordWrap(True)
            items.setItemDelegate(WrappingDelegate(items))
            # Items wrap to the list's width: never a sideways scroll bar.
            items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            items.setResizeMode(QListWidget.ResizeMode.Adjust)
            cell.addLayout(head)
            cell.addWidget(items, 1)
            grid.addLayout(cell, number // 2, number % 2)
            self.swot[quadrant] = items
            self.swot_add[quadrant] = add
        self.swot_grid = QWidget()
        self.swot_grid.setLayout(grid)
        column.addWidget(self.swot_grid, 1)
        return page

    def _objectives_page(self) -> QWidget:
        self.add_objective_button = QPushButton(self.tr("Add objective…"))
        self.add_measure_button = QPushButton(self.tr("Add measure…"))
        self.add_reading_button = QPushButton(self.tr("Add reading…"))
        self.add_objective_action_button = QPushButton(self.tr("Add action…"))
        page, column = self._page(
            self.add_objective_button,
            self.add_measure_button,
            self.add_reading_button,
            self.add_objective_action_button,
        )
        self.objectives = _tree(
            self.tr("Objectives"),
            [self.tr("Objective, measure or action"), self.tr("Perspective"), self.tr("Now / target"),
             self.tr("Trend"), self.tr("Due"), self.tr("Owner"), self.tr("Status")],
        )  # fmt: skip
        self.objectives.setIconSize(SPARKLINE_SIZE)
        column.addWidget(self.objectives, 1)
        self.objectives_empty = self._empty(
            self.tr("No objectives yet.\nWhat should be true at the end of the plan? Add it with a measure.")
        )
        column.addWidget(self.objectives_empty)
        return page

    def _actions_page(self) -> QWidget:
        self.add_action_button = QPushButton(self.tr("Add action…"))
        page, column = self._page(self.add_action_button)
        self.action_list = _tree(
            self.tr("Actions"),
            [self.tr("Action"), self.tr("For"), self.tr("Due"), self.tr("Owner"), self.tr("With")],
        )
        column.addWidget(self.action_list, 1)
        self.actions_empty = self._empty(
            self.tr("No actions yet.\nActions move an objective or answer a risk.")
        )
        column.addWidget(self.actions_empty)
        return page

    def _risks_page(self) -> QWidget:
        self.add_risk_button = QPushButton(self.tr("Add risk…"))
        self.add_risk_action_button = QPushButton(self.tr("Add action…"))
        page, column = self._page(self.add_risk_button, self.add_risk_action_button)
        row = QHBoxLayout()
        grid_column = QVBoxLayout()
        caption = QLabel(self.tr("Impact ↑ · Likelihood →"))
        caption.setProperty("role", "muted")
        self.risk_grid = RiskGrid()
        self.risk_grid.setFixedSize(self.risk_grid.sizeHint())
        grid_column.addWidget(caption)
        grid_column.addWidget(self.risk_grid)
        self.risk_filter = QLabel()
        self.risk_filter.setProperty("role", "muted")
        self.risk_filter.setWordWrap(True)
        grid_column.addWidget(self.risk_filter)
        grid_column.addStretch(1)
        row.addLayout(grid_column)
        self.risks = _tree(
            self.tr("Risks"),
            [self.tr("Risk"), self.tr("Score"), self.tr("Category"), self.tr("Status"), self.tr("Owner"),
             self.tr("Review")],
        )  # fmt: skip
        row.addWidget(self.risks, 1)
        column.addLayout(row, 1)
        return page

    def _contracts_page(self) -> QWidget:
        self.add_contract_button = QPushButton(self.tr("Add contract…"))
        page, column = self._page(self.add_contract_button)
        self.contracts = _tree(
            self.tr("Contracts"),
            [
                self.tr("Contract"),
                self.tr("Runs"),
                self.tr("Notice by"),
                self.tr("Value"),
                self.tr("Renewal"),
            ],
        )
        column.addWidget(self.contracts, 1)
        self.contracts_empty = self._empty(
            self.tr("No contracts yet.\nAdd them with their notice-by date: home reminds you in time.")
        )
        column.addWidget(self.contracts_empty)
        return page

    def _competitors_page(self) -> QWidget:
        self.add_presence_button = QPushButton(self.tr("Competitor present…"))
        self.add_tie_button = QPushButton(self.tr("Tie to a competitor…"))
        self.new_competitor_button = QPushButton(self.tr("New competitor…"))
        page, column = self._page(self.add_presence_button, self.add_tie_button, self.new_competitor_button)
        self.competitors = _tree(
            self.tr("Competitors"), [self.tr("Competitor, footprint or tie"), self.tr("Details")]
        )
        column.addWidget(self.competitors, 1)
        self.competitors_empty = self._empty(
            self.tr(
                "No competitors here that we know of.\nWho else works for them, and who has ties to whom?"
            )
        )
        column.addWidget(self.competitors_empty)
        return page

    def _connect_signals(self) -> None:
        self.plan_choice.activated.connect(self._on_plan_choice_activated)
        self.new_plan_button.clicked.connect(self._on_new_plan_clicked)
        self.edit_plan_button.clicked.connect(self._on_edit_plan_clicked)
        self.delete_plan_button.clicked.connect(self._on_delete_plan_clicked)
        for quadrant, button in self.swot_add.items():
            button.clicked.connect(
                lambda _checked=False, q=quadrant: self._add_to_plan("swot_item", {"quadrant": q})
            )
        self.add_objective_button.clicked.connect(
            lambda: self._add_to_plan("objective", {"status": "not_started"})
        )
        self.add_measure_button.clicked.connect(self._on_add_measure_clicked)
        self.add_reading_button.clicked.connect(self._on_add_reading_clicked)
        self.add_objective_action_button.clicked.connect(self._on_add_objective_action_clicked)
        self.add_action_button.clicked.connect(self._on_add_action_clicked)
        self.add_risk_button.clicked.connect(
            lambda: self.sig_add_requested.emit(
                "risk", {}, {"status": "open", "next_review": self._in_days(30)}
            )
        )
        self.add_risk_action_button.clicked.connect(self._on_add_risk_action_clicked)
        self.add_contract_button.clicked.connect(lambda: self.sig_add_requested.emit("contract", {}, {}))
        self.add_presence_button.clicked.connect(
            lambda: self.sig_add_requested.emit("competitor_presence", {}, {})
        )
        self.add_tie_button.clicked.connect(
            lambda: self.sig_add_requested.emit("competitor_tie", {}, {"tie": "worked_there"})
        )
        self.new_competitor_button.clicked.connect(lambda: self.sig_add_requested.emit("competitor", {}, {}))
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.risk_grid.sig_cell_chosen.connect(self._on_risk_grid_cell_chosen)
        self.inner.currentChanged.connect(
            lambda _index: self.delete_button.setEnabled(self.current_record() is not None)
        )
        self.action_list.itemChanged.connect(self._on_tree_item_changed)
        self.objectives.itemChanged.connect(self._on_tree_item_changed)
        self.risks.itemChanged.connect(self._on_tree_item_changed)
        for view in self.views():
            view.currentItemChanged.connect(self._on_current_changed)

    def views(self) -> list:
        """Every list of records in the section (the page makes each maintainable: Enter, Delete, menu)."""
        return [
            *self.swot.values(),
            self.objectives,
            self.action_list,
            self.risks,
            self.contracts,
            self.competitors,
        ]

    # --- showing ---------------------------------------------------------------------------

    def _name_tabs(self) -> None:
        section = self.section
        counts = (
            sum(len(items) for items in section.swot.values()) if section else 0,
            len(section.objectives) if section else 0,
            sum(1 for a in section.actions if not a["done"]) if section else 0,
            sum(1 for r in section.risks if is_open_risk(r)) if section else 0,
            len(section.contracts) if section else 0,
            len({c.id for _p, c in (*section.presences, *section.ties)}) if section else 0,
        )
        names = (
            self.tr("Strategy && SWOT"),
            self.tr("Objectives"),
            self.tr("Actions"),
            self.tr("Risks"),
            self.tr("Contracts"),
            self.tr("Competitors"),
        )
        for number, (name, count) in enumerate(zip(names, counts, strict=True)):
            self.inner.setTabText(number, f"{name} ({count})" if count else name)

    def show_section(self, section: PlanSection, *, today: dt.date | None = None) -> None:
        if self.section is None or self.section.client.id != section.client.id:
            self.risk_grid.choose(None)  # another client's risks open unfiltered
        self.section = section
        self.today = today or dt.date.today()
        plan = section.plan
        self.plan_choice.blockSignals(True)
        self.plan_choice.clear()
        for candidate in section.plans:
            self.plan_choice.addItem(
                f"{candidate['title']} · {choice_label(str(candidate['status']))}", candidate.id
            )
        if plan is not None:
            self.plan_choice.setCurrentIndex(self.plan_choice.findData(plan.id))
        self.plan_choice.blockSignals(False)
        self.plan_choice.setVisible(bool(section.plans))
        self.edit_plan_button.setEnabled(plan is not None)
        self.delete_plan_button.setEnabled(plan is not None)
        self.facts.setText(self._facts(section))
        self.no_plan.setVisible(plan is None)
        self.strategy.setVisible(plan is not None)
        self.swot_grid.setVisible(plan is not None)
        set_safe_markdown(
            self.strategy.document(),
            str(plan["strategy"])
            if plan is not None and plan["strategy"]
            else self.tr("*No strategy written yet.*"),
        )
        for quadrant, items in self.swot.items():
            self._fill_swot(items, section.swot.get(quadrant, ()))
        for button in (self.add_objective_button, self.add_measure_button, self.add_reading_button,
                       self.add_objective_action_button):  # fmt: skip
            button.setEnabled(plan is not None)
        self._fill_objectives(section)
        self._fill_actions(section)
        self._fill_risks(section)
        self._fill_contracts(section)
        self._fill_competitors(section)
        self._name_tabs()
        self.delete_button.setEnabled(False)

    def _facts(self, section: PlanSection) -> str:
        plan = section.plan
        if plan is None:
            return self.tr("No plan yet for {0}.").format(section.client["name"])
        parts = [choice_label(str(plan["type"])) if plan["type"] else self.tr("Type not set")]
        if plan["period_from"] or plan["period_to"]:
            parts.append(f"{plan['period_from'] or '…'} – {plan['period_to'] or '…'}")
        if plan["next_review"]:
            due = " ⚠" if str(plan["next_review"]) <= self.today.isoformat() else ""
            parts.append(self.tr("next review {0}{1}").format(plan["next_review"], due))
        if plan["shared"]:
            people = ", ".join(section.name(i) for i in plan["shared_with_ids"] or () if section.name(i))
            parts.append(self.tr("shared with the client") + (f" ({people})" if people else ""))
        else:
            parts.append(self.tr("internal"))
        return " · ".join(parts)

    def _fill_swot(self, view: QListWidget, items) -> None:
        view.clear()
        for record in items:
            about = (
                self.tr("the client")
                if record["about"] == "client"
                else self.tr("us")
                if record["about"]
                else ""
            )
            marks = [
                m
                for m in (
                    about and self.tr("about {0}").format(about),
                    record["candid"] and self.tr("candid"),
                )
                if m
            ]
            text = str(record["text"]) + (f"  ({', '.join(marks)})" if marks else "")
            item = QListWidgetItem(text)
            item.setData(RecordRole, ("swot_item", record.id))
            item.setToolTip(text)
            view.addItem(item)

    def _status_cell(self, item: QTreeWidgetItem, column: int, text: str, level: str) -> None:
        item.setText(column, text)
        if level:
            item.setForeground(column, level_color(level))

    def _due(self, record, done: bool = False) -> tuple[str, bool]:
        due = record["due"]
        overdue = bool(due) and not done and str(due) < self.today.isoformat()
        return (f"{due} ⚠" if overdue else str(due or "")), overdue

    def _fill_objectives(self, section: PlanSection) -> None:
        tree = self.objectives
        expanded = self._expanded(tree)
        tree.blockSignals(True)
        tree.clear()
        for view in section.objectives:
            objective = view.objective
            perspective = choice_label(str(objective["perspective"])) if objective["perspective"] else ""
            due, overdue = self._due(objective, done=not view.is_open)
            row = _item(
                [str(objective["title"]), perspective, "", "", due, section.name(objective["owner_id"]), ""],
                "objective",
                objective.id,
            )
            status = str(objective["status"] or "")
            level = {"on_track": "good", "achieved": "good", "at_risk": "watch", "off_track": "bad"}
            self._status_cell(row, 6, choice_label(status) if status else "", level.get(status, ""))
            if overdue:
                row.setForeground(4, level_color("bad"))
            if objective["stakeholder_id"]:
                row.setToolTip(0, self.tr("{0}\nTheir stakeholder: {1}").format(
                    objective["title"], section.name(objective["stakeholder_id"])
                ))  # fmt: skip
            _bold(row)
            tree.addTopLevelItem(row)
            for measure in view.measures:
                row.addChild(self._measure_item(measure))
            for action in view.actions:
                row.addChild(self._action_item(action, section, width=7, due_column=4, owner_column=5))
        tree.blockSignals(False)
        self._restore_expanded(tree, expanded, default=1)
        tree.setVisible(bool(section.objectives))
        self.objectives_empty.setVisible(section.plan is not None and not section.objectives)

    def _measure_item(self, view: MeasureView) -> QTreeWidgetItem:
        measure = view.measure
        unit, currency = measure["unit"], measure["currency"]
        now = f"{_amount(view.current, unit, currency)} / {_amount(measure['target'], unit, currency)}"
        direction = "↓" if view.down_is_good else "↑"
        row = _item([f"{direction} {measure['name']}", "", now, "", "", "", ""], "measure", measure.id)
        values = [float(r["value"]) for r in view.readings]
        if values:
            target = float(measure["target"]) if measure["target"] is not None else None
            picture = sparkline(values, target=target, met=view.met, dpr=self.devicePixelRatioF())
            row.setIcon(3, QIcon(picture))
        met = view.met
        self._status_cell(row, 6, "" if met is None else self.tr("met") if met else self.tr("behind"),
                          "" if met is None else "good" if met else "bad")  # fmt: skip
        row.setToolTip(
            2,
            self.tr("Baseline {0}; {1} readings").format(
                _amount(measure["baseline"], unit, currency), len(values)
            ),
        )
        for reading in reversed(view.readings):
            note = f" — {reading['note']}" if reading["note"] else ""
            child = _item(
                [f"{reading['date']}{note}", "", _amount(reading["value"], unit, currency), "", "", "", ""],
                "measure_reading",
                reading.id,
            )
            child.setForeground(0, muted_text_color())
            row.addChild(child)
        return row

    def _action_item(
        self, action, section: PlanSection, *, width: int, due_column: int, owner_column: int
    ) -> QTreeWidgetItem:
        due, overdue = self._due(action, done=bool(action["done"]))
        texts = [str(action["text"])] + [""] * (width - 1)
        texts[due_column] = due
        texts[owner_column] = section.name(action["owner_id"])
        item = _item(texts, "action", action.id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked if action["done"] else Qt.CheckState.Unchecked)
        if overdue:
            item.setForeground(due_column, level_color("bad"))
        if action["done"]:
            item.setForeground(0, muted_text_color())
        return item

    def _fill_actions(self, section: PlanSection) -> None:
        tree = self.action_list
        tree.blockSignals(True)
        tree.clear()
        objectives = {o.objective.id: str(o.objective["title"]) for o in section.objectives}
        risks = {r.id: str(r["title"]) for r in section.risks}
        for action in section.actions:
            item = self._action_item(action, section, width=5, due_column=2, owner_column=3)
            item.setText(4, section.name(action["contact_id"]))
            if action["objective_id"]:
                item.setText(
                    1, self.tr("Objective: {0}").format(objectives.get(str(action["objective_id"]), "?"))
                )
            else:
                item.setText(1, self.tr("Risk: {0}").format(risks.get(str(action["risk_id"]), "?")))
            tree.addTopLevelItem(item)
        tree.blockSignals(False)
        tree.setVisible(bool(section.actions))
        self.actions_empty.setVisible(not section.actions)

    def _fill_risks(self, section: PlanSection) -> None:
        tree = self.risks
        expanded = self._expanded(tree)
        tree.blockSignals(True)
        tree.clear()
        counts: dict[tuple[int, int], int] = {}
        chosen = self.risk_grid.chosen
        shown = 0
        for risk in section.risks:
            cell = (int(risk["likelihood"] or 0), int(risk["impact"] or 0))
            if is_open_risk(risk) and all(cell):
                counts[cell] = counts.get(cell, 0) + 1
            if chosen is not None and (cell != chosen or not is_open_risk(risk)):
                continue
            score = risk_score(risk)
            review = str(risk["next_review"] or "")
            review_due = bool(review) and is_open_risk(risk) and review <= self.today.isoformat()
            row = _item(
                [
                    str(risk["title"]),
                    f"{risk['likelihood'] or '?'}×{risk['impact'] or '?'} = {score}" if score else "—",
                    choice_label(str(risk["category"])) if risk["category"] else "",
                    choice_label(str(risk["status"])),
                    section.name(risk["owner_id"]),
                    review + (" ⚠" if review_due else ""),
                ],
                "risk",
                risk.id,
            )
            if score:
                row.setForeground(1, level_color(risk_level(score)))
            if review_due:
                row.setForeground(5, level_color("bad"))
            if is_high(risk) and is_open_risk(risk):
                _bold(row)
            if not is_open_risk(risk):
                row.setForeground(0, muted_text_color())
            for action in section.risk_actions.get(risk.id, ()):
                row.addChild(self._action_item(action, section, width=6, due_column=5, owner_column=4))
            tree.addTopLevelItem(row)
            shown += 1
        tree.blockSignals(False)
        self._restore_expanded(tree, expanded, default=0)
        self.risk_grid.set_counts(counts)
        if chosen is None:
            self.risk_filter.setText(
                self.tr("No risks yet.")
                if not section.risks
                else self.tr("Click a square to list only its risks.")
            )
        else:
            self.risk_filter.setText(
                self.tr("Showing likelihood {0}, impact {1}: {2}. Click it again for all.").format(
                    chosen[0], chosen[1], shown
                )
            )

    def _fill_contracts(self, section: PlanSection) -> None:
        tree = self.contracts
        tree.clear()
        for contract in section.contracts:
            near = notice_is_near(contract, self.today)
            runs = f"{contract['starts'] or '…'} – {contract['ends'] or '…'}"
            notice = str(contract["notice_by"] or "") + (" ⚠" if near else "")
            renewal = choice_label(str(contract["renewal_status"])) if contract["renewal_status"] else ""
            value = (
                _amount(contract["value"], None, contract["currency"])
                if contract["value"] is not None
                else ""
            )
            row = _item([str(contract["title"]), runs, notice, value, renewal], "contract", contract.id)
            if near:
                row.setForeground(2, level_color("bad"))
                _bold(row, 2)
            tree.addTopLevelItem(row)
        tree.setVisible(bool(section.contracts))
        self.contracts_empty.setVisible(not section.contracts)

    def _fill_competitors(self, section: PlanSection) -> None:
        tree = self.competitors
        tree.clear()
        rows: dict[str, QTreeWidgetItem] = {}

        def competitor_row(competitor) -> QTreeWidgetItem:
            if competitor.id not in rows:
                strengths = str(competitor["strengths"] or "").strip().splitlines()
                detail = self.tr("Strong at: {0}").format(strengths[0]) if strengths else ""
                rows[competitor.id] = _item([str(competitor["name"]), detail], "competitor", competitor.id)
                _bold(rows[competitor.id])
                tree.addTopLevelItem(rows[competitor.id])
            return rows[competitor.id]

        for presence, competitor in section.presences:
            footprint = str(presence["footprint"] or "").strip() or self.tr("(footprint not described)")
            competitor_row(competitor).addChild(
                _item([self.tr("Present here"), footprint], "competitor_presence", presence.id)
            )
        tie_kind = get_kind("competitor_tie")
        for tie, competitor in section.ties:
            person = section.name(tie["contact_id"]) or self.tr("(someone)")
            kind_of_tie = choice_label(str(tie["tie"])) if tie["tie"] in tie_kind.field("tie").choices else ""
            competitor_row(competitor).addChild(
                _item([f"{person}: {kind_of_tie.lower()}", str(tie["notes"] or "")], "competitor_tie", tie.id)
            )
        tree.expandAll()
        tree.setVisible(bool(rows))
        self.competitors_empty.setVisible(not rows)

    @staticmethod
    def _expanded(tree: QTreeWidget) -> set | None:
        if tree.topLevelItemCount() == 0:
            return None
        return {
            tuple(tree.topLevelItem(n).data(0, RecordRole))
            for n in range(tree.topLevelItemCount())
            if tree.topLevelItem(n).isExpanded()
        }

    @staticmethod
    def _restore_expanded(tree: QTreeWidget, expanded: set | None, *, default: int) -> None:
        """Rows keep being open or shut across a reload; the first time, the first `default` rows open."""
        for n in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(n)
            key = tuple(item.data(0, RecordRole))
            item.setExpanded(n < default if expanded is None else key in expanded)

    # --- acting ----------------------------------------------------------------------------

    def _in_days(self, days: int) -> str:
        return (self.today + dt.timedelta(days=days)).isoformat()

    def current_record(self) -> tuple[tuple[str, str], str] | None:
        """The record last selected in any of the section's lists, and its text."""
        view = self._last_view
        if view is None or not self.inner.currentWidget().isAncestorOf(view):
            return None  # selected on another part of the plan: not what the person looks at
        item = view.currentItem()
        if item is None:
            return None
        if isinstance(item, QListWidgetItem):
            data, text = item.data(RecordRole), item.text()
        else:
            data, text = item.data(0, RecordRole), item.text(0)
        return (tuple(data), text) if data else None

    def _on_delete_clicked(self) -> None:
        found = self.current_record()
        if found is not None:
            (kind, record_id), text = found
            self.sig_delete_requested.emit(kind, record_id, text.split("\n")[0])

    def _selected_in(self, tree: QTreeWidget, kind: str) -> str | None:
        """The record of `kind` selected in the tree, or the one the selected row belongs to."""
        item = tree.currentItem()
        while item is not None:
            data = item.data(0, RecordRole)
            if data and data[0] == kind:
                return data[1]
            item = item.parent()
        return None

    def _add_to_plan(self, kind: str, initial: dict, fixed: dict | None = None) -> None:
        if self.section is not None and self.section.plan is not None:
            self.sig_add_requested.emit(kind, {"plan_id": self.section.plan.id, **(fixed or {})}, initial)

    def _on_plan_choice_activated(self, index: int) -> None:
        plan_id = self.plan_choice.itemData(index)
        if plan_id:
            self.sig_plan_chosen.emit(plan_id)

    def _on_new_plan_clicked(self) -> None:
        # A first plan starts active; another starts as a draft beside the active one.
        active = self.section is not None and any(p["status"] == "active" for p in self.section.plans)
        year = self.today.year + (1 if self.today.month >= 10 else 0)
        self.sig_add_requested.emit(
            "account_plan",
            {},
            {
                "title": self.tr("Account plan {0}").format(year),
                "status": "draft" if active else "active",
                "period_from": f"{year}-01-01",
                "period_to": f"{year}-12-31",
                "next_review": self._in_days(90),
            },
        )

    def _on_edit_plan_clicked(self) -> None:
        if self.section is not None and self.section.plan is not None:
            self.sig_edit_requested.emit("account_plan", self.section.plan.id)

    def _on_delete_plan_clicked(self) -> None:
        if self.section is not None and self.section.plan is not None:
            plan = self.section.plan
            self.sig_delete_requested.emit("account_plan", plan.id, str(plan["title"]))

    def _on_add_measure_clicked(self) -> None:
        objective = self._selected_in(self.objectives, "objective")
        if objective is None and self.section and self.section.objectives:
            objective = self.section.objectives[0].objective.id
        if objective:
            self.sig_add_requested.emit(
                "measure", {"objective_id": objective}, {"unit": "number", "direction": "up_is_good"}
            )

    def _on_add_reading_clicked(self) -> None:
        measure = self._selected_in(self.objectives, "measure")
        if measure is None:
            self.facts.setText(self.tr("Select a measure first, then add its reading."))
            return
        self.sig_add_requested.emit(
            "measure_reading", {"measure_id": measure}, {"date": self.today.isoformat()}
        )

    def _on_add_objective_action_clicked(self) -> None:
        objective = self._selected_in(self.objectives, "objective")
        self.sig_add_requested.emit(
            "action",
            {},
            {"objective_id": objective, "due": self._in_days(14)}
            if objective
            else {"due": self._in_days(14)},
        )

    def _on_add_action_clicked(self) -> None:
        self.sig_add_requested.emit("action", {}, {"due": self._in_days(14)})

    def _on_add_risk_action_clicked(self) -> None:
        risk = self._selected_in(self.risks, "risk")
        self.sig_add_requested.emit("action", {}, {"risk_id": risk, "due": self._in_days(14)} if risk else {})

    def _on_risk_grid_cell_chosen(self, _cell) -> None:
        if self.section is not None:
            self._fill_risks(self.section)

    def _on_tree_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        data = item.data(0, RecordRole)
        if data and data[0] == "action" and column == 0:
            self.sig_action_done.emit(data[1], item.checkState(0) == Qt.CheckState.Checked)

    def _on_current_changed(self, current, _previous) -> None:
        if current is not None:
            self._last_view = self.sender()
            # A record selected from elsewhere (search, home) is shown on its own part of the plan.
            for number in range(self.inner.count()):
                if self.inner.widget(number).isAncestorOf(self._last_view):
                    self.inner.setCurrentIndex(number)
        self.delete_button.setEnabled(self.current_record() is not None)
