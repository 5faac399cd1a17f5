"""The Templates page: create a template with placeholders, see it as recipients will,
send it to a real local SMTP server and find the records under its name; duplicate,
delete, import an HTML file; malformed placeholders are named before anything is saved."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from bimail_desktop.domain.models import RecordFilter, SendResult
from bimail_desktop.gui.templates_page import SendTemplateDialog, TemplateDialog, TemplatesPage
from bimail_desktop.services import Mailbox


@pytest.fixture
def page(qtbot: Any, mailbox: Mailbox) -> Iterator[TemplatesPage]:
    widget = TemplatesPage(mailbox)
    qtbot.addWidget(widget)
    widget.resize(900, 560)
    widget.show()
    yield widget
    widget.shutdown()


def names(page: TemplatesPage) -> list[str]:
    return [t.name for t in page.templates]


def type_template(qtbot: Any, dialog: TemplateDialog, name: str, subject: str,
                  body: str) -> None:
    ui = dialog.ui
    ui.templateNameEdit.setFocus()
    qtbot.keyClicks(ui.templateNameEdit, name)
    qtbot.keyClicks(ui.templateSubjectEdit, subject)
    ui.templateHtmlEdit.setPlainText(body)


def save_button(dialog: TemplateDialog) -> Any:
    return dialog.ui.templateButtons.button(QDialogButtonBox.StandardButton.Save)


def test_object_names_and_the_builtin_test_mail(page: TemplatesPage) -> None:
    for name in ("templateList", "addTemplateButton", "editTemplateButton",
                 "deleteTemplateButton", "templatePreview"):
        assert page.findChild(object, name) is not None, name
    assert names(page) == ["Test Mail"]
    # the built-in Test Mail can be sent and duplicated, not edited or deleted
    assert not page.ui.editTemplateButton.isEnabled()
    assert not page.ui.deleteTemplateButton.isEnabled()
    assert page.ui.duplicateTemplateButton.isEnabled()
    assert "Congratulation!" in page.ui.templatePreview.toPlainText()


def test_create_with_placeholders_preview_and_send_to_a_real_server(
    qtbot: Any, page: TemplatesPage, mailbox: Mailbox, smtp_server_factory: Any
) -> None:
    server = smtp_server_factory("plain")
    mailbox.add_sender({"server": "127.0.0.1", "port": server.port, "encryption": "none",
                        "address": "bi@example.com"}, password="")
    mailbox.set_default_sender("bi@example.com")

    qtbot.mouseClick(page.ui.addTemplateButton, Qt.MouseButton.LeftButton)
    dialog = page.current_dialog
    assert isinstance(dialog, TemplateDialog)
    body = ('<p style="font-family: \'Wingdings 3\', Arial">Hello ${name}, '
            "sales for ${day}: <b>up</b>.</p>")
    type_template(qtbot, dialog, "Daily sales", "Sales for ${day}", body)
    assert "${day}, ${name}" in dialog.ui.templatePlaceholdersFound.text()
    dialog.update_preview()
    preview = dialog.ui.templateDialogPreview
    assert "Sales for ${day}" in preview.toPlainText()
    # the fallback font a send applies is in the preview too
    assert "SimSun" in preview.toHtml() and "Wingdings" not in preview.toHtml()
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.current_dialog is None)
    assert names(page) == ["Daily sales", "Test Mail"]
    assert page.selected_template().name == "Daily sales"  # type: ignore[union-attr]
    assert "Hello ${name}" in page.ui.templatePreview.toPlainText()
    assert "SimSun" in page.ui.templatePreview.toHtml()

    qtbot.mouseClick(page.ui.sendTemplateButton, Qt.MouseButton.LeftButton)
    send = page.current_dialog
    assert isinstance(send, SendTemplateDialog)
    assert set(send.variable_edits) == {"day", "name"}
    qtbot.keyClicks(send.ui.sendRecipientsEdit, "a@example.com, b@example.com")
    # a placeholder left empty is named, nothing is sent
    qtbot.mouseClick(send.ui.sendNowButton, Qt.MouseButton.LeftButton)
    assert "${day}" in send.ui.sendStatusLabel.text() and not server.messages
    qtbot.keyClicks(send.variable_edits["day"], "2024-05-01")
    qtbot.keyClicks(send.variable_edits["name"], "Team")
    qtbot.mouseClick(send.ui.sendNowButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not send.sending, timeout=15000)
    assert "Sent to 2 recipients" in send.ui.sendStatusLabel.text()
    assert len(server.messages) == 1
    received = message_from_bytes(server.messages[0].content, policy=policy.default)
    assert received["Subject"] == "Sales for 2024-05-01"
    assert sorted(server.messages[0].rcpt_tos) == ["a@example.com", "b@example.com"]
    records = mailbox.query_records(RecordFilter(template="Daily sales"))
    assert sorted(r.recipient for r in records) == ["a@example.com", "b@example.com"]
    assert {r.template for r in records} == {"Daily sales"}
    assert {r.result for r in records} == {SendResult.SUCCESS}


def test_malformed_placeholders_are_named_before_saving(
    qtbot: Any, page: TemplatesPage, mailbox: Mailbox
) -> None:
    dialog = page.add_template()
    assert isinstance(dialog, TemplateDialog)
    type_template(qtbot, dialog, "Broken", "Report ${first name}", "<p>Total: $5</p>")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    error = dialog.ui.templateErrorLabel
    assert error.isVisible()
    assert "${first name}" in error.text() and "Subject" in error.text()
    assert "$5" in error.text() and "HTML body" in error.text()
    assert mailbox.get_template("Broken") is None  # nothing saved
    dialog.ui.templateSubjectEdit.setText("Report ${first_name}")
    dialog.ui.templateHtmlEdit.setPlainText("<p>Total: $$5</p>")
    assert not error.isVisible()
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert mailbox.get_template("Broken") is not None


def test_escape_on_a_filled_in_form_asks_first(qtbot: Any, page: TemplatesPage,
                                               mailbox: Mailbox) -> None:
    dialog = page.add_template()
    assert isinstance(dialog, TemplateDialog)
    qtbot.keyClicks(dialog.ui.templateNameEdit, "Half written")
    asked: list[bool] = []
    dialog.ask_discard = lambda: asked.append(True) or False  # type: ignore[method-assign]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible()  # kept
    dialog.ask_discard = lambda: True  # type: ignore[method-assign]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.current_dialog is None)
    assert page.ui.templateList.hasFocus() or page.focusWidget() is page.ui.templateList


def test_duplicate_delete_and_import(qtbot: Any, page: TemplatesPage, mailbox: Mailbox,
                                     tmp_path: Path) -> None:
    page.ui.templateList.setCurrentRow(0)
    copy = page.duplicate_template()
    assert copy is not None and copy.name == "Test Mail (copy)" and not copy.builtin
    assert page.selected_template().name == "Test Mail (copy)"  # type: ignore[union-attr]
    assert page.ui.deleteTemplateButton.isEnabled()
    page.ask = lambda _title, _text: True  # type: ignore[method-assign]
    assert page.delete_template()
    assert names(page) == ["Test Mail"]

    file = tmp_path / "welcome.html"
    file.write_text("<h1>Welcome ${name}</h1>", "utf-8")
    dialog = page.import_template(str(file))
    assert isinstance(dialog, TemplateDialog)
    assert dialog.ui.templateNameEdit.text() == "welcome"
    assert dialog.ui.templateHtmlEdit.toPlainText() == "<h1>Welcome ${name}</h1>"
    qtbot.keyClicks(dialog.ui.templateSubjectEdit, "Welcome")
    assert dialog.save()
    assert mailbox.get_template("welcome").html == "<h1>Welcome ${name}</h1>"  # type: ignore[union-attr]

    bad = tmp_path / "latin1.html"
    bad.write_bytes("<p>Grüße</p>".encode("latin-1"))
    assert page.import_template(str(bad)) is None
    assert "not UTF-8" in page.ui.templatesMessageLabel.text()


def test_duplicate_is_also_a_command(cli: Any, tmp_path: Path) -> None:
    """The twin of Duplicate: `bimail templates duplicate NAME [--as NEW]`."""
    body = tmp_path / "body.html"
    body.write_text("<p>Hi ${name}</p>", "utf-8")
    assert cli("templates", "add", "Weekly", "--subject", "Week ${n}", "--html-file",
               str(body)).returncode == 0
    done = cli("--json", "templates", "duplicate", "Weekly")
    assert done.returncode == 0, done.stderr
    assert done.json()["name"] == "Weekly (copy)"  # type: ignore[index]
    done = cli("--json", "templates", "duplicate", "Weekly", "--as", "Monthly")
    assert done.json()["html"] == "<p>Hi ${name}</p>"  # type: ignore[index]
    listed = cli("--json", "templates", "list").json()
    assert sorted(t["name"] for t in listed) == [  # type: ignore[union-attr]
        "Monthly", "Test Mail", "Weekly", "Weekly (copy)"]
    missing = cli("templates", "duplicate", "Nope")
    assert missing.returncode != 0 and "no template named 'Nope'" in missing.stderr
