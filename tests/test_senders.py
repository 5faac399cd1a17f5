"""Sender accounts (S1–S7) and the default sender (D1–D3) through the Python API."""

from __future__ import annotations

import pytest
from bimail_test_keyring import MemoryKeyring

from bimail_desktop.domain.errors import BimailError, ErrorCode, InvalidInput
from bimail_desktop.domain.models import Encryption
from bimail_desktop.services import Mailbox

QQ = {"server": "smtp.qq.com", "port": 465, "encryption": "ssl",
      "address": "r#e&p@qq.com", "show_name": "报表中心"}


def test_add_edit_remove_several_senders(mailbox: Mailbox, keychain: MemoryKeyring) -> None:
    a = mailbox.add_sender(QQ, password="auth-code-1")
    b = mailbox.add_sender({"server": "10.0.0.5", "encryption": "none",
                            "address": "bi@corp.example.com"})
    assert {s.address for s in mailbox.list_senders()} == {"r#e&p@qq.com",
                                                            "bi@corp.example.com"}
    assert (b.port, b.encryption) == (25, Encryption.NONE)
    assert a.has_password and not b.has_password
    assert keychain.entries == {("bimail-desktop", a.id): "auth-code-1"}

    edited = mailbox.edit_sender("R#E&P@QQ.COM", {"show_name": "BI Reports", "port": 587,
                                                  "encryption": "tls"})
    assert (edited.show_name, edited.port, edited.encryption) == ("BI Reports", 587,
                                                                  Encryption.TLS)
    assert mailbox.sender_password(edited) == "auth-code-1"  # empty password keeps it

    renamed = mailbox.edit_sender("r#e&p@qq.com", {"address": "reports@qq.com"})
    assert renamed.id == a.id
    assert mailbox.sender_password(renamed) == "auth-code-1"  # renaming keeps it

    mailbox.edit_sender("reports@qq.com", {}, password="auth-code-2")
    assert keychain.entries[("bimail-desktop", a.id)] == "auth-code-2"

    mailbox.remove_sender("reports@qq.com")
    assert [s.address for s in mailbox.list_senders()] == ["bi@corp.example.com"]
    assert keychain.entries == {}  # its keychain entry went with it


def test_duplicate_address_is_refused_case_insensitively(mailbox: Mailbox) -> None:
    mailbox.add_sender(QQ)
    with pytest.raises(InvalidInput) as info:
        mailbox.add_sender({**QQ, "address": "R#E&P@QQ.com"})
    assert info.value.field == "address" and "already exists" in str(info.value)
    other = mailbox.add_sender({**QQ, "address": "other@qq.com"})
    with pytest.raises(InvalidInput):
        mailbox.edit_sender(other.address, {"address": "r#e&p@QQ.COM"})
    assert len(mailbox.list_senders()) == 2


def test_invalid_edit_changes_nothing(mailbox: Mailbox, keychain: MemoryKeyring) -> None:
    sender = mailbox.add_sender(QQ, password="keep-me")
    with pytest.raises(InvalidInput) as info:
        mailbox.edit_sender(sender.address, {"port": 0}, password="new-one")
    assert info.value.field == "port"
    assert mailbox.get_sender(sender.address).port == 465
    assert keychain.entries[("bimail-desktop", sender.id)] == "keep-me"


def test_unknown_sender_is_not_found(mailbox: Mailbox) -> None:
    with pytest.raises(BimailError) as info:
        mailbox.remove_sender("nobody@example.com")
    assert info.value.code is ErrorCode.NOT_FOUND


def test_default_sender_is_explicit_and_emptied_by_deleting_it(mailbox: Mailbox) -> None:
    assert not mailbox.is_configured()  # D2
    with pytest.raises(BimailError) as info:
        mailbox.require_default_sender()
    assert info.value.code is ErrorCode.NOT_CONFIGURED

    mailbox.add_sender(QQ)
    assert not mailbox.is_configured()  # adding is not choosing (D1)
    mailbox.set_default_sender("R#E&P@qq.com")
    default = mailbox.default_sender()
    assert default is not None and default.address == "r#e&p@qq.com" and default.is_default

    mailbox.remove_sender("r#e&p@qq.com")  # D3
    assert mailbox.default_sender() is None and not mailbox.is_configured()


def test_clear_default(mailbox: Mailbox) -> None:
    mailbox.add_sender(QQ)
    mailbox.set_default_sender(QQ["address"])
    mailbox.clear_default_sender()
    assert not mailbox.is_configured()


def test_builtin_test_mail_template_exists(mailbox: Mailbox) -> None:
    template = mailbox.get_template("Test Mail")
    assert template is not None and template.builtin
    assert "Congratulation! Your mail server is configured successfully." in template.html
