"""Possible duplicates over the whole workspace: pairs of people who may be one person, compared side by side,
merged (one undoable step) or told apart."""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.contact_merge import DuplicatePair
from companion.model.errors import NotFoundError
from companion.ui.common.edits import EditController
from companion.ui.common.widgets import empty_state, scrolled, tree
from companion.ui.common.worker import Failure
from companion.ui.people import contacts_operations as operations
from companion.ui.people.contacts_operations import PersonDetails

# The kinds whose change may make or unmake a pair: people, their roles, the clients those name.
READ_AGAIN_FOR = frozenset({"contact", "position", "client"})
PairRole = Qt.ItemDataRole.UserRole + 1


class PersonPanel(QFrame):
    """One of the two people: their roles, emails and phones (what both have is in bold), and a choice to
    keep this one."""

    sig_open_requested = Signal(str)
    """The person wants to open this person (their id)."""

    def __init__(self, side: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("role", "card")
        self.contact_id: str | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.keep = QRadioButton(self.tr("Keep this one"))
        self.keep.setAccessibleName(self.tr("Keep the person on the {0}").format(side))
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setToolTip(self.tr("Open this person on their client's page"))
        top.addWidget(self.keep, 1)
        top.addWidget(self.open_button)
        layout.addLayout(top)
        self.name = QLabel()
        self.name.setProperty("role", "subheading")
        self.name.setWordWrap(True)
        layout.addWidget(self.name)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.details, 1)
        self.open_button.clicked.connect(
            lambda: self.contact_id and self.sig_open_requested.emit(self.contact_id)
        )

    def show_person(self, person: PersonDetails | None, other: PersonDetails | None) -> None:
        self.contact_id = person.contact_id if person else None
        self.open_button.setEnabled(person is not None)
        if person is None:
            self.name.clear()
            self.details.clear()
            return
        self.name.setText(person.name)
        shared = set(other.emails + other.phones) if other else set()

        def listed(heading: str, values: Sequence[str], nothing: str) -> str:
            items = "".join(
                f"<li>{'<b>' if value in shared else ''}{html.escape(value)}{'</b>' if value in shared else ''}</li>"
                for value in values
            )
            said = (
                f"<ul style='margin: 0 0 6px 0'>{items}</ul>"
                if values
                else f"<p style='margin: 0 0 6px 0'><i>{html.escape(nothing)}</i></p>"
            )
            return f"<p style='margin: 4px 0 2px 0'><b>{html.escape(heading)}</b></p>{said}"

        roles = [
            (self.tr("{0} at {1}").format(title, client) if title else client)
            + (self.tr(" (until {0})").format(ended) if ended else "")
            for title, client, ended in person.roles
        ]
        facts = []
        if person.birthday:
            facts.append(self.tr("Birthday {0}").format(person.birthday))
        facts.append(
            self.tr("Last contact {0}").format(person.last_contact)
            if person.last_contact
            else self.tr("Never met")
        )
        if person.relationships:
            facts.append(
                self.tr("1 relationship")
                if person.relationships == 1
                else self.tr("{0} relationships").format(person.relationships)
            )
        self.details.setText(
            listed(self.tr("Roles"), roles, self.tr("No role at a client"))
            + listed(self.tr("Emails"), person.emails, self.tr("No email"))
            + listed(self.tr("Phones"), person.phones, self.tr("No phone"))
            + f"<p style='margin: 4px 0 0 0'>{html.escape(' · '.join(facts))}</p>"
        )


class DuplicatesPage(QWidget):
    """Every pair of people who may be one person (the same email or phone, a name alike at one client),
    most likely first; the chosen pair side by side, to merge into the one kept or to tell apart."""

    sig_back_requested = Signal()
    """The person wants the people directory again."""
    sig_person_activated = Signal(str)
    """The person opened one of the two people (their id)."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self.pairs: list[DuplicatePair] = []
        self.shown: tuple[PersonDetails, PersonDetails] | None = None
        self._asked = 0  # reads of the pairs: only the latest answer counts
        self._details_asked = 0
        self._working = False  # a merge or a dismissal on its way
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        header = QHBoxLayout()
        title = QLabel(self.tr("Possible duplicates"))
        title.setProperty("role", "heading")
        self.back_button = QPushButton(self.tr("Back to People"))
        header.addWidget(title, 1)
        header.addWidget(self.back_button)
        layout.addLayout(header)
        intro = QLabel(
            self.tr(
                "People who may be one person: the same email or phone, or names alike at one client. "
                "Merge them into the one you keep, or say they are not the same person."
            )
        )
        intro.setProperty("role", "muted")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.count = QLabel()
        self.count.setProperty("role", "muted")
        layout.addWidget(self.count)
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.list = tree(
            self.tr("Possible duplicates"), [self.tr("People"), self.tr("Why"), self.tr("Alike")]
        )
        self.list.setMinimumWidth(300)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(2, 56)
        self.body.addWidget(self.list)
        compare = QWidget()
        compare_layout = QVBoxLayout(compare)
        compare_layout.setContentsMargins(8, 0, 0, 0)
        sides = QHBoxLayout()
        self.left = PersonPanel(self.tr("left"))
        self.right = PersonPanel(self.tr("right"))
        self.keep = QButtonGroup(self)
        self.keep.addButton(self.left.keep, 0)
        self.keep.addButton(self.right.keep, 1)
        sides.addWidget(self.left, 1)
        sides.addWidget(self.right, 1)
        holder = QWidget()
        holder.setLayout(sides)
        compare_layout.addWidget(scrolled(holder), 1)
        self.hint = QLabel()
        self.hint.setProperty("role", "muted")
        self.hint.setWordWrap(True)
        compare_layout.addWidget(self.hint)
        buttons = QHBoxLayout()
        self.merge_button = QPushButton(self.tr("Merge"))
        self.merge_button.setDefault(True)
        self.dismiss_button = QPushButton(self.tr("Not the same person"))
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        compare_layout.addLayout(buttons)
        self.body.addWidget(compare)
        self.body.setStretchFactor(0, 2)
        self.body.setStretchFactor(1, 3)
        self.body.setSizes([430, 640])
        layout.addWidget(self.body, 1)
        self.empty = empty_state(
            self.tr(
                "No possible duplicates.\nPeople who share an email or a phone, or whose names are alike at one"
                " client, would be listed here."
            )
        )
        layout.addWidget(self.empty, 1)
        self.body.hide()
        self._enable(False)

    def _connect_signals(self) -> None:
        self.back_button.clicked.connect(self.sig_back_requested)
        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self.keep.idToggled.connect(self._on_keep_toggled)
        self.merge_button.clicked.connect(self._on_merge_clicked)
        self.dismiss_button.clicked.connect(self._on_dismiss_clicked)
        for panel in (self.left, self.right):
            panel.sig_open_requested.connect(self.sig_person_activated)

    # --- reading ----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Reads the pairs again (shown, after a change, after a sync)."""
        self._asked += 1
        self.edits.worker.submit(
            operations.possible_duplicates, partial(self._on_pairs_read, self._asked), self._on_failed
        )

    def on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & READ_AGAIN_FOR:
            self.reload()

    def _on_pairs_read(self, asked: int, pairs: list[DuplicatePair]) -> None:
        if asked != self._asked:
            return
        current = self.current_pair()
        self.pairs = list(pairs)
        self.list.blockSignals(True)
        self.list.clear()
        chosen = None
        for pair in self.pairs:
            item = QTreeWidgetItem(
                [self.tr("{0} and {1}").format(pair.keep_name, pair.other_name), pair.why, f"{pair.score}%"]
            )
            item.setData(0, PairRole, (pair.keep_id, pair.other_id))
            item.setToolTip(0, item.text(0))
            item.setToolTip(1, pair.why)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.list.addTopLevelItem(item)
            if current is not None and {pair.keep_id, pair.other_id} == {current.keep_id, current.other_id}:
                chosen = item
        self.list.blockSignals(False)
        self.count.setText(
            self.tr("1 pair to look at")
            if len(self.pairs) == 1
            else self.tr("{0} pairs to look at").format(len(self.pairs))
        )
        self.count.setVisible(bool(self.pairs))
        self.body.setVisible(bool(self.pairs))
        self.empty.setVisible(not self.pairs)
        if self.pairs:
            self.list.setCurrentItem(chosen or self.list.topLevelItem(0))
            self._on_list_current_changed(self.list.currentItem(), None)
        else:
            self._show_details(None)

    def current_pair(self) -> DuplicatePair | None:
        item = self.list.currentItem()
        if item is None:
            return None
        ids = item.data(0, PairRole)
        return next((p for p in self.pairs if (p.keep_id, p.other_id) == tuple(ids)), None)

    def _on_list_current_changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        pair = self.current_pair() if current is not None else None
        self._details_asked += 1
        if pair is None:
            self._show_details(None)
            return
        self._enable(False)
        self.edits.worker.submit(
            partial(operations.pair_details, first_id=pair.keep_id, second_id=pair.other_id),
            partial(self._on_details_read, self._details_asked),
            self._on_details_failed,
        )

    def _on_details_read(self, asked: int, details: tuple[PersonDetails, PersonDetails]) -> None:
        if asked == self._details_asked:
            self._show_details(details)

    def _show_details(self, details: tuple[PersonDetails, PersonDetails] | None) -> None:
        self.shown = details
        first, second = details if details else (None, None)
        self.left.show_person(first, second)
        self.right.show_person(second, first)
        self.left.keep.setChecked(True)
        self._on_keep_toggled()
        self._enable(details is not None and not self._working)

    def _on_details_failed(self, failure: Failure) -> None:
        if isinstance(failure.error, NotFoundError):
            self.reload()  # one of the two is gone since (merged or deleted elsewhere): the pairs as they are now
        else:
            self._on_failed(failure)

    def _on_failed(self, failure: Failure) -> None:
        self._working = False
        self._enable(self.shown is not None)
        self.edits.sig_failed.emit(failure)

    def _enable(self, enabled: bool) -> None:
        for widget in (self.merge_button, self.dismiss_button, self.left.keep, self.right.keep):
            widget.setEnabled(enabled)

    # --- deciding ---------------------------------------------------------------------------------

    def kept_and_other(self) -> tuple[PersonDetails, PersonDetails] | None:
        """The person kept (as chosen) and the one merged into them."""
        if self.shown is None:
            return None
        first, second = self.shown
        return (first, second) if self.keep.checkedId() != 1 else (second, first)

    def _on_keep_toggled(self, *_args) -> None:
        chosen = self.kept_and_other()
        if chosen is None:
            self.merge_button.setText(self.tr("Merge"))
            self.hint.clear()
            return
        kept, _other = chosen
        side = self.tr("left") if self.keep.checkedId() != 1 else self.tr("right")
        self.merge_button.setText(self.tr("Merge into {0} ({1})").format(kept.name, side))
        self.hint.setText(
            self.tr(
                "The other one's roles, meetings, notes, emails and phones move to the one kept, whose own values"
                " stay where both have one; the other is then deleted. Undo (Ctrl+Z) puts both back."
            )
        )

    def _on_merge_clicked(self) -> None:
        chosen = self.kept_and_other()
        if chosen is None or self._working:
            return
        kept, other = chosen
        self._working = True
        self._enable(False)
        self.edits.run(
            partial(operations.merge_people, keep_id=kept.contact_id, other_id=other.contact_id),
            on_done=self._on_merged,
            on_error=self._on_failed,
        )

    def _on_merged(self, _changes) -> None:
        # The list is read again from what changed (on_changed), as after an undo of it.
        self._working = False

    def _on_dismiss_clicked(self) -> None:
        if self.shown is None or self._working:
            return
        first, second = self.shown
        self._working = True
        self._enable(False)
        self.edits.worker.submit(
            partial(operations.dismiss_pair, first_id=first.contact_id, second_id=second.contact_id),
            self._on_decided,
            self._on_failed,
        )

    def _on_decided(self, _result) -> None:
        self._working = False
        self.reload()
