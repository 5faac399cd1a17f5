"""The login mechanism: the strongest the server offers that the credentials allow."""

from __future__ import annotations

import base64
import hashlib
import hmac

from smtp_servers import CramMd5Handler, SmtpTestServer

from bimail_desktop.mail import auth
from bimail_desktop.services import Mailbox

USER = "bi@corp.test"
PASSWORD = "Choice-pw-7"


def test_choice_order() -> None:
    assert auth.choose(["PLAIN", "LOGIN", "CRAM-MD5"], token=False) is auth.Mechanism.CRAM_MD5
    assert auth.choose(["LOGIN", "PLAIN"], token=False) is auth.Mechanism.PLAIN
    assert auth.choose(["LOGIN"], token=False) is auth.Mechanism.LOGIN
    assert auth.choose(["XOAUTH2", "PLAIN"], token=False) is auth.Mechanism.PLAIN
    assert auth.choose(["PLAIN", "XOAUTH2"], token=True) is auth.Mechanism.XOAUTH2
    assert auth.choose(["PLAIN", "LOGIN"], token=True) is None  # a token never goes as PLAIN
    assert auth.choose(["GSSAPI", "NTLM"], token=False) is None


def test_cram_md5_answer_is_the_rfc_2195_example() -> None:
    challenge = base64.b64encode(b"<1896.697170952@postoffice.reston.mci.net>").decode()
    answer = base64.b64decode(auth.cram_md5_response("tim", "tanstaaftanstaaf", challenge))
    assert answer == b"tim b913a602c7eda7a495b4e6e7334d3890"
    expected = hmac.new(b"tanstaaftanstaaf", b"<1896.697170952@postoffice.reston.mci.net>",
                        hashlib.md5).hexdigest()
    assert answer.endswith(expected.encode())


def test_a_server_offering_everything_gets_cram_md5(mailbox: Mailbox, smtp_ca_pem: str,
                                                     smtp_cert) -> None:  # type: ignore[no-untyped-def]
    server = SmtpTestServer("starttls", certificate=smtp_cert,
                            handler=CramMd5Handler(users={USER: PASSWORD}),
                            users={USER: PASSWORD})
    with server:
        mailbox.trust_import_ca(smtp_ca_pem.encode("ascii"))
        mailbox.add_sender({"server": server.host, "port": server.port, "encryption": "tls",
                            "address": USER, "username": USER, "rate_limit": 0},
                           password=PASSWORD)
        assert mailbox.send_test_mail("a@corp.test", sender=USER, timeout=5).ok
        assert server.handler.auth_attempts == [("CRAM-MD5", USER, True)]
        assert "AUTH" in server.handler.verbs()
