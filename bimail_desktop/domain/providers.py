"""Provider presets (S3, T4): known mail servers with their port, encryption and hints.

The table lives in ``resources/providers.json`` so that it can grow without code changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .models import Encryption


@dataclass(frozen=True, slots=True)
class Provider:
    id: str
    name: str
    host: str
    port: int
    encryption: Encryption
    domains: tuple[str, ...] = ()
    alternatives: tuple[tuple[int, Encryption], ...] = ()
    username: str = "address"
    auth: str = "password"
    hint: str = ""
    hint_zh: str = ""
    link: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def hint_text(self, lang: str = "en") -> str:
        return self.hint_zh if lang.lower().startswith("zh") and self.hint_zh else self.hint


def _default_path() -> Path:
    # domain imports nothing of ours but this small path helper, which imports nothing either
    from ..paths import resource

    return resource("providers.json")


@lru_cache(maxsize=4)
def load_providers(path: Path | None = None) -> tuple[Provider, ...]:
    raw = json.loads((path or _default_path()).read_text(encoding="utf-8"))
    providers = []
    for item in raw["providers"]:
        providers.append(
            Provider(
                id=item["id"],
                name=item["name"],
                host=item.get("host", ""),
                port=int(item["port"]),
                encryption=Encryption(item["encryption"]),
                domains=tuple(d.lower() for d in item.get("domains", [])),
                alternatives=tuple(
                    (int(a["port"]), Encryption(a["encryption"]))
                    for a in item.get("alternatives", [])
                ),
                username=item.get("username", "address"),
                auth=item.get("auth", "password"),
                hint=item.get("hint", ""),
                hint_zh=item.get("hint_zh", ""),
                link=item.get("link", ""),
            )
        )
    return tuple(providers)


def provider_by_host(host: str) -> Provider | None:
    host = host.strip().lower().rstrip(".")
    for provider in load_providers():
        if provider.host and provider.host == host:
            return provider
    return None


def provider_by_id(provider_id: str) -> Provider | None:
    for provider in load_providers():
        if provider.id == provider_id:
            return provider
    return None


def provider_for_address(address: str) -> Provider | None:
    """The preset whose domains include the address's domain (exact or a parent domain)."""
    domain = address.rpartition("@")[2].strip().lower().rstrip(".")
    if not domain:
        return None
    for provider in load_providers():
        for known in provider.domains:
            if domain == known or domain.endswith("." + known):
                return provider
    return None


def password_warnings(server: str, auth_method: str, address: str = "",
                      lang: str = "en") -> list[str]:
    """Warnings for a sender that logs in with a password where the provider is phasing
    passwords out (Microsoft 365 / Outlook.com, Gmail)."""
    from .models import AuthMethod
    from .texts import msg_text

    if auth_method in (AuthMethod.OAUTH2_MICROSOFT, AuthMethod.OAUTH2_GOOGLE,
                       AuthMethod.OAUTH2_CUSTOM):
        return []
    provider = provider_by_host(server or "")
    if provider is None:
        return []
    who = address or "ADDRESS"
    if provider.auth == AuthMethod.OAUTH2_MICROSOFT:
        return [msg_text("oauth.warn_microsoft_password", lang, provider=provider.name, who=who)]
    if provider.auth == AuthMethod.OAUTH2_GOOGLE:
        return [msg_text("oauth.warn_google_password", lang, who=who)]
    return []
