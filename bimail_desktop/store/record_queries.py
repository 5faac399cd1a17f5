"""Queries on the sending records that stay fast at millions of rows.

The records view filters by sender, recipient and template (case-insensitive substrings), a
send-time range and the result, in any combination, sorted by any column, one page at a
time, with a total count. On SQLite (the program's own store) this module plans each query
itself, because the right index depends on how many rows a filter matches:

* A substring filter is first resolved against ``send_record_values`` (the distinct values
  of each column with their record counts, kept exact by triggers; migration 0002): a scan
  of a few thousand short strings instead of a million rows. That yields the matching
  values, the exact number of records each filter matches alone, and often the total.
* Every filter column has an index ``(column, sent_at)``; those of the result, the sender
  and the template go on with the other filter columns (migration 0007: the other filters
  are tested inside the index, without reading table rows). The planner below estimates,
  for each usable index, how many index entries and table rows the query would touch —
  walking an index already in the requested order stops after one page, a selective filter
  reads only its own entries and sorts them — and forces the cheapest with ``INDEXED BY``.
* A filter the chosen index does not apply is tested on each row it reads, rarest filter
  first, with the cheapest test that is exact for the values the column holds: none when
  every value matches, "none of these few" when nearly every value does, else a LIKE. A
  broad combination counted over the covering index (three filters of which none is rare)
  costs about a fifth less that way.
* Pages are read in two steps: the ids of the page (usually from an index alone), then the
  rows of those ids.

Other databases (PostgreSQL, MySQL) get the same answers from a plain SQLAlchemy query with
a case-insensitive LIKE and the same b-tree indexes.

Times are naive UTC, as stored in ``send_records.sent_at``.

One module on purpose: the planner's cost estimates, the index hints and the page queries
must agree with each other, so they change together.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, text
from sqlalchemy.orm import Session

from ..domain.errors import BimailError
from .engine import Store
from .schema import SendRecordRow
from .server_pages import Resolved, ServerPages, text_condition

# the column order of every raw record tuple this module returns
RECORD_COLUMNS = (
    "id",
    "message_id",
    "sender",
    "ip",
    "recipient",
    "template",
    "resources",
    "sent_at",
    "result",
    "error_code",
    "error_message",
    "server_reply",
    "duration_ms",
)
SORTABLE = frozenset(
    {"sent_at", "sender", "ip", "recipient", "template", "resources", "result", "error_code",
     "duration_ms", "message_id", "id"}
)
TEXT_KINDS = ("sender", "recipient", "template")
VALUES_TABLE = "send_record_values"
INDEX = {
    "sent_at": "ix_send_records_sent_at",
    "scan": "ix_send_records_filter_scan",  # covering: (sent_at, every filter column)
    "sender": "ix_send_records_sender_sent_at",
    "recipient": "ix_send_records_recipient_sent_at",
    "template": "ix_send_records_template_sent_at",
    "result": "ix_send_records_result_sent_at",
}
SQLITE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's storage format for DateTime
# the filters each index can test without reading the table row ("date": sent_at, in
# every index); the indexes of the sender and the template cover the other texts, the
# result's and the scan index every filter (migration 0007); the others their own column
_EVERY_FILTER = frozenset({"date", "result", "sender", "template", "recipient"})
COVERS = {
    "scan": _EVERY_FILTER,
    "result": _EVERY_FILTER,
    "sender": _EVERY_FILTER - {"result"},
    "template": _EVERY_FILTER - {"result"},
}
# explicit value lists up to this size are bound as parameters; larger ones use a subquery
MAX_BOUND_VALUES = 500
# a filter tested on each row that all but this many of its column's values match is
# tested as "not one of these" (a comparison each is cheaper than a substring search)
MAX_OTHERS = 3
# relative costs for the planner, measured at a million rows: one entry of a narrow index
# = 1; an entry of the covering scan index with its filters tested; a table row fetched by
# id (random access into a file of hundreds of MB); a row through the sorter; one seek
COST_COVERING = 2.0
COST_ROW_LOOKUP = 40.0
COST_SORT = 5.0
COST_SEEK = 8.0

RawRecord = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class RecordQuery:
    """A filter in store terms: substrings (case-insensitive), naive-UTC bounds."""

    sender: str = ""
    recipient: str = ""
    template: str = ""
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    result: str | None = None

    def text(self, kind: str) -> str:
        value: str = getattr(self, kind)
        return value

    @property
    def is_empty(self) -> bool:
        return not (self.sender or self.recipient or self.template or self.since
                    or self.until or self.result)


def sqlite_time(value: datetime) -> str:
    return value.strftime(SQLITE_TIME_FORMAT)


def like_pattern(needle: str) -> str:
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _needs_unicode_folding(needle: str) -> bool:
    """SQLite's LIKE folds ASCII letters only; a needle with other cased letters (É, Ж)
    is matched in Python instead."""
    return any(ord(ch) > 127 and ch.lower() != ch.upper() for ch in needle)


@dataclass(slots=True)
class _Match:
    """The distinct values of one column that contain a filter's needle."""

    kind: str
    needle: str
    values: list[str]
    rows: int  # records matching this filter alone (exact)
    by_pattern: bool = False  # bind the values as a LIKE subquery instead of a list
    # the column's values that do NOT match, when there are at most MAX_OTHERS of them
    # (None: more); read in the same transaction as the records, so exact for them
    others: list[str] | None = None

    def predicate(self, params: dict[str, Any], *, residual: bool = False) -> str | None:
        """The SQL condition (None: every record matches it). The filter that drives an
        index lists its values (one seek each); a filter merely tested on each row is
        whichever test is cheapest per row: nothing when every value matches, "not one of
        these few" when nearly every value matches (a comparison or two instead of a
        substring search), a LIKE when it has many values (a substring test is cheaper
        than a look-up in a long list)."""
        if residual and self.others is not None and len(self.others) < len(self.values):
            if not self.others:
                return None
            tests = []
            for i, value in enumerate(self.others):
                params[f"{self.kind}_not_{i}"] = value
                tests.append(f"{self.kind} <> :{self.kind}_not_{i}")
            return " AND ".join(tests)
        if residual and len(self.values) > 8 and not _needs_unicode_folding(self.needle):
            params[f"{self.kind}_like"] = like_pattern(self.needle)
            return f"{self.kind} LIKE :{self.kind}_like ESCAPE '\\'"
        if self.by_pattern:
            params[f"{self.kind}_pat"] = like_pattern(self.needle)
            return (f"{self.kind} IN (SELECT value FROM {VALUES_TABLE} WHERE kind = "
                    f"'{self.kind}' AND value LIKE :{self.kind}_pat ESCAPE '\\')")
        names = []
        for i, value in enumerate(self.values):
            params[f"{self.kind}_{i}"] = value
            names.append(f":{self.kind}_{i}")
        if len(names) == 1:
            return f"{self.kind} = {names[0]}"
        return f"{self.kind} IN ({', '.join(names)})"


@dataclass(slots=True)
class _Candidate:
    column: str  # key of INDEX
    entries: float  # index entries read
    enforced: set[str]  # filters the index range applies (no table lookup needed)
    single: bool  # one exact value on the leading column: output is in sent_at order
    seeks: int = 1


@dataclass(slots=True)
class _Plan:
    where: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    index: str | None = None
    empty: bool = False  # nothing can match
    exact_count: int | None = None


class RecordQueries:
    """Reading and deleting records; one instance per store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._fast: bool | None = None
        self._pages: ServerPages | None = None
        # exact counts by filter, valid while the change token stays the same
        self._counts: dict[RecordQuery, tuple[str, int]] = {}

    # -- capability --------------------------------------------------------------------
    def fast_path(self) -> bool:
        """SQLite with the value table of migration 0002."""
        if self._fast is None:
            if not self.store.is_sqlite:
                self._fast = False
            else:
                with self.store.read() as session:
                    found = session.connection().exec_driver_sql(
                        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (VALUES_TABLE,),
                    ).first()
                self._fast = found is not None
        return self._fast

    # -- public queries ----------------------------------------------------------------
    def page(self, q: RecordQuery, *, sort: str = "sent_at", descending: bool = True,
             offset: int = 0, limit: int = 100) -> list[RawRecord]:
        if not self.fast_path():
            return self._generic_page(q, sort, descending, offset, limit)
        with self.store.read() as session:
            cur = _cursor(session)
            plan = self._plan(cur, q, sort=sort, need=offset + limit)
            if plan.empty or limit <= 0:
                return []
            sql = (f"SELECT id FROM send_records{_indexed(plan)}{_where(plan)} "
                   f"ORDER BY {_order(sort, descending)} LIMIT :limit OFFSET :offset")
            ids = [row[0] for row in cur.execute(
                sql, {**plan.params, "limit": limit, "offset": offset})]
            if not ids:
                return []
            marks = ", ".join("?" * len(ids))
            rows = {row[0]: row for row in cur.execute(
                f"SELECT {', '.join(RECORD_COLUMNS)} FROM send_records WHERE id IN ({marks})",
                ids)}
            return [rows[i] for i in ids if i in rows]

    def count(self, q: RecordQuery, *, up_to: int | None = None) -> int:
        """The number of matching records. With ``up_to``: counting stops after
        ``up_to + 1`` matches, so a result above ``up_to`` means "more than ``up_to``"
        (a broad filter over millions of records answers in milliseconds). On SQLite exact
        counts are remembered until the records change (:meth:`change_token`)."""
        if not self.fast_path():
            return self._generic_count(q, up_to)
        token = self.change_token()  # two index look-ups on SQLite
        cached = self._counts.get(q)
        if cached is not None and cached[0] == token:
            return cached[1] if up_to is None else min(cached[1], up_to + 1)
        with self.store.read() as session:
            cur = _cursor(session)
            plan = self._plan(cur, q, sort=None, need=None)
            if plan.empty:
                n = 0
            elif plan.exact_count is not None:
                n = plan.exact_count
            else:
                rows = f"send_records{_indexed(plan)}{_where(plan)}"
                if up_to is None:
                    sql = f"SELECT count(*) FROM {rows}"
                else:
                    sql = f"SELECT count(*) FROM (SELECT 1 FROM {rows} LIMIT {int(up_to) + 1})"
                n = int(cur.execute(sql, plan.params).fetchone()[0])
        if up_to is None or n <= up_to:  # an exact figure
            if len(self._counts) >= 64:
                self._counts.clear()
            self._counts[q] = (token, n)
        return n if up_to is None else min(n, up_to + 1)

    def iterate(self, q: RecordQuery, *, sort: str = "sent_at", descending: bool = True,
                batch: int = 5000) -> Iterator[list[RawRecord]]:
        """Every matching record, in order, in batches (for exports). One read transaction."""
        if not self.fast_path():
            yield from self._generic_iterate(q, sort, descending, batch)
            return
        with self.store.read() as session:
            cur = _cursor(session)
            plan = self._plan(cur, q, sort=sort, need=None)
            if plan.empty:
                return
            cur.arraysize = batch
            cur.execute(
                f"SELECT {', '.join(RECORD_COLUMNS)} FROM send_records{_indexed(plan)}"
                f"{_where(plan)} ORDER BY {_order(sort, descending)}",
                plan.params,
            )
            while True:
                rows = cur.fetchmany(batch)
                if not rows:
                    return
                yield rows

    def csv_chunks(self, q: RecordQuery, *, sort: str = "sent_at", descending: bool = True,
                   local_time: Callable[[str], str] | None = None,
                   batch: int = 5000) -> Generator[tuple[int, str], None, None]:
        """Every matching record as CSV lines (fields of :data:`CSV_FIELDS`, every text field
        quoted, CRLF), in chunks of up to ``batch`` rows: (rows, text). On SQLite the lines
        are built by SQLite itself, so that a million rows take seconds, not minutes.
        ``local_time`` turns stored UTC text into local "YYYY-MM-DD HH:MM:SS"; None: the
        system's time zone (SQLite's 'localtime')."""
        if not self.fast_path():
            yield from self._generic_csv_chunks(q, sort, descending, local_time, batch)
            return
        with self.store.read() as session:
            cur = _cursor(session)
            plan = self._plan(cur, q, sort=sort, need=None)
            if plan.empty:
                return
            if local_time is None:
                local = "strftime('%Y-%m-%d %H:%M:%S', sent_at, 'localtime')"
            else:
                cur.connection.create_function("bimail_local_time", 1, local_time,
                                               deterministic=True)
                local = "bimail_local_time(sent_at)"
            fields = {**_SQL_CSV_FIELDS, "local_time": local}
            # one printf per row: %w doubles the double quotes inside a field
            fmt = ",".join("%s" if name == "duration_ms" else '"%w"' for name in CSV_FIELDS)
            args = ", ".join(f"coalesce({fields[name]}, '')" for name in CSV_FIELDS)
            line = f"printf('{fmt}', {args})"
            cur.execute(
                f"SELECT {line} FROM send_records{_indexed(plan)}{_where(plan)} "
                f"ORDER BY {_order(sort, descending)}", plan.params)
            while True:
                rows = cur.fetchmany(batch)
                if not rows:
                    return
                yield len(rows), "\r\n".join([row[0] for row in rows]) + "\r\n"

    def _generic_csv_chunks(self, q: RecordQuery, sort: str, descending: bool,
                            local_time: Callable[[str], str] | None,
                            batch: int) -> Iterator[tuple[int, str]]:
        def as_text(value: Any) -> str:
            if isinstance(value, datetime):
                return value.strftime(SQLITE_TIME_FORMAT)
            return str(value)

        def local(value: Any) -> str:
            if local_time is not None:
                return local_time(as_text(value))
            when = value if isinstance(value, datetime) else datetime.fromisoformat(value)
            return when.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")

        for rows in self._generic_iterate(q, sort, descending, batch):
            out = io.StringIO()
            writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC)
            for row in rows:
                data = dict(zip(RECORD_COLUMNS, row, strict=True))
                data["resources"] = resources_text(data["resources"])
                data["local_time"] = local(data["sent_at"])
                data["sent_at"] = as_text(data["sent_at"])[:19]
                writer.writerow([
                    "" if data[name] is None
                    else csv_cell(str(data[name])) if name in CSV_OUTSIDE_TEXT
                    else data[name]
                    for name in CSV_FIELDS])
            yield len(rows), out.getvalue()

    def plan_sql(self, q: RecordQuery, *, sort: str = "sent_at", descending: bool = True,
                 offset: int = 0, limit: int | None = 100) -> tuple[str, dict[str, Any]]:
        """The page query the planner would run (for diagnosis and the benchmark)."""
        with self.store.read() as session:
            cur = _cursor(session)
            plan = self._plan(cur, q, sort=sort, need=None if limit is None else offset + limit)
        tail = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
        sql = (f"SELECT id FROM send_records{_indexed(plan)}{_where(plan)} "
               f"ORDER BY {_order(sort, descending)}{tail}")
        return sql, plan.params

    def get(self, record_id: int) -> RawRecord | None:
        with self.store.read() as session:
            row = session.execute(
                select(*_columns()).where(SendRecordRow.id == record_id)
            ).first()
        return None if row is None else tuple(row)

    def latest_id(self) -> int:
        with self.store.read() as session:
            value = session.scalar(select(func.max(SendRecordRow.id)))
        return int(value or 0)

    def change_token(self) -> str:
        """Changes whenever a record is added, finished (pending -> result) or deleted."""
        with self.store.read() as session:
            latest = session.scalar(select(func.max(SendRecordRow.id))) or 0
            counts: Sequence[tuple[Any, Any]]
            if self.fast_path():
                counts = session.connection().exec_driver_sql(
                    f"SELECT value, n FROM {VALUES_TABLE} WHERE kind = 'result' ORDER BY value"
                ).all()
            else:
                # index look-ups only (no count of the whole table): the oldest record goes
                # with retention, the pending ones change when a send finishes
                oldest = session.scalar(select(func.min(SendRecordRow.id))) or 0
                pending = session.scalar(
                    select(func.count()).select_from(SendRecordRow)
                    .where(SendRecordRow.result == "pending")) or 0
                counts = [("oldest", oldest), ("pending", pending)]
        return f"{latest}|" + ",".join(f"{value}={n}" for value, n in counts)

    # -- retention ---------------------------------------------------------------------
    @staticmethod
    def _older(cutoff: datetime) -> ColumnElement[bool]:
        return (SendRecordRow.sent_at < cutoff) & (SendRecordRow.result != "pending")

    def count_older_than(self, cutoff: datetime) -> int:
        with self.store.read() as session:
            value = session.scalar(
                select(func.count()).select_from(SendRecordRow).where(self._older(cutoff)))
        return int(value or 0)

    def delete_older_than(self, cutoff: datetime, *, batch: int = 20_000,
                          should_stop: Callable[[], bool] | None = None,
                          progress: Callable[[int], None] | None = None) -> int:
        """Delete in batches, one short write transaction each, so that sends made
        meanwhile never wait long for the store."""
        deleted = 0
        while True:
            if should_stop is not None and should_stop():
                return deleted
            with self.store.write() as session:
                # the ids first, then the rows: MariaDB/MySQL allow no LIMIT in an IN
                # subquery, and every database deletes by primary key quickly
                ids = list(session.scalars(
                    select(SendRecordRow.id).where(self._older(cutoff)).limit(batch)))
                n = 0
                for start in range(0, len(ids), 1000):
                    result = session.execute(
                        delete(SendRecordRow)
                        .where(SendRecordRow.id.in_(ids[start:start + 1000]))
                        .execution_options(synchronize_session=False))
                    n += int(getattr(result, "rowcount", 0) or 0)
            deleted += n
            if progress is not None:
                progress(deleted)
            if n < batch:
                return deleted

    # -- the SQLite planner ------------------------------------------------------------
    def _match(self, cur: Any, kind: str, needle: str) -> _Match:
        others: list[str] | None
        if _needs_unicode_folding(needle):
            folded = needle.casefold()
            rows: list[tuple[str, int]] = []
            rest: list[tuple[str, int]] = []
            for v, n in cur.execute(
                    f"SELECT value, n FROM {VALUES_TABLE} WHERE kind = ?", (kind,)):
                (rows if folded in v.casefold() else rest).append((v, n))
            others = [v for v, _ in rest] if len(rest) <= MAX_OTHERS else None
        else:
            pattern = like_pattern(needle)
            rows = cur.execute(
                f"SELECT value, n FROM {VALUES_TABLE} WHERE kind = ? AND value LIKE ? "
                f"ESCAPE '\\'", (kind, pattern)).fetchall()
            others = [v for (v,) in cur.execute(
                f"SELECT value FROM {VALUES_TABLE} WHERE kind = ? AND NOT value LIKE ? "
                f"ESCAPE '\\' LIMIT {MAX_OTHERS + 1}", (kind, pattern))]
            if len(others) > MAX_OTHERS:
                others = None
        match = _Match(kind, needle, [v for v, _ in rows], sum(int(n) for _, n in rows),
                       others=others)
        if len(match.values) > MAX_BOUND_VALUES and not _needs_unicode_folding(needle):
            match.by_pattern = True
        return match

    def _plan(self, cur: Any, q: RecordQuery, *, sort: str | None,
              need: int | None) -> _Plan:
        plan = _Plan()
        counts = dict(cur.execute(
            f"SELECT value, n FROM {VALUES_TABLE} WHERE kind = 'result'").fetchall())
        total = sum(int(n) for n in counts.values())
        if total == 0:
            plan.empty = True
            return plan
        matches = [self._match(cur, kind, q.text(kind)) for kind in TEXT_KINDS if q.text(kind)]
        if any(m.rows == 0 for m in matches):
            plan.empty = True
            return plan
        result_rows = int(counts.get(q.result, 0)) if q.result else total
        if q.result and result_rows == 0:
            plan.empty = True
            return plan
        dated = q.since is not None or q.until is not None
        # exact totals without touching the big table
        if not dated:
            singles = [m.rows for m in matches] + ([result_rows] if q.result else [])
            if not singles:
                plan.exact_count = total
            elif len(singles) == 1:
                plan.exact_count = singles[0]

        if q.result:
            plan.where.append("result = :result")
            plan.params["result"] = q.result
        date_fraction = 1.0
        if q.since is not None:
            plan.where.append("sent_at >= :since")
            plan.params["since"] = sqlite_time(q.since)
        if q.until is not None:
            plan.where.append("sent_at < :until")
            plan.params["until"] = sqlite_time(q.until)
        if dated:
            if q.since is not None and q.until is not None and q.since >= q.until:
                plan.empty = True
                return plan
            date_fraction = self._date_fraction(cur, q)

        # candidates: every index whose range applies a filter, plus the sort's own index
        fractions: dict[str, float] = {m.kind: m.rows / total for m in matches}
        if q.result:
            fractions["result"] = result_rows / total
        candidates = [
            _Candidate("sent_at", total * date_fraction, {"date"}, single=False),
            _Candidate("scan", total * date_fraction, {"date"}, single=False),
        ]
        for m in matches:
            seeks = 1 if m.by_pattern else len(m.values)
            candidates.append(_Candidate(m.kind, m.rows * date_fraction, {m.kind, "date"},
                                         single=len(m.values) == 1 and not m.by_pattern,
                                         seeks=seeks))
        if q.result:
            candidates.append(_Candidate("result", result_rows * date_fraction,
                                         {"result", "date"}, single=True))
        if sort in INDEX and sort not in {c.column for c in candidates}:
            candidates.append(_Candidate(sort, float(total), set(), single=False))

        best: tuple[float, _Candidate] | None = None
        for cand in candidates:
            residual = [f for f in fractions if f not in cand.enforced]
            if dated and "date" not in cand.enforced:
                residual.append("date")
            f_res = math.prod(fractions.get(f, date_fraction) for f in residual)
            f_res = max(f_res, 1.0 / total)
            # every residual filter tested inside the index: no table row to read
            covering = set(residual) <= COVERS.get(cand.column, {"date", cand.column})
            if covering and (residual or cand.column == "scan"):
                lookup = COST_COVERING
            else:
                lookup = COST_ROW_LOOKUP if residual else 1.0
            ordered = sort is not None and (
                (sort == cand.column) or (sort == "sent_at" and cand.single)
                or (sort == "sent_at" and cand.column == "scan"))
            if sort is None:
                cost = cand.entries * lookup + cand.seeks * COST_SEEK
            elif ordered:
                wanted = cand.entries if need is None else need / f_res
                cost = min(cand.entries, wanted) * lookup + cand.seeks * COST_SEEK
            else:
                key_lookup = sort not in {"sent_at", "id", cand.column}
                per_entry = COST_ROW_LOOKUP if (residual and not covering) or key_lookup \
                    else lookup
                matched = cand.entries * f_res
                cost = (cand.entries * per_entry + cand.seeks * COST_SEEK
                        + matched * COST_SORT * (1.0 if need is None else 0.3))
            if best is None or cost < best[0]:
                best = (cost, cand)
        assert best is not None
        plan.index = INDEX[best[1].column]
        # the rarest filter first: SQLite tests the conditions of a row in the order given
        # and stops at the first that fails, so most rows meet one test instead of three
        for m in sorted(matches, key=lambda m: m.rows):
            condition = m.predicate(plan.params, residual=m.kind != best[1].column)
            if condition is not None:
                plan.where.append(condition)
        return plan

    @staticmethod
    def _date_fraction(cur: Any, q: RecordQuery) -> float:
        """Share of the records inside [since, until), assuming an even spread over time."""
        low = cur.execute("SELECT min(sent_at) FROM send_records").fetchone()[0]
        high = cur.execute("SELECT max(sent_at) FROM send_records").fetchone()[0]
        if low is None or high is None:
            return 0.0
        start = datetime.fromisoformat(low)
        end = datetime.fromisoformat(high)
        since = max(start, q.since) if q.since is not None else start
        until = min(end, q.until) if q.until is not None else end
        span = (end - start).total_seconds()
        if span <= 0:
            return 1.0
        return max(0.0, min(1.0, (until - since).total_seconds() / span))

    # -- other databases ---------------------------------------------------------------
    def _generic_where(self, q: RecordQuery, resolved: Resolved | None = None
                       ) -> list[ColumnElement[bool]]:
        """The filter as conditions; with the text filters ``resolved`` (migration 0006),
        their value lists too, which let the server use its b-trees."""
        conds: list[ColumnElement[bool]] = []
        if resolved is not None:
            conds += resolved.conditions()
        else:
            for kind in TEXT_KINDS:
                needle = q.text(kind)
                if needle:
                    conds.append(text_condition(kind, needle))
        if q.since is not None:
            conds.append(SendRecordRow.sent_at >= q.since)
        if q.until is not None:
            conds.append(SendRecordRow.sent_at < q.until)
        if q.result:
            conds.append(SendRecordRow.result == q.result)
        return conds

    def _generic_select(self, q: RecordQuery, sort: str, descending: bool,
                        resolved: Resolved | None = None) -> Any:
        keys = [sort] if sort in {"sent_at", "id"} else [sort, "sent_at"]
        keys.append("id")
        order = [getattr(SendRecordRow, k).desc() if descending else getattr(SendRecordRow, k)
                 for k in dict.fromkeys(keys)]
        return select(*_columns()).where(*self._generic_where(q, resolved)).order_by(*order)

    def _server(self, session: Session) -> ServerPages | None:
        """The value table of migration 0006 (PostgreSQL, MariaDB/MySQL), when there."""
        if self._pages is None:
            self._pages = ServerPages(session.get_bind().dialect.name)
        return self._pages if self._pages.available(session) else None

    def _resolve(self, session: Session, q: RecordQuery) -> tuple[Resolved | None,
                                                                    ServerPages | None]:
        texts = {kind: q.text(kind) for kind in TEXT_KINDS if q.text(kind)}
        pages = self._server(session) if texts else None
        if pages is None:
            return None, None
        return pages.resolve(session, texts), pages

    def _generic_page(self, q: RecordQuery, sort: str, descending: bool, offset: int,
                      limit: int) -> list[RawRecord]:
        if limit <= 0:
            return []
        with self.store.read() as session:
            resolved, pages = self._resolve(session, q)
            if resolved is not None and resolved.empty:
                return []
            if resolved is not None and pages is not None and sort == "sent_at":
                ids = pages.page_ids(session, resolved, since=q.since, until=q.until,
                                     result=q.result, descending=descending,
                                     need=offset + limit)
                if ids is not None:
                    ids = ids[offset:offset + limit]
                    if not ids:
                        return []
                    rows = {row[0]: tuple(row) for row in session.execute(
                        select(*_columns()).where(SendRecordRow.id.in_(ids)))}
                    return [rows[i] for i in ids if i in rows]
            stmt = self._generic_select(q, sort, descending, resolved) \
                .offset(offset).limit(limit)
            if session.get_bind().dialect.name == "postgresql" and _has_text(q):
                walked = _walk_first(session, stmt)
                if walked is not None:
                    return walked
            return [tuple(row) for row in session.execute(stmt)]

    def _generic_count(self, q: RecordQuery, up_to: int | None = None) -> int:
        with self.store.read() as session:
            resolved, _pages = self._resolve(session, q)
            if resolved is not None and resolved.empty:
                return 0
            conds = self._generic_where(q, resolved)
            if up_to is None:
                stmt = select(func.count()).select_from(SendRecordRow).where(*conds)
            else:
                matches = select(SendRecordRow.id).where(*conds).limit(up_to + 1).subquery()
                stmt = select(func.count()).select_from(matches)
            return int(session.scalar(stmt) or 0)

    def _generic_iterate(self, q: RecordQuery, sort: str, descending: bool,
                         batch: int) -> Iterator[list[RawRecord]]:
        stmt = self._generic_select(q, sort, descending)
        with self.store.read() as session:
            result = session.execute(stmt.execution_options(yield_per=batch))
            try:
                for part in result.partitions(batch):
                    yield [tuple(row) for row in part]
            finally:
                # a cancelled export closes its server-side cursor here, before the
                # session ends (PostgreSQL, MariaDB: never left open or half-read)
                result.close()


# PostgreSQL: how long the first page may walk the send-time index before the trigram
# plan answers instead
WALK_BUDGET_MS = 40


def _has_text(q: RecordQuery) -> bool:
    return any(getattr(q, name, None) for name in ("sender", "recipient", "template"))


def _walk_first(session: Session, stmt: Any) -> list[RawRecord] | None:
    """PostgreSQL's planner takes the trigram index for any text filter, then sorts every
    match: fine for a rare value, slow for a common one (10 % of a million rows), where
    walking the send-time index newest first finds the page at once. So: walk first, for
    at most :data:`WALK_BUDGET_MS`; None (the caller asks the planner) when that is not
    enough."""
    from sqlalchemy.exc import OperationalError

    savepoint = session.begin_nested()
    try:
        session.execute(text("SET LOCAL enable_bitmapscan = off"))
        session.execute(text(f"SET LOCAL statement_timeout = {WALK_BUDGET_MS}"))
        rows = [tuple(row) for row in session.execute(stmt)]
    except OperationalError as exc:
        if getattr(getattr(exc, "orig", None), "sqlstate", None) != "57014":
            raise  # not the budget running out
        savepoint.rollback()
        return None
    except BimailError:
        savepoint.rollback()
        return None
    session.execute(text("RESET statement_timeout"))
    session.execute(text("RESET enable_bitmapscan"))
    savepoint.commit()
    return rows


# the CSV file's columns, in order (services name them)
CSV_FIELDS = ("sender", "ip", "recipient", "template", "resources", "local_time", "sent_at",
              "result", "error_code", "error_message", "server_reply", "duration_ms",
              "message_id")
# a JSON list of strings without escapes ('["a", "b"]', the way the program writes it) is
# turned into "a; b" by plain string functions; anything else goes through json_each
_SQL_RESOURCES = (
    "CASE WHEN resources IS NULL OR resources IN ('', '[]') THEN '' "
    "WHEN instr(resources, '\\') = 0 AND substr(resources, 1, 2) = '[\"' "
    "AND substr(resources, -2, 2) = '\"]' "
    "THEN replace(replace(substr(resources, 3, length(resources) - 4), '\", \"', '; '), "
    "'\",\"', '; ') "
    "WHEN json_valid(resources) AND json_type(resources) = 'array' "
    "THEN (SELECT group_concat(value, '; ') FROM json_each(send_records.resources)) "
    "ELSE resources END"
)
# A spreadsheet runs a cell that begins with one of these as a formula (CSV injection): such
# a cell gets a leading apostrophe, as OWASP recommends, so that it shows as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# the columns whose text can come from outside (addresses, template names, resources, the
# server's replies, a relayed mail's Message-ID); the others are written by the program
# (times, results, codes, the local IP, catalogue messages that begin with their title)
CSV_OUTSIDE_TEXT = frozenset({"sender", "recipient", "template", "resources", "server_reply",
                              "message_id"})


def csv_cell(text: str) -> str:
    """``text`` safe to open in a spreadsheet: a leading formula character is escaped."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _sql_csv_cell(expression: str, first: str | None = None) -> str:
    """``expression`` as a CSV cell that cannot start a formula. ``first``: a cheaper
    expression whose first character is that of ``expression`` (the resources column,
    whose full text is built by string functions)."""
    # unicode() reads the first character without copying the text: the check costs little
    codes = ", ".join(str(ord(ch)) for ch in FORMULA_STARTS)
    return (f"(CASE WHEN unicode({first or expression}) IN ({codes}) THEN '''' ELSE '' END "
            f"|| coalesce({expression}, ''))")


# the first character of the resources cell: in the usual '["a", "b"]' form it is the third
# character of the stored text; any other form is built in full
_SQL_RESOURCES_FIRST = (
    "CASE WHEN instr(resources, '\\') = 0 AND substr(resources, 1, 2) = '[\"' "
    "THEN substr(resources, 3, 1) ELSE " + _SQL_RESOURCES + " END"
)


_SQL_CSV_FIELDS = {
    name: _sql_csv_cell(expression, _SQL_RESOURCES_FIRST if name == "resources" else None)
    if name in CSV_OUTSIDE_TEXT else expression
    for name, expression in {
        "sender": "sender", "ip": "ip", "recipient": "recipient", "template": "template",
        "resources": _SQL_RESOURCES, "sent_at": "substr(sent_at, 1, 19)", "result": "result",
        "error_code": "error_code", "error_message": "error_message",
        "server_reply": "server_reply", "duration_ms": "duration_ms",
        "message_id": "message_id",
    }.items()
}


def resources_text(value: Any) -> str:
    """The stored JSON list of accessed resources as "a; b"."""
    if not value:
        return ""
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return str(value)
    if isinstance(data, list):
        return "; ".join(str(item) for item in data)
    return str(data)


def _columns() -> list[Any]:
    return [getattr(SendRecordRow, name) for name in RECORD_COLUMNS]


def _cursor(session: Session) -> Any:
    """The DB-API cursor of the session's connection (inside its read transaction)."""
    return session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]


def _indexed(plan: _Plan) -> str:
    return f" INDEXED BY {plan.index}" if plan.index else ""


def _where(plan: _Plan) -> str:
    return f" WHERE {' AND '.join(plan.where)}" if plan.where else ""


def _order(sort: str, descending: bool) -> str:
    direction = "DESC" if descending else "ASC"
    keys: Sequence[str] = [sort] if sort in {"sent_at", "id"} else [sort, "sent_at"]
    keys = list(dict.fromkeys([*keys, "id"]))
    return ", ".join(f"{key} {direction}" for key in keys)
