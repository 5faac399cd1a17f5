"""A fake OAuth2 provider on 127.0.0.1 and an SMTP server that accepts only its tokens.

No pytest here, so that scripts can use it too::

    with FakeOAuthProvider(client_id="app-1") as idp:
        idp.auth_url, idp.token_url, idp.device_url     # http://127.0.0.1:PORT/…
        idp.valid_access_token("…")                        # issued, not expired, not revoked
        idp.revoke_all()                                   # refresh -> invalid_grant
        idp.approve_device(user_code)                      # what the admin does in a browser

Endpoints:
- ``GET /authorize`` (response_type=code, PKCE S256 required): redirects at once to the
  ``redirect_uri`` with ``code`` and ``state`` (``deny = True``: ``error=access_denied``);
- ``POST /token``: authorization_code (checks client, redirect URI, PKCE verifier),
  refresh_token, device_code; errors as ``{"error": …, "error_description": …}`` with a
  Microsoft-like line break in the description;
- ``POST /devicecode`` and ``GET /device?user_code=…`` (approves, as the admin's browser).

:class:`XOAuth2SmtpServer` is aiosmtpd (plain, on 127.0.0.1) with an ``auth_XOAUTH2``
handler method: a valid token -> 235; otherwise the Gmail-style 334 JSON challenge, then
535 after the client's empty line.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    scope: str


@dataclass
class _Device:
    device_code: str
    user_code: str
    scope: str
    approved: bool = False
    denied: bool = False
    polls: int = 0


@dataclass
class FakeOAuthProvider:
    client_id: str = "bimail-test-client"
    client_secret: str | None = None  # required at the token endpoint when set
    access_lifetime: int = 3600
    device_interval: int = 0
    rotate_refresh_tokens: bool = True
    account: str = ""  # when set, an id_token naming it is returned
    deny: bool = False
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._codes: dict[str, _Grant] = {}
        self._access: dict[str, float] = {}  # token -> expires_at
        self._refresh: set[str] = set()
        self._devices: dict[str, _Device] = {}
        self.issued: list[str] = []  # every token ever issued (for leak scans)
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                provider._get(self)

            def do_POST(self) -> None:  # noqa: N802
                provider._post(self)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    # lifecycle
    def __enter__(self) -> FakeOAuthProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def auth_url(self) -> str:
        return self.base + "/authorize"

    @property
    def token_url(self) -> str:
        return self.base + "/token"

    @property
    def device_url(self) -> str:
        return self.base + "/devicecode"

    def settings(self, **extra: str) -> dict[str, str]:
        """The OAuth2 settings of a custom-provider sender pointing here."""
        return {"client_id": self.client_id, "scopes": "smtp offline_access",
                "auth_url": self.auth_url, "token_url": self.token_url,
                "device_url": self.device_url, **extra}

    # test controls
    def valid_access_token(self, token: str) -> bool:
        with self._lock:
            expires = self._access.get(token)
            return expires is not None and expires > time.time()

    def revoke_all(self) -> None:
        with self._lock:
            self._refresh.clear()
            self._access.clear()

    def expire_access_tokens(self) -> None:
        with self._lock:
            for token in self._access:
                self._access[token] = time.time() - 1

    def approve_device(self, user_code: str) -> None:
        with self._lock:
            for device in self._devices.values():
                if device.user_code == user_code:
                    device.approved = True

    def grants(self, grant_type: str) -> int:
        return sum(1 for _m, path, form in self.requests
                   if path == "/token" and form.get("grant_type") == grant_type)

    # HTTP
    def _reply(self, h: BaseHTTPRequestHandler, status: int, data: dict[str, Any]) -> None:
        body = json.dumps(data).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    def _error(self, h: BaseHTTPRequestHandler, error: str, description: str,
               status: int = 400) -> None:
        # Microsoft puts line breaks and a trace id into its descriptions
        self._reply(h, status, {"error": error,
                                "error_description": f"AADSTS0: {description}.\r\nTrace ID: 1"})

    def _get(self, h: BaseHTTPRequestHandler) -> None:
        url = urllib.parse.urlsplit(h.path)
        q = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        self.requests.append(("GET", url.path, q))
        if url.path == "/authorize":
            redirect = q.get("redirect_uri", "")
            if (q.get("client_id") != self.client_id or q.get("response_type") != "code"
                    or q.get("code_challenge_method") != "S256" or not q.get("code_challenge")
                    or not redirect.startswith("http://127.0.0.1:")):
                self._reply(h, 400, {"error": "invalid_request"})
                return
            if self.deny:
                params = {"error": "access_denied", "state": q.get("state", "")}
            else:
                code = secrets.token_urlsafe(16)
                with self._lock:
                    self._codes[code] = _Grant(self.client_id, redirect,
                                               q["code_challenge"], q.get("scope", ""))
                params = {"code": code, "state": q.get("state", "")}
            h.send_response(302)
            h.send_header("Location", redirect + "?" + urllib.parse.urlencode(params))
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        if url.path == "/device":
            self.approve_device(q.get("user_code", ""))
            body = b"<html><body>Signed in on this device.</body></html>"
            h.send_response(200)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
            return
        self._reply(h, 404, {"error": "not_found"})

    def _post(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length).decode()
        form = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
        path = urllib.parse.urlsplit(h.path).path
        self.requests.append(("POST", path, form))
        if form.get("client_id") != self.client_id:
            self._error(h, "invalid_client", "unknown client", 401)
            return
        if self.client_secret is not None and form.get("client_secret") != self.client_secret:
            self._error(h, "invalid_client", "client secret missing or wrong", 401)
            return
        if path == "/devicecode":
            device = _Device(secrets.token_urlsafe(16),
                             f"{secrets.randbelow(10**8):08d}", form.get("scope", ""))
            with self._lock:
                self._devices[device.device_code] = device
            self._reply(h, 200, {
                "device_code": device.device_code, "user_code": device.user_code,
                "verification_uri": self.base + "/device", "expires_in": 60,
                "interval": self.device_interval,
                "message": f"To sign in, open {self.base}/device and enter the code "
                           f"{device.user_code}.",
            })
            return
        if path != "/token":
            self._reply(h, 404, {"error": "not_found"})
            return
        grant = form.get("grant_type")
        if grant == "authorization_code":
            with self._lock:
                found = self._codes.pop(form.get("code", ""), None)
            if found is None or found.redirect_uri != form.get("redirect_uri"):
                self._error(h, "invalid_grant", "the code is not valid")
                return
            if s256(form.get("code_verifier", "")) != found.challenge:
                self._error(h, "invalid_grant", "the code_verifier does not match the "
                                                "code_challenge")
                return
            self._issue(h, found.scope)
        elif grant == "refresh_token":
            token = form.get("refresh_token", "")
            with self._lock:
                known = token in self._refresh
                if known and self.rotate_refresh_tokens:
                    self._refresh.discard(token)
            if not known:
                self._error(h, "invalid_grant", "the refresh token was revoked or expired")
                return
            self._issue(h, form.get("scope", ""),
                        keep_refresh=None if self.rotate_refresh_tokens else token)
        elif grant == "client_credentials":
            if self.client_secret is None or form.get("client_secret") != self.client_secret:
                self._error(h, "invalid_client", "the client secret is required", 401)
                return
            self._issue(h, form.get("scope", ""), refresh=False)
        elif grant == "urn:ietf:params:oauth:grant-type:device_code":
            with self._lock:
                device = self._devices.get(form.get("device_code", ""))
                if device is not None:
                    device.polls += 1
            if device is None:
                self._error(h, "expired_token", "unknown device code")
            elif device.denied:
                self._error(h, "access_denied", "declined")
            elif not device.approved:
                self._error(h, "authorization_pending", "waiting for the user")
            else:
                with self._lock:
                    self._devices.pop(device.device_code, None)
                self._issue(h, device.scope)
        else:
            self._error(h, "unsupported_grant_type", str(grant))

    def _issue(self, h: BaseHTTPRequestHandler, scope: str,
               keep_refresh: str | None = None, refresh: bool = True) -> None:
        access = "at-" + secrets.token_urlsafe(24)
        refresh_token = keep_refresh or "rt-" + secrets.token_urlsafe(24)
        with self._lock:
            self._access[access] = time.time() + self.access_lifetime
            if refresh:
                self._refresh.add(refresh_token)
            self.issued += [access, refresh_token]
        data: dict[str, Any] = {"access_token": access, "token_type": "Bearer",
                                "expires_in": self.access_lifetime, "scope": scope}
        if not keep_refresh and refresh:
            data["refresh_token"] = refresh_token
        if self.account:
            claims = base64.urlsafe_b64encode(
                json.dumps({"preferred_username": self.account}).encode()).rstrip(b"=")
            data["id_token"] = "e30." + claims.decode() + ".sig"
        self._reply(h, 200, data)


# -------------------------------------------------------------------------- SMTP


class _XOAuth2Handler:
    def __init__(self, provider: FakeOAuthProvider) -> None:
        self.provider = provider
        self.messages: list[Envelope] = []
        self.logins: list[tuple[str, bool]] = []

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:  # noqa: N802
        if len(args) > 1:
            blob = base64.b64decode(args[1])
        else:
            answer = await server.challenge_auth("")
            if not isinstance(answer, bytes):
                return AuthResult(success=False, handled=True)
            blob = answer
        fields = dict(part.split("=", 1) for part in blob.decode().split("\x01") if "=" in part)
        user = fields.get("user", "")
        token = fields.get("auth", "").removeprefix("Bearer ")
        if self.provider.valid_access_token(token):
            self.logins.append((user, True))
            return AuthResult(success=True, auth_data=user)
        self.logins.append((user, False))
        error = json.dumps({"status": "401", "schemes": "bearer",
                            "scope": "https://mail.google.com/"})
        await server.challenge_auth(error)  # the client answers with an empty line
        return AuthResult(success=False, handled=False,
                          message="535 5.7.8 Username and Password not accepted")

    async def handle_MAIL(self, server: SMTP, session: Session, envelope: Envelope,  # noqa: N802
                          address: str, mail_options: list[str]) -> str:
        # AUTH is required (aiosmtpd's own switch warns when AUTH runs without TLS)
        if not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session,  # noqa: N802
                          envelope: Envelope) -> str:
        self.messages.append(envelope)
        return "250 2.0.0 OK queued"


class XOAuth2SmtpServer:
    """aiosmtpd on 127.0.0.1 (no TLS) that offers only XOAUTH2 and requires a login before
    MAIL FROM."""

    def __init__(self, provider: FakeOAuthProvider) -> None:
        self.handler = _XOAuth2Handler(provider)
        self.port = 0

    def __enter__(self) -> XOAuth2SmtpServer:
        last: Exception | None = None
        for _attempt in range(5):  # a free port found now may be taken a moment later
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = int(probe.getsockname()[1])
            self.controller = Controller(
                self.handler, hostname="127.0.0.1", port=port,
                server_hostname="mx.bimail.test", auth_require_tls=False,
                auth_exclude_mechanism=["PLAIN", "LOGIN"],
            )
            try:
                self.controller.start()
            except OSError as exc:
                last = exc
                continue
            self.port = port
            return self
        raise RuntimeError(f"could not start the XOAUTH2 test server: {last}")

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    @property
    def host(self) -> str:
        return "127.0.0.1"


def browser(url: str) -> None:
    """What the admin's browser does: open the URL, follow the provider's redirect back to
    the program's loopback address (the provider signs in at once)."""
    import urllib.request

    urllib.request.urlopen(url, timeout=10).read()
