"""Export and import of the mailbox configuration (senders, default sender, templates,
trusted certificates) as one JSON file — for moving a setup to another machine or scripting
an on-prem install. Passwords and tokens are never part of it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from .. import __version__
from ..domain.errors import InvalidInput
from ..domain.models import Sender, SenderSettings
from ..domain.texts import Msg
from ..domain.validation import validate_address, validate_sender
from ..mail import oauth as oa
from ..store import Store
from ..store.schema import SenderRow, TemplateRow, TrustedCertificateRow
from .senders import Senders
from .templates import Templates

log = logging.getLogger(__name__)

FORMAT = "bimail-desktop-config"
FORMAT_VERSION = 1
_SENDER_KEYS = ("server", "port", "encryption", "address", "username", "show_name",
                "rate_limit", "auth_method")


@dataclass(frozen=True, slots=True)
class ImportSummary:
    senders_added: tuple[str, ...]
    senders_updated: tuple[str, ...]
    templates: int
    certificates: int
    default_sender: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "senders_added": list(self.senders_added),
            "senders_updated": list(self.senders_updated),
            "templates": self.templates,
            "certificates": self.certificates,
            "default_sender": self.default_sender,
        }


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class ConfigTransfer:
    """Export and import of the configuration: senders (``senders``), templates
    (``templates``) and trusted certificates."""

    def __init__(self, store: Store, senders: Senders, templates: Templates) -> None:
        self.store = store
        self.senders = senders
        self.templates = templates

    def export_config(self) -> dict[str, Any]:
        """The configuration as a JSON-ready dict: no password, no token, no record."""
        default = self.senders.default_sender()
        with self.store.read() as session:
            certificates = [
                {"kind": row.kind, "host": row.host, "subject": row.subject, "pem": row.pem,
                 "sha256": row.sha256}
                for row in session.scalars(
                    select(TrustedCertificateRow).order_by(TrustedCertificateRow.id))
            ]
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "program": f"bimail-desktop {__version__}",
            "exported_at": datetime.now(UTC).isoformat(),
            "senders": [self._export_sender(s) for s in self.senders.list_senders()],
            "default_sender": default.address if default else None,
            "templates": [
                {"name": t.name, "subject": t.subject, "html": t.html}
                for t in self.templates.list_templates()
                if not t.builtin
            ],
            "trusted_certificates": certificates,
        }

    def _export_sender(self, sender: Sender) -> dict[str, Any]:
        data: dict[str, Any] = {
            key: getattr(sender, key).value if key == "encryption" else getattr(sender, key)
            for key in _SENDER_KEYS
        }
        if oa.is_oauth(sender.auth_method):
            # the app's settings (client ID, tenant, scopes, endpoints): never a token or
            # the client secret, which stay in this machine's keychain
            with self.store.read() as session:
                row = session.get(SenderRow, sender.id)
                settings = oa.OAuthSettings.from_json(row.oauth_settings if row else "")
            data["oauth"] = settings.to_dict()
        return data

    def export_config_file(self, path: str | Path) -> dict[str, Any]:
        data = self.export_config()
        target = Path(path)
        tmp = target.with_name(target.name + ".part")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(target)
        return data

    def import_config(self, data: Any) -> ImportSummary:
        """Merge a configuration: new senders are added (without passwords), existing ones
        (same address) get the file's settings and keep their password. Everything is
        validated first; a bad file changes nothing."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InvalidInput("file", Msg("config.not_an_export"))
        if int(data.get("version", 0)) > FORMAT_VERSION:
            raise InvalidInput("file", Msg("config.too_new"))
        senders: list[SenderSettings] = []
        oauth: dict[str, oa.OAuthSettings] = {}
        for index, item in enumerate(data.get("senders") or []):
            if not isinstance(item, dict):
                raise InvalidInput(f"senders[{index}]", Msg("config.not_a_sender"))
            try:
                valid = validate_sender({k: item.get(k) for k in _SENDER_KEYS})
                if oa.is_oauth(valid.auth_method):
                    raw = item.get("oauth") or {}
                    oauth[valid.address.lower()] = oa.validate_oauth_settings(
                        valid.auth_method, raw if isinstance(raw, dict) else {})
            except InvalidInput as error:
                raise InvalidInput(f"senders[{index}].{error.field}", error.problem) from None
            senders.append(valid)
        default = data.get("default_sender")
        if default is not None:
            validate_address(str(default), "default_sender")
            if default.lower() not in {s.address.lower() for s in senders} and not any(
                s.address.lower() == default.lower() for s in self.senders.list_senders()
            ):
                raise InvalidInput("default_sender", Msg("config.default_unknown", default=default))
        templates = []
        for index, item in enumerate(data.get("templates") or []):
            if not isinstance(item, dict) or not item.get("name") or "html" not in item:
                raise InvalidInput(f"templates[{index}]", Msg("config.template_incomplete"))
            templates.append((str(item["name"]), str(item.get("subject", "")), str(item["html"])))
        certificates = []
        for index, item in enumerate(data.get("trusted_certificates") or []):
            if not isinstance(item, dict) or "BEGIN CERTIFICATE" not in str(item.get("pem")):
                raise InvalidInput(
                    f"trusted_certificates[{index}]", Msg("config.certificate_no_pem"))
            if item.get("kind") not in ("ca", "pin") or not item.get("sha256"):
                raise InvalidInput(
                    f"trusted_certificates[{index}]", Msg("config.certificate_incomplete"))
            certificates.append(item)

        existing = {s.address.lower() for s in self.senders.list_senders()}
        added: list[str] = []
        updated: list[str] = []
        for settings in senders:
            if settings.address.lower() in existing:
                self.senders.edit_sender(settings.address, settings)
                updated.append(settings.address)
            else:
                self.senders.add_sender(settings)
                added.append(settings.address)
        with self.store.write() as session:
            now = _now()
            for settings in senders:
                sender_row = session.scalar(select(SenderRow).where(
                    SenderRow.address_key == settings.address.lower()))
                if sender_row is not None:
                    found = oauth.get(settings.address.lower())
                    sender_row.oauth_settings = found.to_json() if found is not None else ""
            for name, subject, html in templates:
                row = session.scalar(select(TemplateRow).where(TemplateRow.name == name))
                if row is None:
                    session.add(TemplateRow(name=name, subject=subject, html=html,
                                            builtin=False, created_at=now, updated_at=now))
                elif not row.builtin:
                    row.subject, row.html, row.updated_at = subject, html, now
            for item in certificates:
                known = session.scalar(
                    select(TrustedCertificateRow).where(
                        TrustedCertificateRow.sha256 == str(item["sha256"]).lower(),
                        TrustedCertificateRow.host == str(item.get("host") or ""),
                    )
                )
                if known is None:
                    session.add(TrustedCertificateRow(
                        sha256=str(item["sha256"]).lower(), host=str(item.get("host") or ""),
                        kind=str(item["kind"]), subject=str(item.get("subject") or ""),
                        pem=str(item["pem"]), added_at=now))
        if default:
            self.senders.set_default_sender(str(default))
        log.info("configuration imported: %d senders added, %d updated", len(added),
                 len(updated))
        return ImportSummary(tuple(added), tuple(updated), len(templates), len(certificates),
                             str(default) if default else None)

    def import_config_file(self, path: str | Path) -> ImportSummary:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise InvalidInput("file", Msg("config.file_missing", path=path)) from None
        except (OSError, UnicodeError, json.JSONDecodeError) as error:
            raise InvalidInput("file", Msg("config.not_json", path=path, error=error)) from None
        return self.import_config(data)
