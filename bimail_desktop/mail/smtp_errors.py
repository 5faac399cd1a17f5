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
from bimail_desktop.domain.texts import Msg
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

DETAIL_QQ_AUTH = Msg("smtp.auth_qq")
DETAIL_GMAIL_APP_PASSWORD = Msg("smtp.auth_gmail")
DETAIL_MICROSOFT_BASIC_AUTH = Msg("smtp.auth_microsoft")
DETAIL_163_NO_PERMISSION = Msg("smtp.sender_163")
DETAIL_AUTH_GENERIC = Msg("smtp.auth_generic")


def _provider_id(host: str) -> str:
    provider = provider_by_host(host) if host else None
    return provider.id if provider is not None else ""


def _auth_detail(host: str, code: int, reply: str) -> Msg:
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
    Stage.GREETING: Msg("smtp.at_greeting"),
    Stage.EHLO: Msg("smtp.at_ehlo"),
    Stage.AUTH: Msg("smtp.at_login"),
    Stage.MAIL: Msg("smtp.at_mail"),
    Stage.RCPT: Msg("smtp.at_rcpt"),
    Stage.DATA: Msg("smtp.at_data"),
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

    def err(error_code: ErrorCode, detail: Msg, **extra: object) -> BimailError:
        return BimailError(error_code, detail, server_reply=server_reply, extra=dict(extra))

    if code == 421:
        return err(
            ErrorCode.DISCONNECTED,
            Msg("smtp.closed_421", at=_AT.get(stage, ""), reply=server_reply),
        )
    if code in (-1, 0) or code < 200:
        return err(ErrorCode.DISCONNECTED, Msg("smtp.not_smtp", reply=repr(reply)))

    if stage is Stage.AUTH:
        if code == 530 or enhanced == "5.7.11":
            if not encrypted:
                return err(
                    ErrorCode.AUTH_REQUIRES_TLS,
                    Msg("smtp.login_needs_tls", reply=server_reply),
                )
            return err(ErrorCode.AUTH_FAILED, _auth_detail(host, code, reply))
        if code in (502, 504) or enhanced == "5.5.4":
            return err(
                ErrorCode.AUTH_UNSUPPORTED,
                Msg("smtp.login_method_unsupported", reply=server_reply),
            )
        if 400 <= code < 500:
            return err(ErrorCode.TEMPORARY_FAILURE,
                       Msg("smtp.login_deferred", reply=server_reply))
        return err(ErrorCode.AUTH_FAILED, _auth_detail(host, code, reply))

    if 400 <= code < 500:
        deferred = {
            Stage.MAIL: Msg("smtp.sender_deferred", reply=server_reply),
            Stage.RCPT: Msg("smtp.recipient_deferred", reply=server_reply),
            Stage.DATA: Msg("smtp.message_deferred", reply=server_reply),
        }.get(stage, Msg("smtp.request_deferred", reply=server_reply))
        return err(ErrorCode.TEMPORARY_FAILURE, deferred)

    # 5xx (and anything else unexpected)
    if code == 530:
        if not encrypted:
            return err(
                ErrorCode.AUTH_REQUIRES_TLS,
                Msg("smtp.requires_tls_first", reply=server_reply),
            )
        return err(
            ErrorCode.AUTH_FAILED,
            Msg("smtp.requires_login", reply=server_reply),
        )
    if enhanced in ("5.7.30", "5.7.139", "5.7.57"):
        return err(ErrorCode.AUTH_FAILED, DETAIL_MICROSOFT_BASIC_AUTH)
    if stage is Stage.MAIL:
        provider = _provider_id(host)
        if code == 550 and (provider in ("163", "126") or "no permission" in reply.lower()):
            return err(ErrorCode.SENDER_REJECTED, DETAIL_163_NO_PERMISSION)
        return err(
            ErrorCode.SENDER_REJECTED, Msg("smtp.sender_refused", reply=server_reply)
        )
    if stage is Stage.RCPT:
        return err(
            ErrorCode.RECIPIENT_REJECTED,
            Msg("smtp.recipient_refused", recipient=recipient, reply=server_reply) if recipient
            else Msg("smtp.a_recipient_refused", reply=server_reply),
        )
    if stage is Stage.DATA:
        return err(ErrorCode.MESSAGE_REJECTED, Msg("smtp.message_refused", reply=server_reply))
    if stage in (Stage.GREETING, Stage.EHLO):
        return err(
            ErrorCode.DISCONNECTED,
            Msg("smtp.refused_client", reply=server_reply),
        )
    if stage is Stage.TLS:
        return err(
            ErrorCode.STARTTLS_UNSUPPORTED,
            Msg("smtp.starttls_refused", reply=server_reply),
        )
    return err(ErrorCode.DISCONNECTED, Msg("smtp.unexpected_reply", reply=server_reply))


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
    where: str | Msg = f"{host}:{port}" if host else Msg("smtp.the_server")

    # 1. certificate verification
    if isinstance(exc, ssl.SSLCertVerificationError):
        code = _verification_code(exc)
        message = getattr(exc, "verify_message", "") or exc.reason or ""
        details = {
            ErrorCode.TLS_HOSTNAME_MISMATCH: (
                Msg("smtp.cert_wrong_name_ip", where=where, host=host, reason=message)
                if _is_ip(host)
                else Msg("smtp.cert_wrong_name", where=where, host=host, reason=message)
            ),
            ErrorCode.TLS_EXPIRED: Msg("smtp.cert_expired", where=where, reason=message),
            ErrorCode.TLS_UNTRUSTED: Msg("smtp.cert_untrusted", where=where, reason=message),
        }
        return BimailError(code, details[code], extra={"verify_code": exc.verify_code})

    # 2. other TLS failures
    if isinstance(exc, ssl.SSLError):
        reason = (exc.reason or "").upper()
        if reason in WRONG_MODE_REASONS:
            return BimailError(
                ErrorCode.TLS_WRONG_MODE,
                Msg("smtp.ssl_on_plain_port", where=where),
            )
        if reason in _OLD_PROTOCOL_REASONS:
            return BimailError(
                ErrorCode.TLS_UNTRUSTED,
                Msg("smtp.old_tls", where=where),
            )
        if isinstance(exc, ssl.SSLZeroReturnError | ssl.SSLEOFError) or "EOF" in reason:
            return BimailError(
                ErrorCode.DISCONNECTED,
                Msg("smtp.closed_in_handshake", where=where),
            )
        return BimailError(
            ErrorCode.DISCONNECTED,
            Msg("smtp.tls_failed", where=where, reason=exc.reason or type(exc).__name__),
        )

    # 3. a reply that is not SMTP, or too long (the server's first words are quoted)
    if isinstance(exc, ProtocolViolation):
        return BimailError(
            ErrorCode.DISCONNECTED,
            Msg("smtp.protocol_broken", where=where, step=stage.value.upper(),
                problem=exc.problem, words=exc.first_words),
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
            ErrorCode.AUTH_UNSUPPORTED, Msg("smtp.not_supported", where=where, reply=str(exc))
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
            Msg("smtp.closed_before_greeting", where=where) if stage is Stage.GREETING
            else Msg("smtp.closed_during", where=where, step=stage.value.upper()),
        )
    if isinstance(exc, smtplib.SMTPException):
        return BimailError(
            ErrorCode.DISCONNECTED, Msg("smtp.error_with", where=where, reply=str(exc))
        )

    # 5. sockets
    if isinstance(exc, socket.gaierror):
        return BimailError(
            ErrorCode.DNS_FAILED, Msg("smtp.dns_failed", host=host)
        )
    if isinstance(exc, ConnectionRefusedError):
        return BimailError(ErrorCode.CONNECT_REFUSED, Msg("smtp.refused", where=where))
    if isinstance(exc, TimeoutError | socket.timeout):
        return timed_out(stage, host, port, encryption, timeout)
    if isinstance(exc, OSError) and exc.errno in (
        errno.ENETUNREACH,
        errno.EHOSTUNREACH,
        getattr(errno, "WSAENETUNREACH", -1),
        getattr(errno, "WSAEHOSTUNREACH", -1),
    ):
        return BimailError(
            ErrorCode.CONNECT_TIMEOUT, Msg("smtp.unreachable", where=where)
        )
    if isinstance(exc, ConnectionError | OSError):
        return BimailError(
            ErrorCode.DISCONNECTED,
            Msg("smtp.lost_at", where=where, step=stage.value.upper(), name=type(exc).__name__),
        )
    if isinstance(exc, UnicodeError):
        return BimailError(
            ErrorCode.INVALID_INPUT,
            Msg("smtp.bad_characters"),
            field="password" if stage is Stage.AUTH else None,
        )
    return BimailError(
        ErrorCode.DISCONNECTED, Msg("smtp.unexpected_failure", where=where, name=type(exc).__name__)
    )


def timed_out(
    stage: Stage, host: str, port: int, encryption: Encryption, timeout: float
) -> BimailError:
    where: str | Msg = f"{host}:{port}" if host else Msg("smtp.the_server")
    secs: str | Msg = Msg("smtp.within", seconds=timeout) if timeout else ""
    if stage is Stage.CONNECT:
        return BimailError(
            ErrorCode.CONNECT_TIMEOUT, Msg("smtp.no_connection", where=where, secs=secs))
    if stage is Stage.GREETING and encryption is not Encryption.SSL:
        return BimailError(
            ErrorCode.TIMEOUT,
            Msg("smtp.no_greeting", where=where, secs=secs),
        )
    if stage is Stage.TLS and encryption is Encryption.SSL:
        return BimailError(
            ErrorCode.TIMEOUT,
            Msg("smtp.no_ssl_answer", where=where, secs=secs),
        )
    return BimailError(
        ErrorCode.TIMEOUT,
        Msg("smtp.no_answer_at", where=where, step=stage.value.upper(), secs=secs))


def wrong_mode_ssl_expected(host: str, port: int) -> BimailError:
    return BimailError(
        ErrorCode.TLS_WRONG_MODE,
        Msg("smtp.expects_ssl", host=host, port=port),
    )


def starttls_unsupported(host: str, port: int) -> BimailError:
    return BimailError(
        ErrorCode.STARTTLS_UNSUPPORTED,
        Msg("smtp.no_starttls", host=host, port=port),
    )


def interrupted(stage: Stage) -> BimailError:
    return BimailError(ErrorCode.INTERRUPTED, Msg("smtp.cancelled_at", step=stage.value.upper()),
                       extra={"stage": stage.value})


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
