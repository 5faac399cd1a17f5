"""`bimail senders …` and `bimail default …` end to end, in real subprocesses."""

from __future__ import annotations

import json
import sqlite3

import pytest

from bimail_desktop import __version__

PASSWORD = "Pw-needle-7f3a9c#&"


def _add(cli, address: str = "r#e&p@example.com", password: str | None = PASSWORD, *extra: str):  # type: ignore[no-untyped-def]
    args = ["senders", "add", "--server", "smtp.example.com", "--port", "587",
            "--encryption", "tls", "--address", address, "--show-name", "报表 Bot", *extra]
    if password is not None:
        args.append("--password-stdin")
    return cli(*args, stdin=(password + "\n") if password is not None else None)


def test_version_and_help(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--version")
    assert result.returncode == 0 and __version__ in result.stdout
    result = cli("--help")
    assert result.returncode == 0
    for command in ("senders", "default"):
        assert command in result.stdout


def test_add_list_edit_remove_with_json(cli) -> None:  # type: ignore[no-untyped-def]
    assert _add(cli).returncode == 0
    listed = cli("--json", "senders", "list")
    assert listed.returncode == 0
    (sender,) = listed.json()
    assert {k: sender[k] for k in ("address", "server", "port", "encryption", "username",
                                   "show_name", "is_default")} == {
        "address": "r#e&p@example.com", "server": "smtp.example.com", "port": 587,
        "encryption": "tls", "username": "", "show_name": "报表 Bot", "is_default": False}
    assert sender["has_password"] is True
    assert PASSWORD not in listed.stdout

    edited = cli("--json", "senders", "edit", "R#E&P@EXAMPLE.COM", "--port", "465",
                 "--encryption", "ssl", "--address", "reports@example.com")
    assert edited.returncode == 0, edited.stderr
    assert edited.json()["port"] == 465 and edited.json()["address"] == "reports@example.com"
    keychain = json.loads(cli.keychain_file.read_text())
    assert list(keychain.values()) == [PASSWORD]  # renaming kept the password

    removed = cli("senders", "remove", "reports@example.com")
    assert removed.returncode == 0
    assert json.loads(cli.keychain_file.read_text()) == {}
    assert cli("--json", "senders", "list").json() == []


def test_defaults_port_25_and_tls_when_omitted(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--json", "senders", "add", "--server", "10.1.2.3", "--address", "a@corp.cn")
    assert result.returncode == 0
    assert (result.json()["port"], result.json()["encryption"]) == (25, "tls")


def test_invalid_input_exits_2_names_the_field_and_changes_nothing(cli) -> None:  # type: ignore[no-untyped-def]
    bad = [
        ("--server", "smtp example.com", "server"),
        ("--port", "70000", "port"),
        ("--encryption", "ssl3", "encryption"),
        ("--address", "not-an-address", "address"),
    ]
    for flag, value, field in bad:
        args = {"--server": "smtp.example.com", "--port": "25", "--encryption": "tls",
                "--address": "ok@example.com"}
        args[flag] = value
        flat = [item for pair in args.items() for item in pair]
        result = cli("senders", "add", *flat)
        assert result.returncode == 2, (flag, result.stderr)
        assert "invalid_input" in result.stderr and field in result.stderr
        as_json = cli("--json", "senders", "add", *flat)
        error = as_json.json()["error"]
        assert as_json.returncode == 2 and error["code"] == "invalid_input"
        assert error["field"] == field and error["fix"]
    assert cli("--json", "senders", "list").json() == []
    assert _add(cli).returncode == 0
    duplicate = _add(cli, "R#E&P@example.com")
    assert duplicate.returncode == 2 and "already exists" in duplicate.stderr
    assert cli("senders", "remove", "ghost@example.com").returncode == 2


def test_unknown_command_is_usage_error(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("senders", "explode")
    assert result.returncode == 2


def test_default_sender_show_set_clear_and_exit_3(cli) -> None:  # type: ignore[no-untyped-def]
    shown = cli("default", "show")
    assert shown.returncode == 3 and "not configured" in shown.stdout
    data = cli("--json", "default", "show").json()
    assert {k: data[k] for k in ("configured", "default_sender")} == {
        "configured": False, "default_sender": None}
    assert data["message"].startswith("Mailbox not configured")  # and says how to fix it
    assert "bimail default set" in data["fix"]
    _add(cli)
    assert cli("default", "set", "nobody@example.com").returncode == 2
    assert cli("default", "set", "R#E&P@example.com").returncode == 0
    shown = cli("--json", "default", "show")
    assert shown.returncode == 0
    assert shown.json()["default_sender"]["address"] == "r#e&p@example.com"
    assert cli("--json", "senders", "list").json()[0]["is_default"] is True

    removed = cli("senders", "remove", "r#e&p@example.com")
    assert "now not configured" in removed.stdout
    assert cli("default", "show").returncode == 3

    _add(cli, "b@example.com")
    cli("default", "set", "b@example.com")
    assert cli("default", "clear").returncode == 0
    assert cli("default", "show").returncode == 3


@pytest.mark.sqlite_only
def test_password_is_never_in_the_database_or_its_wal(cli) -> None:  # type: ignore[no-untyped-def]
    _add(cli)
    _add(cli, "second@example.com")
    cli("senders", "edit", "second@example.com", "--password-stdin", stdin=PASSWORD + "\n")
    cli("default", "set", "second@example.com")
    files = [p for p in cli.home.iterdir() if p.name.startswith("bimail.db")]
    assert any(p.name == "bimail.db" for p in files)
    needles = [PASSWORD.encode(), PASSWORD.encode("utf-16-le")]
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"password found in {path.name}"
    with sqlite3.connect(cli.home / "bimail.db") as conn:
        dump = "\n".join(conn.iterdump())
    assert PASSWORD not in dump
    # ... while the keychain does hold it
    assert PASSWORD in cli.keychain_file.read_text()


def test_password_is_read_from_stdin_only(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("senders", "add", "--server", "smtp.example.com", "--address", "x@example.com",
                 "--password", "oops")
    assert result.returncode == 2  # there is no --password flag


def test_no_keychain_gives_secret_unavailable_and_saves_nothing(cli) -> None:  # type: ignore[no-untyped-def]
    cli.env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    result = cli("--json", "senders", "add", "--server", "smtp.example.com", "--address",
                 "x@example.com", "--password-stdin", stdin=PASSWORD + "\n")
    assert result.returncode == 1
    assert result.json()["error"]["code"] == "secret_unavailable"
    assert PASSWORD not in result.stdout
    assert cli("--json", "senders", "list").json() == []


def test_remove_with_no_keychain_says_what_was_left_and_how_to_remove_it(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("senders", "add", "--server", "smtp.example.com", "--address",
               "x@example.com", "--password-stdin", stdin=PASSWORD + "\n").returncode == 0
    sender_id = cli("--json", "senders", "list").json()[0]["id"]
    cli.env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    result = cli("--json", "senders", "remove", "x@example.com")
    assert result.returncode == 0, result.stderr
    data = result.json()
    assert data["removed"]["address"] == "x@example.com"
    keychain = data["keychain"]
    assert keychain["cleaned"] is False and keychain["retry_on_start"] is True
    assert keychain["left"] == [sender_id, f"{sender_id}:oauth"]
    assert f"keyring del bimail-desktop {sender_id}" in keychain["message"]
    text = cli("senders", "list")
    assert "x@example.com" not in text.stdout
    assert PASSWORD in cli.keychain_file.read_text("utf-8")  # left behind, for now

    # the keychain works again: the next start deletes what was left
    cli.env["PYTHON_KEYRING_BACKEND"] = "bimail_test_keyring.FileKeyring"
    assert cli("senders", "list").returncode == 0
    assert PASSWORD not in cli.keychain_file.read_text("utf-8")
    assert not (cli.home / "pending-keychain-removals.json").exists()
    assert cli("senders", "add", "--server", "smtp.example.com", "--address",
               "y@example.com").returncode == 0
    assert cli("--json", "senders", "remove", "y@example.com").json()["keychain"] == {
        "cleaned": True}
