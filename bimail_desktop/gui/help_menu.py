"""The Help menu: the user guide (a local page shown in the program, or in the browser),
the data folder and the log file, a diagnostics summary for support (versions and settings,
never a password — the window's twin of ``bimail doctor``), and About."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QAction, QKeySequence

from .. import __version__
from ..config import data_home, log_dir
from ..paths import resource

if TYPE_CHECKING:  # the dialogs' classes load when the menu is first used
    from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QWidget

    from ..services import Mailbox


def guide_path(lang: str) -> Path:
    """The user guide in ``lang`` (English when there is none in that language)."""
    localised = resource("guide", f"index.{lang}.html")
    return localised if localised.is_file() else resource("guide", "index.html")


def log_file() -> Path:
    return log_dir() / "bimail.log"


def qt_versions() -> str:
    import PySide6
    from PySide6.QtCore import qVersion

    return f"Qt {qVersion()}, PySide6 {PySide6.__version__}"


def diagnostics_summary(mailbox: Mailbox | None, lang: str) -> str:
    """What support asks first, as plain text: versions, system, data folder, store,
    keychain, senders with their last check, and the last week's failures. Never a
    password or a token."""
    import platform

    lines = [f"bimail-desktop {__version__}",
             f"System: {platform.platform()}",
             f"Python: {platform.python_version()}",
             f"{qt_versions()}",
             f"Language: {lang}",
             f"Data folder: {data_home()}",
             f"Log file: {log_file()}"]
    if mailbox is None:
        return "\n".join(lines) + "\n"
    try:
        env = mailbox.diagnostics_environment()
        lines.append(f"OpenSSL: {env.get('openssl', '')}")
        lines.append(f"Keychain: {env.get('keyring_backend', '')}")
        lines.append(f"Store: {getattr(mailbox.store, 'shown_url', '')}")
        default = mailbox.default_sender()
        lines.append(f"Default sender: {default.address if default else '(none)'}")
        checks = mailbox.last_checks()
        senders = mailbox.list_senders()
        lines.append(f"Senders: {len(senders)}")
        for sender in senders:
            check = checks.get(sender.address.lower())
            last = "never checked" if check is None else (
                f"last {check.kind.replace('_', ' ')} {check.at.isoformat(timespec='seconds')}"
                f" {check.result}" + (f" ({check.error_code})" if check.error_code else ""))
            lines.append(f"  - {sender.address} via {sender.server}:{sender.port} "
                         f"{sender.encryption.value}, sign-in {sender.auth_method}; {last}")
        from datetime import UTC, datetime, timedelta

        from ..domain.models import RecordFilter, SendResult

        week = datetime.now(UTC) - timedelta(days=7)
        failures = mailbox.count_records(RecordFilter(since=week, result=SendResult.FAILURE))
        total = mailbox.count_records(RecordFilter(since=week))
        lines.append(f"Sending records, last 7 days: {total} ({failures} failed)")
    except Exception as error:  # noqa: BLE001 - the summary is most needed when things break
        lines.append(f"(could not read the store: {type(error).__name__}: {error})")
    return "\n".join(lines) + "\n"


class HelpMenu(QObject):
    """Fills the window's Help menu; the hooks ``open_url`` and ``inform`` are replaced by
    tests."""

    def __init__(self, window: QMainWindow, menu: QMenu, about: QAction) -> None:
        super().__init__(window)
        self.window = window

        self.guideAction = QAction(self.tr("&User guide"), window)
        self.guideAction.setObjectName("userGuideAction")
        # a list: setShortcut() makes PySide6 build the whole Qt namespace (~50 ms) to pick
        # its overload, before the window is painted
        self.guideAction.setShortcuts([QKeySequence(QKeySequence.StandardKey.HelpContents)])
        self.guideAction.triggered.connect(lambda: self.show_guide())
        self.dataFolderAction = QAction(self.tr("Open &data folder"), window)
        self.dataFolderAction.setObjectName("openDataFolderAction")
        self.dataFolderAction.triggered.connect(lambda: self.open_data_folder())
        self.logAction = QAction(self.tr("Open &log file"), window)
        self.logAction.setObjectName("openLogFileAction")
        self.logAction.triggered.connect(lambda: self.open_log_file())
        self.summaryAction = QAction(self.tr("&Copy diagnostics summary"), window)
        self.summaryAction.setObjectName("copyDiagnosticsAction")
        self.summaryAction.setToolTip(self.tr("Versions and settings for a support ticket (never "
                                         "a password)"))
        self.summaryAction.triggered.connect(lambda: self.copy_summary())
        for action in (self.guideAction, None, self.dataFolderAction, self.logAction,
                       self.summaryAction, None):
            if action is None:
                menu.insertSeparator(about)
            else:
                menu.insertAction(about, action)

    # -- hooks -------------------------------------------------------------------------
    @staticmethod
    def open_url(url: QUrl) -> bool:
        from PySide6.QtGui import QDesktopServices

        return bool(QDesktopServices.openUrl(url))

    @staticmethod
    def inform(parent: QWidget, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(parent, title, text)

    # -- actions -----------------------------------------------------------------------
    @property
    def mailbox(self) -> Mailbox | None:
        """The window's mailbox; while the store is still being opened, waits for it."""
        wait = getattr(self.window, "wait_for_mailbox", None)
        if callable(wait):
            wait()
        return getattr(self.window, "mailbox", None)

    @property
    def lang(self) -> str:
        return str(getattr(self.window, "lang", "en") or "en")

    def show_guide(self) -> QDialog:
        """The user guide in a window of the program; "Open in browser" beside Close."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import (
            QDialog,
            QDialogButtonBox,
            QPushButton,
            QTextBrowser,
            QVBoxLayout,
        )

        window = self.window
        path = guide_path(self.lang)
        dialog = QDialog(window)
        dialog.setObjectName("userGuideDialog")
        dialog.setWindowTitle(self.tr("User guide"))
        layout = QVBoxLayout(dialog)
        browser = QTextBrowser(dialog)
        browser.setObjectName("userGuideBrowser")
        browser.setOpenExternalLinks(True)
        browser.setSource(QUrl.fromLocalFile(str(path)))
        layout.addWidget(browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        external = QPushButton(self.tr("Open in &browser"), dialog)
        external.setObjectName("openGuideInBrowserButton")
        external.clicked.connect(lambda: self.open_url(QUrl.fromLocalFile(str(path))))
        buttons.addButton(external, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.resize(680, 560)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.guide_dialog = dialog
        dialog.show()
        return dialog

    def open_data_folder(self) -> bool:
        return self.open_url(QUrl.fromLocalFile(str(data_home())))

    def open_log_file(self) -> bool:
        path = log_file()
        if not path.is_file():
            self.inform(self.window, self.tr("Log file"),
                        self.tr("There is no log file yet: %1").replace("%1", str(path)))
            return False
        return self.open_url(QUrl.fromLocalFile(str(path)))

    def copy_summary(self) -> str:
        from PySide6.QtGui import QGuiApplication

        text = diagnostics_summary(self.mailbox, self.lang)
        QGuiApplication.clipboard().setText(text)
        bar = self.window.statusBar()
        bar.showMessage(self.tr("Diagnostics summary copied: paste it into your "
                                       "support ticket."), 8000)
        return text

    def about_text(self) -> str:
        import platform

        return (self.tr("bimail-desktop %1").replace("%1", __version__) + "\n\n"
                + self.tr("Sets up the BI server's system mailbox: sender accounts, the "
                            "default sender, templates, test mail, sending records and "
                            "diagnosis. The same is available headless with the bimail "
                            "command.") + "\n\n"
                + f"{qt_versions()}\nPython {platform.python_version()} ({sys.executable})\n"
                + self.tr("Data folder: %1").replace("%1", str(data_home())))
