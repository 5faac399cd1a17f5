""""Send again to the failed recipients": the failed recipients of one record's message get
it again — an admin's explicit action (nothing is ever sent again by itself). The same
template, sender and resources; the template's placeholders are asked for here (records do
not keep their values). Runs in a worker with progress and Cancel; new records are written,
the old ones stay as they were. Twin of ``bimail records --resend-failed ID``."""

from __future__ import annotations

import html
import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import BimailError
from ..domain.models import SendRecord
from ..services import Mailbox
from .feedback import ERROR_COLOUR, OK_COLOUR, coloured, error_html
from .fitting import grow_to_fit
from .workers import Task, TaskRunner

log = logging.getLogger(__name__)


class ResendDialog(QDialog):
    """Asks before sending, then sends and shows how it went."""

    sent = Signal(object)  # the SendOutcome

    def __init__(self, mailbox: Mailbox, record: SendRecord, recipients: list[str],
                 placeholders: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resendDialog")
        self.setWindowTitle(self.tr("Send again to the failed recipients"))
        self.mailbox = mailbox
        self.lang = str(getattr(mailbox, "lang", "en") or "en")
        self.record = record
        self.recipients = recipients
        self._runner = TaskRunner(self)
        self._task: Task | None = None
        self.outcome: Any = None
        layout = QVBoxLayout(self)
        intro = QLabel(self)
        intro.setObjectName("resendSummaryLabel")
        intro.setWordWrap(True)
        esc = html.escape
        intro.setText(
            self.tr("Send the template %1 again from %2 to:")
            .replace("%1", f"<b>{esc(record.template)}</b>")
            .replace("%2", f"<b>{esc(record.sender)}</b>")
            + "<br>" + "<br>".join(esc(r) for r in recipients)
            + "<br><br>" + esc(self.tr("This is a new mail with new sending records; the "
                                       "records of the first attempt stay as they are.")))
        layout.addWidget(intro)
        self.variable_edits: dict[str, QLineEdit] = {}
        if placeholders:
            form = QFormLayout()
            note = QLabel(self.tr("Sending records do not keep the values of the "
                                  "placeholders: type them again."), self)
            note.setWordWrap(True)
            layout.addWidget(note)
            for name in placeholders:
                edit = QLineEdit(self)
                edit.setObjectName(f"resendVariable_{name}")
                form.addRow(f"${{{name}}}:", edit)
                self.variable_edits[name] = edit
            layout.addLayout(form)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.status = QLabel(self)
        self.status.setObjectName("resendStatusLabel")
        self.status.setWordWrap(True)
        self.status.hide()
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(self)
        self.sendButton = QPushButton(self.tr("&Send again"), self)
        self.sendButton.setObjectName("resendButton")
        self.sendButton.setDefault(True)
        self.cancelButton = QPushButton(self.tr("Cancel sending"), self)
        self.cancelButton.hide()
        self.closeButton = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.sendButton, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.cancelButton, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(self.buttons)
        self.sendButton.clicked.connect(self.start)
        self.cancelButton.clicked.connect(self.cancel)
        self.buttons.rejected.connect(self.reject)
        first = next(iter(self.variable_edits.values()), None)
        (first or self.sendButton).setFocus()

    @property
    def sending(self) -> bool:
        return self._task is not None

    def _say(self, rich: str) -> None:
        self.status.setText(rich)
        self.status.setVisible(bool(rich))
        if self.isVisible():
            grow_to_fit(self)

    def start(self) -> None:
        if self._task is not None:
            return
        variables = {name: edit.text() for name, edit in self.variable_edits.items()}
        self._task = self._runner.start(
            self.mailbox.resend_failed, self.record.id, variables=variables,
            on_finished=self._finished, on_failed=self._failed, on_done=self._done)
        self.sendButton.setEnabled(False)
        self.cancelButton.show()
        self.cancelButton.setEnabled(True)
        self.progress.show()
        self._say(html.escape(self.tr("Sending…")))

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.cancelButton.setEnabled(False)
            self._say(html.escape(self.tr("Cancelling…")))

    def _finished(self, outcome: Any) -> None:
        self.outcome = outcome
        self.sent.emit(outcome)
        failed = [r for r in outcome.recipients if not r.success]
        if not failed:
            self._say(coloured("✔ " + self.tr("Sent to %1.").replace(
                "%1", ", ".join(r.recipient for r in outcome.recipients)), OK_COLOUR))
            return
        parts = [coloured(self.tr("%1 of %2 recipients failed again.")
                          .replace("%1", str(len(failed)))
                          .replace("%2", str(len(outcome.recipients))), ERROR_COLOUR)]
        if failed[0].error is not None:
            parts.append(error_html(failed[0].error, self.lang))
        self._say("<br>".join(parts))

    def _failed(self, error: BaseException) -> None:
        outcome = getattr(error, "outcome", None)
        if outcome is not None:
            self.outcome = outcome
            self.sent.emit(outcome)
        if not isinstance(error, BimailError):
            log.error("sending again failed unexpectedly", exc_info=error)
        self._say(error_html(error, self.lang))

    def _done(self) -> None:
        self._task = None
        self.progress.hide()
        self.cancelButton.hide()
        self.sendButton.setEnabled(self.outcome is None)

    def shutdown(self) -> None:
        self._runner.shutdown()
        self._task = None

    def done(self, result: int) -> None:
        self.shutdown()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt name
        self.shutdown()
        super().closeEvent(event)
