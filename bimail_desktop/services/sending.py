"""Sending mail: the test mail (S8), templated sends, their records (R1), crash safety and
the per-sender rate limit (T3).

Every send follows the same steps:

1. everything the user typed is checked and the mail is built — a refused field changes
   nothing and reaches no server;
2. the rate limit is checked against the sending records (a send over it never connects);
   then, in one write transaction (``BEGIN IMMEDIATE``, so GUI and CLI queue up) that runs
   while the connection is being set up, the limit is checked again and one ``pending``
   record per recipient is written, carrying this process's id;
3. one SMTP connection carries the message to every recipient — the mail transaction
   (MAIL FROM) starts only after the pending records are committed, so a crash leaves a
   trace of every mail that may have left;
4. after the server's reply to DATA, one transaction turns the pending records into
   ``success`` / ``failure`` with the error code, message and server reply (while QUIT
   goes out); the send returns once it is committed.

At start-up, pending records of processes that no longer run become ``failure`` /
``interrupted`` ("may have been sent"); nothing is ever sent again by itself.

Over the rate limit, a refused send writes ``rate_limited`` records coalesced per sender,
recipient and template within a minute (a count in the record's message), so that a client
retrying in a loop leaves one record a minute.

The module is one piece (about 800 lines) because the steps above share one plan, one set
of records and one error path: the records written before MAIL FROM are the ones finished
after DATA, in the same class. The results of a send (``SendOutcome``, ``SendFailed``) are
in :mod:`bimail_desktop.domain.models`; the SMTP conversation is the one client's
(:mod:`bimail_desktop.mail.client`).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar, cast
from urllib.parse import urlparse

from sqlalchemy import Table, bindparam, func, insert, or_, select, text, update
from sqlalchemy.exc import IntegrityError

from ..domain.clock import now_naive
from ..domain.errors import BimailError, ErrorCode, InvalidInput
from ..domain.models import (
    DEFAULT_RATE_LIMIT,
    TEST_MAIL_TEMPLATE,
    RecipientOutcome,
    SenderSettings,
    SendFailed,
    SendOutcome,
    SendRecord,
    SendResult,
    refusal_count,
    with_refusals,
)
from ..domain.texts import Msg
from ..domain.validation import (
    address_key,
    check_header_text,
    validate_password,
    validate_recipients,
    validate_seconds,
    validate_sender,
)
from ..mail.cancel import CancelToken
from ..mail.ratelimit import seconds_until_allowed, whole_seconds, window_start
from ..store import Store
from ..store.schema import SenderRow, SendRecordRow, SettingsRow, StoreHostRow
from .credentials import Credentials, Login
from .records import to_record
from .senders import Senders
from .templates import Templates, render_template
from .trust import Trust

# Building and sending a mail (email, smtplib, ssl, truststore) is imported by the methods
# that send, so that opening the mailbox for anything else (`bimail senders list`) does
# not load it.
if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from ..mail.message import Attachment, BuiltMessage, MailContent
    from ..mail.tls import TrustConfig
    from ..mail.transport import SendReport

# is any send pending? (start-up: the index on the result column answers it)
_ANY_PENDING = text("SELECT 1 FROM send_records WHERE result = :pending LIMIT 1")

log = logging.getLogger(__name__)

# a line for the user while a send runs: English text that carries its catalogue message
# (mail.diagnosis_report.StepLine), so that the window shows it in its own language
Progress = Callable[[str], None]

DEFAULT_TIMEOUT = 30.0
URL_SCHEMES = frozenset({"http", "https", "ftp", "ftps"})
# pending records older than this are interrupted whatever their process id says
# (process ids are reused); no single send runs anywhere near this long
STALE_PENDING = timedelta(hours=24)
# Machines sharing a store say they are alive (store_hosts: host id, last seen) while they
# send, in the transaction that writes the pending records. Pending records of a machine
# not seen for this long are marked interrupted by any other machine.
HOST_GRACE = timedelta(minutes=10)
HEARTBEAT_EVERY = timedelta(minutes=1)
_PENDING_MARK = "sending from {host}"
_INTERRUPTED_DETAIL = Msg("sending.program_stopped")


# The two statements of every send, built once (Core on a plain connection: the ORM session
# and statement construction cost more than the statements themselves).
_RECORDS = cast(Table, SendRecordRow.__table__)
# RETURNING in any order lets the rows go in batches (ordered RETURNING is one statement per
# row); the recipients of one send are unique, so they map back
_INSERT_RECORDS = insert(_RECORDS).returning(_RECORDS.c.id, _RECORDS.c.recipient)
_FINISH_RECORDS = (
    update(_RECORDS)
    .where(_RECORDS.c.id.in_(bindparam("ids", expanding=True)))
    .values(result=bindparam("new_result"), ip=bindparam("new_ip"),
            error_code=bindparam("new_code"), error_message=bindparam("new_message"),
            server_reply=bindparam("new_reply"), duration_ms=bindparam("new_duration"))
)


# rate_limited refusals of one sender, recipient and template within this many seconds of the
# first one share one record with a count
REFUSAL_WINDOW_S = 60
_RECENT_REFUSALS = (
    select(_RECORDS.c.id, _RECORDS.c.recipient, _RECORDS.c.error_message)
    .where(_RECORDS.c.sent_at > bindparam("since"),
           _RECORDS.c.error_code == ErrorCode.RATE_LIMITED.value,
           _RECORDS.c.sender == bindparam("sender"),
           _RECORDS.c.template == bindparam("template"),
           _RECORDS.c.recipient.in_(bindparam("recipients", expanding=True)))
    .order_by(_RECORDS.c.id)
)


def _progress_observer(plan: _Plan, report: Progress) -> Callable[[Any, str], None]:
    """The progress line follows the client's real steps (a line per step that starts)."""
    from ..mail.diagnosis_report import progress_line

    last: list[str] = [""]

    def observe(stage: Any, status: str) -> None:
        if status != "start":
            return
        line = progress_line(str(stage), host=plan.settings.server, port=plan.settings.port,
                             count=len(plan.recipients))
        if line is not None and line != last[0]:
            last[0] = line
            report(line)

    return observe


# -- resources -----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Resources:
    links: tuple[str, ...]
    attachments: tuple[Attachment, ...]
    recorded: tuple[str, ...]  # what the records list as Accessed Resources


def _read_resources(resources: Sequence[str]) -> _Resources:
    """URLs are listed in the body, local files attached (read now, before any record)."""
    from ..mail.message import Attachment

    links: list[str] = []
    attachments: list[Attachment] = []
    recorded: list[str] = []
    for raw in resources:
        text = str(raw).strip()
        if not text:
            raise InvalidInput("resources", Msg("sending.resource_empty"))
        check_header_text(text, "resources")
        parsed = urlparse(text)
        if parsed.scheme.lower() in URL_SCHEMES and parsed.netloc:
            links.append(text)
            recorded.append(text)
            continue
        path = Path(text).expanduser()
        attachments.append(Attachment.from_path(path))
        recorded.append(str(path.resolve()))
    return _Resources(tuple(links), tuple(attachments), tuple(recorded))


# -- processes -----------------------------------------------------------------------------
def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs on this machine (never signals it)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        process_query_limited_information = 0x1000
        still_active = 259
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
        if not handle:
            # access denied means it exists (another user's process)
            return bool(kernel32.GetLastError() == 5)
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == still_active
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)  # signal 0: existence check only
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    # a killed child its parent has not reaped yet is a zombie: it sends nothing any more
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _upsert_host(connection: Connection, host: str, now: datetime) -> None:
    done = connection.execute(update(StoreHostRow).where(StoreHostRow.host_id == host)
                              .values(last_seen=now))
    if not done.rowcount:
        connection.execute(insert(StoreHostRow).values(host_id=host, host_name=host,
                                                       last_seen=now))


def _host_name() -> str:
    try:
        return socket.gethostname()[:100]  # never getfqdn: it can take seconds
    except OSError:
        return ""


# -- the service -----------------------------------------------------------------------------
_T = TypeVar("_T")


class _RecordsFailed(Exception):
    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


class _Background(Generic[_T]):
    """The commit of a records transaction in a thread of its own, so that its disk sync
    overlaps with talking to the server (connection set-up, QUIT)."""

    def __init__(self, work: Callable[[], _T]) -> None:
        self._result: _T | None = None
        self._done = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(work,),
                                        name="bimail-records", daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[], _T]) -> None:
        try:
            self._result = work()
            self._done = True
        except BaseException as error:  # noqa: BLE001 - handed to the sending thread
            self._error = error

    def wait(self) -> None:
        """Until the records are written; Ctrl+C is honoured only after that."""
        interrupted = False
        while self._thread.is_alive():
            try:
                self._thread.join()
            except KeyboardInterrupt:
                interrupted = True
        if interrupted:
            raise KeyboardInterrupt

    def result(self) -> _T:
        self.wait()
        if self._error is not None:
            raise _RecordsFailed(self._error)
        assert self._done
        return self._result  # type: ignore[return-value]


@dataclass(frozen=True)
class _Checks:
    trust: TrustConfig
    rate_wait: float  # seconds until the rate limit allows a send (0: now)


@dataclass(frozen=True)
class _Plan:
    settings: SenderSettings
    credentials: Login
    template: str
    content: MailContent
    recipients: tuple[str, ...]
    resources: tuple[str, ...]
    timeout: float



def _timeout(value: float | None) -> float:
    """The seconds a send may wait for the server: the default, or a finite number above 0
    and at most an hour."""
    return DEFAULT_TIMEOUT if value is None else validate_seconds(value, "timeout")

class Sending:
    """Use cases that send mail. Reads the sender (``senders``), the template
    (``templates``) and the certificates the admin trusts (``trust``), logs in with what
    ``credentials`` hands it, and writes the sending records."""

    def __init__(self, store: Store, senders: Senders, templates: Templates, trust: Trust,
                 credentials: Credentials) -> None:
        self.store = store
        self.senders = senders
        self.templates = templates
        self.trust = trust
        self.credentials = credentials
        self._last_beat: datetime | None = None  # when this process last said it is alive

    # -- start-up ----------------------------------------------------------------------------
    def recover_interrupted_sends(self) -> int:
        """Mark pending records whose process no longer runs as failure / interrupted.
        They are never sent again: the mail may have left already."""
        now = now_naive()
        mark = _PENDING_MARK.format(host=_host_name())
        with self.store.read() as session:
            # the usual case, nothing pending: one small read (plain SQL, compiled at once)
            if session.execute(_ANY_PENDING, {"pending": SendResult.PENDING.value}).first() \
                    is None:
                return 0
            groups = session.execute(
                select(SendRecordRow.process_id, SendRecordRow.error_message,
                       func.max(SendRecordRow.sent_at))
                .where(SendRecordRow.result == SendResult.PENDING.value)
                .group_by(SendRecordRow.process_id, SendRecordRow.error_message)
            ).all()
            if not groups:
                return 0
            seen = dict(session.execute(
                select(StoreHostRow.host_id, StoreHostRow.last_seen)).all())
        stopped: list[tuple[int | None, str | None]] = []
        for pid, message, newest in groups:
            if newest is not None and newest < now - STALE_PENDING:
                stopped.append((pid, message))
            elif pid is None:
                stopped.append((pid, message))
            elif message not in (None, mark):
                # pending on another machine sharing this store: stopped if that machine
                # has not been seen for the grace period
                host = (message or "").removeprefix(_PENDING_MARK.format(host=""))
                last = seen.get(host)
                if (last if last is not None else newest) < now - HOST_GRACE:
                    stopped.append((pid, message))
            elif not process_alive(int(pid)):
                stopped.append((pid, message))
        if not stopped:
            return 0
        values = {
            "result": SendResult.FAILURE.value,
            "error_code": ErrorCode.INTERRUPTED.value,
            "error_message": BimailError(ErrorCode.INTERRUPTED, _INTERRUPTED_DETAIL).message(),
        }
        total = 0
        with self.store.write() as session:
            for pid, message in stopped:
                stmt = update(SendRecordRow).where(
                    SendRecordRow.result == SendResult.PENDING.value,
                    SendRecordRow.process_id.is_(None) if pid is None
                    else SendRecordRow.process_id == pid,
                    SendRecordRow.error_message.is_(None) if message is None
                    else SendRecordRow.error_message == message,
                )
                result = session.execute(
                    stmt.values(**values).execution_options(synchronize_session=False)
                )
                total += int(getattr(result, "rowcount", 0) or 0)
        return total

    def _beat(self, now: datetime, connection: Connection | None = None) -> None:
        """Say that this machine is alive (its row in store_hosts), at most once a minute;
        in ``connection``'s transaction when given (no extra commit)."""
        last = self._last_beat
        if last is not None and now - last < HEARTBEAT_EVERY:
            return
        host = _host_name()
        try:
            if connection is None:
                with self.store.write_connection() as own:
                    _upsert_host(own, host, now)
            else:
                with connection.begin_nested():
                    _upsert_host(connection, host, now)
        except IntegrityError:
            return  # another process of this machine wrote it at the same moment
        except BimailError as error:
            if connection is not None:
                raise
            # a store that cannot be written (damaged, read-only) still shows what it has
            log.info("no heartbeat written: %s", error.detail)
            return
        self._last_beat = now

    def _checks(self, session: Session, settings: SenderSettings) -> _Checks:
        """What a send reads before it connects: the certificates the admin trusts and the
        rate limit (a send over it never connects — a read, no disk sync)."""
        return _Checks(self.trust.trust_config(session),
                       self._rate_wait(session, settings.address, settings.rate_limit,
                                       now_naive()))

    # -- use cases ---------------------------------------------------------------------------
    def send_test_mail(
        self,
        to: str,
        *,
        sender: str | None = None,
        settings: SenderSettings | Mapping[str, Any] | None = None,
        password: str | None = None,
        cancel: CancelToken | None = None,
        progress: Progress | None = None,
        timeout: float | None = None,
    ) -> SendOutcome:
        """Send the Test Mail (S8) to ``to``.

        With ``settings`` the form's current, unsaved values are used (``password`` as
        typed; ``None`` takes the stored password of a stored sender with that address).
        Otherwise the stored sender ``sender``, else the default sender."""
        recipients = validate_recipients([to], "to")
        checks: _Checks | None = None
        if settings is not None:
            template = self.templates.require_template(TEST_MAIL_TEMPLATE)
            valid = validate_sender(settings)
            typed = validate_password(password)
            credentials: Login
            if typed is not None:
                credentials = (valid.login, typed, None) if typed else ("", None, None)
            else:
                stored = self.senders.find_sender(valid.address)
                credentials = ("", None, None)
                if stored is not None:
                    user, secret, token = self.credentials.login_for(stored)
                    if user and secret is not None and token is None:
                        user = valid.login
                    credentials = (user, secret, token)
            plan_settings = valid
        else:
            # the template, the sender, the trusted certificates and the rate limit: one read
            with self.store.read() as session:
                template = self.templates.require_template_in(session, TEST_MAIL_TEMPLATE)
                chosen = self.senders.sender_in(session, sender)
                checks = self._checks(session, chosen.settings)
            plan_settings = chosen.settings
            credentials = self.credentials.login_for(chosen)
        from ..mail.message import MailContent

        content = MailContent(template.subject, template.html)
        plan = _Plan(plan_settings, credentials, template.name, content, tuple(recipients), (),
                     _timeout(timeout))
        return self._deliver(plan, checks, cancel=cancel, progress=progress)

    def send(
        self,
        template: str,
        to: Sequence[str],
        *,
        resources: Sequence[str] = (),
        variables: Mapping[str, str] | None = None,
        sender: str | None = None,
        cancel: CancelToken | None = None,
        progress: Progress | None = None,
        timeout: float | None = None,
        raw_variables: Mapping[str, str] | None = None,
    ) -> SendOutcome:
        """Send ``template`` filled with ``variables`` to every address in ``to`` (one
        message, one connection). Local-file ``resources`` are attached, URLs listed in
        the body. Without ``sender`` the default sender sends (none: ``not_configured``).

        A value of ``variables`` is text, escaped in the HTML body; ``raw_variables`` are
        trusted HTML inserted as they are (see docs/TEMPLATES.md)."""
        if not isinstance(to, str | list | tuple) and isinstance(to, Iterable):
            to = list(to)  # a generator, a set…
        recipients = validate_recipients(to, "to")
        chosen_template = self.templates.require_template(template)
        subject, html = render_template(chosen_template, variables, raw_variables)
        found = _read_resources(resources)
        with self.store.read() as session:
            chosen = self.senders.sender_in(session, sender)
            checks = self._checks(session, chosen.settings)
        credentials = self.credentials.login_for(chosen)
        from ..mail.message import MailContent

        content = MailContent(subject, html, found.links, found.attachments)
        plan = _Plan(chosen.settings, credentials, chosen_template.name, content,
                     tuple(recipients), found.recorded, _timeout(timeout))
        return self._deliver(plan, checks, cancel=cancel, progress=progress)

    def failed_recipients(self, record_id: int) -> tuple[SendRecord, list[str]]:
        """The record ``record_id`` and the recipients of its message whose delivery
        failed (in the order they were sent to)."""
        with self.store.read() as session:
            row = session.get(SendRecordRow, int(record_id))
            if row is None:
                raise BimailError(ErrorCode.NOT_FOUND,
                                  Msg("records.no_record", record_id=record_id), field="id")
            record = to_record((row.id, row.message_id, row.sender, row.ip, row.recipient,
                                row.template, row.resources, row.sent_at, row.result,
                                row.error_code, row.error_message, row.server_reply,
                                row.duration_ms))
            failed = session.scalars(
                select(SendRecordRow.recipient)
                .where(SendRecordRow.message_id == row.message_id,
                       SendRecordRow.result == SendResult.FAILURE.value)
                .order_by(SendRecordRow.id)
            ).all()
        return record, list(dict.fromkeys(failed))

    def resend_failed(
        self,
        record_id: int,
        *,
        variables: Mapping[str, str] | None = None,
        cancel: CancelToken | None = None,
        progress: Progress | None = None,
        timeout: float | None = None,
    ) -> SendOutcome:
        """Send the message of record ``record_id`` again, as a new message, to those of
        its recipients it failed for: same template, sender and resources (``variables``
        fill the template's placeholders, which records do not keep). An admin's explicit
        action — nothing is ever sent again by itself; the new send writes new records and
        the old ones stay as they were."""
        row, failed = self.failed_recipients(record_id)
        if not failed:
            raise InvalidInput("id", Msg("records.nothing_to_resend", record_id=record_id))
        if self.templates.get_template(row.template) is None:
            raise InvalidInput("id", Msg("records.relayed_resend") if row.template == "Relay"
                               else Msg("records.template_gone", template=row.template))
        return self.send(row.template, failed, resources=row.resources,
                         variables=variables, sender=row.sender, cancel=cancel,
                         progress=progress, timeout=timeout)

    def next_send_allowed_in(self, sender_address: str) -> float:
        """Seconds until the rate limit of ``sender_address`` allows a send (0 = now)."""
        stored = self.senders.find_sender(sender_address)
        limit = stored.rate_limit if stored is not None else DEFAULT_RATE_LIMIT
        with self.store.read() as session:
            return self._rate_wait(session, sender_address, limit, now_naive())

    # -- internals ---------------------------------------------------------------------------
    @staticmethod
    def _rate_wait(session: Session | Connection, address: str, limit: int,
                   now: datetime) -> float:
        if limit <= 0:
            return 0.0
        # the sends of the last minute, compared by address key in Python: a database's
        # lower() may fold ASCII only (SQLite), so "bot@BÜCHER.de" would not match
        key = address_key(address)
        rows = session.execute(
            select(SendRecordRow.sender, func.min(SendRecordRow.sent_at))
            .where(
                SendRecordRow.sent_at > window_start(now),
                or_(SendRecordRow.error_code.is_(None),
                    SendRecordRow.error_code != ErrorCode.RATE_LIMITED.value),
            )
            .group_by(SendRecordRow.message_id, SendRecordRow.sender)
        ).all()
        keys: dict[str, str] = {}
        starts = [start for sender, start in rows
                  if (keys.get(sender) or keys.setdefault(sender, address_key(sender))) == key]
        return seconds_until_allowed(starts, limit, now)

    @staticmethod
    def _lock_sender(connection: Connection, address: str) -> None:
        """Serialise the rate limit of one sender across processes and machines: its row
        stays locked until the reservation commits (SQLite: the write transaction is the
        lock already). A sender that is not stored (a test mail from the dialog before it
        is saved) locks the one settings row instead."""
        if connection.dialect.name == "sqlite":
            return
        found = connection.execute(select(SenderRow.id).where(
            SenderRow.address_key == address_key(address)).with_for_update()).first()
        if found is None:
            connection.execute(select(SettingsRow.id).where(SettingsRow.id == 1)
                               .with_for_update())

    def _reserve(self, plan: _Plan, built: BuiltMessage) -> tuple[list[int], int]:
        """Check the rate limit and write the records of this send in one transaction:
        ``pending`` ones, or — over the limit — ``rate_limited`` failures. Returns the
        record ids and the seconds to wait (0 when the send may go ahead)."""
        with self.store.write_connection() as connection:
            return self._reserve_in(connection, plan, built)

    def _reserve_in(self, connection: Connection, plan: _Plan,
                    built: BuiltMessage) -> tuple[list[int], int]:
        now = now_naive()
        base = {
            "message_id": built.message_id,
            "sender": plan.settings.address,
            "ip": "",
            "template": plan.template,
            "resources": json.dumps(list(plan.resources), ensure_ascii=False),
            "sent_at": now,
            "process_id": os.getpid(),
        }
        if plan.settings.rate_limit > 0:
            self._lock_sender(connection, plan.settings.address)
            now = now_naive()  # the lock may have waited for other sends
            base["sent_at"] = now
        self._beat(now, connection)
        wait = whole_seconds(
            self._rate_wait(connection, plan.settings.address, plan.settings.rate_limit, now)
        )
        if wait:
            return self._record_refusal(connection, plan, base, now, wait), wait
        else:
            state = {
                "result": SendResult.PENDING.value,
                "error_message": _PENDING_MARK.format(host=_host_name()),
            }
        rows = [{**base, **state, "recipient": r} for r in plan.recipients]
        returned = connection.execute(_INSERT_RECORDS, rows).all()
        by_recipient = {recipient: record_id for record_id, recipient in returned}
        return [by_recipient[r] for r in plan.recipients], wait

    def _record_refusal(self, connection: Connection, plan: _Plan, base: dict[str, Any],
                        now: datetime, wait: int) -> list[int]:
        """The ``rate_limited`` records of a refused send, coalesced: a sender, recipient and
        template refused again within a minute of the first refusal add to that record's
        count ("refused 37 times") instead of writing another one, so that a client
        retrying in a loop leaves one record a minute, not thousands."""
        message = self._rate_error(plan.settings, wait).message()
        found = {
            recipient: (record_id, text)
            for record_id, recipient, text in connection.execute(
                _RECENT_REFUSALS,
                {"sender": plan.settings.address, "template": plan.template,
                 "since": now - timedelta(seconds=REFUSAL_WINDOW_S),
                 "recipients": list(plan.recipients)})
        }
        ids: list[int] = []
        fresh: list[dict[str, Any]] = []
        for recipient in plan.recipients:
            if recipient in found:
                record_id, text = found[recipient]
                connection.execute(
                    update(_RECORDS).where(_RECORDS.c.id == record_id)
                    .values(error_message=with_refusals(message, refusal_count(text) + 1)))
                ids.append(record_id)
            else:
                fresh.append({**base, "recipient": recipient,
                              "result": SendResult.FAILURE.value,
                              "error_code": ErrorCode.RATE_LIMITED.value,
                              "error_message": message, "duration_ms": 0})
        if fresh:
            returned = dict((r, i) for i, r in connection.execute(_INSERT_RECORDS, fresh).all())
            ids = [returned[r] if r not in found else found[r][0] for r in plan.recipients]
        return ids

    def _refuse_rate_limited(self, plan: _Plan, built: BuiltMessage, ids: Sequence[int],
                             wait: int) -> NoReturn:
        error = self._rate_error(plan.settings, wait)
        outcome = self._outcome(plan, built, ids, "", 0, None, error)
        log.info("send from %s refused by the rate limit (%ds)", plan.settings.address, wait)
        raise SendFailed(outcome, error)

    @staticmethod
    def _rate_error(settings: SenderSettings, wait: int) -> BimailError:
        return BimailError(
            ErrorCode.RATE_LIMITED,
            Msg("sending.rate_limited", address=settings.address, rate_limit=settings.rate_limit,
                wait=wait),
            extra={"retry_after_s": wait},
        )

    def _deliver(
        self,
        plan: _Plan,
        checks: _Checks | None,
        *,
        cancel: CancelToken | None,
        progress: Progress | None,
    ) -> SendOutcome:
        report_progress = progress or (lambda _text: None)
        from ..mail.message import build_message
        from ..mail.transport import ServerConfig, SmtpSession

        built = build_message(
            address=plan.settings.address,
            show_name=plan.settings.show_name,
            recipients=plan.recipients,
            content=plan.content,
            recipients_checked=True,  # by validate_recipients, first thing of every send
        )
        username, password, token = plan.credentials
        config = ServerConfig(
            host=plan.settings.server,
            port=plan.settings.port,
            encryption=plan.settings.encryption,
            username=username,
            password=password,
            oauth2_token=token,
            timeout=plan.timeout,
        )
        if checks is None:
            with self.store.read() as session:
                checks = self._checks(session, plan.settings)
        trust, over = checks.trust, checks.rate_wait
        reservation: _Background[tuple[list[int], int]] | None = None
        ids: Sequence[int] = ()
        if over:
            ids, wait = self._reserve(plan, built)  # rate_limited failure records
            if wait:
                self._refuse_rate_limited(plan, built, ids, wait)
        else:
            # The pending records are committed (a synced write) while the connection is
            # set up, and the mail transaction (MAIL FROM) starts only once they are: a
            # crash leaves a trace of every mail that may have left, and the send does not
            # wait for the disk before it can talk to the server.
            reservation = self._committed_meanwhile(
                lambda connection: self._reserve_in(connection, plan, built))
        started = time.monotonic()
        ip = ""
        report: SendReport | None = None
        failure: BimailError | None = None
        unexpected: BaseException | None = None
        finishing: _Background[None] | None = None
        outcome: SendOutcome | None = None
        conversation = SmtpSession(config, trust, cancel=cancel,
                                   observer=_progress_observer(plan, report_progress))
        try:
            with conversation as smtp:
                try:
                    smtp.connect()
                finally:
                    if reservation is not None:
                        reservation.wait()
                if reservation is not None:
                    ids, wait = reservation.result()
                    if wait:  # another process sent meanwhile and reached the limit
                        self._refuse_rate_limited(plan, built, ids, wait)
                ip = smtp.local_ip or ""
                report = smtp.send(built.message, built.envelope_from, built.envelope_to)
                # the server has answered DATA: the records are finished while QUIT goes out
                sent = self._outcome(plan, built, ids, ip,
                                     int((time.monotonic() - started) * 1000), report, None)
                outcome = sent
                try:
                    finishing = self._committed_meanwhile(
                        lambda connection: self._finalise_in(connection, sent))
                except Exception as error:
                    raise _RecordsFailed(error) from None
        except _RecordsFailed as error:
            raise error.error from None  # no record was written, and nothing was sent
        except SendFailed:
            raise
        except BimailError as error:
            if report is None:
                failure = error
        except KeyboardInterrupt:
            if report is None:
                failure = BimailError(ErrorCode.INTERRUPTED, Msg("sending.stopped"))
        except BaseException as error:  # a bug: the records must still be finalised
            if report is None:
                unexpected = error
                failure = BimailError(ErrorCode.INTERRUPTED, Msg("sending.crashed",
                                                                 name=type(error).__name__))
        if reservation is not None:
            try:
                ids, _wait = reservation.result()  # finished by now
            except _RecordsFailed as error:
                raise error.error from None  # no record was written, and nothing was sent
        if finishing is not None and outcome is not None:
            try:
                finishing.result()
            except _RecordsFailed as error:
                raise error.error from None
        else:
            duration_ms = int((time.monotonic() - started) * 1000)
            # a failure after the connection was made (a refused login, a 421) keeps the
            # address this machine sent from, as a success does
            ip = ip or conversation.local_ip or ""
            outcome = self._outcome(plan, built, ids, ip, duration_ms, report, failure)
            self._finalise(outcome)
        if unexpected is not None:
            raise unexpected
        from ..mail.diagnosis_report import StepLine

        report_progress(StepLine(Msg("progress.done") if outcome.ok else
                                 Msg("progress.some_failed", failed=len(outcome.failed),
                                     total=len(outcome.recipients))))
        log.info("message %s from %s: %d sent, %d failed", outcome.message_id,
                 outcome.sender, len(outcome.succeeded), len(outcome.failed))
        if not outcome.succeeded:
            first = next(r.error for r in outcome.recipients if r.error is not None)
            raise SendFailed(outcome, first)
        return outcome

    @staticmethod
    def _outcome(
        plan: _Plan,
        built: BuiltMessage,
        ids: Sequence[int],
        ip: str,
        duration_ms: int,
        report: SendReport | None,
        failure: BimailError | None,
    ) -> SendOutcome:
        refused: dict[str, BimailError] = {}
        if report is not None:
            refused = {k.lower(): v for k, v in report.refused.items()}
        results: list[RecipientOutcome] = []
        for recipient, envelope, record_id in zip(
            plan.recipients, built.envelope_to, ids, strict=True
        ):
            if report is None:
                error: BimailError | None = failure or BimailError(ErrorCode.INTERRUPTED)
            else:
                error = refused.get(envelope.lower()) or refused.get(recipient.lower())
            results.append(RecipientOutcome(recipient, error is None, error, record_id))
        return SendOutcome(
            message_id=built.message_id,
            sender=plan.settings.address,
            template=plan.template,
            ip=ip,
            duration_ms=duration_ms,
            recipients=tuple(results),
            resources=plan.resources,
            server_reply=report.reply if report is not None else "",
        )

    def _finalise(self, outcome: SendOutcome) -> None:
        """Turn the pending records into their final state, all in one transaction."""
        with self.store.write_connection() as connection:
            self._finalise_in(connection, outcome)

    def _committed_meanwhile(self, work: Callable[[Connection], _T]) -> _Background[_T]:
        """Run ``work`` in a write transaction now, and its COMMIT — the disk sync — in a
        thread of its own, so that it overlaps with talking to the server. Only the commit
        goes to the thread: Python work there would compete with this thread for the
        interpreter lock (that cost more than the overlap saved)."""
        connection = self.store.open_write()
        try:
            value = work(connection)
        except BaseException:
            connection.close()  # rolled back: nothing was written
            raise

        def commit() -> _T:
            try:
                connection.commit()
            finally:
                connection.close()
            return value

        return _Background(commit)

    @staticmethod
    def _finalise_in(connection: Connection, outcome: SendOutcome) -> None:
        """The final state of every record of ``outcome``.

        Recipients with the same result (all the accepted ones, typically) share one
        UPDATE … WHERE id IN (…): a 1,000-recipient send finishes in a few statements."""
        groups: dict[tuple[Any, ...], list[int]] = {}
        for r in outcome.recipients:
            values = (
                SendResult.SUCCESS.value if r.success else SendResult.FAILURE.value,
                outcome.ip,
                None if r.error is None else r.error.code.value,
                None if r.error is None else r.error.message(),
                (outcome.server_reply or None) if r.error is None else r.error.server_reply,
                outcome.duration_ms,
            )
            groups.setdefault(values, []).append(r.record_id)
        for (result, ip, code, message, reply, duration), ids in groups.items():
            for start in range(0, len(ids), 500):
                connection.execute(_FINISH_RECORDS, {
                    "ids": ids[start : start + 500], "new_result": result, "new_ip": ip,
                    "new_code": code, "new_message": message, "new_reply": reply,
                    "new_duration": duration,
                })
