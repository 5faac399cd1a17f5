"""Find the mail server settings for an address, the way mail clients do.

First the bundled provider presets (``resources/providers.json``): no network needed. For an
unknown domain, probe the usual candidates — ``smtp.DOMAIN``, ``mail.DOMAIN``, ``DOMAIN`` on
587 (STARTTLS), 25 (STARTTLS) and 465 (SSL) — concurrently with short timeouts, each with the
same step engine as the diagnosis, and rank what answered: verified encryption first, then
encryption with a certificate the program does not trust yet, then plain text.

Nothing is applied here: the caller shows the results for the admin to confirm.
The candidate hosts and ports are injectable so that tests stay on 127.0.0.1.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..domain.errors import BimailError, ErrorCode
from ..domain.models import Encryption
from ..domain.providers import Provider, provider_for_address
from ..domain.texts import Msg
from .cancel import CancelToken
from .diagnosis_report import StepLine
from .diagnostics import DiagnosisTarget, DiagnosticReport, StepStatus, run_diagnosis
from .tls import TrustConfig

log = logging.getLogger(__name__)

Candidate = tuple[str, int, Encryption]
DEFAULT_PORTS: tuple[tuple[int, Encryption], ...] = (
    (587, Encryption.TLS),
    (25, Encryption.TLS),
    (465, Encryption.SSL),
)
DETECT_TIMEOUT = 5.0

_CERT_CODES = {
    ErrorCode.TLS_UNTRUSTED,
    ErrorCode.TLS_HOSTNAME_MISMATCH,
    ErrorCode.TLS_EXPIRED,
    ErrorCode.TLS_PIN_MISMATCH,
}


@dataclass(frozen=True)
class DetectedServer:
    """One server that answered (or a provider preset), for the admin to confirm."""

    host: str
    port: int
    encryption: Encryption
    # "provider" (bundled presets) | "mx" (the domain's MX record names an ISPDB provider)
    # | "probe" (it answered just now)
    source: str
    provider_id: str = ""
    provider_name: str = ""
    hint: str = ""
    hint_zh: str = ""
    link: str = ""
    greeting: str = ""
    auth_methods: tuple[str, ...] = ()
    certificate_trusted: bool | None = None  # None: not encrypted, or not checked (preset)
    certificate: Mapping[str, Any] | None = None
    note: str = ""  # what the admin should know before choosing it
    error_code: str | None = None  # the certificate problem, when there is one

    @property
    def encrypted(self) -> bool:
        return self.encryption is not Encryption.NONE

    def settings(self, address: str = "") -> dict[str, Any]:
        """A mapping for the sender form / ``SenderSettings``."""
        data: dict[str, Any] = {
            "server": self.host,
            "port": self.port,
            "encryption": self.encryption.value,
        }
        if address:
            data["address"] = address
        return data

    def to_dict(self) -> dict[str, Any]:
        return {
            "server": self.host,
            "port": self.port,
            "encryption": self.encryption.value,
            "source": self.source,
            "provider_id": self.provider_id,
            "provider_name": self.provider_name,
            "hint": self.hint,
            "link": self.link,
            "greeting": self.greeting,
            "auth_methods": list(self.auth_methods),
            "certificate_trusted": self.certificate_trusted,
            "certificate": _public_cert(self.certificate),
            "note": self.note,
            "error_code": self.error_code,
        }

    def describe(self) -> str:
        text = f"{self.host} port {self.port} ({self.encryption.label})"
        if self.provider_name:
            text += f" — {self.provider_name}"
        return text


def _public_cert(cert: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not cert:
        return None
    return {k: v for k, v in cert.items() if k != "pem"}


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().lower().rstrip(".")


def candidate_hosts(domain: str) -> list[str]:
    return [f"smtp.{domain}", f"mail.{domain}", domain]


def default_candidates(
    domain: str,
    *,
    hosts: Sequence[str] | None = None,
    ports: Sequence[tuple[int, Encryption | str]] | None = None,
) -> list[Candidate]:
    """Every (host, port, encryption) to try, in order of preference."""
    hosts = list(hosts) if hosts is not None else candidate_hosts(domain)
    port_list = [(int(p), Encryption(e)) for p, e in (ports or DEFAULT_PORTS)]
    return [(host, port, enc) for host in hosts for port, enc in port_list]


def from_provider(provider: Provider) -> list[DetectedServer]:
    """The preset and its alternatives (no network)."""
    options = [(provider.port, provider.encryption), *provider.alternatives]
    return [
        DetectedServer(
            host=provider.host,
            port=port,
            encryption=enc,
            source="provider",
            provider_id=provider.id,
            provider_name=provider.name,
            hint=provider.hint,
            hint_zh=provider.hint_zh,
            link=provider.link,
            note="From the bundled list of known providers.",
        )
        for port, enc in options
    ]


@dataclass
class _Probe:
    candidate: Candidate
    index: int
    report: DiagnosticReport | None = None
    error: BaseException | None = None
    found: DetectedServer | None = None
    rank: int = 9
    failure: BimailError | None = field(default=None)


def _interpret(probe: _Probe) -> None:
    host, port, enc = probe.candidate
    report = probe.report
    if report is None:
        return
    greeting = report.step("greeting")
    ehlo = report.step("ehlo")
    tls = report.step("tls")
    methods = report.step("auth_methods")
    greeting_text = str(greeting.data.get("greeting", "")) if greeting else ""
    auth = tuple(methods.data.get("methods", ())) if methods and methods.data else ()
    if tls is not None and tls.status is StepStatus.PASS and enc is not Encryption.NONE:
        probe.rank = 0
        probe.found = DetectedServer(
            host, port, enc, "probe", greeting=greeting_text, auth_methods=auth,
            certificate_trusted=True, certificate=report.certificate,
            note="Encrypted; the certificate is trusted.",
        )
        return
    if tls is not None and tls.status is StepStatus.FAIL and tls.error is not None:
        if tls.error.code in _CERT_CODES:
            probe.rank = 1
            probe.found = DetectedServer(
                host, port, enc, "probe", greeting=greeting_text,
                certificate_trusted=False, certificate=report.certificate,
                note=tls.error.message(), error_code=tls.error.code.value,
            )
            return
        if (tls.error.code is ErrorCode.STARTTLS_UNSUPPORTED and ehlo is not None
                and ehlo.status is StepStatus.PASS):
            probe.rank = 2
            probe.found = DetectedServer(
                host, port, Encryption.NONE, "probe", greeting=greeting_text,
                auth_methods=auth,
                note="This port offers no encryption: the password and mail would travel in "
                     "clear text. Use it only for a trusted internal server.",
            )
            return
    if enc is Encryption.NONE and ehlo is not None and ehlo.status is StepStatus.PASS:
        probe.rank = 2
        probe.found = DetectedServer(
            host, port, Encryption.NONE, "probe", greeting=greeting_text, auth_methods=auth,
            note="No encryption: use it only for a trusted internal server.",
        )
        return
    failed = report.failed_step
    probe.failure = failed.error if failed is not None else None


def detect(
    address: str,
    *,
    trust: TrustConfig | None = None,
    candidates: Iterable[tuple[str, int, Encryption | str]] | None = None,
    use_presets: bool = True,
    timeout: float = DETECT_TIMEOUT,
    cancel: CancelToken | None = None,
    progress: Callable[[str], None] | None = None,
    lookup_mx: Callable[[str], Sequence[str]] | None = None,
) -> list[DetectedServer]:
    """Servers for ``address``, best first. Presets win when the domain is known (and no
    ``candidates`` are given); otherwise the candidates are probed concurrently. Raises
    :class:`BimailError` (the most telling failure) when nothing answered."""
    domain = domain_of(address)
    say = progress or (lambda _text: None)
    if candidates is None and use_presets:
        provider = provider_for_address(address)
        if provider is not None and provider.host:
            say(StepLine(Msg("detect.provider", domain=domain, name=provider.name)))
            return from_provider(provider)
        # a company domain hosted by a provider: its MX record names the provider
        from .ispdb import provider_for_domain

        say(f"Looking up the mail (MX) record of {domain}…")
        hosted = provider_for_domain(domain, lookup_mx=lookup_mx)
        if hosted is not None:
            ispdb, matched = hosted
            say(f"{domain} is hosted by {ispdb.name}")
            how = (f"The mail of {domain} is handled by {ispdb.name} ({matched})"
                   if matched != domain else f"{domain} is a domain of {ispdb.name}")
            return [DetectedServer(host=host, port=port, encryption=enc, source="mx",
                                   provider_id=ispdb.id, provider_name=ispdb.name,
                                   note=f"{how}: send through its SMTP server.")
                    for host, port, enc in ispdb.servers]
    todo: list[Candidate] = (
        [(h, int(p), Encryption(e)) for h, p, e in candidates]
        if candidates is not None
        else default_candidates(domain)
    )
    if not todo:
        raise BimailError(ErrorCode.INVALID_INPUT, Msg("detect.nothing_to_try"), field="address")
    cancel = cancel or CancelToken()
    trust = trust or TrustConfig()
    probes = [_Probe(c, i) for i, c in enumerate(todo)]

    def run(probe: _Probe) -> _Probe:
        host, port, enc = probe.candidate
        if cancel.cancelled:
            return probe
        say(StepLine(Msg("detect.trying", host=host, port=port, encryption=enc.label)))
        target = DiagnosisTarget(host=host, port=port, encryption=enc, timeout=timeout)
        try:
            probe.report = run_diagnosis(target, trust, cancel=cancel)
        except Exception as exc:  # noqa: BLE001 - one broken probe must not stop the rest
            log.info("probe of %s:%s failed: %s", host, port, type(exc).__name__)
            probe.error = exc
        _interpret(probe)
        if probe.found is not None:
            say(StepLine(Msg("detect.found", server=probe.found.describe())))
        return probe

    with ThreadPoolExecutor(max_workers=min(len(probes), 9),
                            thread_name_prefix="bimail-detect") as pool:
        done = list(pool.map(run, probes))
    if cancel.cancelled:
        raise BimailError(ErrorCode.INTERRUPTED, Msg("detect.cancelled"))
    found = sorted((p for p in done if p.found is not None), key=lambda p: (p.rank, p.index))
    results: list[DetectedServer] = []
    seen: set[tuple[str, int, Encryption]] = set()
    for probe in found:
        assert probe.found is not None
        key = (probe.found.host.lower(), probe.found.port, probe.found.encryption)
        if key not in seen:
            seen.add(key)
            results.append(probe.found)
    if results:
        return results
    raise _nothing_found(domain, done)


def _nothing_found(domain: str, probes: Sequence[_Probe]) -> BimailError:
    failures = [p.failure for p in probes if p.failure is not None]
    tried = ", ".join(f"{h}:{p}" for (h, p, _e) in (pr.candidate for pr in probes))
    codes = [f.code for f in failures]
    if codes and all(c is ErrorCode.DNS_FAILED for c in codes):
        return BimailError(ErrorCode.DNS_FAILED, Msg("detect.no_name_resolves", domain=domain,
                                                     tried=tried))
    for preferred in (ErrorCode.CONNECT_REFUSED, ErrorCode.CONNECT_TIMEOUT, ErrorCode.TIMEOUT):
        if preferred in codes:
            return BimailError(preferred, Msg("detect.no_answer", domain=domain, tried=tried))
    code = codes[0] if codes else ErrorCode.CONNECT_TIMEOUT
    return BimailError(code, Msg("detect.nothing_usable", domain=domain, tried=tried))
