"""The one SMTP client of the program: sending, the test mail, the diagnosis, autodetect,
fetching a certificate and the relay's deliveries all talk to mail servers through it.

A conversation is a sequence of steps, each a method that the diagnosis can also run one
by one: :meth:`SmtpClient.resolve` (DNS) → :meth:`~SmtpClient.open_connection` (TCP) →
[:meth:`~SmtpClient.tls_handshake` for SSL] → :meth:`~SmtpClient.read_greeting` →
:meth:`~SmtpClient.ehlo` → [:meth:`~SmtpClient.starttls` for TLS] →
:meth:`~SmtpClient.login` → :meth:`~SmtpClient.send` (MAIL/RCPT/DATA) → :meth:`~SmtpClient.quit`.
:meth:`SmtpClient.connect` runs everything up to the login.

Encryption modes:

- ``ssl``: implicit TLS from the first byte (SMTPS, usually port 465);
- ``tls``: plain connect, then STARTTLS — **required**: a server that does not offer it
  ends the conversation with ``starttls_unsupported`` before any AUTH or MAIL is sent;
  after STARTTLS the client says EHLO again and trusts only what the server says over TLS;
- ``none``: clear text, the only mode where AUTH may travel unencrypted.

A server whose "host:port" has pinned certificates is connected without chain
verification and the SHA-256 of its certificate is compared with the pins right after the
handshake, before EHLO and AUTH. Every other TLS connection is verified (system trust and
imported CAs, :mod:`bimail_desktop.mail.tls`).

Every step has a deadline for the whole step (:mod:`bimail_desktop.mail.protocol` bounds
each reply in time, lines and bytes); a :class:`CancelToken` shuts the socket down from
another thread so that a blocked read returns at once (``interrupted``). Every failure
becomes one catalogue error (:mod:`bimail_desktop.mail.smtp_errors`), redacted of every
secret in play, and so does every transcript line. Step observers hear each step start
and end (the diagnosis and the window's progress line follow the real conversation).

:class:`SmtpClient` is one class (most of this module) on purpose: its steps share one
connection state (socket, reply reader, capabilities, encryption, the stage a failure is
reported at) and one error path; the wire-level helpers are in ``wire.py``.
"""

from __future__ import annotations

import contextlib
import queue
import selectors
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.domain.models import Encryption
from bimail_desktop.mail import auth as sasl
from bimail_desktop.mail import smtp_errors
from bimail_desktop.mail.cancel import CancelToken
from bimail_desktop.mail.protocol import (
    REDACTED,
    Redactor,
    ReplyReader,
    deadline_after,
    decode_reply,
    idna_address,
    pin_matches,
    send_all,
)
from bimail_desktop.mail.smtp_errors import Stage
from bimail_desktop.mail.tls import (
    TrustConfig,
    address_literal,
    certificate_info,
    sha256_hex,
    shared_client_context,
    unverified_context,
)
from bimail_desktop.mail.wire import (
    IN_PROGRESS,
    connect_error,
    dot_stuff,
    flatten,
    handshake_within,
    parse_capabilities,
    peer_chain,
    pretty_sha256,
    probe_plain,
    probe_speaks_ssl,
)

from ..domain.texts import Msg

Reply = sasl.Reply
Transcript = Callable[[str, str], None]  # (direction "C" / "S" / "*", redacted line)
StepObserver = Callable[[Stage, str], None]  # (stage, "start" / "pass" / "fail")
PROBE_TIMEOUT = 3.0  # the wrong-mode probes must be quick


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


@dataclass(frozen=True)
class TlsFacts:
    """What the handshake established (for the diagnosis and autodetect)."""

    protocol: str
    cipher: str
    bits: int | None
    certificate: bytes
    pinned: bool
    chain: tuple[dict[str, Any], ...] = ()


class SmtpClient:
    """One connection to one SMTP server. Use as a context manager::

    with SmtpClient(config, trust, cancel=token) as client:
        client.connect()
        report = client.send(message, from_addr, recipients)
    """

    def __init__(
        self,
        server: ServerConfig,
        trust: TrustConfig | None = None,
        *,
        cancel: CancelToken | None = None,
        transcript: Transcript | None = None,
        observer: StepObserver | None = None,
    ) -> None:
        self.server = server
        self.encryption = Encryption(server.encryption)
        self.trust = trust or TrustConfig()
        self.cancel = cancel
        self.transcript = transcript
        self.observer = observer
        self.redactor = Redactor.for_credentials(
            server.username, server.password, server.oauth2_token
        )
        self.addresses: list[Any] = []  # getaddrinfo rows
        self.address = ""
        self.local_ip = ""
        self.peer_certificate: bytes | None = None
        self.tls: TlsFacts | None = None
        self.encrypted = False
        self.authenticated = False
        self.esmtp = False
        self.capabilities: dict[str, str] = {}
        self.greeting: Reply | None = None
        self.mechanism: sasl.Mechanism | None = None
        self.suggestion: dict[str, Any] | None = None  # what the port seems to speak
        self._sock: socket.socket | None = None
        self._reader: ReplyReader | None = None
        self._stage = Stage.CONNECT
        self._unregister_cancel: Callable[[], None] = lambda: None
        self._secret_lines = False  # inside the AUTH exchange
        if cancel is not None:
            self._unregister_cancel = cancel.on_cancel(self._abort)

    # ------------------------------------------------------------------ context manager

    def __enter__(self) -> SmtpClient:
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

    @property
    def connected(self) -> bool:
        return self._sock is not None

    @property
    def ehlo_name(self) -> str:
        return self.server.ehlo_name or address_literal(self.local_ip)

    def has_extn(self, name: str) -> bool:
        return name.lower() in self.capabilities

    @property
    def auth_offered(self) -> list[str]:
        return sasl.offered(self.capabilities.get("auth", ""))

    # ------------------------------------------------------------------ whole conversation

    def connect(self) -> None:
        """DNS, TCP, (SSL), greeting, EHLO, (STARTTLS, EHLO), pin check, AUTH."""
        if self._sock is not None:
            raise RuntimeError("connect() was called twice")
        self.check_credentials()
        self.resolve()
        self.open_connection()
        if self.encryption is Encryption.SSL:
            self.tls_handshake()
        self.read_greeting()
        self.ehlo()
        if self.encryption is Encryption.TLS:
            self.starttls()
        if self.server.wants_auth:
            self.login()

    def send(self, msg: EmailMessage, from_addr: str, recipients: Sequence[str]) -> SendReport:
        """MAIL FROM, RCPT TO each recipient, DATA. Raises :class:`BimailError` when the
        message failed as a whole; recipients refused one by one are in the report."""
        sender, rcpts, international = self._envelope("send", from_addr, recipients)
        return self._transaction(flatten(msg, utf8=international), sender, recipients, rcpts,
                                 international)

    def send_bytes(self, payload: bytes, from_addr: str,
                   recipients: Sequence[str]) -> SendReport:
        """:meth:`send` for a message that is already bytes as it goes on the wire (CRLF
        line ends, no Bcc): the relay sends what its client submitted without parsing and
        generating it again."""
        sender, rcpts, international = self._envelope("send_bytes", from_addr, recipients)
        return self._transaction(payload, sender, recipients, rcpts, international)

    def _envelope(self, caller: str, from_addr: str,
                  recipients: Sequence[str]) -> tuple[str, list[str], bool]:
        """(sender, recipients, international?) as they go on the wire (IDNA domains);
        international when any address needs SMTPUTF8."""
        if self._sock is None:
            raise RuntimeError(f"{caller}() before connect()")
        if not recipients:
            raise BimailError(ErrorCode.INVALID_INPUT, Msg("smtp.no_recipient"), field="to")
        sender = idna_address(from_addr)
        rcpts = [idna_address(r) for r in recipients]
        return sender, rcpts, not all(a.isascii() for a in [sender, *rcpts])

    def _transaction(self, payload: bytes, sender: str, recipients: Sequence[str],
                     rcpts: Sequence[str], international: bool) -> SendReport:
        options: list[str] = []
        if international:
            if not self.has_extn("smtputf8"):
                error = BimailError(
                    ErrorCode.RECIPIENT_REJECTED,
                    Msg("smtp.no_smtputf8"),
                )
                self.close()
                raise error
            options.append("SMTPUTF8")
        if self.has_extn("8bitmime") and not payload.isascii():
            options.append("BODY=8BITMIME")
        if self.has_extn("size"):
            options.append(f"SIZE={len(payload)}")

        self.mail(sender, options)
        accepted: list[str] = []
        refused: dict[str, BimailError] = {}
        for original, rcpt in zip(recipients, rcpts, strict=True):
            try:
                self.rcpt(rcpt, recipient=original)
            except RecipientRefused as refusal:
                refused[original] = refusal.error
                continue
            accepted.append(original)
        if not accepted:
            with contextlib.suppress(BimailError):
                self.rset()
            return SendReport((), refused, "")
        reply = self.data(payload)
        return SendReport(tuple(accepted), refused, reply.text)

    # ------------------------------------------------------------------ steps

    @contextlib.contextmanager
    def step(self, stage: Stage, *, recipient: str | None = None) -> Iterator[None]:
        """Run one step: observers hear it start and end; any failure becomes one redacted
        catalogue error and closes the connection (a refused recipient excepted)."""
        self._stage = stage
        self._notify(stage, "start")
        try:
            self._check_cancel()
            yield
        except RecipientRefused as refusal:
            refusal.error = self.redactor.error(refusal.error)
            self._notify(stage, "fail")
            raise
        except BaseException as exc:
            error = self.redactor.error(self._translate(exc, recipient=recipient))
            self.close()
            self._notify(stage, "fail")
            raise error from None
        self._notify(stage, "pass")

    def check_credentials(self) -> None:
        server = self.server
        if not server.wants_auth:
            return
        if not server.username.isascii():
            raise BimailError(
                ErrorCode.INVALID_INPUT,
                Msg("smtp.username_ascii"),
                field="username",
            )
        if server.password and not server.password.isascii():
            raise BimailError(
                ErrorCode.INVALID_INPUT,
                Msg("smtp.password_ascii"),
                field="password",
            )

    def resolve(self) -> list[str]:
        """DNS (in a helper thread: getaddrinfo has no timeout and cannot be cancelled)."""
        with self.step(Stage.DNS):
            self.addresses = self._resolve(deadline_after(self.server.timeout))
            seen: list[str] = []
            for row in self.addresses:
                if str(row[4][0]) not in seen:
                    seen.append(str(row[4][0]))
            return seen

    def open_connection(self) -> str:
        """TCP to the first address that answers; returns that address."""
        with self.step(Stage.CONNECT):
            if not self.addresses:
                self.addresses = self._resolve(deadline_after(self.server.timeout))
            deadline = deadline_after(self.server.timeout)
            last: OSError | None = None
            for family, kind, proto, _name, address in self.addresses:
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
                self.address = str(address[0])
                self.local_ip = str(sock.getsockname()[0])
                self._reader = ReplyReader(sock)
                self._event(f"connected to {self.address} port {self.server.port} "
                            f"from {self.local_ip}")
                return self.address
            raise last or OSError("no address")

    def tls_handshake(self) -> TlsFacts:
        """SSL mode: the TLS handshake right after connecting, then the pin check."""
        with self.step(Stage.TLS):
            return self._handshake()

    def read_greeting(self) -> Reply:
        with self.step(Stage.GREETING):
            reply = self._read(deadline_after(self.server.timeout))
            self.greeting = reply
            if reply.code != 220:
                raise self._reply_error(reply, Stage.GREETING)
            return reply

    def ehlo(self) -> Reply:
        """EHLO, else HELO (no ESMTP: no TLS, no login); a 421 keeps the server's words."""
        with self.step(Stage.EHLO):
            return self._ehlo()

    def starttls(self) -> TlsFacts:
        """Required STARTTLS: refused if not offered; then EHLO again over TLS."""
        with self.step(Stage.TLS):
            if not self.has_extn("starttls"):
                raise smtp_errors.starttls_unsupported(self.server.host, self.server.port)
            reply = self._command("STARTTLS")
            if reply.code != 220:
                raise self._reply_error(reply, Stage.TLS)
            facts = self._handshake()
        with self.step(Stage.EHLO):
            self._ehlo()  # capabilities said over TLS only
        return facts

    def auth_plan(self) -> sasl.Mechanism | None:
        """The mechanism the login will use, or None when no login is wanted. Raises
        ``auth_requires_tls`` / ``auth_unsupported`` when the server offers nothing usable."""
        server = self.server
        if not server.wants_auth:
            return None
        offered = self.auth_offered
        token = bool(server.oauth2_token)
        if not offered:
            if not self.encrypted and self.has_extn("starttls"):
                raise BimailError(
                    ErrorCode.AUTH_REQUIRES_TLS,
                    Msg("smtp.login_after_starttls"),
                    extra={"suggestion": {"encryption": Encryption.TLS.value,
                                          "port": server.port}},
                )
            raise BimailError(
                ErrorCode.AUTH_UNSUPPORTED,
                Msg("smtp.password_without_auth"),
            )
        mechanism = sasl.choose(offered, token=token)
        if mechanism is None:
            if token:
                raise BimailError(
                    ErrorCode.AUTH_UNSUPPORTED,
                    Msg("smtp.no_xoauth2", offered=" ".join(offered)),
                )
            raise BimailError(
                ErrorCode.AUTH_UNSUPPORTED,
                Msg("smtp.no_usable_mechanism", offered=" ".join(offered)),
            )
        return mechanism

    def login(self) -> sasl.Mechanism | None:
        """AUTH with the strongest usable mechanism; None when no login is wanted."""
        with self.step(Stage.AUTH):
            mechanism = self.auth_plan()
            if mechanism is None:
                return None
            secret = self.server.oauth2_token or self.server.password or ""
            self._secret_lines = True
            try:
                outcome = sasl.run(mechanism, self.server.username, secret, self._say_secret)
            finally:
                self._secret_lines = False
            if not outcome.ok:
                if mechanism is sasl.Mechanism.XOAUTH2:
                    raise self._xoauth2_error(outcome)
                raise self._reply_error(outcome.reply, Stage.AUTH)
            self.mechanism = mechanism
            self.authenticated = True
            return mechanism

    def mail(self, sender: str, options: Sequence[str] = ()) -> Reply:
        with self.step(Stage.MAIL):
            line = f"MAIL FROM:<{sender}>" + "".join(f" {o}" for o in options)
            reply = self._command(line)
            if reply.code != 250:
                raise self._reply_error(reply, Stage.MAIL)
            return reply

    def rcpt(self, address: str, *, recipient: str | None = None) -> Reply:
        """RCPT TO. A refused recipient raises :class:`RecipientRefused` (the connection stays
        open, except after 421); everything else ends the conversation."""
        shown = recipient or address
        with self.step(Stage.RCPT, recipient=shown):
            reply = self._command(f"RCPT TO:<{address}>")
            if reply.code in (250, 251):
                return reply
            error = self._reply_error(reply, Stage.RCPT, recipient=shown)
            if reply.code == 421:
                raise error
            raise RecipientRefused(error)

    def rset(self) -> None:
        with self.step(Stage.RCPT):
            self._command("RSET")

    def data(self, payload: bytes) -> Reply:
        with self.step(Stage.DATA):
            reply = self._command("DATA")
            if reply.code != 354:
                raise self._reply_error(reply, Stage.DATA)
            body = dot_stuff(payload)
            self._emit("C", f"<message body, {len(payload)} bytes>")
            assert self._sock is not None
            # the body may be large: its own allowance on top of the step's time
            send_all(self._sock, body, deadline_after(self.server.timeout + len(body) / 65536))
            reply = self._read(deadline_after(self.server.timeout))
            if reply.code != 250:
                raise self._reply_error(reply, Stage.DATA)
            self._stage = Stage.QUIT
            return reply

    def alive(self) -> bool:
        """Whether the server still answers on this connection (NOOP), before a kept
        connection is used again; a dead one is closed."""
        if self._sock is None:
            return False
        try:
            reply = self._command("NOOP")
        except (OSError, ValueError, BimailError):
            reply = None
        if reply is None or reply.code != 250:
            self.close()
            return False
        return True

    def quit(self) -> Reply | None:
        """QUIT and close. Failing here is not a failed send (Gmail drops the connection,
        QQ answers garbage): errors are ignored; None when there was no answer."""
        reply: Reply | None = None
        if self._sock is not None:
            self._stage = Stage.QUIT
            try:
                reply = self._command("QUIT")
            except (OSError, ValueError):
                reply = None
        self.close()
        return reply

    def close(self) -> None:
        self._unregister_cancel()
        self._unregister_cancel = lambda: None
        sock, self._sock = self._sock, None
        self._reader = None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.close()

    # ------------------------------------------------------------------ wire

    def _say_secret(self, line: str) -> Reply:
        return self._command(line)

    def _command(self, line: str) -> Reply:
        sock = self._sock
        if sock is None:
            raise ConnectionError("not connected")
        self._log_client(line)
        deadline = deadline_after(self.server.timeout)
        send_all(sock, line.encode("utf-8") + b"\r\n", deadline)
        return self._read(deadline)

    def _read(self, deadline: float) -> Reply:
        if self._reader is None:
            raise ConnectionError("not connected")
        code, raw_lines = self._reader.read_reply(deadline)
        lines = tuple(decode_reply(line) for line in raw_lines)
        for i, line in enumerate(lines or ("",)):
            sep = " " if i == len(lines) - 1 or not lines else "-"
            self._emit("S", f"{code}{sep}{line}".rstrip())
        return Reply(code, lines)

    def _ehlo(self) -> Reply:
        self.capabilities = {}
        self.esmtp = False
        reply = self._command(f"EHLO {self.ehlo_name}")
        if 200 <= reply.code <= 299:
            self.esmtp = True
            self.capabilities = parse_capabilities(reply.lines[1:])
            return reply
        if reply.code == 421:
            raise self._reply_error(reply, Stage.EHLO)
        reply = self._command(f"HELO {self.ehlo_name}")
        if not 200 <= reply.code <= 299:
            raise self._reply_error(reply, Stage.EHLO)
        return reply

    def _handshake(self) -> TlsFacts:
        sock = self._sock
        if sock is None:
            raise ConnectionError("not connected")
        host, port = self.server.host, self.server.port
        pins = self.trust.pins_for(host, port)
        context = unverified_context() if pins else shared_client_context(self.trust.cas)
        self._event("TLS handshake")
        tls_sock = context.wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False)
        self._sock = tls_sock
        handshake_within(tls_sock, deadline_after(self.server.timeout))
        self._reader = ReplyReader(tls_sock)
        self.encrypted = True
        der = tls_sock.getpeercert(binary_form=True) or b""
        self.peer_certificate = der
        if pins:
            actual = sha256_hex(der) if der else ""
            if not pin_matches(actual, pins):
                self._event("certificate differs from the trusted one: stopped")
                extra: dict[str, Any] = {"expected": sorted(pins), "actual": actual}
                if der:
                    extra["certificate"] = certificate_info(der).to_dict()
                raise BimailError(
                    ErrorCode.TLS_PIN_MISMATCH,
                    Msg("smtp.pin_mismatch", host=host, port=port, actual=pretty_sha256(actual),
                        pins=" / ".join(pretty_sha256(p) for p in sorted(pins))),
                    extra=extra,
                )
        cipher = tls_sock.cipher()
        self.tls = TlsFacts(
            protocol=tls_sock.version() or "",
            cipher=cipher[0] if cipher else "",
            bits=cipher[2] if cipher else None,
            certificate=der,
            pinned=bool(pins),
            chain=tuple(peer_chain(tls_sock)),
        )
        self._event(f"TLS established: {self.tls.protocol}, {self.tls.cipher}")
        return self.tls

    def _resolve(self, deadline: float) -> list[Any]:
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
                raise BimailError(
                    ErrorCode.DNS_FAILED,
                    Msg("smtp.dns_timeout", host=host, timeout=self.server.timeout),
                )
            try:
                ok, value = results.get(timeout=min(remaining, 0.05))
            except queue.Empty:
                continue
            if ok:
                if not value:
                    raise BimailError(ErrorCode.DNS_FAILED, Msg("smtp.no_address", host=host))
                return list(value)
            raise value

    def _connect_one(self, sock: socket.socket, address: Any, deadline: float) -> None:
        """Non-blocking connect polled in short slices, so that Cancel is noticed at once."""
        sock.setblocking(False)
        err = sock.connect_ex(address)
        if err not in (0, *IN_PROGRESS):
            raise connect_error(err)
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
                raise connect_error(err)
        sock.setblocking(True)
        sock.settimeout(self.server.timeout)

    # ------------------------------------------------------------------ errors

    def _reply_error(
        self, reply: Reply, stage: Stage, *, recipient: str | None = None
    ) -> BimailError:
        return smtp_errors.from_reply(
            reply.code,
            reply.text,
            stage,
            host=self.server.host,
            encrypted=self.encrypted,
            recipient=recipient,
        )

    def _xoauth2_error(self, outcome: sasl.Outcome) -> BimailError:
        reply = outcome.reply
        if 400 <= reply.code < 500 or reply.code in (502, 504, 530, -1):
            return self._reply_error(reply, Stage.AUTH)
        detail = sasl.describe_xoauth2_error(outcome.xoauth2_error)
        return BimailError(
            ErrorCode.AUTH_FAILED,
            Msg("smtp.xoauth2_refused", detail=f" ({detail})" if detail else ""),
            server_reply=f"{reply.code} {' '.join(reply.lines)}".strip(),
            extra={"xoauth2_error": outcome.xoauth2_error} if outcome.xoauth2_error else None,
        )

    def _translate(self, exc: BaseException, *, recipient: str | None = None) -> BimailError:
        stage = self._stage
        if self._cancelled():
            return smtp_errors.interrupted(stage)
        if isinstance(exc, BimailError):
            return exc
        if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit
            return smtp_errors.interrupted(stage)
        error = smtp_errors.translate(
            exc,
            Stage.CONNECT if stage is Stage.DNS else stage,
            host=self.server.host,
            port=self.server.port,
            encryption=self.encryption,
            encrypted=self.encrypted,
            timeout=self.server.timeout,
            recipient=recipient,
        )
        if (error.code is ErrorCode.TIMEOUT and stage is Stage.GREETING
                and self.encryption is not Encryption.SSL and not self._cancelled()
                and probe_speaks_ssl(self.server.host, self.server.port, self._probe_timeout,
                                     event=self._event)):
            error = smtp_errors.wrong_mode_ssl_expected(self.server.host, self.server.port)
            error.extra["suggestion"] = {"encryption": Encryption.SSL.value,
                                         "port": self.server.port}
        elif (error.code is ErrorCode.TLS_WRONG_MODE and stage is Stage.TLS
              and self.encryption is Encryption.SSL and not self._cancelled()):
            speaks = probe_plain(self.server.host, self.server.port, self._probe_timeout,
                                 ehlo_name=self.ehlo_name, event=self._event)
            if speaks is not None:
                label = ("STARTTLS (choose TLS)" if speaks == "tls"
                         else "plain SMTP without STARTTLS")
                error = BimailError(
                    ErrorCode.TLS_WRONG_MODE,
                    Msg("smtp.ssl_port_speaks", port=self.server.port, label=label),
                    extra={"suggestion": {"encryption": speaks, "port": self.server.port}},
                )
        elif error.code in (ErrorCode.TLS_UNTRUSTED, ErrorCode.TLS_HOSTNAME_MISMATCH,
                            ErrorCode.TLS_EXPIRED) and isinstance(
                                exc, ssl.SSLCertVerificationError):
            self._attach_certificate(error, exc)
        if isinstance(error.extra.get("suggestion"), dict):
            self.suggestion = dict(error.extra["suggestion"])
        return error

    @property
    def _probe_timeout(self) -> float:
        return min(self.server.timeout, PROBE_TIMEOUT)

    def _attach_certificate(self, error: BimailError, exc: ssl.SSLCertVerificationError) -> None:
        """Fetch the certificate the verification refused so that the admin can see it
        (and, for an untrusted one, trust it)."""
        why = str(getattr(exc, "verify_message", "") or exc.reason or exc)
        self._event(f"certificate verification failed: {why} "
                    f"(code {getattr(exc, 'verify_code', 0)})")
        error.extra.setdefault("verify_message", why)
        try:
            der = fetch_certificate(
                self.server.host, self.server.port, self.encryption,
                timeout=min(self.server.timeout, 2 * PROBE_TIMEOUT),
                ehlo_name=self.ehlo_name,
            )
        except (BimailError, ValueError, OSError):
            return
        self.peer_certificate = der
        with contextlib.suppress(ValueError):
            error.extra["certificate"] = certificate_info(der).to_dict()

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

    # ------------------------------------------------------------------ transcript, observers

    def _notify(self, stage: Stage, status: str) -> None:
        if self.observer is not None:
            with contextlib.suppress(Exception):
                self.observer(stage, status)

    def _log_client(self, line: str) -> None:
        if self.transcript is None:
            return
        if self._secret_lines:
            verb, _, rest = line.partition(" ")
            if verb.upper() == "AUTH":
                mech, _, initial = rest.partition(" ")
                line = f"AUTH {mech}" + (f" {REDACTED}" if initial else "")
            else:
                line = REDACTED
        self._emit("C", line)

    def _event(self, text: str) -> None:
        self._emit("*", text)

    def _emit(self, direction: str, line: str) -> None:
        if self.transcript is None:
            return
        with contextlib.suppress(Exception):
            self.transcript(direction, self.redactor.text(line))


class RecipientRefused(Exception):  # noqa: N818 - a refusal, not an error of the program
    """One recipient refused (the conversation goes on)."""

    def __init__(self, error: BimailError) -> None:
        super().__init__(error.message())
        self.error = error


def fetch_certificate(
    host: str,
    port: int,
    encryption: Encryption | str,
    *,
    timeout: float = 10.0,
    ehlo_name: str | None = None,
) -> bytes:
    """The server's certificate (DER), without verifying it — to show it or pin it.
    ``ssl``: TLS handshake at once; ``tls``: greeting, EHLO, STARTTLS. Failures are
    :class:`BimailError` with one catalogue code."""
    from bimail_desktop.domain.errors import InvalidInput

    encryption = Encryption(encryption)
    if encryption is Encryption.NONE:
        raise InvalidInput(
            "encryption", Msg("tls.none_no_certificate")
        )
    client = SmtpClient(ServerConfig(host, port, encryption, timeout=timeout,
                                     ehlo_name=ehlo_name))
    try:
        client.resolve()
        client.open_connection()
        if encryption is Encryption.SSL:
            der = _unverified_handshake(client)
        else:
            client.read_greeting()
            client.ehlo()
            with client.step(Stage.TLS):
                if not client.has_extn("starttls"):
                    raise smtp_errors.starttls_unsupported(host, port)
                reply = client._command("STARTTLS")
                if reply.code != 220:
                    raise client._reply_error(reply, Stage.TLS)
            der = _unverified_handshake(client)
            client.quit()
    finally:
        client.close()
    return der


def _unverified_handshake(client: SmtpClient) -> bytes:
    with client.step(Stage.TLS):
        sock = client._sock
        if sock is None:
            raise ConnectionError("not connected")
        tls_sock = unverified_context().wrap_socket(
            sock, server_hostname=client.server.host, do_handshake_on_connect=False
        )
        client._sock = tls_sock
        handshake_within(tls_sock, deadline_after(client.server.timeout))
        client._reader = ReplyReader(tls_sock)
        der = tls_sock.getpeercert(binary_form=True)
        if not der:
            raise ssl.SSLError("no certificate")
        return der
