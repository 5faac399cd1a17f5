"""Export and import of the mailbox configuration (senders, default sender, templates,
trusted certificates) as one JSON file — for moving a setup to another machine or scripting
an on-prem install. Passwords and tokens are never part of it.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from .. import __version__
from ..domain import clock
from ..domain.errors import BimailError, InvalidInput
from ..domain.models import SENDER_FIELDS, Sender, SenderSettings
from ..domain.texts import Msg
from ..domain.validation import validate_address, validate_host, validate_port, validate_sender
from ..fileio import check_target, read_limited, write_text
from ..mail import oauth as oa
from ..store import Store
from ..store.schema import SenderRow, TrustedCertificateRow
from .oauth import OAuth
from .senders import Senders
from .templates import Templates, validate_html, validate_subject, validate_template_name
from .trust import (
    KIND_CA,
    KIND_PIN,
    Trust,
    normalise_sha256,
    parse_certificates,
    require_ca_certificate,
)

log = logging.getLogger(__name__)

FORMAT = "bimail-desktop-config"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 8 * 1024 * 1024  # a configuration file larger than this is refused unread
MAX_ENTRIES = 10_000  # senders, templates or certificates in one file
MAX_PEM = 64 * 1024


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


class ConfigTransfer:
    """Export and import of the configuration: senders (``senders``), templates
    (``templates``) and trusted certificates (``trust``). An import writes through their
    ``*_in(session, …)`` methods, all in one transaction."""

    def __init__(self, store: Store, senders: Senders, templates: Templates,
                 trust: Trust, oauth: OAuth) -> None:
        self.store = store
        self.senders = senders
        self.templates = templates
        self.trust = trust
        self.oauth = oauth

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
            "exported_at": clock.now().isoformat(),
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
            for key in SENDER_FIELDS
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
        """Write the configuration to ``path`` (all or nothing, see :mod:`..fileio`)."""
        check_target(path, "file")  # a bad path is refused before the store is read
        data = self.export_config()
        write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", field="file")
        return data

    def import_config(self, data: Any) -> ImportSummary:
        """Merge a configuration: new senders are added (without passwords), existing ones
        (same address) get the file's settings and keep their password; templates are
        added or replaced; certificates are trusted.

        Every entry is checked first as its own command checks it (``senders add``,
        ``templates add``, ``trust import-ca`` / ``trust pin``); a bad entry refuses the
        whole file with ``invalid_input`` naming it (``senders[2].port``), and everything
        is written in one transaction: a refused file changes nothing."""
        plan = _Plan.check(data, self.senders)
        new_app: dict[str, bool] = {}  # sender id -> still OAuth2, for senders whose app changed
        with self.store.write() as session:
            added: list[str] = []
            updated: list[str] = []
            for index, (valid, oauth) in enumerate(plan.senders):
                with _entry(f"senders[{index}]"):
                    row = self.senders.find_row_in(session, valid.address)
                    if row is None:
                        row = self.senders.add_in(session, valid)
                        added.append(valid.address)
                        before = None
                    else:
                        before = (row.auth_method, row.oauth_settings)
                        self.senders.update_in(session, row, valid)
                        updated.append(valid.address)
                    row.oauth_settings = oauth.to_json() if oauth is not None else ""
                    if before is not None and before != (row.auth_method, row.oauth_settings):
                        new_app[row.id] = oauth is not None
            for index, (name, subject, html) in enumerate(plan.templates):
                with _entry(f"templates[{index}]"):
                    self.templates.put_in(session, name, subject, html)
            for index, (der, kind, host) in enumerate(plan.certificates):
                with _entry(f"trusted_certificates[{index}]"):
                    self.trust.store_certificate_in(session, der, kind, host)
            if plan.default_sender is not None:
                with _entry("default_sender"):
                    self.senders.set_default_in(session, plan.default_sender)
        for sender_id, still_oauth in new_app.items():
            # the saved sign-in belongs to the old app (as when the form changes it)
            try:
                self.oauth.forget_sign_in(sender_id, keep_client_secret=still_oauth)
            except BimailError:
                log.warning("an imported sender's old sign-in could not be dropped from the "
                            "keychain; it signs in again when its token is refused")
        log.info("configuration imported: %d senders added, %d updated", len(added),
                 len(updated))
        return ImportSummary(tuple(added), tuple(updated), len(plan.templates),
                             len(plan.certificates), plan.default_sender)

    def import_config_file(self, path: str | Path) -> ImportSummary:
        """Import the configuration file ``path`` (at most :data:`MAX_FILE_BYTES`)."""
        raw = read_limited(path, MAX_FILE_BYTES, field="file")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeError:
            raise InvalidInput("file", Msg("config.not_utf8", path=str(path))) from None
        try:
            data = json.loads(text)
        except RecursionError:
            raise InvalidInput("file", Msg("config.too_deep", path=str(path))) from None
        except ValueError as error:  # JSONDecodeError, and numbers with thousands of digits
            raise InvalidInput("file", Msg("config.not_json", path=str(path),
                                           reason=str(error)[:200])) from None
        return self.import_config(data)


@contextlib.contextmanager
def _entry(name: str) -> Iterator[None]:
    """Name the file's entry in a refusal: ``senders[1].address: …``."""
    try:
        yield
    except InvalidInput as error:
        field = error.field or ""
        raise InvalidInput(f"{name}.{field}" if field else name, error.problem) from None


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(key, Msg("config.not_list", type=_json_type(value)))
    if len(value) > MAX_ENTRIES:
        raise InvalidInput(key, Msg("config.too_many", n=f"{MAX_ENTRIES:,}"))
    return value


def _json_type(value: Any) -> Msg:
    if value is None:
        return Msg("json.null")
    if isinstance(value, bool):
        return Msg("json.bool")
    if isinstance(value, int | float):
        return Msg("json.number")
    if isinstance(value, str):
        return Msg("json.text")
    if isinstance(value, list):
        return Msg("json.list")
    return Msg("json.object")


def _text(item: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(key, Msg("config.not_text", type=_json_type(value)))
    return value


def _number(item: dict[str, Any], key: str) -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(key, Msg("config.not_whole", type=_json_type(value)))
    return value


@dataclass(frozen=True, slots=True)
class _Plan:
    """A configuration file checked entry by entry, ready to be written."""

    senders: list[tuple[SenderSettings, oa.OAuthSettings | None]]
    templates: list[tuple[str, str, str]]
    certificates: list[tuple[bytes, str, str]]
    default_sender: str | None

    @classmethod
    def check(cls, data: Any, senders_service: Senders) -> _Plan:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InvalidInput("file", Msg("config.not_export"))
        version = data.get("version", FORMAT_VERSION)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise InvalidInput("version", Msg("config.version", type=_json_type(version)))
        if version > FORMAT_VERSION:
            raise InvalidInput("file", Msg("config.newer"))
        senders = [cls._sender(index, item) for index, item in enumerate(_list(data, "senders"))]
        keys: dict[str, int] = {}
        for index, (valid, _oauth) in enumerate(senders):
            key = valid.address.casefold()
            if key in keys:
                raise InvalidInput(f"senders[{index}].address",
                                   Msg("config.same_address", address=valid.address,
                                       other=f"senders[{keys[key]}]"))
            keys[key] = index
        templates = [cls._template(index, item)
                     for index, item in enumerate(_list(data, "templates"))]
        names: dict[str, int] = {}
        for index, (name, _subject, _html) in enumerate(templates):
            if name in names:
                raise InvalidInput(f"templates[{index}].name",
                                   Msg("config.same_template", name=name,
                                       other=f"templates[{names[name]}]"))
            names[name] = index
        certificates = [cls._certificate(index, item)
                        for index, item in enumerate(_list(data, "trusted_certificates"))]
        default: str | None = None
        with _entry("default_sender"):
            value = data.get("default_sender")
            if value is not None:
                if not isinstance(value, str):
                    raise InvalidInput("", Msg("config.not_address", type=_json_type(value)))
                default = validate_address(value, "")
        if default is not None and default.casefold() not in keys \
                and senders_service.find_sender(default) is None:
            raise InvalidInput("default_sender", Msg("config.default_unknown", address=default))
        return cls(senders, templates, certificates, default)

    @staticmethod
    def _sender(index: int, item: Any) -> tuple[SenderSettings, oa.OAuthSettings | None]:
        with _entry(f"senders[{index}]"):
            if not isinstance(item, dict):
                raise InvalidInput("", Msg("config.not_sender", type=_json_type(item)))
            fields: dict[str, Any] = {}
            for key in SENDER_FIELDS:
                fields[key] = _number(item, key) if key in ("port", "rate_limit") \
                    else _text(item, key, required=key in ("server", "address"))
            valid = validate_sender(fields)
            oauth: oa.OAuthSettings | None = None
            if oa.is_oauth(valid.auth_method):
                raw = item.get("oauth", {})
                if not isinstance(raw, dict):
                    raise InvalidInput("oauth", Msg("config.not_object", type=_json_type(raw)))
                with _entry("oauth"):
                    for key, value in raw.items():
                        if value is not None and not isinstance(value, str):
                            raise InvalidInput(key, Msg("config.not_text",
                                                        type=_json_type(value)))
                    oauth = oa.validate_oauth_settings(valid.auth_method, raw)
            return valid, oauth

    @staticmethod
    def _template(index: int, item: Any) -> tuple[str, str, str]:
        with _entry(f"templates[{index}]"):
            if not isinstance(item, dict):
                raise InvalidInput("", Msg("config.not_template", type=_json_type(item)))
            name = validate_template_name(_text(item, "name", required=True))
            subject = validate_subject(_text(item, "subject", required=True))
            html = validate_html(_text(item, "html", required=True))
            return name, subject, html

    @staticmethod
    def _certificate(index: int, item: Any) -> tuple[bytes, str, str]:
        with _entry(f"trusted_certificates[{index}]"):
            if not isinstance(item, dict):
                raise InvalidInput("", Msg("config.not_certificate", type=_json_type(item)))
            kind = _text(item, "kind", required=True)
            if kind not in (KIND_CA, KIND_PIN):
                raise InvalidInput("kind", Msg("config.kind", v=kind))
            pem = _text(item, "pem", required=True)
            if len(pem) > MAX_PEM:
                raise InvalidInput("pem", Msg("config.pem_too_long", n=f"{MAX_PEM:,}"))
            ders = parse_certificates(pem.encode("utf-8", "replace"), "pem")
            if len(ders) != 1:
                raise InvalidInput("pem", Msg("config.pem_many"))
            der = ders[0]
            from ..mail.tls import certificate_info, pin_key

            info = certificate_info(der)
            claimed = item.get("sha256")
            if claimed is not None:
                if not isinstance(claimed, str):
                    raise InvalidInput("sha256", Msg("config.not_text",
                                                     type=_json_type(claimed)))
                if normalise_sha256(claimed, "sha256") != info.sha256:
                    raise InvalidInput("sha256", Msg("config.sha_mismatch"))
            host = _text(item, "host")
            if kind == KIND_CA:
                if host:
                    raise InvalidInput("host", Msg("config.ca_host"))
                require_ca_certificate(der, "pem")
                return der, kind, ""
            server, sep, port = host.rpartition(":")
            if not sep:
                raise InvalidInput("host", Msg("config.pin_host", v=host))
            return der, kind, pin_key(validate_host(server, "host"),
                                      validate_port(port, "host"))
