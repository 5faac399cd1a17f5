"""File > Export / Import configuration: the GUI twin of `bimail config export|import`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QTableWidget

from bimail_desktop.gui.main_window import MainWindow
from bimail_desktop.services import Mailbox


def test_export_then_import_through_the_file_menu(
    qtbot: Any, mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailbox.add_sender({"server": "smtp.qq.com", "port": 465, "encryption": "ssl",
                        "address": "r#e&p@qq.com"}, password="never-exported")
    mailbox.set_default_sender("r#e&p@qq.com")
    messages: list[tuple[str, bool]] = []
    target = tmp_path / "exported.json"
    monkeypatch.setattr(MainWindow, "choose_file", staticmethod(lambda *a: str(target)))
    monkeypatch.setattr(MainWindow, "inform",
                        staticmethod(lambda _p, _t, text, error=False: messages.append(
                            (text, error))))
    window = MainWindow(mailbox, remember=False)
    qtbot.addWidget(window)
    assert window.ui.exportConfigAction.isEnabled()

    window.ui.exportConfigAction.trigger()
    assert "never-exported" not in target.read_text("utf-8")
    assert json.loads(target.read_text("utf-8"))["default_sender"] == "r#e&p@qq.com"
    assert "Exported 1 senders" in messages[-1][0] and not messages[-1][1]

    mailbox.remove_sender("r#e&p@qq.com")
    window.senders_page.refresh()
    table = window.findChild(QTableWidget, "senderTable")
    assert table.rowCount() == 0

    window.ui.importConfigAction.trigger()
    assert table.rowCount() == 1
    assert "1 senders added" in messages[-1][0]
    assert "enter its password" in messages[-1][0]
    assert "r#e&p@qq.com" in window.statusLabel.text()

    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert not window.import_config(str(bad))
    assert messages[-1][1] and "not a bimail-desktop configuration" in messages[-1][0]
    window.close()


def test_settings_language_menu_stores_the_choice(
    qtbot: Any, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bimail_desktop.gui.i18n import preferred_language, resolve_language

    monkeypatch.delenv("BIMAIL_LANG", raising=False)
    asked: list[bool] = []
    restarted: list[bool] = []
    monkeypatch.setattr(MainWindow, "ask_restart", lambda _self: asked.append(True) or False)
    monkeypatch.setattr(MainWindow, "restart", lambda _self: restarted.append(True) or True)
    window = MainWindow(mailbox, remember=False)
    qtbot.addWidget(window)
    assert window.ui.languageSystemAction.isChecked()

    window.ui.languageChineseAction.trigger()
    assert preferred_language() == "zh_CN" and resolve_language() == "zh_CN"
    assert asked == [True] and restarted == []  # "Later": the window stays as it is
    assert not window.ui.languageSystemAction.isChecked()
    # "Restart now": the program starts again in the chosen language
    monkeypatch.setattr(MainWindow, "ask_restart", lambda _self: True)
    window.ui.languageEnglishAction.trigger()
    assert restarted == [True] and preferred_language() == "en"
    window.ui.languageChineseAction.trigger()

    again = MainWindow(mailbox, remember=False)  # the next start shows the stored choice
    qtbot.addWidget(again)
    assert again.ui.languageChineseAction.isChecked()
    again.ui.languageSystemAction.trigger()
    assert preferred_language() is None


def test_export_to_a_bad_place_is_told_in_the_window(
    qtbot: Any, mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages: list[tuple[str, bool]] = []
    monkeypatch.setattr(MainWindow, "inform",
                        staticmethod(lambda _p, _t, text, error=False: messages.append(
                            (text, error))))
    window = MainWindow(mailbox, remember=False)
    qtbot.addWidget(window)
    missing = tmp_path / "no such folder" / "config.json"
    assert not window.export_config(str(missing))
    text, error = messages[-1]
    assert error and "does not exist" in text and "no such folder" in text
    assert not window.export_config("/dev/null")
    assert messages[-1][1] and "not a regular file" in messages[-1][0]
    assert list(tmp_path.glob("**/*.part")) == []
    window.close()
