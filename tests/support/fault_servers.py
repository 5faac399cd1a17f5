"""Hostile SMTP servers on 127.0.0.1 for tests: raw sockets, one thread per connection.

Each server plays one fault (aiosmtpd cannot misbehave at the byte level)::

    with FaultServer(dripping_greeting) as srv:
        ... connect to srv.host, srv.port ...

Behaviours (functions taking a :class:`Peer`):

- :func:`dripping_greeting`: "220 …" one byte every 0.5 s, never a line end;
- :func:`endless_multiline`: greets, then answers EHLO with ``250-…`` lines for ever;
- :func:`huge_single_line`: greets, then answers EHLO with one line that never ends;
- :func:`echo_credentials`: offers AUTH PLAIN LOGIN and answers ``535`` repeating what the
  client sent, decoded and as base64;
- :func:`xoauth2_echo_token`: offers XOAUTH2, answers ``334`` with a JSON error containing
  the token, then ``535`` repeating the client's payload and the token;
- :func:`drop_mid_data`: accepts everything up to DATA, reads a little of the message and
  drops the connection;
- :func:`greeting_421`: ``421 4.7.0 Too many connections`` at once and closes;
- :func:`ehlo_421`: greets, answers EHLO with ``421 4.7.0 Too many connections``, closes.

``srv.received`` holds every line clients sent (for checks that nothing went out).
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable

LOOPBACK = "127.0.0.1"
TOO_MANY = b"421 4.7.0 Too many connections from your host, try again later\r\n"


class Peer:
    """One accepted client connection."""

    def __init__(self, sock: socket.socket, server: FaultServer) -> None:
        self.sock = sock
        self.server = server
        self._buffer = b""

    @property
    def stopping(self) -> bool:
        return self.server.stopping.is_set()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def readline(self, timeout: float = 30.0) -> bytes:
        """One line from the client (b"" when it closed)."""
        self.sock.settimeout(timeout)
        while b"\n" not in self._buffer:
            data = self.sock.recv(65536)
            if not data:
                return b""
            self._buffer += data
        line, _, self._buffer = self._buffer.partition(b"\n")
        text = line.rstrip(b"\r")
        self.server.received.append(text)
        return text

    def command(self) -> tuple[str, str]:
        line = self.readline().decode("utf-8", "replace")
        verb, _, arg = line.partition(" ")
        return verb.upper(), arg

    def serve_basic(self, ehlo: list[str], auth: Callable[[Peer, str], bool] | None = None,
                    on_data: Callable[[Peer], None] | None = None) -> None:
        """A minimal SMTP loop: EHLO answers ``ehlo`` lines, AUTH goes to ``auth``."""
        self.send(b"220 fault.bimail.test ESMTP\r\n")
        while not self.stopping:
            verb, arg = self.command()
            if not verb:
                return
            if verb in ("EHLO", "HELO"):
                lines = ["fault.bimail.test", *ehlo]
                self.send("".join(f"250-{x}\r\n" for x in lines[:-1]).encode()
                          + f"250 {lines[-1]}\r\n".encode())
            elif verb == "AUTH" and auth is not None:
                if not auth(self, arg):
                    return
            elif verb == "DATA":
                if on_data is not None:
                    on_data(self)
                    return
                self.send(b"354 go ahead\r\n")
                while self.readline() not in (b".", b""):
                    pass
                self.send(b"250 2.0.0 queued\r\n")
            elif verb == "QUIT":
                self.send(b"221 bye\r\n")
                return
            else:
                self.send(b"250 OK\r\n")


class FaultServer:
    """Listens on 127.0.0.1; each connection runs ``behaviour(peer)`` in its own thread."""

    def __init__(self, behaviour: Callable[[Peer], None]) -> None:
        self.behaviour = behaviour
        self.host = LOOPBACK
        self.port = 0
        self.received: list[bytes] = []
        self.connections = 0
        self.stopping = threading.Event()
        self._sock: socket.socket | None = None
        self._peers: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> FaultServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        sock.listen(16)
        sock.settimeout(0.1)
        self._sock = sock
        self.port = int(sock.getsockname()[1])
        threading.Thread(target=self._accept, daemon=True, name="fault-accept").start()
        return self

    def _accept(self) -> None:
        assert self._sock is not None
        while not self.stopping.is_set():
            try:
                client, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._peers.append(client)
                self.connections += 1
            threading.Thread(target=self._serve, args=(client,), daemon=True,
                             name="fault-peer").start()

    def _serve(self, client: socket.socket) -> None:
        try:
            self.behaviour(Peer(client, self))
        except (OSError, ValueError):
            pass  # the client went away: that is what these servers provoke
        finally:
            with contextlib.suppress(OSError):
                client.close()

    def stop(self) -> None:
        self.stopping.set()
        with self._lock:
            for peer in self._peers:
                with contextlib.suppress(OSError):
                    peer.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    peer.close()
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --------------------------------------------------------------------------- behaviours


def dripping_greeting(peer: Peer) -> None:
    text = b"220 slow.bimail.test ESMTP " + b"waiting " * 1000
    for byte in text:
        if peer.stopping:
            return
        peer.send(bytes([byte]))
        time.sleep(0.5)


def endless_multiline(peer: Peer) -> None:
    peer.send(b"220 endless.bimail.test ESMTP\r\n")
    peer.command()  # EHLO
    chunk = b"".join(b"250-ENDLESS capability line %06d\r\n" % i for i in range(2000))
    while not peer.stopping:
        peer.send(chunk)


def huge_single_line(peer: Peer) -> None:
    peer.send(b"220 huge.bimail.test ESMTP\r\n")
    peer.command()  # EHLO
    peer.send(b"250 HUGE")
    chunk = b"A" * 65536
    while not peer.stopping:
        peer.send(chunk)


def _decode(b64: str) -> str:
    try:
        return base64.b64decode(b64.strip()).decode("utf-8", "replace")
    except ValueError:
        return ""


def _echo_auth(peer: Peer, arg: str) -> bool:
    mechanism, _, initial = arg.partition(" ")
    said = [initial] if initial else []
    if mechanism.upper() == "LOGIN":
        for prompt in (b"334 VXNlcm5hbWU6\r\n", b"334 UGFzc3dvcmQ6\r\n"):
            if len(said) >= 2:
                break
            peer.send(prompt)
            said.append(peer.readline().decode("ascii", "replace"))
    elif not said:
        peer.send(b"334 \r\n")
        said.append(peer.readline().decode("ascii", "replace"))
    decoded = " / ".join(_decode(s).replace("\0", "\\0") for s in said)
    peer.send(f"535-5.7.8 Authentication failed for {' '.join(said)}\r\n"
              f"535 5.7.8 you said: {decoded}\r\n".encode())
    return True


def echo_credentials(peer: Peer) -> None:
    peer.serve_basic(["AUTH PLAIN LOGIN", "8BITMIME"], auth=_echo_auth)


def _xoauth2_echo(peer: Peer, arg: str) -> bool:
    _mechanism, _, initial = arg.partition(" ")
    decoded = _decode(initial)
    token = decoded.split("auth=Bearer ", 1)[-1].split("\x01", 1)[0]
    error = json.dumps({"status": "401", "schemes": "bearer", "token": token,
                        "scope": "https://mail.google.com/"})
    peer.send(b"334 " + base64.b64encode(error.encode()) + b"\r\n")
    peer.readline()
    peer.send(f"535-5.7.8 Token rejected: {initial}\r\n"
              f"535 5.7.8 bearer {token} is invalid\r\n".encode())
    return True


def xoauth2_echo_token(peer: Peer) -> None:
    peer.serve_basic(["AUTH XOAUTH2", "8BITMIME"], auth=_xoauth2_echo)


def drop_mid_data(peer: Peer) -> None:
    def on_data(p: Peer) -> None:
        p.send(b"354 go ahead\r\n")
        p.readline()
        p.sock.shutdown(socket.SHUT_RDWR)

    peer.serve_basic(["8BITMIME"], on_data=on_data)


def greeting_421(peer: Peer) -> None:
    peer.send(TOO_MANY)


def ehlo_421(peer: Peer) -> None:
    peer.send(b"220 busy.bimail.test ESMTP\r\n")
    peer.command()
    peer.send(TOO_MANY)
