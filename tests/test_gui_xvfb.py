"""Smoke test: the real program in a real X window (Xvfb, xcb platform).

A small driver starts ``bimail_desktop.gui.app.main()`` — the `bimail-desktop` entry point —
with ``-platform xcb`` and, once the window is up, adds a sender through the dialog with
QTest key clicks, takes a screenshot of the X screen and closes the window.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(
        shutil.which("Xvfb") is None,
        reason="Xvfb is not installed (apt-get install xvfb libxcb-cursor0 libxkbcommon-x11-0)",
    ),
]

DRIVER = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QLineEdit, QPushButton,
                               QTableWidget)

out_path, shot_path = Path(sys.argv[1]), sys.argv[2]
app = QApplication([sys.argv[0], "-platform", "xcb"])
result = {"platform": QGuiApplication.platformName()}

def drive():
    window = None
    try:
        window = next(w for w in QApplication.topLevelWidgets()
                      if w.objectName() == "mainWindow")
        result["exposed"] = QTest.qWaitForWindowExposed(window, 10000)
        # the window paints first, then opens the store and fills its pages
        for _ in range(1000):
            if window.mailbox is not None:
                break
            QTest.qWait(20)
        result["attached"] = window.mailbox is not None
        QTest.mouseClick(window.findChild(QPushButton, "addSenderButton"),
                         Qt.MouseButton.LeftButton)
        dialog = window.findChild(QDialog, "senderDialog")
        result["dialog_exposed"] = QTest.qWaitForWindowExposed(dialog, 10000)
        server = dialog.findChild(QComboBox, "serverCombo")
        server.setCurrentIndex(server.findText("QQ", Qt.MatchFlag.MatchContains))
        address = dialog.findChild(QLineEdit, "addressEdit")
        QTest.keyClicks(address, "bi#1&2@qq.com")
        QTest.keyClicks(dialog.findChild(QLineEdit, "passwordEdit"), "auth-code")
        QTest.keyClicks(dialog.findChild(QLineEdit, "showNameEdit"), "BI Reports")
        QTest.qWait(300)
        result["screenshot"] = QGuiApplication.primaryScreen().grabWindow(0).save(shot_path)
        QTest.keyClick(address, Qt.Key.Key_Return)  # Enter = OK
        QTest.qWait(100)
        result["dialog_closed"] = window.senders_page.current_dialog is None
        result["senders"] = [s.address for s in window.mailbox.list_senders()]
        result["rows"] = window.findChild(QTableWidget, "senderTable").rowCount()
    except Exception as exc:
        result["error"] = repr(exc)
    finally:
        out_path.write_text(json.dumps(result))
        if window is not None:
            window.close()
        else:
            app.quit()

QTimer.singleShot(300, drive)
from bimail_desktop.gui.app import main
sys.exit(main([]))
"""


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            pytest.fail("Xvfb did not start")
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(10)


def test_real_window_adds_a_sender(cli: Any, xvfb_display: str, tmp_path: Path) -> None:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    out = tmp_path / "result.json"
    shot = tmp_path / "xvfb-screen.png"
    env = dict(cli.env)
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("WAYLAND_DISPLAY", None)
    env["DISPLAY"] = xvfb_display
    proc = subprocess.run(
        [sys.executable, str(driver), str(out), str(shot)],
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
    )
    assert proc.returncode == 0, proc.stderr
    assert "QThread: Destroyed" not in proc.stderr
    result = json.loads(out.read_text())
    assert "error" not in result, result
    assert result["platform"] == "xcb"
    assert result["exposed"] and result["attached"]
    assert result["dialog_exposed"] and result["screenshot"]
    assert result["dialog_closed"]
    assert result["senders"] == ["bi#1&2@qq.com"] and result["rows"] == 1
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert not image.isNull() and image.width() == 1280
    colours = {image.pixel(x, y) for x in range(0, 1280, 40) for y in range(0, 800, 40)}
    assert len(colours) > 3  # something was drawn, not an empty screen
    listed = cli("--json", "senders", "list").json()
    assert [s["address"] for s in listed] == ["bi#1&2@qq.com"]  # type: ignore[union-attr]
