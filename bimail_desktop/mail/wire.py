"""Wire-level helpers of the SMTP client: EHLO capabilities, a TLS handshake within a
deadline, the message as sent (flattened, dot-stuffed), the certificate chain, and the
quick probes that tell what a port speaks when the chosen encryption does not match it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import selectors
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.policy import EmailPolicy
from io import BytesIO
from typing import Any

from bimail_desktop.mail import smtp_errors
from bimail_desktop.mail.protocol import ReplyReader, deadline_after, decode_reply, send_all
from bimail_desktop.mail.tls import certificate_info, unverified_context

IN_PROGRESS = {errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN, 10035}  # 10035: Windows
_REFUSED = {errno.ECONNREFUSED, 10061}  # 10061: WSAECONNREFUSED


def parse_capabilities(lines: Sequence[str]) -> dict[str, str]:
    """EHLO lines (without the greeting line) -> {keyword (lower case): parameters}.
    ``AUTH=PLAIN LOGIN`` (an old form some servers still send) counts as AUTH."""
    features: dict[str, str] = {}
    for line in lines:
        keyword, _, params = line.strip().partition(" ")
        if not keyword:
            continue
        if keyword.upper().startswith("AUTH="):
            extra = keyword[5:] + (" " + params if params else "")
            features["auth"] = " ".join(filter(None, [features.get("auth", ""), extra]))
            continue
        key = keyword.lower()
        if key == "auth" and "auth" in features:
            features["auth"] = f"{features['auth']} {params}".strip()
        else:
            features[key] = params.strip()
    return features


def handshake_within(tls_sock: ssl.SSLSocket, deadline: float) -> None:
    """The TLS handshake, finished before ``deadline`` however slowly the server answers."""
    tls_sock.setblocking(False)
    try:
        with selectors.DefaultSelector() as sel:
            sel.register(tls_sock, selectors.EVENT_READ)
            while True:
                try:
                    tls_sock.do_handshake()
                    return
                except ssl.SSLWantReadError:
                    events = selectors.EVENT_READ
                except ssl.SSLWantWriteError:
                    events = selectors.EVENT_WRITE
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("TLS handshake timed out")
                sel.modify(tls_sock, events)
                sel.select(timeout=remaining)
    finally:
        with contextlib.suppress(OSError):
            tls_sock.setblocking(True)


def connect_error(err: int) -> OSError:
    if err in _REFUSED:
        return ConnectionRefusedError(err, "Connection refused")
    if err in (errno.ETIMEDOUT, 10060):
        return TimeoutError(err, "Connection timed out")
    return OSError(err, os.strerror(err))


def pretty_sha256(sha256: str) -> str:
    return ":".join(sha256[i : i + 2] for i in range(0, len(sha256), 2)).upper() or "(none)"


def peer_chain(tls_sock: ssl.SSLSocket) -> list[dict[str, Any]]:
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
                          "sha256": info.sha256, "not_after": info.not_after.isoformat()})
    except Exception:  # noqa: BLE001 - the chain is a nicety, the leaf is what counts
        return chain
    return chain


def flatten(msg: EmailMessage, *, utf8: bool) -> bytes:
    """The message as sent: CRLF line ends, Bcc removed (like smtplib.send_message)."""
    copy = msg
    if msg.get_all("Bcc") or msg.get_all("Resent-Bcc"):
        import copy as _copy

        copy = _copy.copy(msg)
        del copy["Bcc"]
        del copy["Resent-Bcc"]
    out = BytesIO()
    policy = msg.policy
    if utf8 and isinstance(policy, EmailPolicy):
        policy = policy.clone(utf8=True)
    BytesGenerator(out, policy=policy).flatten(copy, linesep="\r\n")
    return out.getvalue()


def dot_stuff(payload: bytes) -> bytes:
    data = payload.replace(b"\r\n.", b"\r\n..")
    if data.startswith(b"."):
        data = b"." + data
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


# ---------------------------------------------------------------------- probes, certificates


def probe_speaks_ssl(host: str, port: int, timeout: float,
                     event: Callable[[str], None] | None = None) -> bool:
    """Does host:port answer a TLS handshake? (Tells "port expects SSL" from a dead
    server when nothing greets.)"""
    if event is not None:
        event(f"probing whether port {port} speaks SSL")
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw:
            with unverified_context().wrap_socket(raw, server_hostname=host):
                if event is not None:
                    event(f"port {port} completed an SSL handshake")
                return True
    except (ssl.SSLEOFError, ssl.SSLZeroReturnError):
        return False
    except ssl.SSLError as exc:
        return (exc.reason or "").upper() not in smtp_errors.WRONG_MODE_REASONS
    except OSError:
        return False


def probe_plain(host: str, port: int, timeout: float, *, ehlo_name: str = "[127.0.0.1]",
                event: Callable[[str], None] | None = None) -> str | None:
    """'tls' when the port greets in plain text and offers STARTTLS, 'none' when it greets
    without STARTTLS, None when it does not speak SMTP in plain text."""
    if event is not None:
        event(f"probing whether port {port} speaks plain SMTP")
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            reader = ReplyReader(sock)
            deadline = deadline_after(timeout)
            code, _lines = reader.read_reply(deadline)
            if code != 220:
                return None
            send_all(sock, f"EHLO {ehlo_name}\r\n".encode(), deadline)
            code, lines = reader.read_reply(deadline)
            if code != 250:
                return "none"
            speaks = "tls" if "starttls" in parse_capabilities(
                [decode_reply(x) for x in lines[1:]]) else "none"
            with contextlib.suppress(OSError):
                send_all(sock, b"QUIT\r\n", deadline)
            return speaks
    except OSError:
        return None
