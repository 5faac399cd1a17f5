"""The parts of an OAuth2 sign-in that need Authlib and an HTTP server: imported only when
a sender signs in or refreshes a token, so that listing senders or sending with a password
never loads them (see :mod:`bimail_desktop.mail.oauth`)."""

from __future__ import annotations

import socketserver
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from authlib.oauth2.client import OAuth2Client

from .oauth import ProviderError


class AuthlibClient(OAuth2Client):  # type: ignore[misc]
    oauth_error_class = ProviderError
    SESSION_REQUEST_PARAMS = ("timeout",)


# -- the loopback redirect ------------------------------------------------------------------------
_DONE_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>bimail</title></head>"
    "<body style='font-family:sans-serif'><h2>{title}</h2><p>{text}</p></body></html>"
)


class LoopbackServer(ThreadingHTTPServer):
    """One request per thread: a browser's idle pre-connection must not hold up the real
    redirect."""

    allow_reuse_address = False
    daemon_threads = True

    def __init__(self, port: int, state: str) -> None:
        self.expected_state = state
        self.result: dict[str, str] | None = None
        self.answered = threading.Event()
        super().__init__(("127.0.0.1", port), LoopbackHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), which can take seconds
        socketserver.TCPServer.server_bind(self)
        self.server_name = "127.0.0.1"
        self.server_port = int(self.server_address[1])


class LoopbackHandler(BaseHTTPRequestHandler):
    server: LoopbackServer
    timeout = 10.0  # an idle connection (browser pre-connect) is dropped after this

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        params = {k: v[0] for k, v in query.items() if v}
        if params.get("state") != self.server.expected_state or not (
            "code" in params or "error" in params
        ):
            # a stray request (favicon, another tab): not ours, keep waiting
            self._page(400, "Not a sign-in answer", "This page is not the answer bimail "
                       "waits for. Finish the sign-in in the tab that bimail opened.")
            return
        if self.server.result is None:
            self.server.result = params
        self.server.answered.set()
        if "code" in params:
            self._page(200, "Signed in", "You can close this tab and return to bimail.")
        else:
            self._page(200, "Sign-in not completed",
                       "The provider did not sign you in. Return to bimail for details.")

    def _page(self, status: int, title: str, text: str) -> None:
        body = _DONE_PAGE.format(title=title, text=text).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # the request line holds the code: never log it
