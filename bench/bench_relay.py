"""The relay end to end next to sending straight to the server, in the same run.

    python -m bench.bench_relay [--messages 1000] [--clients 4] [--rounds 9]

- Upstream: an aiosmtpd server in its own process that accepts every mail (plain SMTP on
  loopback, like an internal Exchange).
- Direct (baseline): ``--messages`` mails sent straight to the upstream with smtplib by
  ``--clients`` threads, one connection each — no records, no queue.
- Relay: ``bimail relay serve`` in its own process (SQLite store, a default sender pointing at
  the upstream, no rate limit); the same mails submitted by ``--clients`` threads with
  smtplib, one connection each. Measured from the first submission until every mail is
  delivered AND recorded (a ``success`` record per mail, outbox empty). The time to ``250``
  of every submission is the submission latency: one ``sendmail`` from MAIL FROM to the
  ``250`` after DATA (three round trips, and the outbox commit before the last).

Rounds (9; 5 with ``--quick``) alternate direct / relay so that the machine's load colours
both alike; the medians are compared. Targets: relay <= 1.5x direct; median submission
latency <= 5 ms. Exit 1 on a miss.
"""

from __future__ import annotations

import argparse
import os
import signal
import smtplib
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUPPORT = ROOT / "tests" / "support"
sys.path.insert(0, str(ROOT))

from bench.report import figure, finish, rounds  # noqa: E402

TARGET_RATIO = 1.5
TARGET_LATENCY_MS = 5.0
SENDER = "bi@example.com"

_UPSTREAM = r"""
import asyncio, sys
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

class Sink:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        Sink.count += 1
        return "250 2.0.0 OK"

class Quiet(Controller):
    def factory(self):
        return SMTP(self.handler, hostname="upstream", enable_SMTPUTF8=True)

import socket
sock = socket.socket(); sock.bind(("127.0.0.1", 0)); port = sock.getsockname()[1]; sock.close()
controller = Quiet(Sink(), hostname="127.0.0.1", port=port)
controller.start()
print(port, flush=True)
sys.stdin.read()
controller.stop()
"""


def message(n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = "FineBI <finebi@bi.internal>"
    msg["To"] = f"user{n % 50}@example.com"
    msg["Subject"] = f"Daily report {n}"
    msg["X-Bimail-Template"] = "Daily report"
    msg.set_content("The sales report of today.\n" * 20)
    return msg.as_bytes()


def submit_all(port: int, messages: list[bytes], clients: int,
               latencies: list[float] | None = None) -> None:
    """``clients`` threads, one connection each, share the messages."""
    errors: list[BaseException] = []

    def client(part: list[tuple[int, bytes]]) -> None:
        try:
            with smtplib.SMTP("127.0.0.1", port, local_hostname="bi", timeout=60) as smtp:
                for n, data in part:
                    started = time.perf_counter()
                    smtp.sendmail("finebi@bi.internal", [f"user{n % 50}@example.com"], data)
                    if latencies is not None:
                        latencies.append((time.perf_counter() - started) * 1000)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    numbered = list(enumerate(messages))
    threads = [threading.Thread(target=client, args=(numbered[i::clients],))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


class RelayProcess:
    def __init__(self, home: Path, upstream_port: int) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BIMAIL_")}
        env.update(BIMAIL_HOME=str(home), PYTHONPATH=str(SUPPORT),
                   PYTHON_KEYRING_BACKEND="bimail_test_keyring.FileKeyring",
                   BIMAIL_TEST_KEYRING_FILE=str(home / "keychain.json"))
        self.env = env
        self.db = home / "bimail.db"
        bimail = [sys.executable, "-m", "bimail_desktop"]
        subprocess.run([*bimail, "senders", "add", "--server", "127.0.0.1", "--port",
                        str(upstream_port), "--encryption", "none", "--address", SENDER,
                        "--rate-limit", "0"], env=env, check=True, capture_output=True)
        subprocess.run([*bimail, "default", "set", SENDER], env=env, check=True,
                       capture_output=True)
        self.proc = subprocess.Popen([*bimail, "relay", "serve", "--listen", "127.0.0.1:0"],
                                     env=env, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on "):
            raise SystemExit(f"the relay did not start: {line!r}")
        self.port = int(line.rpartition(":")[2])

    def done(self, expected: int) -> bool:
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30) as db:
            left = db.execute("SELECT count(*) FROM relay_outbox").fetchone()[0]
            sent = db.execute("SELECT count(*) FROM send_records WHERE result = 'success'"
                              ).fetchone()[0]
        return left == 0 and sent >= expected

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_relay")
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=rounds())
    args = parser.parse_args(argv)
    messages = [message(n) for n in range(args.messages)]
    upstream = subprocess.Popen([sys.executable, "-c", _UPSTREAM], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
    assert upstream.stdout is not None and upstream.stdin is not None
    upstream_port = int(upstream.stdout.readline())
    direct_times: list[float] = []
    relay_times: list[float] = []
    latencies: list[float] = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-relay-") as tmp:
            for round_number in range(args.rounds):
                started = time.perf_counter()
                submit_all(upstream_port, messages, args.clients)
                direct_times.append(time.perf_counter() - started)

                relay = RelayProcess(Path(tmp) / f"home{round_number}", upstream_port)
                try:
                    round_latencies: list[float] = []
                    started = time.perf_counter()
                    submit_all(relay.port, messages, args.clients, round_latencies)
                    submitted = time.perf_counter() - started
                    deadline = time.monotonic() + 600
                    while not relay.done(args.messages):
                        if time.monotonic() > deadline:
                            raise SystemExit("the relay did not deliver everything in 10 min")
                        time.sleep(0.01)
                    relay_times.append(time.perf_counter() - started)
                    latencies += round_latencies
                finally:
                    relay.stop()
                print(f"round {round_number + 1}: direct {direct_times[-1]:.2f} s, relay "
                      f"{relay_times[-1]:.2f} s end to end (all submitted after "
                      f"{submitted:.2f} s), submission median "
                      f"{statistics.median(round_latencies):.2f} ms", flush=True)
    finally:
        upstream.stdin.close()
        upstream.wait(30)
    direct = statistics.median(direct_times)
    relayed = statistics.median(relay_times)
    figure("bench_relay", f"{args.messages} mails from {args.clients} clients through the "
           "relay, delivered and recorded", relayed * 1000,
           baseline=f"smtplib straight to the server on {args.clients} connections",
           baseline_value=direct * 1000, max_ratio=TARGET_RATIO)
    figure("bench_relay", "time to 250 of a submission (median)",
           statistics.median(latencies), max_value=TARGET_LATENCY_MS,
           note=f"p95 {sorted(latencies)[int(len(latencies) * 0.95)]:.1f} ms")
    return finish()

if __name__ == "__main__":
    raise SystemExit(main())
