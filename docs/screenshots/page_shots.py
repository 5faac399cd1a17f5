"""Screenshots of the Sending records and Diagnostics pages after real work: a few real
sends to a local SMTP server (one recipient refused) fill the records, and a diagnosis of
a server whose certificate is not trusted fills the Diagnostics page.

    python docs/screenshots/page_shots.py OUT_DIR

Called by make_screenshots.py with BIMAIL_HOME pointing at a temporary data folder.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402
from smtp_servers import SmtpTestServer, issue_certificate, make_ca  # noqa: E402

from bimail_desktop.gui.main_window import MainWindow  # noqa: E402
from bimail_desktop.services import Mailbox  # noqa: E402
from bimail_desktop.services.sending import SendFailed  # noqa: E402


def wait_until(app: QApplication, condition, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out waiting for the page")
        app.processEvents()
        time.sleep(0.02)
    for _ in range(5):
        app.processEvents()


def main(out: Path) -> int:
    # the test server logs the refused handshake of the untrusted-certificate check
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    app = QApplication([sys.argv[0]])
    mailbox = Mailbox.open()
    relay = SmtpTestServer("plain")
    relay.start()
    relay.handler.rcpt_replies = {"left.company@corp.example.com": "550 5.1.1 User unknown"}
    try:
        mailbox.add_sender({"server": "127.0.0.1", "port": relay.port, "encryption": "none",
                            "address": "bi-reports@corp.example.com",
                            "show_name": "BI Reports", "rate_limit": 0})
        mailbox.add_template("Daily Sales", "Daily sales ${day}",
                             "<p>Sales of ${day}: see the attached dashboard.</p>")
        sender = "bi-reports@corp.example.com"
        mailbox.send_test_mail("admin@corp.example.com", sender=sender)
        for day in ("2026-11-25", "2026-11-26", "2026-11-27"):
            try:
                mailbox.send("Daily Sales", ["sales.lead@corp.example.com",
                                             "zhang.wei@corp.example.com",
                                             "left.company@corp.example.com"],
                             resources=["https://bi.corp.example.com/dashboards/sales"],
                             variables={"day": day}, sender=sender)
            except SendFailed:
                pass
        window = MainWindow(mailbox, remember=False)
        window.fit_screen = False  # the off-screen screen is smaller than the picture
        window.resize(960, 620)
        window.show_page("records")
        window.show()
        page = window.records_page
        wait_until(app, lambda: page.model.rowCount() > 0 and page.shown_total())
        table = page.ui.recordsTable
        failed = next(r for r in range(page.model.rowCount())
                      if (rec := page.model.record(r)) and rec.result.value == "failure")
        table.selectRow(failed)
        wait_until(app, lambda: "recipient_rejected" in page.ui.recordDetail.toHtml()
                   or "Recipient refused" in page.ui.recordDetail.toPlainText())
        window.grab().save(str(out / "records-page.png"), "PNG")

        # a server with a certificate from a private CA this computer does not trust
        private = SmtpTestServer("starttls", certificate=issue_certificate(make_ca()))
        private.start()
        try:
            window.show_page("diagnostics")
            diag = window.diagnostics_page
            diag.run_for({"server": "localhost", "port": private.port, "encryption": "tls",
                          "address": sender}, None, None)
            wait_until(app, lambda: diag.task is None and diag.report is not None)
            window.grab().save(str(out / "diagnostics-page.png"), "PNG")
        finally:
            private.stop()
        window.shutdown()
        window.close()
    finally:
        relay.stop()
        mailbox.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
