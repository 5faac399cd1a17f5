"""English and Simplified Chinese: the translation file is complete, the language follows
the system / the settings / --lang, and the windows really speak Chinese.

When ``test_translation_file_is_complete`` fails, run ``make translations-update``, then
translate the strings it lists in resources/translations/bimail_zh_CN.ts (Qt Linguist:
``.venv/bin/pyside6-linguist``, or any text editor: fill ``<translation>`` and remove
``type="unfinished"``).
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from layout_check import at_minimum, clipped_texts, save_picture
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QPushButton

from bimail_desktop.domain.errors import CATALOGUE, BimailError, ErrorCode
from bimail_desktop.gui import i18n
from bimail_desktop.secrets import SecretStore
from bimail_desktop.services import Mailbox

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "translations" / "bimail_zh_CN.ts"


# -- reading .ts files ---------------------------------------------------------------------
@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str
    kind: str  # "", "unfinished", "vanished", "obsolete"
    location: str

    def describe(self) -> str:
        where = f" ({self.location})" if self.location else ""
        return f"[{self.context}] {self.source!r}{where}"


def read_ts(path: Path) -> list[Message]:
    messages = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        last_file = ""
        for message in context.iter("message"):
            location = message.find("location")
            if location is not None and location.get("filename"):
                last_file = Path(location.get("filename", "")).name
            translation = message.find("translation")
            assert translation is not None
            forms = [f.text or "" for f in translation.iter("numerusform")]
            text = forms[0] if forms else (translation.text or "")
            messages.append(
                Message(name, message.findtext("source", ""), text,
                        translation.get("type", ""), last_file)
            )
    return messages


def qt_tool(name: str) -> str:
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not exe:
        pytest.skip(f"{name} not installed")
    return exe


def i18n_sources() -> list[str]:
    """The same files `make translations-update` scans."""
    py = sorted(
        str(p) for p in (ROOT / "bimail_desktop").rglob("*.py")
        if "generated" not in p.parts and "__pycache__" not in p.parts
    )
    return py + sorted(str(p) for p in (ROOT / "ui").glob("*.ui"))


@pytest.fixture(scope="module")
def fresh_ts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed .ts brought up to date with the code by lupdate (in a temp copy)."""
    copy = tmp_path_factory.mktemp("lupdate") / TS.name
    shutil.copy(TS, copy)
    subprocess.run(
        [qt_tool("pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "relative",
         *i18n_sources(), "-ts", str(copy)],
        check=True, capture_output=True, timeout=120,
    )
    return copy


# -- the translation file ------------------------------------------------------------------
def test_translation_file_is_complete(fresh_ts: Path) -> None:
    missing = [m for m in read_ts(fresh_ts)
               if m.kind not in ("vanished", "obsolete") and (m.kind == "unfinished"
                                                              or not m.translation)]
    assert not missing, (
        f"{len(missing)} string(s) shown by the program have no Simplified Chinese "
        "translation. Run `make translations-update`, then translate these in "
        f"{TS.relative_to(ROOT)}:\n  " + "\n  ".join(m.describe() for m in missing)
    )


_PLACEHOLDER = re.compile(r"%(?:\d+|[sdifn]|L\d+)|\{[A-Za-z_][A-Za-z0-9_]*\}")


def _accelerators(text: str) -> int:
    return len(re.findall(r"&(?!&)\S", text.replace("&&", "")))


def test_translations_keep_placeholders_and_shortcut_keys() -> None:
    wrong = []
    for m in read_ts(TS):
        if not m.translation or m.kind:
            continue
        if sorted(_PLACEHOLDER.findall(m.source)) != sorted(_PLACEHOLDER.findall(m.translation)):
            wrong.append(f"{m.describe()}: placeholders differ in {m.translation!r}")
        if _accelerators(m.source) != _accelerators(m.translation):
            wrong.append(f"{m.describe()}: shortcut key (&) missing in {m.translation!r}")
    assert not wrong, "\n".join(wrong)


def _translate_wrappers(tree: ast.AST) -> set[str]:
    """Functions that pass their parameter on to QCoreApplication.translate / tr: lupdate
    cannot see the strings given to them."""
    names = set()
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef):
            continue
        params = {a.arg for a in fn.args.args}
        for call in ast.walk(fn):
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr in ("translate", "tr")
                    and any(isinstance(a, ast.Name) and a.id in params for a in call.args)):
                names.add(fn.name)
    return names


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def translated_literals(path: Path) -> list[tuple[str, str, int]]:
    """(context, source, line) of every string the module translates: ``self.tr("…")`` in a
    class, ``QCoreApplication.translate("Ctx", "…")``, and literals passed to a helper that
    forwards its parameter to translate (context "*": any)."""
    tree = ast.parse(path.read_text("utf-8"))
    wrappers = _translate_wrappers(tree)
    found: list[tuple[str, str, int]] = []

    def visit(node: ast.AST, cls: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Call) and child.args:
                func = child.func
                first = _literal(child.args[0])
                if isinstance(func, ast.Attribute) and func.attr == "tr" and first is not None:
                    receiver = func.value
                    if isinstance(receiver, ast.Name) and receiver.id != "self":
                        # other.tr(): the context is other's class, known only at run time
                        # (lupdate files it under the variable's name, which Qt never asks)
                        found.append((f"!{receiver.id}", first, child.lineno))
                    else:
                        found.append((cls, first, child.lineno))
                elif (isinstance(func, ast.Attribute) and func.attr == "translate"
                      and len(child.args) > 1 and first is not None
                      and _literal(child.args[1]) is not None):
                    found.append((first, _literal(child.args[1]) or "", child.lineno))
                elif isinstance(func, ast.Name) and func.id in wrappers and first is not None:
                    found.append(("*", first, child.lineno))
            visit(child, cls)

    visit(tree, "")
    return found


def test_every_translated_string_is_in_the_translation_file() -> None:
    """lupdate misses some calls — inside f-strings, or through a helper taking a variable —
    and those would stay English in the Chinese window."""
    messages = read_ts(TS)
    pairs = {(m.context, m.source) for m in messages}
    sources = {m.source for m in messages}
    missing = []
    for path in sorted((ROOT / "bimail_desktop" / "gui").rglob("*.py")):
        if "generated" in path.parts:
            continue
        for context, source, line in translated_literals(path):
            if context == "*":
                known = source in sources
            elif context.startswith("!"):
                known = any(c != context[1:] and src == source for c, src in pairs)
            else:
                known = (context, source) in pairs
            if not known:
                missing.append(f"{path.name}:{line} [{context}] {source!r}")
    assert not missing, (
        "lupdate cannot see these translated strings (a tr() inside an f-string, or a "
        "helper that takes a variable). Move the tr() call out of the f-string, or mark the "
        "string with QT_TRANSLATE_NOOP(context, text) in DYNAMIC_STRINGS of gui/i18n.py; "
        "then `make translations-update` and translate:\n  " + "\n  ".join(missing)
    )


_TEXT_SETTERS = {
    "setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "addItem", "addItems",
    "setTitle", "setStatusTip", "setHeaderLabels", "setTabText", "addTab", "setLabelText",
    "showMessage", "setSuffix", "setPrefix", "setSpecialValueText", "critical", "warning",
    "information", "question", "about", "QLabel", "QPushButton", "QCheckBox", "QRadioButton",
    "QGroupBox", "QAction", "QToolButton",
}


def test_no_hard_coded_english_in_widgets() -> None:
    """A literal English text handed straight to a widget never reaches the translation."""
    found = []
    for path in sorted((ROOT / "bimail_desktop" / "gui").glob("*.py")):
        for call in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(call, ast.Call):
                continue
            func = call.func
            name = (func.attr if isinstance(func, ast.Attribute)
                    else func.id if isinstance(func, ast.Name) else "")
            receiver = func.value if isinstance(func, ast.Attribute) else None
            if name not in _TEXT_SETTERS or (isinstance(receiver, ast.Name)
                                             and receiver.id in ("log", "logging", "logger")):
                continue
            for arg in call.args:
                if isinstance(arg, ast.JoinedStr):
                    text = "".join(str(v.value) for v in arg.values
                                   if isinstance(v, ast.Constant))
                else:
                    text = _literal(arg) or ""
                if re.search(r"[A-Za-z]{3}", re.sub(r"<[^>]*>|&\w+;", "", text)):
                    found.append(f"{path.name}:{call.lineno} {name}({text!r})")
    assert not found, "wrap these in self.tr(...):\n  " + "\n  ".join(found)


def test_compiled_and_source_translations_agree(qapp: QApplication, tmp_path: Path) -> None:
    """The .ts fallback (no `make translations` run) says exactly what the .qm says."""
    qm = tmp_path / "bimail_zh_CN.qm"
    subprocess.run([qt_tool("pyside6-lrelease"), "-silent", str(TS), "-qm", str(qm)],
                   check=True, capture_output=True, timeout=60)
    compiled = QTranslator()
    assert compiled.load(str(qm))
    fallback = i18n.TsTranslator(TS)
    finished = [m for m in read_ts(TS) if m.translation and not m.kind]
    assert finished and len(fallback) == len({(m.context, m.source) for m in finished})
    for m in finished:
        assert fallback.translate(m.context, m.source) == m.translation
        assert compiled.translate(m.context, m.source) == m.translation
    assert fallback.translate("Nowhere", "Not a known string") is None


def test_stale_or_missing_qm_falls_back_to_the_ts(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "translations"
    folder.mkdir()
    shutil.copy(TS, folder / TS.name)
    monkeypatch.setattr(i18n, "resource", lambda *parts: tmp_path.joinpath(*parts))
    assert isinstance(i18n.load_app_translator("zh_CN"), i18n.TsTranslator)
    (folder / "bimail_zh_CN.qm").write_bytes(b"not a qm file")  # newer than the .ts
    assert isinstance(i18n.load_app_translator("zh_CN"), i18n.TsTranslator)


# -- choosing the language -----------------------------------------------------------------
@pytest.fixture
def restore_english(qapp: QApplication) -> Iterator[QApplication]:
    yield qapp
    i18n.install_translator(qapp, "en")
    QLocale.setDefault(QLocale.system())


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("zh_CN", "zh_CN"), ("zh_TW", "zh_CN"), ("zh_SG", "zh_CN"), ("en_US", "en"),
     ("de_DE", "en"), ("ja_JP", "en")],
)
def test_system_language(locale: str, expected: str) -> None:
    assert i18n.system_language(QLocale(locale)) == expected


def test_option_beats_setting_beats_system(
    restore_english: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BIMAIL_LANG", raising=False)
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("zh_CN")))
    assert i18n.preferred_language() is None
    assert i18n.install_translator(restore_english, None) == "zh_CN"  # the system's
    i18n.set_language("en")
    assert i18n.settings_file().is_file()
    assert i18n.preferred_language() == "en"
    assert i18n.install_translator(restore_english, None) == "en"  # the setting
    assert i18n.install_translator(restore_english, "zh_CN") == "zh_CN"  # --lang
    assert i18n.current_language() == "zh_CN"
    i18n.set_language(None)
    assert i18n.resolve_language() == "zh_CN"
    monkeypatch.setenv("BIMAIL_LANG", "en")
    assert i18n.resolve_language() == "en"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="fr"):
        i18n.normalize_language("fr")
    assert i18n.normalize_language("zh-CN") == "zh_CN"
    assert i18n.normalize_language("zh_CN.UTF-8") == "zh_CN"
    assert i18n.normalize_language("en_GB") == "en"
    assert i18n.normalize_language("system") is None


def test_qt_standard_buttons_and_switching_back(restore_english: QApplication) -> None:
    assert i18n.install_translator(restore_english, "zh_CN") == "zh_CN"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    texts = [b.text() for b in box.buttons()]
    assert "确定" in texts and "取消" in texts
    assert i18n.install_translator(restore_english, "en") == "en"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.buttons()[0].text() == "Cancel"
    assert QCoreApplication.translate("SendersPage", "Default sender") == "Default sender"


def test_error_text_follows_the_language(restore_english: QApplication) -> None:
    error = BimailError(ErrorCode.AUTH_FAILED, server_reply="535 5.7.8 no")
    i18n.install_translator(restore_english, "zh_CN")
    title, explanation, fix = i18n.error_text(error)
    assert (title, explanation, fix) == CATALOGUE[ErrorCode.AUTH_FAILED].text("zh_CN")
    assert i18n.error_message(error).startswith("登录失败")
    i18n.install_translator(restore_english, "en")
    assert i18n.error_text("auth_failed")[0] == "Login failed"


# -- the windows in Chinese ----------------------------------------------------------------
@pytest.fixture
def chinese(restore_english: QApplication) -> QApplication:
    assert i18n.install_translator(restore_english, "zh_CN") == "zh_CN"
    return restore_english


def _open(tmp_path: Path, lang: str) -> Mailbox:
    return Mailbox.open(f"sqlite:///{tmp_path / 'store.db'}", secrets=SecretStore(), lang=lang)


@pytest.fixture
def zh_mailbox(tmp_path: Path) -> Iterator[Mailbox]:
    box = _open(tmp_path, "zh_CN")
    yield box
    box.close()


def _english_sources() -> set[str]:
    """English strings that have a different Chinese translation (untranslated if shown)."""
    return {m.source for m in read_ts(TS) if m.translation and m.translation != m.source}


def visible_texts(top: Any) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QTabWidget

    texts = [top.windowTitle()]
    for widget in top.findChildren(QLabel) + top.findChildren(QAbstractButton):
        if widget.isVisibleTo(top) and widget.text():
            texts.append(widget.text())
    for box in top.findChildren(QGroupBox):
        if box.isVisibleTo(top):
            texts.append(box.title())
    for tabs in top.findChildren(QTabWidget):
        texts += [tabs.tabText(i) for i in range(tabs.count())]
    return texts


def assert_chinese(top: Any) -> None:
    english = _english_sources()
    texts = visible_texts(top)
    untranslated = [t for t in texts if t in english]
    assert not untranslated, f"shown in English in the Chinese window: {untranslated}"
    assert sum(bool(re.search(r"[\u4e00-\u9fff]", t)) for t in texts) >= 5, texts


def test_main_window_speaks_chinese(qtbot: Any, chinese: QApplication,
                                    zh_mailbox: Mailbox) -> None:
    from bimail_desktop.gui.main_window import MainWindow

    window = MainWindow(zh_mailbox, remember=False)
    qtbot.addWidget(window)
    window.show()
    tabs = window.ui.pageTabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "发件人(&S)", "发送记录(&R)", "诊断(&G)", "模板(&T)", "中继(&L)"]
    assert "系统邮箱" in window.windowTitle()
    add = window.findChild(QPushButton, "addSenderButton")
    assert add is not None and "添加发件人" in add.text()
    status_label = window.findChild(QLabel, "mailboxStatusLabel")
    assert status_label is not None and "邮箱未配置" in status_label.text()
    assert_chinese(window)
    window.shutdown()


def test_sender_dialog_speaks_chinese(qtbot: Any, chinese: QApplication,
                                      zh_mailbox: Mailbox) -> None:
    from PySide6.QtWidgets import QComboBox

    from bimail_desktop.gui.sender_dialog import SenderDialog

    dialog = SenderDialog(zh_mailbox)
    qtbot.addWidget(dialog)
    dialog.show()
    combo = dialog.findChild(QComboBox, "encryptionCombo")
    assert combo is not None
    assert [combo.itemText(i) for i in range(combo.count())] == ["SSL", "TLS", "不加密"]
    box = dialog.findChild(QDialogButtonBox, "buttonBox")
    assert box is not None
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel is not None and cancel.text() == "取消"  # Qt's own translation
    assert_chinese(dialog)
    dialog.shutdown()


def test_a_failed_test_mail_explains_itself_in_chinese(
    qtbot: Any, chinese: QApplication, zh_mailbox: Mailbox
) -> None:
    """A real connection to a closed loopback port: the result names the catalogue error
    in Chinese, with the fix."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox
    from smtp_servers import unused_port

    from bimail_desktop.gui.sender_dialog import SenderDialog

    dialog = SenderDialog(zh_mailbox)
    qtbot.addWidget(dialog)
    dialog.show()

    def child(cls: type, name: str) -> Any:
        widget = dialog.findChild(cls, name)
        assert widget is not None, name
        return widget

    child(QComboBox, "serverCombo").lineEdit().setText("127.0.0.1")
    child(QSpinBox, "portSpin").setValue(unused_port())
    encryption = child(QComboBox, "encryptionCombo")
    encryption.setCurrentIndex(encryption.findData("none"))
    child(QLineEdit, "addressEdit").setText("bi@example.com")
    child(QLineEdit, "testRecipientEdit").setText("admin@example.com")
    qtbot.mouseClick(child(QPushButton, "testMailButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.test_running, timeout=15_000)
    text = child(QLabel, "testResultLabel").text()
    title, _explanation, fix = CATALOGUE[ErrorCode.CONNECT_REFUSED].text("zh_CN")
    assert title in text and fix[:10] in text, text
    assert "解决方法：" in text  # feedback.py's label, translated
    dialog.shutdown()


def test_a_bad_field_is_explained_in_chinese_next_to_it(
    qtbot: Any, chinese: QApplication, zh_mailbox: Mailbox
) -> None:
    from PySide6.QtWidgets import QLineEdit

    from bimail_desktop.gui.sender_dialog import SenderDialog

    dialog = SenderDialog(zh_mailbox)
    qtbot.addWidget(dialog)
    dialog.show()
    address = dialog.findChild(QLineEdit, "addressEdit")
    assert address is not None
    qtbot.keyClicks(address, "report.example.com")
    label = dialog.findChild(QLabel, "addressErrorLabel")
    assert label is not None
    qtbot.waitUntil(lambda: bool(label.text()), timeout=5_000)
    assert "不是邮件地址" in label.text(), label.text()
    dialog.shutdown()


# -- nothing cut off at the minimum size ---------------------------------------------------
def _settled(qtbot: Any, window: Any, page: str) -> None:
    """Wait for what a page fills in from its worker threads (the records page's count):
    text that arrives after the layout ran is laid out on the next pass, not checked mid-way."""
    if page == "records":
        from PySide6.QtWidgets import QLabel
        label = window.findChild(QLabel, "recordCountLabel")
        qtbot.waitUntil(lambda: label.text() not in ("", label.tr("Counting…")), timeout=10_000)
    QApplication.processEvents()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_nothing_is_cut_off_at_the_minimum_size(
    qtbot: Any, restore_english: QApplication, tmp_path: Path, lang: str,
    request: pytest.FixtureRequest,
) -> None:
    from bimail_desktop.gui.main_window import MainWindow
    from bimail_desktop.gui.sender_dialog import SenderDialog

    i18n.install_translator(restore_english, lang)
    box = _open(tmp_path, lang)
    try:
        window = MainWindow(box, remember=False)
        qtbot.addWidget(window)
        problems = []
        for page in ("senders", "records", "diagnostics"):
            window.show_page(page)
            _settled(qtbot, window, page)
            at_minimum(window)
            problems += [f"{page} page: {p}" for p in clipped_texts(window)]
            save_picture(window, f"main-{page}-{lang}")
        dialog = SenderDialog(box)
        qtbot.addWidget(dialog)
        at_minimum(dialog)
        problems += [f"sender dialog: {p}" for p in clipped_texts(dialog)]
        save_picture(dialog, f"sender-dialog-{lang}")
        dialog.shutdown()
        for name, other in _certificate_dialogs(box):
            qtbot.addWidget(other)
            at_minimum(other)
            problems += [f"{name}: {p}" for p in clipped_texts(other)]
            save_picture(other, f"{name.replace(' ', '-')}-{lang}")
        window.shutdown()
        assert not problems, f"text cut off at the minimum size ({lang}):\n" + "\n".join(problems)
    finally:
        box.close()


def _certificate_dialogs(box: Mailbox) -> list[tuple[str, Any]]:
    from bimail_desktop.gui.certificate_dialog import (
        CertificateDialog,
        TrustedCertificatesDialog,
    )

    certificate = {
        "subject": "CN=mail.example.com", "issuer": "CN=Example Corp Internal CA",
        "alt_names": ["mail.example.com", "smtp.example.com"],
        "not_before": "2025-01-01T00:00:00+00:00", "not_after": "2027-01-01T00:00:00+00:00",
        "sha256": "ab" * 32, "serial": "01", "pem": "", "self_signed": False,
    }
    error = BimailError(ErrorCode.TLS_UNTRUSTED, "certificate verify failed",
                        extra={"certificate": certificate})
    return [
        ("certificate dialog", CertificateDialog(box, "mail.example.com", 587, error)),
        ("trusted certificates dialog", TrustedCertificatesDialog(box)),
    ]


# -- the specific sentences of errors ------------------------------------------------------
def test_field_errors_read_in_chinese() -> None:
    from bimail_desktop.domain.validation import validate_address, validate_port

    with pytest.raises(BimailError) as port:
        validate_port("abc")
    assert i18n.detail_text(port.value, "zh_CN") == (
        "端口：“abc”不是数字；请输入 1 到 65535 之间的端口（通常为 25、465 或 587）")
    assert i18n.problem_text(port.value, "en").startswith("'abc' is not a number")
    with pytest.raises(BimailError) as address:
        validate_address("report.example.com")
    assert i18n.problem_text(address.value, "zh_CN").startswith("“report.example.com”不是邮件地址")
    # English stays exactly as the core wrote it
    assert i18n.detail_text(address.value, "en") == address.value.detail
    # a plain text (a server's reply, a file name) is shown as it is in every language
    quoted = BimailError(ErrorCode.DISCONNECTED, "421 4.3.2 shutting down")
    assert i18n.detail_text(quoted, "zh_CN") == "421 4.3.2 shutting down"


def test_the_diagnosis_reads_in_chinese(qtbot: Any, chinese: QApplication,
                                        zh_mailbox: Mailbox) -> None:
    """A real diagnosis against a closed loopback port in the Chinese window: every step's
    title and sentence (passed, failed and skipped) and the failure's explanation are
    Chinese; only what is quoted (the address) stays as it is."""
    from smtp_servers import unused_port

    from bimail_desktop.gui.diagnostics_page import DiagnosticsPage

    page = DiagnosticsPage(zh_mailbox)
    qtbot.addWidget(page)
    port = unused_port()
    page.ui.diagServerCombo.setEditText("127.0.0.1")
    page.ui.diagPortSpin.setValue(port)
    page.set_encryption("none")
    page.ui.runDiagnosticsButton.click()
    qtbot.waitUntil(lambda: page.task is None and page.report is not None, timeout=15_000)
    assert page.report is not None and not page.report.ok
    shown = []
    for item in page._items.values():
        shown += [item.text(0), item.text(3)]
        shown += [item.child(i).text(3) for i in range(item.childCount())]
    english = [text for text in shown
               if re.search(r"[A-Za-z]{3,}(?: +[A-Za-z]{2,}){2,}",
                            text.replace("127.0.0.1", "").replace(str(port), ""))]
    assert not english, f"English in the Chinese diagnosis: {english}"
    assert all(re.search(r"[\u4e00-\u9fff]", text) for text in shown if text), shown
    page.shutdown()
