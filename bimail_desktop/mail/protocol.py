"""The SMTP wire rules every conversation of the program follows, in one place.

- **Bounded replies.** A reply is read against a deadline for the whole reply (not per
  ``recv``): a server that drips a greeting one byte at a time still ends as a timeout when
  the step's time is up. A reply may have at most :data:`MAX_REPLY_LINES` lines and
  :data:`MAX_REPLY_BYTES` bytes; a longer one ends the conversation with a protocol error
  that quotes the server's first words (memory stays bounded whatever the server sends).
- **One way to read server text**: :func:`decode_reply` (UTF-8, else GBK as QQ and 163
  answer, else Latin-1).
- **One IDNA helper**: :func:`idna_address` for envelope addresses.
- **One pin comparison**: :func:`pin_matches`, constant time.
- **One redaction**: :class:`Redactor` removes every form of every secret in play (the
  password, its base64, the AUTH PLAIN and LOGIN payloads, the OAuth2 access token and its
  XOAUTH2 base64) from whatever the server says, before it is kept in a record, logged,
  shown or printed. The marker is :data:`REDACTED`.
"""

from __future__ import annotations

import base64
import hmac
import socket
import time
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from bimail_desktop.domain.errors import BimailError
from bimail_desktop.domain.texts import Msg

E = TypeVar("E", bound=BimailError)

MAX_REPLY_LINES = 100
MAX_REPLY_BYTES = 64 * 1024
REDACTED = "********"
_FIRST_WORDS = 60  # characters of an over-long reply quoted in the error


# --------------------------------------------------------------------------- errors


class ReplyTimeout(TimeoutError):
    """The whole reply did not arrive before the step's deadline."""


class ServerClosed(ConnectionError):
    """The server closed the connection (``partial``: what it had said of the reply)."""

    def __init__(self, partial: bytes = b"") -> None:
        super().__init__("the server closed the connection")
        self.partial = partial


class ProtocolViolation(OSError):
    """The server's answer is not SMTP or exceeds the bounds; ``first_words`` quotes it.
    An ``OSError`` like every other broken connection, so that callers that give up on a
    broken connection give up on this one too."""

    def __init__(self, problem: str, first_words: str) -> None:
        super().__init__(f"{problem}: {first_words!r}")
        self.problem = problem
        self.first_words = first_words


# --------------------------------------------------------------------------- reading


def decode_reply(raw: bytes | str | None) -> str:
    """A server reply as text: UTF-8, else GBK (QQ, 163 answer in GBK), else Latin-1."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw.strip()
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding).strip()
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1").strip()


def _first_words(data: bytes | bytearray) -> str:
    text = decode_reply(bytes(data[: _FIRST_WORDS * 4]))
    text = " ".join(text.split())
    return text[:_FIRST_WORDS] + ("…" if len(text) > _FIRST_WORDS else "")


class ReplyReader:
    """Reads SMTP replies from one socket (plain or TLS) within deadlines and bounds.

    Bytes after a reply stay buffered for the next one (pipelining servers). Create a new
    reader when the socket is replaced (after STARTTLS the buffer must be empty anyway)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buffer = bytearray()

    def read_reply(self, deadline: float) -> tuple[int, list[bytes]]:
        """One reply: (code, lines without the code). ``deadline``: ``time.monotonic()``
        value by which the whole reply must have arrived.

        Raises :class:`ReplyTimeout`, :class:`ServerClosed` or :class:`ProtocolViolation`
        (reply not SMTP, over :data:`MAX_REPLY_LINES` lines or :data:`MAX_REPLY_BYTES`)."""
        previous = self.sock.gettimeout()
        try:
            return self._read_reply(deadline)
        finally:
            try:
                self.sock.settimeout(previous)
            except OSError:
                pass

    def _read_reply(self, deadline: float) -> tuple[int, list[bytes]]:
        lines: list[bytes] = []
        total = 0
        code = -1
        while True:
            line = self._read_line(deadline, MAX_REPLY_BYTES - total)
            total += len(line)
            text = line.rstrip(b"\r\n")
            head = text[:3]
            if len(text) < 3 or not head.isdigit() or (len(text) > 3 and text[3:4] not in b" -"):
                raise ProtocolViolation("the server's answer is not SMTP",
                                        _first_words(b"\n".join([*lines, text])))
            this_code = int(head)
            if code != -1 and this_code != code:
                raise ProtocolViolation("the server's reply mixes codes",
                                        _first_words(b"\n".join([*lines, text])))
            code = this_code
            lines.append(text[4:])
            if text[3:4] != b"-":
                return code, lines
            if len(lines) >= MAX_REPLY_LINES:
                raise ProtocolViolation(
                    f"the server's reply has more than {MAX_REPLY_LINES} lines",
                    _first_words(f"{code}-".encode() + lines[0]),
                )

    def _read_line(self, deadline: float, budget: int) -> bytes:
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                if end + 1 > budget:
                    raise ProtocolViolation(
                        f"the server's reply is longer than {MAX_REPLY_BYTES // 1024} KB",
                        _first_words(self._buffer),
                    )
                line = bytes(self._buffer[: end + 1])
                del self._buffer[: end + 1]
                return line
            if len(self._buffer) >= budget:
                raise ProtocolViolation(
                    f"the server's reply is longer than {MAX_REPLY_BYTES // 1024} KB",
                    _first_words(self._buffer),
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ReplyTimeout("no complete reply before the deadline")
            self.sock.settimeout(remaining)
            try:
                data = self.sock.recv(min(65536, budget - len(self._buffer) + 1))
            except TimeoutError:
                raise ReplyTimeout("no complete reply before the deadline") from None
            if not data:
                partial = bytes(self._buffer)
                self._buffer.clear()
                raise ServerClosed(partial)
            self._buffer += data


def send_all(sock: socket.socket, data: bytes, deadline: float) -> None:
    """Write ``data`` before ``deadline`` (a server that stops reading cannot hold us)."""
    view = memoryview(data)
    while view:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ReplyTimeout("the server did not take the data before the deadline")
        sock.settimeout(remaining)
        try:
            sent = sock.send(view[: 256 * 1024])
        except TimeoutError:
            raise ReplyTimeout("the server did not take the data before the deadline") from None
        view = view[sent:]


# --------------------------------------------------------------------------- addresses, pins


def idna_address(address: str) -> str:
    """Domain part IDNA-encoded ('用户@例子.cn' -> '用户@xn--fsqu00a.cn')."""
    address = address.strip()
    local, sep, domain = address.rpartition("@")
    if not sep or domain.isascii():
        return address
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return address


def pin_matches(actual_sha256: str, pins: Iterable[str]) -> bool:
    """Is ``actual_sha256`` (hex) one of ``pins``? Constant time per comparison."""
    actual = actual_sha256.strip().lower().replace(":", "").encode("ascii", "replace")
    found = False
    for pin in pins:
        expected = pin.strip().lower().replace(":", "").encode("ascii", "replace")
        found |= hmac.compare_digest(actual, expected)
    return found and bool(actual)


# --------------------------------------------------------------------------- redaction


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _embedded_cores(secret: bytes) -> set[str]:
    """Base64 text that appears whenever ``secret`` is embedded at any offset of a longer
    base64-encoded string (the three alignments, without the edge characters that depend
    on the neighbouring bytes)."""
    cores: set[str] = set()
    for shift in range(3):
        encoded = _b64(b"\0" * shift + secret)
        start = -(-8 * shift // 6)  # first character made of the secret's bits only
        end = 8 * (shift + len(secret)) // 6  # past the last such character
        core = encoded[start:end]
        if len(core) >= 8:
            cores.add(core)
    return cores


class Redactor:
    """Removes every form of the secrets in play from text."""

    def __init__(self) -> None:
        self._forms: set[str] = set()
        self._sorted: list[str] = []

    @classmethod
    def for_credentials(
        cls, username: str = "", password: str | None = None, token: str | None = None
    ) -> Redactor:
        redactor = cls()
        if password:
            redactor.add_password(username, password)
        if token:
            redactor.add_token(username, token)
        return redactor

    def add_password(self, username: str, password: str) -> None:
        pw = password.encode("utf-8", "replace")
        user = username.encode("utf-8", "replace")
        forms = {password, _b64(pw), _b64(b"\0" + user + b"\0" + pw), _b64(user + b"\0" + pw),
                 _b64(b"\0" + pw)}
        forms |= _embedded_cores(pw)
        self._add(forms)

    def add_token(self, username: str, token: str) -> None:
        tok = token.encode("utf-8", "replace")
        xoauth = f"user={username}\x01auth=Bearer {token}\x01\x01".encode("utf-8", "replace")
        forms = {token, _b64(tok), _b64(xoauth)}
        forms |= _embedded_cores(tok)
        self._add(forms)

    def _add(self, forms: Iterable[str]) -> None:
        self._forms |= {f for f in forms if f}
        self._sorted = sorted(self._forms, key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self._forms)

    def text(self, text: str) -> str:
        for form in self._sorted:
            if form in text:
                text = text.replace(form, REDACTED)
        return text

    def value(self, value: Any) -> Any:
        """``value`` with every string in it redacted (dicts, lists, tuples walked)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.value(v) for v in value)
        return value

    def error(self, error: E) -> E:
        """Redact a :class:`BimailError` in place (detail, server reply, extra) and return
        it; the exception's own message is rebuilt from the redacted detail."""
        if not self._forms:
            return error
        if isinstance(error.problem, Msg):  # the catalogue's words stay; its values redacted
            error.problem = Msg(error.problem.key, **self.value(dict(error.problem.params)))
        else:
            error.detail = self.text(error.detail or "")
        if error.server_reply:
            error.server_reply = self.text(error.server_reply)
        error.extra = self.value(dict(error.extra))
        error.args = (self.text(str(error.args[0])) if error.args else "",)
        return error


NO_SECRETS = Redactor()


def deadline_after(seconds: float) -> float:
    return time.monotonic() + max(0.0, seconds)

