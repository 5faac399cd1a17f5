"""One SMTP conversation with enforced encryption, real certificate trust, timeouts and
cancellation, and every failure translated into one catalogue code.

Encryption modes (docs/CLI.md, "Senders"):

- ``ssl``: implicit TLS from the first byte (SMTPS, usually port 465);
- ``tls``: plain connect, then STARTTLS — **required**: a server that does not offer it
  ends the conversation with ``starttls_unsupported`` before any AUTH or MAIL is sent;
  after STARTTLS the client says EHLO again and trusts only what the server says over TLS;
- ``none``: clear text, the only mode where AUTH may travel unencrypted.

A server whose "host:port" has pinned certificates is connected without chain verification,
and the SHA-256 of its certificate is compared with the pins right after the handshake —
before EHLO and AUTH. Every other TLS connection is verified (OS store + imported CAs).

The socket has a timeout for connect and every reply; a :class:`CancelToken` shuts the
socket down from another thread so that a blocked read returns at once (``interrupted``).
Passwords and tokens never reach exception text or the transcript.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import functools
import os
import queue
import selectors
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.policy import EmailPolicy
from io import BytesIO
from types import TracebackType
from typing import Any

from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.domain.models import Encryption
from bimail_desktop.mail import smtp_errors, xoauth2
from bimail_desktop.mail.cancel import CancelToken
from bimail_desktop.mail.protocol import (
    REDACTED,
    BoundedReplies,
    Redactor,
    idna_address,
    pin_matches,
)
from bimail_desktop.mail.smtp_errors import Stage
from bimail_desktop.mail.tls import (
    TrustConfig,
    address_literal,
    certificate_info,
    client_context,
    fetch_server_certificate,
    sha256_hex,
    unverified_context,
)

Transcript = Callable[[str, str], None]


@dataclass(frozen=True)
class ServerConfig:
    """Where and how to connect. ``username`` empty: no AUTH."""

    host: str
    port: int
    encryption: Encryption
    username: str = ""
    password: str | None = field(default=None, repr=False)
    oauth2_token: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    ehlo_name: str | None = None  # default: the local address literal, never getfqdn()

    @property
    def wants_auth(self) -> bool:
        return bool(self.username) and bool(self.password or self.oauth2_token)


@dataclass(frozen=True)
class SendReport:
    """Outcome of one message. ``accepted`` got it (the DATA reply is ``reply``); ``refused``
    maps each refused recipient to its error. All refused: ``accepted`` is empty and ``reply``
    is "" (no DATA was sent)."""

    accepted: tuple[str, ...]
    refused: Mapping[str, BimailError]
    reply: str


class _Client(BoundedReplies, smtplib.SMTP):
    """smtplib with our own socket (DNS/connect/TLS/pin done by the session), a transcript
    with redaction, and no getfqdn()."""

    def __init__(self, session: SmtpSession) -> None:
        self._session = session
        self._redacting = False  # inside the AUTH exchange
        self._in_data = False  # sending the message body
        super().__init__(local_hostname="localhost", timeout=session.server.timeout)
        self._host = session.server.host  # smtplib uses it for SNI in starttls()

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return self._session._open_socket()

    def send(self, s: Any) -> None:
        self._session._log_client(s, redact=self._redacting, body=self._in_data)
        super().send(s)

    def getreply(self) -> tuple[int, bytes]:
        code, msg = super().getreply()
        self._session._log_server(code, msg)
        return code, msg


class SmtpSession:
    """One connection to one SMTP server. Use as a context manager::

    with SmtpSession(config, trust, cancel=token) as session:
        session.connect()
        report = session.send(message, from_addr, recipients)
    """

    def __init__(
        self,
        server: ServerConfig,
        trust: TrustConfig | None = None,
        *,
        cancel: CancelToken | None = None,
        transcript: Transcript | None = None,
    ) -> None:
        self.server = server
        self.encryption = Encryption(server.encryption)
        self.trust = trust or TrustConfig()
        self.cancel = cancel
        self.transcript = transcript
        self.local_ip = ""
        self.peer_certificate: bytes | None = None
        self.encrypted = False
        self.authenticated = False
        self.capabilities: dict[str, str] = {}
        self._client: _Client | None = None
        self._sock: socket.socket | None = None
        self._stage = Stage.CONNECT
        self._unregister_cancel: Callable[[], None] = lambda: None
        self._secrets = tuple(s for s in (server.password, server.oauth2_token) if s)
        self._redactor = Redactor.for_credentials(
            server.username, server.password, server.oauth2_token
        )

    # ------------------------------------------------------------------ context manager

    def __enter__(self) -> SmtpSession:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.quit()
        else:
            self.close()

    # ------------------------------------------------------------------ public API

    def connect(self) -> None:
        """DNS, TCP, (SSL), greeting, EHLO, (STARTTLS, EHLO), pin check, AUTH."""
        if self._client is not None:
            raise RuntimeError("connect() was called twice")
        if self.cancel is not None:
            self._unregister_cancel = self.cancel.on_cancel(self._abort)
        self._check_cancel()
        self._check_credentials()
        client = _Client(self)
        self._client = client
        try:
            self._stage = Stage.CONNECT
            code, resp = client.connect(self.server.host, self.server.port)  # _open_socket()
            if code != 220:
                raise self._reply_error(code, resp, Stage.GREETING)
            self._check_cancel()
            self._stage = Stage.EHLO
            client.local_hostname = self.server.ehlo_name or address_literal(self.local_ip)
            self._ehlo(client)
            if self.encryption is Encryption.TLS:
                self._starttls(client)
            self.capabilities = dict(client.esmtp_features)
            self._check_cancel()
            if self.server.wants_auth:
                self._authenticate(client)
        except BaseException as exc:
            error = self._translate(exc)
            if (
                error.code is ErrorCode.TIMEOUT
                and self._stage is Stage.GREETING
                and self.encryption is not Encryption.SSL
                and not self._cancelled()
                and _speaks_tls(self.server.host, self.server.port, min(self.server.timeout, 5))
            ):
                error = smtp_errors.wrong_mode_ssl_expected(self.server.host, self.server.port)
            self.close()
            raise error from None

    def send(self, msg: EmailMessage, from_addr: str, recipients: Sequence[str]) -> SendReport:
        """MAIL FROM, RCPT TO each recipient, DATA. Raises :class:`BimailError` when the
        message failed as a whole; recipients refused one by one are in the report."""
        client = self._client
        if client is None or client.sock is None:
            raise RuntimeError("send() before connect()")
        if not recipients:
            raise BimailError(ErrorCode.INVALID_INPUT, "No recipient given.", field="to")
        recipient: str | None = None
        try:
            self._check_cancel()
            sender = idna_address(from_addr)
            rcpts = [idna_address(r) for r in recipients]
            international = not all(a.isascii() for a in [sender, *rcpts])
            payload = _flatten(msg, utf8=international)
            options: list[str] = []
            if international:
                if not client.has_extn("smtputf8"):
                    raise BimailError(
                        ErrorCode.RECIPIENT_REJECTED,
                        "An address contains non-ASCII characters before the @, and the "
                        "server does not support international addresses (SMTPUTF8).",
                    )
                options.append("SMTPUTF8")
            if client.has_extn("8bitmime") and not payload.isascii():
                options.append("BODY=8BITMIME")
            if client.has_extn("size"):
                options.append(f"SIZE={len(payload)}")

            self._stage = Stage.MAIL
            code, resp = client.mail(sender, options)
            if code != 250:
                raise self._reply_error(code, resp, Stage.MAIL)

            self._stage = Stage.RCPT
            accepted: list[str] = []
            refused: dict[str, BimailError] = {}
            for original, rcpt in zip(recipients, rcpts, strict=True):
                self._check_cancel()
                recipient = original
                code, resp = client.rcpt(rcpt)
                if code in (250, 251):
                    accepted.append(original)
                    continue
                error = self._reply_error(code, resp, Stage.RCPT, recipient=original)
                if code == 421:
                    raise error
                refused[original] = error
            recipient = None
            if not accepted:
                with contextlib.suppress(OSError, smtplib.SMTPException):
                    client.rset()
                return SendReport((), refused, "")

            self._check_cancel()
            self._stage = Stage.DATA
            code, resp = client.docmd("DATA")
            if code != 354:
                raise self._reply_error(code, resp, Stage.DATA)
            client._in_data = True
            try:
                client.send(_dot_stuff(payload))
            finally:
                client._in_data = False
            code, resp = client.getreply()
            if code != 250:
                raise self._reply_error(code, resp, Stage.DATA)
            self._stage = Stage.QUIT
            return SendReport(tuple(accepted), refused, smtp_errors.decode_reply(resp))
        except BaseException as exc:
            error = self._translate(exc, recipient=recipient)
            self.close()
            raise error from None

    def quit(self) -> None:
        """QUIT and close. Failing here is not a failed send (Gmail drops the connection,
        QQ answers garbage): errors are ignored."""
        client = self._client
        if client is not None and client.sock is not None:
            self._stage = Stage.QUIT
            try:
                client.quit()
            except (OSError, smtplib.SMTPException, ValueError):
                pass
        self.close()

    def close(self) -> None:
        self._unregister_cancel()
        self._unregister_cancel = lambda: None
        client = self._client
        if client is not None:
            with contextlib.suppress(OSError):
                client.close()
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
            self._sock = None

    # ------------------------------------------------------------------ steps

    def _open_socket(self) -> socket.socket:
        """Called by smtplib's connect(): DNS, TCP, SSL + pin check (ssl mode)."""
        server = self.server
        self._stage = Stage.CONNECT
        sock = self._tcp_connect()
        self._sock = sock
        self.local_ip = str(sock.getsockname()[0])
        if self.encryption is Encryption.SSL:
            self._stage = Stage.TLS
            tls_sock = self._context().wrap_socket(sock, server_hostname=server.host)
            self._sock = tls_sock
            self._after_handshake(tls_sock)
            sock = tls_sock
        self._stage = Stage.GREETING
        return sock

    def _tcp_connect(self) -> socket.socket:
        server = self.server
        deadline = time.monotonic() + server.timeout
        infos = self._resolve(deadline)
        last: OSError | None = None
        for family, kind, proto, _name, address in infos:
            sock = socket.socket(family, kind, proto)
            try:
                self._sock = sock
                self._connect_one(sock, address, deadline)
            except OSError as exc:
                sock.close()
                self._sock = None
                last = exc
                self._check_cancel()
                if isinstance(exc, TimeoutError):
                    raise
                continue
            sock.settimeout(server.timeout)
            return sock
        raise last or OSError("no address")

    def _resolve(self, deadline: float) -> list[Any]:
        """getaddrinfo in a helper thread for a host name: it has no timeout and cannot be
        cancelled."""
        host, port = self.server.host, self.server.port
        try:  # an IP address needs no lookup and cannot block: no helper thread for it
            return list(socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM, 0,
                                           socket.AI_NUMERICHOST))
        except (OSError, UnicodeError):
            pass
        results: queue.Queue[tuple[bool, Any]] = queue.Queue()

        def work() -> None:
            try:
                results.put((True, socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                results.put((False, exc))

        threading.Thread(target=work, name="bimail-dns", daemon=True).start()
        while True:
            self._check_cancel()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("DNS lookup timed out")
            try:
                ok, value = results.get(timeout=min(remaining, 0.05))
            except queue.Empty:
                continue
            if ok:
                return list(value)
            raise value

    def _connect_one(self, sock: socket.socket, address: Any, deadline: float) -> None:
        """Non-blocking connect polled in short slices, so that Cancel is noticed at once."""
        sock.setblocking(False)
        err = sock.connect_ex(address)
        if err not in (0, *_IN_PROGRESS):
            raise _connect_error(err)
        if err:
            with selectors.DefaultSelector() as sel:
                sel.register(sock, selectors.EVENT_WRITE)
                while True:
                    self._check_cancel()
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise TimeoutError("connect timed out")
                    if sel.select(timeout=min(remaining, 0.05)):
                        break
            err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                raise _connect_error(err)
        sock.setblocking(True)

    def _context(self) -> ssl.SSLContext:
        if self.trust.pins_for(self.server.host, self.server.port):
            return unverified_context()
        return _shared_client_context(self.trust.cas)

    def _after_handshake(self, sock: ssl.SSLSocket) -> None:
        """Keep the certificate and check the pins — before any EHLO or AUTH."""
        self.encrypted = True
        der = sock.getpeercert(binary_form=True)
        self.peer_certificate = der
        pins = self.trust.pins_for(self.server.host, self.server.port)
        if not pins:
            return
        actual = sha256_hex(der) if der else ""
        if not pin_matches(actual, pins):
            extra: dict[str, Any] = {"expected": sorted(pins), "actual": actual}
            if der:
                extra["certificate"] = certificate_info(der).to_dict()
            raise BimailError(
                ErrorCode.TLS_PIN_MISMATCH,
                f"{self.server.host}:{self.server.port} presented the certificate "
                f"{_pretty(actual)}, but the certificate trusted for it is "
                + " or ".join(_pretty(p) for p in sorted(pins))
                + ". Nothing was sent.",
                extra=extra,
            )

    def _starttls(self, client: _Client) -> None:
        self._stage = Stage.TLS
        if not client.has_extn("starttls"):
            raise smtp_errors.starttls_unsupported(self.server.host, self.server.port)
        code, resp = client.starttls(context=self._context())
        if code != 220:
            raise self._reply_error(code, resp, Stage.TLS)
        assert isinstance(client.sock, ssl.SSLSocket)
        self._sock = client.sock
        self._after_handshake(client.sock)
        self._check_cancel()
        self._stage = Stage.EHLO
        self._ehlo(client)  # capabilities said over TLS only

    def _ehlo(self, client: _Client) -> None:
        """EHLO, else HELO; a 421 (or any refusal) keeps the server's own words."""
        code, resp = client.ehlo()
        if 200 <= code <= 299:
            return
        if code != 421:
            code, resp = client.helo()
            if 200 <= code <= 299:
                return
        raise self._reply_error(code, resp, Stage.EHLO)

    def _check_credentials(self) -> None:
        server = self.server
        if not server.wants_auth:
            return
        if not server.username.isascii():
            raise BimailError(
                ErrorCode.INVALID_INPUT,
                "username: the mail server's login takes only ASCII characters; enter the "
                "user name without accents or Chinese characters (e.g. the full address).",
                field="username",
            )
        if server.password and not server.password.isascii():
            raise BimailError(
                ErrorCode.INVALID_INPUT,
                "password: it contains characters other than ASCII letters, digits and "
                "punctuation (e.g. full-width characters from an input method), which SMTP "
                "login cannot carry. Re-type it with the input method switched off, or use "
                "the provider's authorisation code / app password.",
                field="password",
            )

    def _authenticate(self, client: _Client) -> None:
        server = self.server
        self._stage = Stage.AUTH
        if not client.has_extn("auth"):
            if not self.encrypted and client.has_extn("starttls"):
                raise BimailError(
                    ErrorCode.AUTH_REQUIRES_TLS,
                    "The server offers login only after STARTTLS: choose TLS.",
                )
            raise BimailError(
                ErrorCode.AUTH_UNSUPPORTED,
                "The server offers no login (AUTH), but a password is set. For a relay that "
                "needs no login, leave the user name and password empty.",
            )
        offered = client.esmtp_features.get("auth", "").upper().split()
        username = server.username
        mechanism: str
        authobject: Callable[..., str]
        if server.oauth2_token:
            # The XOAUTH2 exchange (334 JSON error challenge, empty answer, 535) lives in
            # xoauth2.py; our own send()/getreply() hooks write the redacted transcript.
            client._redacting = True
            try:
                xoauth2.authenticate(client, username, server.oauth2_token)
            finally:
                client._redacting = False
            self.authenticated = True
            return
        if "PLAIN" in offered or "LOGIN" in offered:
            password = server.password or ""
            if "PLAIN" in offered:
                mechanism = "PLAIN"

                def authobject(challenge: bytes | None = None) -> str:
                    return f"\0{username}\0{password}"

            else:
                mechanism = "LOGIN"  # answered challenge by challenge below

        else:
            raise BimailError(
                ErrorCode.AUTH_UNSUPPORTED,
                "The server offers only login methods this program does not use: "
                + " ".join(offered),
            )
        client._redacting = True
        try:
            if mechanism == "LOGIN":
                # smtplib's LOGIN sends the user name as initial response; answer the
                # challenges in order instead (some servers reject the initial response).
                code, resp = client.docmd("AUTH", "LOGIN")
                step = 0
                while code == 334 and step < 3:
                    answer = server.username if step == 0 else (server.password or "")
                    code, resp = client.docmd(
                        base64.b64encode(answer.encode("ascii")).decode("ascii")
                    )
                    step += 1
                if code not in (235, 503):
                    raise self._reply_error(code, resp, Stage.AUTH)
            else:
                try:
                    client.auth(mechanism, authobject)
                except smtplib.SMTPAuthenticationError as exc:
                    raise self._reply_error(exc.smtp_code, exc.smtp_error, Stage.AUTH) from None
        finally:
            client._redacting = False
        self.authenticated = True

    # ------------------------------------------------------------------ helpers

    def _reply_error(
        self, code: int, resp: bytes | str, stage: Stage, *, recipient: str | None = None
    ) -> BimailError:
        error = smtp_errors.from_reply(
            code,
            resp,
            stage,
            host=self.server.host,
            encrypted=self.encrypted,
            recipient=recipient,
            secrets=self._secrets,
        )
        return self._redactor.error(error)

    def _translate(self, exc: BaseException, *, recipient: str | None = None) -> BimailError:
        return self._redactor.error(
            self._translate_raw(exc, recipient=recipient)
        )

    def _translate_raw(self, exc: BaseException, *, recipient: str | None = None) -> BimailError:
        if self._cancelled():
            return smtp_errors.interrupted(self._stage)
        if isinstance(exc, BimailError):
            return exc
        if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit
            return smtp_errors.interrupted(self._stage)
        error = smtp_errors.translate(
            exc,
            self._stage,
            host=self.server.host,
            port=self.server.port,
            encryption=self.encryption,
            encrypted=self.encrypted,
            timeout=self.server.timeout,
            recipient=recipient,
            secrets=self._secrets,
        )
        if error.code in (
            ErrorCode.TLS_UNTRUSTED,
            ErrorCode.TLS_HOSTNAME_MISMATCH,
            ErrorCode.TLS_EXPIRED,
        ) and isinstance(exc, ssl.SSLCertVerificationError):
            self._attach_certificate(error)
        return error

    def _attach_certificate(self, error: BimailError) -> None:
        """Fetch the certificate the verification refused so that the admin can see it
        (and, for an untrusted one, trust it)."""
        try:
            der = fetch_server_certificate(
                self.server.host,
                self.server.port,
                self.encryption,
                timeout=min(self.server.timeout, 10.0),
                ehlo_name=self.server.ehlo_name or address_literal(self.local_ip),
            )
            error.extra["certificate"] = certificate_info(der).to_dict()
        except (BimailError, ValueError, OSError):
            pass

    def _check_cancel(self) -> None:
        if self._cancelled():
            raise smtp_errors.interrupted(self._stage)

    def _cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.cancelled

    def _abort(self) -> None:
        """Runs in the cancelling thread: wake a blocked read/write at once. shutdown() on
        the plain socket level (not SSLSocket.shutdown, which would touch the TLS state the
        worker thread is using); the worker closes the socket."""
        sock = self._sock
        if sock is None:
            return
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def _log_client(self, data: Any, *, redact: bool, body: bool) -> None:
        if self.transcript is None:
            return
        if body:
            size = len(data)
            self._emit("C", f"<message body, {size} bytes>")
            return
        text = data if isinstance(data, str) else bytes(data).decode("utf-8", "replace")
        for line in text.rstrip("\r\n").split("\r\n"):
            if redact:
                verb, _, rest = line.partition(" ")
                if verb.upper() == "AUTH":
                    mech, _, initial = rest.partition(" ")
                    line = f"AUTH {mech}" + (f" {REDACTED}" if initial else "")
                else:
                    line = REDACTED
            self._emit("C", line)

    def _log_server(self, code: int, msg: bytes) -> None:
        if self.transcript is None:
            return
        lines = smtp_errors.decode_reply(msg).split("\n") or [""]
        for i, line in enumerate(lines):
            sep = " " if i == len(lines) - 1 else "-"
            self._emit("S", f"{code}{sep}{line.strip()}")

    def _emit(self, direction: str, line: str) -> None:
        assert self.transcript is not None
        line = self._redactor.text(line)
        with contextlib.suppress(Exception):
            self.transcript(direction, line)


# ---------------------------------------------------------------------- module helpers

_IN_PROGRESS = {errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN, 10035}  # 10035: Windows
_REFUSED = {errno.ECONNREFUSED, 10061}  # 10061: WSAECONNREFUSED


@functools.lru_cache(maxsize=4)
def _shared_client_context(cas: tuple[str, ...]) -> ssl.SSLContext:
    """One verifying context per set of imported CAs, shared by every connection (building
    one and loading the CAs into it costs about as much as a local TLS handshake). Keyed by
    the CAs' text, so importing or removing a CA gives a new one; the OS trust store is
    still consulted on each handshake (truststore verifies every connection itself). Only
    wrapped, never changed: an SSLContext may be used by several threads at once."""
    return client_context(TrustConfig(cas=cas))


def _connect_error(err: int) -> OSError:
    if err in _REFUSED:
        return ConnectionRefusedError(err, "Connection refused")
    if err in (errno.ETIMEDOUT, 10060):
        return TimeoutError(err, "Connection timed out")
    return OSError(err, os.strerror(err))


def _pretty(sha256: str) -> str:
    return ":".join(sha256[i : i + 2] for i in range(0, len(sha256), 2)).upper() or "(none)"


def _flatten(msg: EmailMessage, *, utf8: bool) -> bytes:
    """The message as sent: CRLF line ends, Bcc removed (like smtplib.send_message)."""
    copy = msg
    if msg.get_all("Bcc") or msg.get_all("Resent-Bcc"):
        import copy as _copy

        copy = _copy.copy(msg)
        del copy["Bcc"]
        del copy["Resent-Bcc"]
    out = BytesIO()
    policy = msg.policy
    if utf8 and isinstance(policy, EmailPolicy):
        policy = policy.clone(utf8=True)
    BytesGenerator(out, policy=policy).flatten(copy, linesep="\r\n")
    return out.getvalue()


def _dot_stuff(payload: bytes) -> bytes:
    data = payload.replace(b"\r\n.", b"\r\n..")
    if data.startswith(b"."):
        data = b"." + data
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _speaks_tls(host: str, port: int, timeout: float) -> bool:
    """Does host:port answer a TLS handshake? (Tells "port expects SSL" from a dead server.)"""
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw:
            with unverified_context().wrap_socket(raw, server_hostname=host):
                return True
    except (ssl.SSLEOFError, ssl.SSLZeroReturnError):
        return False
    except ssl.SSLError as exc:
        return (exc.reason or "").upper() not in smtp_errors._WRONG_MODE_REASONS
    except OSError:
        return False
