"""OAuth2 senders (XOAUTH2): settings, sign-in, tokens in the keychain, refresh before a
send, warnings for password senders on Microsoft 365 / Gmail.

The sender's row holds its method (``auth_method``) and its OAuth2 settings as JSON
(``oauth_settings``: client ID, tenant, scopes, endpoints) — never a token, never the client
secret. Those live in the keychain under ``"{sender_id}:oauth"`` as one JSON value
``{"client_secret": …, "tokens": {…}}`` (so that removing the sender removes them too).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select

from ..domain.clock import now_naive
from ..domain.errors import BimailError, ErrorCode, InvalidInput
from ..domain.models import Sender, SenderSettings
from ..domain.providers import password_warnings
from ..domain.texts import Msg, msg_text
from ..domain.validation import address_key
from ..mail import oauth as oa
from ..mail.cancel import CancelToken
from ..mail.oauth import (
    DeviceAuthorization,
    Endpoints,
    OAuthClient,
    OAuthSettings,
    TokenSet,
)
from ..secrets import SecretStore
from ..store import Store
from ..store.schema import SenderRow
from .senders import Senders
from .trust import Trust

log = logging.getLogger(__name__)

SIGNED_IN = "signed_in"
NEEDS_SIGN_IN = "needs_sign_in"
NOT_OAUTH = "not_oauth"

_refresh_locks: dict[str, threading.Lock] = {}
_refresh_locks_guard = threading.Lock()


def _lock_for(sender_id: str) -> threading.Lock:
    with _refresh_locks_guard:
        return _refresh_locks.setdefault(sender_id, threading.Lock())


def _oauth_key(sender_id: str) -> str:
    return f"{sender_id}:oauth"


class OAuth:
    """OAuth2 use cases: a sender's OAuth2 settings, sign-in, and fresh access tokens for
    sending (through :class:`~bimail_desktop.services.credentials.Credentials`). The sign-in
    talks to the provider over TLS with the certificates the admin trusts (``trust``)."""

    def __init__(self, store: Store, secrets: SecretStore, senders: Senders, trust: Trust,
                 lang: str = "en") -> None:
        self.store = store
        self.secrets = secrets
        self.senders = senders
        self.trust = trust
        self.lang = lang

    # -- keychain entry ------------------------------------------------------------------
    def _oauth_entry(self, sender_id: str) -> dict[str, Any]:
        raw = self.secrets.get(_oauth_key(sender_id))
        if not raw:
            return {}
        try:
            data = json.loads(raw)
        except ValueError:
            log.warning("the saved sign-in of a sender is unreadable; it needs signing in")
            return {}
        return data if isinstance(data, dict) else {}

    def _save_oauth_entry(self, sender_id: str, entry: Mapping[str, Any]) -> None:
        clean = {k: v for k, v in entry.items() if v}
        if clean:
            self.secrets.set(_oauth_key(sender_id), json.dumps(clean))
        else:
            self.secrets.delete(_oauth_key(sender_id))

    def _saved_tokens(self, sender_id: str) -> TokenSet | None:
        tokens = self._oauth_entry(sender_id).get("tokens")
        if not isinstance(tokens, dict):
            return None
        found = TokenSet.from_dict(tokens)
        return found if (found.refresh_token or found.access_token) else None

    def _save_tokens(self, sender_id: str, tokens: TokenSet | None) -> None:
        entry = self._oauth_entry(sender_id)
        entry["tokens"] = tokens.to_dict() if tokens is not None else None
        self._save_oauth_entry(sender_id, entry)

    # -- settings ------------------------------------------------------------------------
    def _oauth_row(self, address: str) -> tuple[str, str, OAuthSettings]:
        key = address_key(address or "")
        with self.store.read() as session:
            row = session.scalar(select(SenderRow).where(SenderRow.address_key == key))
            if row is None:
                raise BimailError(
                    ErrorCode.NOT_FOUND, Msg("senders.not_found", address=address), field="address")
            return row.id, row.auth_method, OAuthSettings.from_json(row.oauth_settings)

    def sender_oauth_settings(self, address: str) -> OAuthSettings:
        """The OAuth2 settings of a sender (empty for password senders)."""
        return self._oauth_row(address)[2]

    def sender_has_client_secret(self, address: str) -> bool:
        sender_id = self._oauth_row(address)[0]
        return bool(self._oauth_entry(sender_id).get("client_secret"))

    def oauth_endpoints(self, method: str, settings: OAuthSettings | Mapping[str, Any]
                        ) -> Endpoints:
        """The endpoints and scopes that ``settings`` resolve to (derived for Microsoft and
        Google) — what the form shows as placeholders."""
        valid = oa.validate_oauth_settings(method, settings)
        return oa.resolve_endpoints(oa.validate_method(method), valid)

    def check_oauth_settings(self, method: str, settings: OAuthSettings | Mapping[str, Any],
                             *, client_secret: str | None = None,
                             has_saved_secret: bool = False) -> OAuthSettings:
        """Validate without saving: ``invalid_input`` naming the field."""
        method = oa.validate_method(method)
        valid = oa.validate_oauth_settings(method, settings)
        if client_secret is not None and any(ord(c) < 32 for c in client_secret):
            raise InvalidInput("client_secret", Msg("text.no_line_breaks"))
        if oa.is_oauth(method):
            endpoints = oa.resolve_endpoints(method, valid)
            if endpoints.needs_client_secret and not (client_secret or has_saved_secret):
                raise InvalidInput(
                    "client_secret",
                    "the client-credentials sign-in needs the application's client secret "
                    "(Entra ID: App registrations > the app > Certificates & secrets)"
                    if valid.client_credentials else
                    "Google needs the client secret of the Desktop app's OAuth client "
                    "(Google Cloud console > Credentials)",
                )
        return valid

    def set_sender_oauth(
        self,
        address: str,
        method: str,
        settings: OAuthSettings | Mapping[str, Any] | None = None,
        *,
        client_secret: str | None = None,
        tokens: TokenSet | None = None,
    ) -> Sender:
        """Set how ``address`` signs in. ``client_secret=None`` keeps the saved secret,
        ``""`` removes it. Changing the app (client ID, tenant, scopes, endpoints) drops
        the saved sign-in; ``tokens`` (from :meth:`oauth_sign_in_with`) saves one.
        Switching to "password" removes the OAuth2 settings and tokens."""
        method = oa.validate_method(method)
        sender_id, old_method, old_settings = self._oauth_row(address)
        entry = self._oauth_entry(sender_id)
        has_secret = bool(entry.get("client_secret")) and client_secret != ""
        valid = self.check_oauth_settings(
            method, settings if settings is not None else old_settings,
            client_secret=client_secret, has_saved_secret=has_secret)
        new_entry = dict(entry)
        if not oa.is_oauth(method):
            new_entry = {}
        else:
            if client_secret is not None:
                new_entry["client_secret"] = client_secret
            if valid != old_settings or old_method != method:
                new_entry["tokens"] = None  # the saved sign-in belongs to another app
            if tokens is not None:
                new_entry["tokens"] = tokens.to_dict()
        if new_entry != entry:
            self._save_oauth_entry(sender_id, new_entry)
        try:
            with self.store.write() as session:
                row = session.get(SenderRow, sender_id)
                if row is None:
                    raise BimailError(ErrorCode.NOT_FOUND, Msg("senders.removed", address=address))
                row.auth_method = method.value
                row.oauth_settings = valid.to_json() if oa.is_oauth(method) else ""
                row.updated_at = now_naive()
        except BaseException:
            if new_entry != entry:
                self._save_oauth_entry(sender_id, entry)
            raise
        log.info("sender %s signs in with %s", address, method)
        return self.senders.sender_by_id(sender_id)

    def forget_sign_in(self, sender_id: str, *, keep_client_secret: bool = True) -> None:
        """Drop the saved sign-in of a sender whose app (or method) was changed elsewhere
        (a configuration import): its tokens belong to the old app. Without
        ``keep_client_secret`` the client secret goes too (the sender now uses a password)."""
        entry = self._oauth_entry(sender_id)
        new_entry = dict(entry, tokens=None) if keep_client_secret else {}
        if new_entry != entry:
            self._save_oauth_entry(sender_id, new_entry)

    # -- status ----------------------------------------------------------------------------
    def oauth_status(self, sender: Sender | str) -> str:
        """"signed_in" | "needs_sign_in" | "not_oauth" of a sender (or its address; a
        sender already read that signs in with a password needs no look-up)."""
        if isinstance(sender, Sender) and not oa.is_oauth(sender.auth_method):
            return NOT_OAUTH
        sender_id, method, settings = self._oauth_row(
            sender.address if isinstance(sender, Sender) else sender)
        if not oa.is_oauth(method):
            return NOT_OAUTH
        if settings.client_credentials:  # the application signs in by itself when sending
            try:
                has_secret = bool(self._oauth_entry(sender_id).get("client_secret"))
            except BimailError:
                return NEEDS_SIGN_IN
            return SIGNED_IN if has_secret else NEEDS_SIGN_IN
        try:
            tokens = self._saved_tokens(sender_id)
        except BimailError:
            return NEEDS_SIGN_IN
        if tokens is None:
            return NEEDS_SIGN_IN
        if tokens.refresh_token or not tokens.expires_within(0):
            return SIGNED_IN
        return NEEDS_SIGN_IN

    def oauth_account(self, address: str) -> str:
        """Who is signed in, for "Signed in as …": the account the provider named, else
        the sender's login; "" when not signed in."""
        if self.oauth_status(address) != SIGNED_IN:
            return ""
        sender = self.senders.get_sender(address)
        tokens = self._saved_tokens(sender.id)
        return (tokens.account if tokens else "") or sender.login

    def password_elsewhere(self, sender: Sender) -> bool:
        """A password was entered for ``sender`` on another machine sharing the store, and
        this machine's keychain does not hold it."""
        if sender.auth_method != "password" or not sender.password_stored:
            return False
        if sender.has_password:
            return False
        try:
            return self.secrets.get_password(sender.id) is None
        except BimailError:
            return True

    def sender_warnings(self, sender: Sender | SenderSettings | str) -> list[str]:
        """What the GUI shows beside a sender and `bimail senders list` prints: password
        sign-in on Microsoft 365 / Gmail; an OAuth2 sender that needs signing in."""
        if isinstance(sender, str):
            sender = self.senders.get_sender(sender)
        warnings = password_warnings(sender.server, sender.auth_method, sender.address,
                                     self.lang)
        if isinstance(sender, Sender) and self.password_elsewhere(sender):
            if self.lang.lower().startswith("zh"):
                warnings.append(f"此计算机上没有密码：请在发件人设置中输入，或运行 bimail senders "
                                f"edit {sender.address} --password-stdin")
            else:
                warnings.append("Password not on this machine: enter it in the sender's "
                                f"settings (or run bimail senders edit {sender.address} "
                                "--password-stdin).")
        if isinstance(sender, Sender) and oa.is_oauth(sender.auth_method):
            if self.oauth_status(sender) != SIGNED_IN:
                warnings.append(msg_text("oauth.warn_needs_sign_in", self.lang,
                                   address=sender.address))
        return warnings

    # -- sign-in ---------------------------------------------------------------------------
    def _client_for(self, method: str, settings: OAuthSettings, client_secret: str | None,
                    *, cancel: CancelToken | None = None) -> OAuthClient:
        if not oa.is_oauth(method):
            raise InvalidInput("auth_method", Msg("oauth.password_sender"))
        endpoints = oa.resolve_endpoints(method, settings)
        from ..mail.tls import client_context  # ssl and truststore only when signing in

        context = client_context(self.trust.trust_config())
        return OAuthClient(endpoints, client_secret, ssl_context=context, cancel=cancel)

    def _stored_client(self, address: str, *, cancel: CancelToken | None = None
                       ) -> tuple[Sender, OAuthClient]:
        sender = self.senders.get_sender(address)
        _sid, method, settings = self._oauth_row(address)
        secret = self._oauth_entry(sender.id).get("client_secret")
        valid = self.check_oauth_settings(method, settings,
                                          has_saved_secret=bool(secret))
        client = self._client_for(method, valid, secret if isinstance(secret, str) else None,
                                  cancel=cancel)
        return sender, client

    def oauth_sign_in(
        self,
        address: str,
        *,
        open_browser: Callable[[str], object] | None = None,
        cancel: CancelToken | None = None,
        timeout: float = oa.DEFAULT_SIGN_IN_TIMEOUT_S,
        port: int = 0,
        on_url: Callable[[str], None] | None = None,
    ) -> str:
        """Sign the saved sender in through the system browser (authorisation code + PKCE,
        loopback redirect). Saves the tokens in the keychain; returns who signed in."""
        sender, client = self._stored_client(address, cancel=cancel)
        tokens = oa.sign_in_loopback(client, open_browser=open_browser, cancel=cancel,
                                     timeout=timeout, port=port, login_hint=sender.login,
                                     on_url=on_url)
        self._save_tokens(sender.id, tokens)
        log.info("sender %s signed in", sender.address)
        return tokens.account or sender.login

    def oauth_sign_in_with(
        self,
        method: str,
        settings: OAuthSettings | Mapping[str, Any],
        *,
        client_secret: str | None = None,
        login_hint: str = "",
        open_browser: Callable[[str], object] | None = None,
        cancel: CancelToken | None = None,
        timeout: float = oa.DEFAULT_SIGN_IN_TIMEOUT_S,
        port: int = 0,
        on_url: Callable[[str], None] | None = None,
    ) -> TokenSet:
        """Sign in with a form's unsaved values (a sender being added): the tokens are
        returned, for :meth:`set_sender_oauth` once the sender is saved."""
        method = oa.validate_method(method)
        valid = self.check_oauth_settings(method, settings, client_secret=client_secret)
        client = self._client_for(method, valid, client_secret, cancel=cancel)
        return oa.sign_in_loopback(client, open_browser=open_browser, cancel=cancel,
                                   timeout=timeout, port=port, login_hint=login_hint,
                                   on_url=on_url)

    def oauth_device_sign_in(
        self,
        address: str,
        *,
        show: Callable[[DeviceAuthorization], None],
        cancel: CancelToken | None = None,
        timeout: float | None = None,
    ) -> str:
        """Device-code sign-in (no browser on this machine): ``show`` is given the URL and
        code to display; then this waits until the admin signed in elsewhere."""
        sender, client = self._stored_client(address, cancel=cancel)
        if not client.endpoints.device_flow:
            raise InvalidInput(
                "auth_method",
                Msg("oauth.device_not_allowed"),
            )
        device = client.start_device_flow(sender.login)
        show(device)
        tokens = client.poll_device_flow(device, cancel=cancel, timeout=timeout)
        self._save_tokens(sender.id, tokens)
        log.info("sender %s signed in (device code)", sender.address)
        return tokens.account or sender.login

    def oauth_sign_out(self, address: str) -> None:
        """Forget the saved sign-in (the settings and client secret stay)."""
        sender_id = self._oauth_row(address)[0]
        self._save_tokens(sender_id, None)

    # -- tokens for sending ------------------------------------------------------------------
    def oauth_access_token(self, sender: Sender | str, *, force_refresh: bool = False,
                           progress: Callable[[str], None] | None = None) -> str:
        """A valid access token for ``sender``, refreshed first when it expires within
        five minutes. Revoked / expired sign-in -> ``oauth_reauth_required`` (and the saved
        sign-in is forgotten, so the sender shows "needs sign-in")."""
        address = sender if isinstance(sender, str) else sender.address
        with _lock_for(self._oauth_row(address)[0]):
            stored, client = self._stored_client(address)
            tokens = self._saved_tokens(stored.id)
            if self._oauth_row(address)[2].client_credentials:
                if (tokens is not None and not force_refresh
                        and not tokens.expires_within(oa.REFRESH_MARGIN_S)):
                    return tokens.access_token
                if progress is not None:
                    progress("signing the application in (client credentials)")
                fresh = client.client_credentials()
                self._save_tokens(stored.id, fresh)
                log.info("application token of %s fetched (client credentials, valid %d s)",
                         stored.address,
                         max(0, int(fresh.expires_at - time.time())) if fresh.expires_at
                         else -1)
                return fresh.access_token
            if tokens is None:
                raise BimailError(ErrorCode.OAUTH_REAUTH_REQUIRED,
                                  Msg("oauth.not_signed_in_yet", address=stored.address))
            if not force_refresh and not tokens.expires_within(oa.REFRESH_MARGIN_S):
                return tokens.access_token
            if progress is not None:
                progress("renewing the OAuth2 access token")
            try:
                fresh = client.refresh(tokens)
            except BimailError as error:
                if error.code is ErrorCode.OAUTH_REAUTH_REQUIRED:
                    self._save_tokens(stored.id, None)
                    log.warning("the sign-in of %s was revoked or expired", stored.address)
                raise
            self._save_tokens(stored.id, fresh)
            log.info("access token of %s renewed (valid %d s)", stored.address,
                     max(0, int(fresh.expires_at - time.time())) if fresh.expires_at else -1)
            return fresh.access_token
