"""Home: the worklist. Meetings of the next days first, then the other groups with their counts; each item
says what to do and for which client; filters (mine, a client, a type); items can be opened, done and
snoozed, and an early warning accepted as a risk or dismissed."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QModelIndex, QSignalBlocker, QStringListModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from companion.core.attention import GROUPS, Attention, AttentionItem
from companion.ui.home.model import (
    HEADINGS,
    ITEM,
    MORE,
    REASON_ROLE,
    ROW_KIND_ROLE,
    WorklistDelegate,
    WorklistFilter,
    WorklistModel,
)

# What settling an item is called, by its group.
DONE_LABELS = {
    "follow_up_due": "Mark done",
    "action_due": "Mark done",
    "next_step_due": "Mark step done",
    "target_due": "Mark step done",
    "stale_site": "Mark verified",
    "role_model_due": "Mark reassessed",
    "risk_review_due": "Mark reviewed",
    "plan_review_due": "Mark reviewed",
}
# Why an item cannot be settled from home, by its group.
NOT_DONE_HERE = {
    "overdue_contact": "Log a contact with them to settle it",
    "upcoming_meeting": "Settled when the meeting is held",
    "contract_notice": "Settled when its renewal is decided: open the contract",
    "early_warning": "Accept it as a risk, or dismiss it",
    "reviews_due": "Settled when the review is recorded: open the client's scorecard",
}
SNOOZE_DAYS = {"day": 1, "week": 7}


class HomePage(QWidget):
    """The start page of an account manager: the day's worklist."""

    sig_item_activated = Signal(object)
    """The person opened an item (an AttentionItem)."""
    sig_more_requested = Signal(str)
    """The person asked to list more of a group (its reason)."""
    sig_done_requested = Signal(object)
    """Settle this AttentionItem (a follow-up done, a site verified, a role model reassessed)."""
    sig_snooze_requested = Signal(object, int)
    """Hide this AttentionItem for so many days."""
    sig_wake_requested = Signal(object)
    """Show this snoozed AttentionItem again now."""
    sig_accept_requested = Signal(object)
    """Make this early warning (an AttentionItem) a risk."""
    sig_dismiss_requested = Signal(object)
    """Dismiss this early warning (an AttentionItem): it is not proposed again."""
    sig_filters_changed = Signal()
    """Mine, the client or showing snoozed items changed: the worklist must be read again."""
    sig_me_chosen = Signal(str)
    """The person said which colleague they are (a colleague id)."""
    sig_client_choices_wanted = Signal()
    """The client filter is about to be used: its choices are needed."""
    sig_filled = Signal()
    """A worklist that was read is on screen (for tests and benchmarks)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.items: list[AttentionItem] = []
        self.attention: Attention | None = None
        self.loading = True
        self.me: str | None = None
        self.client_id: str | None = None
        self._colleagues: tuple[tuple[str, str], ...] = ()
        self._clients: dict[str, str] = {}  # name → id
        self._banner_dismissed = False
        self._build_ui()
        self._connect_signals()
        self.set_loading()

    # --- building ------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        top = QHBoxLayout()
        title = QLabel(self.tr("What needs attention"))
        title.setProperty("role", "heading")
        top.addWidget(title)
        top.addStretch(1)
        self.summary = QLabel()
        self.summary.setProperty("role", "muted")
        top.addWidget(self.summary)
        layout.addLayout(top)

        # Which colleague the person is: asked once, then "Mine" knows.
        self.banner = QFrame()
        self.banner.setProperty("role", "card")
        banner = QHBoxLayout(self.banner)
        banner.setContentsMargins(12, 8, 12, 8)
        ask = QLabel(self.tr("Which colleague are you? Say it once and “Mine” shows only what is yours."))
        ask.setWordWrap(True)
        banner.addWidget(ask, 1)
        self.me_choice = QComboBox()
        self.me_choice.setAccessibleName(self.tr("Colleague you are"))
        self.me_choice.setMinimumContentsLength(16)
        banner.addWidget(self.me_choice)
        self.me_button = QPushButton(self.tr("That is me"))
        banner.addWidget(self.me_button)
        self.not_now_button = QPushButton(self.tr("Not now"))
        self.not_now_button.setFlat(True)
        banner.addWidget(self.not_now_button)
        self.banner.hide()
        layout.addWidget(self.banner)

        bar = QHBoxLayout()
        bar.setSpacing(8)
        self.mine_button = QToolButton()
        self.mine_button.setText(self.tr("Mine"))
        self.mine_button.setCheckable(True)
        self.mine_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.mine_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.me_menu = QMenu(self.mine_button)
        self.mine_button.setMenu(self.me_menu)
        bar.addWidget(self.mine_button)
        self.client_filter = QLineEdit()
        self.client_filter.setPlaceholderText(self.tr("Any client"))
        self.client_filter.setAccessibleName(self.tr("Client"))
        self.client_filter.setClearButtonEnabled(True)
        self.client_filter.setMaximumWidth(260)
        self.client_names = QStringListModel(self)
        self.completer = QCompleter(self.client_names, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.client_filter.setCompleter(self.completer)
        bar.addWidget(self.client_filter, 1)
        self.type_filter = QComboBox()
        self.type_filter.setAccessibleName(self.tr("Type"))
        self.type_filter.addItem(self.tr("All types"), None)
        for reason in GROUPS:
            self.type_filter.addItem(self.tr(HEADINGS[reason]), reason)
        bar.addWidget(self.type_filter)
        self.snoozed_box = QCheckBox(self.tr("Show snoozed"))
        self.snoozed_box.hide()
        bar.addWidget(self.snoozed_box)
        bar.addStretch(1)
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setToolTip(self.tr("Open the record where it lives (Enter)"))
        bar.addWidget(self.open_button)
        self.done_button = QPushButton(self.tr("Mark done"))
        bar.addWidget(self.done_button)
        # An early warning is decided instead: these take the place of "Mark done" when one is chosen.
        self.accept_button = QPushButton(self.tr("Accept as risk"))
        self.accept_button.setToolTip(self.tr("Make it a risk of the client's (Ctrl+D); Undo takes it back"))
        self.accept_button.hide()
        bar.addWidget(self.accept_button)
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.setToolTip(self.tr("It is not proposed again; Undo brings it back"))
        self.dismiss_button.hide()
        bar.addWidget(self.dismiss_button)
        self.snooze_button = QToolButton()
        self.snooze_button.setText(self.tr("Snooze"))
        self.snooze_button.setToolTip(self.tr("Hide it on this laptop until later"))
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        snooze_menu = QMenu(self.snooze_button)
        self.snooze_day_action = snooze_menu.addAction(self.tr("Until tomorrow"))
        self.snooze_week_action = snooze_menu.addAction(self.tr("For a week"))
        self.snooze_button.setMenu(snooze_menu)
        bar.addWidget(self.snooze_button)
        self.wake_button = QPushButton(self.tr("Wake"))
        self.wake_button.setToolTip(self.tr("Show it again now"))
        self.wake_button.hide()
        bar.addWidget(self.wake_button)
        layout.addLayout(bar)

        self.model = WorklistModel(self)
        self.proxy = WorklistFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTreeView()
        self.view.setAccessibleName(self.tr("Worklist"))
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(WorklistDelegate(self.view))
        self.view.setHeaderHidden(True)
        self.view.setRootIsDecorated(False)
        self.view.setItemsExpandable(False)
        self.view.setIndentation(0)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.open_action = QAction(self.tr("Open"), self.view)
        self.done_action = QAction(self.tr("Mark done"), self.view)
        self.done_action.setShortcut(QKeySequence("Ctrl+D"))
        self.done_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.view.addAction(self.done_action)
        self.wake_action = QAction(self.tr("Wake"), self.view)
        self.accept_action = QAction(self.tr("Accept as risk"), self.view)
        self.dismiss_action = QAction(self.tr("Dismiss"), self.view)
        self.message = QLabel()
        self.message.setProperty("role", "empty-state")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.message)
        layout.addWidget(self.stack, 1)
        self._update_actions()

    def _connect_signals(self) -> None:
        self.view.activated.connect(self._on_view_activated)
        self.view.customContextMenuRequested.connect(self._on_view_context_menu_requested)
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)
        self.proxy.modelReset.connect(self.view.expandAll)
        self.proxy.rowsInserted.connect(self.view.expandAll)
        self.open_button.clicked.connect(self._on_open_triggered)
        self.open_action.triggered.connect(self._on_open_triggered)
        self.done_button.clicked.connect(self._on_done_triggered)
        self.done_action.triggered.connect(self._on_done_triggered)
        self.snooze_day_action.triggered.connect(partial(self._snooze, SNOOZE_DAYS["day"]))
        self.snooze_week_action.triggered.connect(partial(self._snooze, SNOOZE_DAYS["week"]))
        self.wake_button.clicked.connect(self._on_wake_triggered)
        self.wake_action.triggered.connect(self._on_wake_triggered)
        self.accept_button.clicked.connect(self._on_accept_triggered)
        self.accept_action.triggered.connect(self._on_accept_triggered)
        self.dismiss_button.clicked.connect(self._on_dismiss_triggered)
        self.dismiss_action.triggered.connect(self._on_dismiss_triggered)
        self.type_filter.currentIndexChanged.connect(self._on_type_filter_changed)
        self.snoozed_box.toggled.connect(lambda _on: self.sig_filters_changed.emit())
        self.mine_button.toggled.connect(self._on_mine_toggled)
        self.me_button.clicked.connect(self._on_me_button_clicked)
        self.not_now_button.clicked.connect(self._on_not_now_clicked)
        self.completer.activated.connect(self._on_client_chosen)
        self.client_filter.returnPressed.connect(self._on_client_filter_return_pressed)
        self.client_filter.textChanged.connect(self._on_client_filter_text_changed)
        self.client_filter.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.client_filter and event.type() == QEvent.Type.FocusIn and not self._clients:
            self.sig_client_choices_wanted.emit()
        return super().eventFilter(watched, event)

    # --- what the feature sets ----------------------------------------------------------------

    def set_loading(self) -> None:
        """Nothing read yet: "Loading…", never "Nothing needs attention"."""
        self.loading = True
        self.message.setText(self.tr("Loading…"))
        self.stack.setCurrentWidget(self.message)
        self.summary.setText("")

    def set_failed(self) -> None:
        """The worklist could not be read (the window says why)."""
        if self.loading:
            self.message.setText(self.tr("The worklist could not be read."))

    def set_worklist(
        self, attention: Attention, colleagues: tuple[tuple[str, str], ...], me: str | None
    ) -> None:
        """Shows a worklist that was read, keeping the person's place in it."""
        current = self.current_item()
        place = self._place_of(self.view.currentIndex())
        self.loading = False
        self.attention = attention
        self.items = list(attention.items)
        self._set_colleagues(colleagues, me)
        self.model.set_attention(attention)
        self.view.expandAll()
        self._restore_place(current, place)
        snoozed = attention.snoozed
        self.snoozed_box.setVisible(bool(snoozed) or self.snoozed_box.isChecked())
        self.snoozed_box.setText(
            self.tr("Show snoozed ({0})").format(snoozed) if snoozed else self.tr("Show snoozed")
        )
        self._show_list_or_message()
        self._update_actions()
        self.sig_filled.emit()

    def set_client_choices(self, clients: list[tuple[str, str]]) -> None:
        """The clients the client filter completes, as (id, name)."""
        self._clients = {}
        for client_id, name in clients:
            self._clients.setdefault(name, client_id)
        self.client_names.setStringList(list(self._clients))

    # --- what the feature reads ---------------------------------------------------------------

    @property
    def mine(self) -> bool:
        return self.mine_button.isChecked() and self.me is not None

    @property
    def with_snoozed(self) -> bool:
        return self.snoozed_box.isChecked()

    def current_item(self) -> AttentionItem | None:
        return self._item_at(self.view.currentIndex())

    # --- the person's choices -----------------------------------------------------------------

    def _item_at(self, index: QModelIndex) -> AttentionItem | None:
        if not index.isValid() or index.data(ROW_KIND_ROLE) != ITEM:
            return None
        return self.model.item(self.proxy.mapToSource(index))

    def _on_view_activated(self, index: QModelIndex) -> None:
        kind = index.data(ROW_KIND_ROLE)
        if kind == MORE:
            self.sig_more_requested.emit(index.data(REASON_ROLE))
        elif kind == ITEM:
            self.sig_item_activated.emit(self._item_at(index))

    def _on_open_triggered(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self._on_view_activated(index)

    def _on_done_triggered(self) -> None:
        item = self.current_item()
        if item is not None and item.can_be_done:
            self.sig_done_requested.emit(item)
        elif item is not None and item.is_warning:  # Ctrl+D on a warning accepts it
            self.sig_accept_requested.emit(item)

    def _on_accept_triggered(self, _checked: bool = False) -> None:
        item = self.current_item()
        if item is not None and item.is_warning:
            self.sig_accept_requested.emit(item)

    def _on_dismiss_triggered(self, _checked: bool = False) -> None:
        item = self.current_item()
        if item is not None and item.is_warning:
            self.sig_dismiss_requested.emit(item)

    def _snooze(self, days: int, _checked: bool = False) -> None:
        item = self.current_item()
        if item is not None:
            self.sig_snooze_requested.emit(item, days)

    def _on_wake_triggered(self) -> None:
        item = self.current_item()
        if item is not None and item.snoozed_until:
            self.sig_wake_requested.emit(item)

    def _on_view_context_menu_requested(self, pos) -> None:
        index = self.view.indexAt(pos)
        if self._item_at(index) is None:
            return
        self.view.setCurrentIndex(index)
        menu = QMenu(self)
        menu.addAction(self.open_action)
        if self.current_item().is_warning:
            menu.addAction(self.accept_action)
            menu.addAction(self.dismiss_action)
        else:
            menu.addAction(self.done_action)
        menu.addAction(self.snooze_day_action)
        menu.addAction(self.snooze_week_action)
        if self.current_item().snoozed_until:
            menu.addAction(self.wake_action)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def _on_view_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        index = self.view.currentIndex()
        item = self._item_at(index)
        self.open_button.setEnabled(item is not None or index.data(ROW_KIND_ROLE) == MORE)
        done_label = (
            self.tr(DONE_LABELS.get(item.reason, "Mark done")) if item is not None else self.tr("Mark done")
        )
        self.done_button.setText(done_label)
        self.done_action.setText(done_label)
        doable = item is not None and item.can_be_done
        warning = item is not None and item.is_warning
        self.done_button.setEnabled(doable)
        self.done_action.setEnabled(doable or warning)
        self.done_button.setVisible(not warning)
        self.accept_button.setVisible(warning)
        self.dismiss_button.setVisible(warning)
        self.accept_action.setEnabled(warning)
        self.dismiss_action.setEnabled(warning)
        if item is not None and not doable:
            self.done_button.setToolTip(self.tr(NOT_DONE_HERE.get(item.reason, "Open it to settle it")))
        else:
            self.done_button.setToolTip(self.tr("Settle it (Ctrl+D); Undo brings it back"))
        snoozed = item is not None and bool(item.snoozed_until)
        self.snooze_button.setEnabled(item is not None)
        self.snooze_button.setVisible(not snoozed)
        self.wake_button.setVisible(snoozed)
        self.wake_action.setEnabled(snoozed)

    def _on_type_filter_changed(self, _index: int) -> None:
        self.proxy.set_reason(self.type_filter.currentData())
        self.view.expandAll()
        self._show_list_or_message()
        self._update_actions()

    def _on_mine_toggled(self, on: bool) -> None:
        if on and self.me is None:  # nobody to filter for yet: say who you are first
            with QSignalBlocker(self.mine_button):
                self.mine_button.setChecked(False)
            self.mine_button.showMenu()
            return
        self.sig_filters_changed.emit()

    def _on_me_button_clicked(self) -> None:
        colleague_id = self.me_choice.currentData()
        if colleague_id:
            self.sig_me_chosen.emit(colleague_id)

    def _on_me_menu_triggered(self, colleague_id: str, _checked: bool = False) -> None:
        self.sig_me_chosen.emit(colleague_id)

    def _on_not_now_clicked(self) -> None:
        self._banner_dismissed = True
        self.banner.hide()

    def _on_client_chosen(self, name: str) -> None:
        self._choose_client(self._clients.get(name))

    def _on_client_filter_return_pressed(self) -> None:
        text = self.client_filter.text().strip()
        if not text:
            self._choose_client(None)
            return
        folded = text.casefold()
        exact = next((cid for name, cid in self._clients.items() if name.casefold() == folded), None)
        near = next((cid for name, cid in self._clients.items() if folded in name.casefold()), None)
        self._choose_client(exact or near)

    def _on_client_filter_text_changed(self, text: str) -> None:
        if not text and self.client_id is not None:
            self._choose_client(None)

    def _choose_client(self, client_id: str | None) -> None:
        if client_id is None and self.client_filter.text().strip():
            return  # nothing matches what was typed: the filter stays as it was
        if client_id != self.client_id:
            self.client_id = client_id
            name = next((n for n, cid in self._clients.items() if cid == client_id), None)
            if name is not None and self.client_filter.text() != name:
                self.client_filter.setText(name)
            self.sig_filters_changed.emit()

    # --- showing -------------------------------------------------------------------------------

    def _set_colleagues(self, colleagues: tuple[tuple[str, str], ...], me: str | None) -> None:
        known = {cid for cid, _name in colleagues}
        self.me = me if me in known else None
        if colleagues != self._colleagues:
            self._colleagues = colleagues
            self.me_choice.clear()
            self.me_menu.clear()
            for colleague_id, name in colleagues:
                self.me_choice.addItem(name, colleague_id)
                action = self.me_menu.addAction(self.tr("I am {0}").format(name))
                action.setCheckable(True)
                action.setData(colleague_id)
                action.triggered.connect(partial(self._on_me_menu_triggered, colleague_id))
        for action in self.me_menu.actions():
            action.setChecked(action.data() == self.me)
        name = next((n for cid, n in colleagues if cid == self.me), None)
        self.mine_button.setToolTip(
            self.tr(
                "Only what is yours ({0}): your people, follow-ups and meetings, and your clients'"
            ).format(name)
            if name
            else self.tr("Say which colleague you are to see only what is yours")
        )
        self.mine_button.setVisible(bool(colleagues))
        self.banner.setVisible(bool(colleagues) and self.me is None and not self._banner_dismissed)

    def _show_list_or_message(self) -> None:
        if self.loading:
            return
        attention = self.attention
        shown = self.proxy.rowCount() > 0
        total = sum(g.total for g in attention.groups) if attention else 0
        if self.proxy.reason is not None and attention is not None:
            group = attention.group(self.proxy.reason)
            total = group.total if group else 0
        self.summary.setText(self.tr("{0} to do").format(f"{total:,}") if total else "")
        if shown:
            self.stack.setCurrentWidget(self.view)
            return
        filtered = self.mine or self.client_id is not None or self.proxy.reason is not None
        self.message.setText(
            self.tr("Nothing here with these filters.")
            if filtered
            else self.tr(
                "Nothing needs attention today.\n"
                "Add a visit rhythm to your key people and they will show up here when due."
            )
        )
        self.stack.setCurrentWidget(self.message)

    def _place_of(self, index: QModelIndex) -> tuple[str, int] | None:
        if not index.isValid() or index.data(ROW_KIND_ROLE) not in (ITEM, MORE):
            return None
        return index.data(REASON_ROLE), index.row()

    def _restore_place(self, item: AttentionItem | None, place: tuple[str, int] | None) -> None:
        """The same item selected again, or the one now in its place (after one was done or snoozed)."""
        if place is None:
            return
        reason, row = place
        reasons = [self.proxy.index(g, 0).data(REASON_ROLE) for g in range(self.proxy.rowCount())]
        if reason not in reasons:  # its group is done: the first item of the group that followed it
            later = [r for r in reasons if GROUPS.index(r) > GROUPS.index(reason)] or reasons[-1:]
            if later:
                heading = self.proxy.index(reasons.index(later[0]), 0)
                self.view.setCurrentIndex(self.proxy.index(0, 0, heading))
            return
        for group_row in range(self.proxy.rowCount()):
            heading = self.proxy.index(group_row, 0)
            if heading.data(REASON_ROLE) != reason:
                continue
            count = self.proxy.rowCount(heading)
            for child in range(count):
                index = self.proxy.index(child, 0, heading)
                found = self._item_at(index)
                if item is not None and found is not None and found.record_id == item.record_id:
                    self.view.setCurrentIndex(index)
                    return
            if count:
                self.view.setCurrentIndex(self.proxy.index(min(row, count - 1), 0, heading))
            return
