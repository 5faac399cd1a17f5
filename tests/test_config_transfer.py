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
