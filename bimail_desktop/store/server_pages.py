"""The first pages of the records on PostgreSQL and MariaDB/MySQL at millions of rows.

A substring filter has no b-tree to use, and neither server estimates well how many records
"alerts" or "user0042" match. So, for a page in send-time order:

1. Each text filter is resolved against ``send_record_texts`` (every distinct sender,
   recipient and template; migration 0006): its matching values, and their share of all
   values of the column — the estimate of how common the filter is.
2. A common combination walks the send-time index newest first over a window holding
   about :data:`WALK_ROWS` records: the page is usually found within a few hundred rows.
3. What the window did not answer (a rare combination, or a window with too few matches)
   is read through the ``(column, sent_at)`` index of the rarest filter: one short walk,
   newest first, per matching value, merged.

Every query keeps the records' own case-insensitive LIKE for every text filter, so the
rows are those of the plain query whatever the plan; the value lists only choose and drive
the indexes. Times are naive UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    any_,
    bindparam,
    column,
    func,
    or_,
    select,
    table,
    true,
    union,
)
from sqlalchemy.orm import Session

from .schema import SendRecordRow

TEXTS_TABLE = "send_record_texts"
TEXT_KINDS = ("sender", "recipient", "template")
# records the first page may walk newest first before the rarest filter's index is used
WALK_ROWS = 6000
# the rarest filter's values are walked one by one up to this many; more: the server plans
MAX_UNION = 64
# value lists up to this size are added to the server's queries
MAX_IN = 3000
# MariaDB/MySQL: lists up to this size spare identical records the LIKE (a longer one costs
# more to send and parse than it saves on a page)
MAX_BINARY = 500
# a list is offered to the server as an index to use only for a filter of at most this
# share of the values; a commoner one is read faster by scanning the table or walking the
# send-time index
RARE_SHARE = 0.05
# pages deeper than this are left to the server's own plan
MAX_NEED = 1000
# a guess of each result's share of the records (only to choose between plans)
RESULT_SHARE = {"success": 0.9, "failure": 0.1, "pending": 0.01}
INDEX = {
    "sent_at": "ix_send_records_sent_at",
    "sender": "ix_send_records_sender_sent_at",
    "recipient": "ix_send_records_recipient_sent_at",
    "template": "ix_send_records_template_sent_at",
}

_texts = table(TEXTS_TABLE, column("kind"), column("value"))
R = SendRecordRow



def _text_array() -> Any:
    """PostgreSQL's text[] (its dialect is loaded only when a PostgreSQL store asks)."""
    from sqlalchemy.dialects.postgresql import ARRAY

    return ARRAY(String)

@dataclass(slots=True)
class Resolved:
    """The values each text filter matches, and their share of the column's values."""

    texts: dict[str, str] = field(default_factory=dict)  # the filters
    # the matching values; None: more than MAX_IN of them (a broad filter)
    values: dict[str, list[str] | None] = field(default_factory=dict)
    share: dict[str, float] = field(default_factory=dict)
    # a record matches exactly when its value is in the list (PostgreSQL compares text byte
    # for byte); MariaDB/MySQL's collations make equal more than identical: the LIKE stays
    exact_lists: bool = False
    # MariaDB/MySQL: the value table's byte-exact collation; a record identical to a listed
    # value matches without its LIKE being evaluated (a costly collation-aware test)
    binary: str = ""
    # the records' (lowest id, highest id, first send time, last send time)
    extent: tuple[Any, ...] = (None, None, None, None)

    @property
    def empty(self) -> bool:
        return any(values == [] for values in self.values.values())

    def listed(self, kind: str) -> list[str] | None:
        return self.values.get(kind)

    def conditions(self, *, result: str | None = None, but: str | None = None
                   ) -> list[ColumnElement[bool]]:
        """Every filter but the time range (and but the text filter ``but``). A rare
        filter's values are offered to the server as an index to use; a common filter
        keeps the records' own LIKE (a list there made both servers walk thousands of
        values' index entries instead of the send-time index)."""
        conds: list[ColumnElement[bool]] = []
        for kind, needle in self.texts.items():
            if kind == but:
                continue
            values = self.values.get(kind)
            col = getattr(R, kind)
            rare = values is not None and self.share.get(kind, 1.0) <= RARE_SHARE
            if self.exact_lists and values is not None and (rare or len(values) <= MAX_UNION):
                # PostgreSQL reads a few values' index entries well, however common
                conds.append(col == any_(
                    bindparam(f"{kind}_values", values, type_=_text_array())))
                continue  # the list decides alone
            if rare:
                conds.append(col.in_(values))
            if values is not None and self.binary and len(values) <= MAX_BINARY:
                # a record identical to a listed value matches without the costly
                # collation-aware LIKE; a twin (Bi@… for bi@…) is tested by the LIKE
                conds.append(or_(col.collate(self.binary).in_(values),
                                 text_condition(kind, needle)))
            else:
                conds.append(text_condition(kind, needle))
        if result:
            conds.append(R.result == result)
        return conds


def text_condition(kind: str, needle: str) -> ColumnElement[bool]:
    """A text filter on the records: a case-insensitive substring (LIKE)."""
    return func.lower(getattr(R, kind)).contains(needle.lower(), autoescape=True)


class ServerPages:
    """Resolving text filters and reading first pages on one server store."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.mysql = dialect in ("mysql", "mariadb")
        self._available: bool | None = None
        self._collations: dict[str, str] = {}
        self._binary = ""
        # (kind, needle) -> (values of the kind then, matching values or None, matches):
        # values are only ever added, so an unchanged number means an unchanged answer
        self._cache: dict[tuple[str, str], tuple[int, list[str] | None, int]] = {}

    def available(self, session: Session) -> bool:
        if self._available is None:
            from sqlalchemy import inspect

            self._available = inspect(session.connection()).has_table(TEXTS_TABLE)
            if self._available and self.mysql:
                rows: Any = session.execute(select(
                    column("COLUMN_NAME"), column("COLLATION_NAME")).select_from(
                    table("COLUMNS", column("TABLE_SCHEMA"), column("TABLE_NAME"),
                          schema="information_schema")).where(
                    column("TABLE_SCHEMA") == func.database(),
                    column("TABLE_NAME").in_(["send_records", TEXTS_TABLE]),
                    column("COLUMN_NAME").in_([*TEXT_KINDS, "value"]))).all()
                self._collations = {str(name).lower(): str(coll) for name, coll in rows
                                    if coll}
                self._binary = self._collations.pop("value", "")
        return self._available

    # -- step 1 ------------------------------------------------------------------------
    def resolve(self, session: Session, texts: dict[str, str]) -> Resolved:
        """The matching values of each non-empty text filter (the same LIKE as the
        records', applied to each distinct value)."""
        out = Resolved(texts=dict(texts), exact_lists=not self.mysql, binary=self._binary)
        # one round trip: the number of values of each column, and the records' extent
        kinds = list(texts)
        row = session.execute(select(
            *[select(func.count()).select_from(_texts).where(_texts.c.kind == kind)
              .scalar_subquery() for kind in kinds],
            *[select(agg).scalar_subquery() for agg in (
                func.min(R.id), func.max(R.id), func.min(R.sent_at), func.max(R.sent_at))],
        )).one()
        totals = {kind: int(row[i] or 0) for i, kind in enumerate(kinds)}
        out.extent = tuple(row[len(kinds):])
        for kind, needle in texts.items():
            total = totals.get(kind, 0)
            cached = self._cache.get((kind, needle))
            if cached is not None and cached[0] == total:
                values, matches = cached[1], cached[2]
            else:
                values, matches = self._match(session, kind, needle)
                if len(self._cache) >= 256:
                    self._cache.clear()
                self._cache[(kind, needle)] = (total, values, matches)
            out.values[kind] = values
            if matches:
                out.share[kind] = matches / max(total, matches)
        return out

    def _match(self, session: Session, kind: str, needle: str) -> tuple[list[str] | None, int]:
        most = MAX_IN
        value: Any = _texts.c.value
        if self.mysql and kind in self._collations:
            # the records' collation: the value matches exactly when its records do
            value = value.collate(self._collations[kind])
        rows = session.execute(
            select(_texts.c.value, func.count().over()).where(
                _texts.c.kind == kind,
                func.lower(value).contains(needle.lower(), autoescape=True))
            .limit(most + 1)).all()
        if not rows:
            return [], 0
        matches = int(rows[0][1])
        return (None if matches > most else [str(v) for v, _n in rows]), matches

    # -- steps 2 and 3 -----------------------------------------------------------------
    def page_ids(self, session: Session, resolved: Resolved, *, since: datetime | None,
                 until: datetime | None, result: str | None, descending: bool,
                 need: int) -> list[int] | None:
        """The ids of the first ``need`` matching records in send-time order, or None when
        the server's own plan should answer (a deep page)."""
        if need > MAX_NEED:
            return None
        low_id, high_id, first, last = resolved.extent
        if first is None or need <= 0:
            return []
        conds = resolved.conditions(result=result)
        lo = first if since is None else max(first, since)
        hi = last + timedelta(microseconds=1) if until is None \
            else min(until, last + timedelta(microseconds=1))
        if lo >= hi:
            return []
        span = (last - first).total_seconds()
        per_second = (int(high_id) - int(low_id) + 1) / span if span > 0 else float("inf")
        density = RESULT_SHARE.get(result or "", 1.0)
        for share in resolved.share.values():
            density *= share
        ids: list[int] = []
        if density * WALK_ROWS >= need:
            window = timedelta(seconds=WALK_ROWS / per_second) if per_second != float("inf") \
                else hi - lo
            if descending:
                start, end = max(lo, hi - window), hi
            else:
                start, end = lo, min(hi, lo + window)
            ids = self._walk(session, conds, start, end, descending, need)
            if len(ids) >= need or (start, end) == (lo, hi):
                return ids[:need]
            lo, hi = (lo, start) if descending else (end, hi)
        rest = self._rarest(session, resolved, result, lo, hi, descending, need - len(ids))
        return ids + rest

    def _order(self, descending: bool) -> list[Any]:
        if descending:
            return [R.sent_at.desc(), R.id.desc()]
        return [R.sent_at.asc(), R.id.asc()]

    def _hinted(self, stmt: Any, index: str) -> Any:
        if self.mysql:
            return stmt.with_hint(R, f"FORCE INDEX ({index})", self.dialect)
        return stmt

    def _walk(self, session: Session, conds: Sequence[ColumnElement[bool]], start: datetime,
              end: datetime, descending: bool, need: int) -> list[int]:
        stmt = select(R.id).where(R.sent_at >= start, R.sent_at < end, *conds) \
            .order_by(*self._order(descending)).limit(need)
        return [int(i) for i in session.scalars(self._hinted(stmt, INDEX["sent_at"]))]

    def _rarest(self, session: Session, resolved: Resolved, result: str | None,
                lo: datetime, hi: datetime, descending: bool, need: int) -> list[int]:
        if need <= 0 or lo >= hi:
            return []
        ranged = [R.sent_at >= lo, R.sent_at < hi, *resolved.conditions(result=result)]
        kind = min(resolved.share, key=lambda k: resolved.share[k])
        values = resolved.listed(kind)
        if values is None or len(values) > MAX_UNION:  # a broad filter after all
            stmt = select(R.id).where(*ranged).order_by(*self._order(descending)).limit(need)
            return [int(i) for i in session.scalars(stmt)]
        col = getattr(R, kind)
        if not self.mysql:
            # PostgreSQL compares text byte for byte: a record equal to a matching value
            # matches, so its own LIKE is left out (it hid the index order from the
            # planner); one plan walks the index newest first for each value
            others = [*ranged[:2], *resolved.conditions(result=result, but=kind)]
            listed = func.unnest(bindparam("drive_values", values, type_=_text_array())) \
                .table_valued("value").render_derived().alias("drive")
            inner = select(R.id, R.sent_at).where(col == listed.c.value, *others) \
                .order_by(*self._order(descending)).limit(need).lateral("walked")
            key = [inner.c.sent_at.desc(), inner.c.id.desc()] if descending \
                else [inner.c.sent_at.asc(), inner.c.id.asc()]
            stmt = select(inner.c.id).select_from(listed).join(inner, true()) \
                .order_by(*key).limit(need)
            return [int(i) for i in session.scalars(stmt)]
        # MariaDB/MySQL: equal under the column's collation is not always a match (case,
        # trailing spaces), so the LIKE stays; one walk of the forced index per value, and
        # a record equal to several values (Bi@… and bi@…) is counted once (UNION)
        others = [*ranged[:2], *resolved.conditions(result=result, but=kind)]
        needle = text_condition(kind, resolved.texts[kind])

        def own(value: str) -> Any:  # this value's records that match the filter
            if resolved.binary:
                return or_(col.collate(resolved.binary) == value, needle)
            return needle

        parts: list[Any] = [
            self._hinted(select(R.id, R.sent_at).where(col == value, own(value), *others)
                         .order_by(*self._order(descending)).limit(need), INDEX[kind])
            for value in values]
        both: Any = parts[0] if len(parts) == 1 else union(*parts)
        merged = both.subquery()
        key = [merged.c.sent_at.desc(), merged.c.id.desc()] if descending \
            else [merged.c.sent_at.asc(), merged.c.id.asc()]
        stmt = select(merged.c.id).order_by(*key).limit(need)
        return [int(i) for i in session.scalars(stmt)]
