"""Sending through the product next to what a user would otherwise run: a plain smtplib
script with ``ssl.create_default_context()``.

    python -m bench.bench_sending [--rounds N] [--bulk-rounds N] [--recipients N]

The server (STARTTLS + AUTH, a private CA) runs in its own process
(bench/smtp_server_process.py), so that only the client's work is counted. Both sides trust
that CA honestly and in addition to the system's certificates: the product because the admin
imported it (``Mailbox.trust_import_ca``), the script through
``ssl.create_default_context()`` + ``load_verify_locations(ca.pem)``, building its context
for each mail as a script that sends one mail does. Product and baseline run interleaved;
medians of N rounds.

1. One test mail: ``Mailbox.send_test_mail`` (validation, rate limit, pending and final
   records, STARTTLS, login, DATA) vs. smtplib doing the same conversation with a message
   of the same size. Goals: wall <= 1.15x, client CPU <= 2x.
2. A templated send to 1,000 recipients with its 1,000 records vs. smtplib sending the same
   message to the same recipients on one connection. Goal: wall <= 1.2x.
"""

from __future__ import annotations

import argparse
import os
import smtplib
import ssl
import statistics
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid
from pathlib import Path

from bench.report import figure, finish, quick, rounds

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "support"))

from bimail_test_keyring import MemoryKeyring  # noqa: E402

from bimail_desktop.domain.models import TEST_MAIL_TEXT  # noqa: E402
from bimail_desktop.secrets import SecretStore  # noqa: E402
from bimail_desktop.services import Mailbox  # noqa: E402

BENCH = "bench_sending"
SENDER = "bi-report@example.com"
PASSWORD = "bench-password"
TEMPLATE_HTML = (
    "<html><body><h1>Sales report for ${day}</h1>"
    "<p style=\"font-family: Arial, SimSun\">Total: ${total}</p>"
    + "<p>Region ${region}: row of the report with some text in it.</p>" * 40
    + "</body></html>"
)
VARIABLES = {"day": "2026-01-05", "total": "1,234,567", "region": "North"}


def _message(recipients: list[str], subject: str, html: str) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    msg["From"] = f"BI Reports <{SENDER}>"
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="example.com")
    msg.set_content("plain text version\n")
    msg.add_alternative(html, subtype="html")
    return msg


class Script:
    """The baseline: what an admin's own smtplib script does."""

    def __init__(self, host: str, port: int, ca_file: str) -> None:
        self.host, self.port, self.ca_file = host, port, ca_file

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        context.load_verify_locations(self.ca_file)
        client = smtplib.SMTP(self.host, self.port, timeout=30)
        client.starttls(context=context)
        client.login(SENDER, PASSWORD)
        return client

    def test_mail(self, to: str) -> None:
        client = self._connect()
        html = f"<html><body><p>{TEST_MAIL_TEXT}</p></body></html>"
        client.send_message(_message([to], "Test Mail", html))
        client.quit()

    def templated(self, recipients: list[str]) -> None:
        subject = string.Template("Sales for ${day}").substitute(VARIABLES)
        html = string.Template(TEMPLATE_HTML).substitute(VARIABLES)
        client = self._connect()
        refused = client.send_message(_message(recipients, subject, html))
        client.quit()
        assert not refused


def _measure(fns: list[Callable[[], object]], n: int) -> list[tuple[float, float]]:
    """(median wall ms, median client CPU ms) of each function, interleaved rounds."""
    walls: list[list[float]] = [[] for _ in fns]
    cpus: list[list[float]] = [[] for _ in fns]
    for _ in range(n):
        for fn, wall, cpu in zip(fns, walls, cpus, strict=True):
            c0, t0 = time.process_time(), time.perf_counter()
            fn()
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus,
                                                                          strict=True)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_sending",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=rounds(15, 9))
    parser.add_argument("--bulk-rounds", type=int, default=rounds(9, 5))
    parser.add_argument("--recipients", type=int, default=1000)
    args = parser.parse_args(argv)
    if quick():
        args.recipients = min(args.recipients, 1000)

    with tempfile.TemporaryDirectory() as tmp:
        ca_file = str(Path(tmp) / "ca.pem")
        server = subprocess.Popen(
            [sys.executable, "-m", "bench.smtp_server_process", ca_file, SENDER, PASSWORD],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None
            line = server.stdout.readline().split()
            if not line or line[0] != "PORT":
                raise RuntimeError("the test SMTP server did not start")
            port = int(line[1])
            os.environ["BIMAIL_HOME"] = tmp
            mailbox = Mailbox.open(f"sqlite:///{Path(tmp) / 'bench.db'}",
                                   secrets=SecretStore(backend=MemoryKeyring()))
            try:
                mailbox.trust_import_ca(Path(ca_file).read_bytes())  # as an admin does
                mailbox.add_sender({"server": "127.0.0.1", "port": port, "encryption": "tls",
                                    "address": SENDER, "show_name": "BI Reports",
                                    "rate_limit": 0}, password=PASSWORD)
                mailbox.set_default_sender(SENDER)
                mailbox.add_template("Daily sales", "Sales for ${day}", TEMPLATE_HTML)
                script = Script("127.0.0.1", port, ca_file)
                recipients = [f"reader{i}@example.org" for i in range(args.recipients)]
                print(f"{BENCH}: server pid {server.pid} on 127.0.0.1:{port}, STARTTLS + "
                      f"login; {args.rounds} rounds (bulk {args.bulk_rounds})", flush=True)

                mailbox.send_test_mail("warmup@example.org")  # imports, first connection
                script.test_mail("warmup@example.org")
                (ours, ours_cpu), (base, base_cpu) = _measure(
                    [lambda: mailbox.send_test_mail("boss@example.org"),
                     lambda: script.test_mail("boss@example.org")], args.rounds)
                baseline = "smtplib + ssl.create_default_context()"
                figure(BENCH, "test mail, wall", ours, baseline=baseline,
                       baseline_value=base, max_ratio=1.15)
                figure(BENCH, "test mail, client CPU", ours_cpu, baseline=baseline,
                       baseline_value=base_cpu, max_ratio=2.0)

                (bulk, _), (bulk_base, _) = _measure(
                    [lambda: mailbox.send("Daily sales", recipients, variables=VARIABLES),
                     lambda: script.templated(recipients)], args.bulk_rounds)
                figure(BENCH, f"send to {args.recipients:,} recipients (+ records), wall",
                       bulk, baseline="smtplib, same message, one connection",
                       baseline_value=bulk_base, max_ratio=1.2)
            finally:
                mailbox.close()
        finally:
            if server.stdin is not None:
                server.stdin.close()
            server.wait(30)
    return finish()


if __name__ == "__main__":
    raise SystemExit(main())
