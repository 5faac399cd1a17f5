"""The diagnosis as data and as reports: steps, the finished report, its JSON and Markdown
forms. The step sentences (English and Simplified Chinese) are in the text catalogue,
:mod:`bimail_desktop.domain.texts`, under ``diag.`` and ``progress.``.

The runner that fills these in is :mod:`bimail_desktop.mail.diagnostics`. A step's
``detail`` is a sentence of the text catalogue with its parameters (addresses, the
server's words, certificate facts), so that it can be shown in either language; a failed
step's detail is its catalogue error's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from ..domain.errors import BimailError
from ..domain.models import Encryption
from ..domain.texts import Msg, is_chinese

DEFAULT_TIMEOUT = 10.0

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


STEP_TITLE_MSGS: dict[str, Msg] = {
    "dns": Msg("diag.step.dns"),
    "connect": Msg("diag.step.connect"),
    "greeting": Msg("diag.step.greeting"),
    "ehlo": Msg("diag.step.ehlo"),
    "tls": Msg("diag.step.tls"),
    "auth_methods": Msg("diag.step.auth_methods"),
    "login": Msg("diag.step.login"),
    "rcpt": Msg("diag.step.rcpt"),
    "quit": Msg("diag.step.quit"),
}


class StepLine(str):
    """A step sentence of the text catalogue that is also its English text (a ``str``), so
    that a progress line can be printed as is or shown in the window's language."""

    message: Msg

    def __new__(cls, message: Msg) -> StepLine:
        line = super().__new__(cls, message.render("en"))
        line.message = message
        return line

    @property
    def key(self) -> str:
        return self.message.key

    def text(self, lang: str = "en") -> str:
        return self.message.render(lang)


def progress_line(stage: str, *, host: str, port: int, count: int) -> StepLine | None:
    """The progress line of a send when the client's step ``stage`` starts (None: a step
    the line does not mention)."""
    lines = {
        "connect": lambda: Msg("progress.connect", host=host, port=port),
        "tls": lambda: Msg("progress.tls"),
        "greeting": lambda: Msg("progress.greeting"),
        "ehlo": lambda: Msg("progress.ehlo"),
        "auth": lambda: Msg("progress.auth"),
        "mail": lambda: Msg("progress.mail", count=count),
        "rcpt": lambda: Msg("progress.mail", count=count),
        "data": lambda: Msg("progress.data"),
    }
    make = lines.get(str(stage))
    return StepLine(make()) if make is not None else None


def step_title(name: str, lang: str = "en") -> str:
    title = STEP_TITLE_MSGS.get(name)
    return title.render(lang) if title is not None else name


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

    message: Msg | None = None  # the catalogue sentence ``detail`` says (passed/skipped)

    @property
    def title(self) -> str:
        return STEP_TITLES.get(self.name, self.name)

    def text(self, lang: str = "en") -> str:
        """``detail`` in ``lang`` (a failed step says what its catalogue error says)."""
        if not is_chinese(lang):
            return self.detail
        if self.message is not None:
            return self.message.render(lang)
        if self.error is not None:
            return self.error.detail_text(lang) or self.error.message(lang)
        return self.detail

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "name": self.name,
            "title": step_title(self.name, lang),
            "status": self.status.value,
            "duration_ms": self.duration_ms,
            "detail": self.text(lang),
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
                  f"**{step_title(failed.name, lang)}: {title}** "
                  f"(`{failed.error.code.value}`)", "",
                  failed.text(lang), "", f"Why: {explanation}", "", f"Fix: {fix}"]
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
        detail = step.text(lang).replace("|", "\\|").replace("\n", " ")
        if step.error is not None:
            detail = f"`{step.error.code.value}` {detail}"
        lines.append(f"| {step_title(step.name, lang)} (`{step.name}`) | {_MARK[step.status]} | "
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
