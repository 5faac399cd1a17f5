"""The error codes: every failure the program reports has one, with a title, a plain
explanation and a fix in English and Simplified Chinese (their words are in
:mod:`.texts`, the one text catalogue; docs/CLI.md lists the codes).

A :class:`BimailError` carries its code and a :class:`~.texts.Msg` (a key of the catalogue
and its parameters) saying what exactly happened; it is rendered in the user's language when
shown (``error.message("zh_CN")``, ``error.to_dict("zh_CN")``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .texts import ERRORS, Msg, field_name, is_chinese, join_field, render


class ErrorCode(StrEnum):
    DNS_FAILED = "dns_failed"
    CONNECT_REFUSED = "connect_refused"
    CONNECT_TIMEOUT = "connect_timeout"
    TLS_WRONG_MODE = "tls_wrong_mode"
    TLS_UNTRUSTED = "tls_untrusted"
    TLS_HOSTNAME_MISMATCH = "tls_hostname_mismatch"
    TLS_EXPIRED = "tls_expired"
    TLS_PIN_MISMATCH = "tls_pin_mismatch"
    STARTTLS_UNSUPPORTED = "starttls_unsupported"
    AUTH_FAILED = "auth_failed"
    AUTH_UNSUPPORTED = "auth_unsupported"
    AUTH_REQUIRES_TLS = "auth_requires_tls"
    SENDER_REJECTED = "sender_rejected"
    RECIPIENT_REJECTED = "recipient_rejected"
    MESSAGE_REJECTED = "message_rejected"
    TEMPORARY_FAILURE = "temporary_failure"
    DISCONNECTED = "disconnected"
    TIMEOUT = "timeout"
    RATE_LIMITED = "rate_limited"
    NOT_CONFIGURED = "not_configured"
    SECRET_UNAVAILABLE = "secret_unavailable"
    INVALID_INPUT = "invalid_input"
    INTERRUPTED = "interrupted"
    OAUTH_REAUTH_REQUIRED = "oauth_reauth_required"
    STORE_TOO_NEW = "store_too_new"
    NOT_FOUND = "not_found"
    EXPIRED = "expired"
    STORE_UNAVAILABLE = "store_unavailable"
    STORE_CORRUPT = "store_corrupt"
    CHANGED_ELSEWHERE = "changed_elsewhere"


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """One row of the catalogue."""

    code: ErrorCode
    title: str
    explanation: str
    fix: str
    title_zh: str
    explanation_zh: str
    fix_zh: str

    def text(self, lang: str = "en") -> tuple[str, str, str]:
        """(title, explanation, fix) in ``lang`` ('en' or 'zh_CN')."""
        if is_chinese(lang):
            return self.title_zh, self.explanation_zh, self.fix_zh
        return self.title, self.explanation, self.fix


CATALOGUE: dict[ErrorCode, ErrorInfo] = {
    code: ErrorInfo(
        code,
        ERRORS[code.value].title.en,
        ERRORS[code.value].explanation.en,
        ERRORS[code.value].fix.en,
        ERRORS[code.value].title.zh,
        ERRORS[code.value].explanation.zh,
        ERRORS[code.value].fix.zh,
    )
    for code in ErrorCode
    if code.value in ERRORS
}


class BimailError(Exception):
    """A failure the user sees: one catalogue code plus what exactly happened.

    ``detail`` says what happened: a :class:`~.texts.Msg` of the catalogue (rendered in the
    user's language when shown) or a plain text shown as is in every language (a server's
    reply, a file name). It must never contain a secret. ``fix`` replaces the code's own fix
    when this failure has a more precise one. ``error.detail`` is the English rendering.
    """

    def __init__(
        self,
        code: ErrorCode,
        detail: str | Msg = "",
        *,
        field: str | None = None,
        server_reply: str | None = None,
        extra: dict[str, Any] | None = None,
        fix: Msg | None = None,
    ) -> None:
        self.code = ErrorCode(code)
        self.problem: str | Msg = detail
        self.field = field
        self.server_reply = server_reply
        self.extra: dict[str, Any] = dict(extra or {})
        self.fix_msg = fix
        super().__init__(self.message())

    @property
    def detail(self) -> str:
        """What exactly happened, in English ("" when the code says it all)."""
        return self.detail_text()

    @detail.setter
    def detail(self, text: str) -> None:
        self.problem = text

    @property
    def info(self) -> ErrorInfo:
        return CATALOGUE[self.code]

    def problem_text(self, lang: str = "en") -> str:
        """What is wrong, without the field's name (shown right next to that field)."""
        return render(self.problem, lang)

    def detail_text(self, lang: str = "en") -> str:
        """What exactly happened, in ``lang``."""
        return self.problem_text(lang)

    def message(self, lang: str = "en") -> str:
        title, explanation, _fix = self.info.text(lang)
        detail = self.detail_text(lang)
        if not detail:
            return f"{title}。{explanation}" if is_chinese(lang) else f"{title}. {explanation}"
        return f"{title}：{detail}" if is_chinese(lang) else f"{title}: {detail}"

    def fix(self, lang: str = "en") -> str:
        if self.fix_msg is not None:
            return self.fix_msg.render(lang)
        return self.info.text(lang)[2]

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        title, explanation, _fix = self.info.text(lang)
        data: dict[str, Any] = {
            "code": self.code.value,
            "title": title,
            "message": self.message(lang),
            "explanation": explanation,
            "fix": self.fix(lang),
        }
        if self.field:
            data["field"] = self.field
        if self.server_reply:
            data["server_reply"] = self.server_reply
        data.update({key: render(value, lang) if isinstance(value, Msg) else value
                     for key, value in self.extra.items()})
        return data


class InvalidInput(BimailError):
    """Bad input in one named field; nothing was changed.

    ``InvalidInput("port", Msg("port.not_number", v="abc"))``: English detail
    "port: 'abc' is not a number; …", Chinese "端口：“abc”不是数字；…".
    """

    def __init__(self, field: str, problem: str | Msg) -> None:
        super().__init__(ErrorCode.INVALID_INPUT, problem, field=field)

    def detail_text(self, lang: str = "en") -> str:
        return join_field(self.field or "", self.problem_text(lang), lang)

    def field_label(self, lang: str = "en") -> str:
        """The field's name as the user reads it in ``lang``."""
        return field_name(self.field or "", lang)
