"""A company domain hosted by Microsoft 365 or Google Workspace is recognised by its MX
record; provider data in Thunderbird's ISPDB format, extendable by dropping a file into the
data folder. DNS answers come from a fake lookup or a DNS server on 127.0.0.1 — never from
outside."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import dns.message
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import pytest

from bimail_desktop.domain.models import Encryption
from bimail_desktop.mail.ispdb import dns_mx, load_ispdb, parse_ispdb, provider_for_domain
from bimail_desktop.services import Mailbox


def test_bundled_providers_are_ispdb_files() -> None:
    names = {p.name: p for p in load_ispdb()}
    assert {"Microsoft 365", "Google Workspace", "Tencent Exmail"} <= set(names)
    office = names["Microsoft 365"]
    assert office.servers[0] == ("smtp.office365.com", 587, Encryption.TLS)
    assert office.handles("contoso-com.mail.protection.outlook.com")
    assert not office.handles("protection.outlook.com.evil.example")


@pytest.mark.parametrize(("mx", "host", "port", "encryption", "name"), [
    (["contoso-com.mail.protection.outlook.com"], "smtp.office365.com", 587, "tls",
     "Microsoft 365"),
    (["aspmx.l.google.com", "alt1.aspmx.l.google.com"], "smtp.gmail.com", 465, "ssl",
     "Google Workspace"),
])
def test_company_domain_recognised_by_its_mx_record(
    mailbox: Mailbox, mx: list[str], host: str, port: int, encryption: str, name: str
) -> None:
    asked: list[str] = []

    def lookup(domain: str) -> list[str]:
        asked.append(domain)
        return mx

    found = mailbox.detect_settings("bi@contoso-corp.example", lookup_mx=lookup)
    assert asked == ["contoso-corp.example"]
    best = found[0]
    assert (best.host, best.port, best.encryption.value) == (host, port, encryption)
    assert best.source == "mx" and best.provider_name == name
    assert mx[0] in best.note


def test_a_dropped_in_file_adds_a_provider(mailbox: Mailbox) -> None:
    folder = Path(os.environ["BIMAIL_HOME"]) / "ispdb"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "acme-mail.xml").write_text("""<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="acme-mail.test">
  <domain>mx.acme-mail.test</domain><displayName>Acme Mail</displayName>
  <outgoingServer type="smtp"><hostname>submit.acme-mail.test</hostname><port>587</port>
    <socketType>STARTTLS</socketType></outgoingServer>
  <incomingServer type="imap"><hostname>imap.acme-mail.test</hostname><port>993</port>
    <socketType>SSL</socketType></incomingServer>
</emailProvider></clientConfig>""", "utf-8")
    (folder / "broken.xml").write_text("<clientConfig><emailProvider>", "utf-8")
    found = mailbox.detect_settings("ops@shop.example",
                                    lookup_mx=lambda _d: ["in1.mx.acme-mail.test"])
    assert [(f.host, f.port, f.encryption) for f in found] == [
        ("submit.acme-mail.test", 587, Encryption.TLS)]
    assert found[0].provider_name == "Acme Mail"


def test_an_unknown_mx_is_no_provider() -> None:
    """No match: detection goes on to probe smtp.DOMAIN and the like, as before."""
    assert provider_for_domain("corp.test", lookup_mx=lambda _d: ["mx.unknown.test"]) is None
    assert provider_for_domain("corp.test", lookup_mx=lambda _d: []) is None


def test_not_an_ispdb_file_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_ispdb("<html></html>")


# -- the real dnspython lookup, answered by a DNS server on 127.0.0.1 ----------------------
@pytest.fixture
def local_dns() -> Iterator[tuple[str, int]]:
    """A DNS server on 127.0.0.1 that answers MX queries for contoso-corp.example."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                data, peer = sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            query = dns.message.from_wire(data)
            reply = dns.message.make_response(query)
            question = query.question[0]
            if question.rdtype == dns.rdatatype.MX and \
                    question.name.to_text().rstrip(".") == "contoso-corp.example":
                reply.answer.append(dns.rrset.from_text(
                    question.name, 300, dns.rdataclass.IN, dns.rdatatype.MX,
                    "10 contoso-corp-example.mail.protection.outlook.com.",
                    "20 backup.contoso-corp.example."))
            sock.sendto(reply.to_wire(), peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield sock.getsockname()
    stop.set()
    thread.join(2)
    sock.close()


def test_dns_mx_asks_the_domains_mx_record(local_dns: tuple[str, int],
                                           mailbox: Mailbox) -> None:
    assert dns_mx("contoso-corp.example", nameserver=local_dns) == [
        "contoso-corp-example.mail.protection.outlook.com", "backup.contoso-corp.example"]
    assert dns_mx("other.example", nameserver=local_dns, timeout=2) == []
    found = mailbox.detect_settings(
        "bi@contoso-corp.example",
        lookup_mx=lambda domain: dns_mx(domain, nameserver=local_dns))
    assert found[0].host == "smtp.office365.com" and found[0].provider_name == "Microsoft 365"
