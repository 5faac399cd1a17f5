"""Real SMTP servers for tests: aiosmtpd on 127.0.0.1, free ports, trustme certificates.

No pytest here (the fixtures live in ``smtp_fixtures.py``), so that benches and scripts can
use the servers too.

Quick reference::

    ca = make_ca()                                   # trustme.CA
    pem = ca_pem(ca)                                 # str, for TrustConfig(cas=(pem,))
    cert = issue_certificate(ca, "localhost", "127.0.0.1")
    with SmtpTestServer("starttls", certificate=cert, users={"u@x.test": "pw"}) as srv:
        ... connect to srv.host, srv.port ...
        srv.handler.messages        # [ReceivedMessage(mail_from, rcpt_tos, content, tls, login)]
        srv.handler.commands        # [Command(verb, arg, tls)] - every command line received
        srv.handler.verbs()         # ["EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL", ...]

Modes: ``"plain"`` (no TLS at all), ``"starttls"`` (STARTTLS offered and, by default,
required), ``"ssl"`` (implicit TLS from the first byte).

Faults are attributes of :class:`RecordingHandler` (may be changed while the server runs):
``strip_starttls`` (downgrade: STARTTLS removed from EHLO), ``mail_reply``,
``rcpt_replies`` ({recipient: "550 5.1.1 No such user"}), ``data_reply`` ("451 ...",
"554 ..."), ``data_delay`` (seconds before answering DATA), ``data_abort`` (drop the
connection at the end of DATA). Server-level: ``greeting_delay`` (seconds before the 220).

AUTH: ``users={"login": "password"}`` offers PLAIN and LOGIN; a wrong password answers
``auth_failure_reply`` (default "535 5.7.8 Authentication credentials invalid"), e.g.
"534-5.7.9 Application-specific password required..." to imitate Gmail. Pass your own
``authenticator`` (aiosmtpd's ``(server, session, envelope, mechanism, auth_data) ->
AuthResult``) or add mechanisms by subclassing the handler with
``async def auth_XOAUTH2(self, server, args) -> AuthResult`` (aiosmtpd picks up every
``auth_*`` method of the handler; ``args`` is the split command line, ``args[1]`` the
initial response). ``handler.auth_attempts`` lists (mechanism, login, success).

Other helpers: :class:`SilentServer` (accepts TCP, never greets; records bytes received),
:class:`FullBacklogServer` (connect never completes on Linux: connect timeout),
:func:`unused_port` (nothing listens: connection refused), :func:`self_signed_certificate`,
:func:`expired_certificate`.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import hashlib
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

SERVER_NAME = "mx.bimail.test"  # what the server calls itself (never getfqdn)
LOOPBACK = "127.0.0.1"
DEFAULT_AUTH_FAILURE = "535 5.7.8 Authentication credentials invalid"


# --------------------------------------------------------------------------- certificates


def make_ca() -> trustme.CA:
    """A fresh private CA (not in any OS store)."""
    return trustme.CA(organization_name="bimail test CA")


def ca_pem(ca: trustme.CA) -> str:
    """The CA certificate as PEM text (what an admin imports)."""
    return ca.cert_pem.bytes().decode("ascii")


def ca_der(ca: trustme.CA) -> bytes:
    return ssl.PEM_cert_to_DER_cert(ca_pem(ca))


@dataclass(frozen=True)
class ServerCertificate:
    """A server's certificate chain (leaf first) and private key, both PEM."""

    chain_pem: bytes
    key_pem: bytes

    @property
    def pem(self) -> str:
        """The leaf certificate only, PEM."""
        text = self.chain_pem.decode("ascii")
        end = "-----END CERTIFICATE-----"
        return text[: text.index(end) + len(end)] + "\n"

    @property
    def der(self) -> bytes:
        return ssl.PEM_cert_to_DER_cert(self.pem)

    @property
    def sha256(self) -> str:
        """Lower-case hex SHA-256 of the leaf's DER (the pin)."""
        return hashlib.sha256(self.der).hexdigest()

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        with tempfile.TemporaryDirectory() as tmp:
            cert_file = Path(tmp) / "cert.pem"
            key_file = Path(tmp) / "key.pem"
            cert_file.write_bytes(self.chain_pem)
            key_file.write_bytes(self.key_pem)
            ctx.load_cert_chain(cert_file, key_file)
        return ctx


def issue_certificate(
    ca: trustme.CA,
    *names: str,
    not_before: _dt.datetime | None = None,
    not_after: _dt.datetime | None = None,
) -> ServerCertificate:
    """A leaf for ``names`` (default "localhost", "127.0.0.1") signed by ``ca``.

    ``not_after`` in the past gives an expired certificate."""
    leaf = ca.issue_cert(
        *(names or ("localhost", LOOPBACK)), not_before=not_before, not_after=not_after
    )
    chain = b"".join(blob.bytes() for blob in leaf.cert_chain_pems)
    return ServerCertificate(chain, leaf.private_key_pem.bytes())


def expired_certificate(ca: trustme.CA, *names: str) -> ServerCertificate:
    now = _dt.datetime.now(_dt.UTC)
    return issue_certificate(
        ca,
        *names,
        not_before=now - _dt.timedelta(days=30),
        not_after=now - _dt.timedelta(days=1),
    )


def self_signed_certificate(*names: str) -> ServerCertificate:
    """A truly self-signed leaf (OpenSSL verify code 18) for ``names``."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    names = names or ("localhost", LOOPBACK)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    alt: list[x509.GeneralName] = []
    for name in names:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alt.append(x509.DNSName(name))
    now = _dt.datetime.now(_dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _dt.timedelta(hours=1))
        .not_valid_after(now + _dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return ServerCertificate(
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


# --------------------------------------------------------------------------- handler


@dataclass
class ReceivedMessage:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    tls: bool
    login: str | None


@dataclass
class Command:
    """One command line the server received (AUTH continuation lines have verb "AUTH-DATA")."""

    verb: str
    arg: str
    tls: bool


@dataclass
class RecordingHandler:
    """Accepts mail and records everything; the fault attributes shape the replies."""

    strip_starttls: bool = False
    mail_reply: str | None = None
    rcpt_replies: dict[str, str] = field(default_factory=dict)  # lower-case address -> reply
    data_reply: str | None = None
    data_delay: float = 0.0
    data_abort: bool = False

    messages: list[ReceivedMessage] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    auth_attempts: list[tuple[str, str, bool]] = field(default_factory=list)
    data_started: threading.Event = field(default_factory=threading.Event)

    def verbs(self) -> list[str]:
        return [c.verb for c in self.commands]

    @property
    def received_auth(self) -> bool:
        return "AUTH" in self.verbs()

    @property
    def received_mail(self) -> bool:
        return "MAIL" in self.verbs()

    async def handle_EHLO(  # noqa: N802 - aiosmtpd hook name
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        hostname: str,
        responses: list[str],
    ) -> list[str]:
        session.host_name = hostname
        if self.strip_starttls:
            responses = [r for r in responses if "STARTTLS" not in r.upper()]
        return responses

    async def handle_MAIL(  # noqa: N802
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        if self.mail_reply is not None:
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(  # noqa: N802
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        reply = self.rcpt_replies.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        self.data_started.set()
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        if self.data_abort:
            assert server.transport is not None
            server.transport.close()
            raise asyncio.CancelledError
        if self.data_reply is not None:
            return self.data_reply
        content = envelope.original_content or b""
        auth = session.auth_data
        login = getattr(auth, "login", None)
        self.messages.append(
            ReceivedMessage(
                mail_from=str(envelope.mail_from),
                rcpt_tos=list(envelope.rcpt_tos),
                content=bytes(content),
                tls=_is_tls(server),
                login=login.decode() if isinstance(login, bytes) else login,
            )
        )
        return "250 2.0.0 OK queued as BIMAILTEST"


@dataclass
class CramMd5Handler(RecordingHandler):
    """Also offers CRAM-MD5 (aiosmtpd has no built-in one) for ``users``. Offer it alone with
    ``auth_exclude_mechanism=["PLAIN", "LOGIN"]``."""

    users: dict[str, str] = field(default_factory=dict)

    async def auth_CRAM__MD5(self, server: SMTP, args: list[str]) -> AuthResult:  # noqa: N802
        import hmac
        import secrets

        challenge = f"<{secrets.token_hex(8)}@{SERVER_NAME}>".encode()
        response = await server.challenge_auth(challenge)
        if not isinstance(response, bytes):
            return AuthResult(success=False)
        login, _, digest = response.decode("utf-8", "replace").rpartition(" ")
        expected = self.users.get(login)
        ok = expected is not None and hmac.compare_digest(
            hmac.new(expected.encode(), challenge, hashlib.md5).hexdigest(), digest
        )
        self.auth_attempts.append(("CRAM-MD5", login, ok))
        if ok:
            return AuthResult(success=True, auth_data=LoginPassword(login.encode(), b""))
        return AuthResult(success=False, handled=False, message=DEFAULT_AUTH_FAILURE)


def _is_tls(server: SMTP) -> bool:
    return bool(getattr(server, "_implicit_tls", False) or server._tls_protocol is not None)


def password_authenticator(
    users: Mapping[str, str], failure_reply: str | None = None
) -> Callable[[SMTP, Session, Envelope, str, Any], AuthResult]:
    """aiosmtpd authenticator for PLAIN/LOGIN checking ``users``; failures answer
    ``failure_reply`` (handled=False, aiosmtpd#283)."""
    reply = failure_reply or DEFAULT_AUTH_FAILURE

    def authenticate(
        server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = False
        login = ""
        if isinstance(auth_data, LoginPassword):
            login = auth_data.login.decode("utf-8", "replace")
            expected = users.get(login)
            ok = expected is not None and auth_data.password == expected.encode("utf-8")
        recorder = getattr(server.event_handler, "auth_attempts", None)
        if isinstance(recorder, list):
            recorder.append((mechanism, login, ok))
        if ok:
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False, message=reply)

    return authenticate


# --------------------------------------------------------------------------- servers


class _RecordingSMTP(SMTP):
    """aiosmtpd's SMTP that records every command line and can delay its greeting."""

    def __init__(
        self, handler: Any, *, greeting_delay: float = 0.0, implicit_tls: bool = False, **kw: Any
    ) -> None:
        super().__init__(handler, **kw)
        self._greeting_delay = greeting_delay
        self._implicit_tls = implicit_tls
        self._reading = "command"  # command | data | auth

    def _cb_client_connected(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        super()._cb_client_connected(reader, writer)
        original_until = reader.readuntil
        original_line = reader.readline

        async def readuntil(separator: bytes = b"\n") -> bytes:
            line = await original_until(separator)
            self._observe(line)
            return line

        async def readline() -> bytes:
            line = await original_line()
            self._observe(line)
            return line

        reader.readuntil = readuntil  # type: ignore[method-assign]
        reader.readline = readline  # type: ignore[method-assign]

    def _observe(self, line: bytes) -> None:
        commands = getattr(self.event_handler, "commands", None)
        if self._reading == "data":
            if line.rstrip(b"\r\n") == b".":
                self._reading = "command"
            return
        text = line.rstrip(b"\r\n").decode("utf-8", "replace")
        if self._reading == "auth":
            self._reading = "command"
            verb, arg = "AUTH-DATA", text
        else:
            verb, _, arg = text.partition(" ")
            verb = verb.upper()
        if isinstance(commands, list):
            commands.append(Command(verb, arg, _is_tls(self)))

    async def push(self, status: Any) -> None:
        head = status[:3] if isinstance(status, bytes | str) else ""
        head = head.decode() if isinstance(head, bytes) else head
        if head == "354":
            self._reading = "data"
        elif head == "334":
            self._reading = "auth"
        await super().push(status)

    async def _handle_client(self) -> None:
        if self._greeting_delay:
            try:
                await asyncio.sleep(self._greeting_delay)
            except asyncio.CancelledError:
                self._writer.close()  # the client left before the greeting
                raise
        await super()._handle_client()


class _Controller(Controller):
    def __init__(self, handler: Any, *, smtp_options: dict[str, Any], **kw: Any) -> None:
        super().__init__(handler, **kw)
        self._smtp_options = smtp_options

    def factory(self) -> SMTP:
        return _RecordingSMTP(self.handler, **self._smtp_options, **self.SMTP_kwargs)

    def _trigger_server(self) -> None:
        # Connecting is enough for asyncio to build the protocol; don't wait for a greeting
        # (it may be delayed on purpose).
        with socket.create_connection((self.hostname, self.port), 1.0):
            pass


def unused_port() -> int:
    """A loopback port where nothing listens (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


class SmtpTestServer:
    """One aiosmtpd server on 127.0.0.1 and a free port. Context manager or start()/stop()."""

    def __init__(
        self,
        mode: str = "plain",
        *,
        certificate: ServerCertificate | None = None,
        handler: RecordingHandler | None = None,
        require_starttls: bool | None = None,
        users: Mapping[str, str] | None = None,
        authenticator: Callable[..., AuthResult] | None = None,
        auth_failure_reply: str | None = None,
        auth_require_tls: bool | None = None,
        auth_required: bool = False,
        greeting_delay: float = 0.0,
        server_name: str = SERVER_NAME,
        timeout: float = 30.0,
        **smtp_options: Any,
    ) -> None:
        """``smtp_options`` go to aiosmtpd's SMTP (e.g. ``auth_exclude_mechanism=["PLAIN"]``)."""
        if mode not in ("plain", "starttls", "ssl"):
            raise ValueError(f"mode must be plain, starttls or ssl, not {mode!r}")
        if mode != "plain" and certificate is None:
            raise ValueError(f"mode {mode!r} needs a certificate")
        self.mode = mode
        self.certificate = certificate
        self.handler = handler if handler is not None else RecordingHandler()
        self.host = LOOPBACK
        self.port = 0
        tls_ctx = certificate.server_context() if certificate is not None else None
        if authenticator is None and users is not None:
            authenticator = password_authenticator(users, auth_failure_reply)
        options: dict[str, Any] = {
            "server_hostname": server_name,
            "timeout": timeout,
            "data_size_limit": 50 * 1024 * 1024,
            **smtp_options,
        }
        if authenticator is not None:
            options["authenticator"] = authenticator
            # aiosmtpd counts only STARTTLS as TLS; implicit TLS (ssl) is encrypted anyway
            options["auth_require_tls"] = (
                mode == "starttls" if auth_require_tls is None else auth_require_tls
            )
            options["auth_required"] = auth_required
        if mode == "starttls":
            options["tls_context"] = tls_ctx
            options["require_starttls"] = True if require_starttls is None else require_starttls
        self._options = options
        self._tls_ctx = tls_ctx
        self._greeting_delay = greeting_delay
        self._controller: _Controller | None = None

    def start(self) -> SmtpTestServer:
        last: Exception | None = None
        for _attempt in range(5):  # a freshly found free port can be taken meanwhile
            port = unused_port()
            controller = _Controller(
                self.handler,
                hostname=self.host,
                port=port,
                ssl_context=self._tls_ctx if self.mode == "ssl" else None,
                smtp_options={
                    "greeting_delay": self._greeting_delay,
                    "implicit_tls": self.mode == "ssl",
                },
                **self._options,
            )
            try:
                controller.start()
            except OSError as exc:
                last = exc
                continue
            self._controller = controller
            self.port = port
            return self
        raise RuntimeError(f"could not start the test SMTP server: {last}")

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # shortcuts
    @property
    def messages(self) -> list[ReceivedMessage]:
        return self.handler.messages

    @property
    def commands(self) -> list[Command]:
        return self.handler.commands

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port


class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never says anything (no greeting, no TLS).

    ``received`` collects the bytes clients sent (a TLS ClientHello starts with 0x16)."""

    def __init__(self) -> None:
        self.host = LOOPBACK
        self.port = 0
        self.received = bytearray()
        self.connections = 0
        self._sock: socket.socket | None = None
        self._clients: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> SilentServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((self.host, 0))
        sock.listen(16)
        sock.settimeout(0.05)
        self._sock = sock
        self.port = int(sock.getsockname()[1])
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        assert self._sock is not None
        import selectors

        sel = selectors.DefaultSelector()
        sel.register(self._sock, selectors.EVENT_READ)
        while not self._stop.is_set():
            for key, _ in sel.select(timeout=0.05):
                if key.fileobj is self._sock:
                    try:
                        client, _addr = self._sock.accept()
                    except OSError:
                        continue
                    client.setblocking(False)
                    with self._lock:
                        self._clients.append(client)
                        self.connections += 1
                    sel.register(client, selectors.EVENT_READ)
                else:
                    client = key.fileobj  # type: ignore[assignment]
                    try:
                        data = client.recv(65536)
                    except OSError:
                        data = b""
                    if data:
                        with self._lock:
                            self.received.extend(data)
                    else:
                        sel.unregister(client)
        sel.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        with self._lock:
            for client in self._clients:
                client.close()
            self._clients.clear()
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self) -> SilentServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class FullBacklogServer:
    """A listening socket that never accepts and whose backlog is full: on Linux further
    connection attempts get no answer at all (connect timeout, like a firewall that drops).
    Other systems may refuse instead."""

    def __init__(self) -> None:
        self.host = LOOPBACK
        self.port = 0
        self._sock: socket.socket | None = None
        self._fillers: list[socket.socket] = []

    def start(self) -> FullBacklogServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((self.host, 0))
        sock.listen(0)
        self._sock = sock
        self.port = int(sock.getsockname()[1])
        for _ in range(4):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            filler.connect_ex((self.host, self.port))
            self._fillers.append(filler)
        time.sleep(0.05)
        return self

    def stop(self) -> None:
        for filler in self._fillers:
            filler.close()
        self._fillers.clear()
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self) -> FullBacklogServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


__all__: Sequence[str] = [
    "DEFAULT_AUTH_FAILURE",
    "FullBacklogServer",
    "LOOPBACK",
    "SERVER_NAME",
    "Command",
    "CramMd5Handler",
    "ReceivedMessage",
    "RecordingHandler",
    "ServerCertificate",
    "SilentServer",
    "SmtpTestServer",
    "ca_der",
    "ca_pem",
    "expired_certificate",
    "issue_certificate",
    "make_ca",
    "password_authenticator",
    "self_signed_certificate",
    "unused_port",
]
