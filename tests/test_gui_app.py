"""The `bimail-desktop` entry point: version, screenshots, no display, store errors."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from bimail_desktop import __version__
from bimail_desktop.domain.errors import CATALOGUE, ErrorCode
from bimail_desktop.gui import app


def run_app(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bimail_desktop.gui.app", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=90,
    )


def headless_env(cli: Any) -> dict[str, str]:
    """The CLI's environment (its data folder and keychain) without any display."""
    env = dict(cli.env)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    return env


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert app.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"bimail-desktop {__version__}"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux display check")
def test_no_display_explains_how_to_run_it(cli: Any) -> None:
    proc = run_app(headless_env(cli))
    assert proc.returncode == 1
    assert "xvfb-run" in proc.stderr and "bimail" in proc.stderr
    assert "qt.qpa" not in proc.stderr and "Aborted" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1  # one paragraph, no trace


def test_screenshot_of_the_main_window_and_the_sender_dialog(cli: Any, tmp_path: Path) -> None:
    added = cli(
        "senders",
        "add",
        "--server",
        "smtp.qq.com",
        "--port",
        "465",
        "--encryption",
        "ssl",
        "--address",
        "bi#1&2@qq.com",
        "--show-name",
        "BI Reports",
        "--password-stdin",
        stdin="code\n",
    )
    assert added.returncode == 0, added.stderr
    assert cli("default", "set", "bi#1&2@qq.com").returncode == 0
    env = headless_env(cli)  # --screenshot works without a display
    window_png = tmp_path / "main.png"
    proc = run_app(env, "--screenshot", str(window_png), "--page", "senders")
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(window_png))
    assert not image.isNull() and image.width() >= 700 and image.height() >= 400
    dialog_png = tmp_path / "dialog.png"
    proc = run_app(env, "--screenshot", str(dialog_png), "--dialog", "sender")
    assert proc.returncode == 0, proc.stderr
    dialog_image = QImage(str(dialog_png))
    assert not dialog_image.isNull() and dialog_image.width() >= 500
    assert dialog_image.size() != image.size()


def test_store_too_new_is_reported_with_the_catalogue_text(cli: Any, tmp_path: Path) -> None:
    assert cli("senders", "list").returncode == 0  # creates the store
    db = Path(cli.home) / "bimail.db"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    proc = run_app(headless_env(cli), "--screenshot", str(tmp_path / "x.png"))
    assert proc.returncode == 1
    info = CATALOGUE[ErrorCode.STORE_TOO_NEW]
    assert info.title in proc.stderr and info.fix in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "x.png").exists()


def test_store_error_in_a_message_box(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "new.db"
    app._open_mailbox(f"sqlite:///{db}", "en", quiet=True).close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    shown: list[tuple[str, str]] = []
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(
        QMessageBox,
        "critical",
        staticmethod(lambda parent, title, text: shown.append((title, text))),
    )
    assert app._open_mailbox(f"sqlite:///{db}", "en", quiet=False) is None
    info = CATALOGUE[ErrorCode.STORE_TOO_NEW]
    assert shown and shown[0][0] == info.title and info.fix in shown[0][1]


def test_no_arguments_mean_the_parser_defaults() -> None:
    assert app.parse_args([]) == app.build_parser().parse_known_args([])
    args, qt_args = app.parse_args(["--lang", "zh_CN", "-style", "fusion"])
    assert args.lang == "zh_CN" and qt_args == ["-style", "fusion"]


def test_no_display_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert app.no_display([])
    assert not app.no_display(["-platform", "xcb"])
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert not app.no_display([])
    assert os.environ.get("WAYLAND_DISPLAY") == "wayland-0"


def test_a_long_session_does_not_use_up_none(qapp: Any) -> None:
    """PySide6 6.12 gives back None one reference short from processEvents and from
    slots; on Python 3.11 a long session would end in "none_dealloc" without the guard
    the gui package installs."""
    import bimail_desktop.gui  # noqa: F401 - installs the guard

    before = sys.getrefcount(None)
    for _ in range(2000):
        qapp.processEvents()
    assert sys.getrefcount(None) > (1 << 39) or sys.version_info >= (3, 12)
    assert before - sys.getrefcount(None) < 1 << 30


def test_pyside_still_knows_which_modules_use_it_after_the_lighter_check(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window replaces PySide6's per-import source check with a cheaper one: the same
    answer (a module mentioning PySide6 uses it, others and built-ins do not), and a
    module's source is no longer kept in memory by linecache for it."""
    import linecache

    import shibokensupport.feature as feature  # type: ignore[import-not-found]

    from bimail_desktop.gui import lighten_import_hook

    monkeypatch.setattr(feature, "_mod_uses_pyside", feature._mod_uses_pyside)
    lighten_import_hook()
    (tmp_path / "uses_qt_here.py").write_text("from PySide6.QtCore import QObject\n", "utf-8")
    (tmp_path / "plain_module_here.py").write_text("VALUE = 1\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("uses_qt_here", "plain_module_here"):
        monkeypatch.delitem(sys.modules, name, raising=False)
        monkeypatch.delitem(feature.pyside_feature_dict, name, raising=False)
        __import__(name)  # through the import hook PySide6 installs
    assert feature.pyside_feature_dict["uses_qt_here"] == 0  # uses PySide6
    assert feature.pyside_feature_dict["plain_module_here"] == -1
    assert not feature._mod_uses_pyside(sys)  # built in: no source
    assert str(tmp_path / "plain_module_here.py") not in linecache.cache
