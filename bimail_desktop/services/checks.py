"""The last check of each sender: when its last test mail or diagnosis ran and how it
ended, so that the Senders page and ``bimail senders list`` show which sender was proven to
work (and when) and which one failed last.

Kept in the store's small key/value table (one entry per sender address), written after
the test mail or the diagnosis, never in its way: a store that cannot be written loses the
note, not the check.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import select

from ..domain.errors import BimailError
from ..domain.models import LastCheck
from ..store import Store
from ..store.schema import PreferenceRow

log = logging.getLogger(__name__)

_PREFIX = "last_check:"
T = TypeVar("T")


def _key(address: str) -> str:
    digest = hashlib.sha256(address.strip().lower().encode("utf-8")).hexdigest()
    return _PREFIX + digest[:48]


class Checks:
    def __init__(self, store: Store) -> None:
        self.store = store

    def note_check(self, address: str, kind: str, ok: bool,
                   error_code: str | None = None) -> None:
        """Remember the outcome of a test mail or diagnosis of ``address``."""
        if not address:
            return
        check = LastCheck(address.strip().lower(), datetime.now(UTC), kind,
                          "success" if ok else "failure", None if ok else error_code)
        value = json.dumps({"address": check.address, **check.to_dict()})
        for attempt in (1, 2):
            try:
                with self.store.write() as session:
                    row = session.get(PreferenceRow, _key(address))
                    if row is None:
                        session.add(PreferenceRow(key=_key(address), value=value))
                    else:
                        row.value = value
                return
            except Exception as error:  # noqa: BLE001 - never fail the check for its note
                # another process noted the same sender at the same moment (the row it
                # inserted is updated on the second attempt), or the store is unwritable:
                # the test mail or diagnosis went as it went; only this note is lost
                if attempt == 2:
                    log.warning("could not note the last check of %s: %s", address,
                                type(error).__name__ if not isinstance(error, BimailError)
                                else error)

    def last_checks(self) -> dict[str, LastCheck]:
        """Address (lower case) → its last check."""
        with self.store.read() as session:
            values = session.scalars(
                select(PreferenceRow.value).where(PreferenceRow.key.like(_PREFIX + "%"))).all()
        found: dict[str, LastCheck] = {}
        for value in values:
            check = LastCheck.from_json(value)
            if check is not None:
                found[check.address] = check
        return found

    def last_check(self, address: str) -> LastCheck | None:
        return self.last_checks().get(address.strip().lower())

    # -- wrappers that note what the wrapped check found --------------------------------
    def noting_test_mail(self, send_test_mail: Callable[..., T]) -> Callable[..., T]:
        """``send_test_mail`` that notes its outcome for the sender it was sent from."""
        from ..domain.models import SendFailed

        @functools.wraps(send_test_mail)  # keeps the signature (cancel, progress)
        def wrapped(*args: Any, **kwargs: Any) -> T:
            try:
                outcome = send_test_mail(*args, **kwargs)
            except SendFailed as failed:
                if failed.code.value != "interrupted":  # cancelled: nothing was proven
                    self.note_check(failed.outcome.sender, "test_mail", False,
                                    failed.code.value)
                raise
            failed_ones = [r for r in getattr(outcome, "recipients", ()) if not r.success]
            code = failed_ones[0].error.code.value \
                if failed_ones and failed_ones[0].error is not None else None
            self.note_check(str(getattr(outcome, "sender", "")), "test_mail",
                            not failed_ones, code)
            return outcome

        return wrapped

    def noting_diagnosis(self, diagnose: Callable[..., T]) -> Callable[..., T]:
        """``diagnose`` that notes its outcome for the sender whose settings it checked."""

        @functools.wraps(diagnose)
        def wrapped(*args: Any, **kwargs: Any) -> T:
            report = diagnose(*args, **kwargs)
            sender = getattr(report, "sender", None) or {}
            address = str(sender.get("address") or "")
            failed = getattr(report, "failed_step", None)
            cancelled = failed is not None and failed.error is not None \
                and failed.error.code.value == "interrupted"
            if address and not cancelled:
                code = failed.error.code.value \
                    if failed is not None and failed.error is not None else None
                self.note_check(address, "diagnosis", failed is None, code)
            return report

        return wrapped
