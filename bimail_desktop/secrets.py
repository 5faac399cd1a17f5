"""Passwords and tokens in the OS keychain (``keyring``), never in the database.

Entries live under the service ``bimail-desktop``, keyed by the sender's UUID (tokens of
OAuth2 senders under ``UUID:oauth``). Windows' Credential Locker refuses secrets of more
than about 1,280 characters, so long values are split over several entries
(``KEY#1``, ``KEY#2``…) behind a small marker entry and joined again transparently.

With no usable backend (a headless Linux box) every call raises ``secret_unavailable``
with the fix; there is no plain-text fallback.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .config import KEYRING_SERVICE
from .domain.errors import BimailError, ErrorCode
from .domain.texts import Msg

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

CHUNK_SIZE = 1000  # characters; well under Windows' ~1,280 limit (keyring#355, #540)
_CHUNK_MARKER = "bimail-chunks:"


@dataclass(frozen=True, slots=True)
class KeychainStatus:
    available: bool
    backend: str
    message: str
    error: BimailError | None = None  # why it is not usable, to say in another language

    def message_in(self, lang: str | None) -> str:
        """Why the keychain is not usable, in ``lang``."""
        return self.error.detail_text(lang or "en") if self.error is not None else self.message


def _backend_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_unusable(backend: KeyringBackend) -> bool:
    name = _backend_name(backend)
    if name.startswith(("keyring.backends.fail.", "keyring.backends.null.")):
        return True
    # chainer with nothing inside behaves like the fail backend
    if name.startswith("keyring.backends.chainer."):
        return not getattr(backend, "backends", None)
    return False


class SecretStore:
    """The one wrapper through which every secret goes: nothing else touches the keychain."""

    def __init__(self, service: str = KEYRING_SERVICE, backend: KeyringBackend | None = None):
        self.service = service
        self._backend = backend
        self._lock = threading.Lock()

    @property
    def backend(self) -> KeyringBackend:
        """The keychain: found when a secret is first needed, not when the program starts
        (importing keyring and finding its backend takes a noticeable part of a start-up
        that may need no secret at all, e.g. the window listing senders)."""
        if self._backend is not None:
            return self._backend
        import keyring

        return keyring.get_keyring()

    def status(self) -> KeychainStatus:
        """Checks the backend with a set/get/delete canary; never raises."""
        backend = self.backend
        name = _backend_name(backend)
        if _is_unusable(backend):
            error = self._unavailable(Msg("keychain.no_backend"))
            return KeychainStatus(False, name, error.detail, error)
        canary = "__bimail_canary__"
        try:
            backend.set_password(self.service, canary, "ok")
            ok = backend.get_password(self.service, canary) == "ok"
            backend.delete_password(self.service, canary)
        except Exception as exc:  # noqa: BLE001 - any backend failure means "not usable"
            error = self._unavailable(type(exc).__name__)
            return KeychainStatus(False, name, error.detail, error)
        if not ok:
            return KeychainStatus(False, name, "the keychain did not keep a test value")
        return KeychainStatus(True, name, "")

    def _unavailable(self, why: str | Msg) -> BimailError:
        return BimailError(
            ErrorCode.SECRET_UNAVAILABLE,
            Msg("keychain.unusable", why=why),
        )

    def _call(self, what: str, fn, *args):  # type: ignore[no-untyped-def]
        import keyring.errors

        backend = self.backend
        if _is_unusable(backend):
            raise self._unavailable(Msg("keychain.no_backend_named",
                                        backend=_backend_name(backend)))
        try:
            return fn(backend, *args)
        except keyring.errors.PasswordDeleteError:
            return None
        except (keyring.errors.KeyringError, RuntimeError, OSError) as exc:
            # the exception text may echo the value: only its type goes into the message
            log.warning("keychain %s failed: %s", what, type(exc).__name__)
            failed = Msg("keychain.write_failed" if what == "write" else
                         "keychain.read_failed" if what == "read" else "keychain.delete_failed",
                         error=type(exc).__name__)
            raise self._unavailable(failed) from None

    # -- raw entries -------------------------------------------------------------------
    def _set(self, key: str, value: str) -> None:
        self._call("write", lambda b, k, v: b.set_password(self.service, k, v), key, value)

    def _get(self, key: str) -> str | None:
        result = self._call("read", lambda b, k: b.get_password(self.service, k), key)
        return result if isinstance(result, str) else None

    def _delete(self, key: str) -> None:
        self._call("delete", lambda b, k: b.delete_password(self.service, k), key)

    # -- public API --------------------------------------------------------------------
    def set(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``, split into chunks when long."""
        with self._lock:
            old_chunks = self._chunk_count(key)
            if len(value) <= CHUNK_SIZE and not value.startswith(_CHUNK_MARKER):
                self._set(key, value)
                new_chunks = 0
            else:
                parts = [value[i : i + CHUNK_SIZE] for i in range(0, len(value), CHUNK_SIZE)]
                for index, part in enumerate(parts, start=1):
                    self._set(f"{key}#{index}", part)
                self._set(key, f"{_CHUNK_MARKER}{len(parts)}")
                new_chunks = len(parts)
            for index in range(new_chunks + 1, old_chunks + 1):
                self._delete(f"{key}#{index}")

    def get(self, key: str) -> str | None:
        with self._lock:
            head = self._get(key)
            if head is None or not head.startswith(_CHUNK_MARKER):
                return head
            count = int(head[len(_CHUNK_MARKER) :])
            parts = []
            for index in range(1, count + 1):
                part = self._get(f"{key}#{index}")
                if part is None:
                    log.warning("keychain entry %s is missing part %d", key, index)
                    return None
                parts.append(part)
            return "".join(parts)

    def delete(self, key: str) -> None:
        with self._lock:
            count = self._chunk_count(key)
            for index in range(1, count + 1):
                self._delete(f"{key}#{index}")
            self._delete(key)

    def _chunk_count(self, key: str) -> int:
        head = self._get(key)
        if head and head.startswith(_CHUNK_MARKER):
            try:
                return int(head[len(_CHUNK_MARKER) :])
            except ValueError:
                return 0
        return 0

    # -- senders -----------------------------------------------------------------------
    def set_password(self, sender_id: str, password: str) -> None:
        self.set(sender_id, password)

    def get_password(self, sender_id: str) -> str | None:
        return self.get(sender_id)

    def delete_password(self, sender_id: str) -> None:
        self.delete(sender_id)

    def delete_all_for(self, sender_id: str) -> None:
        """Remove the sender's password and any OAuth2 tokens."""
        self.delete(sender_id)
        self.delete(f"{sender_id}:oauth")
