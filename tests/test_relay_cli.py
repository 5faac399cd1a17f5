"""`bimail relay …` in real subprocesses: serve, signals, kill -9, users, queue, retry."""

from __future__ import annotations

import email
import json
import os
import signal
import smtplib
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from helpers import relay_queue as queue
from helpers import wait_for
from smtp_servers import RecordingHandler, SmtpTestServer

ADDRESS = "bi@example.com"


def mail(subject: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "FineBI <finebi@bi.internal>"
    msg["To"] = "boss@example.com"
    msg["Subject"] = subject
    msg.set_content("report")
    return msg


class RelayProcess:
    def __init__(self, cli: Any, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bimail_desktop", "relay", "serve", "--listen",
             "127.0.0.1:0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
            env=cli.env,
        )
        assert self.proc.stdout is not None
        first = self.proc.stdout.readline().strip()
        if not first.startswith("listening on "):
            self.proc.kill()
            raise AssertionError(f"relay did not start: {first!r} "
                                 f"{self.proc.stderr.read() if self.proc.stderr else ''}")
        host, _, port = first.removeprefix("listening on ").rpartition(":")
        self.address = (host, int(port))
        self.stderr = ""

    def submit(self, subject: str) -> None:
        with smtplib.SMTP(*self.address, local_hostname="bi", timeout=10) as client:
            client.send_message(mail(subject))

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.finish()

    def finish(self) -> int:
        _out, self.stderr = self.proc.communicate(timeout=30)  # closes the pipes
        return self.proc.returncode

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.finish()


@pytest.fixture
def relays(cli: Any) -> Iterator[Callable[..., RelayProcess]]:
    started: list[RelayProcess] = []

    def start(*args: str) -> RelayProcess:
        relay = RelayProcess(cli, *args)
        started.append(relay)
        return relay

    yield start
    for relay in started:
        if relay.proc.poll() is None:
            relay.proc.kill()
        relay.finish()


def add_sender(cli: Any, server: SmtpTestServer) -> None:
    assert cli("senders", "add", "--server", server.host, "--port", str(server.port),
               "--encryption", "none", "--address", ADDRESS, "--rate-limit", "0"
               ).returncode == 0
    assert cli("default", "set", ADDRESS).returncode == 0


def test_open_relay_is_refused_with_exit_2(cli: Any) -> None:
    result = cli("relay", "serve", "--listen", "0.0.0.0:0")
    assert result.returncode == 2
    assert "--require-auth" in result.stderr and "--allow" in result.stderr
    assert result.stdout == ""


def test_serve_says_where_it_listens_and_stops_cleanly_on_sigterm(
    cli: Any, relays: Callable[..., RelayProcess],
    smtp_server_factory: Callable[..., SmtpTestServer],
) -> None:
    upstream = smtp_server_factory()
    add_sender(cli, upstream)
    relay = relays()
    assert relay.address[0] == "127.0.0.1"
    relay.submit("first")
    wait_for(lambda: upstream.messages)
    assert relay.stop() == 0
    assert "Traceback" not in relay.stderr
    records = json.loads(cli("--json", "records").stdout)
    assert [(r["ip"], r["template"], r["result"]) for r in records] == [
        ("127.0.0.1", "Relay", "success")]


def test_sigterm_during_a_submission_finishes_that_message(
    cli: Any, relays: Callable[..., RelayProcess],
    smtp_server_factory: Callable[..., SmtpTestServer],
) -> None:
    upstream = smtp_server_factory()
    add_sender(cli, upstream)
    relay = relays()
    client = smtplib.SMTP(*relay.address, local_hostname="bi", timeout=10)
    client.ehlo()
    client.mail("finebi@bi.internal")
    client.rcpt("boss@example.com")
    assert client.docmd("DATA")[0] == 354
    relay.proc.send_signal(signal.SIGTERM)  # the message is in hand
    time.sleep(0.3)
    client.send(mail("in hand").as_bytes().replace(b"\n", b"\r\n") + b"\r\n.\r\n")
    code, _ = client.getreply()
    assert code == 250
    client.close()
    assert relay.finish() == 0
    # accepted, so delivered: now, or by the next start
    if not upstream.messages:
        relays()
        wait_for(lambda: upstream.messages)
    assert [m.rcpt_tos for m in upstream.messages] == [["boss@example.com"]]


def test_kill_9_with_messages_queued_delivers_each_exactly_once_after_restart(
    cli: Any, relays: Callable[..., RelayProcess],
    smtp_server_factory: Callable[..., SmtpTestServer],
) -> None:
    handler = RecordingHandler(data_reply="451 4.3.0 Try again later")
    upstream = smtp_server_factory(handler=handler)
    add_sender(cli, upstream)
    relay = relays()
    subjects = [f"report {n}" for n in range(5)]
    for subject in subjects:
        relay.submit(subject)
    wait_for(lambda: len(queue(cli)) == 5 and all(q["status"] == "deferred"
                                                  for q in queue(cli)))
    relay.kill9()
    handler.data_reply = None  # the server is fine again
    relays()
    assert cli("relay", "flush").returncode == 0
    wait_for(lambda: len(upstream.messages) >= 5 and not queue(cli))
    time.sleep(1.0)  # nothing more arrives
    got = sorted(str(email.message_from_bytes(m.content)["Subject"])
                 for m in upstream.messages)
    assert got == subjects


def test_kill_9_during_data_leaves_it_interrupted_until_relay_retry(
    cli: Any, relays: Callable[..., RelayProcess],
    smtp_server_factory: Callable[..., SmtpTestServer],
) -> None:
    handler = RecordingHandler(data_delay=30)
    upstream = smtp_server_factory(handler=handler)
    add_sender(cli, upstream)
    relay = relays()
    relay.submit("in flight")
    assert handler.data_started.wait(20)
    relay.kill9()
    handler.data_delay = 0
    relays()
    wait_for(lambda: [q for q in queue(cli) if q["status"] == "interrupted"])
    (item,) = queue(cli)
    assert item["last_error"]["code"] == "interrupted"
    assert item["next_attempt"] is None
    time.sleep(1.5)
    assert upstream.messages == []  # never sent again by itself
    records = json.loads(cli("--json", "records").stdout)
    assert [(r["result"], r["error_code"]) for r in records] == [("failure", "interrupted")]
    result = cli("relay", "retry", str(item["id"]))
    assert result.returncode == 0, result.stderr
    wait_for(lambda: upstream.messages and not queue(cli))
    assert len(upstream.messages) == 1


def test_relay_users_and_queue_commands(cli: Any) -> None:
    assert cli("relay", "users", "add", "finebi", "--password-stdin",
               stdin="s3cret\n").returncode == 0
    listed = cli("--json", "relay", "users", "list")
    assert json.loads(listed.stdout) == [{"name": "finebi"}]
    assert cli("relay", "users", "add", "finebi").returncode == 2  # no password on argv
    assert cli("relay", "users", "remove", "finebi").returncode == 0
    assert cli("relay", "users", "remove", "finebi").returncode == 2
    assert queue(cli) == []
    missing = cli("relay", "retry", "42")
    assert missing.returncode == 2 and "relay queue" in missing.stderr
    assert cli("relay", "retry", "forty-two").returncode == 2


def test_doctor_reports_the_running_relay_and_its_queue(
    cli: Any, relays: Callable[..., RelayProcess],
) -> None:
    before = json.loads(cli("--json", "doctor").stdout)
    assert before["relay"]["running"] is False
    relay = relays()
    after = json.loads(cli("--json", "doctor").stdout)
    assert after["relay"]["running"] is True
    assert after["relay"]["listen"] == f"{relay.address[0]}:{relay.address[1]}"
    assert after["relay"]["queue"] == 0
    assert relay.stop() == 0
    assert not os.path.exists(cli.home / "relay" / "running.json")
