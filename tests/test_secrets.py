"""Passwords live in the keychain only; long secrets are split; no keychain -> a clear error
and nothing half-saved."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring
import pytest
from bimail_test_keyring import BrokenKeyring, MemoryKeyring
from keyring.backends import fail

from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.secrets import CHUNK_SIZE, SecretStore
from bimail_desktop.services import Mailbox

SENDER = {"server": "smtp.example.com", "port": 587, "encryption": "tls",
          "address": "bi@example.com"}


def test_long_secrets_are_split_under_the_windows_limit_and_joined(keychain: MemoryKeyring) -> None:
    store = SecretStore()
    token = "".join(chr(0x41 + i % 26) for i in range(4000))
    store.set("sender-1:oauth", token)
    assert store.get("sender-1:oauth") == token
    assert all(len(v) <= 1280 for v in keychain.entries.values())
    assert len(keychain.entries) == 1 + -(-4000 // CHUNK_SIZE)
    store.set("sender-1:oauth", "short")  # shrinking removes the old chunks
    assert store.get("sender-1:oauth") == "short"
    assert list(keychain.entries) == [("bimail-desktop", "sender-1:oauth")]
    store.delete("sender-1:oauth")
    assert keychain.entries == {}


def test_status_reports_a_usable_keychain(keychain: MemoryKeyring) -> None:
    status = SecretStore().status()
    assert status.available and "MemoryKeyring" in status.backend
    assert keychain.entries == {}  # the canary is cleaned up


@pytest.mark.parametrize("backend", [fail.Keyring(), BrokenKeyring()])
def test_no_keychain_means_secret_unavailable_and_nothing_saved(
    mailbox: Mailbox, backend: keyring.backend.KeyringBackend
) -> None:
    keyring.set_keyring(backend)
    assert not mailbox.keychain_status().available
    with pytest.raises(BimailError) as info:
        mailbox.add_sender(SENDER, password="hunter2-secret")
    assert info.value.code is ErrorCode.SECRET_UNAVAILABLE
    assert "hunter2" not in str(info.value)
    assert "PYTHON_KEYRING_BACKEND" in info.value.fix()
    assert mailbox.list_senders() == []  # nothing half-saved


def test_a_sender_without_password_needs_no_keychain(mailbox: Mailbox) -> None:
    keyring.set_keyring(fail.Keyring())
    sender = mailbox.add_sender({**SENDER, "address": "relay@example.com"})
    assert sender.address == "relay@example.com"


def test_removing_a_sender_with_no_keychain_leaves_word_and_retries_at_the_next_start(
    mailbox: Mailbox, keychain: MemoryKeyring, tmp_path: Path
) -> None:
    sender = mailbox.add_sender(SENDER, password="hunter2-secret")
    assert keychain.entries
    keyring.set_keyring(fail.Keyring())  # the keychain becomes unusable (locked, gone)

    removal = mailbox.remove_sender_report(SENDER["address"])
    assert removal.sender.id == sender.id and mailbox.list_senders() == []
    assert removal.keychain_left == (sender.id, f"{sender.id}:oauth")
    assert removal.retry_on_start
    advice = removal.keychain_advice()
    assert "could not be deleted" in advice and "next time the program starts" in advice
    assert f"keyring del bimail-desktop {sender.id}" in advice
    assert "钥匙串" in removal.keychain_advice("zh_CN")
    pending = Path(os.environ["BIMAIL_HOME"]) / "pending-keychain-removals.json"
    assert json.loads(pending.read_text("utf-8")) == [sender.id]
    assert ("bimail-desktop", sender.id) in keychain.entries  # still there

    # the next start with the keychain still unusable keeps the note
    Mailbox.open(str(mailbox.store.url)).close()
    assert pending.exists()
    # the next start with a working keychain deletes the entry and the note
    keyring.set_keyring(keychain)
    Mailbox.open(str(mailbox.store.url)).close()
    assert keychain.entries == {} and not pending.exists()


def test_a_pending_removal_never_touches_a_sender_that_exists(
    mailbox: Mailbox, keychain: MemoryKeyring
) -> None:
    sender = mailbox.add_sender(SENDER, password="keep-me")
    pending = Path(os.environ["BIMAIL_HOME"]) / "pending-keychain-removals.json"
    pending.parent.mkdir(parents=True, exist_ok=True)
    pending.write_text(json.dumps([sender.id]), "utf-8")
    Mailbox.open(str(mailbox.store.url)).close()
    assert mailbox.sender_password(sender) == "keep-me" and not pending.exists()
