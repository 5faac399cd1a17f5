"""Step-by-step diagnosis of a mail server: which step fails, why, and what to do.

The diagnosis runs the program's one SMTP client (:mod:`bimail_desktop.mail.client`) step
by step — the very steps a send takes, with the same error for the same failure — and
reports each as it runs: ``dns`` -> ``connect`` -> ``greeting`` -> ``ehlo`` -> ``tls`` ->
``auth_methods`` -> ``login`` -> ``rcpt`` -> ``quit`` (for SSL the ``tls`` step comes right
after ``connect``: the handshake happens before the server greets). A failed step carries
one catalogue error; every later step is ``skipped``. When the encryption does not match
the port, a short probe says what the port speaks and the report carries a ``suggestion``
({"encryption", "port"}).

The transcript never holds the password nor any AUTH payload, nor anything the server
echoes of them. No mail is sent: the ``rcpt`` step says MAIL FROM / RCPT TO and then RSET,
never DATA.

The data model and the reports are in :mod:`bimail_desktop.mail.diagnosis_report`. No Qt
here; the GUI runs :func:`run_diagnosis` in a worker thread.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..domain.errors import BimailError, ErrorCode
from ..domain.models import Encryption
from ..domain.texts import Msg
from . import auth as sasl
from .cancel import CancelToken
from .client import RecipientRefused, ServerConfig, SmtpClient, TlsFacts
from .diagnosis_report import (
    DEFAULT_TIMEOUT,
    STEP_NAMES,
    STEP_TITLE_MSGS,
    STEP_TITLES,
    DiagnosisTarget,
    DiagnosticReport,
    DiagnosticStep,
    StepStatus,
    report_json,
    report_markdown,
    with_context,
)
from .protocol import REDACTED, Redactor, idna_address
from .tls import TrustConfig, certificate_info, pin_key

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_TIMEOUT",
    "REDACTED",
    "STEP_NAMES",
    "STEP_TITLES",
    "DiagnosisTarget",
    "DiagnosticReport",
    "DiagnosticStep",
    "ProgressCallback",
    "StepStatus",
    "Transcript",
    "report_json",
    "report_markdown",
    "run_diagnosis",
    "with_context",
]

ProgressCallback = Callable[[DiagnosticStep], None]


class Transcript:
    """The SMTP conversation, line by line, with every secret removed (the client already
    redacts; this is the second guard). Client lines: ``C: ...``; server lines:
    ``S: ...``; events: ``*  ...``."""

    _PREFIX = {"C": "C: ", "S": "S: ", "*": "*  "}

    def __init__(self, redactor: Redactor | None = None) -> None:
        self.lines: list[str] = []
        self.redactor = redactor or Redactor()
        self._lock = threading.Lock()

    def __call__(self, direction: str, line: str) -> None:
        self._append(self._PREFIX.get(direction, "*  ") + line)

    def event(self, text: str) -> None:
        self._append(f"*  {text}")

    def _append(self, line: str) -> None:
        with self._lock:
            self.lines.append(self.redactor.text(line))

    def snapshot(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self.lines)


class _Skip(Exception):  # noqa: N818 - a step that does not apply, not an error
    def __init__(self, message: Msg, suggestion: dict[str, Any] | None = None) -> None:
        super().__init__(message.key)
        self.message = message
        self.suggestion = suggestion


@dataclass
class _Outcome:
    message: Msg
    data: dict[str, Any] = field(default_factory=dict)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class _Diagnosis:
    def __init__(self, target: DiagnosisTarget, trust: TrustConfig,
                 cancel: CancelToken | None, progress: ProgressCallback | None) -> None:
        self.t = target
        self.cancel = cancel or CancelToken()
        self.progress = progress
        self.redactor = Redactor.for_credentials(target.username, target.password,
                                                 target.oauth2_token)
        self.transcript = Transcript(self.redactor)
        wants_login = bool(target.password or target.oauth2_token)
        self.client = SmtpClient(
            ServerConfig(
                host=target.host, port=target.port, encryption=target.encryption,
                username=target.username if wants_login else "",
                password=target.password, oauth2_token=target.oauth2_token,
                timeout=target.timeout, ehlo_name=target.ehlo_name,
            ),
            trust, cancel=self.cancel, transcript=self.transcript,
        )
        self.steps: list[DiagnosticStep] = []
        self.certificate: dict[str, Any] | None = None
        self.suggestion: dict[str, Any] | None = None

    def order(self) -> list[str]:
        if self.t.encryption is Encryption.SSL:
            return ["dns", "connect", "tls", "greeting", "ehlo", "auth_methods", "login",
                    "rcpt", "quit"]
        return list(STEP_NAMES)

    def run(self) -> DiagnosticReport:
        started = datetime.now(UTC)
        t0 = time.monotonic()
        functions: dict[str, Callable[[], _Outcome]] = {
            "dns": self._dns, "connect": self._connect, "greeting": self._greeting,
            "ehlo": self._ehlo, "tls": self._tls, "auth_methods": self._auth_methods,
            "login": self._login, "rcpt": self._rcpt, "quit": self._quit,
        }
        failed: str | None = None
        try:
            for name in self.order():
                if failed is not None:
                    message = Msg("diag.skipped", step=STEP_TITLE_MSGS[failed])
                    step = DiagnosticStep(name, StepStatus.SKIPPED, detail=str(message),
                                          message=message)
                    self.steps.append(step)
                    self._emit(step)
                    continue
                if self._run_step(name, functions[name]).status is StepStatus.FAIL:
                    failed = name
        finally:
            self.client.close()
        return DiagnosticReport(
            server=self.t.host, port=self.t.port, encryption=self.t.encryption,
            steps=tuple(self.steps), transcript=self.transcript.snapshot(),
            started_at=started, duration_ms=int((time.monotonic() - t0) * 1000),
            suggestion=self.suggestion, certificate=self.certificate, to=self.t.to,
        )

    def _emit(self, step: DiagnosticStep) -> None:
        if self.progress is None:
            return
        try:
            self.progress(step)
        except Exception:  # noqa: BLE001 - a broken observer must not stop the diagnosis
            log.exception("diagnosis progress callback failed")

    def _run_step(self, name: str, fn: Callable[[], _Outcome]) -> DiagnosticStep:
        self._emit(DiagnosticStep(name, StepStatus.RUNNING))
        t0 = time.monotonic()
        suggestion: dict[str, Any] | None = None
        data: dict[str, Any] = {}
        error: BimailError | None = None
        message: Msg | None = None
        try:
            if self.cancel.cancelled:
                raise BimailError(ErrorCode.INTERRUPTED, Msg("diag.cancelled"))
            outcome = fn()
            status, message, data = StepStatus.PASS, outcome.message, outcome.data
            detail = str(message)
        except _Skip as skip:
            status, message = StepStatus.SKIPPED, skip.message
            detail = str(message)
            suggestion = skip.suggestion
        except BimailError as exc:
            error = exc
            if self.cancel.cancelled:
                error = BimailError(ErrorCode.INTERRUPTED, Msg("diag.cancelled"))
            status, detail = StepStatus.FAIL, error.detail or error.message()
            suggestion = error.extra.get("suggestion")
            cert = error.extra.get("certificate")
            if isinstance(cert, dict):
                self.certificate = cert
        if name == "tls" and self.certificate and "sha256" in self.certificate:
            sha = str(self.certificate["sha256"])
            if sha not in detail:
                detail = f"{detail} {Msg('diag.cert.fingerprint', sha256=sha)}"
            data.setdefault("certificate", self.certificate)
        if suggestion:
            self.suggestion = dict(suggestion)
        if error is not None:
            self.redactor.error(error)
        step = DiagnosticStep(
            name, status, duration_ms=int((time.monotonic() - t0) * 1000),
            detail=self.redactor.text(detail), error=error, data=self.redactor.value(data),
            suggestion=suggestion,
            message=None if message is None else Msg(
                message.key, **self.redactor.value(dict(message.params))),
        )
        log.info("diagnosis %s:%s step %s: %s", self.t.host, self.t.port, name, status.value)
        self.steps.append(step)
        self._emit(step)
        return step

    # -- steps -------------------------------------------------------------------------
    def _dns(self) -> _Outcome:
        host = self.t.host
        addresses = self.client.resolve()
        if _is_ip(host):
            return _Outcome(Msg("diag.dns.ip", host=host), {"addresses": [host]})
        return _Outcome(Msg("diag.dns.resolved", host=host, addresses=", ".join(addresses)),
                        {"addresses": addresses})

    def _connect(self) -> _Outcome:
        address = self.client.open_connection()
        local = self.client.local_ip
        return _Outcome(Msg("diag.connect.ok", address=address, port=self.t.port, local=local),
                        {"address": address, "local_address": local})

    def _greeting(self) -> _Outcome:
        reply = self.client.read_greeting()
        text = f"{reply.code} {' '.join(reply.lines)}".strip()
        return _Outcome(Msg("diag.greeting.ok", reply=text), {"greeting": text})

    def _capabilities(self) -> list[str]:
        return [f"{k.upper()} {v}".strip() for k, v in self.client.capabilities.items()]

    def _ehlo(self) -> _Outcome:
        self.client.ehlo()
        if not self.client.esmtp:
            return _Outcome(Msg("diag.ehlo.helo"), {"capabilities": []})
        caps = self._capabilities()
        return _Outcome(Msg("diag.ehlo.ok", capabilities=", ".join(caps) or "nothing"),
                        {"capabilities": caps})

    def _tls(self) -> _Outcome:
        mode = self.t.encryption
        if mode is Encryption.NONE:
            if self.client.has_extn("starttls"):
                raise _Skip(Msg("diag.tls.none_offered"),
                            {"encryption": Encryption.TLS.value, "port": self.t.port})
            raise _Skip(Msg("diag.tls.none"))
        if mode is Encryption.SSL:
            facts = self.client.tls_handshake()
            return self._tls_outcome("SSL (implicit TLS)", facts)
        facts = self.client.starttls()
        caps = self._capabilities()
        outcome = self._tls_outcome("STARTTLS", facts)
        outcome.message = Msg("diag.tls.ok_starttls", **outcome.message.params,
                              capabilities=", ".join(caps) or "none")
        outcome.data["capabilities_after_tls"] = caps
        return outcome

    def _tls_outcome(self, how: str, facts: TlsFacts) -> _Outcome:
        cert = certificate_info(facts.certificate).to_dict() if facts.certificate else {}
        self.certificate = cert or None
        verification = (Msg("diag.tls.pinned", pin=pin_key(self.t.host, self.t.port))
                        if facts.pinned else Msg("diag.tls.verified"))
        params = {
            "how": how, "protocol": facts.protocol, "cipher": facts.cipher,
            "subject": cert.get("subject"), "issuer": cert.get("issuer"),
            "names": ", ".join(cert.get("alt_names") or []) or "(none)",
            "not_before": cert.get("not_before"), "not_after": cert.get("not_after"),
            "sha256": cert.get("sha256"), "verification": verification,
        }
        data = {
            "protocol": facts.protocol, "cipher": facts.cipher, "bits": facts.bits,
            "certificate": self.certificate, "chain": list(facts.chain), "verified": True,
            "pinned": facts.pinned, "verification": str(verification),
        }
        return _Outcome(Msg("diag.tls.ok", **params), data)

    def _wants_login(self) -> bool:
        return bool(self.t.password or self.t.oauth2_token or self.t.password_error)

    def _auth_methods(self) -> _Outcome:
        methods = self.client.auth_offered
        data: dict[str, Any] = {"methods": methods}
        token = bool(self.t.oauth2 or self.t.oauth2_token)
        if methods:
            usable = sasl.usable(methods, token=token)
            if self._wants_login() and not self.t.oauth2_token and not self.t.password:
                # the keychain failed: say what would be used, the login step reports it
                return _Outcome(Msg("diag.auth.offered", methods=", ".join(methods)), data)
            if self._wants_login():
                mechanism = self.client.auth_plan()  # raises auth_unsupported
                return _Outcome(Msg("diag.auth.offered_use", methods=", ".join(methods),
                                    mechanism=str(mechanism)), data)
            if usable:
                return _Outcome(Msg("diag.auth.offered_use", methods=", ".join(methods),
                                    mechanism=usable[0].value), data)
            return _Outcome(Msg("diag.auth.offered", methods=", ".join(methods)), data)
        if not self._wants_login():
            return _Outcome(Msg("diag.auth.none_needed"), data)
        if self.client.server.wants_auth:
            self.client.auth_plan()  # raises auth_requires_tls / auth_unsupported
        if self.client.has_extn("starttls") and not self.client.encrypted:
            raise BimailError(
                ErrorCode.AUTH_REQUIRES_TLS, Msg("smtp.login_after_starttls"),
                extra={"suggestion": {"encryption": Encryption.TLS.value, "port": self.t.port}})
        raise BimailError(ErrorCode.AUTH_UNSUPPORTED, Msg("smtp.no_login_offered"))

    def _login(self) -> _Outcome:
        if self.t.password_error is not None:
            raise self.t.password_error
        if not self.t.password and not self.t.oauth2_token:
            raise _Skip(Msg("diag.login.no_password"))
        mechanism = self.client.login()
        user = self.t.username
        if mechanism is sasl.Mechanism.XOAUTH2:
            return _Outcome(Msg("diag.login.oauth_ok", user=user),
                            {"user": user, "method": "XOAUTH2"})
        method = str(mechanism) if mechanism else ""
        return _Outcome(Msg("diag.login.ok", user=user, mechanism=method),
                        {"user": user, "method": method})

    def _rcpt(self) -> _Outcome:
        to = self.t.to
        if not to:
            raise _Skip(Msg("diag.rcpt.no_recipient"))
        sender = idna_address(self.t.mail_from) if self.t.mail_from else ""
        self.client.mail(sender)
        try:
            reply = self.client.rcpt(idna_address(to), recipient=to)
        except RecipientRefused as refused:
            try:
                self.client.rset()
            except BimailError:
                pass
            raise refused.error from None
        self.client.rset()
        text = f"{reply.code} {' '.join(reply.lines)}".strip()
        return _Outcome(Msg("diag.rcpt.ok", sender=sender, to=to),
                        {"mail_from": sender, "to": to, "reply": text})

    def _quit(self) -> _Outcome:
        reply = self.client.quit()
        if reply is None:
            return _Outcome(Msg("diag.quit.no_answer"))
        return _Outcome(Msg("diag.quit.ok", reply=f"{reply.code} {' '.join(reply.lines)}".strip()))


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

