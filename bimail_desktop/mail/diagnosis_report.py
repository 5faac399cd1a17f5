"""The diagnosis as data and as reports: steps, the finished report, its JSON and Markdown
forms, and the step texts in English and Simplified Chinese.

The runner that fills these in is :mod:`bimail_desktop.mail.diagnostics`. A step's
``detail`` is a sentence of :data:`STEP_TEXTS` with its parameters (addresses, the
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

STEP_TITLES_ZH: dict[str, str] = {
    "dns": "域名解析",
    "connect": "连接",
    "greeting": "服务器问候",
    "ehlo": "服务器功能（EHLO）",
    "tls": "加密（TLS）",
    "auth_methods": "登录方式",
    "login": "登录",
    "rcpt": "发件人和收件人",
    "quit": "结束会话",
}

# Every sentence a passed or skipped step (or a progress line) shows: key -> (English,
# Chinese). Parameters in braces are facts (addresses, names, the server's own words) and
# are never translated.
STEP_TEXTS: dict[str, tuple[str, str]] = {
    "dns.ip": ("{host} is an IP address; no name lookup needed.",
               "{host} 是 IP 地址，无需域名解析。"),
    "dns.resolved": ("{host} resolved to {addresses}.", "{host} 解析为 {addresses}。"),
    "connect.ok": ("Connected to {address} port {port} (from {local}).",
                   "已连接到 {address} 端口 {port}（本机地址 {local}）。"),
    "greeting.ok": ("The server greeted: {reply}", "服务器问候：{reply}"),
    "ehlo.ok": ("EHLO accepted; the server offers: {capabilities}.",
                "EHLO 已接受；服务器支持：{capabilities}。"),
    "ehlo.helo": ("The server does not speak ESMTP (HELO only): no TLS, no login.",
                  "服务器不支持 ESMTP（仅 HELO）：无法加密，也无法登录。"),
    "tls.none_offered": (
        "Do Not Encrypt chosen: the conversation (and a password) travel in clear text, "
        "although the server offers STARTTLS. Choose TLS.",
        "选择了不加密：会话（以及密码）以明文传输，但服务器支持 STARTTLS。请选择 TLS。"),
    "tls.none": ("Do Not Encrypt chosen: the conversation travels in clear text.",
                 "选择了不加密：会话以明文传输。"),
    "tls.ok": ("{how} established: {protocol}, {cipher}. Certificate: {subject}, issued by "
               "{issuer}; names: {names}; valid {not_before} to {not_after}; SHA-256 "
               "{sha256}. {verification}",
               "{how} 已建立：{protocol}，{cipher}。证书：{subject}，颁发者 {issuer}；名称："
               "{names}；有效期 {not_before} 至 {not_after}；SHA-256 {sha256}。{verification}"),
    "tls.ok_starttls": ("{how} established: {protocol}, {cipher}. Certificate: {subject}, "
                        "issued by {issuer}; names: {names}; valid {not_before} to "
                        "{not_after}; SHA-256 {sha256}. {verification} Capabilities over "
                        "TLS: {capabilities}.",
                        "{how} 已建立：{protocol}，{cipher}。证书：{subject}，颁发者 {issuer}；"
                        "名称：{names}；有效期 {not_before} 至 {not_after}；SHA-256 {sha256}。"
                        "{verification} 加密后服务器支持：{capabilities}。"),
    "tls.verified": ("Verified against the system's trusted certificates and the "
                     "certificates trusted in this program.",
                     "已通过系统信任的证书和本程序信任的证书验证。"),
    "tls.pinned": ("Verified: matches the certificate you trusted for {pin} (pinned).",
                   "已验证：与您为 {pin} 信任的证书一致（已固定）。"),
    "auth.offered": ("The server offers login with {methods}.",
                     "服务器支持的登录方式：{methods}。"),
    "auth.offered_use": ("The server offers login with {methods}. The program will use "
                         "{mechanism}.",
                         "服务器支持的登录方式：{methods}。本程序将使用 {mechanism}。"),
    "auth.none_needed": ("The server offers no login (none needed without a password).",
                         "服务器不提供登录（没有密码时也不需要）。"),
    "login.ok": ("Logged in as '{user}' with {mechanism}.", "已使用 {mechanism} 以“{user}”登录。"),
    "login.oauth_ok": ("Logged in with OAuth2 (XOAUTH2) as '{user}': the access token is "
                       "valid.", "已使用 OAuth2（XOAUTH2）以“{user}”登录：访问令牌有效。"),
    "login.no_password": ("No password given: login not tried.", "未提供密码：未尝试登录。"),
    "rcpt.ok": ("The server accepts mail from <{sender}> to <{to}> (nothing was sent: RSET "
                "before DATA).", "服务器接受从 <{sender}> 发往 <{to}> 的邮件（未发送任何内容："
                "在 DATA 之前已 RSET）。"),
    "rcpt.no_recipient": ("No recipient given: MAIL FROM / RCPT TO not tried.",
                          "未提供收件人：未尝试 MAIL FROM / RCPT TO。"),
    "quit.ok": ("Session ended: {reply}", "会话已结束：{reply}"),
    "quit.no_answer": ("The server closed the connection without answering QUIT "
                       "(harmless).", "服务器未回应 QUIT 就关闭了连接（无害）。"),
    "skipped": ("Not run: the step '{step}' failed.", "未运行：步骤“{step}”失败。"),
    "cert.fingerprint": ("Server certificate SHA-256: {sha256}.", "服务器证书 SHA-256：{sha256}。"),
    # progress lines of a send (the window's status line and the CLI follow the real step)
    "progress.dns": ("Looking up {host}…", "正在解析 {host}…"),
    "progress.connect": ("Connecting to {host}:{port}…", "正在连接 {host}:{port}…"),
    "progress.tls": ("Encrypting the connection…", "正在建立加密连接…"),
    "progress.greeting": ("Waiting for the server's greeting…", "正在等待服务器问候…"),
    "progress.ehlo": ("Asking what the server offers (EHLO)…", "正在查询服务器功能（EHLO）…"),
    "progress.auth": ("Logging in…", "正在登录…"),
    "progress.mail": ("Sending to {count} recipient(s)…", "正在发送给 {count} 位收件人…"),
    "progress.rcpt": ("Sending to {count} recipient(s)…", "正在发送给 {count} 位收件人…"),
    "progress.data": ("Transferring the message…", "正在传送邮件…"),
    "progress.quit": ("Ending the session…", "正在结束会话…"),
}


def step_text(text_key: str, lang: str = "en", **params: Any) -> str:
    """The sentence ``text_key`` in ``lang`` with ``params`` filled in."""
    english, chinese = STEP_TEXTS[text_key]
    template = chinese if lang.lower().startswith("zh") else english
    rendered = {
        name: step_text(str(value["text_key"]), lang,
                        **{k: v for k, v in value.items() if k != "text_key"})
        if isinstance(value, Mapping) and "text_key" in value else value
        for name, value in params.items()
    }  # a parameter may itself be a sentence of the table
    return template.format(**rendered)


class StepLine(str):
    """A sentence of :data:`STEP_TEXTS` that is also its English text (a ``str``), so that
    a progress line can be printed as is or shown in the window's language."""

    key: str
    params: dict[str, Any]

    def __new__(cls, text_key: str, **params: Any) -> StepLine:
        line = super().__new__(cls, step_text(text_key, **params))
        line.key = text_key
        line.params = dict(params)
        return line

    def text(self, lang: str = "en") -> str:
        return step_text(self.key, lang, **self.params)


def step_title(name: str, lang: str = "en") -> str:
    table = STEP_TITLES_ZH if lang.lower().startswith("zh") else STEP_TITLES
    return table.get(name, name)


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

    text_key: str = ""  # the sentence of STEP_TEXTS that ``detail`` says (passed/skipped)
    text_params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return STEP_TITLES.get(self.name, self.name)

    def text(self, lang: str = "en") -> str:
        """``detail`` in ``lang``."""
        if self.text_key and lang.lower().startswith("zh"):
            return step_text(self.text_key, lang, **self.text_params)
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
