"""pytest fixtures around ``smtp_servers`` (loaded by tests/conftest.py via pytest_plugins).

- ``smtp_ca``: a trustme CA for the whole session; ``smtp_ca_pem``: its PEM text.
- ``smtp_cert``: a leaf from ``smtp_ca`` for "localhost" and "127.0.0.1".
- ``smtp_server_factory(mode="plain", **kwargs)``: starts an :class:`SmtpTestServer`
  (TLS modes get ``smtp_cert`` unless ``certificate=`` is given); all stopped after the test.
- ``silent_server``: a started :class:`SilentServer` (accepts, never greets).
- ``unused_port``: a loopback port where nothing listens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import trustme
from smtp_servers import (
    ServerCertificate,
    SilentServer,
    SmtpTestServer,
    ca_pem,
    issue_certificate,
    make_ca,
)
from smtp_servers import unused_port as _unused_port


@pytest.fixture(scope="session")
def smtp_ca() -> trustme.CA:
    return make_ca()


@pytest.fixture(scope="session")
def smtp_ca_pem(smtp_ca: trustme.CA) -> str:
    return ca_pem(smtp_ca)


@pytest.fixture(scope="session")
def smtp_cert(smtp_ca: trustme.CA) -> ServerCertificate:
    return issue_certificate(smtp_ca, "localhost", "127.0.0.1")


@pytest.fixture
def smtp_server_factory(
    smtp_cert: ServerCertificate,
) -> Iterator[Callable[..., SmtpTestServer]]:
    servers: list[SmtpTestServer] = []

    def make(mode: str = "plain", **kwargs: Any) -> SmtpTestServer:
        if mode != "plain":
            kwargs.setdefault("certificate", smtp_cert)
        server = SmtpTestServer(mode, **kwargs)
        server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    with SilentServer() as server:
        yield server


@pytest.fixture
def unused_port() -> int:
    return _unused_port()


@pytest.fixture
def trusted(smtp_ca_pem: str) -> Any:
    """The trust configuration of a program that imported the test CA."""
    from bimail_desktop.mail.tls import TrustConfig

    return TrustConfig(cas=(smtp_ca_pem,))


@pytest.fixture
def idp() -> Iterator[Any]:
    """A fake OAuth2 provider (authorisation, token and device endpoints) on loopback."""
    from fake_oauth import FakeOAuthProvider

    with FakeOAuthProvider() as provider:
        yield provider
