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
import smtplib
from collections.abc import Callable

from ..domain.errors import BimailError, ErrorCode
from ..domain.texts import Msg
from . import auth as sasl
from .protocol import REDACTED, Redactor, decode_reply

REDACTED_COMMAND = f"AUTH XOAUTH2 {REDACTED}"


def xoauth2_string(user: str, token: str) -> str:
    return sasl.xoauth2_string(user, token)


def initial_response(user: str, token: str) -> str:
    """The base64 argument of ``AUTH XOAUTH2``."""
    return base64.b64encode(xoauth2_string(user, token).encode("utf-8")).decode("ascii")


parse_error_challenge = sasl.parse_xoauth2_error
describe_error = sasl.describe_xoauth2_error


def offers_xoauth2(smtp: smtplib.SMTP) -> bool:
    mechanisms = smtp.esmtp_features.get("auth", "").upper().split()
    return "XOAUTH2" in mechanisms


def authenticate(
    smtp: smtplib.SMTP,
    user: str,
    token: str,
    *,
    transcript: Callable[[str, str], None] | None = None,
) -> None:
    """Log in with XOAUTH2 on a connected ``smtplib.SMTP`` after EHLO (for programs that
    bring their own smtplib connection; the program's own client is ``client.py``). The
    exchange is :func:`bimail_desktop.mail.auth.run`'s. Raises ``auth_unsupported`` when
    the server does not offer XOAUTH2 and ``auth_failed`` (redacted server reply attached)
    when it refuses the token."""
    if not offers_xoauth2(smtp):
        offered = smtp.esmtp_features.get("auth", "").strip() or "none"
        raise BimailError(
            ErrorCode.AUTH_UNSUPPORTED,
            Msg("smtp.xoauth2_not_offered", offered=offered),
        )
    redactor = Redactor.for_credentials(user, None, token)

    def say(line: str) -> sasl.Reply:
        if transcript is not None:
            transcript("C", REDACTED_COMMAND if line.startswith("AUTH") else "")
        code, reply = smtp.docmd(line)
        text = decode_reply(reply)
        if transcript is not None:
            transcript("S", redactor.text(f"{code} {text}"))
        return sasl.Reply(code, tuple(text.split("\n")))

    outcome = sasl.run(sasl.Mechanism.XOAUTH2, user, token, say)
    if outcome.ok:
        return
    detail = describe_error(outcome.xoauth2_error)
    error = BimailError(
        ErrorCode.AUTH_FAILED,
        Msg("smtp.xoauth2_refused", detail=f" ({detail})" if detail else ""),
        server_reply=f"{outcome.reply.code} {' '.join(outcome.reply.lines)}",
        extra={"xoauth2_error": outcome.xoauth2_error} if outcome.xoauth2_error else None,
    )
    raise redactor.error(error)
