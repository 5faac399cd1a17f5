"""`bimail config export|import`: a setup moves to another machine, without its passwords."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bimail_desktop.domain.errors import InvalidInput
from bimail_desktop.services import Mailbox

SECRET = "Export-needle-91&#"


def test_export_then_import_into_a_fresh_mailbox(mailbox: Mailbox, tmp_path: Path) -> None:
    mailbox.add_sender({"server": "smtp.qq.com", "port": 465, "encryption": "ssl",
                        "address": "r#e&p@qq.com", "show_name": "报表"}, password=SECRET)
    mailbox.add_sender({"server": "10.0.0.5", "encryption": "none", "address": "bi@corp.cn"})
    mailbox.set_default_sender("bi@corp.cn")
    path = tmp_path / "setup.json"
    mailbox.export_config_file(path)
    text = path.read_text("utf-8")
    assert SECRET not in text
    data = json.loads(text)
    assert all("password" not in key for s in data["senders"] for key in s)
    assert data["default_sender"] == "bi@corp.cn"
    assert {s["address"] for s in data["senders"]} == {"r#e&p@qq.com", "bi@corp.cn"}
    assert all(t["name"] != "Test Mail" for t in data["templates"])

    other = Mailbox.open(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        summary = other.import_config_file(path)
        assert set(summary.senders_added) == {"r#e&p@qq.com", "bi@corp.cn"}
        default = other.default_sender()
        assert default is not None and default.address == "bi@corp.cn"
        qq = other.get_sender("r#e&p@qq.com")
        assert (qq.port, qq.encryption.value, qq.show_name) == (465, "ssl", "报表")
        # importing again updates instead of duplicating
        again = other.import_config_file(path)
        assert set(again.senders_updated) == {"r#e&p@qq.com", "bi@corp.cn"}
        assert len(other.list_senders()) == 2
    finally:
        other.close()


def test_bad_file_changes_nothing(mailbox: Mailbox, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({
        "format": "bimail-desktop-config", "version": 1,
        "senders": [{"server": "smtp.ok.com", "address": "ok@ok.com"},
                    {"server": "bad host", "address": "x@ok.com"}],
    }))
    with pytest.raises(InvalidInput) as info:
        mailbox.import_config_file(path)
    assert info.value.field == "senders[1].server"
    assert mailbox.list_senders() == []
    path.write_text("{not json")
    with pytest.raises(InvalidInput) as info:
        mailbox.import_config_file(path)
    assert info.value.field == "file"


def test_cli_export_import(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("senders", "add", "--server", "smtp.example.com", "--address", "a@example.com",
        "--password-stdin", stdin=SECRET + "\n")
    cli("default", "set", "a@example.com")
    out = tmp_path / "export.json"
    result = cli("config", "export", str(out))
    assert result.returncode == 0 and "no passwords" in result.stdout
    assert SECRET not in out.read_text()
    cli("senders", "remove", "a@example.com")
    result = cli("--json", "config", "import", str(out))
    assert result.returncode == 0
    assert result.json()["senders_added"] == ["a@example.com"]
    assert cli("default", "show").returncode == 0
    assert cli("config", "import", str(tmp_path / "missing.json")).returncode == 2


def test_oauth2_sender_keeps_its_app_settings_but_not_its_tokens(
    mailbox: Mailbox, tmp_path: Path
) -> None:
    mailbox.add_sender({"server": "smtp.office365.com", "port": 587, "encryption": "tls",
                        "address": "bi@contoso.com"})
    mailbox.set_sender_oauth("bi@contoso.com", "oauth2_microsoft",
                             {"client_id": "11111111-2222-3333-4444-555555555555",
                              "tenant": "contoso.onmicrosoft.com"})
    path = tmp_path / "oauth.json"
    mailbox.export_config_file(path)
    (sender,) = json.loads(path.read_text("utf-8"))["senders"]
    assert sender["auth_method"] == "oauth2_microsoft"
    assert sender["oauth"]["client_id"] == "11111111-2222-3333-4444-555555555555"
    assert "token" not in json.dumps(sender["oauth"]).replace("token_url", "")

    other = Mailbox.open(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        other.import_config_file(path)
        settings = other.sender_oauth_settings("bi@contoso.com")
        assert settings.tenant == "contoso.onmicrosoft.com"
        assert other.oauth_status("bi@contoso.com") == "needs_sign_in"
    finally:
        other.close()


def test_unknown_sign_in_method_is_refused(mailbox: Mailbox, tmp_path: Path) -> None:
    path = tmp_path / "bad-auth.json"
    path.write_text(json.dumps({
        "format": "bimail-desktop-config", "version": 1,
        "senders": [{"server": "smtp.ok.com", "address": "ok@ok.com", "auth_method": "magic"}],
    }))
    with pytest.raises(InvalidInput) as info:
        mailbox.import_config_file(path)
    assert info.value.field == "senders[0].auth_method"
    assert mailbox.list_senders() == []


# -- hostile and broken files: the whole import is refused, naming the entry -----------------
def _config(**parts: object) -> dict[str, object]:
    return {"format": "bimail-desktop-config", "version": 1, **parts}


GOOD_SENDER = {"server": "smtp.ok.com", "address": "ok@ok.com"}
GOOD_TEMPLATE = {"name": "Daily", "subject": "Daily ${day}", "html": "<p>${day}</p>"}


def _state(mailbox: Mailbox) -> tuple[object, ...]:
    return (mailbox.list_senders(), mailbox.list_templates(), mailbox.trusted_certificates(),
            mailbox.default_sender())


@pytest.mark.parametrize("data, field, words", [
    (None, "file", "not a bimail-desktop configuration"),
    ([1], "file", "not a bimail-desktop configuration"),
    (_config(version="abc"), "version", "whole number"),
    (_config(version=None), "version", "whole number"),
    (_config(version=True), "version", "whole number"),
    (_config(version=2), "file", "newer version"),
    (_config(senders=5), "senders", "must be a list"),
    (_config(senders={"a": 1}), "senders", "must be a list"),
    (_config(senders=[GOOD_SENDER, 7]), "senders[1]", "must be a sender"),
    (_config(senders=[{"server": "smtp.ok.com", "address": ["ok@ok.com"]}]),
     "senders[0].address", "must be text"),
    (_config(senders=[{**GOOD_SENDER, "port": "587"}]), "senders[0].port", "whole number"),
    (_config(senders=[{**GOOD_SENDER, "port": 70000}]), "senders[0].port", "out of range"),
    (_config(senders=[{**GOOD_SENDER, "rate_limit": 2.5}]), "senders[0].rate_limit",
     "whole number"),
    (_config(senders=[GOOD_SENDER, {**GOOD_SENDER, "address": "OK@OK.COM"}]),
     "senders[1].address", "same address as senders[0]"),
    (_config(senders=[{**GOOD_SENDER, "auth_method": "oauth2_custom", "oauth": {}}]),
     "senders[0].oauth.client_id", "client) ID"),
    (_config(senders=[{**GOOD_SENDER, "auth_method": "oauth2_microsoft", "oauth": "x"}]),
     "senders[0].oauth", "must be an object"),
    (_config(senders=[{**GOOD_SENDER, "auth_method": "oauth2_microsoft",
                       "oauth": {"client_id": 5}}]), "senders[0].oauth.client_id",
     "must be text"),
    (_config(templates=[{**GOOD_TEMPLATE, "subject": "Cost $5"}]), "templates[0].subject",
     "not a placeholder"),
    (_config(templates=[{**GOOD_TEMPLATE, "html": "<p>${first name}</p>"}]),
     "templates[0].html", "not a placeholder"),
    (_config(templates=[{**GOOD_TEMPLATE, "subject": "Hi\r\nBcc: x@evil.com"}]),
     "templates[0].subject", "line breaks"),
    (_config(templates=[{**GOOD_TEMPLATE, "subject": ""}]), "templates[0].subject", "empty"),
    (_config(templates=[{**GOOD_TEMPLATE, "name": "n" * 10_000}]), "templates[0].name",
     "longer than"),
    (_config(templates=[{**GOOD_TEMPLATE, "html": "<p>" + "x" * 3_000_000 + "</p>"}]),
     "templates[0].html", "longer than"),
    (_config(templates=[GOOD_TEMPLATE, GOOD_TEMPLATE]), "templates[1].name",
     "name of templates[0]"),
    (_config(templates=[{**GOOD_TEMPLATE, "name": "Test Mail"}]), "templates[0].name",
     "built-in"),
    (_config(templates=[{"name": "x", "subject": None, "html": "<p/>"}]),
     "templates[0].subject", "must be text"),
    (_config(trusted_certificates=[{"kind": "ca", "pem": "-----BEGIN CERTIFICATE-----\n"
                                    "Z2FyYmFnZQ==\n-----END CERTIFICATE-----\n"}]),
     "trusted_certificates[0].pem", ""),
    (_config(trusted_certificates=[{"kind": "magic", "pem": "x"}]),
     "trusted_certificates[0].kind", "use ca or pin"),
    (_config(default_sender=["ok@ok.com"]), "default_sender", "must be an address"),
    (_config(default_sender="nobody@ok.com"), "default_sender", "not among the senders"),
])
def test_a_bad_entry_refuses_the_whole_file(
    mailbox: Mailbox, data: object, field: str, words: str
) -> None:
    # a good sender and template come first in every file: nothing of them may be stored
    if isinstance(data, dict):
        data = {"senders": [GOOD_SENDER], "templates": [{**GOOD_TEMPLATE, "name": "First"}],
                **data}
    before = _state(mailbox)
    with pytest.raises(InvalidInput) as info:
        mailbox.import_config(data)
    assert info.value.field == field, str(info.value)
    assert words in str(info.value)
    assert _state(mailbox) == before


def test_certificates_are_parsed_and_described_by_themselves(mailbox: Mailbox) -> None:
    import trustme

    ca = trustme.CA()
    server = ca.issue_cert("mail.corp.cn")
    ca_pem = ca.cert_pem.bytes().decode()
    leaf_pem = server.cert_chain_pems[0].bytes().decode()
    before = _state(mailbox)
    # a rogue entry with a made-up fingerprint and subject
    forged = {"kind": "ca", "pem": ca_pem, "sha256": "ab" * 32, "subject": "CN=Trusted Bank"}
    with pytest.raises(InvalidInput) as info:
        mailbox.import_config(_config(trusted_certificates=[forged]))
    assert info.value.field == "trusted_certificates[0].sha256"
    # a server's certificate is not a CA
    with pytest.raises(InvalidInput) as info:
        mailbox.import_config(_config(trusted_certificates=[{"kind": "ca", "pem": leaf_pem}]))
    assert info.value.field == "trusted_certificates[0].pem"
    assert "not a CA certificate" in str(info.value)
    # a pin whose fingerprint is no hash, a pin without a port
    with pytest.raises(InvalidInput) as info:
        mailbox.import_config(_config(trusted_certificates=[
            {"kind": "pin", "host": "mail.corp.cn:465", "pem": leaf_pem,
             "sha256": "not-a-hash"}]))
    assert info.value.field == "trusted_certificates[0].sha256"
    with pytest.raises(InvalidInput) as info:
        mailbox.import_config(_config(trusted_certificates=[
            {"kind": "pin", "host": "mail.corp.cn", "pem": leaf_pem}]))
    assert info.value.field == "trusted_certificates[0].host"
    assert _state(mailbox) == before

    # the subject in the file is ignored: what is listed comes from the certificate
    summary = mailbox.import_config(_config(trusted_certificates=[
        {"kind": "ca", "pem": ca_pem, "subject": "CN=Trusted Bank"},
        {"kind": "pin", "host": "MAIL.corp.cn:465", "pem": leaf_pem}]))
    assert summary.certificates == 2
    listed = {c.kind: c for c in mailbox.trusted_certificates()}
    assert "Trusted Bank" not in listed["ca"].subject
    assert listed["pin"].host == "mail.corp.cn:465"
    assert mailbox.trust_config().pins_for("mail.corp.cn", 465)


def test_an_import_is_one_transaction(mailbox: Mailbox) -> None:
    # valid everywhere, but the default sender exists nowhere: refused before writing
    mailbox.add_sender({"server": "smtp.old.com", "address": "old@ok.com", "port": 25})
    before = _state(mailbox)
    with pytest.raises(InvalidInput):
        mailbox.import_config(_config(
            senders=[{**GOOD_SENDER}, {"server": "smtp.new.com", "address": "OLD@ok.com",
                                       "port": 465, "encryption": "ssl"}],
            templates=[GOOD_TEMPLATE], default_sender="ghost@ok.com"))
    assert _state(mailbox) == before
    summary = mailbox.import_config(_config(
        senders=[{**GOOD_SENDER}, {"server": "smtp.new.com", "address": "OLD@ok.com",
                                   "port": 465, "encryption": "ssl"}],
        templates=[GOOD_TEMPLATE], default_sender="ok@ok.com"))
    assert summary.senders_added == ("ok@ok.com",)
    assert summary.senders_updated == ("OLD@ok.com",)
    assert mailbox.get_sender("old@ok.com").port == 465
    assert mailbox.get_template("Daily") is not None


@pytest.mark.parametrize("content, words", [
    (b"null", "not a bimail-desktop configuration"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b"\xff\xfe garbage", "not UTF-8"),
    (b'{"version": ' + b"9" * 5000 + b"}", "not readable JSON"),
])
def test_broken_files_are_invalid_input(
    mailbox: Mailbox, tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as info:
        mailbox.import_config_file(path)
    assert words in str(info.value)


def test_files_over_8_mb_and_devices_are_refused_unread(mailbox: Mailbox, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (8 * 1024 * 1024 + 1))
    with pytest.raises(InvalidInput, match="larger than 8 MB"):
        mailbox.import_config_file(big)
    with pytest.raises(InvalidInput, match="not a regular file"):
        mailbox.import_config_file("/dev/zero")


def test_cli_refuses_a_hostile_file_with_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(_config(senders=[GOOD_SENDER, {**GOOD_SENDER,
                                                              "address": "Ok@Ok.com"}])))
    result = cli("--json", "config", "import", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.json()["error"]["field"] == "senders[1].address"
    assert cli("--json", "senders", "list").json() == []
    for content in ('{"format": "bimail-desktop-config", "version": "abc"}', "null",
                    "[" * 50_000):
        path.write_text(content)
        result = cli("--json", "config", "import", str(path))
        assert result.returncode == 2 and "Traceback" not in result.stderr, content[:40]
        assert result.json()["error"]["code"] == "invalid_input"
    assert cli("config", "import", "/dev/zero").returncode == 2


def test_the_window_tells_a_refused_import(qtbot, mailbox: Mailbox, tmp_path: Path,  # type: ignore[no-untyped-def]
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from bimail_desktop.gui.main_window import MainWindow

    messages: list[tuple[str, bool]] = []
    monkeypatch.setattr(MainWindow, "inform",
                        staticmethod(lambda _p, _t, text, error=False: messages.append(
                            (text, error))))
    window = MainWindow(mailbox, remember=False)
    qtbot.addWidget(window)
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(_config(senders=[GOOD_SENDER],
                                       templates=[{**GOOD_TEMPLATE, "subject": "a\nb"}])))
    assert not window.import_config(str(path))
    text, error = messages[-1]
    assert error and "templates[0].subject" in text
    assert mailbox.list_senders() == []
    window.close()


def test_an_imported_change_of_oauth2_app_drops_the_old_sign_in(mailbox: Mailbox) -> None:
    from bimail_desktop.mail.oauth import TokenSet

    mailbox.add_sender({"server": "smtp.office365.com", "port": 587, "encryption": "tls",
                        "address": "bi@contoso.com"})
    old_app = {"client_id": "11111111-2222-3333-4444-555555555555",
               "tenant": "contoso.onmicrosoft.com"}
    mailbox.set_sender_oauth("bi@contoso.com", "oauth2_microsoft", old_app,
                             tokens=TokenSet("access", "refresh"))
    assert mailbox.oauth_status("bi@contoso.com") == "signed_in"
    exported = mailbox.export_config()
    # the same app again keeps the sign-in
    mailbox.import_config(exported)
    assert mailbox.oauth_status("bi@contoso.com") == "signed_in"
    # another app: the tokens of the old one are dropped
    exported["senders"][0]["oauth"]["client_id"] = "99999999-2222-3333-4444-555555555555"
    mailbox.import_config(exported)
    assert mailbox.oauth_status("bi@contoso.com") == "needs_sign_in"
    assert mailbox.sender_oauth_settings("bi@contoso.com").client_id.startswith("9999")
