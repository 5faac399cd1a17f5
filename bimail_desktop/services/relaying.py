"""The relay's use cases: its users, its outbox and the delivery of an outbox message.

The relay (``bimail_desktop.relay``) accepts mail from other programs over SMTP; what it
does with a message is here, next to the other sends, so that a relayed mail goes through
the same client, the same trust, the same OAuth2 tokens and the same records as any send.

- :meth:`Relaying.relay_accept` chooses the sender, rewrites ``From``/``Reply-To``,
  takes the template name from ``X-Bimail-Template`` (and removes the header), lists the
  attachments' names as resources and commits the message to the outbox. The relay answers
  ``250`` only after that commit.
- :meth:`Relaying.relay_claim` hands messages that are due to one relay: a claimed row is
  ``sending`` with a lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL/MariaDB, the single
  writer on SQLite), so that several relays on one store never send a message twice.
- :meth:`Relaying.relay_deliver` sends one claimed message: over the sender's rate limit
  it waits (``deferred``); otherwise one ``pending`` record per recipient is committed before
  MAIL FROM, and after the reply to DATA the records and the outbox row are finished in ONE
  transaction. Temporary failures are retried after 1, 2, 4, … minutes (at most 30) until
  24 hours have passed (then ``expired``); a permanent refusal (5xx) fails that recipient.
- :meth:`Relaying.relay_recover` looks at messages whose relay died: when records of
  the attempt exist the server may have accepted the mail (``interrupted``, sent again only by
  :meth:`Relaying.relay_retry`); when none exist MAIL FROM never went out and the message
  is simply queued again.

The module is one piece (about 1,000 lines) because the outbox's states — queued, claimed
with a lease, deferred, retried, interrupted, expired — change only here, each in one
transaction that the next step relies on; split, the lease and record rules would have to be
repeated in every part. The SMTP server and its worker threads are in
:mod:`bimail_desktop.relay`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets as _secrets
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import compat32
from email.utils import formataddr, formatdate, getaddresses, make_msgid
from enum import StrEnum
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Integer, Table, bindparam, delete, func, insert, select, update

from ..domain.clock import now as clock_now
from ..domain.clock import now_naive
from ..domain.errors import BimailError, ErrorCode, InvalidInput
from ..domain.models import SendResult
from ..domain.texts import Msg
from ..domain.validation import address_key
from ..store.engine import DirectStatement
from ..store.relay_schema import RelayOutboxRow, RelayUserRow
from ..store.schema import SenderRow, SendRecordRow, SettingsRow
from .sending import (
    _INTERRUPTED_DETAIL,
    _PENDING_MARK,
    DEFAULT_TIMEOUT,
    Sending,
    _host_name,
    process_alive,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from ..domain.models import Sender
    from ..mail.transport import SendReport, SmtpSession
    from ..store import Store
    from .credentials import Credentials
    from .senders import Senders
    from .trust import Trust

log = logging.getLogger(__name__)

RELAY_TEMPLATE = "Relay"
TEMPLATE_HEADER = "X-Bimail-Template"
LEASE = timedelta(minutes=10)  # a claimed message not finished by then belongs to a dead relay
MAX_AGE = timedelta(hours=24)  # temporary failures are retried this long, then `expired`
MAX_DELAY = timedelta(minutes=30)
# scrypt cost (RFC 7914 parameters; ~16 MB and a few tens of ms per check)
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1

_OUTBOX = cast(Table, RelayOutboxRow.__table__)
_INSERT_OUTBOX = insert(_OUTBOX).returning(_OUTBOX.c.id)
_SENDERS = select(cast(Table, SenderRow.__table__)).order_by(SenderRow.address_key)
_SENDER_BY_KEY = select(cast(Table, SenderRow.__table__)).where(
    cast(Table, SenderRow.__table__).c.address_key == bindparam("key"))
_DEFAULT_ID = select(SettingsRow.default_sender_id).where(SettingsRow.id == 1)
_RECORDS = cast(Table, SendRecordRow.__table__)
_PERMANENT = frozenset({ErrorCode.SENDER_REJECTED, ErrorCode.RECIPIENT_REJECTED,
                        ErrorCode.MESSAGE_REJECTED})

Clock = Callable[[], datetime]


def ascii_address(address: str) -> str:
    """The address as SMTP sends it (IDNA domain); the mail modules load only when the relay
    works, not for every command that opens the mailbox."""
    from ..mail.message import ascii_address as convert

    return convert(address)


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4, … minutes, at most 30."""
    return min(timedelta(minutes=2 ** max(0, attempts - 1)), MAX_DELAY)


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    DEFERRED = "deferred"
    SENDING = "sending"
    INTERRUPTED = "interrupted"


# the statements of every relayed mail, built once (building one each time cost more than
# running it)
_DUE = (select(_OUTBOX.c.id)
        .where(_OUTBOX.c.status.in_([OutboxStatus.QUEUED.value, OutboxStatus.DEFERRED.value]),
               _OUTBOX.c.next_attempt <= bindparam("moment"))
        .order_by(_OUTBOX.c.next_attempt, _OUTBOX.c.id)
        .limit(bindparam("limit", type_=Integer, literal_execute=True)))
_DUE_LOCKED = _DUE.with_for_update(skip_locked=True)  # several relays on one shared store
_TAKE = (update(_OUTBOX).where(_OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
         .values(status=OutboxStatus.SENDING.value, lease_owner=bindparam("owner"),
                 lease_until=bindparam("until"), claimed_at=bindparam("moment")))
_TAKEN = (select(_OUTBOX).where(_OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
          .order_by(_OUTBOX.c.next_attempt, _OUTBOX.c.id))
_RESERVE = insert(_RECORDS).returning(_RECORDS.c.id, _RECORDS.c.recipient)
_FINISH_RECORD = (update(_RECORDS).where(_RECORDS.c.id == bindparam("record_id"))
                  .values(result=bindparam("result"), error_code=bindparam("error_code"),
                          error_message=bindparam("error_message"),
                          server_reply=bindparam("server_reply"),
                          duration_ms=bindparam("duration_ms")))
_DONE = delete(_OUTBOX).where(_OUTBOX.c.id == bindparam("outbox_id"))
# the statements of every relayed mail, run straight on SQLite's cursor
_STORE_OUTBOX = DirectStatement(_INSERT_OUTBOX, (
    "message_id", "sender", "envelope_from", "recipients", "content", "size", "client_ip",
    "template", "resources", "status", "attempts", "created_at", "next_attempt"))
_RESERVE_ONE = DirectStatement(insert(_RECORDS).returning(_RECORDS.c.id), (
    "message_id", "sender", "ip", "recipient", "template", "resources", "sent_at", "result",
    "error_message", "process_id"))
_FINISH_ONE = DirectStatement(_FINISH_RECORD)
_DONE_ONE = DirectStatement(_DONE)


# -- values ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueuedMessage:
    """One message in the outbox, as `relay queue` and the Relay page show it."""

    id: int
    message_id: str
    sender: str
    recipients: tuple[str, ...]
    status: str
    attempts: int
    next_attempt: datetime | None  # aware UTC; None while sending or interrupted
    last_error_code: str | None
    last_error_message: str | None
    client_ip: str
    template: str
    created_at: datetime  # aware UTC
    size: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "message_id": self.message_id,
            "sender": self.sender,
            "recipients": list(self.recipients),
            "status": self.status,
            "attempts": self.attempts,
            "next_attempt": None if self.next_attempt is None else
            self.next_attempt.isoformat(),
            "last_error": None if self.last_error_code is None else
            {"code": self.last_error_code, "message": self.last_error_message or ""},
            "client_ip": self.client_ip,
            "template": self.template,
            "created_at": self.created_at.isoformat(),
            "size": self.size,
        }


@dataclass(frozen=True)
class Accepted:
    """A message the outbox holds now."""

    id: int
    message_id: str
    sender: str
    template: str
    resources: tuple[str, ...]


@dataclass(frozen=True)
class Claimed:
    """A message one relay claimed for delivery."""

    id: int
    message_id: str
    sender: str
    envelope_from: str
    recipients: tuple[str, ...]
    content: bytes
    client_ip: str
    template: str
    resources: tuple[str, ...]
    attempts: int
    created_at: datetime
    claimed_at: datetime


@dataclass(frozen=True)
class Delivery:
    """What one delivery attempt did. ``status``: ``delivered`` (nothing left), ``deferred``
    (some or all recipients wait for the next attempt), ``failed`` (every recipient failed
    for good), ``expired``, ``lost`` (the row was no longer ours)."""

    status: str
    delivered: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    waiting: tuple[str, ...] = ()
    next_attempt: datetime | None = None
    error: BimailError | None = None


# -- passwords -------------------------------------------------------------------------------
def hash_password(password: str) -> str:
    salt = _secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R,
                            p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        found = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n),
                               r=int(r), p=int(p), dklen=len(bytes.fromhex(digest)))
    except (ValueError, UnicodeError):
        return False
    return hmac.compare_digest(found, bytes.fromhex(digest))


def _validate_user_name(name: str) -> str:
    text = str(name or "").strip()
    if not text:
        raise InvalidInput("name", Msg("relay.user_name_empty"))
    if len(text) > 128 or any(c.isspace() or not c.isprintable() for c in text):
        raise InvalidInput("name", Msg("relay.user_name_bad"))
    return text


# -- the message -----------------------------------------------------------------------------
def _split_head(raw: bytes) -> tuple[list[bytes], bytes]:
    """The header lines (each with its continuation lines, without line end) and the rest
    of the message (from the blank line on), untouched."""
    for sep in (b"\r\n\r\n", b"\n\n"):
        index = raw.find(sep)
        if index >= 0:
            head, body = raw[:index], raw[index:]
            break
    else:
        head, body = raw, b"\r\n\r\n"
    fields: list[bytes] = []
    for line in head.replace(b"\r\n", b"\n").split(b"\n"):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += b"\r\n" + line
        elif line:
            fields.append(line)
    return fields, body


def _field_name(field: bytes) -> str:
    return field.split(b":", 1)[0].strip().decode("ascii", "replace").lower()


def _decoded(value: object) -> str:
    """A header value as text (RFC 2047 encoded words decoded)."""
    text = str(value or "")
    if "=?" not in text:
        return text
    try:
        return str(make_header(decode_header(text)))
    except (ValueError, LookupError, UnicodeError):
        return text


def _parse(raw: bytes) -> EmailMessage:
    """The message with the compat32 policy (its headers stay strings as written; the new
    policy builds a header object for each, several times slower). Only the headers when
    the message has no parts: the body of a plain message is never needed (its attachment
    name, if any, is in its headers)."""
    parser = BytesParser(_class=EmailMessage, policy=compat32)
    head = cast(EmailMessage, parser.parsebytes(raw, headersonly=True))
    if head.get_content_maintype() not in ("multipart", "message"):
        return head
    return cast(EmailMessage, parser.parsebytes(raw))


_LINE_END = re.compile(rb"\r\n|\r|\n")
_NOT_SENT = frozenset({"bcc", "resent-bcc"})


def on_the_wire(content: bytes) -> bytes:
    """An outbox message as it goes to the server: CRLF line ends, without Bcc (as the
    mailbox's own sends), the rest byte for byte as the client submitted it (after the
    relay's rewrites) — no parsing and generating again."""
    fields, body = _split_head(content)
    kept = [field for field in fields if _field_name(field) not in _NOT_SENT]
    return _LINE_END.sub(b"\r\n", b"\r\n".join(kept) + body)


def _attachment_names(parsed: EmailMessage) -> list[str]:
    names: list[str] = []
    for part in parsed.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        if filename:
            names.append(_decoded(filename))
    return names


@dataclass(frozen=True)
class _Prepared:
    sender: Sender
    content: bytes
    message_id: str
    template: str
    resources: tuple[str, ...]


class Upstream:
    """One delivery thread's connection to a sender's server, kept open between batches:
    the relay sends mail after mail to the same server, and connecting (with EHLO, STARTTLS
    and AUTH) cost more than sending one. A connection unused for a moment is checked with
    NOOP before it is used again; one unused for :attr:`KEEP` seconds is closed."""

    KEEP = 10.0
    CHECK_AFTER = 0.5

    def __init__(self) -> None:
        self._key: object = None
        self._session: SmtpSession | None = None
        self._used = 0.0

    def take(self, key: object) -> SmtpSession | None:
        """The kept connection for ``key`` (server settings and trust), or None."""
        session = self._session
        if session is None:
            return None
        if self._key != key:
            self.close()
            return None
        self._session = None
        if time.monotonic() - self._used > self.CHECK_AFTER and not session.alive():
            session.close()
            return None
        return session

    def give_back(self, key: object, session: SmtpSession) -> None:
        if self._session is not None and self._session is not session:
            self.close()
        self._key, self._session, self._used = key, session, time.monotonic()

    def close_idle(self) -> None:
        if self._session is not None and time.monotonic() - self._used > self.KEEP:
            self.close()

    def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.quit()


# -- the mixin -------------------------------------------------------------------------------
class Relaying:
    """The relay's use cases."""

    def __init__(self, store: Store, senders: Senders, trust: Trust,
                 credentials: Credentials) -> None:
        self.store = store
        self.senders = senders
        self.trust = trust
        self.credentials = credentials
        self._senders_memo: tuple[object, list[Sender]] | None = None

    _rate_wait = staticmethod(Sending._rate_wait)

    # -- relay users -------------------------------------------------------------------------
    def add_relay_user(self, name: str, password: str) -> bool:
        """Add a relay user, or give an existing one a new password. True when new."""
        valid = _validate_user_name(name)
        if not password:
            raise InvalidInput("password", Msg("relay.password_empty"))
        hashed = hash_password(password)
        with self.store.write() as session:
            row = session.get(RelayUserRow, valid)
            if row is None:
                session.add(RelayUserRow(name=valid, password_hash=hashed, created_at=now_naive()))
                return True
            row.password_hash = hashed
            return False

    def remove_relay_user(self, name: str) -> None:
        valid = _validate_user_name(name)
        with self.store.write() as session:
            row = session.get(RelayUserRow, valid)
            if row is None:
                raise BimailError(ErrorCode.NOT_FOUND, Msg("relay.no_user", name=valid),
                                  field="name")
            session.delete(row)

    def list_relay_users(self) -> list[str]:
        with self.store.read() as session:
            return list(session.scalars(select(RelayUserRow.name).order_by(RelayUserRow.name)))

    def check_relay_user(self, name: str, password: str) -> bool:
        """Whether ``name`` / ``password`` is a relay user's login."""
        with self.store.read() as session:
            stored = session.scalar(select(RelayUserRow.password_hash)
                                    .where(RelayUserRow.name == str(name)))
        if stored is None:
            check_password(password, hash_password("x"))  # same time as a wrong password
            return False
        return check_password(password, stored)

    # -- accepting ---------------------------------------------------------------------------
    def _relay_prepare(self, raw: bytes, envelope_from: str,
                       senders: Sequence[Sender]) -> _Prepared:
        parsed = _parse(raw)
        from_value = str(parsed.get("From", "") or "")
        from_addresses = [a for _n, a in getaddresses([from_value]) if a]
        wanted = {a.strip().lower() for a in [envelope_from, *from_addresses] if a}
        chosen = next((s for s in senders if s.address.lower() == (envelope_from or "").lower()),
                      None)
        if chosen is None:
            chosen = next((s for s in senders if s.address.lower() in wanted), None)
        rewrite = chosen is None
        if chosen is None:
            chosen = next((s for s in senders if s.is_default), None)
        if chosen is None:
            raise BimailError(ErrorCode.NOT_CONFIGURED,
                              Msg("relay.no_sender"))
        template = RELAY_TEMPLATE
        fields, body = _split_head(raw)
        kept: list[bytes] = []
        original_from: bytes | None = None
        has_reply_to = has_message_id = has_date = False
        for field in fields:
            name = _field_name(field)
            if name == TEMPLATE_HEADER.lower():
                continue
            if rewrite and name == "from":
                original_from = field
                continue
            has_reply_to |= name == "reply-to"
            has_message_id |= name == "message-id"
            has_date |= name == "date"
            kept.append(field)
        header = _decoded(parsed.get(TEMPLATE_HEADER))
        if header.strip():
            template = " ".join(header.split())[:128]
        added: list[bytes] = []
        if rewrite:
            shown = formataddr((chosen.show_name or "", ascii_address(chosen.address)),
                               charset="utf-8")
            added.append(b"From: " + shown.encode("ascii", "replace"))
            if original_from is not None and from_value.strip() and not has_reply_to:
                # the original From: as it was written, now as Reply-To:
                added.append(b"Reply-To:" + original_from.split(b":", 1)[1])
        message_id = str(parsed.get("Message-ID", "") or "").strip()
        if not has_message_id or not message_id:
            message_id = make_msgid(domain=ascii_address(chosen.address).rpartition("@")[2])
            added.append(b"Message-ID: " + message_id.encode("ascii", "replace"))
        if not has_date:
            added.append(b"Date: " + formatdate(localtime=True).encode("ascii"))
        content = b"\r\n".join(added + kept) + body
        return _Prepared(chosen, content, message_id[:255], template,
                         tuple(_attachment_names(parsed)))

    def relay_accept(self, raw: bytes, envelope_from: str, recipients: Sequence[str],
                     client_ip: str, *, now: datetime | None = None) -> Accepted:
        """Put a submitted message into the outbox (committed when this returns)."""
        (result,) = self.relay_accept_many([(raw, envelope_from, recipients, client_ip)],
                                           now=now)
        if isinstance(result, BimailError):
            raise result
        return result

    def relay_accept_many(
        self, submissions: Sequence[tuple[bytes, str, Sequence[str], str]], *,
        now: datetime | None = None,
    ) -> list[Accepted | BimailError]:
        """Several submissions (raw message, envelope sender, recipients, client address) in
        ONE transaction — the relay commits what its clients submitted meanwhile together.
        A submission that cannot be taken (no sender, no recipient) gets its error in the
        list; the others are committed when this returns. A failing commit raises (none is
        stored)."""
        return self.relay_accept_later(submissions, now=now).result()

    def relay_accept_later(
        self, submissions: Sequence[tuple[bytes, str, Sequence[str], str]], *,
        now: datetime | None = None,
    ) -> Future[list[Accepted | BimailError]]:
        """:meth:`relay_accept_many` without waiting for the commit: the future is settled
        once the messages are committed (with the list), or with the commit's error.

        Each message is rewritten now, for the senders the last transaction saw, and
        inserted by the transaction that commits it — together with what the relay's
        clients and delivery threads write meanwhile (:meth:`Store.together`, one sync for
        all). That transaction reads the senders again (once for all it commits); should
        they have changed meanwhile, the message is rewritten for them, so that the sender
        chosen is always the one the commit saw."""
        moment = now or now_naive()
        memo = self._senders_memo
        seen = memo[1] if memo is not None else None
        early: list[_Prepared | BimailError | None] = []
        for raw, envelope_from, recipients, _client_ip in submissions:
            early.append(None if seen is None else
                         self._relay_try_prepare(raw, envelope_from, recipients, seen))

        def store(connection: Connection) -> list[Accepted | BimailError]:
            senders = self._senders_in(connection)
            results: list[Accepted | BimailError] = []
            for (raw, envelope_from, recipients, client_ip), prepared in zip(
                    submissions, early, strict=True):
                if prepared is None or senders != seen:
                    prepared = self._relay_try_prepare(raw, envelope_from, recipients,
                                                       senders)
                if isinstance(prepared, BimailError):
                    results.append(prepared)
                    continue
                ((new_id,),) = _STORE_OUTBOX.run(self.store, connection, {
                    "message_id": prepared.message_id,
                    "sender": prepared.sender.address,
                    "envelope_from": envelope_from[:254],
                    "recipients": json.dumps(list(recipients), ensure_ascii=False),
                    "content": prepared.content,
                    "size": len(prepared.content),
                    "client_ip": client_ip[:64],
                    "template": prepared.template,
                    "resources": json.dumps(list(prepared.resources), ensure_ascii=False),
                    "status": OutboxStatus.QUEUED.value,
                    "attempts": 0,
                    "created_at": moment,
                    "next_attempt": moment,
                })
                results.append(Accepted(int(new_id), prepared.message_id,
                                        prepared.sender.address, prepared.template,
                                        prepared.resources))
            return results

        return self.store.together(store)

    def _relay_try_prepare(self, raw: bytes, envelope_from: str, recipients: Sequence[str],
                           senders: Sequence[Sender]) -> _Prepared | BimailError:
        try:
            if not recipients:
                raise InvalidInput("to", Msg("relay.no_recipient"))
            return self._relay_prepare(raw, envelope_from, senders)
        except BimailError as error:
            return error

    def _senders_in(self, connection: Connection) -> list[Sender]:
        """The senders as ``connection``'s transaction sees them, read once per transaction
        (the submissions committed together share one read)."""
        transaction = connection.get_transaction()
        memo = self._senders_memo
        if memo is not None and transaction is not None and memo[0] is transaction:
            return memo[1]
        default_id = connection.execute(_DEFAULT_ID).scalar()
        rows = connection.execute(_SENDERS).all()
        senders = [self.senders.to_sender(cast("SenderRow", row), default_id,
                                          check_secret=False) for row in rows]
        self._senders_memo = (transaction, senders)
        return senders

    # -- the queue ---------------------------------------------------------------------------
    def relay_queue(self) -> list[QueuedMessage]:
        with self.store.read() as session:
            rows = session.execute(
                select(_OUTBOX.c.id, _OUTBOX.c.message_id, _OUTBOX.c.sender,
                       _OUTBOX.c.recipients, _OUTBOX.c.status, _OUTBOX.c.attempts,
                       _OUTBOX.c.next_attempt, _OUTBOX.c.last_error_code,
                       _OUTBOX.c.last_error_message, _OUTBOX.c.client_ip, _OUTBOX.c.template,
                       _OUTBOX.c.created_at, _OUTBOX.c.size)
                .order_by(_OUTBOX.c.id)
            ).all()
        result = []
        for row in rows:
            waiting = row.status in (OutboxStatus.QUEUED.value, OutboxStatus.DEFERRED.value)
            result.append(QueuedMessage(
                id=row.id, message_id=row.message_id, sender=row.sender,
                recipients=tuple(json.loads(row.recipients)), status=row.status,
                attempts=row.attempts,
                next_attempt=row.next_attempt.replace(tzinfo=UTC) if waiting else None,
                last_error_code=row.last_error_code, last_error_message=row.last_error_message,
                client_ip=row.client_ip, template=row.template,
                created_at=row.created_at.replace(tzinfo=UTC), size=row.size,
            ))
        return result

    def relay_queue_length(self) -> int:
        with self.store.read() as session:
            return int(session.scalar(select(func.count()).select_from(_OUTBOX)) or 0)

    def relay_flush(self, *, now: datetime | None = None) -> int:
        """Every waiting message is due now (e.g. after the server is back). Returns how
        many; interrupted ones are left alone (they need `relay retry`)."""
        with self.store.write_connection() as connection:
            result = connection.execute(
                update(_OUTBOX)
                .where(_OUTBOX.c.status.in_([OutboxStatus.QUEUED.value,
                                             OutboxStatus.DEFERRED.value]))
                .values(next_attempt=now or now_naive())
            )
        return int(result.rowcount or 0)

    def relay_retry(self, message: int, *, now: datetime | None = None) -> QueuedMessage:
        """Send an interrupted (or waiting) message again, now."""
        from ..domain.validation import validate_whole_number

        message = validate_whole_number(message, "id", minimum=1, maximum=2**63 - 1)
        with self.store.write_connection() as connection:
            status = connection.execute(
                select(_OUTBOX.c.status).where(_OUTBOX.c.id == int(message))).scalar()
            if status is None:
                raise BimailError(
                    ErrorCode.NOT_FOUND, Msg("relay.no_message", message=message), field="id")
            if status == OutboxStatus.SENDING.value:
                raise InvalidInput("id", Msg("relay.message_busy", message=message))
            connection.execute(
                update(_OUTBOX).where(_OUTBOX.c.id == int(message))
                .values(status=OutboxStatus.QUEUED.value, next_attempt=now or now_naive(),
                        lease_owner=None, lease_until=None)
            )
        return next(q for q in self.relay_queue() if q.id == int(message))

    # -- claiming and recovering -------------------------------------------------------------
    def relay_claim(self, owner: str, *, limit: int = 10, now: datetime | None = None
                    ) -> list[Claimed]:
        """Claim up to ``limit`` due messages for relay ``owner`` (``host:pid``)."""
        moment = now or now_naive()

        def claim(connection: Connection) -> Sequence[Any]:
            query = _DUE if connection.dialect.name == "sqlite" else _DUE_LOCKED
            ids = list(connection.execute(query, {"moment": moment, "limit": limit}).scalars())
            if not ids:
                return []
            connection.execute(_TAKE, {"ids": ids, "owner": owner[:128],
                                       "until": moment + LEASE, "moment": moment})
            return connection.execute(_TAKEN, {"ids": ids}).all()

        rows = self.store.together(claim).result()
        return [Claimed(
            id=row.id, message_id=row.message_id, sender=row.sender,
            envelope_from=row.envelope_from, recipients=tuple(json.loads(row.recipients)),
            content=bytes(row.content), client_ip=row.client_ip, template=row.template,
            resources=tuple(json.loads(row.resources)), attempts=row.attempts,
            created_at=row.created_at, claimed_at=moment,
        ) for row in rows]

    def relay_release(self, claimed: Sequence[Claimed]) -> None:
        """Give back claimed messages not attempted (the relay is stopping)."""
        if not claimed:
            return
        with self.store.write_connection() as connection:
            connection.execute(
                update(_OUTBOX)
                .where(_OUTBOX.c.id.in_([c.id for c in claimed]),
                       _OUTBOX.c.status == OutboxStatus.SENDING.value)
                .values(status=OutboxStatus.QUEUED.value, lease_owner=None, lease_until=None)
            )

    def relay_recover(self, *, now: datetime | None = None) -> int:
        """Messages claimed by a relay that died: ``interrupted`` when the attempt had begun
        (its records exist: the server may have the mail), else queued again."""
        moment = now or now_naive()
        host = _host_name()
        with self.store.read() as session:
            rows = session.execute(
                select(_OUTBOX.c.id, _OUTBOX.c.message_id, _OUTBOX.c.lease_owner,
                       _OUTBOX.c.lease_until, _OUTBOX.c.claimed_at)
                .where(_OUTBOX.c.status == OutboxStatus.SENDING.value)
            ).all()
        dead = []
        for row in rows:
            owner_host, _sep, pid_text = (row.lease_owner or "").rpartition(":")
            pid = int(pid_text) if pid_text.isdigit() else 0
            expired = row.lease_until is None or row.lease_until < moment
            if expired or (owner_host == host and not process_alive(pid)):
                dead.append((row, pid))
        count = 0
        for row, pid in dead:
            with self.store.write_connection() as connection:
                still = connection.execute(
                    select(_OUTBOX.c.id).where(_OUTBOX.c.id == row.id,
                                               _OUTBOX.c.status == OutboxStatus.SENDING.value,
                                               _OUTBOX.c.lease_owner == row.lease_owner)
                ).scalar()
                if still is None:
                    continue
                began = connection.execute(
                    select(func.count()).select_from(_RECORDS).where(
                        _RECORDS.c.message_id == row.message_id,
                        _RECORDS.c.process_id == pid,
                        _RECORDS.c.sent_at >= (row.claimed_at or moment),
                    )
                ).scalar()
                error = BimailError(ErrorCode.INTERRUPTED, _INTERRUPTED_DETAIL)
                if began:
                    connection.execute(
                        update(_RECORDS).where(_RECORDS.c.message_id == row.message_id,
                                               _RECORDS.c.process_id == pid,
                                               _RECORDS.c.result == SendResult.PENDING.value)
                        .values(result=SendResult.FAILURE.value,
                                error_code=ErrorCode.INTERRUPTED.value,
                                error_message=error.message())
                    )
                    values: dict[str, Any] = {
                        "status": OutboxStatus.INTERRUPTED.value,
                        "last_error_code": ErrorCode.INTERRUPTED.value,
                        "last_error_message": error.message(),
                    }
                    log.warning("relay message %s (%s) interrupted: the relay stopped while "
                                "sending it; it may have been sent (relay retry %s sends it "
                                "again)", row.id, row.message_id, row.id)
                else:
                    values = {"status": OutboxStatus.QUEUED.value, "next_attempt": moment}
                connection.execute(
                    update(_OUTBOX).where(_OUTBOX.c.id == row.id)
                    .values(lease_owner=None, lease_until=None, **values)
                )
                count += 1
        return count

    # -- delivering --------------------------------------------------------------------------
    def relay_deliver(self, message: Claimed, owner: str, *, clock: Clock = now_naive,
                      timeout: float | None = None) -> Delivery:
        """One attempt at ``message`` (claimed by ``owner``)."""
        now = clock()
        try:
            with self.store.read() as session:
                sender = self._relay_sender(session, message.sender)
                wait = self._rate_wait(session, sender.address, sender.rate_limit, now)
                trust = self.trust.trust_config(session)
            if wait > 0:
                return self._relay_wait(message, owner, sender, now, wait)
            credentials = self.credentials.login_for(sender)
        except BimailError as error:
            # the sender is gone, the keychain locked, a sign-in expired, …: the admin can fix
            # it; the message waits like after a temporary failure
            return self._relay_temporary(message, owner, now, error)
        username, password, token = credentials
        from ..mail.transport import ServerConfig, SmtpSession

        config = ServerConfig(host=sender.server, port=sender.port,
                              encryption=sender.encryption, username=username,
                              password=password, oauth2_token=token,
                              timeout=timeout or DEFAULT_TIMEOUT)
        ids = self._relay_reserve(message, sender, now, clock)
        if ids is None:  # another relay reached the limit meanwhile
            with self.store.read() as session:
                wait = self._rate_wait(session, sender.address, sender.rate_limit, clock())
            return self._relay_wait(message, owner, sender, now, max(wait, 1.0))
        report: SendReport | None = None
        failure: BimailError | None = None
        started = clock_now()
        try:
            with SmtpSession(config, trust) as smtp:
                smtp.connect()
                report = smtp.send_bytes(on_the_wire(message.content),
                                         ascii_address(sender.address),
                                         list(message.recipients))
        except BimailError as error:
            failure = error
        duration = int((clock_now() - started).total_seconds() * 1000)
        return self._relay_finish(message, owner, sender, ids, report, failure, duration,
                                  clock())

    def relay_deliver_batch(self, messages: Sequence[Claimed], owner: str, *,
                            clock: Clock = now_naive, timeout: float | None = None,
                            stopping: Callable[[], bool] = lambda: False,
                            upstream: Upstream | None = None) -> list[Delivery]:
        """Several claimed messages of ONE sender over one connection. Each message's
        pending records are committed before its MAIL FROM, in the same transaction as the
        previous message's final records: one commit per message (shared with the other
        delivery threads' and the submissions' writes, :meth:`Store.together`), and a crash
        leaves at most the message in flight ``interrupted``. With ``upstream`` (one
        delivery thread's kept connection) the connection is taken from it and given back
        open for the next batch. A sender with a rate limit sends one message at a time
        (:meth:`relay_deliver`). Messages not attempted because the relay stops are given
        back to the queue."""
        if not messages:
            return []
        now = clock()
        try:
            with self.store.read() as session:
                sender = self._relay_sender(session, messages[0].sender)
                trust = self.trust.trust_config(session)
        except BimailError as error:
            return [self._relay_temporary(m, owner, now, error) for m in messages]
        if sender.rate_limit > 0 or (len(messages) == 1 and upstream is None):
            one_by_one: list[Delivery] = []
            for index, message in enumerate(messages):
                if index and stopping():
                    self.relay_release(messages[index:])
                    break
                one_by_one.append(self.relay_deliver(message, owner, clock=clock,
                                                     timeout=timeout))
            return one_by_one
        try:
            username, password, token = self.credentials.login_for(sender)
        except BimailError as error:
            return [self._relay_temporary(m, owner, now, error) for m in messages]
        from ..mail.transport import ServerConfig, SmtpSession

        config = ServerConfig(host=sender.server, port=sender.port,
                              encryption=sender.encryption, username=username,
                              password=password, oauth2_token=token,
                              timeout=timeout or DEFAULT_TIMEOUT)
        envelope_from = ascii_address(sender.address)
        key = (config, trust)
        left = list(messages)
        current = left.pop(0)
        first = current
        ids = self.store.together(
            lambda connection: self._reserve_in(connection, first, sender, clock())).result()
        results: list[Delivery] = []
        smtp: SmtpSession | None = None if upstream is None else upstream.take(key)
        try:
            while True:
                report: SendReport | None = None
                failure: BimailError | None = None
                started = time.monotonic()
                try:
                    if smtp is None:
                        smtp = SmtpSession(config, trust)
                        try:
                            smtp.connect()
                        except BaseException:
                            smtp = None
                            raise
                    report = smtp.send_bytes(on_the_wire(current.content), envelope_from,
                                             list(current.recipients))
                except BimailError as error:
                    failure = error
                    smtp = None  # the session closed itself
                duration = int((time.monotonic() - started) * 1000)
                following = left.pop(0) if left and not stopping() else None
                reserved: list[list[int]] = []
                then = None
                if following is not None:
                    upcoming = following

                    def then(connection: Connection, upcoming: Claimed = upcoming,
                             reserved: list[list[int]] = reserved) -> None:
                        # set, not appended: the group commit may run this twice
                        reserved[:] = [self._reserve_in(connection, upcoming, sender,
                                                        clock())]

                results.append(self._relay_finish(current, owner, sender, ids, report,
                                                  failure, duration, clock(), then))
                if following is None:
                    break
                current, ids = following, reserved[0]
        finally:
            if smtp is not None:
                if upstream is not None:
                    upstream.give_back(key, smtp)
                else:
                    smtp.quit()
            if left:
                self.relay_release(left)
        return results

    def _relay_sender(self, session: Session, address: str) -> Sender:
        """The sender as stored now, read as plain rows (before every batch: the ORM's
        objects cost more than the statements)."""
        connection = session.connection()
        row = connection.execute(_SENDER_BY_KEY, {"key": address_key(address)}).first()
        if row is None:
            raise BimailError(ErrorCode.NOT_CONFIGURED,
                              Msg("relay.sender_removed", address=address))
        return self.senders.to_sender(cast("SenderRow", row),
                                      connection.execute(_DEFAULT_ID).scalar(),
                                      check_secret=False)

    def _relay_wait(self, message: Claimed, owner: str, sender: Sender, now: datetime,
                    wait: float) -> Delivery:
        """Over the rate limit: the message waits without an attempt counted."""
        due = now + timedelta(seconds=max(wait, 0.001))
        error = BimailError(
            ErrorCode.RATE_LIMITED,
            Msg("relay.rate_limited", address=sender.address, rate_limit=sender.rate_limit,
                due=due.replace(tzinfo=UTC).isoformat(timespec='seconds')),
        )
        with self.store.write_connection() as connection:
            connection.execute(
                update(_OUTBOX).where(_OUTBOX.c.id == message.id,
                                      _OUTBOX.c.lease_owner == owner)
                .values(status=OutboxStatus.DEFERRED.value, next_attempt=due,
                        last_error_code=error.code.value, last_error_message=error.message(),
                        lease_owner=None, lease_until=None)
            )
        return Delivery("deferred", waiting=message.recipients, next_attempt=due, error=error)

    def _relay_temporary(self, message: Claimed, owner: str, now: datetime,
                         error: BimailError) -> Delivery:
        """An attempt that did not reach the server (nothing recorded): try again later."""
        attempts = message.attempts + 1
        if now - message.created_at >= MAX_AGE:
            with self.store.write_connection() as connection:
                self._record_expired(connection, message, now, error)
                connection.execute(delete(_OUTBOX).where(_OUTBOX.c.id == message.id))
            return Delivery("expired", failed=message.recipients, error=error)
        due = now + retry_delay(attempts)
        with self.store.write_connection() as connection:
            connection.execute(
                update(_OUTBOX).where(_OUTBOX.c.id == message.id,
                                      _OUTBOX.c.lease_owner == owner)
                .values(status=OutboxStatus.DEFERRED.value, next_attempt=due,
                        attempts=attempts, last_error_code=error.code.value,
                        last_error_message=error.message(), lease_owner=None,
                        lease_until=None)
            )
        log.warning("relay message %s deferred to %s: %s", message.id, due.isoformat(),
                    error.message())
        return Delivery("deferred", waiting=message.recipients, next_attempt=due, error=error)

    def _record_expired(self, connection: Connection, message: Claimed, now: datetime,
                        error: BimailError) -> None:
        expired = BimailError(ErrorCode.EXPIRED, Msg("relay.last_error", error=error),
                              server_reply=error.server_reply)
        connection.execute(insert(_RECORDS), [{
            "message_id": message.message_id, "sender": message.sender,
            "ip": message.client_ip, "recipient": recipient, "template": message.template,
            "resources": json.dumps(list(message.resources), ensure_ascii=False),
            "sent_at": now, "result": SendResult.FAILURE.value,
            "error_code": expired.code.value, "error_message": expired.message(),
            "server_reply": expired.server_reply, "duration_ms": 0,
            "process_id": os.getpid(),
        } for recipient in message.recipients])

    def _relay_reserve(self, message: Claimed, sender: Sender, now: datetime,
                       clock: Clock) -> list[int] | None:
        """The pending records of this attempt, committed before MAIL FROM; ``None`` (and
        nothing written) when the rate limit was reached meanwhile."""
        with self.store.write_connection() as connection:
            if connection.dialect.name != "sqlite":
                # serialise the limit per sender across relays and other programs
                connection.execute(select(SenderRow.id)
                                   .where(SenderRow.address_key == address_key(sender.address))
                                   .with_for_update())
            if self._rate_wait(connection, sender.address, sender.rate_limit, clock()) > 0:
                return None
            return self._reserve_in(connection, message, sender, now)

    def _reserve_in(self, connection: Connection, message: Claimed, sender: Sender,
                    now: datetime) -> list[int]:
        store = self.store
        rows = [{
            "message_id": message.message_id, "sender": sender.address,
            "ip": message.client_ip, "recipient": recipient, "template": message.template,
            "resources": json.dumps(list(message.resources), ensure_ascii=False),
            "sent_at": now, "result": SendResult.PENDING.value,
            "error_message": _PENDING_MARK.format(host=_host_name()),
            "process_id": os.getpid(),
        } for recipient in message.recipients]
        if len(rows) == 1:  # one statement, not the many-rows path (most mail has one)
            ((record_id,),) = _RESERVE_ONE.run(store, connection, rows[0])
            return [int(record_id)]
        returned = connection.execute(_RESERVE, rows).all()
        by_recipient = {recipient: record_id for record_id, recipient in returned}
        return [by_recipient[r] for r in message.recipients]

    def _relay_finish(self, message: Claimed, owner: str, sender: Sender, ids: list[int],
                      report: SendReport | None, failure: BimailError | None,
                      duration_ms: int, now: datetime,
                      then: Callable[[Connection], None] | None = None) -> Delivery:
        """The records of the attempt and the outbox row, in one transaction (and ``then``,
        the next message's pending records, in the same one)."""
        refused = {} if report is None else {k.lower(): v for k, v in report.refused.items()}
        outcomes: list[tuple[str, int, BimailError | None]] = []
        for recipient, record_id in zip(message.recipients, ids, strict=True):
            if report is None:
                error: BimailError | None = failure or BimailError(ErrorCode.INTERRUPTED)
            else:
                error = refused.get(ascii_address(recipient).lower()) or \
                    refused.get(recipient.lower())
            outcomes.append((recipient, record_id, error))
        too_old = now - message.created_at >= MAX_AGE
        delivered = tuple(r for r, _i, e in outcomes if e is None)
        permanent = tuple(r for r, _i, e in outcomes if e is not None and _is_permanent(e))
        waiting = tuple(r for r, _i, e in outcomes
                        if e is not None and not _is_permanent(e) and not too_old)
        expired = tuple(r for r, _i, e in outcomes
                        if e is not None and not _is_permanent(e) and too_old)
        reply = report.reply if report is not None else ""
        last_error = next((e for _r, _i, e in outcomes if e is not None), None)
        attempts = message.attempts + 1
        due = now + retry_delay(attempts)

        def finish(connection: Connection) -> None:
            self._finish_in(connection, message, outcomes, expired, waiting, reply,
                            duration_ms, last_error, attempts, due)
            if then is not None:
                then(connection)

        self.store.together(finish).result()
        return self._delivery(message, sender, delivered, permanent, expired, waiting, due,
                              last_error)

    def _finish_in(self, connection: Connection, message: Claimed,
                   outcomes: list[tuple[str, int, BimailError | None]],
                   expired: tuple[str, ...], waiting: tuple[str, ...], reply: str,
                   duration_ms: int, last_error: BimailError | None, attempts: int,
                   due: datetime) -> None:
        store = self.store
        for recipient, record_id, error in outcomes:
            if error is not None and recipient in expired:
                error = BimailError(ErrorCode.EXPIRED, Msg("relay.last_error", error=error),
                                    server_reply=error.server_reply)
            _FINISH_ONE.run(store, connection, {
                "record_id": record_id,
                "result": SendResult.SUCCESS.value if error is None
                else SendResult.FAILURE.value,
                "error_code": None if error is None else error.code.value,
                "error_message": None if error is None else error.message(),
                "server_reply": (reply or None) if error is None else error.server_reply,
                "duration_ms": duration_ms,
            })
        if waiting:
            assert last_error is not None
            connection.execute(
                update(_OUTBOX).where(_OUTBOX.c.id == message.id).values(
                    recipients=json.dumps(list(waiting), ensure_ascii=False),
                    status=OutboxStatus.DEFERRED.value, attempts=attempts,
                    next_attempt=due, last_error_code=last_error.code.value,
                    last_error_message=last_error.message(), lease_owner=None,
                    lease_until=None)
            )
        else:
            _DONE_ONE.run(store, connection, {"outbox_id": message.id})

    @staticmethod
    def _delivery(message: Claimed, sender: Sender, delivered: tuple[str, ...],
                  permanent: tuple[str, ...], expired: tuple[str, ...],
                  waiting: tuple[str, ...], due: datetime,
                  last_error: BimailError | None) -> Delivery:
        if waiting:
            log.warning("relay message %s: %d delivered, %d failed, %d retried at %s (%s)",
                        message.id, len(delivered), len(permanent), len(waiting),
                        due.isoformat(), last_error.message() if last_error else "")
            return Delivery("deferred", delivered, permanent + expired, waiting, due,
                            last_error)
        log.info("relay message %s (%s) via %s: %d delivered, %d failed", message.id,
                 message.message_id, sender.address, len(delivered),
                 len(permanent) + len(expired))
        if expired:
            return Delivery("expired", delivered, permanent + expired, error=last_error)
        if not delivered:
            return Delivery("failed", (), permanent, error=last_error)
        return Delivery("delivered", delivered, permanent, error=last_error)


def _is_permanent(error: BimailError) -> bool:
    """A 5xx refusal of the sender, a recipient or the message: retrying cannot help."""
    return error.code in _PERMANENT and (error.server_reply or "").lstrip().startswith("5")

