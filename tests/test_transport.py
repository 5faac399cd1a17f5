"""SMTP transport against real aiosmtpd servers on 127.0.0.1."""

from __future__ import annotations

import smtplib
import ssl


def test_test_servers_work(smtp_server_factory, smtp_ca_pem, silent_server, unused_port):
    server = smtp_server_factory("starttls", users={"u@x.test": "pw"})
    ctx = ssl.create_default_context(cadata=smtp_ca_pem)
    with smtplib.SMTP(server.host, server.port, local_hostname="client.test", timeout=5) as c:
        c.starttls(context=ctx)
        c.login("u@x.test", "pw")
        c.sendmail("u@x.test", ["b@y.test"], b"Subject: hi\r\n\r\nbody\r\n")
    assert server.handler.verbs()[:4] == ["EHLO", "STARTTLS", "EHLO", "AUTH"]
    assert server.messages[0].tls and server.messages[0].login == "u@x.test"
