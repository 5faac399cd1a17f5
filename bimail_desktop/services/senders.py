"""Sender accounts (S1–S7) and the default sender (D1–D3)."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..config import ensure_private_dir
from ..domain.clock import aware, now_naive
from ..domain.errors import BimailError, ErrorCode, InvalidInput
from ..domain.models import (
    SENDER_FIELDS,
    AuthMethod,
    Encryption,
    Sender,
    SenderRemoval,
    SenderSettings,
)
from ..domain.texts import Msg
from ..domain.validation import (
    address_key,
    validate_address,
    validate_password,
    validate_sender,
)
from ..fileio import write_text
from ..secrets import SecretStore
from ..store import Store
from ..store.schema import SenderRow, SettingsRow

log = logging.getLogger(__name__)



def keychain_entries(sender_id: str) -> tuple[str, ...]:
    """The keychain entries (service ``bimail-desktop``) a sender may have: its password
    and its OAuth2 sign-in (long values continue in ``ENTRY#1``, ``ENTRY#2``…)."""
    return (sender_id, f"{sender_id}:oauth")


class PendingRemovals:
    """The senders whose keychain entries are still to be deleted: a small JSON list of
    sender IDs (never a secret) in the data folder, kept while the keychain is unusable."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def ids(self) -> list[str]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError):
            log.warning("the list of keychain entries to delete (%s) is unreadable", self.path)
            return []
        if not isinstance(data, list):
            return []
        return [str(item) for item in data if isinstance(item, str) and item]

    def add(self, sender_id: str) -> bool:
        """Note ``sender_id``; False when the data folder cannot be written."""
        waiting = self.ids()
        if sender_id not in waiting:
            waiting.append(sender_id)
        return self._write(waiting)

    def remove(self, sender_ids: list[str]) -> None:
        waiting = [i for i in self.ids() if i not in set(sender_ids)]
        if waiting:
            self._write(waiting)
        else:
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                log.warning("could not delete %s", self.path)

    def _write(self, ids: list[str]) -> bool:
        try:
            ensure_private_dir(self.path.parent)
            write_text(self.path, json.dumps(ids, indent=1) + "\n", field="pending")
        except (OSError, InvalidInput):
            log.warning("could not note the keychain entries to delete in %s", self.path)
            return False
        return True



@contextmanager
def _raced(address: str) -> Iterator[None]:
    """A change that lost a race with another admin's (the sender was removed or changed
    at the same moment) is ``changed_elsewhere``: nothing was changed, never a trace."""
    try:
        yield
    except IntegrityError as exc:
        raise BimailError(
            ErrorCode.CHANGED_ELSEWHERE,
            Msg("senders.raced", address=address),
            field="address",
        ) from exc

class Senders:
    """Use cases on senders and the default sender. Reads and writes the sender rows and
    the senders' passwords in the keychain; the other services read senders through the
    ``*_in(session, …)`` helpers so that a send reads everything in one transaction."""

    def __init__(self, store: Store, secrets: SecretStore,
                 pending: PendingRemovals | None = None) -> None:
        self.store = store
        self.secrets = secrets
        self.pending = pending

    # -- reading -----------------------------------------------------------------------
    def to_sender(self, row: SenderRow, default_id: str | None, *, check_secret: bool) -> Sender:
        has_password = False
        if check_secret:
            try:
                has_password = self.secrets.get_password(row.id) is not None
            except BimailError:
                has_password = False
        return Sender(
            id=row.id,
            server=row.server,
            port=row.port,
            encryption=Encryption(row.encryption),
            address=row.address,
            username=row.username,
            show_name=row.show_name,
            rate_limit=row.rate_limit,
            created_at=aware(row.created_at),
            updated_at=aware(row.updated_at),
            auth_method=AuthMethod(row.auth_method),
            is_default=row.id == default_id,
            has_password=has_password,
            version=row.version or 1,
            password_stored=bool(row.login_entered),
        )

    @staticmethod
    def default_id_in(session: Session) -> str | None:
        return session.scalar(select(SettingsRow.default_sender_id).where(SettingsRow.id == 1))

    @staticmethod
    def find_row_in(session: Session, address: str, *, lock: bool = False) -> SenderRow | None:
        """The stored sender ``address``; ``lock``: its row locked until the transaction
        ends (changes by other admins to the same sender wait, then see this one's)."""
        stmt = select(SenderRow).where(SenderRow.address_key == address_key(address or ""))
        return session.scalar(stmt.with_for_update() if lock else stmt)

    def require_row_in(self, session: Session, address: str, *,
                       lock: bool = False) -> SenderRow:
        row = self.find_row_in(session, address, lock=lock)
        if row is None:
            raise BimailError(
                ErrorCode.NOT_FOUND,
                Msg("senders.not_found", address=address),
                field="address",
            )
        return row

    def sender_in(self, session: Session, address: str | None) -> Sender:
        """The stored sender ``address``, else the default sender — without asking the
        keychain whether a password exists (OS keychains can be slow)."""
        default_id = self.default_id_in(session)
        if address is not None and str(address).strip():
            row: SenderRow | None = self.require_row_in(session, str(address))
        else:
            row = None if default_id is None else session.get(SenderRow, default_id)
            if row is None:
                raise BimailError(ErrorCode.NOT_CONFIGURED, Msg("senders.no_default"))
        assert row is not None
        return self.to_sender(row, default_id, check_secret=False)

    def find_sender(self, address: str) -> Sender | None:
        """The stored sender ``address``, or None."""
        try:
            return self.get_sender(address)
        except BimailError as error:
            if error.code is ErrorCode.NOT_FOUND:
                return None
            raise

    def list_senders(self, *, check_secrets: bool = False) -> list[Sender]:
        """All stored senders, ordered by address. ``check_secrets`` asks the keychain
        whether each has a password (slower; the GUI's table does it in a worker)."""
        with self.store.read() as session:
            default_id = self.default_id_in(session)
            rows = session.scalars(select(SenderRow).order_by(SenderRow.address_key)).all()
            return [self.to_sender(r, default_id, check_secret=check_secrets) for r in rows]

    def get_sender(self, address: str) -> Sender:
        with self.store.read() as session:
            row = self.require_row_in(session, address)
            return self.to_sender(row, self.default_id_in(session), check_secret=True)

    def sender_by_id(self, sender_id: str) -> Sender:
        with self.store.read() as session:
            row = session.get(SenderRow, sender_id)
            if row is None:
                raise BimailError(ErrorCode.NOT_FOUND, Msg("senders.gone"))
            return self.to_sender(row, self.default_id_in(session), check_secret=True)

    def sender_password(self, sender: Sender) -> str | None:
        """The stored password of ``sender`` (for sending only; never displayed)."""
        return self.secrets.get_password(sender.id)

    # -- writing -----------------------------------------------------------------------
    def add_sender(
        self, settings: SenderSettings | Mapping[str, Any], password: str | None = None
    ) -> Sender:
        """Add exactly one sender (S2). The password goes to the keychain first, so a
        keychain failure leaves nothing behind; a store failure removes it again."""
        valid = validate_sender(settings)
        password = validate_password(password)
        sender_id = str(uuid.uuid4())
        with self.store.read() as session:
            if self.find_row_in(session, valid.address) is not None:
                raise InvalidInput(
                    "address",
                    Msg("senders.exists", address=valid.address),
                )
        if password:
            self.secrets.set_password(sender_id, password)
        try:
            with self.store.write() as session:
                self.add_in(session, valid, sender_id).login_entered = bool(password)
        except IntegrityError:
            if password:
                self.secrets.delete_password(sender_id)
            raise InvalidInput(
                "address",
                Msg("senders.exists", address=valid.address),
            ) from None
        except BaseException:
            if password:
                self.secrets.delete_password(sender_id)
            raise
        log.info("sender %s added", valid.address)
        return self.sender_by_id(sender_id)

    def edit_sender(
        self,
        address: str,
        changes: Mapping[str, Any] | SenderSettings,
        password: str | None = None,
        *,
        expected_version: int | None = None,
    ) -> Sender:
        """Change a sender's settings. ``password=None`` keeps the stored password, ``""``
        removes it. Renaming the address keeps the password (it is keyed by the UUID).

        ``expected_version`` — the :attr:`Sender.version` the change was made from (the
        window passes the one it showed): if another admin changed the sender meanwhile,
        nothing is changed and ``changed_elsewhere`` says so."""
        if isinstance(changes, SenderSettings):
            changes = {name: getattr(changes, name) for name in SENDER_FIELDS}
        unknown = set(changes) - set(SENDER_FIELDS)
        if unknown:
            raise InvalidInput(sorted(unknown)[0], Msg("senders.unknown_setting"))
        password = validate_password(password)
        with self.store.read() as session:
            row = self.require_row_in(session, address)
            current = {name: getattr(row, name) for name in SENDER_FIELDS}
            sender_id = row.id
        merged = {**current, **{k: v for k, v in changes.items() if v is not None}}
        valid = validate_sender(merged)
        old_password = self.secrets.get_password(sender_id) if password is not None else None
        if password is not None:
            if password:
                self.secrets.set_password(sender_id, password)
            else:
                self.secrets.delete_password(sender_id)
        try:
            with self.store.write() as session:
                found = session.get(SenderRow, sender_id, with_for_update=True)
                if found is None:
                    raise BimailError(ErrorCode.NOT_FOUND, Msg("senders.removed", address=address))
                if password is not None:
                    found.login_entered = bool(password)
                if expected_version is not None and (found.version or 1) != expected_version:
                    raise BimailError(
                        ErrorCode.CHANGED_ELSEWHERE,
                        Msg("senders.changed_elsewhere", address=address,
                            version=found.version, expected=expected_version),
                        field="address",
                    )
                self.update_in(session, found, valid)
        except BaseException:
            # put the old password back: a failed edit changes nothing
            if password is not None:
                if old_password is not None:
                    self.secrets.set_password(sender_id, old_password)
                else:
                    self.secrets.delete_password(sender_id)
            raise
        log.info("sender %s edited", valid.address)
        return self.sender_by_id(sender_id)

    def add_in(self, session: Session, valid: SenderSettings, sender_id: str | None = None,
               *, oauth_settings: str = "") -> SenderRow:
        """Add the validated sender ``valid`` in the caller's transaction (no password)."""
        if self.find_row_in(session, valid.address) is not None:
            raise InvalidInput(
                "address",
                Msg("senders.exists", address=valid.address),
            )
        now = now_naive()
        row = SenderRow(
            id=sender_id or str(uuid.uuid4()),
            server=valid.server,
            port=valid.port,
            encryption=valid.encryption.value,
            address=valid.address,
            address_key=address_key(valid.address),
            username=valid.username,
            show_name=valid.show_name,
            rate_limit=valid.rate_limit,
            auth_method=valid.auth_method.value,
            oauth_settings=oauth_settings,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        return row

    def update_in(self, session: Session, row: SenderRow, valid: SenderSettings) -> None:
        """Give the stored sender ``row`` the validated settings ``valid`` in the caller's
        transaction; another sender's address is refused."""
        clash = self.find_row_in(session, valid.address)
        if clash is not None and clash.id != row.id:
            raise InvalidInput(
                "address",
                Msg("senders.address_taken", address=valid.address),
            )
        row.server = valid.server
        row.port = valid.port
        row.encryption = valid.encryption.value
        row.address = valid.address
        row.address_key = address_key(valid.address)
        row.username = valid.username
        row.show_name = valid.show_name
        row.rate_limit = valid.rate_limit
        row.auth_method = valid.auth_method.value
        row.updated_at = now_naive()
        row.version = (row.version or 1) + 1
        session.flush()

    def remove_sender(self, address: str) -> Sender:
        """Delete a sender and its keychain entries. If it was the default sender, the
        default becomes empty and the mailbox is not configured (D3). See
        :meth:`remove_sender_report` for what happened to the keychain entries."""
        return self.remove_sender_report(address).sender

    def remove_sender_report(self, address: str) -> SenderRemoval:
        """Delete a sender, then its password and OAuth2 sign-in from the keychain. With an
        unusable keychain the sender is removed all the same; its entries are noted in the
        data folder and deleted the next time the program starts (:meth:`retry_pending`),
        and the result says which entries were left and how to delete them by hand."""
        with _raced(address), self.store.write() as session:
            row = self.require_row_in(session, address, lock=True)
            default_id = self.default_id_in(session)
            removed = self.to_sender(row, default_id, check_secret=False)
            if default_id == row.id:
                session.get_one(SettingsRow, 1).default_sender_id = None
            session.delete(row)
        log.info("sender %s removed", removed.address)
        try:
            self.secrets.delete_all_for(removed.id)
        except BimailError as error:
            log.warning("sender %s removed; its keychain entries could not be deleted",
                        removed.address)
            noted = self.pending is not None and self.pending.add(removed.id)
            return SenderRemoval(removed, keychain_entries(removed.id),
                                 error.problem_text(), noted)
        return SenderRemoval(removed)

    def retry_pending(self) -> int:
        """Delete the keychain entries of senders removed while the keychain was unusable;
        returns how many senders' entries were deleted. Quiet: the keychain may still be
        unusable (the entries are then tried again next time)."""
        if self.pending is None:
            return 0
        waiting = self.pending.ids()
        if not waiting:
            return 0
        with self.store.read() as session:
            # never touch the entries of a sender that exists
            alive = set(session.scalars(select(SenderRow.id).where(SenderRow.id.in_(waiting))))
        done: list[str] = []
        for sender_id in waiting:
            if sender_id in alive:
                done.append(sender_id)
                continue
            try:
                self.secrets.delete_all_for(sender_id)
            except BimailError:
                break  # still unusable: try again at the next start
            done.append(sender_id)
        self.pending.remove(done)
        deleted = len([i for i in done if i not in alive])
        if deleted:
            log.info("deleted the keychain entries of %d removed sender(s)", deleted)
        return deleted

    # -- default sender ------------------------------------------------------------------
    def default_sender(self) -> Sender | None:
        with self.store.read() as session:
            default_id = self.default_id_in(session)
            if default_id is None:
                return None
            row = session.get(SenderRow, default_id)
            return None if row is None else self.to_sender(row, default_id, check_secret=False)

    def is_configured(self) -> bool:
        """D2: the mailbox is configured when a default sender is chosen."""
        return self.default_sender() is not None

    def require_default_sender(self) -> Sender:
        sender = self.default_sender()
        if sender is None:
            raise BimailError(ErrorCode.NOT_CONFIGURED, Msg("senders.no_default"))
        return sender

    def set_default_sender(self, address: str) -> Sender:
        """D1: make the sender with ``address`` the system's default sender."""
        with _raced(address), self.store.write() as session:
            sender_id = self.set_default_in(session, address)
        log.info("default sender set to %s", address)
        return self.sender_by_id(sender_id)

    def set_default_in(self, session: Session, address: str) -> str:
        """Make ``address`` the default sender in the caller's transaction; its id."""
        validate_address(address)
        row = self.require_row_in(session, address, lock=True)
        session.get_one(SettingsRow, 1).default_sender_id = row.id
        return row.id

    def clear_default_sender(self) -> None:
        with self.store.write() as session:
            session.get_one(SettingsRow, 1).default_sender_id = None
        log.info("default sender cleared")

    def senders_change_token(self) -> str:
        """Changes whenever a sender is added, edited or removed, or the default sender
        changes — here or on another machine sharing the store (a few index reads)."""
        with self.store.read() as session:
            count, versions, latest = session.execute(
                select(func.count(), func.coalesce(func.sum(SenderRow.version), 0),
                       func.max(SenderRow.updated_at))).one()
            default_id = self.default_id_in(session)
        return f"{count}|{versions}|{latest}|{default_id}"

    def sender_count(self) -> int:
        with self.store.read() as session:
            return int(session.scalar(select(func.count()).select_from(SenderRow)) or 0)
