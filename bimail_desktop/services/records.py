"""Sending records (R1, R2): query, count, detail, CSV export and retention.

Times are stored as naive UTC and shown in the user's local time zone. Every date given by
the user ("2024-05-01") means a LOCAL calendar day: ``since`` is the start of that day,
``until`` includes the whole day. :data:`LOCAL_TZ` overrides the system's zone (tests, or a
server that wants one fixed zone).
"""

from __future__ import annotations

import csv
import json
import logging
import os
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from ..domain.clock import now_naive
from ..domain.errors import BimailError, ErrorCode, InvalidInput
from ..domain.models import RecordFilter, SendRecord, SendResult
from ..domain.texts import Msg
from ..domain.validation import (
    MAX_DATE,
    MAX_OFFSET,
    MAX_RETENTION_DAYS,
    MIN_DATE,
    validate_day,
    validate_days,
    validate_instant,
    validate_whole_number,
)
from ..fileio import atomic_write, check_target
from ..store import Store
from ..store.record_queries import SORTABLE, RawRecord, RecordQueries, RecordQuery

if TYPE_CHECKING:
    from ..mail.cancel import CancelToken

log = logging.getLogger(__name__)

# None: the system's local time zone (TZ, /etc/localtime, Windows settings)
LOCAL_TZ: tzinfo | None = None
MAX_PAGE = 10_000
# counts shown first stop here ("more than 100,000"); the exact figure is asked for
COUNT_BOUND = 100_000
# in the order of store.record_queries.CSV_FIELDS (words in the text catalogue)
CSV_COLUMNS = Msg("records.csv_columns")


def csv_columns(lang: str = "en") -> list[str]:
    """The CSV export's column headers in ``lang``."""
    return CSV_COLUMNS.render(lang).split("|")


# -- time zone helpers (public: the CLI and the GUI use them) ------------------------------
def to_local(value: datetime) -> datetime:
    """An aware (or naive UTC) datetime in the local time zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ) if LOCAL_TZ is not None else value.astimezone()


def local_day_start(day: date) -> datetime:
    """The aware instant at which the local calendar day ``day`` begins."""
    naive = datetime.combine(day, time())
    if LOCAL_TZ is not None:
        return naive.replace(tzinfo=LOCAL_TZ)
    return naive.astimezone()  # naive is read as local time


def local_aware(value: datetime) -> datetime:
    """``value`` made aware: a naive datetime is read as local time."""
    if value.tzinfo is not None:
        return value
    return value.replace(tzinfo=LOCAL_TZ) if LOCAL_TZ is not None else value.astimezone()


def day_filter(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """(since, until) bounds of a RecordFilter for local calendar days, ``until`` inclusive."""
    return (
        local_day_start(validate_day(since, "since")) if since is not None else None,
        local_day_start(validate_day(until, "until") + timedelta(days=1))
        if until is not None else None,
    )


def parse_date_bound(text: str, *, field: str, end: bool) -> datetime:
    """``YYYY-MM-DD`` (a local day) or ISO 8601. ``end``: the exclusive bound that includes
    the given day (or instant)."""
    raw = (text or "").strip()
    problem = Msg("records.bad_date", text=text, example="2024-05-01T08:30+08:00")
    if not raw:
        raise InvalidInput(field, problem)
    if len(raw) > 64:
        raise InvalidInput(field, problem)
    if len(raw) == 10:
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise InvalidInput(field, problem) from None
        validate_day(day, field)
        return local_day_start(day + timedelta(days=1) if end else day)
    try:
        instant = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise InvalidInput(field, problem) from None
    instant = local_aware(validate_instant(instant, field))
    return instant + timedelta(microseconds=1) if end else instant


def _naive_utc(value: datetime | None, field: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise InvalidInput(field, Msg("datetime.wrong_type", t=type(value).__name__))
    # ``until`` is exclusive: the day before it is the last one it includes
    validate_instant(value if field != "until" else value - timedelta(microseconds=1), field)
    try:
        return local_aware(value).astimezone(UTC).replace(tzinfo=None)
    except (OverflowError, ValueError):  # beyond year 1 or 9999 in UTC
        raise InvalidInput(field, Msg("date.out_of_range", v=value.isoformat(),
                                      a=MIN_DATE.isoformat(), b=MAX_DATE.isoformat())) from None


def _parse_time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _resources(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return (str(value),)
    if isinstance(data, list):
        return tuple(str(item) for item in data)
    return (str(data),)


def to_record(row: RawRecord) -> SendRecord:
    (rid, message_id, sender, ip, recipient, template, resources, sent_at, result,
     error_code, error_message, server_reply, duration_ms) = row
    try:
        outcome = SendResult(result)
    except ValueError:
        outcome = SendResult.FAILURE
    return SendRecord(
        id=int(rid),
        message_id=message_id or "",
        sender=sender,
        ip=ip or "",
        recipient=recipient,
        template=template,
        resources=_resources(resources),
        sent_at=_parse_time(sent_at),
        result=outcome,
        error_code=error_code,
        error_message=error_message,
        server_reply=server_reply,
        duration_ms=duration_ms,
    )


def record_to_dict(record: SendRecord) -> dict[str, Any]:
    """The JSON shape of one record (`bimail records --json`)."""
    return {
        "id": record.id,
        "sender": record.sender,
        "ip": record.ip,
        "recipient": record.recipient,
        "template": record.template,
        "resources": list(record.resources),
        "sent_at": to_local(record.sent_at).isoformat(),
        "sent_at_utc": record.sent_at.isoformat(),
        "result": record.result.value,
        "error_code": record.error_code,
        "error_message": record.error_message,
        "server_reply": record.server_reply,
        "duration_ms": record.duration_ms,
        "message_id": record.message_id,
    } | ({"refusals": record.refusals} if record.refusals else {})


class _LocalTimeText:
    """Stored UTC text -> local "YYYY-MM-DD HH:MM:SS" when :data:`LOCAL_TZ` is set (the
    system zone is left to SQLite). The zone's offset is looked up once per half hour of
    UTC: every real zone changes its offset on such a boundary."""

    def __init__(self) -> None:
        self._offsets: dict[str, timedelta] = {}

    def __call__(self, text: str) -> str:
        key = text[:14] + ("0" if text[14:16] < "30" else "3")
        offset = self._offsets.get(key)
        if offset is None:
            start = datetime.fromisoformat(f"{text[:13]}:{'00' if key[-1] == '0' else '30'}")
            offset = to_local(start).utcoffset() or timedelta()
            self._offsets[key] = offset
        return (datetime.fromisoformat(text[:19]) + offset).isoformat(sep=" ")


class Records:
    """Use cases on sending records: query, detail, CSV export, retention. ``lang`` picks
    the language of the CSV column headers."""

    def __init__(self, store: Store, lang: str = "en") -> None:
        self.store = store
        self.lang = lang
        self._records = RecordQueries(store)

    @staticmethod
    def _record_query(flt: RecordFilter | None) -> RecordQuery:
        flt = flt or RecordFilter()
        result = flt.result.value if isinstance(flt.result, SendResult) else flt.result
        if result is not None and result not in {r.value for r in SendResult}:
            raise InvalidInput("result", Msg("records.bad_result", result=result))
        return RecordQuery(
            sender=(flt.sender or "").strip(),
            recipient=(flt.recipient or "").strip(),
            template=(flt.template or "").strip(),
            since=_naive_utc(flt.since, "since"),
            until=_naive_utc(flt.until, "until"),
            result=result or None,
        )

    @staticmethod
    def _check_sort(sort: str) -> str:
        if sort not in SORTABLE:
            raise InvalidInput("sort", Msg("records.bad_sort", sort=sort,
                                           columns=', '.join(sorted(SORTABLE))))
        return sort

    # -- queries -----------------------------------------------------------------------
    def query_records(self, flt: RecordFilter | None = None, *, sort: str = "sent_at",
                      descending: bool = True, offset: int = 0,
                      limit: int = 100) -> list[SendRecord]:
        """One page of the records matching ``flt``, newest first by default."""
        offset = validate_whole_number(offset, "offset", minimum=0, maximum=MAX_OFFSET)
        limit = validate_whole_number(limit, "limit", minimum=1, maximum=MAX_PAGE)
        rows = self._records.page(self._record_query(flt), sort=self._check_sort(sort),
                                  descending=descending, offset=offset, limit=limit)
        return [to_record(row) for row in rows]

    def count_records(self, flt: RecordFilter | None = None, *,
                      up_to: int | None = None) -> int:
        """How many records match ``flt``. With ``up_to`` (e.g. :data:`COUNT_BOUND`) the
        count stops early: a result above ``up_to`` means "more than ``up_to``" — what the
        records page and `bimail records` show first, so that a broad filter over millions
        of records answers at once; ask without ``up_to`` for the exact figure."""
        if up_to is not None and (isinstance(up_to, bool) or not isinstance(up_to, int)
                                  or up_to < 0):
            raise InvalidInput("up_to", Msg("number.whole_zero_or_more"))
        return self._records.count(self._record_query(flt), up_to=up_to)

    def get_record(self, record_id: int) -> SendRecord:
        row = self._records.get(validate_whole_number(record_id, "id", minimum=1,
                                                      maximum=2**63 - 1))
        if row is None:
            raise BimailError(ErrorCode.NOT_FOUND, Msg("records.no_record", record_id=record_id),
                              field="id")
        return to_record(row)

    def latest_record_id(self) -> int:
        """The newest record's id (0 when there is none); cheap enough to poll."""
        return self._records.latest_id()

    def records_change_token(self) -> str:
        """Changes when records are added, finished or deleted; cheap enough to poll."""
        return self._records.change_token()

    # -- export ------------------------------------------------------------------------
    def export_records_csv(
        self,
        flt: RecordFilter | None,
        path: str | os.PathLike[str],
        *,
        cancel: CancelToken | None = None,
        progress: Callable[[int], None] | None = None,
        sort: str = "sent_at",
        descending: bool = True,
    ) -> int:
        """Write every record matching ``flt`` to ``path`` as CSV (UTF-8 with BOM, so that
        Excel shows Chinese text); returns the number of rows. The file appears only when
        complete: a cancelled or failed export leaves nothing behind (nor an old file
        changed)."""
        query = self._record_query(flt)
        self._check_sort(sort)
        check_target(path, "path")  # refused before the first row is read
        headers = csv_columns(self.lang)
        local_time = _LocalTimeText() if LOCAL_TZ is not None else None
        written = 0
        chunks = self._records.csv_chunks(query, sort=sort, descending=descending,
                                          local_time=local_time)
        with closing(chunks), \
                atomic_write(path, field="path", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerow(headers)
            for rows, text in chunks:
                if cancel is not None and cancel.cancelled:
                    raise BimailError(ErrorCode.INTERRUPTED,
                                      Msg("records.export_cancelled"))
                handle.write(text)
                written += rows
                if progress is not None:
                    progress(written)
            if cancel is not None and cancel.cancelled:
                raise BimailError(ErrorCode.INTERRUPTED,
                                  Msg("records.export_cancelled"))
        log.info("exported %d sending records to %s", written, path)
        return written

    # -- retention ---------------------------------------------------------------------
    @staticmethod
    def _cutoff(days: int) -> datetime:
        if not isinstance(days, int):  # not "365" either: the API takes a number
            raise InvalidInput("days", Msg("number.wrong_type", a="1",
                                           b=f"{MAX_RETENTION_DAYS:,}", t=type(days).__name__))
        days = validate_days(days, "days")
        return now_naive() - timedelta(days=days)

    def count_records_older_than(self, days: int) -> int:
        """How many finished records were sent more than ``days`` days ago."""
        return self._records.count_older_than(self._cutoff(days))

    def delete_records_older_than(self, days: int, *, cancel: CancelToken | None = None,
                                  progress: Callable[[int], None] | None = None) -> int:
        """Delete finished records sent more than ``days`` days ago; returns how many.
        Deletes in batches (cancel stops between batches; what is deleted stays deleted)."""
        cutoff = self._cutoff(days)
        deleted = self._records.delete_older_than(
            cutoff,
            should_stop=(lambda: cancel.cancelled) if cancel is not None else None,
            progress=progress,
        )
        log.info("deleted %d sending records older than %d days", deleted, days)
        return deleted
