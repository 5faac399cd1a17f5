"""Senders that sign in with the OAuth2 client-credentials flow (an application, no user):
what a relay on a server uses. Against the fake OAuth provider and an XOAUTH2 server."""

from __future__ import annotations

import json
import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from fake_oauth import FakeOAuthProvider, XOAuth2SmtpServer
from helpers import wait_for

from bimail_desktop.domain.errors import BimailError, ErrorCode, InvalidInput
from bimail_desktop.relay import Relay, RelayOptions
from bimail_desktop.services import Mailbox

ADDRESS = "reports@contoso.example"
SECRET = "app-secret-value"


@pytest.fixture
def provider() -> Iterator[FakeOAuthProvider]:
    with FakeOAuthProvider(client_secret=SECRET) as fake:
        yield fake


@pytest.fixture
def smtp(provider: FakeOAuthProvider) -> Iterator[XOAuth2SmtpServer]:
    with XOAuth2SmtpServer(provider) as server:
        yield server


def app_sender(mailbox: Mailbox, provider: FakeOAuthProvider, smtp: XOAuth2SmtpServer,
               secret: str | None = SECRET) -> None:
    mailbox.add_sender({"server": smtp.host, "port": smtp.port, "encryption": "none",
                        "address": ADDRESS, "rate_limit": 0})
    mailbox.set_default_sender(ADDRESS)
    mailbox.set_sender_oauth(
        ADDRESS, "oauth2_custom",
        {"client_id": provider.client_id, "token_url": provider.token_url,
         "scopes": "https://outlook.office365.com/.default", "flow": "client-credentials"},
        client_secret=secret)


def test_client_credentials_sender_needs_no_sign_in_and_sends(
    mailbox: Mailbox, provider: FakeOAuthProvider, smtp: XOAuth2SmtpServer,
) -> None:
    app_sender(mailbox, provider, smtp)
    assert mailbox.oauth_status(ADDRESS) == "signed_in"  # nothing to sign in
    assert mailbox.sender_oauth_settings(ADDRESS).to_dict()["flow"] == "client-credentials"
    mailbox.send_test_mail("boss@example.com")
    assert provider.grants("client_credentials") == 1
    (request,) = [f for _m, p, f in provider.requests if f.get("grant_type") ==
                  "client_credentials"]
    assert request["scope"] == "https://outlook.office365.com/.default"
    assert request["client_secret"] == SECRET
    assert smtp.handler.logins == [(ADDRESS, True)]  # XOAUTH2 as the mailbox to send as
    mailbox.send_test_mail("boss@example.com")
    assert provider.grants("client_credentials") == 1  # the token is reused while valid


def test_relay_renews_the_application_token_when_it_expired(
    mailbox: Mailbox, provider: FakeOAuthProvider, smtp: XOAuth2SmtpServer,
) -> None:
    provider.access_lifetime = 1  # expires at once (within the renewal margin)
    app_sender(mailbox, provider, smtp)
    relay = Relay(mailbox, RelayOptions.parse(listen="127.0.0.1:0", poll_interval=0.05),
                  write_status=False)
    host, port = relay.start()
    try:
        for n in range(2):
            msg = EmailMessage()
            msg["From"] = "finebi@bi.internal"
            msg["To"] = "boss@example.com"
            msg["Subject"] = f"report {n}"
            msg.set_content("report")
            with smtplib.SMTP(host, port, local_hostname="bi", timeout=10) as client:
                client.send_message(msg)
            wait_for(lambda n=n: len(smtp.handler.messages) == n + 1)
    finally:
        relay.stop(5)
    assert provider.grants("client_credentials") == 2  # a fresh token for each
    assert [ok for _user, ok in smtp.handler.logins] == [True, True]
    assert not mailbox.relay_queue()


def test_a_wrong_client_secret_is_auth_failed_and_the_relay_keeps_the_mail(
    mailbox: Mailbox, provider: FakeOAuthProvider, smtp: XOAuth2SmtpServer,
) -> None:
    app_sender(mailbox, provider, smtp, secret="wrong")
    with pytest.raises(BimailError) as raised:
        mailbox.oauth_access_token(ADDRESS, force_refresh=True)
    assert raised.value.code is ErrorCode.AUTH_FAILED
    assert "client secret" in raised.value.message()
    relay = Relay(mailbox, RelayOptions.parse(listen="127.0.0.1:0", poll_interval=0.05),
                  write_status=False)
    host, port = relay.start()
    try:
        msg = EmailMessage()
        msg["From"] = "finebi@bi.internal"
        msg["To"] = "boss@example.com"
        msg["Subject"] = "kept"
        msg.set_content("report")
        with smtplib.SMTP(host, port, local_hostname="bi", timeout=10) as client:
            client.send_message(msg)
        wait_for(lambda: [q for q in mailbox.relay_queue() if q.status == "deferred"])
    finally:
        relay.stop(5)
    (queued,) = mailbox.relay_queue()
    assert queued.last_error_code == "auth_failed"  # waits for the admin to fix the secret
    assert smtp.handler.messages == []


def test_client_credentials_settings_are_checked() -> None:
    from bimail_desktop.mail.oauth import validate_oauth_settings

    with pytest.raises(InvalidInput) as raised:
        validate_oauth_settings("oauth2_microsoft", {"client_id": "abc",
                                                     "flow": "client-credentials"})
    assert raised.value.field == "tenant"  # "organizations" cannot sign in an app
    with pytest.raises(InvalidInput) as raised:
        validate_oauth_settings("oauth2_google", {"client_id": "abc",
                                                  "flow": "client-credentials"})
    assert raised.value.field == "flow"
    with pytest.raises(InvalidInput) as raised:
        validate_oauth_settings("oauth2_microsoft", {"client_id": "abc", "tenant": "x",
                                                     "flow": "sideways"})
    assert raised.value.field == "flow"


def test_microsoft_client_credentials_defaults(mailbox: Mailbox) -> None:
    endpoints = mailbox.oauth_endpoints("oauth2_microsoft", {
        "client_id": "11111111-2222-3333-4444-555555555555", "tenant": "contoso.onmicrosoft.com",
        "flow": "client-credentials"})
    assert endpoints.scopes == "https://outlook.office365.com/.default"
    assert endpoints.token_url == ("https://login.microsoftonline.com/contoso.onmicrosoft.com"
                                   "/oauth2/v2.0/token")
    assert endpoints.needs_client_secret and not endpoints.device_flow


def test_cli_oauth_flow_client_credentials(cli: Any, provider: FakeOAuthProvider,
                                           smtp: XOAuth2SmtpServer) -> None:
    missing = cli("senders", "add", "--server", smtp.host, "--port", str(smtp.port),
                  "--encryption", "none", "--address", ADDRESS, "--auth", "oauth2-custom",
                  "--client-id", provider.client_id, "--token-url", provider.token_url,
                  "--scopes", "smtp", "--oauth-flow", "client-credentials")
    assert missing.returncode == 2 and "client_secret" in missing.stderr
    assert json.loads(cli("--json", "senders", "list").stdout) == []  # nothing half-added
    added = cli("senders", "add", "--server", smtp.host, "--port", str(smtp.port),
                "--encryption", "none", "--address", ADDRESS, "--auth", "oauth2-custom",
                "--client-id", provider.client_id, "--token-url", provider.token_url,
                "--scopes", "smtp", "--oauth-flow", "client-credentials",
                "--client-secret-stdin", stdin=SECRET + "\n")
    assert added.returncode == 0, added.stderr
    assert "sign-in" not in added.stdout  # no sign-in step
    listed = json.loads(cli("--json", "senders", "list").stdout)
    assert listed[0]["oauth_status"] == "signed_in"
    assert listed[0]["oauth"]["flow"] == "client-credentials"
    checked = cli("senders", "sign-in", ADDRESS)
    assert checked.returncode == 0 and "application signed in" in checked.stdout
    assert provider.grants("client_credentials") == 1
    assert SECRET not in cli("--json", "senders", "list").stdout


def test_the_sender_dialogs_oauth_panel_offers_client_credentials(
    qtbot: Any, mailbox: Mailbox, provider: FakeOAuthProvider, smtp: XOAuth2SmtpServer,
) -> None:
    from bimail_desktop.gui.oauth_panel import OAuthPanel

    mailbox.add_sender({"server": smtp.host, "port": smtp.port, "encryption": "none",
                        "address": ADDRESS, "rate_limit": 0})
    panel = OAuthPanel(mailbox)
    qtbot.addWidget(panel)
    panel.show()
    try:
        panel.set_sender(mailbox.get_sender(ADDRESS))
        panel.set_method("oauth2_microsoft")
        assert panel.flowCombo.isVisible()
        panel.flowCombo.setCurrentIndex(panel.flowCombo.findData("client_credentials"))
        assert panel.clientSecretEdit.isVisible()  # the application's secret
        assert not panel.signInButton.isVisible()  # no user signs in
        panel.clientIdEdit.setText("11111111-2222-3333-4444-555555555555")
        assert "tenant" in panel.validation_error()  # a real tenant is needed
        panel.set_method("oauth2_custom")
        panel.clientIdEdit.setText(provider.client_id)
        panel.tokenUrlEdit.setText(provider.token_url)
        panel.scopesEdit.setText("smtp")
        assert "client" in panel.validation_error().lower()  # the secret is missing
        panel.clientSecretEdit.setText(SECRET)
        assert panel.validation_error() == ""
        assert "No sign-in step" in panel.status_text
        panel.save(ADDRESS)
    finally:
        panel.shutdown()
    assert mailbox.sender_oauth_settings(ADDRESS).client_credentials
    assert mailbox.oauth_status(ADDRESS) == "signed_in"
    mailbox.send_test_mail("boss@example.com", sender=ADDRESS)
    assert provider.grants("client_credentials") == 1
    panel2 = OAuthPanel(mailbox)
    qtbot.addWidget(panel2)
    panel2.set_sender(mailbox.get_sender(ADDRESS))
    assert panel2.flowCombo.currentData() == "client_credentials"
    panel2.shutdown()
