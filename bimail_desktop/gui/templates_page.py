"""The Templates page: the mail templates (list, new, edit, duplicate, delete, import an
HTML file), a preview of the mail as recipients will see it, and "Send…" to chosen
recipients in a worker thread with progress and Cancel.

The forms are ``ui/templates_page.ui``, ``ui/template_dialog.ui`` and
``ui/send_template_dialog.ui``; this module wires them to the Mailbox
(``list_templates``, ``add_template``, ``update_template``, ``duplicate_template``,
``remove_template``, ``send``) — the twins of ``bimail templates …`` and ``bimail send``.

One module on purpose: the page and its two dialogs (edit, send) share the preview and the
placeholder check.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QListWidgetItem,
    QMessageBox,
    QWidget,
)

from ..domain.errors import BimailError
from ..domain.models import Template
from ..services import Mailbox
from ..services.templates import malformed_placeholders, placeholders, preview_template
from .feedback import ERROR_COLOUR, OK_COLOUR, coloured, error_html, error_plain, field_problem
from .generated.ui_send_template_dialog import Ui_SendTemplateDialog
from .generated.ui_template_dialog import Ui_TemplateDialog
from .generated.ui_templates_page import Ui_TemplatesPage
from .workers import Task, TaskRunner

log = logging.getLogger(__name__)

PREVIEW_DEBOUNCE_MS = 250


def preview_document(subject: str, body: str, subject_label: str) -> str:
    """The preview's HTML: the subject line above the body as a mail client shows it."""
    return (f"<p style='color:#777'><b>{html.escape(subject_label)}</b> "
            f"{html.escape(subject)}</p><hr>{body}")


def progress_line(message: object) -> str:
    """A send's progress line (a message of the text catalogue) in the window's
    language."""
    from ..domain.texts import render
    from .i18n import installed_language

    return render(message, installed_language())


def read_html_file(path: str) -> str:
    """An HTML file's text (UTF-8, with or without BOM); a clear error otherwise."""
    from ..services.templates import read_template_file

    # a regular file of at most 8 MB: never a device or a pipe that would not end
    return read_template_file(path, "html_file")


class TemplateDialog(QDialog):
    """New or edit one template: name, subject, HTML body, the placeholders found, and a
    live preview. Nothing is saved until Save; a malformed placeholder is named first."""

    saved = Signal(object)  # the Template

    def __init__(self, mailbox: Mailbox, template: Template | None = None,
                 parent: QWidget | None = None, *, html_text: str = "",
                 name: str = "") -> None:
        super().__init__(parent)
        self.ui = Ui_TemplateDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]
        self.setObjectName("templateDialog")
        self.mailbox = mailbox
        self.lang = str(getattr(mailbox, "lang", "en") or "en")
        self.original = template
        ui = self.ui
        self.setWindowTitle(self.tr("Edit template") if template else self.tr("New template"))
        if template is not None:
            ui.templateNameEdit.setText(template.name)
            ui.templateNameEdit.setReadOnly(True)
            ui.templateNameEdit.setToolTip(self.tr("To rename a template, duplicate it and "
                                                   "delete the old one."))
            ui.templateSubjectEdit.setText(template.subject)
            ui.templateHtmlEdit.setPlainText(template.html)
        else:
            ui.templateNameEdit.setText(name)
            ui.templateHtmlEdit.setPlainText(html_text)
        ui.templateErrorLabel.setStyleSheet(f"color: {ERROR_COLOUR};")
        ui.templateErrorLabel.hide()
        ui.editorSplitter.setStretchFactor(0, 1)
        ui.editorSplitter.setStretchFactor(1, 1)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DEBOUNCE_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        for edit in (ui.templateSubjectEdit,):
            edit.textChanged.connect(lambda _t: self._changed())
        ui.templateNameEdit.textChanged.connect(lambda _t: self._changed())
        ui.templateHtmlEdit.textChanged.connect(self._changed)
        ui.importHtmlButton.clicked.connect(lambda: self.import_html())
        save = ui.templateButtons.button(QDialogButtonBox.StandardButton.Save)
        save.clicked.connect(self.save)
        ui.templateButtons.rejected.connect(self.reject)
        self._saved_state = self._state()
        self.update_preview()
        self._update_placeholders()
        (ui.templateSubjectEdit if template else ui.templateNameEdit).setFocus()

    # -- hooks (tests replace them) ----------------------------------------------------
    def choose_html_file(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import HTML file"), "",
                                              self.tr("HTML files (*.html *.htm);;All files (*)"))
        return path

    def ask_discard(self) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Discard changes?"),
            self.tr("The template has changes that are not saved. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    # -- state -------------------------------------------------------------------------
    def _state(self) -> tuple[str, str, str]:
        ui = self.ui
        return (ui.templateNameEdit.text(), ui.templateSubjectEdit.text(),
                ui.templateHtmlEdit.toPlainText())

    def modified(self) -> bool:
        return self._state() != self._saved_state

    def current(self) -> Template:
        name, subject, body = self._state()
        return Template(name.strip(), subject, body)

    def _changed(self) -> None:
        self._update_placeholders()
        self._preview_timer.start()

    def problems(self) -> list[str]:
        """What would stop the template from being saved, each naming the field."""
        name, subject, body = self._state()
        found: list[str] = []
        for field, text in ((self.tr("Subject"), subject), (self.tr("HTML body"), body)):
            bad = malformed_placeholders(text)
            if bad:
                found.append(
                    self.tr("%1: %2 is not a placeholder. Write placeholders as ${name} "
                            "(letters, digits and _ only, no spaces) and a dollar sign as $$.")
                    .replace("%1", field).replace("%2", ", ".join(f"“{b}”" for b in bad)))
        return found

    def _update_placeholders(self) -> None:
        ui = self.ui
        names = placeholders(self.current())
        if names:
            ui.templatePlaceholdersFound.setText(
                self.tr("Placeholders (filled in at sending): %1")
                .replace("%1", ", ".join(f"${{{n}}}" for n in names)))
        else:
            ui.templatePlaceholdersFound.setText(self.tr("No placeholders."))
        problems = self.problems()
        ui.templateErrorLabel.setText("\n".join(problems))
        ui.templateErrorLabel.setVisible(bool(problems))

    def update_preview(self) -> None:
        self._preview_timer.stop()
        template = self.current()
        subject, body = preview_template(template)
        self.ui.templateDialogPreview.setHtml(
            preview_document(subject, body, self.tr("Subject:")))

    # -- actions -----------------------------------------------------------------------
    def import_html(self, path: str | None = None) -> bool:
        path = path or self.choose_html_file()
        if not path:
            return False
        try:
            text = read_html_file(path)
        except BimailError as exc:
            self._show_error(field_problem(exc))
            return False
        self.ui.templateHtmlEdit.setPlainText(text)
        if not self.ui.templateNameEdit.text().strip():
            self.ui.templateNameEdit.setText(Path(path).stem)
        return True

    def _show_error(self, text: str) -> None:
        self.ui.templateErrorLabel.setText(text)
        self.ui.templateErrorLabel.setVisible(bool(text))

    def save(self) -> bool:
        problems = self.problems()
        if problems:
            self._show_error("\n".join(problems))
            return False
        template = self.current()
        try:
            if self.original is None:
                stored = self.mailbox.add_template(template.name, template.subject,
                                                   template.html)
            else:
                stored = self.mailbox.update_template(self.original.name,
                                                      subject=template.subject,
                                                      html=template.html)
        except BimailError as exc:
            field = {"name": self.tr("Name"), "subject": self.tr("Subject"),
                     "html": self.tr("HTML body")}.get(exc.field or "", "")
            text = field_problem(exc) if exc.field else error_plain(exc, self.lang)
            self._show_error(f"{field}: {text}" if field else text)
            return False
        self._saved_state = self._state()
        self.saved.emit(stored)
        self.accept()
        return True

    def reject(self) -> None:
        if self.modified() and not self.ask_discard():
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt name
        if self.modified() and not self.ask_discard():
            event.ignore()
            return
        self._saved_state = self._state()  # reject() after this must not ask again
        super().closeEvent(event)


class SendTemplateDialog(QDialog):
    """Send one template to recipients typed here, from the default or a chosen sender,
    with a value for each placeholder; the send runs in a worker with progress and Cancel.
    Every recipient gets a sending record, as from ``bimail send``."""

    sendFailed = Signal(object)  # the first failed record's id (int) or None
    sent = Signal(object)  # the SendOutcome

    def __init__(self, mailbox: Mailbox, template: Template,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_SendTemplateDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]
        self.setObjectName("sendTemplateDialog")
        self.mailbox = mailbox
        self.lang = str(getattr(mailbox, "lang", "en") or "en")
        self.template = template
        self._runner = TaskRunner(self)
        self._task: Task | None = None
        self.outcome: Any = None
        ui = self.ui
        ui.sendTemplateNameLabel.setText(template.name)
        self.setWindowTitle(self.tr("Send “%1”").replace("%1", template.name))
        combo = ui.sendSenderCombo
        try:
            senders = mailbox.list_senders()
            default = mailbox.default_sender()
        except BimailError as exc:
            senders, default = [], None
            self._status(error_html(exc, self.lang))
        if default is not None:
            combo.addItem(self.tr("Default sender (%1)").replace("%1", default.address), None)
        for sender in senders:
            if default is None or sender.address != default.address:
                combo.addItem(sender.address, sender.address)
        self.variable_edits: dict[str, QLineEdit] = {}
        names = placeholders(template)
        for name in names:
            edit = QLineEdit(self)
            edit.setObjectName(f"sendVariable_{name}")
            edit.setPlaceholderText(self.tr("value of ${%1}").replace("%1", name))
            ui.sendVariablesForm.addRow(f"${{{name}}}:", edit)
            self.variable_edits[name] = edit
        ui.sendVariablesBox.setVisible(bool(names))
        # Tab order: recipients, sender, each placeholder, then the buttons
        previous: QWidget = combo
        for edit in self.variable_edits.values():
            QWidget.setTabOrder(previous, edit)
            previous = edit
        QWidget.setTabOrder(previous, ui.sendNowButton)
        ui.sendProgressBar.hide()
        ui.cancelSendButton.hide()
        ui.sendNowButton.clicked.connect(self.start_send)
        ui.cancelSendButton.clicked.connect(self.cancel_send)
        ui.closeSendButton.clicked.connect(self.reject)
        if default is None and not senders:
            ui.sendNowButton.setEnabled(False)
            self._status(coloured(self.tr("There is no sender yet: add one on the Senders "
                                          "page first."), ERROR_COLOUR, bold=False))
        ui.sendRecipientsEdit.setFocus()

    @property
    def sending(self) -> bool:
        return self._task is not None

    def recipients(self) -> list[str]:
        text = self.ui.sendRecipientsEdit.text().replace(";", ",").replace("\n", ",")
        return [part.strip() for part in text.split(",") if part.strip()]

    def _status(self, rich: str) -> None:
        self.ui.sendStatusLabel.setText(rich)
        self.ui.sendStatusLabel.setVisible(bool(rich))
        self.adjustSize()

    def start_send(self) -> None:
        if self._task is not None:
            return
        ui = self.ui
        to = self.recipients()
        if not to:
            self._status(coloured(self.tr("Recipients: enter at least one address (several "
                                          "separated by commas)."), ERROR_COLOUR, bold=False))
            ui.sendRecipientsEdit.setFocus()
            return
        empty = [name for name, edit in self.variable_edits.items() if not edit.text()]
        if empty:
            self._status(coloured(
                self.tr("Enter a value for %1.").replace(
                    "%1", ", ".join(f"${{{n}}}" for n in empty)), ERROR_COLOUR, bold=False))
            self.variable_edits[empty[0]].setFocus()
            return
        variables = {name: edit.text() for name, edit in self.variable_edits.items()}
        sender = ui.sendSenderCombo.currentData()
        self._task = self._runner.start(
            self.mailbox.send, self.template.name, to, variables=variables,
            sender=sender or None,
            on_finished=self._finished, on_failed=self._failed,
            on_progress=self._progress, on_done=self._done)
        ui.sendNowButton.setEnabled(False)
        ui.cancelSendButton.setEnabled(True)
        ui.cancelSendButton.show()
        ui.sendProgressBar.show()
        self._status(html.escape(self.tr("Sending to %1…").replace("%1", ", ".join(to))))

    def cancel_send(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        self.ui.cancelSendButton.setEnabled(False)
        self._status(html.escape(self.tr("Cancelling…")))

    def _progress(self, message: object) -> None:
        if self._task is not None and message:
            self._status(html.escape(progress_line(message)))

    def _finished(self, outcome: Any) -> None:
        self.outcome = outcome
        self.sent.emit(outcome)
        failed = list(getattr(outcome, "failed", ()))
        if failed:
            first = failed[0]
            text = self.tr("Sent to %1 of %2 recipients. Not sent to: %3").replace(
                "%1", str(len(outcome.succeeded))).replace(
                "%2", str(len(outcome.recipients))).replace(
                "%3", ", ".join(r.recipient for r in failed))
            parts = [coloured(text, ERROR_COLOUR)]
            if first.error is not None:
                parts.append(error_html(first.error, self.lang))
            self._status("<br>".join(parts))
            self.sendFailed.emit(first.record_id)
            return
        self._status(coloured("✔ " + self.tr("Sent to %1 recipients (%2 ms).").replace(
            "%1", str(len(outcome.recipients))).replace("%2", str(outcome.duration_ms)),
            OK_COLOUR))

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, BimailError):
            log.error("send failed unexpectedly", exc_info=error)
        self._status(error_html(error, self.lang))
        outcome = getattr(error, "outcome", None)
        self.outcome = outcome
        record = None
        if outcome is not None and getattr(outcome, "recipients", None):
            record = outcome.recipients[0].record_id
        self.sendFailed.emit(record)

    def _done(self) -> None:
        self._task = None
        ui = self.ui
        ui.sendProgressBar.hide()
        ui.cancelSendButton.hide()
        ui.sendNowButton.setEnabled(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt name
        if event.key() == Qt.Key.Key_Escape and self._task is not None:
            self.cancel_send()  # Escape while sending cancels the send, not the dialog
            return
        super().keyPressEvent(event)

    def shutdown(self) -> None:
        self._runner.shutdown()
        self._task = None

    def done(self, result: int) -> None:
        self.shutdown()
        super().done(result)


class TemplatesPage(QWidget):
    """The list of templates, the preview of the selected one, and its actions."""

    #: a send from this page failed: the first failed record's id (or None)
    sendFailed = Signal(object)

    def __init__(self, mailbox: Mailbox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_TemplatesPage()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]
        self.setObjectName("templatesPage")
        self.mailbox = mailbox
        self.lang = str(getattr(mailbox, "lang", "en") or "en")
        self.current_dialog: QDialog | None = None
        self._templates: list[Template] = []
        ui = self.ui
        ui.templatesSplitter.setStretchFactor(0, 1)
        ui.templatesSplitter.setStretchFactor(1, 3)
        ui.templateList.currentRowChanged.connect(lambda _row: self._show_selected())
        ui.templateList.itemDoubleClicked.connect(lambda _item: self.edit_template())
        ui.addTemplateButton.clicked.connect(lambda: self.add_template())
        ui.editTemplateButton.clicked.connect(lambda: self.edit_template())
        ui.duplicateTemplateButton.clicked.connect(lambda: self.duplicate_template())
        ui.deleteTemplateButton.clicked.connect(lambda: self.delete_template())
        ui.importTemplateButton.clicked.connect(lambda: self.import_template())
        ui.sendTemplateButton.clicked.connect(lambda: self.send_template())
        for text, keys, slot in (
            (self.tr("&Edit…"), QKeySequence(Qt.Key.Key_Return), self.edit_template),
            (self.tr("D&uplicate"), QKeySequence(self.tr("Ctrl+D")), self.duplicate_template),
            (self.tr("&Send…"), QKeySequence(self.tr("Ctrl+Shift+S")), self.send_template),
            (self.tr("&Delete"), QKeySequence(QKeySequence.StandardKey.Delete),
             self.delete_template),
        ):
            action = QAction(text, ui.templateList)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _c=False, s=slot: s())
            ui.templateList.addAction(action)
        self.refresh()

    # -- hooks (tests replace them) ----------------------------------------------------
    def ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self, title, text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def choose_html_file(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import HTML file"), "",
                                              self.tr("HTML files (*.html *.htm);;All files (*)"))
        return path

    # -- reading -----------------------------------------------------------------------
    @property
    def templates(self) -> list[Template]:
        return list(self._templates)

    def refresh(self, select: str | None = None) -> None:
        current = self.selected_template()
        keep = select or (current.name if current else None)
        try:
            self._templates = self.mailbox.list_templates()
        except BimailError as exc:
            self._message(error_plain(exc, self.lang), error=True)
            return
        lst = self.ui.templateList
        lst.blockSignals(True)
        lst.clear()
        row = 0
        for index, template in enumerate(self._templates):
            label = template.name
            if template.builtin:
                label += " " + self.tr("(built in)")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, template.name)
            item.setToolTip(template.subject)
            lst.addItem(item)
            if keep and template.name == keep:
                row = index
        lst.blockSignals(False)
        if self._templates:
            lst.setCurrentRow(row)
        self._show_selected()

    def selected_template(self) -> Template | None:
        item = self.ui.templateList.currentItem()
        if item is None:
            return None
        name = item.data(Qt.ItemDataRole.UserRole)
        return next((t for t in self._templates if t.name == name), None)

    def _show_selected(self) -> None:
        ui = self.ui
        template = self.selected_template()
        has = template is not None
        editable = has and not template.builtin  # type: ignore[union-attr]
        ui.editTemplateButton.setEnabled(editable)
        ui.deleteTemplateButton.setEnabled(editable)
        ui.duplicateTemplateButton.setEnabled(has)
        ui.sendTemplateButton.setEnabled(has)
        if template is None:
            ui.templateSubjectLabel.setText(self.tr("No template selected."))
            ui.templatePlaceholdersLabel.clear()
            ui.templatePreview.clear()
            return
        subject, body = preview_template(template)
        ui.templateSubjectLabel.setText(
            "<b>" + html.escape(self.tr("Subject:")) + "</b> " + html.escape(subject))
        names = placeholders(template)
        ui.templatePlaceholdersLabel.setText(
            self.tr("Placeholders (filled in at sending): %1").replace(
                "%1", ", ".join(f"${{{n}}}" for n in names))
            if names else self.tr("No placeholders."))
        ui.templatePreview.setHtml(body)
        if template.builtin:
            ui.editTemplateButton.setToolTip(self.tr("The built-in Test Mail cannot be "
                                                     "changed; duplicate it to make your own."))
        else:
            ui.editTemplateButton.setToolTip("")

    def _message(self, text: str, *, error: bool = False) -> None:
        label = self.ui.templatesMessageLabel
        label.setText(text)
        label.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")

    # -- actions -----------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> QDialog:
        if self.current_dialog is not None:
            self.current_dialog.raise_()
            self.current_dialog.activateWindow()
            return self.current_dialog
        self.current_dialog = dialog
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()
        return dialog

    def _closed(self, dialog: QDialog) -> None:
        if self.current_dialog is dialog:
            self.current_dialog = None
        dialog.deleteLater()
        self.ui.templateList.setFocus()  # focus returns where the admin was

    def add_template(self, *, html_text: str = "", name: str = "") -> QDialog:
        dialog = TemplateDialog(self.mailbox, None, self, html_text=html_text, name=name)
        dialog.saved.connect(lambda t: self._saved(t, self.tr("Template “%1” added.")))
        return self._open(dialog)

    def edit_template(self) -> QDialog | None:
        template = self.selected_template()
        if template is None or template.builtin:
            return None
        dialog = TemplateDialog(self.mailbox, template, self)
        dialog.saved.connect(lambda t: self._saved(t, self.tr("Template “%1” saved.")))
        return self._open(dialog)

    def _saved(self, template: Template, text: str) -> None:
        self.refresh(select=template.name)
        self._message(text.replace("%1", template.name))

    def duplicate_template(self) -> Template | None:
        template = self.selected_template()
        if template is None:
            return None
        try:
            copy = self.mailbox.duplicate_template(template.name)
        except BimailError as exc:
            self._message(error_plain(exc, self.lang), error=True)
            return None
        self._saved(copy, self.tr("Template “%1” added (a copy of “%2”).").replace(
            "%2", template.name))
        return copy

    def delete_template(self) -> bool:
        template = self.selected_template()
        if template is None or template.builtin:
            return False
        if not self.ask(self.tr("Delete template"),
                        self.tr("Delete the template “%1”? Sending records keep its name.")
                        .replace("%1", template.name)):
            return False
        try:
            self.mailbox.remove_template(template.name)
        except BimailError as exc:
            self._message(error_plain(exc, self.lang), error=True)
            return False
        self.refresh()
        self._message(self.tr("Template “%1” deleted.").replace("%1", template.name))
        return True

    def import_template(self, path: str | None = None) -> QDialog | None:
        """A new template from an HTML file: the editor opens with the file's text."""
        path = path or self.choose_html_file()
        if not path:
            return None
        try:
            text = read_html_file(path)
        except BimailError as exc:
            self._message(field_problem(exc), error=True)
            return None
        taken = {t.name for t in self._templates}
        name = Path(path).stem
        return self.add_template(html_text=text, name="" if name in taken else name)

    def send_template(self) -> SendTemplateDialog | None:
        template = self.selected_template()
        if template is None:
            return None
        dialog = SendTemplateDialog(self.mailbox, template, self)
        dialog.sendFailed.connect(self.sendFailed.emit)
        opened = self._open(dialog)
        return opened if isinstance(opened, SendTemplateDialog) else None

    def shutdown(self) -> None:
        dialog = self.current_dialog
        if isinstance(dialog, SendTemplateDialog):
            dialog.shutdown()
        if dialog is not None:
            if isinstance(dialog, TemplateDialog):
                dialog._saved_state = dialog._state()  # closing the window: no question
            dialog.reject()
