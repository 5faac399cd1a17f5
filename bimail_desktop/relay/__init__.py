"""The relay: an SMTP submission server for the BI server and other programs, and the
worker that delivers what it accepted through the mailbox's senders.

    from bimail_desktop.relay import Relay, RelayOptions
    relay = Relay(mailbox, RelayOptions.parse(listen="127.0.0.1:2525"))
    host, port = relay.start()
    ...
    relay.stop()   # finishes the message in hand

It sits between the services layer (which it calls for everything it stores and sends)
and the front ends (``bimail relay serve``, the window's Relay page).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import data_home
from ..domain.clock import now_naive
from ..domain.errors import InvalidInput
from ..domain.texts import Msg
from ..fileio import write_text
from .certs import RelayCertificate, given_certificate, own_certificate
from .server import Network, Policy, RelayServer, is_loopback
from .worker import OutboxWorker

if TYPE_CHECKING:
    from ..services import Mailbox

__all__ = ["Relay", "RelayOptions", "parse_listen", "running_relay"]

log = logging.getLogger("bimail_desktop.relay")

DEFAULT_LISTEN = "127.0.0.1:2525"
MB = 1024 * 1024


def parse_listen(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[v6]:PORT`` for IPv6) → (host, port)."""
    value = str(text or "").strip()
    host, sep, port_text = value.rpartition(":")
    if not sep or not host:
        raise InvalidInput("listen", Msg("relay.bad_listen", value=value))
    host = host.strip("[]")
    if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise InvalidInput("listen", Msg("relay.bad_port", port_text=port_text))
    return host, int(port_text)


def _listens_on_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    return is_loopback(host)


@dataclass(frozen=True)
class RelayOptions:
    host: str = "127.0.0.1"
    port: int = 2525
    require_auth: bool = False
    allow: tuple[Network, ...] = ()
    tls_cert: str | None = None
    tls_key: str | None = None
    max_size_mb: float = 25
    max_clients: int = 100
    max_recipients: int = 100
    workers: int = 4
    poll_interval: float = 1.0
    timeout: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, *, listen: str = DEFAULT_LISTEN, require_auth: bool = False,
              allow: Sequence[str] = (), tls_cert: str | None = None,
              tls_key: str | None = None, max_size: float | None = None,
              **more: Any) -> RelayOptions:
        """Checked options; a bad one raises :class:`InvalidInput` naming it."""
        host, port = parse_listen(listen)
        networks: list[Network] = []
        for item in allow:
            try:
                networks.append(ipaddress.ip_network(str(item).strip(), strict=False))
            except ValueError:
                raise InvalidInput("allow", Msg("relay.bad_network", item=item)) from None
        if bool(tls_cert) != bool(tls_key):
            raise InvalidInput("tls_cert" if not tls_cert else "tls_key",
                               Msg("relay.cert_and_key"))
        size = 25.0 if max_size is None else float(max_size)
        if not 0 < size <= 1024:
            raise InvalidInput("max_size", Msg("relay.bad_size"))
        if not _listens_on_loopback(host) and not require_auth and not networks:
            raise InvalidInput(
                "listen",
                Msg("relay.open_relay", host=host),
            )
        return cls(host=host, port=port, require_auth=require_auth, allow=tuple(networks),
                   tls_cert=tls_cert, tls_key=tls_key, max_size_mb=size, **more)

    @property
    def policy(self) -> Policy:
        return Policy(require_auth=self.require_auth, allow=self.allow,
                      max_size=int(self.max_size_mb * MB), max_clients=self.max_clients,
                      max_recipients=self.max_recipients)


def _status_file() -> Path:
    return data_home() / "relay" / "running.json"


def running_relay() -> dict[str, Any] | None:
    """The relay running on this machine (from its status file), or None."""
    from ..services.sending import process_alive

    try:
        data = json.loads(_status_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not process_alive(int(data.get("pid", 0))):
        return None
    return data


class Relay:
    """The server and the worker together."""

    def __init__(self, mailbox: Mailbox, options: RelayOptions | None = None, *,
                 clock: Callable[[], datetime] = now_naive,
                 on_change: Callable[[], None] = lambda: None,
                 write_status: bool = True) -> None:
        self.mailbox = mailbox
        self.options = options or RelayOptions()
        self.certificate: RelayCertificate | None = None
        self.worker = OutboxWorker(mailbox, threads=self.options.workers,
                                   poll_interval=self.options.poll_interval, clock=clock,
                                   timeout=self.options.timeout, on_change=on_change)
        self._on_change = on_change
        self._write_status = write_status
        self.server: RelayServer | None = None
        self.address: tuple[str, int] | None = None

    def start(self) -> tuple[str, int]:
        options = self.options
        if options.tls_cert and options.tls_key:
            self.certificate = given_certificate(options.tls_cert, options.tls_key)
        else:
            self.certificate = own_certificate(host=options.host)
        context = self.certificate.server_context()

        def accepted() -> None:
            self.worker.wake()
            self._on_change()

        self.server = RelayServer(self.mailbox, options.host, options.port, options.policy,
                                  tls_context=context, on_accepted=accepted)
        self.address = self.server.start()
        self.worker.start()
        if self._write_status:
            self._status(True)
        log.info("relay listening on %s:%s (TLS certificate SHA-256 %s)", *self.address,
                 self.certificate.sha256)
        return self.address

    def flush(self) -> int:
        count = self.mailbox.relay_flush(now=self.worker.clock())
        self.worker.wake()
        return count

    def stop(self, grace: float = 30.0) -> None:
        """Stop accepting, finish the message in hand, stop delivering."""
        if self.server is not None:
            self.server.stop(grace)
            self.server = None
        self.worker.stop(grace)
        if self._write_status:
            self._status(False)
        log.info("relay stopped")

    @property
    def running(self) -> bool:
        return self.server is not None

    def _status(self, running: bool) -> None:
        path = _status_file()
        try:
            if not running:
                path.unlink(missing_ok=True)
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            assert self.address is not None
            write_text(path, json.dumps({
                "pid": os.getpid(), "listen": f"{self.address[0]}:{self.address[1]}",
                "started": now_naive().isoformat() + "Z",
            }), field="status")
        except (OSError, InvalidInput):
            log.warning("relay could not write its status file %s", path)


def send_test(address: tuple[str, int], recipient: str, *, timeout: float = 30.0) -> str:
    """Submit the Test Mail to the relay at ``address`` like a BI server does (plain SMTP
    from this machine, no login); returns the relay's reply. The relay then sends it through
    the default sender."""
    import smtplib
    from email.message import EmailMessage

    from ..domain.errors import BimailError, ErrorCode
    from ..domain.models import TEST_MAIL_TEMPLATE
    from ..domain.validation import validate_recipients

    (to,) = validate_recipients([recipient], "to")
    host = "127.0.0.1" if address[0] in ("0.0.0.0", "", "::") else address[0]
    message = EmailMessage()
    message["From"] = "Relay test <relay-test@localhost>"
    message["To"] = to
    message["Subject"] = "Test mail through the bimail relay"
    message["X-Bimail-Template"] = TEST_MAIL_TEMPLATE
    message.set_content("Congratulation! Your mail server is configured successfully.\n\n"
                        "This mail went through the relay of bimail-desktop.")
    message.add_alternative("<p>Congratulation! Your mail server is configured "
                            "successfully.</p><p>This mail went through the relay of "
                            "bimail-desktop.</p>", subtype="html")
    try:
        with smtplib.SMTP(host, address[1], local_hostname="localhost",
                          timeout=timeout) as client:
            client.ehlo()
            client.mail("relay-test@localhost")
            code, reply = client.rcpt(to)
            if code not in (250, 251):
                raise BimailError(ErrorCode.RECIPIENT_REJECTED,
                                  Msg("relay.client_recipient_refused", code=code,
                                      reply=reply.decode('utf-8', 'replace')))
            code, reply = client.data(message.as_bytes())
            text = f"{code} {reply.decode('utf-8', 'replace')}"
            if code != 250:
                raise BimailError(
                    ErrorCode.MESSAGE_REJECTED, Msg("relay.client_answered", text=text),
                                  server_reply=text)
            return text
    except smtplib.SMTPException as error:
        raise BimailError(ErrorCode.DISCONNECTED, Msg("relay.client_refused", host=host,
                                                      port=address[1], error=error)) from None
    except OSError as error:
        raise BimailError(ErrorCode.CONNECT_REFUSED, Msg("relay.client_unreachable", host=host,
                                                         port=address[1], error=error)) from None
