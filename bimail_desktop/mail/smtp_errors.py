"""Every SMTP / TLS / socket failure becomes exactly one catalogue code.

Matching is done on exception types, OpenSSL's ``verify_code`` and ``reason``, SMTP reply
codes and enhanced status codes (RFC 3463) — not on message text, which varies by OpenSSL
version, OS and provider. The order matters because they are all ``OSError`` subclasses:
``ssl.SSLCertVerificationError`` → ``ssl.SSLError`` → ``smtplib.SMTP*`` → ``OSError``.

Provider-specific advice (QQ authorisation code, Gmail app password, Microsoft 365 SMTP AUTH)
is chosen from the server's host name (the provider presets) and enhanced codes; reply text
is consulted only where providers give nothing else to go by.
"""

from __future__ import annotations

import errno
import re
import smtplib
import socket
import ssl
from enum import StrEnum

from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.domain.models import Encryption
from bimail_desktop.domain.providers import provider_by_host
from bimail_desktop.mail.protocol import ProtocolViolation, decode_reply

__all__ = ["decode_reply"]  # re-exported: the one reply decoder lives in protocol.py


class Stage(StrEnum):
    """Where in the conversation a failure happened (decides e.g. 5xx → which code)."""

    DNS = "dns"  # name resolution
    CONNECT = "connect"  # TCP
    GREETING = "greeting"  # waiting for 220
    TLS = "tls"  # SSL handshake or STARTTLS
    EHLO = "ehlo"
    AUTH = "auth"
    MAIL = "mail"
    RCPT = "rcpt"
    DATA = "data"
    QUIT = "quit"


_ENHANCED = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")


def enhanced_code(reply: str) -> str:
    """The first RFC 3463 enhanced status code in ``reply`` ("5.7.139"), or ""."""
    match = _ENHANCED.search(reply)
    return ".".join(match.groups()) if match else ""


# --- provider-specific details -----------------------------------------------------------

_QQ_LIKE = {"qq", "exmail", "163", "126"}
_MICROSOFT = {"outlook", "office365"}

DETAIL_QQ_AUTH = (
    "The server refused the login. QQ, 163 and 126 mailboxes need the authorisation code "
    "(授权码) generated in the mailbox's web settings, not the mailbox password; POP3/SMTP "
    "must be enabled there too."
)
DETAIL_GMAIL_APP_PASSWORD = (
    "Gmail needs an app password (2-Step Verification is on): create one at "
    "myaccount.google.com/apppasswords and use it instead of the account password, or use OAuth2."
)
DETAIL_MICROSOFT_BASIC_AUTH = (
    "Microsoft 365 refused password login: SMTP AUTH (basic authentication) is disabled for "
    "this mailbox or tenant. An administrator must enable 'Authenticated SMTP' for the mailbox "
    "in the Microsoft 365 admin center, or sign in with OAuth2."
)
DETAIL_163_NO_PERMISSION = (
    "The mailbox is not allowed to send by SMTP: enable POP3/SMTP (or IMAP/SMTP) in the "
    "mailbox's web settings and use the authorisation code it shows as the password."
)
DETAIL_AUTH_GENERIC = (
    "The server refused the user name or password. Check both; many providers need an "
    "authorisation code or app password instead of the mailbox password."
)


def _provider_id(host: str) -> str:
    provider = provider_by_host(host) if host else None
    return provider.id if provider is not None else ""


def _auth_detail(host: str, code: int, reply: str) -> str:
    enhanced = enhanced_code(reply)
    provider = _provider_id(host)
    if enhanced in ("5.7.139", "5.7.30") or (provider in _MICROSOFT and enhanced == "5.7.3"):
        return DETAIL_MICROSOFT_BASIC_AUTH
    if code == 534 and enhanced == "5.7.9":
        return DETAIL_GMAIL_APP_PASSWORD
    if provider == "gmail":
        return DETAIL_GMAIL_APP_PASSWORD
    if provider in _QQ_LIKE:
        return DETAIL_QQ_AUTH
    lowered = reply.lower()
    # QQ-hosted custom domains answer "Please enter your authorization code"; nothing but the
    # text tells this apart, so it is the one place where the text is looked at.
    if "authorization code" in lowered or "授权码" in reply:
        return DETAIL_QQ_AUTH
    if provider in _MICROSOFT:
        return DETAIL_MICROSOFT_BASIC_AUTH
    return DETAIL_AUTH_GENERIC


_AT = {
    Stage.GREETING: " instead of greeting",
    Stage.EHLO: " after EHLO",
    Stage.AUTH: " at login",
    Stage.MAIL: " at MAIL FROM",
    Stage.RCPT: " at RCPT TO",
    Stage.DATA: " at DATA",
}


def _reply_text(code: int, reply: str) -> str:
    return f"{code} {reply}".strip() if code > 0 else reply


def from_reply(
    code: int,
    raw_reply: bytes | str | None,
    stage: Stage,
    *,
    host: str = "",
    encrypted: bool = True,
    recipient: str | None = None,
) -> BimailError:
    """The error for an SMTP reply ``code`` at ``stage``."""
    reply = decode_reply(raw_reply)
    server_reply = _reply_text(code, reply)
    enhanced = enhanced_code(reply)

    def err(error_code: ErrorCode, detail: str, **extra: object) -> BimailError:
        return BimailError(error_code, detail, server_reply=server_reply, extra=dict(extra))

    if code == 421:
        return err(
            ErrorCode.DISCONNECTED,
            f"The server closed the connection{_AT.get(stage, '')}: {server_reply}",
        )
    if code in (-1, 0) or code < 200:
        return err(ErrorCode.DISCONNECTED, f"The server sent an answer that is not SMTP: {reply!r}")

    if stage is Stage.AUTH:
        if code == 530 or enhanced == "5.7.11":
            if not encrypted:
                return err(
                    ErrorCode.AUTH_REQUIRES_TLS,
                    f"The server accepts a login only over an encrypted connection: {server_reply}",
                )
            return err(ErrorCode.AUTH_FAILED, _auth_detail(host, code, reply))
        if code in (502, 504) or enhanced == "5.5.4":
            return err(
                ErrorCode.AUTH_UNSUPPORTED,
                f"The server does not support this login method: {server_reply}",
            )
        if 400 <= code < 500:
            return err(ErrorCode.TEMPORARY_FAILURE, f"Login temporarily refused: {server_reply}")
        return err(ErrorCode.AUTH_FAILED, _auth_detail(host, code, reply))

    if 400 <= code < 500:
        what = {
            Stage.MAIL: "The sender",
            Stage.RCPT: "The recipient",
            Stage.DATA: "The message",
        }.get(stage, "The request")
        return err(
            ErrorCode.TEMPORARY_FAILURE, f"{what} was deferred by the server: {server_reply}"
        )

    # 5xx (and anything else unexpected)
    if code == 530:
        if not encrypted:
            return err(
                ErrorCode.AUTH_REQUIRES_TLS,
                f"The server requires encryption (or a login) first: {server_reply}",
            )
        return err(
            ErrorCode.AUTH_FAILED,
            "The server requires a login before it accepts mail: enter the user name and "
            f"password. ({server_reply})",
        )
    if enhanced in ("5.7.30", "5.7.139", "5.7.57"):
        return err(ErrorCode.AUTH_FAILED, DETAIL_MICROSOFT_BASIC_AUTH)
    if stage is Stage.MAIL:
        provider = _provider_id(host)
        if code == 550 and (provider in ("163", "126") or "no permission" in reply.lower()):
            return err(ErrorCode.SENDER_REJECTED, DETAIL_163_NO_PERMISSION)
        return err(
            ErrorCode.SENDER_REJECTED, f"The server refused the sender address: {server_reply}"
        )
    if stage is Stage.RCPT:
        who = f" {recipient}" if recipient else ""
        return err(
            ErrorCode.RECIPIENT_REJECTED,
            f"The server refused the recipient{who}: {server_reply}",
        )
    if stage is Stage.DATA:
        return err(ErrorCode.MESSAGE_REJECTED, f"The server refused the message: {server_reply}")
    if stage in (Stage.GREETING, Stage.EHLO):
        return err(
            ErrorCode.DISCONNECTED,
            f"The server refused to talk to this computer: {server_reply}",
        )
    if stage is Stage.TLS:
        return err(
            ErrorCode.STARTTLS_UNSUPPORTED,
            f"The server refused STARTTLS: {server_reply}. Nothing was sent in clear text.",
        )
    return err(ErrorCode.DISCONNECTED, f"Unexpected answer from the server: {server_reply}")


# --- certificate verification ------------------------------------------------------------

# OpenSSL X509_V_ERR_*
_OPENSSL_UNTRUSTED = {2, 18, 19, 20, 21, 27, 28, 29, 24, 25, 26, 32}
_OPENSSL_EXPIRED = {9, 10}
_OPENSSL_HOSTNAME = {62, 64}
# macOS Security framework (truststore)
_MAC_UNTRUSTED = {-67843, -67808, -67862}
_MAC_EXPIRED = {-67818, -67819}
_MAC_HOSTNAME = {-67602}
# Windows CERT_E_* (truststore), compared as unsigned 32-bit values
_WIN_UNTRUSTED = {0x800B0109, 0x800B010A, 0x800B0111, 0x800B0112, 0x80096004}
_WIN_EXPIRED = {0x800B0101}
_WIN_HOSTNAME = {0x800B010F}


def _verification_code(exc: ssl.SSLCertVerificationError) -> ErrorCode:
    code = getattr(exc, "verify_code", None)
    if isinstance(code, int):
        unsigned = code & 0xFFFFFFFF
        if code in _OPENSSL_HOSTNAME or code in _MAC_HOSTNAME or unsigned in _WIN_HOSTNAME:
            return ErrorCode.TLS_HOSTNAME_MISMATCH
        if code in _OPENSSL_EXPIRED or code in _MAC_EXPIRED or unsigned in _WIN_EXPIRED:
            return ErrorCode.TLS_EXPIRED
        if code in _OPENSSL_UNTRUSTED or code in _MAC_UNTRUSTED or unsigned in _WIN_UNTRUSTED:
            return ErrorCode.TLS_UNTRUSTED
    # CPython's own hostname check (ssl.match_hostname was removed; OpenSSL reports 62/64)
    return ErrorCode.TLS_UNTRUSTED


WRONG_MODE_REASONS = {
    "WRONG_VERSION_NUMBER",
    "RECORD_LAYER_FAILURE",
    "PACKET_LENGTH_TOO_LONG",
    "UNKNOWN_PROTOCOL",
    "HTTP_REQUEST",
    "HTTPS_PROXY_REQUEST",
    "BAD_RECORD_TYPE",
    "RECORD_TOO_LARGE",
}
_OLD_PROTOCOL_REASONS = {
    "UNSUPPORTED_PROTOCOL",
    "TLSV1_ALERT_PROTOCOL_VERSION",
    "NO_PROTOCOLS_AVAILABLE",
    "VERSION_TOO_LOW",
}


def translate(
    exc: BaseException,
    stage: Stage,
    *,
    host: str = "",
    port: int = 0,
    encryption: Encryption = Encryption.TLS,
    encrypted: bool = False,
    timeout: float = 0.0,
    recipient: str | None = None,
) -> BimailError:
    """The one catalogue error for ``exc`` raised during ``stage``."""
    if isinstance(exc, BimailError):
        return exc
    where = f"{host}:{port}" if host else "the server"

    # 1. certificate verification
    if isinstance(exc, ssl.SSLCertVerificationError):
        code = _verification_code(exc)
        message = getattr(exc, "verify_message", "") or exc.reason or ""
        details = {
            ErrorCode.TLS_HOSTNAME_MISMATCH: (
                f"The certificate of {where} is not issued to '{host}' ({message})."
                + (
                    " You connected by IP address: enter the server's DNS name instead."
                    if _is_ip(host)
                    else ""
                )
            ),
            ErrorCode.TLS_EXPIRED: f"The certificate of {where} is out of date ({message}).",
            ErrorCode.TLS_UNTRUSTED: f"The certificate of {where} is not trusted ({message}).",
        }
        return BimailError(code, details[code], extra={"verify_code": exc.verify_code})

    # 2. other TLS failures
    if isinstance(exc, ssl.SSLError):
        reason = (exc.reason or "").upper()
        if reason in WRONG_MODE_REASONS:
            return BimailError(
                ErrorCode.TLS_WRONG_MODE,
                f"SSL was chosen, but {where} does not speak SSL from the first byte (it "
                "answered in plain SMTP). Choose TLS for this port, or port 465 for SSL.",
            )
        if reason in _OLD_PROTOCOL_REASONS:
            return BimailError(
                ErrorCode.TLS_UNTRUSTED,
                f"{where} offers only outdated TLS versions (below TLS 1.2), which are not "
                "safe; the mail server must be updated.",
            )
        if isinstance(exc, ssl.SSLZeroReturnError | ssl.SSLEOFError) or "EOF" in reason:
            return BimailError(
                ErrorCode.DISCONNECTED,
                f"{where} closed the connection during the encryption handshake.",
            )
        return BimailError(
            ErrorCode.DISCONNECTED,
            f"The encrypted connection to {where} failed ({exc.reason or type(exc).__name__}).",
        )

    # 3. a reply that is not SMTP, or too long (the server's first words are quoted)
    if isinstance(exc, ProtocolViolation):
        return BimailError(
            ErrorCode.DISCONNECTED,
            f"{where} broke the SMTP protocol during {stage.value.upper()} ({exc.problem}); "
            f"it began: \u201c{exc.first_words}\u201d. The connection was closed.",
            server_reply=exc.first_words,
        )

    # 4. SMTP replies
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = exc.recipients
        first_addr, (first_code, first_reply) = next(iter(refused.items()))
        return from_reply(
            first_code,
            first_reply,
            Stage.RCPT,
            host=host,
            encrypted=encrypted,
            recipient=first_addr,
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        if stage is Stage.TLS:
            return starttls_unsupported(host, port)
        return BimailError(
            ErrorCode.AUTH_UNSUPPORTED, f"{where} does not support this: {str(exc)}"
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        code_stage = {
            smtplib.SMTPSenderRefused: Stage.MAIL,
            smtplib.SMTPDataError: Stage.DATA,
            smtplib.SMTPAuthenticationError: Stage.AUTH,
            smtplib.SMTPHeloError: Stage.EHLO,
            smtplib.SMTPConnectError: Stage.GREETING,
        }.get(type(exc), stage)
        return from_reply(
            exc.smtp_code,
            exc.smtp_error,
            code_stage,
            host=host,
            encrypted=encrypted,
            recipient=recipient,
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        inner = exc.__cause__ or exc.__context__
        if isinstance(inner, TimeoutError | socket.timeout):
            return timed_out(stage, host, port, encryption, timeout)
        if isinstance(inner, OSError) and not isinstance(inner, smtplib.SMTPException):
            return translate(
                inner,
                stage,
                host=host,
                port=port,
                encryption=encryption,
                encrypted=encrypted,
                timeout=timeout,
                )
        return BimailError(
            ErrorCode.DISCONNECTED,
            f"{where} closed the connection "
            + ("before greeting." if stage is Stage.GREETING else f"during {stage.value.upper()}."),
        )
    if isinstance(exc, smtplib.SMTPException):
        return BimailError(
            ErrorCode.DISCONNECTED, f"SMTP error with {where}: {str(exc)}"
        )

    # 5. sockets
    if isinstance(exc, socket.gaierror):
        return BimailError(
            ErrorCode.DNS_FAILED, f"The name '{host}' could not be resolved to an address."
        )
    if isinstance(exc, ConnectionRefusedError):
        return BimailError(ErrorCode.CONNECT_REFUSED, f"Nothing accepts connections on {where}.")
    if isinstance(exc, TimeoutError | socket.timeout):
        return timed_out(stage, host, port, encryption, timeout)
    if isinstance(exc, OSError) and exc.errno in (
        errno.ENETUNREACH,
        errno.EHOSTUNREACH,
        getattr(errno, "WSAENETUNREACH", -1),
        getattr(errno, "WSAEHOSTUNREACH", -1),
    ):
        return BimailError(
            ErrorCode.CONNECT_TIMEOUT, f"{where} cannot be reached from this computer."
        )
    if isinstance(exc, ConnectionError | OSError):
        return BimailError(
            ErrorCode.DISCONNECTED,
            f"The connection to {where} was lost during {stage.value.upper()} "
            f"({type(exc).__name__}).",
        )
    if isinstance(exc, UnicodeError):
        return BimailError(
            ErrorCode.INVALID_INPUT,
            "A value contains characters the mail server cannot take.",
            field="password" if stage is Stage.AUTH else None,
        )
    return BimailError(
        ErrorCode.DISCONNECTED, f"Unexpected failure with {where}: {type(exc).__name__}"
    )


def timed_out(
    stage: Stage, host: str, port: int, encryption: Encryption, timeout: float
) -> BimailError:
    where = f"{host}:{port}" if host else "the server"
    secs = f" within {timeout:g} s" if timeout else ""
    if stage is Stage.CONNECT:
        return BimailError(ErrorCode.CONNECT_TIMEOUT, f"No connection to {where}{secs}.")
    if stage is Stage.GREETING and encryption is not Encryption.SSL:
        return BimailError(
            ErrorCode.TIMEOUT,
            f"{where} accepted the connection but sent no greeting{secs}. The port may expect "
            "SSL from the first byte (usually port 465): choose SSL.",
        )
    if stage is Stage.TLS and encryption is Encryption.SSL:
        return BimailError(
            ErrorCode.TIMEOUT,
            f"{where} did not answer the SSL handshake{secs}. The port may expect plain SMTP "
            "or STARTTLS: choose TLS (ports 587 and 25).",
        )
    return BimailError(ErrorCode.TIMEOUT, f"{where} did not answer {stage.value.upper()}{secs}.")


def wrong_mode_ssl_expected(host: str, port: int) -> BimailError:
    return BimailError(
        ErrorCode.TLS_WRONG_MODE,
        f"{host}:{port} expects SSL from the first byte (it answered a TLS handshake but sent "
        "no SMTP greeting). Choose SSL for this port.",
    )


def starttls_unsupported(host: str, port: int) -> BimailError:
    return BimailError(
        ErrorCode.STARTTLS_UNSUPPORTED,
        f"{host}:{port} does not offer STARTTLS. The connection was closed; nothing (no login, "
        "no mail) was sent in clear text.",
    )


def interrupted(stage: Stage) -> BimailError:
    return BimailError(ErrorCode.INTERRUPTED, f"Cancelled during {stage.value.upper()}.",
                       extra={"stage": stage.value})


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
