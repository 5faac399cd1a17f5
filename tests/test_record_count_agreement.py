"""Every count the records page shows, and every first page, is what a plain
case-insensitive substring match over the records gives: whatever plan the store picks for
the filter (a value's own index, the covering scan, a value list, "none of these few
values", a substring test), for generated filters over generated records holding Chinese
text, LIKE wildcards and values that differ only in case.

Runs on each backend: an SQLite file, and PostgreSQL and MariaDB databases when their servers
are there (skipped otherwise)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from helpers import RECORDS_BASE, add_records
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bimail_desktop.domain.models import RecordFilter, SendResult
from bimail_desktop.secrets import SecretStore
from bimail_desktop.services import Mailbox
from bimail_desktop.store.schema import SendRecordRow

# all but one sender contain "acme"; two differ from others only in case
SENDERS = ["bi@acme.com", "BI@Acme.com", "alerts@acme.com", "ops_team@acme.com",
           "noreply@数据平台.cn"]
RECIPIENTS = ([f"user{i:02d}@{'acme.com' if i % 3 else 'example.cn'}" for i in range(24)]
              + ["张伟@例子.cn", "张伟2@example.cn", "Zhang.Wei@Example.CN", "100%@acme.com",
                 "a_b@acme.com", "ab@acme.com", "back\\slash@acme.com"])
TEMPLATES = ["Daily Sales", "Weekly Summary", "销售日报", "库存周报", "Report 01",
             "report 02", "REPORT_03", "50% off", "Alert: Threshold"]
N_RECORDS = 400
MINUTES = 7 * 24 * 60  # the records spread over a week


def _rows(seed: int = 3) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    rows = []
    for i in range(N_RECORDS):
        rows.append(dict(
            message_id=f"<{i}@bimail>", ip="10.0.0.5", resources="[]",
            # the first sender is common, the last one rare: every plan gets its turn
            sender=rnd.choices(SENDERS, weights=[40, 5, 25, 25, 5])[0],
            recipient=rnd.choice(RECIPIENTS[:6] if rnd.random() < 0.4 else RECIPIENTS),
            template=rnd.choice(TEMPLATES),
            sent_at=RECORDS_BASE + timedelta(minutes=rnd.randrange(MINUTES)),
            result=rnd.choices(["success", "failure", "pending"], weights=[80, 18, 2])[0]))
    return rows


def _matches(row: dict[str, Any], flt: RecordFilter) -> bool:
    """The plain meaning of a filter (the data is such that every backend agrees on case:
    ASCII letters and Chinese characters); blanks around a needle are not part of it."""
    for kind in ("sender", "recipient", "template"):
        needle = getattr(flt, kind).strip()
        if needle and needle.lower() not in row[kind].lower():
            return False
    if flt.since is not None and row["sent_at"] < flt.since.astimezone(UTC).replace(tzinfo=None):
        return False
    if flt.until is not None and row["sent_at"] >= flt.until.astimezone(UTC).replace(
            tzinfo=None):
        return False
    return flt.result is None or row["result"] == flt.result.value


@pytest.fixture(scope="module", params=("sqlite", "postgresql", "mariadb"))
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[tuple[Mailbox, list[dict[str, Any]]]]:
    """One filled store per backend for the whole module (the tests only read it)."""
    from databases import ServerMissing, create_database, drop_database

    try:
        url = create_database(request.param, tmp_path_factory.mktemp("counts"))
    except ServerMissing as exc:
        pytest.skip(str(exc))
    rows = _rows()
    box = Mailbox.open(url, secrets=SecretStore())
    try:
        add_records(box, [SendRecordRow(**row) for row in rows])
        for i, row in enumerate(rows):
            row["id"] = i + 1
        yield box, rows
    finally:
        box.close()
        drop_database(url)


def _check(box: Mailbox, rows: list[dict[str, Any]], flt: RecordFilter) -> None:
    chosen = sorted(((row["sent_at"], row["id"]) for row in rows if _matches(row, flt)),
                    reverse=True)
    n = len(chosen)
    assert box.count_records(flt) == n, flt
    for bound in {0, 1, max(n - 1, 0), n, n + 5, 100}:
        # the figure, or bound + 1 for "more than bound"
        assert box.count_records(flt, up_to=bound) == min(n, bound + 1), (flt, bound)
    assert [r.id for r in box.query_records(flt, limit=20)] == [i for _t, i in chosen[:20]], flt


def _utc(minutes: int) -> datetime:
    return (RECORDS_BASE + timedelta(minutes=minutes)).replace(tzinfo=UTC)


@pytest.mark.parametrize("flt", [
    RecordFilter(sender="acme"),  # all senders but one
    RecordFilter(sender="acme", recipient="acme.com", template="report"),
    RecordFilter(sender="ACME", recipient="acme", template="o"),  # nearly all of each
    RecordFilter(sender="@", recipient="@", template="e"),  # all of the first two
    RecordFilter(sender="bi@acme", recipient="user0"),  # the case twins
    RecordFilter(sender="cme", template="Report", since=_utc(1000), until=_utc(6000)),
    RecordFilter(sender="acme", template="report", result=SendResult.FAILURE),
    RecordFilter(recipient="张伟", template="日报"),
    RecordFilter(sender="数据", recipient="example"),
    RecordFilter(recipient="%", template="%"),  # wildcards are plain characters
    RecordFilter(recipient="_", sender="_"),
    RecordFilter(recipient="a_b"),
    RecordFilter(recipient="\\"),
    RecordFilter(template="50%", sender="acme"),
    RecordFilter(recipient="nobody", sender="acme"),
    RecordFilter(sender="acme", until=_utc(0)),
])
def test_counts_and_pages_are_those_of_a_plain_match(
        store: tuple[Mailbox, list[dict[str, Any]]], flt: RecordFilter) -> None:
    _check(*store, flt)


def _needles() -> st.SearchStrategy[str]:
    values = SENDERS + RECIPIENTS + TEMPLATES

    @st.composite
    def piece(draw: st.DrawFn) -> str:
        value = draw(st.sampled_from(values))
        start = draw(st.integers(0, len(value) - 1))
        end = draw(st.integers(start + 1, len(value)))
        text = value[start:end]
        case = draw(st.sampled_from(["same", "lower", "upper", "swap"]))
        return {"same": text, "lower": text.lower(), "upper": text.upper(),
                "swap": text.swapcase()}[case]

    special = st.sampled_from(["%", "_", "\\", "张伟", "日报", "ACME", "report", "x", "@",
                               "%@", "_b", "acme.com"])
    return st.one_of(st.just(""), piece(), special)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(sender=_needles(), recipient=_needles(), template=_needles(),
       since=st.none() | st.integers(-10, MINUTES), span=st.none() | st.integers(0, MINUTES),
       result=st.none() | st.sampled_from(list(SendResult)))
def test_generated_filters_count_what_a_plain_match_counts(
        store: tuple[Mailbox, list[dict[str, Any]]], sender: str, recipient: str,
        template: str, since: int | None, span: int | None,
        result: SendResult | None) -> None:
    flt = RecordFilter(sender=sender, recipient=recipient, template=template,
                       since=None if since is None else _utc(since),
                       until=None if span is None else _utc((since or 0) + span),
                       result=result)
    _check(*store, flt)


def test_a_store_of_the_previous_version_counts_the_same_after_the_upgrade(
        backend_url: str) -> None:
    """A store made before the filter indexes covered the other filters, with records in
    it, is upgraded on opening: its counts and pages are those of a plain match, and a
    record added afterwards is counted."""
    from alembic import command
    from sqlalchemy import create_engine, insert

    from bimail_desktop.store.engine import _alembic_config
    from bimail_desktop.store.failures import resolve_url

    rows = _rows(seed=8)[:250]
    engine = create_engine(resolve_url(backend_url))
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0006")
        with engine.begin() as conn:
            conn.execute(insert(SendRecordRow.__table__), rows)  # type: ignore[arg-type]
    finally:
        engine.dispose()
    for i, row in enumerate(rows):
        row["id"] = i + 1
    flts = [RecordFilter(sender="数据", recipient="acme.com", template="report"),
            RecordFilter(sender="acme", template="report", result=SendResult.FAILURE),
            RecordFilter(recipient="张伟", template="日报"),
            RecordFilter(sender="bi@", recipient="user0", until=_utc(5000))]
    with Mailbox.open(backend_url, secrets=SecretStore()) as box:
        for flt in flts:
            _check(box, rows, flt)
        late = dict(rows[0], message_id="<late@bimail>", sender="noreply@数据平台.cn",
                    recipient="user01@acme.com", template="Report 01", result="failure",
                    sent_at=RECORDS_BASE + timedelta(minutes=10))
        add_records(box, [SendRecordRow(**{k: v for k, v in late.items() if k != "id"})])
        late["id"] = len(rows) + 1
        for flt in flts:
            _check(box, [*rows, late], flt)
