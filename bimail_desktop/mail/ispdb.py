"""Provider data in Thunderbird's ISPDB format, and the domain's MX record.

A company domain hosted by Microsoft 365, Google Workspace or Tencent Exmail has no
``smtp.DOMAIN``: its mail (MX) goes to the provider, and so must its sending. As Thunderbird
does, the MX host names are matched against the ISPDB entries' domains.

The entries are the ``*.xml`` files in ``resources/ispdb`` and in the data folder's
``ispdb`` folder — an admin adds a provider by dropping a file there (the format of
https://github.com/thunderbird/autoconfig; only ``outgoingServer`` entries of type smtp are
read). The DNS lookup uses dnspython and can be replaced (``lookup_mx``) so that tests
answer it without any DNS server.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..domain.models import Encryption

log = logging.getLogger(__name__)

MX_TIMEOUT = 5.0
MxLookup = Callable[[str], Sequence[str]]
_SOCKET_TYPES = {"ssl": Encryption.SSL, "starttls": Encryption.TLS, "plain": Encryption.NONE}


@dataclass(frozen=True)
class IspdbProvider:
    id: str
    name: str
    domains: tuple[str, ...]
    servers: tuple[tuple[str, int, Encryption], ...]  # outgoing SMTP, best first
    source: str = ""  # the file it came from

    def handles(self, host: str) -> bool:
        """Whether ``host`` (a mail domain or an MX host name) is one of this provider's
        domains or below one."""
        host = host.strip().lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.domains)


def parse_ispdb(text: str, source: str = "") -> list[IspdbProvider]:
    """The providers of one ISPDB ``clientConfig`` document (malformed: ValueError)."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ValueError(f"not an ISPDB file: {exc}") from None
    if root.tag != "clientConfig":
        raise ValueError("not an ISPDB file: the root element is not clientConfig")
    found = []
    for provider in root.iter("emailProvider"):
        domains = tuple(d.text.strip().lower() for d in provider.findall("domain")
                        if d.text and d.text.strip())
        servers = []
        for server in provider.findall("outgoingServer"):
            if (server.get("type") or "smtp").lower() != "smtp":
                continue
            host = (server.findtext("hostname") or "").strip()
            port_text = (server.findtext("port") or "").strip()
            socket = (server.findtext("socketType") or "").strip().lower()
            if not host or not port_text.isdigit() or socket not in _SOCKET_TYPES:
                continue
            servers.append((host, int(port_text), _SOCKET_TYPES[socket]))
        if domains and servers:
            name = (provider.findtext("displayName") or provider.get("id") or domains[0])
            found.append(IspdbProvider(provider.get("id") or domains[0], name.strip(),
                                       domains, tuple(servers), source))
    return found


def ispdb_folders() -> list[Path]:
    """The bundled entries first, then the admin's own (which win on the same domain)."""
    from ..config import data_home
    from ..paths import resource

    return [resource("ispdb"), data_home() / "ispdb"]


def load_ispdb(folders: Iterable[Path] | None = None) -> list[IspdbProvider]:
    """Every provider of every ``*.xml`` file in ``folders``; the later folders first, so
    that a dropped-in file takes precedence. A broken file is skipped (and logged)."""
    providers: list[IspdbProvider] = []
    for folder in folders if folders is not None else ispdb_folders():
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.xml")):
            try:
                providers[:0] = parse_ispdb(path.read_text("utf-8"), str(path))
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                log.warning("skipped the provider file %s: %s", path, exc)
    return providers


def dns_mx(domain: str, timeout: float = MX_TIMEOUT,
           nameserver: tuple[str, int] | None = None) -> list[str]:
    """The domain's MX host names, most preferred first ([] when there is none or the
    lookup fails). ``nameserver`` (address, port): ask that server instead of the
    system's."""
    import dns.exception
    import dns.resolver

    resolver = dns.resolver.Resolver(configure=nameserver is None)
    if nameserver is not None:
        resolver.nameservers = [nameserver[0]]
        resolver.port = nameserver[1]
    try:
        answer = resolver.resolve(domain, "MX", lifetime=timeout)
    except (dns.exception.DNSException, OSError) as exc:
        log.info("no MX record for %s: %s", domain, type(exc).__name__)
        return []
    records = sorted(answer, key=lambda r: r.preference)
    return [str(r.exchange).rstrip(".").lower() for r in records]


def provider_for_domain(
    domain: str,
    *,
    lookup_mx: MxLookup | None = None,
    providers: Sequence[IspdbProvider] | None = None,
) -> tuple[IspdbProvider, str] | None:
    """The ISPDB provider of ``domain`` — by the domain itself, else by its MX hosts — and
    the name that matched (the domain or the MX host)."""
    known = list(providers) if providers is not None else load_ispdb()
    domain = domain.strip().lower().rstrip(".")
    for provider in known:
        if provider.handles(domain):
            return provider, domain
    for host in (lookup_mx or dns_mx)(domain):
        for provider in known:
            if provider.handles(host):
                return provider, host
    return None
