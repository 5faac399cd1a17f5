"""Nothing cut off, nothing outside the window: every page and dialog state, in English and
Chinese, at the size the window opens at and at its minimum size; and at scale factor 2 the
window fits the screen.

With ``BIMAIL_SCREENSHOTS=DIR`` every checked state is kept as a PNG to look at by eye.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from layout_check import at_minimum, layout_problems, save_picture, settle
from PySide6.QtWidgets import QApplication, QWidget

from bimail_desktop.domain.errors import CATALOGUE, BimailError, ErrorCode
from bimail_desktop.gui import i18n
from bimail_desktop.secrets import SecretStore
from bimail_desktop.services import Mailbox
from bimail_desktop.store.schema import SendRecordRow

LANGS = ("en", "zh_CN")
DEFAULT_SIZE = (960, 620)
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(params=LANGS)
def lang(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    assert i18n.install_translator(qapp, request.param) == request.param
    yield request.param
    i18n.install_translator(qapp, "en")


@pytest.fixture
def box(tmp_path: Path, lang: str) -> Iterator[Mailbox]:
    mailbox = Mailbox.open(f"sqlite:///{tmp_path / 'store.db'}", secrets=SecretStore(),
                           lang=lang)
    yield mailbox
    mailbox.close()


def fill(mailbox: Mailbox) -> None:
    """Senders, templates and records as an admin's mailbox has them after some weeks,
    with long addresses and every kind of result."""
    mailbox.add_sender({"server": "smtp.office365.com", "port": 587, "encryption": "tls",
                        "address": "business-intelligence-reports@finance.example.com",
                        "username": "business-intelligence-reports@finance.example.com",
                        "show_name": "BI Reports (Finance department)"}, password="secret")
    mailbox.add_sender({"server": "10.0.0.25", "port": 25, "encryption": "none",
                        "address": "bi@example.com"}, password="")
    mailbox.set_default_sender("bi@example.com")
    mailbox.add_template("Daily Sales", "Sales of ${day}",
                         "<p>Hello ${name},</p><p>the sales of ${day} are attached.</p>")
    base = datetime(2026, 11, 30, 8, 0)
    rows = []
    for i, (result, code) in enumerate([("success", None), ("failure", "rate_limited"),
                                        ("failure", "recipient_rejected"),
                                        ("failure", "tls_untrusted"), ("success", None)]):
        rows.append(SendRecordRow(
            message_id=f"<{i}@bimail>", sender="business-intelligence-reports@finance.example.com",
            ip="203.0.113.250", recipient=f"regional-sales-director-{i}@subsidiary.example.com",
            template="Daily Sales", resources=json.dumps(["/dashboards/sales/europe-weekly"]),
            sent_at=base + timedelta(minutes=i), result=result, error_code=code,
            error_message="" if code is None else "refused"))
    with mailbox.store.write() as session:
        session.add_all(rows)


def check(widget: QWidget, name: str, *, minimum: bool = True,
          default: tuple[int, int] | None = None) -> list[str]:
    """The widget as it opens (``default``: resized to that first) and at its minimum."""
    problems = []
    if default is not None:
        widget.resize(*default)
    widget.show()
    settle(widget)
    problems += [f"{name}: {p}" for p in layout_problems(widget)]
    save_picture(widget, name)
    if minimum:
        at_minimum(widget)
        settle(widget)
        problems += [f"{name} (minimum size): {p}" for p in layout_problems(widget)]
        save_picture(widget, f"{name}-minimum")
    return problems


def records_counted(qtbot: Any, window: Any) -> None:
    page = window.records_page
    qtbot.waitUntil(lambda: page.shown_total() is not None and not page.runner.busy,
                    timeout=10_000)


@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_every_page_fits(qtbot: Any, box: Mailbox, lang: str, filled: bool) -> None:
    from bimail_desktop.gui.main_window import PAGES, MainWindow

    if filled:
        fill(box)
    window = MainWindow(box, remember=False)
    qtbot.addWidget(window)
    problems: list[str] = []
    try:
        for page in PAGES:
            window.show_page(page)
            if page == "records":
                records_counted(qtbot, window)
            tag = f"{page}-{'filled' if filled else 'empty'}-{lang}"
            problems += check(window, tag, default=DEFAULT_SIZE)
    finally:
        window.shutdown()
    assert not problems, "\n".join(problems)


def test_records_columns_all_in_sight(qtbot: Any, box: Mailbox, lang: str) -> None:
    """All seven columns at 960×620; a long address is elided in the middle and its full
    text is the tooltip."""
    from PySide6.QtCore import Qt

    from bimail_desktop.gui.main_window import MainWindow

    fill(box)
    window = MainWindow(box, remember=False)
    qtbot.addWidget(window)
    window.resize(*DEFAULT_SIZE)
    window.show()
    window.show_page("records")
    records_counted(qtbot, window)
    table = window.records_page.ui.recordsTable
    assert table.textElideMode() == Qt.TextElideMode.ElideMiddle
    index = table.model().index(0, 2)
    assert table.model().data(index, Qt.ItemDataRole.ToolTipRole) == \
        table.model().data(index, Qt.ItemDataRole.DisplayRole)
    header = table.horizontalHeader()
    assert header.sectionPosition(6) + header.sectionSize(6) <= header.viewport().width()
    window.shutdown()


# -- the sender dialog in every state -----------------------------------------------------
def _sender_dialog(qtbot: Any, box: Mailbox) -> Any:
    from bimail_desktop.gui.sender_dialog import SenderDialog

    dialog = SenderDialog(box)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _type(qtbot: Any, widget: Any, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def _filled(qtbot: Any, dialog: Any) -> None:
    ui = dialog.ui
    ui.serverCombo.lineEdit().setText("smtp.office365.com")
    _type(qtbot, ui.addressEdit, "business-intelligence-reports@finance.example.com")
    _type(qtbot, ui.passwordEdit, "secret")
    _type(qtbot, ui.showNameEdit, "BI Reports (Finance department)")


def _bad_server(qtbot: Any, dialog: Any) -> None:
    _type(qtbot, dialog.ui.serverCombo.lineEdit(), "smtp example com")


def _bad_address(qtbot: Any, dialog: Any) -> None:
    _type(qtbot, dialog.ui.addressEdit, "report.example.com")


def _bad_username(qtbot: Any, dialog: Any) -> None:
    _type(qtbot, dialog.ui.usernameEdit, "bi reports\tfinance")


def _bad_show_name(qtbot: Any, dialog: Any) -> None:
    dialog.ui.showNameEdit.setText("BI\u0007Reports")


def _bad_password(qtbot: Any, dialog: Any) -> None:
    dialog.ui.passwordEdit.setText("sec\u0007ret")


def _no_encryption(qtbot: Any, dialog: Any) -> None:
    _filled(qtbot, dialog)
    combo = dialog.ui.encryptionCombo
    combo.setCurrentIndex(combo.findData("none"))


def _exchange_without_server(qtbot: Any, dialog: Any) -> None:
    combo = dialog.ui.serverCombo
    for i in range(combo.count()):
        if "Exchange" in combo.itemText(i):
            combo.setCurrentIndex(i)
            break
    dialog.accept()  # every field checked: "server is empty"


def _all_bad(qtbot: Any, dialog: Any) -> None:
    for step in (_bad_server, _bad_address, _bad_username, _bad_show_name, _bad_password):
        step(qtbot, dialog)


def _bad_test_recipient(qtbot: Any, dialog: Any) -> None:
    _filled(qtbot, dialog)
    dialog.ui.testRecipientEdit.setText("admin at example")
    dialog.start_test_mail()


SENDER_STATES: dict[str, Callable[[Any, Any], None]] = {
    "empty": lambda qtbot, dialog: None,
    "filled": _filled,
    "bad-server": _bad_server,
    "bad-address": _bad_address,
    "bad-username": _bad_username,
    "bad-show-name": _bad_show_name,
    "bad-password": _bad_password,
    "all-bad": _all_bad,
    "do-not-encrypt": _no_encryption,
    "exchange-no-server": _exchange_without_server,
    "bad-test-recipient": _bad_test_recipient,
    "detect-offer": lambda qtbot, dialog: _type(qtbot, dialog.ui.addressEdit,
                                                "business-intelligence@corp-example.com"),
}


@pytest.mark.parametrize("state", list(SENDER_STATES))
def test_sender_dialog_states_fit(qtbot: Any, box: Mailbox, lang: str, state: str) -> None:
    dialog = _sender_dialog(qtbot, box)
    try:
        SENDER_STATES[state](qtbot, dialog)
        problems = check(dialog, f"sender-{state}-{lang}")
    finally:
        dialog.shutdown()
    assert not problems, "\n".join(problems)


def test_sender_dialog_test_mail_success_fits(
    qtbot: Any, box: Mailbox, lang: str, smtp_server_factory: Any
) -> None:
    server = smtp_server_factory("plain")
    dialog = _sender_dialog(qtbot, box)
    try:
        ui = dialog.ui
        ui.serverCombo.lineEdit().setText(server.host)
        ui.portSpin.setValue(server.port)
        ui.encryptionCombo.setCurrentIndex(ui.encryptionCombo.findData("none"))
        ui.addressEdit.setText("bi@example.com")
        ui.testRecipientEdit.setText("admin@example.com")
        dialog.start_test_mail()
        qtbot.waitUntil(lambda: not dialog.test_running, timeout=15_000)
        assert "✔" in ui.testResultLabel.text()
        problems = check(dialog, f"sender-test-success-{lang}")
    finally:
        dialog.shutdown()
    assert not problems, "\n".join(problems)


def _failure(code: ErrorCode) -> BimailError:
    extra: dict[str, Any] = {}
    if code in (ErrorCode.TLS_UNTRUSTED, ErrorCode.TLS_EXPIRED, ErrorCode.TLS_HOSTNAME_MISMATCH):
        extra["certificate"] = {
            "subject": "CN=mail.example.com", "issuer": "CN=Example Corp Internal CA",
            "alt_names": ["mail.example.com"], "not_before": "2025-01-01T00:00:00+00:00",
            "not_after": "2027-01-01T00:00:00+00:00", "sha256": "ab" * 32, "serial": "01",
            "pem": "", "self_signed": False}
    return BimailError(code, "the server at mail.example.com:587 answered unexpectedly",
                       server_reply="535 5.7.3 Authentication unsuccessful "
                                    "[AM0PR10CA0001.EURPRD10.PROD.OUTLOOK.COM]",
                       extra=extra)


@pytest.mark.parametrize("code", list(CATALOGUE), ids=lambda c: c.value)
def test_sender_dialog_test_mail_failures_fit(
    qtbot: Any, box: Mailbox, lang: str, code: ErrorCode
) -> None:
    """Every failure a test mail can end in: the dialog grows until all of it is read."""
    dialog = _sender_dialog(qtbot, box)
    try:
        _filled(qtbot, dialog)
        before = dialog.size()
        dialog._test_failed(_failure(code))
        settle(dialog)
        assert dialog.height() >= before.height()
        problems = check(dialog, f"sender-test-{code.value}-{lang}")
    finally:
        dialog.shutdown()
    assert not problems, "\n".join(problems)


# -- the other dialogs --------------------------------------------------------------------
def test_certificate_prompts_fit(qtbot: Any, box: Mailbox, lang: str) -> None:
    from bimail_desktop.gui.certificate_dialog import CertificateDialog, TrustedCertificatesDialog

    problems: list[str] = []
    for code in (ErrorCode.TLS_UNTRUSTED, ErrorCode.TLS_EXPIRED,
                 ErrorCode.TLS_HOSTNAME_MISMATCH):
        dialog = CertificateDialog(box, "mail.example.com", 587, _failure(code))
        qtbot.addWidget(dialog)
        problems += check(dialog, f"certificate-{code.value}-{lang}")
    trusted = TrustedCertificatesDialog(box)
    qtbot.addWidget(trusted)
    problems += check(trusted, f"trusted-certificates-{lang}")
    assert not problems, "\n".join(problems)


def test_template_dialogs_fit(qtbot: Any, box: Mailbox, lang: str) -> None:
    from bimail_desktop.gui.templates_page import SendTemplateDialog, TemplateDialog

    fill(box)
    problems: list[str] = []
    empty = TemplateDialog(box)
    qtbot.addWidget(empty)
    problems += check(empty, f"template-new-{lang}")
    bad = TemplateDialog(box, html_text="<p>Hello ${name</p> ${1st}", name="Weekly")
    qtbot.addWidget(bad)
    bad.save()
    problems += check(bad, f"template-bad-placeholder-{lang}")
    template = box.get_template("Daily Sales")
    send = SendTemplateDialog(box, template)
    qtbot.addWidget(send)
    problems += check(send, f"template-send-{lang}")
    send.shutdown()
    assert not problems, "\n".join(problems)


def test_diagnostics_failure_fits(qtbot: Any, box: Mailbox, lang: str) -> None:
    from bimail_desktop.domain.models import Encryption
    from bimail_desktop.gui.main_window import MainWindow
    from bimail_desktop.mail.diagnostics import DiagnosticReport, DiagnosticStep, StepStatus

    window = MainWindow(box, remember=False)
    qtbot.addWidget(window)
    page = window.diagnostics_page
    window.show_page("diagnostics")
    error = _failure(ErrorCode.TLS_UNTRUSTED)
    steps = (DiagnosticStep("dns", StepStatus.PASS, 3, "mail.example.com → 203.0.113.25"),
             DiagnosticStep("connect", StepStatus.PASS, 12, "connected to 203.0.113.25:587"),
             DiagnosticStep("tls", StepStatus.FAIL, 40, "certificate not trusted", error))
    page._on_report(DiagnosticReport("mail.example.com", 587, Encryption.TLS, steps,
                                     ("S: 220 mail.example.com ESMTP",), datetime.now(), 55))
    try:
        problems = check(window, f"diagnostics-failed-{lang}", default=DEFAULT_SIZE)
    finally:
        window.shutdown()
    assert not problems, "\n".join(problems)


# -- HiDPI --------------------------------------------------------------------------------
HIDPI_SCRIPT = r"""
import json, sys
from PySide6.QtWidgets import QApplication
from bimail_desktop.gui.main_window import MainWindow
from bimail_desktop.secrets import SecretStore
from bimail_desktop.services import Mailbox

app = QApplication(sys.argv[:1])
box = Mailbox.open(sys.argv[1], secrets=SecretStore())
window = MainWindow(box, remember=True)
window.show()
app.processEvents()
available = window.screen().availableGeometry()
frame = window.frameGeometry()
print(json.dumps({"available": [available.x(), available.y(), available.width(),
                                available.height()],
                  "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                  "ratio": window.devicePixelRatio()}))
window.shutdown()
box.close()
"""


@pytest.mark.parametrize("saved", [False, True], ids=["first-start", "saved-geometry"])
def test_window_fits_the_screen_at_scale_factor_2(tmp_path: Path, saved: bool) -> None:
    """A 1600×1000 screen at scale factor 2 has 800×500 logical pixels: the window opens
    inside it, also when it was last closed bigger on another screen."""
    screens = tmp_path / "screens.json"
    screens.write_text(json.dumps({"screens": [{
        "name": "hidpi", "x": 0, "y": 0, "width": 1600, "height": 1000,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    home = Path(os.environ["BIMAIL_HOME"])
    if saved:
        from PySide6.QtCore import QRect, QSettings

        home.mkdir(parents=True, exist_ok=True)
        settings = QSettings(str(home / "gui.ini"), QSettings.Format.IniFormat)
        window = QWidget()
        window.setGeometry(QRect(100, 100, 1500, 950))
        settings.setValue("window/geometry", window.saveGeometry())
        settings.sync()
    env = dict(os.environ, QT_SCALE_FACTOR="2",
               QT_QPA_PLATFORM=f"offscreen:configfile={screens}")
    result = subprocess.run(
        [sys.executable, "-c", HIDPI_SCRIPT, f"sqlite:///{tmp_path / 'store.db'}"],
        capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["ratio"] == 2
    ax, ay, aw, ah = data["available"]
    fx, fy, fw, fh = data["frame"]
    assert (aw, ah) == (800, 500)
    assert ax <= fx and ay <= fy and fx + fw <= ax + aw and fy + fh <= ay + ah, data
