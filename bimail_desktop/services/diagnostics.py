"""Diagnosis (T1) and autodetection of server settings: which step fails, why, what to do.

``Mailbox.diagnose`` checks a stored sender, the form's unsaved values, or a bare server,
step by step (see :mod:`bimail_desktop.mail.diagnostics`); ``Mailbox.detect_settings``
suggests server settings for an address. ``Mailbox.export_diagnostics_report`` writes what
an admin sends to support (Markdown or JSON) — never a password.
"""

from __future__ import annotations

import logging
import platform
import ssl
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..domain.errors import BimailError, ErrorCode, InvalidInput
from ..domain.models import AuthMethod, Sender, SenderSettings
from ..domain.texts import Msg
from ..domain.validation import (
    validate_address,
    validate_encryption,
    validate_host,
    validate_password,
    validate_port,
    validate_seconds,
    validate_username,
)
from ..fileio import check_target, write_text
from ..mail import oauth as oa
from ..mail.cancel import CancelToken
from ..secrets import SecretStore
from .credentials import Credentials
from .senders import Senders
from .trust import Trust

# The probes (mail.diagnostics, mail.autodetect) are imported by the methods that run them,
# so that commands which never diagnose (e.g. `bimail senders list`) do not load them.
if TYPE_CHECKING:
    from ..mail.autodetect import Candidate, DetectedServer
    from ..mail.diagnostics import DiagnosticReport, DiagnosticStep

log = logging.getLogger(__name__)

__all__ = ["Diagnostics", "DiagnosticReport", "DiagnosticStep", "DetectedServer"]


def _public_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The sender's settings as a report may show them: never a password or token."""
    keep = ("address", "server", "port", "encryption", "username", "show_name", "rate_limit",
            "auth_method", "has_password", "is_default")
    return {k: settings[k] for k in keep if k in settings and settings[k] is not None}


class Diagnostics:
    """Use cases of the Diagnostics page and ``bimail diagnose`` / ``bimail detect``: the
    sender comes from ``senders``, its login from ``credentials``, the certificates the
    admin trusts from ``trust``; ``secrets`` is only asked about its state for the report."""

    def __init__(self, senders: Senders, trust: Trust, credentials: Credentials,
                 secrets: SecretStore, lang: str = "en") -> None:
        self.senders = senders
        self.trust = trust
        self.credentials = credentials
        self.secrets = secrets
        self.lang = lang

    # -- diagnosis ---------------------------------------------------------------------
    def diagnose(
        self,
        *,
        sender: str | None = None,
        settings: SenderSettings | Mapping[str, Any] | None = None,
        password: str | None = None,
        to: str | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
        progress: Callable[[DiagnosticStep], None] | None = None,
    ) -> DiagnosticReport:
        """Check a mail server step by step and return the report.

        ``settings`` (a SenderSettings or a mapping with server, port, encryption and
        optionally address, username): check these values — the password as given, or, if
        ``None`` and the address matches a stored sender, its stored password. Else
        ``sender``: the stored sender with that address; else the default sender
        (``not_configured`` if there is none). ``to``: also check that the server accepts
        this recipient (MAIL FROM / RCPT TO, then RSET — nothing is sent).

        Invalid input raises ``invalid_input``; a network failure never raises — the step
        that failed carries its catalogue error."""
        from ..mail.diagnostics import (
            DEFAULT_TIMEOUT,
            DiagnosisTarget,
            run_diagnosis,
            with_context,
        )

        timeout = DEFAULT_TIMEOUT if timeout is None else validate_seconds(timeout, "timeout")
        if timeout <= 0 or timeout > 600:
            raise InvalidInput("timeout", Msg("diagnose.bad_timeout"))
        recipient = validate_address(to, "to") if to else None
        password = validate_password(password)
        public: dict[str, Any]
        stored: Sender | None = None
        if settings is not None:
            data = _settings_mapping(settings)
            host = validate_host(str(data.get("server") or ""))
            port = validate_port(data.get("port"))
            encryption = validate_encryption(data.get("encryption"))
            address = (validate_address(str(data["address"]))
                       if data.get("address") else "")
            username = validate_username(data.get("username"))
            if address and password is None:
                stored = self.senders.find_sender(address)
            public = _public_settings({**data, "server": host, "port": port,
                                       "encryption": encryption.value, "address": address,
                                       "username": username})
        else:
            if sender:
                stored = self.senders.find_sender(validate_address(sender, "sender"))
                if stored is None:
                    raise BimailError(ErrorCode.NOT_FOUND, Msg("senders.not_found", address=sender),
                                      field="sender")
            else:
                stored = self.senders.default_sender()
                if stored is None:
                    raise BimailError(ErrorCode.NOT_CONFIGURED, Msg("diagnose.no_default"))
            host, port, encryption = stored.server, stored.port, stored.encryption
            address, username = stored.address, stored.username
            public = _public_settings(stored.to_public_dict())
        password_error: BimailError | None = None
        if password is None and stored is not None and stored.auth_method is AuthMethod.PASSWORD:
            try:
                password = self.credentials.password(stored)
            except BimailError as exc:
                password_error = exc
        oauth2_token: str | None = None
        if password is None and stored is not None and oa.is_oauth(stored.auth_method):
            try:  # the OAuth2 token refresh: a revoked sign-in fails the login step
                oauth2_token = self.credentials.oauth_token(stored)
            except BimailError as exc:
                password_error = exc
        login = username or address
        target = DiagnosisTarget(
            host=host,
            port=port,
            encryption=encryption,
            username=login,
            password=password or None,
            password_error=password_error,
            oauth2_token=oauth2_token,
            oauth2=stored is not None and oa.is_oauth(stored.auth_method),
            mail_from=address or (login if "@" in login else ""),
            to=recipient,
            timeout=float(timeout),
        )
        log.info("diagnosing %s:%s (%s)", host, port, encryption.value)
        report = run_diagnosis(target, self.trust.trust_config(), cancel=cancel, progress=progress)
        return with_context(report, sender=public, environment=self.diagnostics_environment())

    def diagnostics_environment(self) -> dict[str, str]:
        """Program, OS, Python, Qt (when PySide6 is installed), OpenSSL and keychain."""
        env = {
            "program": f"bimail-desktop {__version__}",
            "os": platform.platform(),
            "python": f"{platform.python_version()} ({sys.executable})",
            "openssl": ssl.OPENSSL_VERSION,
        }
        qt = _qt_version()
        if qt:
            env["qt"] = qt
        try:
            status = self.secrets.status()
            env["keyring_backend"] = status.backend + ("" if status.available
                                                       else f" (unusable: {status.message})")
        except Exception as exc:  # noqa: BLE001 - the report must still be written
            env["keyring_backend"] = f"unknown ({type(exc).__name__})"
        return env

    def diagnostics_report_text(self, report: DiagnosticReport, fmt: str = "markdown") -> str:
        """The report as Markdown (``markdown``) or JSON (``json``)."""
        from ..mail.diagnostics import report_json, report_markdown

        if fmt == "json":
            return report_json(report, self.lang)
        if fmt in ("markdown", "md"):
            return report_markdown(report, self.lang)
        raise InvalidInput("format", Msg("diagnose.bad_format"))

    def export_diagnostics_report(self, report: DiagnosticReport, path: str | Path) -> Path:
        """Write the report; ``.json`` gives JSON, anything else Markdown."""
        check_target(path, "report")
        fmt = "json" if Path(path).suffix.lower() == ".json" else "markdown"
        text = self.diagnostics_report_text(report, fmt)
        return write_text(path, text + ("\n" if not text.endswith("\n") else ""),
                          field="report")

    # -- autodetect --------------------------------------------------------------------
    def detect_settings(
        self,
        address: str,
        *,
        candidates: list[Candidate] | list[tuple[str, int, str]] | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
        progress: Callable[[str], None] | None = None,
        lookup_mx: Callable[[str], Sequence[str]] | None = None,
    ) -> list[DetectedServer]:
        """Server settings for ``address``, best first, for the admin to confirm (never
        applied here). Known providers come from the bundled presets; a company domain whose
        MX record names a provider of the ISPDB files (Microsoft 365, Google Workspace, …;
        ``lookup_mx`` replaces the DNS lookup) gets that provider's server; otherwise
        smtp.DOMAIN,
        mail.DOMAIN and DOMAIN are probed on 587, 25 and 465 — or ``candidates``
        ((host, port, encryption) tuples) when given."""
        address = validate_address(address)
        from ..mail.autodetect import DETECT_TIMEOUT, detect

        timeout = DETECT_TIMEOUT if timeout is None else validate_seconds(timeout, "timeout")
        if candidates is not None:
            candidates = [_candidate(item) for item in candidates]
        return detect(
            address,
            trust=self.trust.trust_config(),
            candidates=candidates,
            timeout=timeout,
            cancel=cancel,
            progress=progress,
            lookup_mx=lookup_mx,
        )


def _candidate(item: Any) -> tuple[str, int, str]:
    """One (host, port, encryption) to try, checked like the sender form's fields."""
    if isinstance(item, str | bytes) or not isinstance(item, Sequence) or len(item) != 3 \
            or not isinstance(item[0], str):
        raise InvalidInput("candidates", Msg("candidates.not_triple"))
    host, port, encryption = item
    return (validate_host(host, "candidates"), validate_port(port, "candidates"),
            validate_encryption(encryption, "candidates").value)


def _settings_mapping(settings: SenderSettings | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(settings, SenderSettings):
        return {
            "server": settings.server,
            "port": settings.port,
            "encryption": settings.encryption.value,
            "address": settings.address,
            "username": settings.username,
            "show_name": settings.show_name,
            "rate_limit": settings.rate_limit,
            "auth_method": settings.auth_method,
        }
    return {k: v for k, v in settings.items() if k not in ("password", "oauth2_token")}


def _qt_version() -> str:
    """Qt's version if PySide6 can be imported; imported here only, lazily."""
    import importlib.util

    if importlib.util.find_spec("PySide6") is None:
        return ""
    try:
        import PySide6
        from PySide6 import QtCore
    except Exception:  # noqa: BLE001 - a broken Qt install must not stop the report
        return ""
    return f"Qt {QtCore.qVersion()} (PySide6 {PySide6.__version__})"


def __getattr__(name: str) -> Any:
    """The report and detection types, re-exported without importing the probes early."""
    if name in ("DiagnosticReport", "DiagnosticStep"):
        from ..mail import diagnostics

        return getattr(diagnostics, name)
    if name == "DetectedServer":
        from ..mail import autodetect

        return autodetect.DetectedServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
