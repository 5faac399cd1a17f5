"""The main window: Senders, Sending records and Diagnostics pages, a banner when no secure
keychain exists, and a status bar that says whether the mailbox is configured (D2).

Window geometry and the last page are remembered in ``gui.ini`` inside the data folder
(``BIMAIL_HOME``), never in the platform's registry, so tests and portable installs keep
everything in one place.

One module on purpose: the window owns the pages' lifetimes, the menus and the status
bar, which all react to the same store and language.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QEvent, QEventLoop, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QActionGroup, QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QFileDialog, QGridLayout, QLabel, QMainWindow, QMessageBox, QWidget

from ..config import data_home, ensure_private_dir
from .feedback import BANNER_STYLE, OK_COLOUR, WARN_COLOUR, error_plain
from .generated.ui_main_window import Ui_MainWindow

if TYPE_CHECKING:
    from ..services import Mailbox
    from ..store.glance import SendersGlance
    from .diagnostics_page import DiagnosticsPage
    from .records_page import RecordsPage
    from .relay_page import RelayPage
    from .senders_page import SendersPage
    from .templates_page import TemplatesPage

log = logging.getLogger(__name__)

PAGES = ("senders", "records", "diagnostics", "templates", "relay")


def gui_settings() -> QSettings:
    """The GUI's own settings file, inside the data folder."""
    path = ensure_private_dir(data_home()) / "gui.ini"
    return QSettings(str(path), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    """``MainWindow(mailbox)`` builds the whole window. ``MainWindow(None)`` paints an empty
    shell at once ("Opening the data store…") and :meth:`attach` fills the pages when the
    store is open, so the window appears before the database layer has even been imported.
    ``MainWindow(None, glance=…)`` paints the Senders page already listing the senders of a
    first look at the store (:mod:`bimail_desktop.store.glance`).

    :meth:`load_mailbox` opens the store in a background thread and attaches the mailbox
    when it is open; meanwhile the window paints and answers, and an action that needs the
    mailbox waits for it (:meth:`wait_for_mailbox`: a busy cursor, then the action).
    """

    #: the mailbox :meth:`load_mailbox` opened is attached
    mailboxReady = Signal()
    #: :meth:`load_mailbox` could not open the mailbox: the exception
    mailboxFailed = Signal(object)
    # from the loading thread: (mailbox or None, exception or None)
    _loaded = Signal(object, object)

    def __init__(
        self,
        mailbox: Mailbox | None,
        parent: QWidget | None = None,
        *,
        remember: bool = True,
        lang: str = "en",
        glance: SendersGlance | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]
        self.setObjectName("mainWindow")
        self.mailbox: Mailbox | None = None
        self.lang = lang
        self._shut_down = False
        self._fitted = False  # fitted to the screen when first shown
        self.fit_screen = True  # False: an off-screen picture keeps the size it is given
        self._remember = remember  # False: screenshots leave the saved geometry alone
        self._pages: list[QWidget] = []  # the pages built so far, in tab order
        self._built: dict[str, QWidget] = {}
        self._placing = False
        self.keychain_checked = False  # the keychain banner shows the keychain's state
        self.senders_page: SendersPage
        self._loader: threading.Thread | None = None  # opening the store (load_mailbox)
        self._unclaimed: list[Mailbox] = []  # opened, not attached (yet)
        self._waiting: list[QEventLoop] = []  # actions waiting for the mailbox
        self._loaded.connect(self._mailbox_loaded)
        tabs = self.ui.pageTabs
        for number, _name in enumerate(PAGES, start=1):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda index=number - 1: tabs.setCurrentIndex(index))

        self.statusLabel = QLabel(self)
        self.statusLabel.setObjectName("statusLabel")
        self.ui.statusBar.addWidget(self.statusLabel, 1)
        # a send started from the window that failed: said here, with a link to its record
        self.noticeLabel = QLabel(self)
        self.noticeLabel.setObjectName("sendNoticeLabel")
        self.noticeLabel.linkActivated.connect(self._notice_link)
        self.noticeLabel.hide()
        self.ui.statusBar.addPermanentWidget(self.noticeLabel)
        # set here rather than in the form: uic's setShortcut(str) makes PySide6 build the
        # whole Qt namespace (~12 ms) to pick the overload before the window is painted
        self.ui.quitAction.setShortcuts([QKeySequence(self.tr("Ctrl+Q"))])
        self.ui.quitAction.triggered.connect(self.close)
        self.ui.exportConfigAction.triggered.connect(lambda: self.export_config())
        self.ui.importConfigAction.triggered.connect(lambda: self.import_config())
        self._set_config_actions_enabled(mailbox is not None or glance is not None)
        self._setup_language_menu()
        self.ui.aboutAction.triggered.connect(self._about)
        from .help_menu import HelpMenu

        self.help = HelpMenu(self, self.ui.helpMenu, self.ui.aboutAction)
        self.ui.keychainBanner.hide()
        if remember:
            self._restore_geometry()
        if mailbox is not None:
            self.attach(mailbox)
        elif glance is not None:
            self._show_glance(glance)
        else:
            tabs.addTab(self._waiting_page(), self.tr("&Senders"))
            self.statusLabel.setText(self.tr("Opening the data store…"))

    def _waiting_page(self) -> QWidget:
        """The page shown until the store is open: "Opening the data store…" centred by
        stretching the rows and columns around it (no ``Qt`` namespace, whose first use
        costs PySide6 ~12 ms of start-up, before the window is painted)."""
        page = QWidget(self)
        grid = QGridLayout(page)
        grid.addWidget(QLabel(self.tr("Opening the data store…"), page), 1, 1)
        for edge in (0, 2):
            grid.setRowStretch(edge, 1)
            grid.setColumnStretch(edge, 1)
        return page

    def _place_senders_page(self, page: SendersPage) -> None:
        """Put the Senders page in the first tab, the other pages' tabs after it (each
        page is built when first shown)."""
        tabs = self.ui.pageTabs
        self._placing = True
        while tabs.count():
            placeholder = tabs.widget(0)
            tabs.removeTab(0)
            if placeholder is not None:
                placeholder.deleteLater()
        self.senders_page = page
        self._built["senders"] = page
        self._pages = [page]
        tabs.addTab(page, self.tr("&Senders"))
        tabs.addTab(QWidget(self), self.tr("Sending &records"))
        tabs.addTab(QWidget(self), self.tr("Dia&gnostics"))
        tabs.addTab(QWidget(self), self.tr("&Templates"))
        tabs.addTab(QWidget(self), self.tr("Re&lay"))
        self._placing = False
        tabs.currentChanged.connect(self._page_shown)
        page.sendFailed.connect(self.show_failed_send)
        page.wait_for_mailbox = self.wait_for_mailbox

    def _show_glance(self, glance: SendersGlance) -> None:
        """The Senders page listing the senders of a first look at the store (the
        mailbox is not open yet; :meth:`attach` gives it the mailbox)."""
        from .senders_page import SendersPage  # imports no database library

        page = SendersPage(None, self, lang=self.lang)
        self._place_senders_page(page)
        page.statusChanged.connect(self._show_status)
        page.show_glance(glance)
        self._show_status_where_useful()

    def attach(self, mailbox: Mailbox) -> None:
        """Build the pages on ``mailbox`` (once): the Senders page at once, the others when
        first shown (or asked for: :attr:`records_page`, :attr:`pages`), so that the window
        is usable before their modules are even imported. A Senders page that lists a first
        look at the store is given the mailbox and reads the senders again from it."""
        if self.mailbox is not None:
            return
        from .senders_page import SendersPage

        self.mailbox = mailbox
        self.lang = str(getattr(mailbox, "lang", self.lang) or self.lang)
        if "senders" in self._built:
            self.senders_page.set_mailbox(mailbox)
        else:
            self._place_senders_page(SendersPage(mailbox, self))
            self.senders_page.statusChanged.connect(self._show_status)
        self._show_status(self.senders_page.status_text(), self.mailbox_configured())
        # the keychain is asked (a test entry written, read and removed) once the senders
        # are painted: finding its backend would otherwise hold the list up
        self._after_next_paint(self.check_keychain)
        self._set_config_actions_enabled(True)
        self._show_status_where_useful()
        if self._remember:
            self._restore_page()

    # -- opening the store in the background ---------------------------------------------
    def load_mailbox(self, open_mailbox: Callable[[], Mailbox]) -> None:
        """Run ``open_mailbox`` (import the services, open the store, its start-up work) in
        a background thread; then :meth:`attach` what it opened and emit
        :attr:`mailboxReady`, or emit :attr:`mailboxFailed` with its exception. Both are
        emitted on the window's thread."""
        if self.mailbox is not None or self._loader is not None:
            return

        def run() -> None:
            mailbox: Mailbox | None = None
            error: BaseException | None = None
            try:
                mailbox = open_mailbox()
            except BaseException as exc:  # noqa: BLE001 - reported by the window's thread
                error = exc
            if mailbox is not None:
                self._unclaimed.append(mailbox)  # until the window's thread attaches it
            try:
                self._loaded.emit(mailbox, error)
            except RuntimeError:  # the window is gone: nobody will use the mailbox
                pass  # nothing more to do: finish_loading() closes what it opened

        self._loader = threading.Thread(target=run, name="open-store", daemon=True)
        self._loader.start()

    @property
    def loading(self) -> bool:
        """The store is being opened in the background."""
        return self._loader is not None and self.mailbox is None

    def _mailbox_loaded(self, mailbox: Mailbox | None, error: BaseException | None) -> None:
        loader, self._loader = self._loader, None
        if loader is not None:
            loader.join()  # it has emitted: only its return is left
        try:
            if mailbox is None:
                self.mailboxFailed.emit(error)
            elif not self._shut_down:
                self._unclaimed.remove(mailbox)
                self.attach(mailbox)
                self.mailboxReady.emit()
        finally:
            for loop in list(self._waiting):
                loop.quit()

    def wait_for_mailbox(self) -> bool:
        """True once the mailbox is attached; while it is being opened, wait for it (a
        busy cursor; the window keeps painting, the admin's clicks and keys wait in the
        queue). False when it could not be opened (the window has said why)."""
        if self.mailbox is not None:
            return True
        if self._loader is None or self._shut_down:
            return False
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        loop = QEventLoop(self)
        self._waiting.append(loop)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        finally:
            QApplication.restoreOverrideCursor()
            self._waiting.remove(loop)
            loop.deleteLater()
        return self.mailbox is not None

    def finish_loading(self) -> None:
        """Wait for a store still being opened and close what it opened (the window is
        closing without it)."""
        loader = self._loader
        if loader is not None and loader is not threading.current_thread():
            loader.join(timeout=60)
        for mailbox in self._unclaimed:
            mailbox.close()
        self._unclaimed.clear()

    def _page_shown(self, index: int) -> None:
        if not self._placing and 0 <= index < len(PAGES):
            self._page(PAGES[index])
        self._show_status_where_useful()

    def _show_status_where_useful(self) -> None:
        """The Senders page says whether the mailbox is configured; the status bar says it
        on the other pages only, so that the sentence is never shown twice."""
        on_senders = "senders" in self._built and self.current_page() == "senders"
        self.statusLabel.setVisible(not on_senders)

    # -- a failed send, with a link to its record ------------------------------------------
    def show_failed_send(self, record_id: object) -> None:
        """Say in the status bar that a send started here failed, with a link to its
        record (the notice stays until the admin follows it or the next send)."""
        import html

        from PySide6.QtCore import Qt

        from .feedback import ERROR_COLOUR

        if record_id is None:
            return
        self.noticeLabel.setTextFormat(Qt.TextFormat.RichText)
        text = html.escape(self.tr("A mail could not be sent."))
        link = html.escape(self.tr("Show its record"))
        self.noticeLabel.setText(
            f'<span style="color:{ERROR_COLOUR}">✘ {text}</span> '
            f'<a href="record:{int(str(record_id))}">{link}</a>')
        self.noticeLabel.show()

    def _notice_link(self, link: str) -> None:
        if link.startswith("record:"):
            self.open_record(int(link.split(":", 1)[1]))

    def open_record(self, record_id: int) -> None:
        """Show the Sending records page with record ``record_id`` selected."""
        self.noticeLabel.hide()
        self.show_page("records")
        self.records_page.show_record(record_id)

    def _page(self, name: str) -> QWidget:
        """The page ``name``, built (and put in its tab) on first use."""
        page = self._built.get(name)
        if page is not None:
            return page
        if self.mailbox is None and not self.wait_for_mailbox():
            placeholder = self.ui.pageTabs.widget(PAGES.index(name))
            assert placeholder is not None, "attach() a mailbox first"
            return placeholder
        page = self._built.get(name)  # built while waiting (the page asked for again)
        if page is not None:
            return page
        assert self.mailbox is not None
        if name == "records":
            from .records_page import RecordsPage

            page = RecordsPage(self.mailbox, self)
        elif name == "diagnostics":
            from .diagnostics_page import DiagnosticsPage

            page = DiagnosticsPage(self.mailbox, self)
        elif name == "relay":
            from .relay_page import RelayPage

            page = RelayPage(self.mailbox, self)
        else:
            from .templates_page import TemplatesPage

            page = TemplatesPage(self.mailbox, self)
            page.sendFailed.connect(self.show_failed_send)
        self._built[name] = page
        self._pages = [self._built[n] for n in PAGES if n in self._built]
        tabs = self.ui.pageTabs
        index = PAGES.index(name)
        current = tabs.currentIndex()
        self._placing = True
        try:
            placeholder = tabs.widget(index)
            label = tabs.tabText(index)
            tabs.removeTab(index)
            tabs.insertTab(index, page, label)
            tabs.setCurrentIndex(current)
            if placeholder is not None:
                placeholder.deleteLater()
        finally:
            self._placing = False
        return page

    @property
    def records_page(self) -> RecordsPage:
        return cast("RecordsPage", self._page("records"))

    @property
    def diagnostics_page(self) -> DiagnosticsPage:
        return cast("DiagnosticsPage", self._page("diagnostics"))

    @property
    def templates_page(self) -> TemplatesPage:
        return cast("TemplatesPage", self._page("templates"))

    @property
    def relay_page(self) -> RelayPage:
        return cast("RelayPage", self._page("relay"))

    # -- pages -------------------------------------------------------------------------
    @property
    def pages(self) -> list[QWidget]:
        """Every page (those not shown yet are built now)."""
        if self.mailbox is not None:
            for name in PAGES:
                self._page(name)
        return list(self._pages)

    def show_page(self, name: str) -> None:
        """Switch to the page ``senders``, ``records``, ``templates`` or ``diagnostics``."""
        self.ui.pageTabs.setCurrentIndex(PAGES.index(name))

    def current_page(self) -> str:
        return PAGES[max(self.ui.pageTabs.currentIndex(), 0)]

    # -- status and banner -------------------------------------------------------------
    def mailbox_configured(self) -> bool:
        if self.mailbox is None:
            return False
        try:
            return self.mailbox.is_configured()
        except Exception:  # noqa: BLE001 - the status line must not break the window
            log.exception("could not read the default sender")
            return False

    def _show_status(self, text: str, configured: bool) -> None:
        self.statusLabel.setText(text)
        colour = OK_COLOUR if configured else WARN_COLOUR
        self.statusLabel.setStyleSheet(f"QLabel {{ color: {colour}; }}")

    def _after_next_paint(self, work: Callable[[], None]) -> None:
        """Run ``work`` once the window has been painted (or after a moment, should no
        paint come, e.g. a window that is not shown)."""
        done: list[bool] = []

        def run() -> None:
            if not done and not self._shut_down:
                done.append(True)
                self.removeEventFilter(watcher)
                work()

        class Painted(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
                if event.type() == QEvent.Type.Paint:
                    QTimer.singleShot(0, self, run)
                return False

        watcher = Painted(self)
        self.installEventFilter(watcher)
        QTimer.singleShot(500, watcher, run)  # dropped with the window

    def check_keychain(self) -> None:
        """Show the banner when no secure keychain is usable (hide it when one is)."""
        self._show_keychain_banner()
        self.keychain_checked = True

    def _show_keychain_banner(self) -> None:
        banner = self.ui.keychainBanner
        if self.mailbox is None:
            return
        try:
            status = self.mailbox.keychain_status()
        except Exception:  # noqa: BLE001
            log.exception("could not check the keychain")
            banner.hide()
            return
        if status.available:
            banner.hide()
            return
        import html

        from PySide6.QtCore import Qt

        from ..domain.errors import CATALOGUE, ErrorCode

        title, explanation, fix = CATALOGUE[ErrorCode.SECRET_UNAVAILABLE].text(self.lang)
        banner.setTextFormat(Qt.TextFormat.RichText)
        banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        banner.setText(
            f"<b>⚠ {html.escape(title)}</b><br>{html.escape(explanation)}<br>"
            f"<b>{html.escape(self.tr('What to do:'))}</b> {html.escape(fix)}"
        )
        banner.setStyleSheet(BANNER_STYLE)
        banner.show()

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("About bimail-desktop"), self.help.about_text())

    # -- language (Settings > Language) ------------------------------------------------
    def _setup_language_menu(self) -> None:
        from .i18n import CHINESE, ENGLISH, preferred_language

        ui = self.ui
        group = QActionGroup(self)
        group.setExclusive(True)
        self._language_actions = {
            None: ui.languageSystemAction,
            ENGLISH: ui.languageEnglishAction,
            CHINESE: ui.languageChineseAction,
        }
        chosen = preferred_language()
        for lang, action in self._language_actions.items():
            group.addAction(action)
            action.setChecked(lang == chosen)
            action.triggered.connect(lambda _checked=False, value=lang: self.choose_language(value))

    def choose_language(self, lang: str | None) -> None:
        """Store the language (None: follow the system) and offer to restart in it now."""
        from .i18n import set_language

        set_language(lang)
        self._language_actions[lang].setChecked(True)
        if self.ask_restart():
            self.restart()

    def ask_restart(self) -> bool:
        """"Restart now" or "Later" (tests replace this)."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Language"),
                          self.tr("The new language is used when bimail-desktop starts "
                                  "again. Restart now? Nothing typed in an open dialog is "
                                  "kept."), parent=self)
        now = box.addButton(self.tr("&Restart now"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("&Later"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(now)
        box.exec()
        return box.clickedButton() is now

    def restart(self) -> bool:
        """Start the program again with the same arguments, then close this window."""
        import sys
        from pathlib import Path

        from PySide6.QtCore import QProcess
        from PySide6.QtWidgets import QApplication

        script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
        if getattr(sys, "frozen", False):
            program, arguments = sys.executable, sys.argv[1:]
        elif script is not None and script.name.startswith("bimail-desktop") \
                and script.is_file():
            program, arguments = str(script), sys.argv[1:]  # the installed launcher
        else:
            program, arguments = sys.executable, [
                "-c", "from bimail_desktop.gui.app import main; raise SystemExit(main())",
                *sys.argv[1:]]
        arguments = [a for a in arguments if not a.startswith("--lang")]
        if not QProcess.startDetached(program, arguments):
            self.inform(self, self.tr("Language"),
                        self.tr("Could not start bimail-desktop again; please start it "
                                "yourself."), True)
            return False
        self.close()
        QApplication.quit()
        return True

    # -- configuration export / import (twin of `bimail config export|import`) ----------
    def _set_config_actions_enabled(self, enabled: bool) -> None:
        self.ui.exportConfigAction.setEnabled(enabled)
        self.ui.importConfigAction.setEnabled(enabled)

    @staticmethod
    def choose_file(parent: QWidget, title: str, save: bool) -> str:
        """Ask for a file name (tests replace this)."""
        pattern = parent.tr("Configuration (*.json)")
        if save:
            name, _ = QFileDialog.getSaveFileName(parent, title, "bimail-config.json", pattern)
        else:
            name, _ = QFileDialog.getOpenFileName(parent, title, "", pattern)
        return name

    @staticmethod
    def inform(parent: QWidget, title: str, text: str, error: bool = False) -> None:
        """Tell the admin how it went (tests replace this)."""
        if error:
            QMessageBox.warning(parent, title, text)
        else:
            QMessageBox.information(parent, title, text)

    def export_config(self, path: str | None = None) -> bool:
        from ..domain.errors import BimailError

        if not self.wait_for_mailbox():
            return False
        assert self.mailbox is not None
        title = self.tr("Export configuration")
        path = path or self.choose_file(self, title, True)
        if not path:
            return False
        try:
            data = self.mailbox.export_config_file(path)
        except BimailError as error:
            self.inform(self, title, error_plain(error, self.lang), True)
            return False
        self.inform(
            self,
            title,
            self.tr("Exported %1 senders, %2 templates and %3 trusted certificates to %4.\n\n"
                    "Passwords are never part of an export.")
            .replace("%1", str(len(data["senders"])))
            .replace("%2", str(len(data["templates"])))
            .replace("%3", str(len(data["trusted_certificates"])))
            .replace("%4", path),
        )
        return True

    def import_config(self, path: str | None = None) -> bool:
        from ..domain.errors import BimailError

        if not self.wait_for_mailbox():
            return False
        assert self.mailbox is not None
        title = self.tr("Import configuration")
        path = path or self.choose_file(self, title, False)
        if not path:
            return False
        try:
            summary = self.mailbox.import_config_file(path)
        except BimailError as error:
            self.inform(self, title, error_plain(error, self.lang), True)
            return False
        text = self.tr("%1 senders added, %2 updated, %3 templates, %4 trusted certificates.")
        text = (text.replace("%1", str(len(summary.senders_added)))
                .replace("%2", str(len(summary.senders_updated)))
                .replace("%3", str(summary.templates))
                .replace("%4", str(summary.certificates)))
        if summary.senders_added:
            text += "\n\n" + self.tr("Passwords are not part of an export: open each new "
                                      "sender and enter its password.")
        self.senders_page.refresh()
        self._show_status(self.senders_page.status_text(), self.mailbox_configured())
        self.inform(self, title, text)
        return True

    # -- fitting the screen ------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if not self._fitted and self.fit_screen:
            self._fitted = True
            self.fit_to_screen()
            # the window manager tells the frame's size only once the window is on screen
            QTimer.singleShot(0, self.fit_to_screen)

    def fit_to_screen(self) -> None:
        """Keep the whole window, frame included, on the screen it opens on: a high scale
        factor or a smaller screen than last time makes it smaller, never off-screen."""
        screen = self.screen()
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        available = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w = max(frame.width() - self.width(), 0)
        extra_h = max(frame.height() - self.height(), 0)
        max_w = available.width() - extra_w
        max_h = available.height() - extra_h
        minimum = self.minimumSize()
        if minimum.width() > max_w or minimum.height() > max_h:
            self.setMinimumSize(min(minimum.width(), max_w), min(minimum.height(), max_h))
        width = min(self.width(), max_w)
        height = min(self.height(), max_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        frame = self.frameGeometry()
        x = min(max(frame.x(), available.x()), available.right() + 1 - frame.width())
        y = min(max(frame.y(), available.y()), available.bottom() + 1 - frame.height())
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    # -- remembered state --------------------------------------------------------------
    def _restore_geometry(self) -> None:
        settings = gui_settings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
        state = settings.value("window/state")
        if isinstance(state, QByteArray | bytes) and state:
            self.restoreState(QByteArray(state))

    def _restore_page(self) -> None:
        page = gui_settings().value("window/page")
        if isinstance(page, str) and page in PAGES:
            self.show_page(page)

    def save_state(self) -> None:
        if not self._remember:
            return
        settings = gui_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        if self.mailbox is not None:
            settings.setValue("window/page", self.current_page())
        settings.sync()

    # -- closing -----------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop every page's background work and wait for it (idempotent)."""
        if self._shut_down:
            return
        self._shut_down = True
        for loop in list(self._waiting):  # an action waiting for the mailbox gives up
            loop.quit()
        for page in list(self._pages):  # only the pages built: none is built to be stopped
            try:
                page.shutdown()  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - one page must not keep the others running
                log.exception("page %s did not shut down cleanly", page.objectName())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt name
        try:
            self.save_state()
        except Exception:  # noqa: BLE001 - closing must work even with a read-only home
            log.exception("could not save the window state")
        self.shutdown()
        super().closeEvent(event)
