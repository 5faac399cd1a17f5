"""OAuth2 sign-in for senders (XOAUTH2): Microsoft 365, Google and other providers.

The protocol work is Authlib's (:class:`authlib.oauth2.client.OAuth2Client`: authorisation
URL, PKCE S256 challenge, code exchange, refresh, error parsing); this module adds what a
desktop program needs around it:

- an HTTP session for Authlib on the standard library (``urllib``) that verifies the token
  endpoint against the OS trust store (``truststore``) and honours the proxy variables;
- the loopback redirect (RFC 8252): a one-shot HTTP server on ``127.0.0.1`` and a free
  port, the system browser opened on the authorisation URL, a timeout and Cancel;
- the device-code flow (RFC 8628) for machines without a browser (Authlib implements only
  the server side of it): ask for a code, show it, poll the token endpoint;
- one catalogue code for every failure (``invalid_grant`` on refresh ->
  ``oauth_reauth_required``).

Tokens are handed around as :class:`TokenSet`, whose ``repr`` never shows a token. Nothing
here logs a token, a code, a verifier or a client secret.

One module on purpose: the three sign-in flows share the HTTP session, the token set and
the mapping of every failure to one code; the window's flow runner is ``oauth_flow.py``.
"""

from __future__ import annotations

import base64
import binascii
import http.client
import json
import logging
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..domain.errors import BimailError, ErrorCode, InvalidInput
from ..domain.models import AUTH_METHODS as AUTH_METHODS  # re-exported
from ..domain.models import AuthMethod
from ..domain.texts import Msg
from .cancel import CancelToken

if TYPE_CHECKING:
    from .oauth_flow import AuthlibClient

log = logging.getLogger(__name__)

# -- authentication methods of a sender ---------------------------------------------------
PASSWORD = AuthMethod.PASSWORD
MICROSOFT = AuthMethod.OAUTH2_MICROSOFT
GOOGLE = AuthMethod.OAUTH2_GOOGLE
CUSTOM = AuthMethod.OAUTH2_CUSTOM
# AUTH_METHODS (the four above) comes from domain.models, where validation uses it
OAUTH_METHODS = (MICROSOFT, GOOGLE, CUSTOM)
METHOD_LABELS = {
    PASSWORD: "Password",
    MICROSOFT: "OAuth2 — Microsoft 365",
    GOOGLE: "OAuth2 — Google",
    CUSTOM: "OAuth2 — other provider",
}

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
# how a sender signs in: a user in the browser / with a device code ("" = interactive), or
# the application itself with its client secret (client credentials: a server, no user)
INTERACTIVE = ""
CLIENT_CREDENTIALS = "client_credentials"
# Microsoft 365 without a user: the application permission SMTP.SendAsApp of Exchange Online
MS_APP_SCOPE = "https://outlook.office365.com/.default"
REFRESH_MARGIN_S = 300.0  # refresh an access token that expires within five minutes
DEFAULT_SIGN_IN_TIMEOUT_S = 300.0

MS_AUTHORITY = "https://login.microsoftonline.com"
DEFAULT_TENANT = "organizations"


@dataclass(frozen=True, slots=True)
class ProviderDefaults:
    scopes: str
    auth_url: str  # may contain {tenant}
    token_url: str
    device_url: str
    needs_client_secret: bool = False
    device_flow: bool = True  # the provider allows the device flow for mail scopes


PROVIDER_DEFAULTS: dict[str, ProviderDefaults] = {
    MICROSOFT: ProviderDefaults(
        scopes="https://outlook.office.com/SMTP.Send offline_access",
        auth_url=MS_AUTHORITY + "/{tenant}/oauth2/v2.0/authorize",
        token_url=MS_AUTHORITY + "/{tenant}/oauth2/v2.0/token",
        device_url=MS_AUTHORITY + "/{tenant}/oauth2/v2.0/devicecode",
    ),
    GOOGLE: ProviderDefaults(
        scopes="https://mail.google.com/",
        auth_url="https://accounts.google.com/o/oauth2/v2/auth",
        token_url="https://oauth2.googleapis.com/token",
        device_url="https://oauth2.googleapis.com/device/code",
        # Google's "Desktop app" clients come with a client secret that must be sent
        needs_client_secret=True,
        # Google's device flow does not allow the mail scope: sign in with a browser
        device_flow=False,
    ),
}


def is_oauth(method: str | None) -> bool:
    return method in OAUTH_METHODS


def validate_method(value: Any, field: str = "auth_method") -> AuthMethod:
    """"password" | "oauth2_microsoft" | "oauth2_google" | "oauth2_custom" (the CLI's
    dashed spellings are accepted too)."""
    from ..domain.validation import validate_auth_method

    return validate_auth_method(value, field)


# -- settings -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class OAuthSettings:
    """What the admin types in for an OAuth2 sender. Stored as JSON in the sender's row:
    never a token, never the client secret (that one lives in the keychain)."""

    client_id: str = ""
    tenant: str = ""  # Microsoft only; "" means "organizations"
    scopes: str = ""  # "" means the provider's default
    auth_url: str = ""  # "" means derived (Microsoft, Google); typed for other providers
    token_url: str = ""
    device_url: str = ""
    flow: str = INTERACTIVE  # or CLIENT_CREDENTIALS

    @property
    def client_credentials(self) -> bool:
        return self.flow == CLIENT_CREDENTIALS

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    def to_dict(self) -> dict[str, str]:
        return {
            "client_id": self.client_id,
            "tenant": self.tenant,
            "scopes": self.scopes,
            "auth_url": self.auth_url,
            "token_url": self.token_url,
            "device_url": self.device_url,
        } | ({"flow": "client-credentials"} if self.client_credentials else {})

    @classmethod
    def from_json(cls, text: str | None) -> OAuthSettings:
        if not text:
            return cls()
        try:
            data = json.loads(text)
        except ValueError:
            return cls()
        return cls.from_mapping(data if isinstance(data, dict) else {})

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> OAuthSettings:
        def text(name: str) -> str:
            value = data.get(name)
            return "" if value is None else str(value).strip()

        return cls(
            client_id=text("client_id"),
            tenant=text("tenant"),
            scopes=" ".join(text("scopes").replace(",", " ").split()),
            auth_url=text("auth_url"),
            token_url=text("token_url"),
            device_url=text("device_url"),
            flow=_flow(text("flow")),
        )


@dataclass(frozen=True, slots=True)
class Endpoints:
    """The resolved endpoints and scopes of one sender's provider."""

    method: str
    client_id: str
    scopes: str
    auth_url: str
    token_url: str
    device_url: str
    needs_client_secret: bool = False
    device_flow: bool = True


def _check_url(value: str, field: str, *, required: bool) -> str:
    if not value:
        if required:
            raise InvalidInput(field, Msg("oauth.url_empty"))
        return ""
    parsed = urllib.parse.urlsplit(value)
    host = (parsed.hostname or "").lower()
    loopback = host in ("127.0.0.1", "localhost", "::1")
    if parsed.scheme == "https" or (parsed.scheme == "http" and loopback):
        if not host:
            raise InvalidInput(field, Msg("oauth.url_no_host", value=value))
        if any(ord(c) < 33 for c in value):
            raise InvalidInput(field, Msg("text.no_spaces_or_control"))
        return value
    raise InvalidInput(
        field, Msg("oauth.not_https", value=value)
    )


def _flow(value: str) -> str:
    text = value.strip().lower().replace("-", "_")
    return INTERACTIVE if text in ("", "interactive") else text


def validate_oauth_settings(method: str, data: OAuthSettings | Mapping[str, Any]) -> OAuthSettings:
    """Check the OAuth2 fields of a sender; the first bad field raises ``invalid_input``."""
    method = validate_method(method)
    settings = data if isinstance(data, OAuthSettings) else OAuthSettings.from_mapping(data)
    if not is_oauth(method):
        return OAuthSettings()
    if not settings.client_id:
        raise InvalidInput(
            "client_id",
            Msg("oauth.client_id_empty"),
        )
    if any(ord(c) < 33 for c in settings.client_id) or len(settings.client_id) > 256:
        raise InvalidInput("client_id", Msg("oauth.one_word"))
    tenant = settings.tenant
    if method == MICROSOFT:
        if tenant and not all(c.isalnum() or c in "-._" for c in tenant):
            raise InvalidInput(
                "tenant",
                Msg("oauth.bad_tenant"),
            )
    else:
        tenant = ""
    if any(ord(c) < 32 for c in settings.scopes):
        raise InvalidInput("scopes", Msg("text.no_control_chars"))
    custom = method == CUSTOM
    if settings.flow not in (INTERACTIVE, CLIENT_CREDENTIALS):
        raise InvalidInput("flow", Msg("oauth.bad_flow", flow=settings.flow))
    if settings.client_credentials:
        if method == GOOGLE:
            raise InvalidInput("flow", Msg("oauth.google_no_app_sign_in"))
        if method == MICROSOFT and tenant.lower() in ("", "organizations", "common",
                                                       "consumers"):
            raise InvalidInput("tenant", Msg("oauth.app_needs_tenant"))
    auth_url = _check_url(settings.auth_url, "auth_url",
                          required=custom and not settings.client_credentials)
    token_url = _check_url(settings.token_url, "token_url", required=custom)
    device_url = _check_url(settings.device_url, "device_url", required=False)
    if custom and not settings.scopes:
        raise InvalidInput("scopes", Msg("oauth.scopes_empty"))
    return replace(settings, tenant=tenant, auth_url=auth_url, token_url=token_url,
                   device_url=device_url)


def resolve_endpoints(method: str, settings: OAuthSettings) -> Endpoints:
    """The endpoints to use: typed ones win, else the provider's (Microsoft: per tenant)."""
    defaults = PROVIDER_DEFAULTS.get(method)
    tenant = settings.tenant or DEFAULT_TENANT

    def pick(typed: str, default: str) -> str:
        return typed or default.replace("{tenant}", urllib.parse.quote(tenant, safe=""))

    app = settings.client_credentials
    if defaults is None:
        return Endpoints(method, settings.client_id, settings.scopes, settings.auth_url,
                         settings.token_url, settings.device_url,
                         needs_client_secret=app,
                         device_flow=bool(settings.device_url) and not app)
    return Endpoints(
        method=method,
        client_id=settings.client_id,
        scopes=settings.scopes or (MS_APP_SCOPE if app and method == MICROSOFT
                                   else defaults.scopes),
        auth_url=pick(settings.auth_url, defaults.auth_url),
        token_url=pick(settings.token_url, defaults.token_url),
        device_url=pick(settings.device_url, defaults.device_url),
        needs_client_secret=defaults.needs_client_secret or app,
        device_flow=(defaults.device_flow or bool(settings.device_url)) and not app,
    )


def default_scopes(method: str) -> str:
    defaults = PROVIDER_DEFAULTS.get(method)
    return defaults.scopes if defaults else ""


# -- tokens -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TokenSet:
    """The tokens of one sign-in. Lives in the keychain only; never printed."""

    access_token: str = field(repr=False)
    refresh_token: str = field(default="", repr=False)
    expires_at: float = 0.0  # epoch seconds; 0 = unknown
    scope: str = ""
    account: str = ""  # who signed in, when the provider says (id_token), for display

    def expires_within(self, seconds: float, now: float | None = None) -> bool:
        if not self.access_token:
            return True
        if not self.expires_at:
            return False
        return self.expires_at - (time.time() if now is None else now) <= seconds

    def to_dict(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at,
            "scope": self.scope,
            "account": self.account,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TokenSet:
        return cls(
            access_token=str(data.get("access_token") or ""),
            refresh_token=str(data.get("refresh_token") or ""),
            expires_at=float(data.get("expires_at") or 0.0),
            scope=str(data.get("scope") or ""),
            account=str(data.get("account") or ""),
        )

    @classmethod
    def from_response(cls, data: Mapping[str, Any], *, previous: TokenSet | None = None,
                      now: float | None = None) -> TokenSet:
        """From a token endpoint's answer; a refresh that returns no new refresh token
        keeps the old one."""
        now = time.time() if now is None else now
        expires_at = 0.0
        if data.get("expires_in") not in (None, ""):
            try:
                expires_at = now + float(data["expires_in"])
            except (TypeError, ValueError):
                expires_at = 0.0
        account = _account_from_id_token(data.get("id_token"))
        return cls(
            access_token=str(data.get("access_token") or ""),
            refresh_token=str(data.get("refresh_token") or (previous.refresh_token
                                                             if previous else "")),
            expires_at=expires_at,
            scope=str(data.get("scope") or (previous.scope if previous else "")),
            account=account or (previous.account if previous else ""),
        )


def _account_from_id_token(id_token: Any) -> str:
    """The signed-in account named in an ID token, for display only (not verified; it is
    never used to decide anything)."""
    if not isinstance(id_token, str) or id_token.count(".") != 2:
        return ""
    payload = id_token.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, binascii.Error):
        return ""
    if not isinstance(claims, dict):
        return ""
    for key in ("preferred_username", "email", "upn"):
        if isinstance(claims.get(key), str):
            return str(claims[key])
    return ""


def redact(text: str, *secrets: str) -> str:
    """``text`` with every given secret replaced by the program's one redaction marker."""
    from .protocol import REDACTED

    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text


# -- HTTP for Authlib ---------------------------------------------------------------------
class ProviderError(Exception):
    """An OAuth2 error answer (``{"error": …, "error_description": …}``). Authlib's own
    error class refuses descriptions with line breaks, which Microsoft sends."""

    def __init__(self, error: str | None = None, description: str | None = None,
                 **_: Any) -> None:
        self.error = error or "unknown_error"
        self.description = " ".join((description or "").split())
        super().__init__(f"{self.error}: {self.description}" if self.description
                         else self.error)


class _HttpStatusError(Exception):
    def __init__(self, status: int, text: str) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.text = text


class _Response:
    def __init__(self, status: int, body: bytes) -> None:
        self.status_code = status
        self.content = body

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content.decode("utf-8"))

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise _HttpStatusError(self.status_code, self.text[:300])


def default_ssl_context() -> ssl.SSLContext:
    """The OS trust store (like the SMTP connections), TLS 1.2 at least."""
    try:
        import truststore

        ctx: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    except ImportError:  # pragma: no cover - truststore is a dependency
        ctx = ssl.create_default_context()
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


class UrllibSession:
    """The little of a ``requests.Session`` that Authlib's OAuth2Client uses: ``post``."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None, timeout: float = 30.0,
                 cancel: CancelToken | None = None) -> None:
        self._context = ssl_context
        self.timeout = timeout
        self.cancel = cancel

    def _opener(self) -> urllib.request.OpenerDirector:
        context = self._context or default_ssl_context()
        return urllib.request.build_opener(urllib.request.HTTPSHandler(context=context))

    def post(self, url: str, data: Mapping[str, Any] | None = None,
             headers: Mapping[str, str] | None = None, auth: Any = None,
             timeout: float | None = None, **_: Any) -> _Response:
        body = urllib.parse.urlencode(dict(data or {}))
        all_headers = dict(headers or {})  # Authlib passes a shared dict: never change it
        if auth is not None:
            url, all_headers, body = auth.prepare("POST", url, all_headers, body)
        return self.request("POST", url, body=body.encode("utf-8"), headers=all_headers,
                            timeout=timeout)

    def request(self, method: str, url: str, *, body: bytes | None = None,
                headers: Mapping[str, str] | None = None,
                timeout: float | None = None, **_: Any) -> _Response:
        if self.cancel is not None and self.cancel.cancelled:
            raise BimailError(ErrorCode.INTERRUPTED, Msg("oauth.cancelled"))
        request = urllib.request.Request(url, data=body, headers=dict(headers or {}),
                                         method=method)
        host = urllib.parse.urlsplit(url).hostname or url
        try:
            with self._opener().open(request, timeout=timeout or self.timeout) as resp:
                return _Response(resp.status, resp.read())
        except urllib.error.HTTPError as exc:
            with exc:
                return _Response(exc.code, exc.read())
        except urllib.error.URLError as exc:
            raise _network_error(exc.reason, host) from None
        except (TimeoutError, OSError) as exc:
            raise _network_error(exc, host) from None
        except http.client.HTTPException as exc:  # a broken HTTP answer
            raise _network_error(exc, host) from None


def _network_error(reason: Any, host: str) -> BimailError:
    where = f"the sign-in service {host}"
    if isinstance(reason, ssl.SSLCertVerificationError):
        code = ErrorCode.TLS_EXPIRED if reason.verify_code == 10 else (
            ErrorCode.TLS_HOSTNAME_MISMATCH if reason.verify_code == 62
            else ErrorCode.TLS_UNTRUSTED)
        return BimailError(code, Msg("oauth.untrusted", where=where,
                                     verify_message=reason.verify_message))
    if isinstance(reason, socket.gaierror):
        return BimailError(ErrorCode.DNS_FAILED, Msg("oauth.dns_failed", where=where))
    if isinstance(reason, ConnectionRefusedError):
        return BimailError(ErrorCode.CONNECT_REFUSED, Msg("oauth.refused", where=where))
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return BimailError(ErrorCode.CONNECT_TIMEOUT, Msg("oauth.timeout", where=where))
    if isinstance(reason, BimailError):
        return reason
    return BimailError(ErrorCode.DISCONNECTED,
                       Msg("oauth.unreachable", where=where, name=type(reason).__name__))


# -- the client -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DeviceAuthorization:
    """What the admin is shown in the device flow."""

    user_code: str
    verification_uri: str
    verification_uri_complete: str
    expires_in: float
    interval: float
    message: str
    device_code: str = field(repr=False, default="")

    def instructions(self) -> str:
        return self.message or (f"Open {self.verification_uri} in a browser and enter the "
                                f"code {self.user_code}")


class OAuthClient:
    """One sender's provider: authorisation URL, code exchange, refresh, device flow."""

    def __init__(self, endpoints: Endpoints, client_secret: str | None = None, *,
                 ssl_context: ssl.SSLContext | None = None, timeout: float = 30.0,
                 cancel: CancelToken | None = None) -> None:
        self.endpoints = endpoints
        self.session = UrllibSession(ssl_context, timeout, cancel)
        self._secret = client_secret or None
        self.timeout = timeout

    def _client(self, redirect_uri: str | None = None) -> AuthlibClient:
        from .oauth_flow import AuthlibClient  # Authlib only when talking to a provider

        return AuthlibClient(
            self.session,
            client_id=self.endpoints.client_id,
            client_secret=self._secret,
            token_endpoint_auth_method="client_secret_post" if self._secret else "none",
            scope=self.endpoints.scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
        )

    # authorisation code + PKCE
    def authorization_url(self, redirect_uri: str, code_verifier: str, state: str,
                          login_hint: str = "") -> str:
        extra = {"login_hint": login_hint} if login_hint else {}
        if self.endpoints.method == GOOGLE:
            extra["access_type"] = "offline"  # Google sends a refresh token only then
            extra["prompt"] = "consent"
        url, _ = self._client(redirect_uri).create_authorization_url(
            self.endpoints.auth_url, state=state, code_verifier=code_verifier, **extra)
        return str(url)

    def exchange_code(self, code: str, redirect_uri: str, code_verifier: str) -> TokenSet:
        try:
            data = self._client(redirect_uri).fetch_token(
                self.endpoints.token_url, grant_type="authorization_code", code=code,
                code_verifier=code_verifier, timeout=self.timeout)
        except ProviderError as exc:
            raise BimailError(
                ErrorCode.AUTH_FAILED,
                Msg("oauth.refused_sign_in", exc=exc),
            ) from None
        except (_HttpStatusError, ValueError) as exc:
            raise _bad_answer(exc, self.endpoints.token_url) from None
        return self._tokens(data)

    def refresh(self, tokens: TokenSet) -> TokenSet:
        """A new access token. A revoked or expired refresh token ->
        ``oauth_reauth_required``."""
        if not tokens.refresh_token:
            raise BimailError(ErrorCode.OAUTH_REAUTH_REQUIRED,
                              Msg("oauth.not_signed_in"))
        try:
            data = self._client().refresh_token(
                self.endpoints.token_url, refresh_token=tokens.refresh_token,
                timeout=self.timeout)
        except ProviderError as exc:
            if exc.error in ("invalid_grant", "interaction_required", "consent_required",
                             "login_required"):
                raise BimailError(
                    ErrorCode.OAUTH_REAUTH_REQUIRED,
                    Msg("oauth.saved_sign_in_refused", error=exc.error),
                ) from None
            raise BimailError(ErrorCode.AUTH_FAILED,
                              Msg("oauth.refused_renew", exc=exc)) from None
        except (_HttpStatusError, ValueError) as exc:
            raise _bad_answer(exc, self.endpoints.token_url) from None
        return self._tokens(data, previous=tokens)

    def client_credentials(self) -> TokenSet:
        """An access token for the application itself (RFC 6749 4.4: client ID and secret,
        no user, no refresh token — a new one is fetched when it expires)."""
        if not self._secret:
            raise BimailError(ErrorCode.AUTH_FAILED, Msg("oauth.app_needs_secret_short"))
        try:
            data = self._client().fetch_token(
                self.endpoints.token_url, grant_type="client_credentials",
                scope=self.endpoints.scopes, timeout=self.timeout)
        except ProviderError as exc:
            raise BimailError(
                ErrorCode.AUTH_FAILED,
                Msg("oauth.refused_app", exc=exc),
            ) from None
        except (_HttpStatusError, ValueError) as exc:
            raise _bad_answer(exc, self.endpoints.token_url) from None
        return self._tokens(data)

    def _tokens(self, data: Mapping[str, Any], previous: TokenSet | None = None) -> TokenSet:
        tokens = TokenSet.from_response(data, previous=previous)
        if not tokens.access_token:
            raise BimailError(ErrorCode.AUTH_FAILED,
                              Msg("oauth.no_access_token"))
        return tokens

    # device flow (RFC 8628)
    def start_device_flow(self, login_hint: str = "") -> DeviceAuthorization:
        if not self.endpoints.device_url:
            raise InvalidInput("device_url",
                               Msg("oauth.no_device_flow"))
        data: dict[str, str] = {"client_id": self.endpoints.client_id,
                                "scope": self.endpoints.scopes}
        if self._secret:
            data["client_secret"] = self._secret
        resp = self.session.post(self.endpoints.device_url, data=data,
                                 headers={"Accept": "application/json"})
        try:
            answer = resp.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise _bad_answer(_HttpStatusError(resp.status_code, resp.text[:300]),
                              self.endpoints.device_url)
        if "error" in answer or resp.status_code >= 400:
            error = ProviderError(str(answer.get("error") or resp.status_code),
                                  str(answer.get("error_description") or ""))
            raise BimailError(ErrorCode.AUTH_FAILED,
                              Msg("oauth.device_refused", error=error))
        try:
            return DeviceAuthorization(
                user_code=str(answer["user_code"]),
                verification_uri=str(answer.get("verification_uri")
                                     or answer.get("verification_url") or ""),
                verification_uri_complete=str(answer.get("verification_uri_complete") or ""),
                expires_in=float(answer.get("expires_in") or 900),
                interval=float(answer["interval"]) if answer.get("interval") is not None
                else 5.0,
                message=str(answer.get("message") or ""),
                device_code=str(answer["device_code"]),
            )
        except (KeyError, TypeError, ValueError):
            raise _bad_answer(ValueError("no device code"), self.endpoints.device_url) from None

    def poll_device_flow(self, device: DeviceAuthorization, *,
                         cancel: CancelToken | None = None,
                         timeout: float | None = None) -> TokenSet:
        """Wait until the admin has signed in on another device (or it expired)."""
        cancel = cancel or CancelToken()
        limit = device.expires_in if timeout is None else min(timeout, device.expires_in)
        deadline = time.monotonic() + limit
        interval = max(device.interval, 0.1)
        client = self._client()
        while True:
            if cancel.cancelled:
                raise BimailError(ErrorCode.INTERRUPTED, Msg("oauth.cancelled"))
            try:
                data = client.fetch_token(self.endpoints.token_url, grant_type=DEVICE_GRANT,
                                          device_code=device.device_code,
                                          timeout=self.timeout)
            except ProviderError as exc:
                if exc.error == "authorization_pending":
                    pass
                elif exc.error == "slow_down":
                    interval += 5.0
                elif exc.error in ("access_denied", "authorization_declined"):
                    raise BimailError(ErrorCode.AUTH_FAILED,
                                      Msg("oauth.declined")) from None
                elif exc.error in ("expired_token", "code_expired"):
                    raise BimailError(ErrorCode.TIMEOUT,
                                      Msg("oauth.code_expired")) from None
                else:
                    raise BimailError(ErrorCode.AUTH_FAILED,
                                      Msg("oauth.refused_sign_in", exc=exc)) from None
            except (_HttpStatusError, ValueError) as exc:
                raise _bad_answer(exc, self.endpoints.token_url) from None
            else:
                return self._tokens(data)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BimailError(ErrorCode.TIMEOUT,
                                  Msg("oauth.device_timed_out"))
            if cancel.wait(min(interval, remaining)):
                raise BimailError(ErrorCode.INTERRUPTED, Msg("oauth.cancelled"))


def _bad_answer(exc: Exception, url: str) -> BimailError:
    host = urllib.parse.urlsplit(url).hostname or url
    if isinstance(exc, _HttpStatusError):
        if exc.status >= 500:
            return BimailError(ErrorCode.TEMPORARY_FAILURE,
                               Msg("oauth.http_busy", host=host, status=exc.status))
        return BimailError(ErrorCode.AUTH_FAILED,
                           Msg("oauth.http_error", host=host, status=exc.status))
    return BimailError(ErrorCode.AUTH_FAILED,
                       Msg("oauth.not_oauth_answer", host=host))


BrowserOpener = Callable[[str], object]


def sign_in_loopback(
    client: OAuthClient,
    *,
    open_browser: BrowserOpener | None = None,
    cancel: CancelToken | None = None,
    timeout: float = DEFAULT_SIGN_IN_TIMEOUT_S,
    port: int = 0,
    login_hint: str = "",
    on_url: Callable[[str], None] | None = None,
) -> TokenSet:
    """Authorisation code flow with PKCE through the system browser and a loopback
    redirect ``http://127.0.0.1:PORT/`` (a free port unless ``port`` is given).

    ``open_browser`` defaults to :func:`webbrowser.open`; ``on_url`` is told the URL too
    (so that it can be shown for copying). Cancel or the timeout stop the wait."""
    cancel = cancel or CancelToken()
    from authlib.common.security import generate_token

    from .oauth_flow import LoopbackServer

    state = generate_token(32)
    verifier = generate_token(64)  # 43..128 unreserved characters (RFC 7636)
    try:
        server = LoopbackServer(port, state)
    except OSError as exc:
        raise InvalidInput(
            "port", Msg("oauth.port_unusable", port=port, name=type(exc).__name__)) from None
    remove = cancel.on_cancel(server.answered.set)
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                               name="oauth-loopback", daemon=True)
    serving.start()
    try:
        redirect_uri = f"http://127.0.0.1:{server.server_address[1]}/"
        url = client.authorization_url(redirect_uri, verifier, state, login_hint)
        if on_url is not None:
            on_url(url)
        if open_browser is None:
            import webbrowser

            opener: BrowserOpener = webbrowser.open
        else:
            opener = open_browser

        def open_it() -> None:
            try:
                opener(url)
            except Exception as exc:  # noqa: BLE001 - no browser: the URL was shown anyway
                log.warning("the browser could not be opened: %s", type(exc).__name__)

        # in a thread: some openers wait for the browser to exit (a text browser over SSH,
        # $BROWSER commands), and the browser needs this loop to answer its redirect
        threading.Thread(target=open_it, name="oauth-browser", daemon=True).start()
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            server.answered.wait(max(0.0, min(remaining, 0.5)))
            if cancel.cancelled:
                raise BimailError(ErrorCode.INTERRUPTED, Msg("oauth.cancelled"))
            if server.result is not None:
                result = server.result
                break
            if time.monotonic() >= deadline:
                raise BimailError(ErrorCode.TIMEOUT,
                                  Msg("oauth.browser_timed_out"))
    finally:
        remove()
        server.shutdown()
        server.server_close()
    if "error" in result:
        description = " ".join(result.get("error_description", "").split())
        raise BimailError(
            ErrorCode.AUTH_FAILED,
            Msg("oauth.provider_error", error=result['error'],
                description=f": {description}" if description else ""),
        )
    return client.exchange_code(result["code"], redirect_uri, verifier)
