"""OAuth2 senders against a fake provider on 127.0.0.1 and an XOAUTH2 SMTP server."""

from __future__ import annotations

import json
import logging
import smtplib
import socket
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from fake_oauth import FakeOAuthProvider, XOAuth2SmtpServer, browser

from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.mail import oauth as oa
from bimail_desktop.mail import xoauth2
from bimail_desktop.mail.cancel import CancelToken
from bimail_desktop.services import Mailbox

ADDRESS = "reports@bimail.test"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def code_for(url: str) -> dict[str, str]:
    """Open the authorisation URL without following the redirect: the code and state."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(url, timeout=10)
    except urllib.error.HTTPError as exc:
        location = exc.headers["Location"]
        return {k: v[0] for k, v in
                urllib.parse.parse_qs(urllib.parse.urlsplit(location).query).items()}
    raise AssertionError("no redirect")


def add_oauth_sender(mailbox: Mailbox, idp: FakeOAuthProvider, *, server: str = "127.0.0.1",
                     port: int = 25, method: str = oa.CUSTOM) -> None:
    mailbox.add_sender({"server": server, "port": port, "encryption": "none",
                        "address": ADDRESS})
    mailbox.set_sender_oauth(ADDRESS, method, idp.settings())


def sign_in(mailbox: Mailbox) -> str:
    return mailbox.oauth_sign_in(ADDRESS, open_browser=browser, timeout=10)


# -- sign-in --------------------------------------------------------------------------------
def test_sign_in_through_the_loopback_redirect_saves_tokens_in_the_keychain_only(
        mailbox: Mailbox, idp: FakeOAuthProvider, keychain, tmp_path: Path) -> None:
    add_oauth_sender(mailbox, idp)
    assert mailbox.oauth_status(ADDRESS) == "needs_sign_in"

    assert sign_in(mailbox) == ADDRESS
    assert mailbox.oauth_status(ADDRESS) == "signed_in"
    assert mailbox.oauth_account(ADDRESS) == ADDRESS

    # the browser was sent with PKCE S256 and a loopback redirect
    query = next(q for m, path, q in idp.requests if path == "/authorize")
    assert query["code_challenge_method"] == "S256"
    assert query["redirect_uri"].startswith("http://127.0.0.1:")
    assert query["login_hint"] == ADDRESS

    sender = mailbox.get_sender(ADDRESS)
    entry = json.loads(keychain.entries[("bimail-desktop", f"{sender.id}:oauth")])
    assert entry["tokens"]["refresh_token"] in idp.issued
    database = (tmp_path / "store.db").read_bytes()
    for token in idp.issued:
        assert token.encode() not in database


def test_signed_in_account_comes_from_the_id_token(mailbox: Mailbox,
                                                   idp: FakeOAuthProvider) -> None:
    idp.account = "admin@contoso.test"
    add_oauth_sender(mailbox, idp)
    assert sign_in(mailbox) == "admin@contoso.test"
    assert mailbox.oauth_account(ADDRESS) == "admin@contoso.test"


def test_declined_sign_in_is_auth_failed(mailbox: Mailbox, idp: FakeOAuthProvider) -> None:
    idp.deny = True
    add_oauth_sender(mailbox, idp)
    with pytest.raises(BimailError) as caught:
        sign_in(mailbox)
    assert caught.value.code is ErrorCode.AUTH_FAILED
    assert "access_denied" in caught.value.detail
    assert mailbox.oauth_status(ADDRESS) == "needs_sign_in"


def test_cancel_and_timeout_stop_waiting_for_the_browser(mailbox: Mailbox,
                                                         idp: FakeOAuthProvider) -> None:
    add_oauth_sender(mailbox, idp)
    cancel = CancelToken()
    threading.Timer(0.2, cancel.cancel).start()
    with pytest.raises(BimailError) as caught:
        mailbox.oauth_sign_in(ADDRESS, open_browser=lambda url: None, cancel=cancel,
                              timeout=30)
    assert caught.value.code is ErrorCode.INTERRUPTED

    with pytest.raises(BimailError) as caught:
        mailbox.oauth_sign_in(ADDRESS, open_browser=lambda url: None, timeout=0.3)
    assert caught.value.code is ErrorCode.TIMEOUT


def test_a_stray_request_to_the_loopback_port_does_not_end_the_sign_in(
        mailbox: Mailbox, idp: FakeOAuthProvider) -> None:
    add_oauth_sender(mailbox, idp)

    def confused_then_real_browser(url: str) -> None:
        redirect = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["redirect_uri"][0]
        # a browser's idle pre-connection, then a forged answer, then the real one
        idle = socket.create_connection(("127.0.0.1", urllib.parse.urlsplit(redirect).port))
        try:
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(redirect + "?code=forged&state=wrong", timeout=5)
            browser(url)
        finally:
            idle.close()

    assert mailbox.oauth_sign_in(ADDRESS, open_browser=confused_then_real_browser,
                                 timeout=10) == ADDRESS


def test_wrong_pkce_verifier_is_refused(idp: FakeOAuthProvider) -> None:
    client = oa.OAuthClient(oa.resolve_endpoints(
        oa.CUSTOM, oa.validate_oauth_settings(oa.CUSTOM, idp.settings())))
    verifier = "v" * 64
    redirect = "http://127.0.0.1:9/"
    params = code_for(client.authorization_url(redirect, verifier, "state-1"))
    assert params["state"] == "state-1"
    with pytest.raises(BimailError) as caught:
        client.exchange_code(params["code"], redirect, "w" * 64)
    assert caught.value.code is ErrorCode.AUTH_FAILED
    assert "code_verifier" in caught.value.detail
    # the right verifier with a fresh code works
    params = code_for(client.authorization_url(redirect, verifier, "state-2"))
    tokens = client.exchange_code(params["code"], redirect, verifier)
    assert idp.valid_access_token(tokens.access_token)
    assert tokens.access_token not in repr(tokens)


# -- tokens ---------------------------------------------------------------------------------
def test_access_token_is_reused_while_valid_and_refreshed_before_it_expires(
        mailbox: Mailbox, idp: FakeOAuthProvider) -> None:
    add_oauth_sender(mailbox, idp)
    sign_in(mailbox)
    first = mailbox.oauth_access_token(ADDRESS)
    assert mailbox.oauth_access_token(ADDRESS) == first
    assert idp.grants("refresh_token") == 0

    idp.access_lifetime = 120  # new tokens expire within the five-minute margin
    renewed = mailbox.oauth_access_token(ADDRESS, force_refresh=True)
    assert renewed != first and idp.valid_access_token(renewed)
    again = mailbox.oauth_access_token(ADDRESS)  # expires in 2 min: renewed again
    assert again != renewed and idp.valid_access_token(again)
    assert idp.grants("refresh_token") == 2
    assert mailbox.oauth_status(ADDRESS) == "signed_in"


def test_revoked_refresh_token_needs_sign_in_again(mailbox: Mailbox,
                                                   idp: FakeOAuthProvider) -> None:
    add_oauth_sender(mailbox, idp)
    sign_in(mailbox)
    idp.revoke_all()
    with pytest.raises(BimailError) as caught:
        mailbox.oauth_access_token(ADDRESS, force_refresh=True)
    error = caught.value
    assert error.code is ErrorCode.OAUTH_REAUTH_REQUIRED
    assert "invalid_grant" in error.detail
    assert "sign-in" in error.fix().lower()
    assert mailbox.oauth_status(ADDRESS) == "needs_sign_in"
    assert any("sign-in" in w.lower() for w in mailbox.sender_warnings(ADDRESS))

    # signing in again fixes it
    sign_in(mailbox)
    assert mailbox.oauth_status(ADDRESS) == "signed_in"


def test_changing_the_app_forgets_the_sign_in_and_password_method_clears_everything(
        mailbox: Mailbox, idp: FakeOAuthProvider, keychain) -> None:
    add_oauth_sender(mailbox, idp)
    sign_in(mailbox)
    mailbox.set_sender_oauth(ADDRESS, oa.CUSTOM, idp.settings(scopes="smtp"))
    assert mailbox.oauth_status(ADDRESS) == "needs_sign_in"
    sign_in(mailbox)
    mailbox.set_sender_oauth(ADDRESS, oa.PASSWORD)
    assert mailbox.oauth_status(ADDRESS) == "not_oauth"
    assert mailbox.sender_oauth_settings(ADDRESS) == oa.OAuthSettings()
    assert not [k for k in keychain.entries if k[1].endswith(":oauth")]


def test_removing_the_sender_removes_its_tokens_and_client_secret(
        mailbox: Mailbox, idp: FakeOAuthProvider, keychain) -> None:
    idp.client_secret = "s3cret-value"
    mailbox.add_sender({"server": "127.0.0.1", "address": ADDRESS})
    mailbox.set_sender_oauth(ADDRESS, oa.CUSTOM, idp.settings(), client_secret="s3cret-value")
    sign_in(mailbox)
    assert mailbox.sender_has_client_secret(ADDRESS)
    assert any(k[1].endswith(":oauth") for k in keychain.entries)
    mailbox.remove_sender(ADDRESS)
    assert not keychain.entries


# -- settings and warnings ------------------------------------------------------------------
@pytest.mark.parametrize(("method", "settings", "field"), [
    ("oauth2-other", {"client_id": "x"}, "auth_method"),
    (oa.MICROSOFT, {}, "client_id"),
    (oa.MICROSOFT, {"client_id": "a b"}, "client_id"),
    (oa.MICROSOFT, {"client_id": "x", "tenant": "con toso"}, "tenant"),
    (oa.CUSTOM, {"client_id": "x", "scopes": "s", "token_url": "https://t.test/"},
     "auth_url"),
    (oa.CUSTOM, {"client_id": "x", "scopes": "s", "auth_url": "http://idp.test/a",
                 "token_url": "https://t.test/"}, "auth_url"),
    (oa.GOOGLE, {"client_id": "x"}, "client_secret"),
])
def test_bad_oauth_settings_are_invalid_input_and_change_nothing(
        mailbox: Mailbox, method: str, settings: dict[str, str], field: str) -> None:
    mailbox.add_sender({"server": "smtp.office365.com", "port": 587, "address": ADDRESS})
    with pytest.raises(BimailError) as caught:
        mailbox.set_sender_oauth(ADDRESS, method, settings)
    assert caught.value.code is ErrorCode.INVALID_INPUT
    assert caught.value.field == field
    assert mailbox.get_sender(ADDRESS).auth_method == "password"


def test_microsoft_and_google_endpoints_are_derived() -> None:
    ms = oa.resolve_endpoints(oa.MICROSOFT, oa.OAuthSettings(client_id="c"))
    assert ms.auth_url == ("https://login.microsoftonline.com/organizations/oauth2/v2.0/"
                           "authorize")
    assert ms.scopes == "https://outlook.office.com/SMTP.Send offline_access"
    ms = oa.resolve_endpoints(oa.MICROSOFT, oa.OAuthSettings(client_id="c",
                                                             tenant="contoso.onmicrosoft.com"))
    assert "/contoso.onmicrosoft.com/oauth2/v2.0/devicecode" in ms.device_url
    google = oa.resolve_endpoints(oa.GOOGLE, oa.OAuthSettings(client_id="c"))
    assert google.scopes == "https://mail.google.com/"
    assert google.needs_client_secret and not google.device_flow


def test_password_senders_on_microsoft_365_and_gmail_are_warned(mailbox: Mailbox) -> None:
    ms = mailbox.add_sender({"server": "smtp.office365.com", "port": 587,
                             "address": "bi@contoso.test"})
    gmail = mailbox.add_sender({"server": "smtp.gmail.com", "port": 465, "encryption": "ssl",
                                "address": "bi@gmail.com"})
    other = mailbox.add_sender({"server": "mail.internal.test", "address": "bi@internal.test"})
    [warning] = mailbox.sender_warnings(ms)
    assert "December 2026" in warning and "OAuth2" in warning
    [warning] = mailbox.sender_warnings(gmail)
    assert "app password" in warning and "OAuth2" in warning
    assert mailbox.sender_warnings(other) == []
    mailbox.set_sender_oauth("bi@contoso.test", oa.MICROSOFT, {"client_id": "app"})
    assert all("December" not in w for w in mailbox.sender_warnings("bi@contoso.test"))


# -- XOAUTH2 on the wire ------------------------------------------------------------------
def test_xoauth2_accepts_a_valid_token_and_reports_a_refused_one(
        idp: FakeOAuthProvider, mailbox: Mailbox) -> None:
    add_oauth_sender(mailbox, idp)
    sign_in(mailbox)
    token = mailbox.oauth_access_token(ADDRESS)
    with XOAuth2SmtpServer(idp) as server:
        lines: list[tuple[str, str]] = []
        with smtplib.SMTP(server.host, server.port, local_hostname="client.test",
                          timeout=10) as smtp:
            smtp.ehlo()
            xoauth2.authenticate(smtp, ADDRESS, token,
                                 transcript=lambda d, t: lines.append((d, t)))
        assert server.handler.logins == [(ADDRESS, True)]
        assert token not in repr(lines)

        idp.revoke_all()
        with smtplib.SMTP(server.host, server.port, local_hostname="client.test",
                          timeout=10) as smtp:
            smtp.ehlo()
            with pytest.raises(BimailError) as caught:
                xoauth2.authenticate(smtp, ADDRESS, token)
        error = caught.value
        assert error.code is ErrorCode.AUTH_FAILED
        assert error.server_reply is not None and error.server_reply.startswith("535")
        assert "status 401" in error.detail
        assert token not in str(error.to_dict())


def test_test_mail_from_an_oauth_sender_refreshes_and_logs_in_with_xoauth2(
        mailbox: Mailbox, idp: FakeOAuthProvider, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with XOAuth2SmtpServer(idp) as server:
        add_oauth_sender(mailbox, idp, port=server.port)
        idp.access_lifetime = 120  # the saved token expires within five minutes
        sign_in(mailbox)
        saved = mailbox.oauth_access_token(ADDRESS, force_refresh=False)  # refreshes once
        idp.expire_access_tokens()  # ...and the server refuses it from now on
        assert not idp.valid_access_token(saved)
        outcome = mailbox.send_test_mail("someone@bimail.test", sender=ADDRESS)
        assert outcome.ok
        assert idp.grants("refresh_token") == 2
        assert server.handler.logins[-1] == (ADDRESS, True)
        assert len(server.handler.messages) == 1

        idp.revoke_all()
        with pytest.raises(BimailError) as caught:
            mailbox.send_test_mail("someone@bimail.test", sender=ADDRESS)
        assert caught.value.code is ErrorCode.OAUTH_REAUTH_REQUIRED
        assert len(server.handler.messages) == 1

    records = [r for r in _all_records(mailbox)]
    text = caplog.text + repr(records)
    for token in idp.issued:
        assert token not in text


def _all_records(mailbox: Mailbox) -> list[object]:
    from bimail_desktop.domain.models import RecordFilter

    return list(mailbox.query_records(RecordFilter(), limit=1000))


def test_diagnosis_of_an_oauth_sender_shows_the_xoauth2_login_without_tokens(
        mailbox: Mailbox, idp: FakeOAuthProvider) -> None:
    with XOAuth2SmtpServer(idp) as server:
        add_oauth_sender(mailbox, idp, port=server.port)
        idp.access_lifetime = 120  # every diagnosis renews the token first
        sign_in(mailbox)
        report = mailbox.diagnose(sender=ADDRESS, timeout=10)
        login = report.step("login")
        assert login is not None and login.status == "pass", login
        assert "XOAUTH2" in login.detail
        assert "XOAUTH2" in (report.step("auth_methods") or login).detail
        assert server.handler.logins[-1] == (ADDRESS, True)
        assert idp.grants("refresh_token") == 1

        idp.revoke_all()
        report = mailbox.diagnose(sender=ADDRESS, timeout=10)
        login = report.step("login")
        assert login is not None and login.status == "fail"
        assert login.error is not None
        assert login.error.code is ErrorCode.OAUTH_REAUTH_REQUIRED
        text = json.dumps(report.to_dict()) + "\n".join(report.transcript)
    assert "AUTH XOAUTH2" in text
    for token in idp.issued:
        assert token not in text


def test_device_sign_in_waits_and_reports_timeout_and_cancel(
        mailbox: Mailbox, idp: FakeOAuthProvider) -> None:
    add_oauth_sender(mailbox, idp)
    shown: list[oa.DeviceAuthorization] = []
    with pytest.raises(BimailError) as caught:
        mailbox.oauth_device_sign_in(ADDRESS, show=shown.append, timeout=0.3)
    assert caught.value.code is ErrorCode.TIMEOUT
    assert shown[0].user_code and shown[0].device_code not in repr(shown[0])

    cancel = CancelToken()
    threading.Timer(0.2, cancel.cancel).start()
    with pytest.raises(BimailError) as caught:
        mailbox.oauth_device_sign_in(ADDRESS, show=shown.append, cancel=cancel, timeout=30)
    assert caught.value.code is ErrorCode.INTERRUPTED

    account = mailbox.oauth_device_sign_in(
        ADDRESS, show=lambda device: idp.approve_device(device.user_code), timeout=10)
    assert account == ADDRESS
    assert mailbox.oauth_status(ADDRESS) == "signed_in"


def test_sign_in_of_a_password_sender_is_refused(mailbox: Mailbox) -> None:
    mailbox.add_sender({"server": "127.0.0.1", "address": ADDRESS})
    with pytest.raises(BimailError) as caught:
        mailbox.oauth_sign_in(ADDRESS, open_browser=browser, timeout=1)
    assert caught.value.code is ErrorCode.INVALID_INPUT
    assert mailbox.oauth_status(ADDRESS) == "not_oauth"


def test_an_unreachable_token_endpoint_is_one_network_code(mailbox: Mailbox,
                                                           idp: FakeOAuthProvider) -> None:
    add_oauth_sender(mailbox, idp)
    sign_in(mailbox)
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    mailbox.set_sender_oauth(ADDRESS, oa.CUSTOM, idp.settings(
        token_url=f"http://127.0.0.1:{dead}/token"),
        tokens=oa.TokenSet("at", "rt", expires_at=1.0))
    with pytest.raises(BimailError) as caught:
        mailbox.oauth_access_token(ADDRESS)
    assert caught.value.code is ErrorCode.CONNECT_REFUSED
    assert mailbox.oauth_status(ADDRESS) == "signed_in"  # a network failure keeps it
