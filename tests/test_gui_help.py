"""The Help menu: the user guide shown in the program (and in the browser), the data folder,
the log file, a diagnostics summary for support that never holds a password, and About."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication, QPushButton, QTextBrowser

from bimail_desktop import __version__
from bimail_desktop.config import data_home, log_dir
from bimail_desktop.gui.help_menu import HelpMenu
from bimail_desktop.gui.main_window import MainWindow
from bimail_desktop.services import Mailbox


@pytest.fixture
def window(qtbot: Any, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    opened: list[QUrl] = []
    told: list[str] = []
    monkeypatch.setattr(HelpMenu, "open_url", staticmethod(lambda url: opened.append(url)
                                                           or True))
    monkeypatch.setattr(HelpMenu, "inform", staticmethod(lambda _p, _t, text:
                                                         told.append(text)))
    shown = MainWindow(mailbox, remember=False)
    qtbot.addWidget(shown)
    shown.show()
    shown.opened, shown.told = opened, told  # type: ignore[attr-defined]
    yield shown
    shown.shutdown()


def test_help_menu_entries(window: Any) -> None:
    names = [a.objectName() for a in window.ui.helpMenu.actions() if a.objectName()]
    assert names == ["userGuideAction", "openDataFolderAction", "openLogFileAction",
                     "copyDiagnosticsAction", "aboutAction"]
    assert window.help.guideAction.shortcut().toString() == "F1"


def test_user_guide_in_the_program_and_the_browser(qtbot: Any, window: Any) -> None:
    window.help.guideAction.trigger()
    dialog = window.help.guide_dialog
    browser = dialog.findChild(QTextBrowser, "userGuideBrowser")
    assert "Add a sender" in browser.toPlainText()
    assert "Send again to the failed recipients" in browser.toPlainText()
    dialog.findChild(QPushButton, "openGuideInBrowserButton").click()
    url = window.opened[-1]
    assert url.isLocalFile() and Path(url.toLocalFile()).name == "index.html"
    assert Path(url.toLocalFile()).is_file()
    dialog.close()


def test_the_guide_in_chinese(qtbot: Any, window: Any) -> None:
    window.lang = "zh_CN"
    dialog = window.help.show_guide()
    assert "添加发件人" in dialog.findChild(QTextBrowser, "userGuideBrowser").toPlainText()
    dialog.close()


def test_data_folder_and_log_file(window: Any) -> None:
    window.help.dataFolderAction.trigger()
    assert Path(window.opened[-1].toLocalFile()) == data_home()
    log = log_dir() / "bimail.log"
    if log.exists():
        log.unlink()
    assert not window.help.open_log_file()
    assert "no log file yet" in window.told[-1]
    log.write_text("started\n", "utf-8")
    assert window.help.open_log_file()
    assert Path(window.opened[-1].toLocalFile()) == log


def test_diagnostics_summary_has_what_support_needs_and_no_password(
    window: Any, mailbox: Mailbox
) -> None:
    mailbox.add_sender({"server": "smtp.example.com", "port": 587, "encryption": "tls",
                        "address": "bi@example.com"}, password="pa55-w0rd-secret")
    mailbox.set_default_sender("bi@example.com")
    window.help.summaryAction.trigger()
    text = QApplication.clipboard().text()
    assert f"bimail-desktop {__version__}" in text
    assert str(data_home()) in text and "Python" in text and "Qt " in text
    assert "Default sender: bi@example.com" in text
    assert "bi@example.com via smtp.example.com:587 tls" in text and "never checked" in text
    assert "pa55-w0rd-secret" not in text
    assert "copied" in window.statusBar().currentMessage()


def test_about_names_versions_and_the_data_folder(window: Any) -> None:
    text = window.help.about_text()
    assert __version__ in text and "Qt " in text and "Python " in text
    assert str(data_home()) in text
