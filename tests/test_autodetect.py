"""Autodetect server settings from an address: presets first, then local probes."""

from __future__ import annotations

import pytest

from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.domain.models import Encryption
from bimail_desktop.mail.autodetect import default_candidates, detect
from bimail_desktop.mail.tls import TrustConfig

T = 2.0


def test_known_provider_needs_no_network(mailbox):
    found = mailbox.detect_settings("someone@qq.com")
    assert found[0].host == "smtp.qq.com" and found[0].port == 465
    assert found[0].encryption is Encryption.SSL and found[0].source == "provider"
    assert "authorisation code" in found[0].hint
    gmail = mailbox.detect_settings("x@gmail.com")
    assert [(s.port, s.encryption.value) for s in gmail] == [(465, "ssl"), (587, "tls")]
    assert gmail[0].settings("x@gmail.com") == {
        "server": "smtp.gmail.com", "port": 465, "encryption": "ssl", "address": "x@gmail.com"}


def test_default_candidates_follow_mail_clients():
    cands = default_candidates("corp.test")
    assert cands[:3] == [("smtp.corp.test", 587, Encryption.TLS),
                         ("smtp.corp.test", 25, Encryption.TLS),
                         ("smtp.corp.test", 465, Encryption.SSL)]
    assert {h for h, _p, _e in cands} == {"smtp.corp.test", "mail.corp.test", "corp.test"}


def test_probes_rank_encrypted_before_plain(smtp_server_factory, smtp_ca_pem, unused_port):
    plain = smtp_server_factory("plain")
    starttls = smtp_server_factory("starttls")
    smtps = smtp_server_factory("ssl")
    candidates = [
        ("127.0.0.1", unused_port, "tls"),
        ("127.0.0.1", plain.port, "tls"),
        ("127.0.0.1", starttls.port, "tls"),
        ("127.0.0.1", smtps.port, "ssl"),
    ]
    found = detect("admin@corp.test", trust=TrustConfig(cas=(smtp_ca_pem,)),
                   candidates=candidates, timeout=T)
    assert [(s.port, s.encryption) for s in found] == [
        (starttls.port, Encryption.TLS),
        (smtps.port, Encryption.SSL),
        (plain.port, Encryption.NONE),
    ]
    assert found[0].certificate_trusted is True and found[-1].certificate_trusted is None
    assert "clear text" in found[-1].note
    assert plain.messages == [] and starttls.messages == []  # nothing was sent


def test_untrusted_certificate_is_found_but_ranked_after_trusted(smtp_server_factory, mailbox):
    starttls = smtp_server_factory("starttls")
    plain = smtp_server_factory("plain")
    progress: list[str] = []
    found = mailbox.detect_settings(
        "admin@corp.test",
        candidates=[("127.0.0.1", plain.port, "tls"), ("127.0.0.1", starttls.port, "tls")],
        timeout=T,
        progress=progress.append,
    )
    assert found[0].port == starttls.port and found[0].certificate_trusted is False
    assert found[0].error_code == "tls_untrusted" and found[0].certificate is not None
    assert found[1].encryption is Encryption.NONE
    assert any(p.startswith("Trying 127.0.0.1") for p in progress)
    # the window and `bimail --lang zh_CN` show the same lines in Chinese
    chinese = [p.text("zh_CN") for p in progress]  # type: ignore[attr-defined]
    assert any(c.startswith("正在尝试 127.0.0.1") for c in chinese)
    assert any(c.startswith("找到 127.0.0.1") for c in chinese)
    assert "pem" not in (found[0].to_dict()["certificate"] or {})


def test_nothing_answers(mailbox, unused_port):
    with pytest.raises(BimailError) as info:
        mailbox.detect_settings("a@corp.test", candidates=[("127.0.0.1", unused_port, "tls")],
                                timeout=T)
    assert info.value.code is ErrorCode.CONNECT_REFUSED
    with pytest.raises(BimailError) as info:
        mailbox.detect_settings("a@corp.test", candidates=[("x.invalid", 25, "tls")],
                                timeout=T)
    assert info.value.code is ErrorCode.DNS_FAILED
    with pytest.raises(BimailError) as info:
        mailbox.detect_settings("not an address")
    assert info.value.code is ErrorCode.INVALID_INPUT


def test_cli_detect(cli, smtp_server_factory):
    plain = smtp_server_factory("plain")
    out = cli("--json", "detect", "a@corp.test", "--candidate", f"127.0.0.1:{plain.port}:tls",
              "--timeout", "2")
    assert out.returncode == 0, out.stderr
    data = out.json()
    assert data["servers"][0]["port"] == plain.port  # type: ignore[index]
    assert data["servers"][0]["encryption"] == "none"  # type: ignore[index]
    text = cli("diagnose", "--detect", "x@163.com")
    assert text.returncode == 0 and "smtp.163.com port 465 (SSL)" in text.stdout
    assert "nothing was saved" in text.stdout
    assert cli("detect", "a@corp.test", "--candidate", "nonsense").returncode == 2
