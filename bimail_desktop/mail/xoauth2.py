"""SASL XOAUTH2 for SMTP (Google's and Microsoft's OAuth2 login for mail).

The client sends ``AUTH XOAUTH2 <base64("user=U\\x01auth=Bearer T\\x01\\x01")>``. A server
that accepts answers ``235``. One that refuses answers ``334 <base64 JSON>`` (e.g.
``{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}``); the client
must then send an empty line, and the server ends with ``535``. Microsoft answers ``535``
at once.

:func:`authenticate` runs that exchange on a connected ``smtplib.SMTP`` after EHLO. The
token never reaches a transcript line, an exception or a log.
"""

from __future__ import annotations

import base64
import binascii
import json
import smtplib
from collections.abc import Callable
from typing import Any

from ..domain.errors import BimailError, ErrorCode

REDACTED_COMMAND = "AUTH XOAUTH2 [redacted]"


def xoauth2_string(user: str, token: str) -> str:
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def initial_response(user: str, token: str) -> str:
    """The base64 argument of ``AUTH XOAUTH2``."""
    return base64.b64encode(xoauth2_string(user, token).encode("utf-8")).decode("ascii")


def parse_error_challenge(text: str) -> dict[str, Any]:
    """The server's JSON error from a 334 challenge ({} when it is not JSON)."""
    try:
        decoded = base64.b64decode(text.strip(), validate=True).decode("utf-8", "replace")
        data = json.loads(decoded)
    except (binascii.Error, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def offers_xoauth2(smtp: smtplib.SMTP) -> bool:
    mechanisms = smtp.esmtp_features.get("auth", "").upper().split()
    return "XOAUTH2" in mechanisms


def _reply_text(reply: bytes | str) -> str:
    if isinstance(reply, bytes):
        try:
            return reply.decode("utf-8")
        except UnicodeDecodeError:
            return reply.decode("gbk", "replace")
    return reply


def describe_error(error: dict[str, Any]) -> str:
    """"status 401, scope https://mail.google.com/" from the server's JSON."""
    parts = []
    if error.get("status"):
        parts.append(f"status {error['status']}")
    if error.get("scope"):
        parts.append(f"scope needed: {error['scope']}")
    return ", ".join(parts)


def authenticate(
    smtp: smtplib.SMTP,
    user: str,
    token: str,
    *,
    transcript: Callable[[str, str], None] | None = None,
) -> None:
    """Log in with XOAUTH2 (after EHLO, over TLS). Raises ``auth_unsupported`` when the
    server does not offer XOAUTH2 and ``auth_failed`` (server reply attached) when it
    refuses the token."""
    if not offers_xoauth2(smtp):
        offered = smtp.esmtp_features.get("auth", "").strip() or "none"
        raise BimailError(
            ErrorCode.AUTH_UNSUPPORTED,
            f"the server does not offer OAuth2 login (XOAUTH2); it offers: {offered}",
        )

    def say(direction: str, line: str) -> None:
        if transcript is not None:
            transcript(direction, line)

    say("C", REDACTED_COMMAND)
    code, reply = smtp.docmd("AUTH", "XOAUTH2 " + initial_response(user, token))
    text = _reply_text(reply)
    say("S", f"{code} {text}")
    error: dict[str, Any] = {}
    if code == 334:
        error = parse_error_challenge(text)
        say("C", "")
        code, reply = smtp.docmd("")
        text = _reply_text(reply)
        say("S", f"{code} {text}")
    if code == 235:
        return
    detail = describe_error(error)
    raise BimailError(
        ErrorCode.AUTH_FAILED,
        "the server refused the OAuth2 access token"
        + (f" ({detail})" if detail else "")
        + "; check that the app has the mail-sending permission and that SMTP AUTH is "
        "enabled for the mailbox",
        server_reply=f"{code} {text}",
        extra={"xoauth2_error": error} if error else None,
    )
