"""Step-by-step diagnosis of a mail server (T1): which step fails, why, and what to do.

The steps run in the order the conversation needs them and each is reported as it runs:
``dns`` -> ``connect`` -> ``greeting`` -> ``ehlo`` -> ``tls`` -> ``auth_methods`` -> ``login``
-> ``rcpt`` -> ``quit`` (for SSL the ``tls`` step comes right after ``connect``: the handshake
happens before the server greets). A failed step carries one catalogue error; every later
step is ``skipped``. When the encryption does not match the port, a short probe says what
the port speaks and the report carries a ``suggestion`` ({"encryption", "port"}).

The transcript of the SMTP conversation never holds the password nor any AUTH payload.
No mail is sent: the ``rcpt`` step says MAIL FROM / RCPT TO and then RSET, never DATA.

No Qt here; the GUI runs :func:`run_diagnosis` in a worker thread.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from ..domain.errors import BimailError, ErrorCode
from ..domain.models import Encryption
from . import smtp_errors, xoauth2
from .cancel import CancelToken
from .protocol import REDACTED, BoundedReplies, Redactor, decode_reply, idna_address, pin_matches
from .smtp_errors import Stage
from .tls import (
    TrustConfig,
    address_literal,
    certificate_info,
    client_context,
    fetch_server_certificate,
    pin_key,
    unverified_context,
)

log = logging.getLogger(__name__)

STEP_NAMES: tuple[str, ...] = (
    "dns",
    "connect",
    "greeting",
    "ehlo",
    "tls",
    "auth_methods",
    "login",
    "rcpt",
    "quit",
)

STEP_TITLES: dict[str, str] = {
    "dns": "Name resolution",
    "connect": "Connection",
    "greeting": "Server greeting",
    "ehlo": "Capabilities (EHLO)",
    "tls": "Encryption (TLS)",
    "auth_methods": "Login methods",
    "login": "Login",
    "rcpt": "Sender and recipient",
    "quit": "End of session",
}

DEFAULT_TIMEOUT = 10.0
PROBE_TIMEOUT = 3.0  # the wrong-mode probe must be quick


class StepStatus(StrEnum):
    RUNNING = "running"  # only in progress reports, never in a finished report
    PASS = "pass"
    FAIL = "fail"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class DiagnosticStep:
    """One step of a diagnosis. ``data`` holds structured facts (addresses, capabilities,
    the certificate); ``detail`` says the same in one or a few plain sentences."""

    name: str
    status: StepStatus
    duration_ms: int = 0
    detail: str = ""
    error: BimailError | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    suggestion: Mapping[str, Any] | None = None

    @property
    def title(self) -> str:
        return STEP_TITLES.get(self.name, self.name)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "status": self.status.value,
            "duration_ms": self.duration_ms,
            "detail": self.detail,
            "error": self.error.to_dict(lang) if self.error is not None else None,
            "data": _json_safe(dict(self.data)),
            "suggestion": dict(self.suggestion) if self.suggestion else None,
        }


@dataclass(frozen=True)
class DiagnosisTarget:
    """What to check. ``password`` is used for the login step only and never reported."""

    host: str
    port: int
    encryption: Encryption
    username: str = ""
    password: str | None = field(default=None, repr=False)
    password_error: BimailError | None = None  # the keychain could not give the password
    oauth2_token: str | None = field(default=None, repr=False)  # OAuth2 senders: XOAUTH2
    oauth2: bool = False  # the sender logs in with OAuth2 (even when no token was obtained)
    mail_from: str = ""
    to: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    ehlo_name: str | None = None


@dataclass(frozen=True)
class DiagnosticReport:
    """A finished diagnosis: every step, the redacted transcript and what to change."""

    server: str
    port: int
    encryption: Encryption
    steps: tuple[DiagnosticStep, ...]
    transcript: tuple[str, ...]
    started_at: datetime
    duration_ms: int
    suggestion: Mapping[str, Any] | None = None
    certificate: Mapping[str, Any] | None = None  # the server's certificate, when seen
    sender: Mapping[str, Any] | None = None  # the sender's settings, without secrets
    to: str | None = None
    environment: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(step.status is not StepStatus.FAIL for step in self.steps)

    @property
    def failed_step(self) -> DiagnosticStep | None:
        for step in self.steps:
            if step.status is StepStatus.FAIL:
                return step
        return None

    def step(self, name: str) -> DiagnosticStep | None:
        for step in self.steps:
            if step.name == name:
                return step
        return None

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        failed = self.failed_step
        return {
            "ok": self.ok,
            "server": self.server,
            "port": self.port,
            "encryption": self.encryption.value,
            "started_at": self.started_at.isoformat(),
            "duration_ms": self.duration_ms,
            "failed_step": failed.name if failed is not None else None,
            "error": failed.error.to_dict(lang) if failed and failed.error else None,
            "suggestion": dict(self.suggestion) if self.suggestion else None,
            "certificate": _json_safe(dict(self.certificate)) if self.certificate else None,
            "sender": dict(self.sender) if self.sender else None,
            "to": self.to,
            "environment": dict(self.environment),
            "steps": [step.to_dict(lang) for step in self.steps],
            "transcript": list(self.transcript),
        }


def _json_safe(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, StrEnum):
        return value.value
    return value


# --------------------------------------------------------------------------- transcript


class Transcript:
    """The SMTP conversation, line by line, with every secret removed.

    Client lines: ``C: ...``; server lines: ``S: ...``; events: ``*  ...``. An ``AUTH``
    command keeps only its mechanism, and every line the client sends while the server
    answers 334 (the AUTH exchange) is replaced by ``***``. As a second guard, the
    password itself and its base64 forms are scrubbed from every line."""

    def __init__(self, redactor: Redactor | None = None) -> None:
        self.lines: list[str] = []
        self._in_auth = False
        self.redactor = redactor or Redactor()
        self._lock = threading.Lock()

    def _scrub(self, text: str) -> str:
        return self.redactor.text(text)

    def client(self, line: str) -> None:
        text = line.rstrip("\r\n")
        verb = text.split(" ", 1)[0].upper()
        if verb == "AUTH":
            parts = text.split(" ")
            text = " ".join(parts[:2]) + (f" {REDACTED}" if len(parts) > 2 else "")
            self._in_auth = True
        elif self._in_auth:
            text = REDACTED
        self._append(f"C: {text}")

    def server(self, code: int, lines: Sequence[str]) -> None:
        if code != 334:
            self._in_auth = False
        lines = list(lines) or [""]
        for index, line in enumerate(lines):
            sep = "-" if index < len(lines) - 1 else " "
            self._append(f"S: {code}{sep}{line}".rstrip())

    def event(self, text: str) -> None:
        self._append(f"*  {text}")

    def _append(self, line: str) -> None:
        with self._lock:
            self.lines.append(self._scrub(line))

    def snapshot(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._scrub(line) for line in self.lines)


class _TranscriptSMTP(BoundedReplies, smtplib.SMTP):
    """smtplib's client, fed a socket we opened ourselves, writing a transcript."""

    def __init__(self, transcript: Transcript, local_hostname: str, timeout: float) -> None:
        self._transcript = transcript
        super().__init__(host="", local_hostname=local_hostname, timeout=timeout)

    def send(self, s: str | bytes) -> None:  # type: ignore[override]
        text = s.decode("utf-8", "replace") if isinstance(s, bytes) else s
        for line in text.split("\r\n"):
            if line:
                self._transcript.client(line)
        super().send(s)

    def getreply(self) -> tuple[int, bytes]:
        code, message = super().getreply()
        self._transcript.server(code, decode_reply(message).split("\n"))
        return code, message

    def attach(self, sock: socket.socket, host: str) -> None:
        if self.file is not None:
            try:
                self.file.close()
            except OSError:
                pass
        self.sock = sock
        self.file = None
        self._host = host

    def forget_capabilities(self) -> None:
        """After STARTTLS, trust only what the server says over TLS."""
        self.file = None
        self.helo_resp = None
        self.ehlo_resp = None
        self.esmtp_features = {}
        self.does_esmtp = False


# --------------------------------------------------------------------------- helpers


class _Skip(Exception):
    """Raised by a step function: the step does not apply (status skipped)."""

    def __init__(self, detail: str, data: Mapping[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.data = dict(data or {})


@dataclass
class _Outcome:
    detail: str
    data: dict[str, Any] = field(default_factory=dict)
    suggestion: dict[str, Any] | None = None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _timed_out(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(4):
        if seen is None:
            return False
        if isinstance(seen, TimeoutError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _reply_text(message: bytes | str) -> str:
    text = decode_reply(message) if isinstance(message, bytes) else message
    return " ".join(text.split("\n")).strip()


def _wrong_version(exc: ssl.SSLError) -> bool:
    reason = (getattr(exc, "reason", None) or "").upper()
    return reason in {
        "WRONG_VERSION_NUMBER",
        "UNKNOWN_PROTOCOL",
        "HTTP_REQUEST",
        "RECORD_LAYER_FAILURE",
        "PACKET_LENGTH_TOO_LONG",
        "RECORD_TOO_LARGE",
    }


# --------------------------------------------------------------------------- the engine


ProgressCallback = Callable[[DiagnosticStep], None]


class _Diagnosis:
    def __init__(
        self,
        target: DiagnosisTarget,
        trust: TrustConfig,
        cancel: CancelToken | None,
        progress: ProgressCallback | None,
    ) -> None:
        self.t = target
        self.trust = trust
        self.cancel = cancel or CancelToken()
        self.progress = progress
        self.redactor = Redactor.for_credentials(
            target.username, target.password, target.oauth2_token
        )
        self.transcript = Transcript(self.redactor)
        self.steps: list[DiagnosticStep] = []
        self.addresses: list[tuple[int, str]] = []  # (family, address)
        self.sock: socket.socket | None = None
        self.smtp: _TranscriptSMTP | None = None
        self.certificate: dict[str, Any] | None = None
        self.suggestion: dict[str, Any] | None = None
        self.greeting = ""
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._ehlo_name = target.ehlo_name or ""
        self._encrypted = False

    # -- plumbing ----------------------------------------------------------------------
    def _emit(self, step: DiagnosticStep) -> None:
        if self.progress is None:
            return
        try:
            self.progress(step)
        except Exception:  # noqa: BLE001 - a broken observer must not stop the diagnosis
            log.exception("diagnosis progress callback failed")

    def _track(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._open.append(sock)
        return sock

    def _abort(self) -> None:
        """Cancel: close every socket so that a blocked read wakes at once."""
        with self._lock:
            socks = list(self._open)
        for sock in socks:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                sock.close()
            except OSError:
                pass

    def _interrupted(self) -> BimailError:
        return BimailError(ErrorCode.INTERRUPTED, "the diagnosis was cancelled")

    def order(self) -> list[str]:
        if self.t.encryption is Encryption.SSL:
            return ["dns", "connect", "tls", "greeting", "ehlo", "auth_methods", "login",
                    "rcpt", "quit"]
        return list(STEP_NAMES)

    def run(self) -> DiagnosticReport:
        started = datetime.now(UTC)
        t0 = time.monotonic()
        unregister = self.cancel.on_cancel(self._abort)
        functions: dict[str, Callable[[], _Outcome]] = {
            "dns": self._dns,
            "connect": self._connect,
            "greeting": self._greeting,
            "ehlo": self._ehlo,
            "tls": self._tls,
            "auth_methods": self._auth_methods,
            "login": self._login,
            "rcpt": self._rcpt,
            "quit": self._quit,
        }
        failed: str | None = None
        try:
            for name in self.order():
                if failed is not None:
                    step = DiagnosticStep(
                        name, StepStatus.SKIPPED,
                        detail=f"Not run: the step '{STEP_TITLES[failed]}' failed.",
                    )
                    self.steps.append(step)
                    self._emit(step)
                    continue
                step = self._run_step(name, functions[name])
                if step.status is StepStatus.FAIL:
                    failed = name
        finally:
            unregister()
            if self.smtp is not None:
                try:
                    self.smtp.close()
                except OSError:
                    pass
            self._abort()
        return DiagnosticReport(
            server=self.t.host,
            port=self.t.port,
            encryption=self.t.encryption,
            steps=tuple(self.steps),
            transcript=self.transcript.snapshot(),
            started_at=started,
            duration_ms=int((time.monotonic() - t0) * 1000),
            suggestion=self.suggestion,
            certificate=self.certificate,
            to=self.t.to,
        )

    def _run_step(self, name: str, fn: Callable[[], _Outcome]) -> DiagnosticStep:
        self._emit(DiagnosticStep(name, StepStatus.RUNNING))
        t0 = time.monotonic()
        suggestion: dict[str, Any] | None = None
        data: dict[str, Any] = {}
        error: BimailError | None = None
        try:
            if self.cancel.cancelled:
                raise self._interrupted()
            outcome = fn()
            status, detail, data = StepStatus.PASS, outcome.detail, outcome.data
            suggestion = outcome.suggestion
        except _Skip as skip:
            status, detail, data = StepStatus.SKIPPED, skip.detail, skip.data
            suggestion = data.pop("suggestion", None)
        except BimailError as exc:
            error = self._interrupted() if self.cancel.cancelled else exc
            status, detail = StepStatus.FAIL, error.detail or error.message()
            data = dict(exc.extra.get("step_data", {}))
            error.extra.pop("step_data", None)
            suggestion = error.extra.get("suggestion")
        except Exception as exc:  # noqa: BLE001 - every failure becomes one catalogue code
            error = self._interrupted() if self.cancel.cancelled else self._translate(name, exc)
            status, detail = StepStatus.FAIL, error.detail or error.message()
            suggestion = error.extra.get("suggestion")
        if name == "tls" and self.certificate and "sha256" in self.certificate:
            sha = str(self.certificate["sha256"])
            if sha not in detail:
                detail = f"{detail} Server certificate SHA-256: {sha}."
            data.setdefault("certificate", self.certificate)
        if suggestion:
            self.suggestion = dict(suggestion)
        if error is not None:
            self.redactor.error(error)
        detail = self.redactor.text(detail)
        data = self.redactor.value(data)
        step = DiagnosticStep(
            name,
            status,
            duration_ms=int((time.monotonic() - t0) * 1000),
            detail=detail,
            error=error,
            data=data,
            suggestion=suggestion,
        )
        log.info("diagnosis %s:%s step %s: %s", self.t.host, self.t.port, name, status.value)
        self.steps.append(step)
        self._emit(step)
        return step

    _STAGES: dict[str, Stage] = {
        "dns": Stage.CONNECT,
        "connect": Stage.CONNECT,
        "greeting": Stage.GREETING,
        "ehlo": Stage.EHLO,
        "tls": Stage.TLS,
        "auth_methods": Stage.EHLO,
        "login": Stage.AUTH,
        "rcpt": Stage.RCPT,
        "quit": Stage.QUIT,
    }

    def _secrets(self) -> tuple[str, ...]:
        return (self.t.password,) if self.t.password else ()

    def _translate(self, step: str, exc: BaseException) -> BimailError:
        """The one catalogue code for an exception in ``step`` (the transport's rules)."""
        if not isinstance(exc, OSError | smtplib.SMTPException | UnicodeError | EOFError):
            log.error("unexpected error in diagnosis step %s: %s", step, type(exc).__name__)
        return smtp_errors.translate(
            exc,
            self._STAGES[step],
            host=self.t.host,
            port=self.t.port,
            encryption=self.t.encryption,
            encrypted=self._encrypted,
            timeout=self.t.timeout,
            secrets=self._secrets(),
        )

    def _reply_error(
        self, code: int, message: bytes | str, stage: Stage, recipient: str | None = None
    ) -> BimailError:
        return smtp_errors.from_reply(
            code,
            message,
            stage,
            host=self.t.host,
            encrypted=self._encrypted,
            recipient=recipient,
            secrets=self._secrets(),
        )

    # -- steps -------------------------------------------------------------------------
    def _dns(self) -> _Outcome:
        host = self.t.host
        if _is_ip(host):
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            self.addresses = [(family, host)]
            return _Outcome(f"{host} is an IP address; no name lookup needed.",
                            {"addresses": [host]})
        box: dict[str, Any] = {}

        def resolve() -> None:
            try:
                box["infos"] = socket.getaddrinfo(host, self.t.port, type=socket.SOCK_STREAM)
            except Exception as exc:  # noqa: BLE001 - handed to the waiting thread
                box["error"] = exc

        worker = threading.Thread(target=resolve, name="bimail-dns", daemon=True)
        worker.start()
        deadline = time.monotonic() + self.t.timeout
        while worker.is_alive():
            if self.cancel.wait(0.02):
                raise self._interrupted()
            if time.monotonic() > deadline:
                raise BimailError(ErrorCode.DNS_FAILED, f"no answer from DNS for '{host}' "
                                  f"within {self.t.timeout:g} s")
        if "error" in box:
            exc = box["error"]
            why = getattr(exc, "strerror", None) or str(exc)
            raise BimailError(ErrorCode.DNS_FAILED, f"'{host}' could not be resolved ({why})")
        seen: list[tuple[int, str]] = []
        for family, _type, _proto, _name, sockaddr in box["infos"]:
            item = (int(family), str(sockaddr[0]))
            if item not in seen:
                seen.append(item)
        if not seen:
            raise BimailError(ErrorCode.DNS_FAILED, f"'{host}' has no address")
        self.addresses = seen
        shown = [a for _f, a in seen]
        return _Outcome(f"{host} resolved to {', '.join(shown)}.", {"addresses": shown})

    def _open_socket(self, family: int, address: str, timeout: float) -> socket.socket:
        sock = self._track(socket.socket(family, socket.SOCK_STREAM))
        sock.settimeout(timeout)
        try:
            sock.connect((address, self.t.port))
        except BaseException:
            sock.close()
            raise
        return sock

    def _connect(self) -> _Outcome:
        refused: list[str] = []
        problems: list[str] = []
        for family, address in self.addresses:
            if self.cancel.cancelled:
                raise self._interrupted()
            try:
                sock = self._open_socket(family, address, self.t.timeout)
            except ConnectionRefusedError:
                refused.append(address)
                continue
            except TimeoutError:
                problems.append(f"{address}: no answer within {self.t.timeout:g} s")
                continue
            except OSError as exc:
                problems.append(f"{address}: {exc.strerror or exc}")
                continue
            self.sock = sock
            local = sock.getsockname()[0]
            if not self._ehlo_name:
                self._ehlo_name = address_literal(local)
            self.transcript.event(f"connected to {address} port {self.t.port} from {local}")
            return _Outcome(
                f"Connected to {address} port {self.t.port} (from {local}).",
                {"address": address, "local_address": local},
            )
        if refused and not problems:
            raise BimailError(ErrorCode.CONNECT_REFUSED, f"{', '.join(refused)} refused the "
                              f"connection on port {self.t.port}")
        detail = "; ".join(problems + [f"{a}: refused" for a in refused])
        raise BimailError(ErrorCode.CONNECT_TIMEOUT, f"port {self.t.port} not reachable "
                          f"({detail})")

    def _client(self) -> _TranscriptSMTP:
        if self.smtp is None:
            assert self.sock is not None
            self.smtp = _TranscriptSMTP(self.transcript, self._ehlo_name, self.t.timeout)
            self.smtp.attach(self.sock, self.t.host)
        return self.smtp

    def _greeting(self) -> _Outcome:
        smtp = self._client()
        try:
            code, message = smtp.getreply()
        except smtplib.SMTPServerDisconnected as exc:
            if _timed_out(exc):
                raise self._greeting_timeout() from None
            raise BimailError(ErrorCode.DISCONNECTED, "the server closed the connection "
                              "without a greeting") from None
        text = _reply_text(message)
        self.greeting = text
        if code != 220:
            raise self._reply_error(code, message, Stage.GREETING)
        return _Outcome(f"The server greeted: {code} {text}", {"greeting": f"{code} {text}"})

    def _greeting_timeout(self) -> BimailError:
        """No greeting: TLS / Do Not Encrypt on a port that expects SSL first?"""
        seconds = f"{self.t.timeout:g}"
        if self.t.encryption is not Encryption.SSL and self._probe_speaks_ssl():
            return BimailError(
                ErrorCode.TLS_WRONG_MODE,
                f"no greeting within {seconds} s, but port {self.t.port} answers an SSL "
                "handshake: this port expects SSL from the first byte",
                extra={"suggestion": {"encryption": Encryption.SSL.value,
                                      "port": self.t.port}},
            )
        return BimailError(ErrorCode.TIMEOUT, f"the server accepted the connection but sent "
                           f"no greeting within {seconds} s")

    def _ehlo(self) -> _Outcome:
        smtp = self._client()
        code, message = smtp.ehlo(self._ehlo_name)
        if code == 421:
            raise self._reply_error(code, message, Stage.EHLO)
        if code != 250:
            code, message = smtp.helo(self._ehlo_name)
            if code != 250:
                raise self._reply_error(code, message, Stage.EHLO)
            return _Outcome("The server does not speak ESMTP (HELO only): no TLS, no login.",
                            {"capabilities": []})
        caps = self._capabilities()
        return _Outcome(f"EHLO accepted; the server offers: {', '.join(caps) or 'nothing'}.",
                        {"capabilities": caps})

    def _capabilities(self) -> list[str]:
        assert self.smtp is not None
        return [f"{k.upper()} {v}".strip() for k, v in self.smtp.esmtp_features.items()]

    def _tls(self) -> _Outcome:
        mode = self.t.encryption
        if mode is Encryption.NONE:
            smtp = self._client()
            if smtp.has_extn("starttls"):
                raise _Skip(
                    "Do Not Encrypt chosen: the conversation (and a password) travel in clear "
                    "text, although the server offers STARTTLS. Choose TLS.",
                    {"suggestion": {"encryption": Encryption.TLS.value, "port": self.t.port}},
                )
            raise _Skip("Do Not Encrypt chosen: the conversation travels in clear text.")
        if mode is Encryption.SSL:
            assert self.sock is not None
            tls_sock, facts = self._handshake(self.sock)
            self.sock = tls_sock
            return _Outcome(self._tls_detail("SSL (implicit TLS)", facts), facts)
        # STARTTLS, required: never fall back to clear text
        smtp = self._client()
        if not smtp.has_extn("starttls"):
            raise BimailError(
                ErrorCode.STARTTLS_UNSUPPORTED,
                f"the server's EHLO reply on port {self.t.port} does not offer STARTTLS; "
                "nothing was sent in clear text",
            )
        code, message = smtp.docmd("STARTTLS")
        if code != 220:
            raise self._reply_error(code, message, Stage.TLS)
        assert smtp.sock is not None
        tls_sock, facts = self._handshake(smtp.sock)
        self.sock = tls_sock
        smtp.attach(tls_sock, self.t.host)
        smtp.forget_capabilities()
        code, message = smtp.ehlo(self._ehlo_name)
        if code != 250:
            raise self._reply_error(code, message, Stage.EHLO)
        caps = self._capabilities()
        facts["capabilities_after_tls"] = caps
        detail = self._tls_detail("STARTTLS", facts)
        return _Outcome(f"{detail} Capabilities over TLS: {', '.join(caps) or 'none'}.", facts)

    def _tls_detail(self, how: str, facts: Mapping[str, Any]) -> str:
        cert = facts.get("certificate") or {}
        parts = [f"{how} established: {facts.get('protocol')}, {facts.get('cipher')}."]
        if cert:
            parts.append(
                f"Certificate: {cert.get('subject')}, issued by {cert.get('issuer')}; "
                f"names: {', '.join(cert.get('alt_names') or []) or '(none)'}; valid "
                f"{cert.get('not_before')} to {cert.get('not_after')}; "
                f"SHA-256 {cert.get('sha256')}."
            )
        parts.append(str(facts.get("verification", "")))
        return " ".join(p for p in parts if p)

    def _handshake(self, sock: socket.socket) -> tuple[ssl.SSLSocket, dict[str, Any]]:
        host, port = self.t.host, self.t.port
        key = pin_key(host, port)
        pins = self.trust.pins_for(host, port)
        sock.settimeout(self.t.timeout)
        self.transcript.event("TLS handshake")
        if pins:
            try:
                tls_sock = unverified_context().wrap_socket(sock, server_hostname=host)
            except ssl.SSLError as exc:
                raise self._handshake_error(exc) from None
            self._track(tls_sock)
            der = tls_sock.getpeercert(binary_form=True) or b""
            info = certificate_info(der).to_dict()
            self.certificate = info
            actual = hashlib.sha256(der).hexdigest()
            if not pin_matches(actual, pins):
                tls_sock.close()
                self.transcript.event("certificate differs from the trusted one: stopped")
                raise BimailError(
                    ErrorCode.TLS_PIN_MISMATCH,
                    f"{key} presented a certificate with SHA-256 {actual}, but you trusted "
                    f"{', '.join(sorted(pins))}",
                    extra={"expected": sorted(pins), "actual": actual, "certificate": info},
                )
            verification = (f"Verified: matches the certificate you trusted for {key} "
                            "(pinned).")
        else:
            try:
                context = client_context(self.trust)
                tls_sock = context.wrap_socket(sock, server_hostname=host)
            except ssl.SSLCertVerificationError as exc:
                raise self._verification_error(exc) from None
            except ssl.SSLError as exc:
                raise self._handshake_error(exc) from None
            self._track(tls_sock)
            der = tls_sock.getpeercert(binary_form=True) or b""
            self.certificate = certificate_info(der).to_dict() if der else None
            verification = ("Verified against the system's trusted certificates and the "
                            "certificates trusted in this program.")
        cipher = tls_sock.cipher()
        facts: dict[str, Any] = {
            "protocol": tls_sock.version(),
            "cipher": cipher[0] if cipher else "",
            "bits": cipher[2] if cipher else None,
            "certificate": self.certificate,
            "chain": self._chain(tls_sock),
            "verified": True,
            "pinned": bool(pins),
            "verification": verification,
        }
        self.transcript.event(f"TLS established: {facts['protocol']}, {facts['cipher']}")
        self._encrypted = True
        return tls_sock, facts

    @staticmethod
    def _chain(tls_sock: ssl.SSLSocket) -> list[dict[str, Any]]:
        """The chain the server sent (leaf first), when this Python can tell."""
        sslobj = getattr(tls_sock, "_sslobj", None)
        getter = getattr(sslobj, "get_unverified_chain", None)
        if getter is None:
            return []
        chain: list[dict[str, Any]] = []
        try:
            for cert in getter() or []:
                der = cert.public_bytes(ssl._ssl.ENCODING_DER)  # type: ignore[attr-defined]
                info = certificate_info(der)
                chain.append({"subject": info.subject, "issuer": info.issuer,
                              "sha256": info.sha256,
                              "not_after": info.not_after.isoformat()})
        except Exception:  # noqa: BLE001 - the chain is a nicety, the leaf is what counts
            return chain
        return chain

    def _verification_error(self, exc: ssl.SSLCertVerificationError) -> BimailError:
        code = int(getattr(exc, "verify_code", 0) or 0)
        why = str(getattr(exc, "verify_message", "") or exc.reason or exc)
        self.transcript.event(f"certificate verification failed: {why} (code {code})")
        info: dict[str, Any] | None = None
        try:
            der = fetch_server_certificate(
                self.t.host, self.t.port, self.t.encryption,
                timeout=min(self.t.timeout, PROBE_TIMEOUT * 2),
                ehlo_name=self._ehlo_name or None,
            )
            info = certificate_info(der).to_dict()
        except Exception as fetch_exc:  # noqa: BLE001 - showing it is best effort
            log.info("could not fetch the certificate to show it: %s", type(fetch_exc).__name__)
        self.certificate = info
        extra: dict[str, Any] = {"verify_code": code, "verify_message": why}
        if info is not None:
            extra["certificate"] = info
        base = self._translate("tls", exc)
        base.extra.update(extra)
        return base

    def _handshake_error(self, exc: ssl.SSLError) -> BimailError:
        if _timed_out(exc) or isinstance(exc, TimeoutError):
            return BimailError(ErrorCode.TIMEOUT, f"no TLS handshake answer within "
                               f"{self.t.timeout:g} s")
        if self.t.encryption is Encryption.SSL and _wrong_version(exc):
            speaks = self._probe_plain()
            if speaks is not None:
                label = "STARTTLS (choose TLS)" if speaks == "tls" else \
                    "plain SMTP without STARTTLS"
                return BimailError(
                    ErrorCode.TLS_WRONG_MODE,
                    f"SSL chosen, but port {self.t.port} speaks {label}",
                    extra={"suggestion": {"encryption": speaks, "port": self.t.port}},
                )
            return BimailError(ErrorCode.TLS_WRONG_MODE, f"SSL chosen, but port "
                               f"{self.t.port} does not answer with TLS ({exc.reason})")
        return self._translate("tls", exc)

    # -- wrong-mode probes -------------------------------------------------------------
    def _probe_address(self) -> tuple[int, str] | None:
        return self.addresses[0] if self.addresses else None

    def _probe_speaks_ssl(self) -> bool:
        target = self._probe_address()
        if target is None or self.cancel.cancelled:
            return False
        self.transcript.event(f"probing whether port {self.t.port} speaks SSL")
        timeout = min(self.t.timeout, PROBE_TIMEOUT)
        try:
            sock = self._open_socket(target[0], target[1], timeout)
        except OSError:
            return False
        try:
            tls_sock = unverified_context().wrap_socket(sock, server_hostname=self.t.host)
            self._track(tls_sock)
            tls_sock.close()
        except (OSError, ValueError):
            return False
        finally:
            sock.close()
        self.transcript.event(f"port {self.t.port} completed an SSL handshake")
        return True

    def _probe_plain(self) -> str | None:
        """'tls' when the port greets in plain text and offers STARTTLS, 'none' when it
        greets without STARTTLS, None when it does not speak SMTP in plain text."""
        target = self._probe_address()
        if target is None or self.cancel.cancelled:
            return None
        self.transcript.event(f"probing whether port {self.t.port} speaks plain SMTP")
        timeout = min(self.t.timeout, PROBE_TIMEOUT)
        try:
            sock = self._open_socket(target[0], target[1], timeout)
        except OSError:
            return None
        probe = _TranscriptSMTP(self.transcript, self._ehlo_name or "[127.0.0.1]", timeout)
        probe.attach(sock, self.t.host)
        try:
            code, _message = probe.getreply()
            if code != 220:
                return None
            code, _message = probe.ehlo(self._ehlo_name or "[127.0.0.1]")
            if code != 250:
                return "none"
            speaks = "tls" if probe.has_extn("starttls") else "none"
            try:
                probe.quit()
            except (smtplib.SMTPException, OSError):
                pass
            return speaks
        except (smtplib.SMTPException, OSError):
            return None
        finally:
            probe.close()
            sock.close()

    # -- login and envelope ------------------------------------------------------------
    def _auth_methods(self) -> _Outcome:
        smtp = self._client()
        methods = str(smtp.esmtp_features.get("auth", "")).upper().split()
        data: dict[str, Any] = {"methods": methods}
        wants_login = (bool(self.t.password) or bool(self.t.oauth2_token)
                       or self.t.password_error is not None)
        if methods:
            usable: list[str] = [m for m in ("CRAM-MD5", "PLAIN", "LOGIN") if m in methods]
            if self.t.oauth2 or self.t.oauth2_token:  # OAuth2 senders use XOAUTH2 only
                usable = [m for m in ("XOAUTH2",) if m in methods]
            detail = f"The server offers login with {', '.join(methods)}."
            if wants_login and not usable:
                raise BimailError(ErrorCode.AUTH_UNSUPPORTED, f"the server offers only "
                                  f"{', '.join(methods)}, none of which the program can use "
                                  "with a password")
            if usable:
                detail += f" The program will use {usable[0]}."
            return _Outcome(detail, data)
        if not wants_login:
            return _Outcome("The server offers no login (none needed without a password).",
                            data)
        if self.t.encryption is Encryption.NONE and smtp.has_extn("starttls"):
            raise BimailError(
                ErrorCode.AUTH_REQUIRES_TLS,
                "the server offers login only after STARTTLS",
                extra={"suggestion": {"encryption": Encryption.TLS.value,
                                      "port": self.t.port}},
            )
        raise BimailError(ErrorCode.AUTH_UNSUPPORTED, "the server offers no login (AUTH is "
                          "not in its EHLO reply)")

    def _login(self) -> _Outcome:
        if self.t.password_error is not None:
            raise self.t.password_error
        if self.t.oauth2_token:
            xoauth2.authenticate(self._client(), self.t.username, self.t.oauth2_token)
            return _Outcome(f"Logged in with OAuth2 (XOAUTH2) as '{self.t.username}': the "
                            "access token is valid.", {"user": self.t.username,
                                                       "method": "XOAUTH2"})
        if not self.t.password:
            raise _Skip("No password given: login not tried.")
        smtp = self._client()
        user = self.t.username
        try:
            smtp.login(user, self.t.password)
        except smtplib.SMTPAuthenticationError as exc:
            text = _reply_text(exc.smtp_error)
            reply = f"{exc.smtp_code} {text}"
            if exc.smtp_code == 530 or "STARTTLS" in text.upper():
                raise BimailError(ErrorCode.AUTH_REQUIRES_TLS, f"the server refused the login "
                                  f"for '{user}'", server_reply=reply) from None
            if 400 <= exc.smtp_code < 500:
                raise BimailError(ErrorCode.TEMPORARY_FAILURE, f"the server could not check "
                                  f"the login for '{user}' now", server_reply=reply) from None
            if exc.smtp_code in (502, 504):
                raise BimailError(ErrorCode.AUTH_UNSUPPORTED, "the server refused the login "
                                  "method", server_reply=reply) from None
            raise BimailError(ErrorCode.AUTH_FAILED, f"the server refused the login for "
                              f"'{user}'", server_reply=reply) from None
        except smtplib.SMTPNotSupportedError:
            raise BimailError(ErrorCode.AUTH_UNSUPPORTED, "the server offers no login") from None
        except UnicodeEncodeError:
            raise BimailError(ErrorCode.AUTH_FAILED, "the user name or password contains "
                              "characters outside ASCII, which SMTP login cannot carry; use "
                              "an authorisation code or app password") from None
        except smtplib.SMTPServerDisconnected:
            raise
        except smtplib.SMTPException as exc:
            if "authentication method" in str(exc).lower():
                raise BimailError(ErrorCode.AUTH_UNSUPPORTED, "the server offers no login "
                                  "method the program can use") from None
            raise
        return _Outcome(f"Logged in as '{user}'.", {"user": user})

    def _rcpt(self) -> _Outcome:
        to = self.t.to
        if not to:
            raise _Skip("No recipient given: MAIL FROM / RCPT TO not tried.")
        smtp = self._client()
        sender = idna_address(self.t.mail_from) if self.t.mail_from else ""
        code, message = smtp.mail(sender)
        if code != 250:
            raise self._reply_error(code, message, Stage.MAIL)
        code, message = smtp.rcpt(idna_address(to))
        if code not in (250, 251):
            try:
                smtp.rset()
            except (smtplib.SMTPException, OSError):
                pass
            raise self._reply_error(code, message, Stage.RCPT, recipient=to)
        smtp.rset()
        return _Outcome(
            f"The server accepts mail from <{sender}> to <{to}> (nothing was sent: RSET "
            "before DATA).",
            {"mail_from": sender, "to": to, "reply": f"{code} {_reply_text(message)}"},
        )

    def _quit(self) -> _Outcome:
        smtp = self._client()
        try:
            code, message = smtp.docmd("QUIT")
        except (smtplib.SMTPException, OSError):
            return _Outcome("The server closed the connection without answering QUIT "
                            "(harmless).")
        finally:
            smtp.close()
        return _Outcome(f"Session ended: {code} {_reply_text(message)}")


def run_diagnosis(
    target: DiagnosisTarget,
    trust: TrustConfig | None = None,
    *,
    cancel: CancelToken | None = None,
    progress: ProgressCallback | None = None,
) -> DiagnosticReport:
    """Run every step against ``target`` and return the report (never raises for a network
    failure: the failing step carries it). ``progress`` gets each step twice: with status
    ``running`` when it starts and with its result when it ends."""
    return _Diagnosis(target, trust or TrustConfig(), cancel, progress).run()


# --------------------------------------------------------------------------- reports


def report_json(report: DiagnosticReport, lang: str = "en") -> str:
    return json.dumps(report.to_dict(lang), ensure_ascii=False, indent=2, default=str)


_MARK = {StepStatus.PASS: "PASS", StepStatus.FAIL: "FAIL", StepStatus.SKIPPED: "skipped",
         StepStatus.RUNNING: "…"}


def report_markdown(report: DiagnosticReport, lang: str = "en") -> str:
    """The report an admin sends to support: environment, settings, steps, transcript."""
    lines = [
        "# bimail-desktop diagnostics report",
        "",
        f"- Server: `{report.server}` port {report.port}, encryption "
        f"{report.encryption.label}",
        f"- Started: {report.started_at.isoformat()} ({report.duration_ms} ms)",
        f"- Result: {'all steps passed' if report.ok else 'FAILED'}",
    ]
    if report.to:
        lines.append(f"- Recipient checked: `{report.to}`")
    failed = report.failed_step
    if failed is not None and failed.error is not None:
        title, explanation, fix = failed.error.info.text(lang)
        lines += ["", "## What failed", "",
                  f"**{failed.title}: {title}** (`{failed.error.code.value}`)", "",
                  failed.detail, "", f"Why: {explanation}", "", f"Fix: {fix}"]
        if failed.error.server_reply:
            lines += ["", f"Server said: `{failed.error.server_reply}`"]
    if report.suggestion:
        enc = Encryption(report.suggestion.get("encryption", "tls"))
        lines += ["", f"Suggestion: use {enc.label} on port {report.suggestion.get('port')}."]
    if report.environment:
        lines += ["", "## Environment", ""]
        lines += [f"- {key}: {value}" for key, value in report.environment.items()]
    if report.sender:
        lines += ["", "## Sender settings (no password)", ""]
        lines += [f"- {key}: {value}" for key, value in report.sender.items()]
    lines += ["", "## Steps", "", "| Step | Result | Time | Detail |", "| --- | --- | --- | --- |"]
    for step in report.steps:
        detail = step.detail.replace("|", "\\|").replace("\n", " ")
        if step.error is not None:
            detail = f"`{step.error.code.value}` {detail}"
        lines.append(f"| {step.title} (`{step.name}`) | {_MARK[step.status]} | "
                     f"{step.duration_ms} ms | {detail} |")
    if report.certificate:
        cert = report.certificate
        lines += ["", "## Server certificate", ""]
        for key in ("subject", "issuer", "alt_names", "not_before", "not_after", "sha256",
                    "serial", "self_signed"):
            if key in cert:
                value = cert[key]
                if isinstance(value, list | tuple):
                    value = ", ".join(str(v) for v in value)
                lines.append(f"- {key}: {value}")
    lines += ["", "## Transcript (passwords and login data removed)", "", "```"]
    lines += list(report.transcript) or ["(empty)"]
    lines += ["```", ""]
    return "\n".join(lines)


def with_context(
    report: DiagnosticReport,
    *,
    sender: Mapping[str, Any] | None = None,
    environment: Mapping[str, str] | None = None,
) -> DiagnosticReport:
    """The same report with the sender's public settings and the environment added."""
    return replace(
        report,
        sender=dict(sender) if sender is not None else report.sender,
        environment=dict(environment) if environment is not None else report.environment,
    )
