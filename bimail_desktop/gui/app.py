"""Entry point of the desktop program (``bimail-desktop``).

    bimail-desktop [--db URL] [--lang en|zh_CN]
    bimail-desktop --screenshot FILE [--page senders|records|templates|diagnostics|relay]
                   [--dialog sender]
    bimail-desktop --version

``--screenshot`` renders the window off screen to a PNG and exits (used for the README's
pictures). Qt's own options (``-platform xcb``, ``-style …``) are passed through.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from .. import __version__

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

NO_DISPLAY_MESSAGE = (
    "bimail-desktop needs a graphical display and found none (neither DISPLAY nor "
    "WAYLAND_DISPLAY is set). Start it from a desktop session, over SSH with X forwarding "
    "(ssh -X), or under a virtual display with `xvfb-run bimail-desktop`. Everything the "
    "window does is also available without a display through the `bimail` command, e.g. "
    "`bimail senders list`, `bimail default set ADDRESS` or `bimail test-mail --to ADDRESS` "
    "(see `bimail --help`)."
)


def _say(text: str, stream: TextIO | None = None) -> None:
    stream = stream if stream is not None else sys.stdout
    if stream is not None:  # pythonw / a frozen windowed app has no console
        print(text, file=stream)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bimail-desktop",
        description="Set up the BI server's system mailbox: senders, the default sender, "
        "test mail, sending records and diagnosis.",
    )
    parser.add_argument("--db", metavar="URL", help="SQLAlchemy URL of the data store")
    parser.add_argument("--lang", choices=("en", "zh_CN"), help="language of the window")
    parser.add_argument(
        "--screenshot", metavar="FILE", help="render the window off screen to a PNG file and exit"
    )
    parser.add_argument(
        "--page", choices=("senders", "records", "templates", "diagnostics", "relay"),
        help="page to show first"
    )
    parser.add_argument(
        "--dialog",
        choices=("sender",),
        help="with --screenshot: picture the sender dialog (the default sender's, or an empty one)",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    return parser


#: what build_parser() gives for an empty command line
NO_ARGUMENTS = {
    "db": None,
    "lang": None,
    "screenshot": None,
    "page": None,
    "dialog": None,
    "version": False,
}


def parse_args(args_in: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """(our options, Qt's own options). Started without arguments (from a menu or a desktop
    icon) the options are the parser's defaults: building the parser the first time costs
    ~2 ms of start-up (argparse looks up its gettext catalogue, imports locale, compiles its
    patterns). tests/test_gui_app.py checks that both give the same."""
    if not args_in:
        return argparse.Namespace(**NO_ARGUMENTS), []
    return build_parser().parse_known_args(list(args_in))


def _wants_platform(qt_args: Sequence[str]) -> bool:
    return bool(os.environ.get("QT_QPA_PLATFORM")) or any(
        arg in ("-platform", "--platform") or arg.startswith("-platform=") for arg in qt_args
    )


def no_display(qt_args: Sequence[str] = ()) -> bool:
    """True on Linux without X11/Wayland and without an explicit Qt platform."""
    if not sys.platform.startswith("linux") or _wants_platform(qt_args):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _install_translator(app: object, lang: str | None) -> str:
    try:
        from .i18n import install_translator  # written by the translations issue
    except ImportError:
        return lang or "en"
    return install_translator(app, lang) or lang or "en"  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    args, qt_args = parse_args(args_in)
    if args.version:
        _say(f"bimail-desktop {__version__}")
        return 0
    if args.screenshot and not _wants_platform(qt_args):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if no_display(qt_args):
        _say(NO_DISPLAY_MESSAGE, sys.stderr)
        return 1

    # Start-up creates a great many objects and frees few: the garbage collector's passes
    # over them (a tenth of the time spent importing the store's modules) find nothing. It
    # runs again once the window is usable, over the objects made after that.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from PySide6.QtWidgets import QApplication

        from . import lighten_import_hook

        lighten_import_hook()
        if _offscreen():
            _quiet_offscreen_notes()

        app = QApplication.instance()
        if app is None:
            app = QApplication([sys.argv[0] if sys.argv else "bimail-desktop", *qt_args])
        assert isinstance(app, QApplication)
        app.setApplicationName("bimail-desktop")
        app.setApplicationDisplayName("bimail-desktop")
        app.setOrganizationName("bimail")
        app.setApplicationVersion(__version__)
        lang = _install_translator(app, args.lang)

        if args.screenshot:
            _setup_logging()
            mailbox = _open_mailbox(args.db, lang, quiet=True)
            if mailbox is None:
                return 1
            try:
                return _screenshot(mailbox, args.screenshot, args.page, args.dialog)
            finally:
                mailbox.close()
        return _run_window(app, args.db, lang, args.page, collecting)
    finally:
        if collecting:
            gc.enable()


def _run_window(app: QApplication, db: str | None, lang: str, page: str | None,
                collect: bool = True) -> int:
    """Show the window at once, then open the store in the background after its first
    paint (importing and opening the store takes longer than painting the window).

    When a first look at the store can list the senders without the database library
    (:mod:`..store.glance`: the data folder's SQLite store, up to date), the window's first
    paint already shows them; otherwise it says "Opening the data store…" until the store
    is open. Either way the window paints and answers while the store opens."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    from ..store.glance import read_senders
    from .main_window import MainWindow

    window = MainWindow(None, lang=lang, glance=read_senders(db))
    # however the application ends (window closed, session logout), background work is
    # cancelled and waited for before Qt objects go away
    app.aboutToQuit.connect(window.shutdown)
    status = {"code": 0}

    def opened() -> None:
        if page:
            window.show_page(page)
        # everything built so far lives as long as the window: keep it out of the garbage
        # collector's full passes, which would otherwise hold up the window (a worker's
        # collection holds the interpreter lock) for tens of milliseconds now and then
        gc.freeze()
        if collect:
            gc.enable()

    def failed(error: BaseException) -> None:
        if collect:
            gc.enable()
        _report_store_error(error, lang, quiet=_offscreen())
        status["code"] = 1
        window.close()
        app.exit(1)

    window.mailboxReady.connect(opened)
    window.mailboxFailed.connect(failed)

    def open_mailbox():  # type: ignore[no-untyped-def]  # in the loading thread
        _setup_logging()  # after the first paint: the log file's modules cost start-up time
        from ..domain.errors import BimailError
        from ..services import Mailbox

        mailbox = Mailbox.open(db, lang=lang)
        # the Senders page reads these the moment the window has the mailbox: their first
        # reading (the statements compiled and cached) is done here, off the window's
        # thread, which would otherwise stall for it
        try:
            mailbox.senders_change_token()
            mailbox.list_senders()
            mailbox.default_sender()
            mailbox.last_checks()
        except BimailError:
            pass  # the page reads them again and says what went wrong
        # likewise finding the keychain's backend, before the window checks the keychain
        try:
            _ = mailbox.secrets.backend
        except Exception:  # noqa: BLE001 - the window's check says what is wrong
            pass
        return mailbox

    def open_store() -> None:
        window.load_mailbox(open_mailbox)

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                QTimer.singleShot(0, open_store)
            return False

    first_paint = FirstPaint(window)
    window.installEventFilter(first_paint)
    QTimer.singleShot(1000, open_store)  # in case no paint comes (e.g. started minimised)
    window.show()
    try:
        code = int(app.exec())
    finally:
        window.finish_loading()
        if window.mailbox is not None:
            window.mailbox.close()
    return status["code"] or code


def _setup_logging() -> None:
    if not logging.getLogger().handlers:
        from ..logging_setup import setup_logging

        setup_logging(logging.INFO, console_level=logging.WARNING)


def _quiet_offscreen_notes() -> None:
    """The offscreen platform (screenshots) notes that it cannot resize windows to their
    hints; that is no problem of the program's, so it is not printed."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    previous: list[object] = []

    def handler(kind: QtMsgType, context: object, message: str) -> None:
        if "propagateSizeHints" in message:
            return
        if previous and callable(previous[0]):
            previous[0](kind, context, message)
        else:
            sys.stderr.write(message + "\n")

    previous.append(qInstallMessageHandler(handler))


def _offscreen() -> bool:
    return os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal"))


def _open_mailbox(db: str | None, lang: str, *, quiet: bool):  # type: ignore[no-untyped-def]
    from ..services import Mailbox

    try:
        return Mailbox.open(db, lang=lang)
    except Exception as exc:  # noqa: BLE001 - said to the admin, never a trace
        _report_store_error(exc, lang, quiet=quiet)
    return None


def _report_store_error(exc: BaseException, lang: str, *, quiet: bool) -> None:
    """Tell the admin why the store could not be opened: on stderr (``quiet``) or in a
    message box; a program error's details go to the log only."""
    from ..domain.errors import BimailError

    if isinstance(exc, BimailError):
        title, explanation, _fix = exc.info.text(lang)
        fix = exc.fix(lang)
        details = [exc.detail_text(lang)] if exc.detail else []
        text = "\n\n".join([explanation, *details, fix])
    elif not isinstance(exc, Exception):
        raise exc  # KeyboardInterrupt, SystemExit: not a store error
    else:
        log.error("could not open the data store", exc_info=exc)
        from PySide6.QtCore import QCoreApplication

        title = QCoreApplication.translate("App", "Could not open the data store")
        text = f"{type(exc).__name__}. " + QCoreApplication.translate(
            "App", "Check the --db URL or BIMAIL_DATABASE_URL, and that the data folder is "
            "writable.")
    if quiet:
        _say(f"bimail-desktop: {title}\n{text}", sys.stderr)
    else:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, title, text)


def _screenshot(mailbox, path: str, page: str | None, dialog: str | None) -> int:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication, QWidget

    from .main_window import MainWindow

    window = MainWindow(mailbox, remember=False)
    window.fit_screen = False  # the off-screen platform's screen is smaller than the picture
    window.resize(960, 600)
    if page:
        window.show_page(page)
    window.show()
    window.check_keychain()  # pictured as it is, without waiting for the check after painting
    QApplication.processEvents()
    target: QWidget = window
    if dialog == "sender":
        default = mailbox.default_sender()
        opened = (
            window.senders_page.edit_sender(default)
            if default
            else window.senders_page.add_sender()
        )
        if opened is not None:
            opened.adjustSize()
            QApplication.processEvents()
            target = opened
    QApplication.processEvents()
    ok = target.grab().save(path, "PNG")
    window.shutdown()
    window.close()
    if not ok:
        _say(f"bimail-desktop: could not write {path}", sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
