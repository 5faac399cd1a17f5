"""Two relay processes on one PostgreSQL outbox: every message delivered exactly once, and a
sender's rate limit holds across both.

Needs the PostgreSQL server of the test machine (127.0.0.1:5432, user postgres, trust) and the
``postgresql`` extra; a database with a unique name is created and dropped afterwards.
"""

from __future__ import annotations

import email
import json
import os
import secrets
import smtplib
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from helpers import relay_queue as queue
from smtp_servers import SmtpTestServer
from test_relay_cli import RelayProcess, mail, wait_for

psycopg = pytest.importorskip("psycopg")

ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    name = f"bimail_relay_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL server on 127.0.0.1:5432 ({error})")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def shared_cli(cli: Any, postgres_url: str) -> Any:
    def run(*args: str, **kwargs: Any) -> Any:
        return cli("--db", postgres_url, *args, **kwargs)

    run.env = {**cli.env, "BIMAIL_DATABASE_URL": postgres_url}
    run.home = cli.home
    return run


@pytest.fixture
def two_relays(shared_cli: Any) -> Iterator[Callable[[], tuple[RelayProcess, RelayProcess]]]:
    started: list[RelayProcess] = []

    def start() -> tuple[RelayProcess, RelayProcess]:
        first, second = RelayProcess(shared_cli), RelayProcess(shared_cli)
        started.extend([first, second])
        return first, second

    yield start
    for relay in started:
        if relay.proc.poll() is None:
            relay.proc.kill()
        relay.finish()


def add_sender(shared_cli: Any, server: SmtpTestServer, rate_limit: int) -> None:
    result = shared_cli("senders", "add", "--server", server.host, "--port", str(server.port),
                        "--encryption", "none", "--address", "bi@example.com",
                        "--rate-limit", str(rate_limit))
    assert result.returncode == 0, result.stderr
    assert shared_cli("default", "set", "bi@example.com").returncode == 0


def submit_many(relay: RelayProcess, subjects: list[str]) -> None:
    with smtplib.SMTP(*relay.address, local_hostname="bi", timeout=30) as client:
        for subject in subjects:
            client.send_message(mail(subject))


def subjects_of(server: SmtpTestServer) -> list[str]:
    return sorted(str(email.message_from_bytes(m.content)["Subject"])
                  for m in server.messages)


def test_two_relays_deliver_every_message_exactly_once(
    shared_cli: Any, two_relays: Callable[[], tuple[RelayProcess, RelayProcess]],
    smtp_server_factory: Callable[..., SmtpTestServer],
) -> None:
    upstream = smtp_server_factory()
    add_sender(shared_cli, upstream, rate_limit=0)
    first, second = two_relays()
    expected = [f"report {n:03d}" for n in range(60)]
    submit_many(first, expected[0::2])  # both accept and both deliver, from one outbox
    submit_many(second, expected[1::2])
    wait_for(lambda: len(upstream.messages) >= len(expected), timeout=120)
    wait_for(lambda: not queue(shared_cli), timeout=60)
    time.sleep(1.0)  # nothing more arrives
    assert subjects_of(upstream) == expected
    records = json.loads(shared_cli("--json", "records", "--limit", "1000").stdout)
    assert len(records) == len(expected)
    assert {r["result"] for r in records} == {"success"}


def test_the_rate_limit_holds_across_two_relays(
    shared_cli: Any, two_relays: Callable[[], tuple[RelayProcess, RelayProcess]],
    smtp_server_factory: Callable[..., SmtpTestServer],
) -> None:
    upstream = smtp_server_factory()
    add_sender(shared_cli, upstream, rate_limit=3)
    first, second = two_relays()
    submit_many(first, [f"a{n}" for n in range(4)])
    submit_many(second, [f"b{n}" for n in range(4)])
    wait_for(lambda: len([q for q in queue(shared_cli) if q["status"] == "deferred"]) == 5,
             timeout=60)
    time.sleep(2.0)
    assert len(upstream.messages) == 3  # at most 3 per minute, whichever relay sends
    waiting = queue(shared_cli)
    assert {q["last_error"]["code"] for q in waiting} == {"rate_limited"}
    assert all(q["next_attempt"] for q in waiting)
