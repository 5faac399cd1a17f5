"""The relay's SMTP submission server (aiosmtpd) in a thread of its own.

A submitted message is answered ``250`` only after it is committed to the outbox (``451`` if
the commit failed: the client keeps the mail and tries again). Never an open relay: who may
send without logging in is decided per client address; AUTH (PLAIN, LOGIN) is offered only
after STARTTLS unless the client is on loopback; every refusal is logged with the client's
address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
import ssl
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from ..domain.errors import BimailError, ErrorCode

if TYPE_CHECKING:
    from ..services import Mailbox

log = logging.getLogger("bimail_desktop.relay")
# aiosmtpd logs every command line at INFO (peer, MAIL FROM, each RCPT, …): several lines per
# message, written while the client waits for its reply. The relay logs what matters itself
# (each accepted message with its client, sender and recipients; every refusal); aiosmtpd's
# warnings still reach the log.
_AIOSMTPD_LOG = logging.getLogger("mail.log")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Policy:
    """Who may do what."""

    require_auth: bool = False
    allow: tuple[Network, ...] = ()
    max_size: int = 25 * 1024 * 1024
    max_clients: int = 100
    max_recipients: int = 100

    def without_login(self, ip: str) -> bool:
        """May this client send without logging in?"""
        if self.allow:
            return _in(ip, self.allow)
        return not self.require_auth

    def may_connect(self, ip: str) -> bool:
        return self.require_auth or self.without_login(ip)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _in(ip: str, networks: Sequence[Network]) -> bool:
    address = _ip(ip)
    return address is not None and any(address in n for n in networks)


def is_loopback(ip: str) -> bool:
    address = _ip(ip)
    return address is not None and address.is_loopback


def _peer_ip(peer: Any) -> str:
    if isinstance(peer, tuple) and peer:
        return str(peer[0])
    return str(peer or "")


# <local@domain> as nearly every client writes it (dot-atoms only, then nothing or SP and the
# parameters): parsed here; anything else goes through aiosmtpd's full RFC 5322 parser,
# which costs more than storing the message
_PLAIN_PATH = re.compile(
    r"<([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>(?:[ ]+([^\s(].*)?)?")


class _RelaySMTP(SMTP):
    """One client connection."""

    def __init__(self, server: RelayServer, **kwargs: Any) -> None:
        super().__init__(server.handler, **kwargs)
        self._relay = server
        self._counted = False
        self._refused = False
        self.client_ip = ""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        starting = self.transport is None
        if starting:
            self.client_ip = _peer_ip(transport.get_extra_info("peername"))
            refusal = self._relay.admit(self.client_ip)
            if refusal is not None:
                self._refused = True
                log.warning("relay refused %s: %s", self.client_ip, refusal)
                transport.write(refusal.encode("ascii") + b"\r\n")  # type: ignore[attr-defined]
                transport.close()
                return
            self._counted = True
            # AUTH only over TLS, except for a client on this machine
            self._auth_require_tls = not is_loopback(self.client_ip)
        super().connection_made(transport)

    def connection_lost(self, error: Exception | None) -> None:
        if self._refused:
            return
        if self._counted:
            self._counted = False
            self._relay.left()
        super().connection_lost(error)

    def _getaddr(self, arg: str) -> tuple[str | None, str | None]:
        match = _PLAIN_PATH.fullmatch(arg) if arg else None
        if match is None:
            return super()._getaddr(arg)
        address = match.group(1)
        if self.local_part_limit and len(address.rpartition("@")[0]) > self.local_part_limit:
            return None, None
        return address, match.group(2) or ""

    async def push(self, status: Any) -> None:
        text = status.decode("utf-8", "replace") if isinstance(status, bytes) else str(status)
        if text[:1] in ("4", "5") and not text.startswith("421 Bye"):
            log.warning("relay refused %s: %s", self.client_ip, text)
        await super().push(status)

    async def smtp_DATA(self, arg: str) -> None:
        self._relay.in_hand_changed(+1)
        try:
            await super().smtp_DATA(arg)
        finally:
            self._relay.in_hand_changed(-1)


class _Handler:
    def __init__(self, server: RelayServer) -> None:
        self._server = server

    async def handle_MAIL(  # noqa: N802 - aiosmtpd hook name
        self, server: _RelaySMTP, session: Session, envelope: Envelope, address: str,
        mail_options: list[str],
    ) -> str:
        policy = self._server.policy
        if not session.authenticated and not policy.without_login(server.client_ip):
            return "530 5.7.0 Authentication required: log in as a relay user first"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(  # noqa: N802
        self, server: _RelaySMTP, session: Session, envelope: Envelope, address: str,
        rcpt_options: list[str],
    ) -> str:
        if len(envelope.rcpt_tos) >= self._server.policy.max_recipients:
            return (f"452 4.5.3 Too many recipients: at most "
                    f"{self._server.policy.max_recipients} per message")
        if "@" not in address or any(c in address for c in "\r\n "):
            return "553 5.1.3 The recipient address is not valid"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: _RelaySMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        return await self._server.accept(bytes(raw), str(envelope.mail_from or ""),
                                         list(envelope.rcpt_tos), server.client_ip)


class RelayServer:
    """The listening socket, its event loop thread and the clients."""

    def __init__(
        self,
        mailbox: Mailbox,
        host: str,
        port: int,
        policy: Policy,
        *,
        tls_context: ssl.SSLContext | None = None,
        on_accepted: Callable[[], None] = lambda: None,
    ) -> None:
        self.mailbox = mailbox
        self.host = host
        self.port = port
        self.policy = policy
        self.tls_context = tls_context
        self.handler = _Handler(self)
        self._on_accepted = on_accepted
        self._clients = 0
        self._in_hand = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.AbstractServer | None = None
        self._thread: threading.Thread | None = None
        self._hostname = socket.gethostname() or "localhost"  # never getfqdn(): slow
        if _AIOSMTPD_LOG.getEffectiveLevel() < logging.WARNING:
            _AIOSMTPD_LOG.setLevel(logging.WARNING)
        self.bound: tuple[str, int] | None = None

    # -- bookkeeping (event loop thread) ----------------------------------------------------
    def admit(self, ip: str) -> str | None:
        if not self.policy.may_connect(ip):
            return f"554 5.7.1 {ip} may not use this relay"
        with self._lock:
            if self._clients >= self.policy.max_clients:
                return "421 4.7.0 Too many connections to the relay; try again later"
            self._clients += 1
        return None

    def left(self) -> None:
        with self._lock:
            self._clients -= 1

    def in_hand_changed(self, delta: int) -> None:
        with self._lock:
            self._in_hand += delta

    @property
    def in_hand(self) -> int:
        with self._lock:
            return self._in_hand

    @property
    def clients(self) -> int:
        with self._lock:
            return self._clients

    def _authenticate(self, server: SMTP, session: Session, envelope: Envelope,
                      mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            name = auth_data.login.decode("utf-8", "replace")
            password = auth_data.password.decode("utf-8", "replace")
            try:
                ok = self.mailbox.check_relay_user(name, password)
            except Exception:  # noqa: BLE001 - the store is down: refuse, say why in the log
                log.exception("relay could not check the login of %s", name)
                ok = False
            if ok:
                log.info("relay user %s logged in from %s", name,
                         _peer_ip(session.peer))
                return AuthResult(success=True, auth_data=auth_data)
        # handled=False: aiosmtpd answers 535 itself (aiosmtpd#283)
        return AuthResult(success=False, handled=False)

    # -- storing submissions -----------------------------------------------------------------
    async def accept(self, raw: bytes, mail_from: str, recipients: list[str], ip: str) -> str:
        try:
            # committed by the store's group commit together with every other submission
            # and delivery step waiting meanwhile (one sync for all); the loop goes on
            # serving the other clients while this one waits for its commit
            (accepted,) = await asyncio.wrap_future(
                self.mailbox.relay_accept_later([(raw, mail_from, recipients, ip)]))
            if isinstance(accepted, BaseException):
                raise accepted
        except BimailError as error:
            if error.code is ErrorCode.NOT_CONFIGURED:
                return f"550 5.7.1 {error.message()} ({error.code.value})"
            if error.code is ErrorCode.INVALID_INPUT:
                return f"550 5.6.0 {error.message()}"
            log.error("relay could not store a mail from %s: %s", ip, error.message())
            return "451 4.3.0 The relay could not store the mail; try again later"
        except Exception:  # noqa: BLE001 - the client must hear 451 and keep the mail
            log.exception("relay could not store a mail from %s", ip)
            return "451 4.3.0 The relay could not store the mail; try again later"
        log.info("relay accepted message %s (%s) from %s for %d recipient(s), sender %s",
                 accepted.id, accepted.message_id, ip, len(recipients), accepted.sender)
        self._on_accepted()
        return f"250 2.0.0 Queued as {accepted.id}"

    def _factory(self) -> _RelaySMTP:
        return _RelaySMTP(
            self,
            hostname=self._hostname,
            data_size_limit=self.policy.max_size,
            enable_SMTPUTF8=True,
            decode_data=False,
            tls_context=self.tls_context,
            require_starttls=False,
            authenticator=self._authenticate,
            auth_require_tls=True,
            auth_required=False,
            timeout=300,
        )

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> tuple[str, int]:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                self._server = loop.run_until_complete(loop.create_server(
                    self._factory, host=self.host or None, port=self.port,
                    reuse_address=True, backlog=128))
            except BaseException as error:  # noqa: BLE001 - reported to start()
                failure.append(error)
                ready.set()
                loop.close()
                return
            sock = self._server.sockets[0].getsockname()
            self.bound = (str(sock[0]), int(sock[1]))
            loop.call_soon(ready.set)
            try:
                loop.run_forever()
            finally:
                for task in asyncio.all_tasks(loop):
                    task.cancel()
                loop.run_until_complete(asyncio.sleep(0))
                loop.close()

        self._thread = threading.Thread(target=run, name="relay-smtp", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            self._thread = None
            raise failure[0]
        assert self.bound is not None
        return self.bound

    def stop_listening(self) -> None:
        loop, server = self._loop, self._server
        if loop is not None and server is not None and not loop.is_closed():
            loop.call_soon_threadsafe(server.close)

    def stop(self, grace: float = 30.0) -> None:
        """Stop accepting; let a message in hand finish (up to ``grace`` seconds)."""
        import time

        self.stop_listening()
        deadline = time.monotonic() + grace
        while self.in_hand and time.monotonic() < deadline:
            time.sleep(0.05)
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=grace)
            self._thread = None
