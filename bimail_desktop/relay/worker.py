"""The outbox worker: claims due messages and delivers them through the mailbox.

Several threads (one upstream connection each) work through the outbox; several relay
processes may do the same on one shared store — a message is claimed by one of them only.
Decisions (what is due, the rate limit, retry times) use ``clock``, so that a test can let a
minute pass without waiting for it; waiting between polls is real time.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from ..domain.clock import now_naive
from ..services.relaying import Claimed, Upstream
from ..services.sending import _host_name

if TYPE_CHECKING:
    from ..services import Mailbox

log = logging.getLogger("bimail_desktop.relay")

RECOVER_EVERY = 30.0  # seconds between looks for messages of relays that died


class OutboxWorker:
    def __init__(
        self,
        mailbox: Mailbox,
        *,
        threads: int = 4,
        poll_interval: float = 1.0,
        clock: Callable[[], datetime] = now_naive,
        timeout: float | None = None,
        on_change: Callable[[], None] = lambda: None,
        batch: int = 20,
    ) -> None:
        self.mailbox = mailbox
        self.owner = f"{_host_name()}:{os.getpid()}"
        self.clock = clock
        self.poll_interval = poll_interval
        self.timeout = timeout
        self._count = max(1, threads)
        self._threads: list[threading.Thread] = []
        # wake-ups not yet taken by an idle thread: one thread looks per accepted message
        # (waking every thread for every message made them all query the outbox at once)
        self._wake = threading.Condition()
        self._wakes = 0
        self._stopping = threading.Event()
        self._recovered_at = 0.0
        self._recover_lock = threading.Lock()
        self._on_change = on_change
        self.delivered = 0
        self.batch = batch

    def start(self) -> None:
        self._recover(force=True)
        for n in range(self._count):
            thread = threading.Thread(target=self._run, name=f"relay-worker-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def wake(self) -> None:
        """A message was accepted (or the queue changed): an idle thread looks now (a busy
        one looks again anyway when its batch is done)."""
        with self._wake:
            self._wakes = min(self._wakes + 1, self._count)
            self._wake.notify()

    def stop(self, timeout: float = 60.0) -> None:
        """Finish the message in hand, then stop."""
        self._stopping.set()
        with self._wake:
            self._wake.notify_all()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._threads.clear()

    @property
    def running(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    def _recover(self, *, force: bool = False) -> None:
        with self._recover_lock:
            if not force and time.monotonic() - self._recovered_at < RECOVER_EVERY:
                return
            self._recovered_at = time.monotonic()
        try:
            count = self.mailbox.relay_recover(now=self.clock())
            if count:
                self._on_change()
        except Exception:  # noqa: BLE001 - the store may be down for a moment
            log.exception("relay could not look for messages of stopped relays")

    def _run(self) -> None:
        upstream = Upstream()  # this thread's connection, kept between batches
        try:
            self._work(upstream)
        finally:
            upstream.close()

    def _idle(self) -> None:
        """Wait for a wake-up, at most the poll interval (messages due later, other relays'
        messages)."""
        with self._wake:
            if not self._wakes and not self._stopping.is_set():
                self._wake.wait(self.poll_interval)
            if self._wakes:
                self._wakes -= 1

    def _work(self, upstream: Upstream) -> None:
        while not self._stopping.is_set():
            self._recover()
            try:
                claimed = self.mailbox.relay_claim(self.owner, limit=self.batch,
                                                   now=self.clock())
            except Exception:  # noqa: BLE001 - the store is down: try again later
                log.exception("relay could not read its outbox")
                claimed = []
            if not claimed:
                upstream.close_idle()
                self._idle()
                continue
            groups: dict[str, list[Claimed]] = {}
            for message in claimed:
                groups.setdefault(message.sender.lower(), []).append(message)
            for group in groups.values():
                if self._stopping.is_set():
                    self.mailbox.relay_release(group)
                    continue
                try:
                    results = self.mailbox.relay_deliver_batch(
                        group, self.owner, clock=self.clock, timeout=self.timeout,
                        stopping=self._stopping.is_set, upstream=upstream)
                    self.delivered += sum(r.status in ("delivered", "failed", "expired")
                                          for r in results)
                except Exception:  # noqa: BLE001 - a bug must not stop the relay
                    log.exception("relay could not deliver messages %s",
                                  ", ".join(str(m.id) for m in group))
                self._on_change()
