"""SMTP login (SASL): PLAIN, LOGIN, CRAM-MD5 and XOAUTH2, and which one to use.

:func:`choose` picks the strongest mechanism the server offers that the credentials allow:
an OAuth2 access token logs in with XOAUTH2 only; a password with CRAM-MD5 (the password
never crosses the wire), else PLAIN, else LOGIN. :func:`run` plays the exchange over a
``say(line) -> Reply`` function given by the client; every line it says carries a secret
and is marked so (the client writes it to the transcript as ``********``).

XOAUTH2: the client sends ``AUTH XOAUTH2 <base64("user=U\\x01auth=Bearer T\\x01\\x01")>``.
A server that accepts answers ``235``; one that refuses answers ``334 <base64 JSON>``, the
client then sends an empty line and the server ends with ``535`` (Microsoft answers ``535``
at once).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Mechanism(StrEnum):
    XOAUTH2 = "XOAUTH2"
    CRAM_MD5 = "CRAM-MD5"
    PLAIN = "PLAIN"
    LOGIN = "LOGIN"


PASSWORD_MECHANISMS: tuple[Mechanism, ...] = (Mechanism.CRAM_MD5, Mechanism.PLAIN,
                                              Mechanism.LOGIN)
TOKEN_MECHANISMS: tuple[Mechanism, ...] = (Mechanism.XOAUTH2,)


def offered(auth_capability: str) -> list[str]:
    """The mechanisms of an EHLO ``AUTH`` line ("PLAIN LOGIN" -> ["PLAIN", "LOGIN"])."""
    return [m for m in auth_capability.upper().split() if m]


def usable(offered_mechanisms: Iterable[str], *, token: bool) -> list[Mechanism]:
    """What the program can use of ``offered_mechanisms``, best first."""
    have = {m.upper() for m in offered_mechanisms}
    order = TOKEN_MECHANISMS if token else PASSWORD_MECHANISMS
    return [m for m in order if m.value in have]


def choose(offered_mechanisms: Iterable[str], *, token: bool) -> Mechanism | None:
    """The strongest usable mechanism, or None when the server offers none of them."""
    found = usable(offered_mechanisms, token=token)
    return found[0] if found else None


@dataclass(frozen=True)
class Reply:
    """What the server answered one line (code, text lines without the code)."""

    code: int
    lines: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Outcome:
    """The end of an exchange: the final reply, and the JSON error of an XOAUTH2 refusal."""

    reply: Reply
    xoauth2_error: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.reply.code == 235


Say = Callable[[str], Reply]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def xoauth2_string(user: str, token: str) -> str:
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def parse_xoauth2_error(text: str) -> dict[str, Any]:
    """The server's JSON error from a 334 challenge ({} when it is not JSON)."""
    try:
        decoded = base64.b64decode(text.strip(), validate=True).decode("utf-8", "replace")
        data = json.loads(decoded)
    except (binascii.Error, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def cram_md5_response(username: str, password: str, challenge_b64: str) -> str:
    challenge = base64.b64decode(challenge_b64.strip() or b"")
    digest = hmac.new(password.encode("utf-8"), challenge, hashlib.md5).hexdigest()
    return _b64(f"{username} {digest}")


def run(mechanism: Mechanism, username: str, secret: str, say: Say) -> Outcome:
    """Log in with ``mechanism``; ``secret`` is the password, or the access token for
    XOAUTH2. Never raises for a refusal: the outcome carries the server's final reply."""
    if mechanism is Mechanism.XOAUTH2:
        reply = say(f"AUTH XOAUTH2 {_b64(xoauth2_string(username, secret))}")
        error: dict[str, Any] = {}
        if reply.code == 334:
            error = parse_xoauth2_error(reply.text)
            reply = say("")
        return Outcome(reply, error)
    if mechanism is Mechanism.PLAIN:
        payload = _b64(f"\0{username}\0{secret}")
        reply = say(f"AUTH PLAIN {payload}")
        if reply.code == 334:  # a server that wants the payload after an empty challenge
            reply = say(payload)
        return Outcome(reply)
    if mechanism is Mechanism.LOGIN:
        # answer the challenges in order (some servers reject an initial response)
        reply = say("AUTH LOGIN")
        for answer in (username, secret):
            if reply.code != 334:
                break
            reply = say(_b64(answer))
        return Outcome(reply)
    reply = say("AUTH CRAM-MD5")
    if reply.code == 334:
        try:
            response = cram_md5_response(username, secret, reply.text)
        except (binascii.Error, ValueError):
            response = "*"  # a challenge that is not base64: cancel the exchange
        reply = say(response)
    return Outcome(reply)


def describe_xoauth2_error(error: dict[str, Any]) -> str:
    """"status 401, scope needed: https://mail.google.com/" from the server's JSON."""
    parts = []
    if error.get("status"):
        parts.append(f"status {error['status']}")
    if error.get("scope"):
        parts.append(f"scope needed: {error['scope']}")
    return ", ".join(parts)
