"""Sending through the product next to raw smtplib, against the same local STARTTLS server.

    python -m bench.bench_sending [--recipients N] [--repeat R]

1. One test mail: ``Mailbox.send_test_mail`` (build, rate limit, pending records, STARTTLS,
   login, DATA, final records) vs. smtplib doing the same conversation with the same TLS
   context and a message of the same size. Median of R runs each.
2. A templated send to N recipients (default 1,000) with its N records vs. a raw smtplib
   loop of RCPT commands on one connection (``sendmail`` to the same N recipients, same
   message). For context, the time of a raw loop sending one message per recipient on one
   connection is printed too.

Target: the product <= 1.2x the raw baseline of the same run.
"""

from __future__ import annotations

import argparse
import logging
import os
import smtplib
import statistics
import string
import sys
import tempfile
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "support"))

from bimail_test_keyring import MemoryKeyring  # noqa: E402
from smtp_servers import SmtpTestServer, ca_pem, issue_certificate, make_ca  # noqa: E402

from bimail_desktop.domain.models import TEST_MAIL_TEXT, Encryption  # noqa: E402
from bimail_desktop.mail.tls import TrustConfig, client_context  # noqa: E402
from bimail_desktop.mail.transport import ServerConfig, SmtpSession  # noqa: E402
from bimail_desktop.secrets import SecretStore  # noqa: E402
from bimail_desktop.services import Mailbox  # noqa: E402

TARGET = 1.2
SENDER = "bi-report@example.com"
PASSWORD = "bench-password"
TEMPLATE_HTML = (
    "<html><body><h1>Sales report for ${day}</h1>"
    "<p style=\"font-family: Arial, SimSun\">Total: ${total}</p>"
    + "<p>Region ${region}: row of the report with some text in it.</p>" * 40
    + "</body></html>"
)
VARIABLES = {"day": "2026-01-05", "total": "1,234,567", "region": "North"}


def _medians(fns: list[Callable[[], object]], repeat: int) -> list[float]:
    """Median time of each function; runs interleaved so that load from other programs
    on the machine hits all of them alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, bucket in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - start)
    return [statistics.median(bucket) for bucket in times]


def _raw_message(recipients: list[str], subject: str, html: str) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    msg["From"] = f"BI Reports <{SENDER}>"
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="example.com")
    msg.set_content("plain text version\n")
    msg.add_alternative(html, subtype="html")
    return msg


class _Raw:
    """smtplib with the product's TLS context: the baseline."""

    def __init__(self, server: SmtpTestServer, trust: TrustConfig) -> None:
        self.server = server
        self.context = client_context(trust)

    def connect(self) -> smtplib.SMTP:
        client = smtplib.SMTP(self.server.host, self.server.port,
                              local_hostname="[127.0.0.1]", timeout=30)
        client.starttls(context=self.context)
        client.ehlo("[127.0.0.1]")
        client.login(SENDER, PASSWORD)
        return client

    def test_mail(self, to: str) -> None:
        client = self.connect()
        html = f"<html><body><p>{TEST_MAIL_TEXT}</p></body></html>"
        client.sendmail(SENDER, [to], _raw_message([to], "Test Mail", html).as_bytes())
        client.quit()

    def templated(self, recipients: list[str]) -> None:
        subject = string.Template("Sales for ${day}").substitute(VARIABLES)
        html = string.Template(TEMPLATE_HTML).substitute(VARIABLES)
        client = self.connect()
        client.sendmail(SENDER, recipients,
                        _raw_message(recipients, subject, html).as_bytes())
        client.quit()

    def per_recipient(self, recipients: list[str]) -> None:
        subject = string.Template("Sales for ${day}").substitute(VARIABLES)
        html = string.Template(TEMPLATE_HTML).substitute(VARIABLES)
        client = self.connect()
        for rcpt in recipients:
            client.sendmail(SENDER, [rcpt], _raw_message([rcpt], subject, html).as_bytes())
        client.quit()


def _transport_only(server: SmtpTestServer, trust: TrustConfig, to: str) -> None:
    """The product's SMTP transport without records or templates (to tell costs apart)."""
    config = ServerConfig(host=server.host, port=server.port, encryption=Encryption.TLS,
                          username=SENDER, password=PASSWORD)
    html = f"<html><body><p>{TEST_MAIL_TEXT}</p></body></html>"
    with SmtpSession(config, trust) as session:
        session.connect()
        session.send(_raw_message([to], "Test Mail", html), SENDER, [to])


def _line(label: str, ours: float, base: float) -> str:
    ratio = ours / base if base else float("inf")
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    return (f"{label:<44} product {ours * 1000:9.1f} ms   raw smtplib {base * 1000:9.1f} ms   "
            f"ratio {ratio:5.2f}x (target <= {TARGET}x) {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_sending",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--recipients", type=int, default=1000,
                        help="recipients of the templated send (default 1000)")
    parser.add_argument("--repeat", type=int, default=15,
                        help="runs of the single test mail, median taken (default 15)")
    parser.add_argument("--bulk-repeat", type=int, default=3,
                        help="runs of the templated send, median taken (default 3)")
    args = parser.parse_args(argv)
    # the test server's own deprecation chatter is not part of the figures
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    ca = make_ca()
    pem = ca_pem(ca)
    trust = TrustConfig(cas=(pem,))
    recipients = [f"reader{i}&team#{i % 7}@example.org" for i in range(args.recipients)]
    print(f"bench_sending: {args.recipients} recipients, STARTTLS + login on 127.0.0.1")

    with tempfile.TemporaryDirectory() as tmp, SmtpTestServer(
        "starttls", certificate=issue_certificate(ca, "localhost", "127.0.0.1"),
        users={SENDER: PASSWORD},
    ) as server:
        os.environ["BIMAIL_HOME"] = tmp
        mailbox = Mailbox.open(f"sqlite:///{Path(tmp) / 'bench.db'}",
                               secrets=SecretStore(backend=MemoryKeyring()))
        mailbox.trust_import_ca(pem.encode("ascii"))  # as an admin does
        try:
            mailbox.add_sender({"server": server.host, "port": server.port,
                                "encryption": "tls", "address": SENDER,
                                "show_name": "BI Reports", "rate_limit": 0},
                               password=PASSWORD)
            mailbox.set_default_sender(SENDER)
            mailbox.add_template("Daily sales", "Sales for ${day}", TEMPLATE_HTML)
            raw = _Raw(server, trust)

            # warm-up: imports, TLS session machinery, SQLite pages
            mailbox.send_test_mail("warmup@example.org")
            raw.test_mail("warmup@example.org")

            ours, base, transport = _medians(
                [lambda: mailbox.send_test_mail("boss@example.org"),
                 lambda: raw.test_mail("boss@example.org"),
                 lambda: _transport_only(server, trust, "boss@example.org")],
                args.repeat)
            print(_line("one test mail", ours, base))
            print(f"{'(context) SmtpSession alone, no records':<44} "
                  f"{transport * 1000:9.1f} ms")

            ours_bulk, base_bulk = _medians(
                [lambda: mailbox.send("Daily sales", recipients, variables=VARIABLES),
                 lambda: raw.templated(recipients)],
                args.bulk_repeat)
            print(_line(f"templated send, {args.recipients} recipients + records",
                        ours_bulk, base_bulk))
            [per] = _medians([lambda: raw.per_recipient(recipients)], 1)
            print(f"{'(context) raw loop, one message per recipient':<44} "
                  f"{per * 1000:9.1f} ms")
            failed = [m for m in server.messages if len(m.rcpt_tos) == 0]
            assert not failed
        finally:
            mailbox.close()
    ok = ours <= TARGET * base and ours_bulk <= TARGET * base_bulk
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
