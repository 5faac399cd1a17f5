"""Step-by-step diagnosis (T1) against real aiosmtpd servers on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import logging
import threading

import pytest
from smtp_servers import (
    SmtpTestServer,
    expired_certificate,
    issue_certificate,
)

from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.domain.models import Encryption
from bimail_desktop.mail.cancel import CancelToken
from bimail_desktop.mail.diagnostics import (
    STEP_NAMES,
    DiagnosisTarget,
    DiagnosticReport,
    StepStatus,
    report_json,
    report_markdown,
    run_diagnosis,
)
from bimail_desktop.mail.tls import TrustConfig, pin_key

T = 2.0  # seconds: every answer from a local server comes at once
USER = "report@corp.test"
PASSWORD = "Sup3r-Secret!pw"


def target(server: SmtpTestServer, encryption: str, **kw: object) -> DiagnosisTarget:
    kw.setdefault("timeout", T)
    return DiagnosisTarget(server.host, server.port, Encryption(encryption), **kw)  # type: ignore[arg-type]


def statuses(report: DiagnosticReport) -> dict[str, str]:
    return {s.name: s.status.value for s in report.steps}


def failed(report: DiagnosticReport) -> tuple[str, ErrorCode]:
    step = report.failed_step
    assert step is not None and step.error is not None, statuses(report)
    return step.name, step.error.code


def test_every_step_passes_and_is_reported_as_it_runs(smtp_server_factory, trusted, smtp_cert):
    server = smtp_server_factory("starttls", users={USER: PASSWORD})
    seen: list[tuple[str, str]] = []
    report = run_diagnosis(
        target(server, "tls", username=USER, password=PASSWORD, mail_from=USER,
               to="boss@corp.test"),
        trusted,
        progress=lambda step: seen.append((step.name, step.status.value)),
    )
    assert report.ok, [(s.name, s.detail) for s in report.steps]
    assert [s.name for s in report.steps] == list(STEP_NAMES)
    assert all(s.status is StepStatus.PASS for s in report.steps)
    # each step announced before its result
    assert seen[0] == ("dns", "running") and seen[1] == ("dns", "pass")
    assert ("rcpt", "running") in seen and seen[-1] == ("quit", "pass")
    tls = report.step("tls")
    assert tls is not None and smtp_cert.sha256 in tls.detail
    assert "TLSv1" in tls.detail and tls.data["certificate"]["sha256"] == smtp_cert.sha256
    assert "PLAIN" in report.step("auth_methods").detail  # type: ignore[union-attr]
    # RCPT checked, nothing sent
    assert "RCPT" in server.handler.verbs() and "RSET" in server.handler.verbs()
    assert "DATA" not in server.handler.verbs() and server.messages == []


def test_unknown_name_fails_dns_and_skips_the_rest():
    report = run_diagnosis(DiagnosisTarget("no-such-host.invalid", 25, Encryption.TLS, timeout=T))
    assert failed(report) == ("dns", ErrorCode.DNS_FAILED)
    assert [s.status for s in report.steps[1:]] == [StepStatus.SKIPPED] * 8
    assert report.step("connect").detail.startswith("Not run")  # type: ignore[union-attr]


def test_connection_refused(unused_port):
    report = run_diagnosis(DiagnosisTarget("127.0.0.1", unused_port, Encryption.TLS, timeout=T))
    assert statuses(report)["dns"] == "pass"
    assert failed(report) == ("connect", ErrorCode.CONNECT_REFUSED)
    assert report.step("connect").error.fix()  # type: ignore[union-attr]


def test_server_that_never_greets_times_out(silent_server):
    report = run_diagnosis(
        DiagnosisTarget(silent_server.host, silent_server.port, Encryption.TLS, timeout=1.0)
    )
    assert failed(report) == ("greeting", ErrorCode.TIMEOUT)
    assert report.suggestion is None


def test_missing_starttls_is_refused_without_clear_text(smtp_server_factory, trusted):
    server = smtp_server_factory("starttls", users={USER: PASSWORD}, require_starttls=False)
    server.handler.strip_starttls = True
    report = run_diagnosis(
        target(server, "tls", username=USER, password=PASSWORD, to="a@corp.test"), trusted
    )
    assert failed(report) == ("tls", ErrorCode.STARTTLS_UNSUPPORTED)
    assert "AUTH" not in server.handler.verbs() and "MAIL" not in server.handler.verbs()


def test_untrusted_certificate_shows_it(smtp_server_factory, smtp_cert):
    server = smtp_server_factory("starttls")
    report = run_diagnosis(target(server, "tls"), TrustConfig())
    assert failed(report) == ("tls", ErrorCode.TLS_UNTRUSTED)
    step = report.step("tls")
    assert step is not None and step.error is not None
    assert smtp_cert.sha256 in step.detail
    cert = step.error.extra["certificate"]
    assert cert["sha256"] == smtp_cert.sha256 and "BEGIN CERTIFICATE" in cert["pem"]
    assert report.certificate is not None and report.certificate["sha256"] == smtp_cert.sha256


def test_expired_and_wrong_name_certificates(smtp_server_factory, smtp_ca, trusted):
    expired = smtp_server_factory("ssl", certificate=expired_certificate(smtp_ca, "127.0.0.1"))
    report = run_diagnosis(target(expired, "ssl"), trusted)
    assert failed(report) == ("tls", ErrorCode.TLS_EXPIRED)
    other = smtp_server_factory("ssl", certificate=issue_certificate(smtp_ca, "mail.other.test"))
    report = run_diagnosis(target(other, "ssl"), trusted)
    assert failed(report) == ("tls", ErrorCode.TLS_HOSTNAME_MISMATCH)
    assert "IP address" in report.failed_step.detail  # type: ignore[union-attr]


def test_pinned_certificate_passes_and_a_changed_one_is_refused(smtp_server_factory, smtp_cert):
    server = smtp_server_factory("ssl")
    key = pin_key(server.host, server.port)
    report = run_diagnosis(target(server, "ssl", to="a@corp.test"),
                           TrustConfig(pins={key: frozenset({smtp_cert.sha256})}))
    assert report.ok
    assert "pinned" in report.step("tls").detail  # type: ignore[union-attr]
    before = len(server.handler.commands)
    report = run_diagnosis(target(server, "ssl"), TrustConfig(pins={key: frozenset({"ab" * 32})}))
    assert failed(report) == ("tls", ErrorCode.TLS_PIN_MISMATCH)
    error = report.failed_step.error  # type: ignore[union-attr]
    assert error.extra["expected"] == ["ab" * 32] and error.extra["actual"] == smtp_cert.sha256
    assert server.handler.verbs()[before:] == []  # refused before a word was said


def test_wrong_password(smtp_server_factory, trusted):
    server = smtp_server_factory("starttls", users={USER: PASSWORD})
    report = run_diagnosis(target(server, "tls", username=USER, password="wrong-password"),
                           trusted)
    assert failed(report) == ("login", ErrorCode.AUTH_FAILED)
    assert "535" in (report.failed_step.error.server_reply or "")  # type: ignore[union-attr]
    assert not any("wrong-password" in line for line in report.transcript)


def test_refused_recipient(smtp_server_factory, trusted):
    server = smtp_server_factory("starttls")
    server.handler.rcpt_replies["nobody@corp.test"] = "550 5.1.1 No such user"
    report = run_diagnosis(target(server, "tls", mail_from=USER, to="nobody@corp.test"), trusted)
    assert failed(report) == ("rcpt", ErrorCode.RECIPIENT_REJECTED)
    assert "No such user" in (report.failed_step.error.server_reply or "")  # type: ignore[union-attr]
    assert "DATA" not in server.handler.verbs()


def test_ssl_on_a_starttls_port_suggests_tls(smtp_server_factory, trusted):
    server = smtp_server_factory("starttls")
    report = run_diagnosis(target(server, "ssl"), trusted)
    assert failed(report) == ("tls", ErrorCode.TLS_WRONG_MODE)
    assert report.suggestion == {"encryption": "tls", "port": server.port}
    assert report.failed_step.suggestion == report.suggestion  # type: ignore[union-attr]


def test_ssl_on_a_plain_port_says_it_is_plain(smtp_server_factory):
    server = smtp_server_factory("plain")
    report = run_diagnosis(target(server, "ssl"))
    assert failed(report) == ("tls", ErrorCode.TLS_WRONG_MODE)
    assert report.suggestion == {"encryption": "none", "port": server.port}


def test_tls_on_an_smtps_port_suggests_ssl(smtp_server_factory, trusted):
    server = smtp_server_factory("ssl")
    report = run_diagnosis(target(server, "tls", timeout=1.0), trusted)
    assert failed(report) == ("greeting", ErrorCode.TLS_WRONG_MODE)
    assert report.suggestion == {"encryption": "ssl", "port": server.port}
    # and following the suggestion works
    report = run_diagnosis(target(server, "ssl"), trusted)
    assert report.ok


def test_do_not_encrypt_skips_tls_and_hints_at_starttls(smtp_server_factory):
    plain = smtp_server_factory("plain")
    report = run_diagnosis(target(plain, "none", to="a@corp.test"))
    assert report.ok and statuses(report)["tls"] == "skipped"
    offered = smtp_server_factory("starttls", require_starttls=False)
    report = run_diagnosis(target(offered, "none"))
    assert report.ok and report.suggestion == {"encryption": "tls", "port": offered.port}


def test_secrets_never_in_transcript_report_or_log(smtp_server_factory, trusted, caplog):
    caplog.set_level(logging.DEBUG)
    server = smtp_server_factory("starttls", users={USER: PASSWORD})
    report = run_diagnosis(
        target(server, "tls", username=USER, password=PASSWORD, mail_from=USER, to="a@corp.test"),
        trusted,
    )
    assert report.ok
    plain_blob = base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode()
    password_b64 = base64.b64encode(PASSWORD.encode()).decode()
    auth_lines = [line for line in report.transcript if line.startswith("C: AUTH")]
    assert auth_lines == ["C: AUTH PLAIN ********"]
    texts = ["\n".join(report.transcript), report_markdown(report), report_json(report),
             caplog.text]
    for text in texts:
        for secret in (PASSWORD, plain_blob, password_b64):
            assert secret not in text
    # the server did get the real login (the redaction is in what we show, not what we send)
    assert server.handler.auth_attempts == [("PLAIN", USER, True)]


def test_login_exchange_is_redacted_too(smtp_server_factory, trusted):
    # LOGIN sends user and password as separate base64 lines after 334 challenges
    server = smtp_server_factory("starttls", users={USER: PASSWORD},
                                 auth_exclude_mechanism=["PLAIN"])
    report = run_diagnosis(target(server, "tls", username=USER, password=PASSWORD), trusted)
    assert report.ok
    assert server.handler.auth_attempts == [("LOGIN", USER, True)]
    text = "\n".join(report.transcript)
    assert base64.b64encode(PASSWORD.encode()).decode() not in text
    assert base64.b64encode(USER.encode()).decode() not in text
    assert "C: AUTH LOGIN" in text and "C: ********" in text


def test_cancel_stops_a_waiting_step(silent_server):
    cancel = CancelToken()

    def on_step(step):  # type: ignore[no-untyped-def]
        if step.name == "greeting" and step.status is StepStatus.RUNNING:
            threading.Timer(0.2, cancel.cancel).start()

    report = run_diagnosis(
        DiagnosisTarget(silent_server.host, silent_server.port, Encryption.TLS, timeout=30),
        cancel=cancel,
        progress=on_step,
    )
    assert failed(report) == ("greeting", ErrorCode.INTERRUPTED)
    assert report.duration_ms < 20_000


def test_reports_for_support(smtp_server_factory, trusted, mailbox, tmp_path):
    server = smtp_server_factory("starttls")
    report = mailbox.diagnose(
        settings={"server": server.host, "port": server.port, "encryption": "ssl",
                  "address": USER},
        password=PASSWORD,
        timeout=T,
    )
    assert not report.ok and report.suggestion == {"encryption": "tls", "port": server.port}
    md = mailbox.export_diagnostics_report(report, tmp_path / "r.md").read_text("utf-8")
    assert "# bimail-desktop diagnostics report" in md
    for word in ("program", "python", "os", "keyring_backend", "tls_wrong_mode", "Transcript",
                 USER):
        assert word in md
    data = json.loads(mailbox.export_diagnostics_report(report, tmp_path / "r.json")
                      .read_text("utf-8"))
    assert {"steps", "transcript", "environment", "sender"} <= data.keys()
    assert data["sender"]["address"] == USER and "password" not in data["sender"]
    assert PASSWORD not in md and PASSWORD not in json.dumps(data)


def test_stored_sender_uses_its_password(smtp_server_factory, mailbox):
    server = smtp_server_factory("plain", users={USER: PASSWORD}, auth_require_tls=False)
    mailbox.add_sender({"server": server.host, "port": server.port, "encryption": "none",
                        "address": USER}, PASSWORD)
    report = mailbox.diagnose(sender=USER, to="a@corp.test", timeout=T)
    assert report.ok, [(s.name, s.detail) for s in report.steps]
    assert statuses(report)["login"] == "pass"
    assert server.handler.auth_attempts[-1] == ("PLAIN", USER, True)
    assert report.sender is not None and report.sender["address"] == USER


def test_nothing_to_check(mailbox):
    with pytest.raises(BimailError) as info:
        mailbox.diagnose()
    assert info.value.code is ErrorCode.NOT_CONFIGURED
    with pytest.raises(BimailError) as info:
        mailbox.diagnose(settings={"server": "bad host", "port": 25})
    assert info.value.code is ErrorCode.INVALID_INPUT and info.value.field == "server"
    with pytest.raises(BimailError) as info:
        mailbox.diagnose(sender="nobody@corp.test")
    assert info.value.code is ErrorCode.NOT_FOUND


# --------------------------------------------------------------------------- CLI


def test_cli_json_shape_and_exit_codes(cli, smtp_server_factory, unused_port):
    server = smtp_server_factory("plain")
    ok = cli("--json", "diagnose", "--server", "127.0.0.1", "--port", str(server.port),
             "--encryption", "none", "--to", "a@corp.test", "--timeout", "2")
    assert ok.returncode == 0, ok.stderr
    data = ok.json()
    assert isinstance(data, dict)
    assert [s["name"] for s in data["steps"]] == list(STEP_NAMES)
    for step in data["steps"]:
        assert {"name", "status", "duration_ms", "detail", "error"} <= step.keys()
        assert step["status"] in ("pass", "fail", "skipped")
    assert isinstance(data["transcript"], list) and data["transcript"]

    bad = cli("--json", "diagnose", "--server", "127.0.0.1", "--port", str(unused_port),
              "--timeout", "2")
    assert bad.returncode == 1
    steps = {s["name"]: s for s in bad.json()["steps"]}  # type: ignore[index]
    assert steps["connect"]["status"] == "fail"
    assert steps["connect"]["error"]["code"] == "connect_refused"
    assert {"code", "message", "fix"} <= steps["connect"]["error"].keys()
    assert steps["quit"]["status"] == "skipped" and steps["quit"]["error"] is None

    usage = cli("diagnose", "--port", "25")
    assert usage.returncode == 2
    assert cli("diagnose").returncode == 3  # no default sender


def test_cli_prints_steps_and_writes_report(cli, smtp_server_factory, tmp_path):
    server = smtp_server_factory("plain", users={USER: PASSWORD}, auth_require_tls=False)
    report = tmp_path / "support.md"
    out = cli("diagnose", "--server", "127.0.0.1", "--port", str(server.port), "--encryption",
              "none", "--username", USER, "--password-stdin", "--report", str(report),
              "--timeout", "2", stdin="wrong-one\n")
    assert out.returncode == 1
    assert "[PASS] Name resolution" in out.stdout and "[FAIL] Login" in out.stdout
    assert "auth_failed" in out.stdout and "fix:" in out.stdout
    text = report.read_text("utf-8")
    assert "wrong-one" not in text and "wrong-one" not in out.stdout + out.stderr


def test_cli_report_to_a_folder_is_refused_before_the_diagnosis_runs(
        cli, smtp_server_factory, tmp_path):
    """A report that cannot be written refuses the command before anything runs: no
    connection, and no "last check" noted for the sender."""
    server = smtp_server_factory("plain")
    assert cli("senders", "add", "--server", "127.0.0.1", "--port", str(server.port),
               "--encryption", "none", "--address", "bi@example.com").returncode == 0
    out = cli("--json", "diagnose", "--sender", "bi@example.com", "--report", str(tmp_path))
    assert out.returncode == 2
    error = out.json()["error"]
    assert error["code"] == "invalid_input" and error["field"] == "report"
    assert cli("--json", "senders", "list").json()[0]["last_check"] is None
    assert server.messages == []


# --------------------------------------------------------------------------- trust via Mailbox


def test_untrusted_then_pinned_then_changed(smtp_server_factory, smtp_ca, smtp_cert, mailbox):
    server = smtp_server_factory("ssl")
    settings = {"server": server.host, "port": server.port, "encryption": "ssl"}
    report = mailbox.diagnose(settings=settings, to="a@corp.test", timeout=T)
    assert failed(report) == ("tls", ErrorCode.TLS_UNTRUSTED)
    cert = report.failed_step.error.extra["certificate"]  # type: ignore[union-attr]
    # the admin checks the fingerprint and trusts exactly this certificate
    import ssl

    mailbox.trust_pin(server.host, server.port, ssl.PEM_cert_to_DER_cert(cert["pem"]))
    report = mailbox.diagnose(settings=settings, to="a@corp.test", timeout=T)
    assert report.ok and "pinned" in report.step("tls").detail  # type: ignore[union-attr]
    # the server's certificate changes: refused, with both fingerprints
    renewed = smtp_server_factory("ssl", certificate=issue_certificate(smtp_ca, "127.0.0.1"))
    mailbox.trust_pin(renewed.host, renewed.port, smtp_cert.der)
    report = mailbox.diagnose(settings={**settings, "port": renewed.port}, timeout=T)
    assert failed(report) == ("tls", ErrorCode.TLS_PIN_MISMATCH)
    error = report.failed_step.error  # type: ignore[union-attr]
    assert error.extra["expected"] == [smtp_cert.sha256]
    assert error.extra["actual"] != smtp_cert.sha256


def test_imported_ca_makes_the_server_trusted(smtp_server_factory, smtp_ca_pem, mailbox):
    server = smtp_server_factory("starttls")
    settings = {"server": "localhost", "port": server.port, "encryption": "tls"}
    assert failed(mailbox.diagnose(settings=settings, timeout=T))[1] is ErrorCode.TLS_UNTRUSTED
    mailbox.trust_import_ca(smtp_ca_pem.encode())
    report = mailbox.diagnose(settings=settings, timeout=T)
    assert report.ok, [(s.name, s.detail) for s in report.steps]


def test_step_lines_speak_chinese_in_the_chinese_report(smtp_server_factory, trusted):
    import re

    server = smtp_server_factory("starttls", users={USER: PASSWORD})
    report = run_diagnosis(target(server, "tls", username=USER, password=PASSWORD,
                                  mail_from=USER, to="a@corp.test"), trusted)
    assert report.ok
    steps = report.to_dict("zh_CN")["steps"]
    for step in steps:
        assert re.search(r"[\u4e00-\u9fff]", step["detail"]), step
        assert re.search(r"[\u4e00-\u9fff]", step["title"]), step
    english = {s["name"]: s["detail"] for s in report.to_dict("en")["steps"]}
    assert english["connect"].startswith("Connected to 127.0.0.1")
    chinese = {s["name"]: s["detail"] for s in steps}
    assert chinese["connect"].startswith("已连接到 127.0.0.1")
    assert "验证" in chinese["tls"] and server_sha(report) in chinese["tls"]
    assert "Connected to" not in report_markdown(report, "zh_CN")


def server_sha(report: DiagnosticReport) -> str:
    assert report.certificate is not None
    return str(report.certificate["sha256"])
