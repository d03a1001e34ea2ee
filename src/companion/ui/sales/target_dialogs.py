"""What a work list's target offers: logging an approach, and setting its status (a decline says why)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from companion.core.campaigns import DECLINING_STATUSES, INTERACTION_CHANNEL_FOR, TargetRow
from companion.model.errors import ValidationError
from companion.model.kinds import SENTIMENTS, TARGET_STATUSES, get_kind
from companion.model.labels import choice_label
from companion.model.values import parse_text
from companion.ui.common.edits import EditController
from companion.ui.common.saving_dialog import SavingDialog
from companion.ui.common.widgets import error_label
from companion.ui.sales import operations

# Approaches happen by these channels; a preferred channel already named as one is taken as it is.
APPROACH_CHANNELS = ("call", "email", "meeting", "video", "message", "event", "other")


def _who(target: TargetRow, nobody: str) -> str:
    who = target.contact_name or nobody
    return (
        f"{who}, {target.title} — {target.client_name}" if target.title else f"{who} — {target.client_name}"
    )


def _statuses(combo: QComboBox, current: str) -> None:
    for status in TARGET_STATUSES:
        combo.addItem(combo.tr(choice_label(status)), status)
    combo.setCurrentIndex(max(combo.findData(current), 0))


class _ReasonField:
    """The reason a target was declined or not relevant: shown only for those, its refusal beside it."""

    def __init__(self, dialog: QWidget, form: QFormLayout, status: QComboBox, text: str = ""):
        self.edit = QPlainTextEdit(text)
        self.edit.setTabChangesFocus(True)
        self.edit.setMaximumHeight(80)
        self.edit.setObjectName("reason")
        self.edit.setAccessibleName(dialog.tr("Reason"))
        self.edit.setPlaceholderText(
            dialog.tr("Why? The proposition's owner reads it as the market's answer.")
        )
        self.error = error_label()
        self.label = QLabel(dialog.tr("Reason"))
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.edit)
        column.addWidget(self.error)
        self.holder = holder
        form.addRow(self.label, holder)
        self.status = status
        status.currentIndexChanged.connect(lambda _i: self.follow_status())
        self.follow_status()

    def follow_status(self) -> None:
        shown = self.status.currentData() in DECLINING_STATUSES
        self.label.setVisible(shown)
        self.holder.setVisible(shown)

    def value(self) -> str | None:
        if self.status.currentData() not in DECLINING_STATUSES:
            return None
        return self.edit.toPlainText().strip() or None

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


class LogApproachDialog(SavingDialog):
    """Date (today), channel (the person's preferred one), what was said, how it went, where it leaves them
    and the next step: an interaction and the target's update, saved as one undoable change."""

    def __init__(self, edits: EditController, target: TargetRow, parent: QWidget | None = None):
        super().__init__(edits, parent)
        self.target = target
        self.setWindowTitle(self.tr("Log an approach"))
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        target = self.target
        layout = QVBoxLayout(self)
        heading = QLabel(_who(target, self.tr("(someone to find)")))
        heading.setProperty("role", "subheading")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        if target.approach or target.route_via_name:
            advice = QLabel(
                " ".join(
                    p for p in (
                        self.tr("Through {0}.").format(target.route_via_name) if target.route_via_name else "",
                        target.approach or "",
                    ) if p
                )
            )  # fmt: skip
            advice.setProperty("role", "muted")
            advice.setWordWrap(True)
            layout.addWidget(advice)
        form = QFormLayout()
        self.date = QLineEdit(dt.date.today().isoformat())
        self.date.setAccessibleName(self.tr("Date"))
        form.addRow(self.tr("Date"), self.date)
        self.channel = QComboBox()
        self.channel.setAccessibleName(self.tr("Channel"))
        for channel in APPROACH_CHANNELS:
            self.channel.addItem(self.tr(choice_label(channel)), channel)
        preferred = INTERACTION_CHANNEL_FOR.get(str(target.channel), target.channel)
        self.channel.setCurrentIndex(max(self.channel.findData(preferred), 0))
        form.addRow(self.tr("Channel"), self.channel)
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setPlaceholderText(self.tr("What you said, what they answered"))
        self.summary.setAccessibleName(self.tr("Summary"))
        form.addRow(self.tr("Summary"), self.summary)
        self.sentiment = QComboBox()
        self.sentiment.setAccessibleName(self.tr("Sentiment"))
        self.sentiment.addItem(self.tr("—"), None)
        for sentiment in SENTIMENTS:
            self.sentiment.addItem(self.tr(choice_label(sentiment)), sentiment)
        form.addRow(self.tr("Sentiment"), self.sentiment)
        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("New status"))
        now = target.status if target.status not in ("to_approach",) else "approached"
        _statuses(self.status, now)
        form.addRow(self.tr("New status"), self.status)
        self.reason = _ReasonField(self, form, self.status, target.reason or "")
        # The step just taken is usually the one that was planned: the new one replaces it (empty clears it),
        # and the old one shows faintly while nothing is typed.
        self.next_step = QLineEdit()
        self.next_step.setAccessibleName(self.tr("Next step"))
        self.next_step.setPlaceholderText(
            self.tr("was: {0}").format(target.next_step)
            if target.next_step
            else self.tr("e.g. send the reference case")
        )
        form.addRow(self.tr("Next step"), self.next_step)
        self.next_step_due = QLineEdit()
        self.next_step_due.setAccessibleName(self.tr("Next step by"))
        self.next_step_due.setPlaceholderText(self.tr("YYYY-MM-DD"))
        form.addRow(self.tr("Next step by"), self.next_step_due)
        layout.addLayout(form)
        self._add_footer(layout, QDialogButtonBox.StandardButton.Save)
        self.resize(520, 520)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)

    def _date(self, kind: str, name: str, edit: QLineEdit) -> str | None:
        """The date typed, or None; raises ValidationError naming the field when it does not read."""
        kind_ = get_kind(kind)
        value = parse_text(kind_, kind_.field(name), edit.text())
        return None if value is None else str(value)

    def _on_buttons_accepted(self) -> None:
        try:
            date = self._date("interaction", "date", self.date)
            due = self._date("campaign_target", "next_step_due", self.next_step_due)
        except ValidationError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        if date is None:
            self.problem.setText(self.tr("Interaction · Date (date): is required"))
            self.problem.show()
            return
        self.save(
            partial(
                operations.log_approach,
                target_id=self.target.id,
                date=date,
                channel=self.channel.currentData(),
                summary=self.summary.toPlainText().strip(),
                sentiment=self.sentiment.currentData(),
                status=self.status.currentData(),
                reason=self.reason.value(),
                next_step=self.next_step.text().strip() or None,
                next_step_due=due,
            )
        )

    def show_in_form(self, error: BaseException) -> bool:
        if isinstance(error, ValidationError) and error.field == "reason":
            # Beside its field, as the record forms say it: without the kind and field it names.
            self.reason.show_error(str(error).split(": ", 1)[-1])
            return True
        return False


class TargetStatusDialog(SavingDialog):
    """A target's status moved by hand; declined and not relevant ask why."""

    def __init__(self, edits: EditController, target: TargetRow, parent: QWidget | None = None):
        super().__init__(edits, parent)
        self.target = target
        self.setWindowTitle(self.tr("Set the target's status"))
        layout = QVBoxLayout(self)
        heading = QLabel(_who(target, self.tr("(someone to find)")))
        heading.setProperty("role", "subheading")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        form = QFormLayout()
        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Status"))
        _statuses(self.status, target.status)
        form.addRow(self.tr("Status"), self.status)
        self.reason = _ReasonField(self, form, self.status, target.reason or "")
        layout.addLayout(form)
        self._add_footer(layout, QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.resize(460, 260)

    def _on_buttons_accepted(self) -> None:
        self.reason.error.hide()
        self.save(
            partial(
                operations.set_target_status,
                target_id=self.target.id,
                status=self.status.currentData(),
                reason=self.reason.value(),
            )
        )

    def show_in_form(self, error: BaseException) -> bool:
        if isinstance(error, ValidationError) and error.field == "reason":
            # Beside its field, as the record forms say it: without the kind and field it names.
            self.reason.show_error(str(error).split(": ", 1)[-1])
            return True
        return False
