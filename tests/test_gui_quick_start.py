"""Start-up: the window lists the senders at its first paint from a first look at the
SQLite store (without the database library), opens the store in the background, and an
action taken meanwhile waits for it and then proceeds. Any doubt about the store file and
the first look gives way to opening the store the full way."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QDialog, QTableWidget

from bimail_desktop.domain.errors import CATALOGUE, ErrorCode
from bimail_desktop.gui.main_window import MainWindow
from bimail_desktop.secrets import SecretStore
from bimail_desktop.services import Mailbox
from bimail_desktop.store.glance import known_revisions, read_senders


def make_store(path: Path) -> str:
    """A store of three senders: a default one, a Gmail one that signs in with a password
    (the page warns about it), one without a password; one with a last test mail."""
    url = f"sqlite:///{path}"
    with Mailbox.open(url, secrets=SecretStore()) as mailbox:
        mailbox.add_sender({"server": "smtp.example.com", "port": 587, "encryption": "tls",
                            "address": "bi@example.com", "show_name": "BI"}, password="pw")
        mailbox.add_sender({"server": "smtp.gmail.com", "port": 465, "encryption": "ssl",
                            "address": "Alerts@gmail.com"}, password="pw")
        mailbox.add_sender({"server": "relay.local", "port": 25, "encryption": "none",
                            "address": "zz@example.com"})
        mailbox.set_default_sender("bi@example.com")
        mailbox.checks.note_check("zz@example.com", "test_mail", False, "connect_refused")
    return url


class Gate:
    """Opens the mailbox in the loading thread only once the test lets it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.open = threading.Event()

    def __call__(self) -> Mailbox:
        assert self.open.wait(30)
        return Mailbox.open(self.url, secrets=SecretStore())


def shown(window: MainWindow) -> dict[str, Any]:
    """What the Senders page shows: every cell with its tooltip and colour, the default
    sender's list and the status line."""
    table = window.findChild(QTableWidget, "senderTable")
    combo = window.findChild(QComboBox, "defaultSenderCombo")
    assert table is not None and combo is not None
    cells = [[(table.item(r, c).text(), table.item(r, c).toolTip(),
               table.item(r, c).foreground().color().name(), table.item(r, c).font().bold())
              for c in range(table.columnCount())] for r in range(table.rowCount())]
    return {
        "cells": cells,
        "selected": [i.row() for i in table.selectionModel().selectedRows()],
        "combo": [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())],
        "chosen": combo.currentData(),
        "status": window.senders_page.status_text(),
    }


@pytest.fixture
def windows(qtbot: Any) -> Any:
    made: list[MainWindow] = []

    def make(mailbox: Mailbox | None = None, **kwargs: Any) -> MainWindow:
        window = MainWindow(mailbox, remember=False, **kwargs)
        qtbot.addWidget(window)
        window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()
        window.finish_loading()
        if window.mailbox is not None:
            window.mailbox.close()


def loading(windows: Any, url: str) -> tuple[MainWindow, Gate]:
    """A window listing the first look at the store at ``url``, its mailbox being opened
    behind a gate the test opens."""
    gate = Gate(url)
    window = windows(None, glance=read_senders(url))
    window.load_mailbox(gate)
    return window, gate


def test_the_senders_are_listed_before_the_mailbox_is_open_as_once_it_is(
    qtbot: Any, tmp_path: Path, windows: Any
) -> None:
    url = make_store(tmp_path / "bimail.db")
    with Mailbox.open(url, secrets=SecretStore()) as mailbox:
        full = shown(windows(mailbox))  # the page as it is shown from the opened store

    window, gate = loading(windows, url)
    qtbot.wait(50)
    assert window.mailbox is None and window.loading
    early = shown(window)
    assert [row[0][0] for row in early["cells"]] == \
        ["Alerts@gmail.com", "bi@example.com", "zz@example.com"]
    assert early["cells"][0][5][0] == "⚠ Password"  # Gmail: passwords are phased out
    assert early["cells"][1][6][0] == "✔ Default"
    assert "✘ Test mail" in early["cells"][2][7][0]
    assert early["status"].startswith("Mailbox configured — default sender: BI <bi@example")
    assert early == full

    gate.open.set()
    qtbot.waitUntil(lambda: window.mailbox is not None, timeout=20000)
    qtbot.waitUntil(lambda: window.keychain_checked, timeout=5000)
    assert shown(window) == full


def test_what_the_keychain_says_shows_once_the_mailbox_is_open(
    qtbot: Any, tmp_path: Path, windows: Any
) -> None:
    url = make_store(tmp_path / "bimail.db")
    with Mailbox.open(url, secrets=SecretStore()) as mailbox:
        # the store says a password was entered; this machine's keychain does not hold it
        mailbox.secrets.delete_password(mailbox.get_sender("bi@example.com").id)
    window, gate = loading(windows, url)
    assert shown(window)["cells"][1][5][0] == "Password"
    gate.open.set()
    qtbot.waitUntil(lambda: window.mailbox is not None, timeout=20000)
    assert shown(window)["cells"][1][5][0] == "⚠ Password not on this machine"


def test_add_clicked_before_the_mailbox_is_open_opens_the_dialog_once_it_is(
    qtbot: Any, tmp_path: Path, windows: Any
) -> None:
    url = make_store(tmp_path / "bimail.db")
    window, gate = loading(windows, url)
    mailbox_when_released: list[object] = []

    def release() -> None:  # runs while the click waits for the mailbox
        mailbox_when_released.append(window.mailbox)
        gate.open.set()

    QTimer.singleShot(200, release)
    qtbot.mouseClick(window.senders_page.ui.addSenderButton, Qt.MouseButton.LeftButton)
    assert mailbox_when_released == [None]  # the click came first and waited
    assert window.mailbox is not None
    dialog = window.findChild(QDialog, "senderDialog")
    assert dialog is not None and dialog.isVisible()
    assert window.senders_page.current_dialog is dialog
    assert dialog.windowTitle() == window.senders_page.current_dialog.windowTitle()


def test_save_default_chosen_before_the_mailbox_is_open_is_saved_once_it_is(
    qtbot: Any, tmp_path: Path, windows: Any
) -> None:
    url = make_store(tmp_path / "bimail.db")
    window, gate = loading(windows, url)
    ui = window.senders_page.ui
    ui.defaultSenderCombo.setCurrentIndex(ui.defaultSenderCombo.findData("zz@example.com"))
    QTimer.singleShot(200, gate.open.set)
    qtbot.mouseClick(ui.saveDefaultButton, Qt.MouseButton.LeftButton)
    assert window.mailbox is not None
    default = window.mailbox.default_sender()
    assert default is not None and default.address == "zz@example.com"
    assert "zz@example.com" in window.senders_page.status_text()


def test_another_page_shown_before_the_mailbox_is_open_is_built_once_it_is(
    qtbot: Any, tmp_path: Path, windows: Any
) -> None:
    url = make_store(tmp_path / "bimail.db")
    window, gate = loading(windows, url)
    QTimer.singleShot(200, gate.open.set)
    window.show_page("records")
    assert window.mailbox is not None
    assert window.ui.pageTabs.currentWidget().objectName() == "recordsPage"


# the window's whole start-up, in a process of its own as a user starts it; a message box
# (as on a desktop) is replaced by printing what it would show
RUN_WINDOW = r"""
import json, sys
from PySide6.QtWidgets import QMessageBox
from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.gui import app
from bimail_desktop.services import Mailbox
from bimail_desktop.store.glance import read_senders

def critical(parent, title, text):
    print(json.dumps({"title": title, "text": text}), flush=True)

QMessageBox.critical = staticmethod(critical)
app._offscreen = lambda: False  # as on a desktop: a message box, not the console
print(json.dumps({"first_look": read_senders() is not None}), flush=True)
if sys.argv[1] == "refuse":
    def refuse(*args, **kwargs):
        raise BimailError(ErrorCode.STORE_UNAVAILABLE, "the disk is full")
    Mailbox.open = staticmethod(refuse)
code = app.main([])
print(json.dumps({"code": code}), flush=True)
"""


def run_window(cli: Any, db: Path, how: str = "") -> tuple[list[dict[str, Any]], str]:
    env = dict(cli.env, QT_QPA_PLATFORM="offscreen", BIMAIL_DATABASE_URL=f"sqlite:///{db}")
    proc = subprocess.run([sys.executable, "-c", RUN_WINDOW, how], env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=90)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")], \
        proc.stderr


def test_a_store_error_while_opening_is_shown_as_before(cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "bimail.db"
    make_store(db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    said, stderr = run_window(cli, db)
    info = CATALOGUE[ErrorCode.STORE_TOO_NEW]
    assert said[0] == {"first_look": False}
    assert len(said) == 3 and said[2] == {"code": 1}
    assert said[1]["title"] == info.title and info.fix in said[1]["text"]
    assert "Traceback" not in stderr


def test_a_store_error_after_the_first_look_is_shown_as_before(
    cli: Any, tmp_path: Path
) -> None:
    db = tmp_path / "bimail.db"
    make_store(db)
    said, stderr = run_window(cli, db, "refuse")
    info = CATALOGUE[ErrorCode.STORE_UNAVAILABLE]
    assert said[0] == {"first_look": True}  # the window listed the senders first
    assert len(said) == 3 and said[2] == {"code": 1}
    assert said[1]["title"] == info.title
    assert "the disk is full" in said[1]["text"] and info.fix in said[1]["text"]
    assert "Traceback" not in stderr


def test_a_store_error_of_the_window_on_a_console(cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "bimail.db"
    make_store(db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    env = dict(cli.env, QT_QPA_PLATFORM="offscreen", BIMAIL_DATABASE_URL=f"sqlite:///{db}")
    proc = subprocess.run([sys.executable, "-m", "bimail_desktop.gui.app"], env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=90)
    assert proc.returncode == 1
    info = CATALOGUE[ErrorCode.STORE_TOO_NEW]
    assert info.title in proc.stderr and info.fix in proc.stderr
    assert "Traceback" not in proc.stderr


# -- the first look: None whenever anything is in doubt, and it never writes -------------
def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_first_look_reads_the_data_folders_store_and_never_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("BIMAIL_HOME", str(home))
    make_store(home / "bimail.db")
    before = digest(home / "bimail.db")
    glance = read_senders()
    assert glance is not None
    assert [s.address for s in glance.senders] == \
        ["Alerts@gmail.com", "bi@example.com", "zz@example.com"]
    assert glance.default is not None and glance.default.address == "bi@example.com"
    assert digest(home / "bimail.db") == before


def test_the_first_look_gives_way_for_another_revision(tmp_path: Path) -> None:
    db = tmp_path / "bimail.db"
    url = make_store(db)
    known, head = known_revisions()
    for other in sorted(known - {head}) + ["ffff_from_the_future"]:
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE alembic_version SET version_num = ?", (other,))
        assert read_senders(url) is None, other
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (head,))
    assert read_senders(url) is not None


def test_the_first_look_gives_way_for_a_missing_file_and_creates_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert read_senders(f"sqlite:///{tmp_path / 'nothing.db'}") is None
    assert not (tmp_path / "nothing.db").exists()
    monkeypatch.setenv("BIMAIL_HOME", str(tmp_path / "new-home"))
    assert read_senders() is None
    assert not (tmp_path / "new-home").exists()


def test_the_first_look_gives_way_for_a_damaged_file(tmp_path: Path) -> None:
    db = tmp_path / "bimail.db"
    url = make_store(db)
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the first page's header and schema torn
    db.write_bytes(bytes(data))
    assert read_senders(url) is None
    text = tmp_path / "notes.db"
    text.write_text("not a store\n", encoding="utf-8")
    assert read_senders(f"sqlite:///{text}") is None


def test_the_first_look_gives_way_for_a_damage_mark_and_an_oauth_sender(
    tmp_path: Path
) -> None:
    db = tmp_path / "bimail.db"
    url = make_store(db)
    mark = tmp_path / "bimail.db.damaged"
    mark.write_text("damaged\n", encoding="utf-8")
    assert read_senders(url) is None
    mark.unlink()
    assert read_senders(url) is not None
    with sqlite3.connect(db) as conn:  # its sign-in state is in the keychain
        conn.execute("UPDATE senders SET auth_method = 'oauth2_google' "
                     "WHERE address = 'zz@example.com'")
    assert read_senders(url) is None


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://bi:secret@db.example.com/bimail",
    "mysql+pymysql://bi:secret@db.example.com/bimail",
    "sqlite://",
])
def test_the_first_look_gives_way_for_other_stores(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert read_senders(url) is None
    monkeypatch.setenv("BIMAIL_DATABASE_URL", url)
    assert read_senders() is None


@pytest.mark.parametrize(("url", "looks"), [
    ("sqlite:////tmp/bi/bimail.db", True), ("sqlite:///relative/bimail.db", True),
    ("sqlite:////tmp/a%20b.db", True), ("sqlite:////tmp/a@b+c#d.db", True),
    ("sqlite+pysqlite:////tmp/bimail.db", True), ("sqlite:////tmp/bimail.db?timeout=5", False),
    ("sqlite://", False), ("sqlite:///:memory:", False),
    ("sqlite:///file:bimail.db?mode=ro&uri=true", False), ("postgresql://bi@db/bimail", False),
])
def test_the_first_look_reads_the_file_the_store_would_open(url: str, looks: bool) -> None:
    from bimail_desktop.store.engine import _sqlite_path
    from bimail_desktop.store.failures import resolve_url
    from bimail_desktop.store.glance import store_file

    opened = _sqlite_path(resolve_url(url))
    looked_at = store_file(url)
    assert looked_at == (opened if looks else None)  # never another file than the store's


# -- what the first look and the window's first paint load --------------------------------
PROBE = r"""
import json, sys
from PySide6.QtWidgets import QApplication
from bimail_desktop.store.glance import known_revisions, read_senders
glance = read_senders(sys.argv[1])
loaded = sorted(sys.modules)
app = QApplication([])
from bimail_desktop.gui.main_window import MainWindow
window = MainWindow(None, glance=glance, remember=False)
window.show()
app.processEvents()
rows = window.senders_page.ui.senderTable.rowCount()
print(json.dumps({"rows": rows, "glance": loaded, "window": sorted(sys.modules)}))
"""


def test_the_first_look_and_the_first_paint_load_no_database_library(
    tmp_path: Path, cli: Any
) -> None:
    url = make_store(tmp_path / "bimail.db")
    env = dict(cli.env, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", PROBE, url], env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=90)
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["rows"] == 3
    for modules in (seen["glance"], seen["window"]):
        assert [m for m in modules if m.split(".")[0] in ("sqlalchemy", "alembic")] == []
        assert "bimail_desktop.store.engine" not in modules
