"""kill -9 harness: a child sends in a loop and prints each record id after its commit; the
parent kills it at random moments. Every printed id must be in the store, the SQLite file
must pass its integrity check, and after reopening no record stays pending."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from smtp_servers import SmtpTestServer
from sqlalchemy import select

from bimail_desktop.secrets import SecretStore
from bimail_desktop.services import Mailbox
from bimail_desktop.store.schema import SendRecordRow

SUPPORT = Path(__file__).parent / "support"
ROUNDS = 8
RECIPIENTS = 3


class _Child:
    """The sending child; its stdout is read by a thread (complete lines only)."""

    def __init__(self, url: str) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(SUPPORT), env.get("PYTHONPATH", "")])
        self.proc = subprocess.Popen(
            [sys.executable, str(SUPPORT / "crash_sender.py"), url, str(RECIPIENTS)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
        )
        self.ids: list[int] = []
        self.ready = threading.Event()
        self.first_id = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if not line.endswith("\n"):
                break  # cut off by the kill: not a complete report
            text = line.strip()
            if text == "ready":
                self.ready.set()
            elif text.isdigit():
                self.ids.append(int(text))
                self.first_id.set()

    def kill(self) -> None:
        self.proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        self.proc.wait(10)  # reaped: its pid is really gone
        self._reader.join(10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@pytest.mark.slow
def test_kill_9_while_sending_loses_nothing(
    tmp_path: Path, smtp_server_factory: Callable[..., SmtpTestServer]
) -> None:
    server = smtp_server_factory("plain")
    server.handler.data_delay = 0.005  # widen the window in which a send is in flight
    db = tmp_path / "crash.db"
    url = f"sqlite:///{db}"
    with Mailbox.open(url, secrets=SecretStore()) as setup:
        setup.add_sender({"server": server.host, "port": server.port, "encryption": "none",
                          "address": "bi@example.com", "rate_limit": 0})
        setup.set_default_sender("bi@example.com")

    rng = random.Random()
    printed: list[int] = []
    for _round in range(ROUNDS):
        child = _Child(url)
        try:
            assert child.first_id.wait(30), "the child never finished a send"
            time.sleep(rng.uniform(0.0, 0.4))
        finally:
            child.kill()
        printed.extend(child.ids)
    assert printed

    with closing(sqlite3.connect(db)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    with Mailbox.open(url, secrets=SecretStore()) as reopened:
        with reopened.store.read() as session:
            rows = {r.id: r for r in session.scalars(select(SendRecordRow)).all()}
    missing = [i for i in printed if i not in rows]
    assert missing == []
    assert all(rows[i].result == "success" for i in printed)
    assert [r.id for r in rows.values() if r.result == "pending"] == []
    # a killed send is a failure "interrupted" (it may have been sent), never resent
    unfinished = [r for r in rows.values() if r.id not in set(printed)]
    assert all(r.result in ("success", "failure") for r in unfinished)
    assert all(r.error_code == "interrupted" for r in unfinished if r.result == "failure")
    print(f"{len(printed)} committed ids, {len(unfinished)} unfinished rows")
