"""`bimail senders add/edit --auth …` and `bimail senders sign-in` in a real subprocess."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from fake_oauth import FakeOAuthProvider

ADDRESS = "bi@bimail.test"


def add_custom(cli, idp: FakeOAuthProvider, *extra: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return cli("senders", "add", "--server", "127.0.0.1", "--encryption", "none",
               "--address", ADDRESS, "--auth", "oauth2-custom", "--client-id", idp.client_id,
               "--scopes", "smtp offline_access", "--auth-url", idp.auth_url,
               "--token-url", idp.token_url, "--device-url", idp.device_url, *extra,
               stdin=stdin)


def assert_no_token(idp: FakeOAuthProvider, *texts: str) -> None:
    for token in idp.issued:
        for text in texts:
            assert token not in text


def test_device_code_sign_in_through_the_cli(cli, idp: FakeOAuthProvider) -> None:  # type: ignore[no-untyped-def]
    added = add_custom(cli, idp)
    assert added.returncode == 0, added.stderr
    assert f"bimail senders sign-in {ADDRESS}" in added.stdout

    listed = cli("--json", "senders", "list")
    [row] = listed.json()  # type: ignore[misc]
    assert row["auth_method"] == "oauth2_custom"
    assert row["oauth_status"] == "needs_sign_in"
    assert row["oauth"]["client_id"] == idp.client_id

    proc = subprocess.Popen(
        [sys.executable, "-m", "bimail_desktop", "senders", "sign-in", ADDRESS,
         "--timeout", "30"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        env=cli.env)
    try:
        assert proc.stdout is not None
        shown = []
        for line in proc.stdout:
            shown.append(line)
            if line.startswith("Code: "):
                break
        code = shown[-1].removeprefix("Code: ").strip()
        assert f"{idp.base}/device" in "".join(shown)
        # the admin opens the URL on another computer and enters the code
        urllib.request.urlopen(f"{idp.base}/device?user_code={code}", timeout=10).read()
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert f"Signed in as {ADDRESS}" in out

    listed = cli("--json", "senders", "list")
    [row] = listed.json()  # type: ignore[misc]
    assert row["oauth_status"] == "signed_in"
    assert row["warnings"] == []
    text = cli("senders", "list")
    assert "oauth2-custom (signed in)" in text.stdout
    # tokens live in the keychain only: not in output, not in the database
    assert_no_token(idp, listed.stdout, text.stdout, "".join(shown), out, err)
    database = (cli.home / "bimail.db").read_bytes()
    for token in idp.issued:
        assert token.encode() not in database
    assert any(t in cli.keychain_file.read_text() for t in idp.issued)


@pytest.mark.skipif(os.name == "nt", reason="the $BROWSER script needs a shebang")
def test_sign_in_with_the_browser_flag(cli, idp: FakeOAuthProvider, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert add_custom(cli, idp).returncode == 0
    # $BROWSER: a "browser" that follows the provider's redirect back to the program
    opener = tmp_path / "browser.py"
    opener.write_text(f"#!{sys.executable}\nimport sys, urllib.request\n"
                      "urllib.request.urlopen(sys.argv[1], timeout=10).read()\n")
    opener.chmod(opener.stat().st_mode | stat.S_IXUSR)
    env = dict(cli.env, BROWSER=str(opener))
    proc = subprocess.run(
        [sys.executable, "-m", "bimail_desktop", "--json", "senders", "sign-in", ADDRESS,
         "--browser", "--timeout", "30"],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert '"oauth_status": "signed_in"' in proc.stdout
    assert "http://127.0.0.1:" in proc.stderr  # the URL is shown for copying
    assert_no_token(idp, proc.stdout, proc.stderr)


def test_sign_in_refused_by_the_provider_is_auth_failed(cli, idp: FakeOAuthProvider) -> None:  # type: ignore[no-untyped-def]
    assert add_custom(cli, idp).returncode == 0
    idp.client_id = "another-app"  # the provider no longer knows the client
    result = cli("--json", "senders", "sign-in", ADDRESS, "--timeout", "5")
    assert result.returncode == 1
    assert result.json()["error"]["code"] == "auth_failed"  # type: ignore[index]


def test_oauth_options_are_checked_before_anything_is_saved(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("senders", "add", "--server", "smtp.gmail.com", "--port", "465",
                 "--encryption", "ssl", "--address", "bi@gmail.com", "--auth", "oauth2-google",
                 "--client-id", "123.apps.googleusercontent.com")
    assert result.returncode == 2
    assert "client_secret" in result.stderr
    assert cli("--json", "senders", "list").json() == []

    result = cli("senders", "add", "--server", "smtp.office365.com", "--port", "587",
                 "--address", "bi@contoso.test", "--client-id", "abc")
    assert result.returncode == 2
    assert cli("--json", "senders", "list").json() == []


def test_google_sender_with_client_secret_from_stdin(cli) -> None:  # type: ignore[no-untyped-def]
    secret = "GOCSPX-not-a-real-secret"
    result = cli("--json", "senders", "add", "--server", "smtp.gmail.com", "--port", "465",
                 "--encryption", "ssl", "--address", "bi@gmail.com", "--auth", "oauth2-google",
                 "--client-id", "123.apps.googleusercontent.com", "--client-secret-stdin",
                 stdin=secret + "\n")
    assert result.returncode == 0, result.stderr
    assert secret not in result.stdout
    listed = cli("--json", "senders", "list")
    assert secret not in listed.stdout
    [row] = listed.json()  # type: ignore[misc]
    assert row["auth_method"] == "oauth2_google"
    assert row["oauth"]["scopes"] == ""  # the provider's default is used
    assert secret in cli.keychain_file.read_text()
    assert secret.encode() not in (cli.home / "bimail.db").read_bytes()
    # Google refuses the device flow for mail: the CLI says to use the browser
    result = cli("senders", "sign-in", "bi@gmail.com", "--timeout", "1")
    assert result.returncode == 2
    assert "--browser" in result.stderr


def test_password_sender_on_microsoft_365_is_warned_in_the_list(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("senders", "add", "--server", "smtp.office365.com", "--port", "587",
               "--address", "bi@contoso.test", "--password-stdin",
               stdin="pw\n").returncode == 0
    listed = cli("senders", "list")
    assert "warning: bi@contoso.test:" in listed.stdout
    assert "December 2026" in listed.stdout
    [row] = cli("--json", "senders", "list").json()  # type: ignore[misc]
    assert "December 2026" in row["warnings"][0]
    # switching to OAuth2 clears the warning (and says how to sign in)
    edited = cli("senders", "edit", "bi@contoso.test", "--auth", "oauth2-microsoft",
                 "--client-id", "11111111-2222-3333-4444-555555555555", "--tenant",
                 "contoso.onmicrosoft.com")
    assert edited.returncode == 0, edited.stderr
    [row] = cli("--json", "senders", "list").json()  # type: ignore[misc]
    assert row["auth_method"] == "oauth2_microsoft"
    assert row["oauth"]["tenant"] == "contoso.onmicrosoft.com"
    assert all("December" not in w for w in row["warnings"])
    assert row["oauth_status"] == "needs_sign_in"

