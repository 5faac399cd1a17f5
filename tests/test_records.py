"""Sending records (R1, R2): filters alone and combined, local days, paging, sorting, counts,
CSV export, retention, and `bimail records`."""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from helpers import add_records as add
from helpers import record_row as make_row

from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.domain.models import RecordFilter, SendResult
from bimail_desktop.mail.cancel import CancelToken
from bimail_desktop.services import Mailbox
from bimail_desktop.services import records as records_service
from bimail_desktop.services.records import day_filter, parse_date_bound
from bimail_desktop.store import open_store
from bimail_desktop.store.record_queries import RecordQueries
from bimail_desktop.store.schema import SendRecordRow

CHINA = timezone(timedelta(hours=8))
BASE = datetime(2024, 5, 1, 12, 0)  # naive UTC


def ids(records: Iterable[Any]) -> list[int]:
    return [r.id for r in records]


@pytest.fixture
def sample(mailbox: Mailbox) -> Mailbox:
    """A small varied set: 3 senders, Chinese template, failures, pending."""
    rows = [
        make_row(0, sender="BI@Acme.com", recipient="boss@acme.com", template="Test Mail"),
        make_row(1, sender="alerts@acme.com", recipient="ops@acme.com", template="销售日报",
                 result="failure", error_code="recipient_rejected",
                 server_reply="550 5.1.1 no such user"),
        make_row(2, sender="alerts@acme.com", recipient="张伟@例子.cn", template="销售日报"),
        make_row(3, sender="noreply@数据.cn", recipient="boss@acme.com", template="Weekly 50%",
                 result="failure", error_code="auth_failed"),
        make_row(4, sender="bi@acme.com", recipient="ann_lee@partner.org",
                 template="Weekly Summary"),
        make_row(5, sender="bi@acme.com", recipient="Boss@ACME.com", template="Daily Sales",
                 result="pending"),
    ]
    add(mailbox, rows)
    return mailbox


# -- filters -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (RecordFilter(), [6, 5, 4, 3, 2, 1]),
        (RecordFilter(sender="bi@acme"), [6, 5, 1]),  # case-insensitive
        (RecordFilter(sender="ALERTS"), [3, 2]),
        (RecordFilter(sender="数据"), [4]),
        (RecordFilter(recipient="boss@acme.com"), [6, 4, 1]),
        (RecordFilter(recipient="张伟"), [3]),
        (RecordFilter(recipient="ann_"), [5]),  # "_" is a character, not a wildcard
        (RecordFilter(template="日报"), [3, 2]),
        (RecordFilter(template="weekly"), [5, 4]),
        (RecordFilter(template="50%"), [4]),  # "%" is a character, not a wildcard
        (RecordFilter(result=SendResult.FAILURE), [4, 2]),
        (RecordFilter(result=SendResult.SUCCESS), [5, 3, 1]),
        (RecordFilter(sender="alerts", result=SendResult.FAILURE), [2]),
        (RecordFilter(sender="acme", recipient="boss", template="mail"), [1]),
        (RecordFilter(sender="nobody"), []),
        (RecordFilter(sender="alerts", template="weekly"), []),
    ],
)
def test_each_filter_alone_and_combined(sample: Mailbox, flt: RecordFilter,
                                        expected: list[int]) -> None:
    assert ids(sample.query_records(flt)) == expected
    assert sample.count_records(flt) == len(expected)


def test_record_holds_everything_stored(sample: Mailbox) -> None:
    record = sample.get_record(2)
    assert record.sender == "alerts@acme.com"
    assert record.template == "销售日报"
    assert record.resources == ("/dashboards/1",)
    assert record.result is SendResult.FAILURE
    assert record.error_code == "recipient_rejected"
    assert record.server_reply == "550 5.1.1 no such user"
    assert record.sent_at == datetime(2024, 5, 1, 12, 1, tzinfo=UTC)
    with pytest.raises(BimailError) as caught:
        sample.get_record(999)
    assert caught.value.code is ErrorCode.NOT_FOUND


def test_non_ascii_letters_match_ignoring_case(mailbox: Mailbox) -> None:
    add(mailbox, [make_row(0, recipient="ÉLISE@exemple.fr"), make_row(1, template="Отчёт")])
    assert ids(mailbox.query_records(RecordFilter(recipient="élise"))) == [1]
    assert ids(mailbox.query_records(RecordFilter(template="ОТЧЁТ"))) == [2]


def test_local_calendar_days(mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch) -> None:
    """A day is a day in the user's time zone; until includes its whole day."""
    monkeypatch.setattr(records_service, "LOCAL_TZ", CHINA)
    add(mailbox, [
        make_row(0, sent_at=datetime(2024, 4, 30, 15, 59)),  # 04-30 23:59 in China
        make_row(1, sent_at=datetime(2024, 4, 30, 16, 0)),  # 05-01 00:00
        make_row(2, sent_at=datetime(2024, 5, 1, 15, 59, 59)),  # 05-01 23:59:59
        make_row(3, sent_at=datetime(2024, 5, 1, 16, 0)),  # 05-02 00:00
    ])
    since, until = day_filter(date(2024, 5, 1), date(2024, 5, 1))
    assert ids(mailbox.query_records(RecordFilter(since=since, until=until))) == [3, 2]
    since, _ = day_filter(date(2024, 5, 2), None)
    assert ids(mailbox.query_records(RecordFilter(since=since))) == [4]
    _, until = day_filter(None, date(2024, 4, 30))
    assert ids(mailbox.query_records(RecordFilter(until=until))) == [1]
    assert mailbox.count_records(RecordFilter(until=until)) == 1
    shown = records_service.record_to_dict(mailbox.get_record(2))["sent_at"]
    assert shown == "2024-05-01T00:00:00+08:00"


def test_parse_date_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records_service, "LOCAL_TZ", CHINA)
    assert parse_date_bound("2024-05-01", field="--since", end=False) == \
        datetime(2024, 5, 1, tzinfo=CHINA)
    assert parse_date_bound("2024-05-01", field="--until", end=True) == \
        datetime(2024, 5, 2, tzinfo=CHINA)
    assert parse_date_bound("2024-05-01T08:30Z", field="--since", end=False) == \
        datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
    for bad in ("2024-13-01", "yesterday", "", "2024-05-01T25:00"):
        with pytest.raises(BimailError) as caught:
            parse_date_bound(bad, field="--until", end=True)
        assert caught.value.code is ErrorCode.INVALID_INPUT
        assert caught.value.field == "--until"


# -- paging, sorting, counts ---------------------------------------------------------------
def test_paging_boundaries(mailbox: Mailbox) -> None:
    # pairs of records with the same send time: ties are broken by id, never duplicated
    add(mailbox, [make_row(i, sent_at=BASE + timedelta(minutes=i // 2)) for i in range(250)])
    pages = [mailbox.query_records(offset=o, limit=100) for o in (0, 100, 200, 250, 1000)]
    assert [len(p) for p in pages] == [100, 100, 50, 0, 0]
    seen = [i for page in pages for i in ids(page)]
    assert seen == list(range(250, 0, -1))
    assert ids(mailbox.query_records(offset=249, limit=5)) == [1]
    assert mailbox.count_records() == 250
    for bad in ({"offset": -1}, {"limit": 0}, {"limit": 10_001}, {"sort": "password"}):
        with pytest.raises(BimailError) as caught:
            mailbox.query_records(**bad)  # type: ignore[arg-type]
        assert caught.value.code is ErrorCode.INVALID_INPUT


@pytest.mark.parametrize("column", ["sent_at", "sender", "recipient", "template", "result",
                                    "ip", "resources"])
@pytest.mark.parametrize("descending", [True, False])
def test_sorting_by_any_column(mailbox: Mailbox, column: str, descending: bool) -> None:
    rnd = random.Random(column)
    add(mailbox, [make_row(i, sender=rnd.choice(["a@x", "b@x", "c@x"]),
                           recipient=rnd.choice(["p@y", "q@y"]),
                           template=rnd.choice(["T1", "T2"]), ip=rnd.choice(["1", "2"]),
                           resources=json.dumps([rnd.choice("xyz")]),
                           result=rnd.choice(["success", "failure"]),
                           sent_at=BASE + timedelta(minutes=rnd.randint(0, 20)))
                  for i in range(60)])
    everything = mailbox.query_records(limit=1000)

    def key(r: Any) -> tuple[Any, ...]:
        value = getattr(r, column)
        value = json.dumps(list(value)) if column == "resources" else str(value)
        return (r.sent_at, r.id) if column == "sent_at" else (value, r.sent_at, r.id)

    expected = ids(sorted(everything, key=key, reverse=descending))
    got = [r for o in range(0, 60, 25)
           for r in mailbox.query_records(sort=column, descending=descending, offset=o,
                                          limit=25)]
    assert ids(got) == expected


@pytest.mark.sqlite_only
def test_fast_queries_agree_with_plain_sql(mailbox: Mailbox) -> None:
    """The planned SQLite queries return exactly what a plain LIKE query returns, for many
    random filter combinations over skewed data."""
    rnd = random.Random(5)
    senders = ["bi@acme.com"] * 8 + ["alerts@acme.com", "ops@other.org", "x@数据.cn"]
    recipients = [f"u{i}@{d}" for i in range(40) for d in ("acme.com", "corp.cn")]
    templates = ["Daily", "Weekly", "日报", "Test Mail"]
    add(mailbox, [make_row(i, sender=rnd.choice(senders), recipient=rnd.choice(recipients),
                           template=rnd.choice(templates),
                           result="failure" if rnd.random() < 0.1 else "success",
                           sent_at=BASE + timedelta(hours=rnd.randint(0, 24 * 60)))
                  for i in range(1500)])
    queries = RecordQueries(mailbox.store)
    assert queries.fast_path()
    needles = {"sender": ["", "", "acme", "ALERTS", "数据", "org", "zz"],
               "recipient": ["", "", "u1", "U12@", "corp", "acme.com"],
               "template": ["", "", "daily", "日", "mail", "week"]}
    for _ in range(150):
        since = BASE + timedelta(days=rnd.randint(0, 60)) if rnd.random() < 0.4 else None
        until = BASE + timedelta(days=rnd.randint(0, 70)) if rnd.random() < 0.4 else None
        flt = RecordFilter(
            sender=rnd.choice(needles["sender"]), recipient=rnd.choice(needles["recipient"]),
            template=rnd.choice(needles["template"]),
            since=since.replace(tzinfo=UTC) if since else None,
            until=until.replace(tzinfo=UTC) if until else None,
            result=rnd.choice([None, None, SendResult.FAILURE, SendResult.SUCCESS]))
        q = mailbox.records._record_query(flt)
        sort = rnd.choice(["sent_at", "sent_at", "sender", "recipient", "template", "result"])
        desc = rnd.random() < 0.7
        offset = rnd.choice([0, 0, 10, 100])
        fast = queries.page(q, sort=sort, descending=desc, offset=offset, limit=50)
        plain = queries._generic_page(q, sort, desc, offset, 50)
        assert [r[0] for r in fast] == [r[0] for r in plain], (flt, sort, desc, offset)
        assert queries.count(q) == queries._generic_count(q), flt


def test_counts_stay_exact_after_updates_and_deletes(mailbox: Mailbox) -> None:
    add(mailbox, [make_row(i, result="pending", sender=f"s{i % 3}@acme.com")
                  for i in range(30)])
    with mailbox.store.write() as session:
        for row in session.query(SendRecordRow).filter(SendRecordRow.id <= 10):
            row.result = "failure"
            row.sender = "moved@acme.com"
        session.query(SendRecordRow).filter(SendRecordRow.id > 25).delete()
    assert mailbox.count_records() == 25
    assert mailbox.count_records(RecordFilter(result=SendResult.FAILURE)) == 10
    assert mailbox.count_records(RecordFilter(sender="moved")) == 10
    assert mailbox.count_records(RecordFilter(sender="s0@")) == 5  # ids 12,15,18,21,24


def test_latest_record_id_and_change_token(mailbox: Mailbox) -> None:
    assert mailbox.latest_record_id() == 0
    token = mailbox.records_change_token()
    add(mailbox, [make_row(0, result="pending")])
    assert mailbox.latest_record_id() == 1
    assert mailbox.records_change_token() != token
    token = mailbox.records_change_token()
    with mailbox.store.write() as session:
        session.get(SendRecordRow, 1).result = "success"  # type: ignore[union-attr]
    assert mailbox.records_change_token() != token


def test_migration_fills_value_table_from_existing_records(tmp_path: Path) -> None:
    """A store that already had records when 0002 arrived counts them right."""
    from alembic import command

    from bimail_desktop.store.engine import _alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = open_store(url)
    with store.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0001")
    with store.write() as session:
        session.add_all([make_row(i, sender=f"s{i % 2}@acme.com") for i in range(10)])
    store.dispose()
    with Mailbox.open(url) as box:
        assert box.count_records() == 10
        assert box.count_records(RecordFilter(sender="s1@")) == 5
        add(box, [make_row(20, sender="s1@acme.com")])
        assert box.count_records(RecordFilter(sender="s1@")) == 6


# -- CSV -----------------------------------------------------------------------------------
def read_csv(path: Path) -> tuple[bytes, list[list[str]]]:
    raw = path.read_bytes()
    return raw[:3], list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_export_utf8_bom_chinese_and_local_time(sample: Mailbox, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records_service, "LOCAL_TZ", CHINA)
    add(sample, [make_row(9, template='He said "hi", then\nleft', resources="[]")])
    out = tmp_path / "records.csv"
    seen: list[int] = []
    assert sample.export_records_csv(RecordFilter(), out, progress=seen.append) == 7
    bom, rows = read_csv(out)
    assert bom == b"\xef\xbb\xbf"  # Excel reads UTF-8 only with the BOM
    assert rows[0][:7] == ["Sender", "IP Address", "Receive Email", "Template Name",
                           "Accessed Resources", "Send Time", "Send Time (UTC)"]
    assert len(rows) == 8
    assert rows[1][3] == 'He said "hi", then\nleft'
    assert rows[1][4] == ""
    by_template = {r[3]: r for r in rows[1:]}
    chinese = by_template["销售日报"]
    assert chinese[2] in {"ops@acme.com", "张伟@例子.cn"}
    assert by_template["Test Mail"][5] == "2024-05-01 20:00:00"  # local (UTC+8)
    assert by_template["Test Mail"][6] == "2024-05-01 12:00:00"
    assert by_template["Test Mail"][4] == "/dashboards/1"
    assert seen and seen[-1] == 7
    failed = sample.export_records_csv(RecordFilter(result=SendResult.FAILURE), out)
    assert failed == 2
    _, rows = read_csv(out)
    assert [r[7] for r in rows[1:]] == ["failure", "failure"]
    assert rows[1][8] == "auth_failed"


def test_csv_in_the_system_time_zone(mailbox: Mailbox, tmp_path: Path) -> None:
    add(mailbox, [make_row(0, resources=json.dumps(["a", "b, c"]))])
    out = tmp_path / "r.csv"
    mailbox.export_records_csv(None, out)
    _, rows = read_csv(out)
    expected = datetime(2024, 5, 1, 12, tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert rows[1][5] == expected
    assert rows[1][4] == "a; b, c"


def test_cancelled_export_leaves_no_file(mailbox: Mailbox, tmp_path: Path) -> None:
    add(mailbox, [make_row(i) for i in range(6_000)])  # more than one batch
    out = tmp_path / "big.csv"
    token = CancelToken()

    def progress(rows: int) -> None:
        token.cancel()  # the user presses Cancel after the first batch

    with pytest.raises(BimailError) as caught:
        mailbox.export_records_csv(RecordFilter(), out, cancel=token, progress=progress)
    assert caught.value.code is ErrorCode.INTERRUPTED
    assert list(tmp_path.glob("*big.csv*")) == []
    out.write_text("old export", "utf-8")
    with pytest.raises(BimailError):
        mailbox.export_records_csv(RecordFilter(), out, cancel=token)
    assert out.read_text("utf-8") == "old export"  # an earlier file is left as it was
    assert sorted(p.name for p in tmp_path.iterdir() if "big" in p.name) == ["big.csv"]


def test_export_to_a_bad_place(mailbox: Mailbox, tmp_path: Path) -> None:
    for target in (tmp_path, tmp_path / "missing" / "x.csv"):
        with pytest.raises(BimailError) as caught:
            mailbox.export_records_csv(RecordFilter(), target)
        assert caught.value.code is ErrorCode.INVALID_INPUT


# -- retention -----------------------------------------------------------------------------
def test_retention(mailbox: Mailbox) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    add(mailbox, [
        make_row(0, sent_at=now - timedelta(days=400)),
        make_row(1, sent_at=now - timedelta(days=200), sender="old@acme.com"),
        make_row(2, sent_at=now - timedelta(days=200), result="pending"),  # still sending
        make_row(3, sent_at=now - timedelta(days=10)),
    ])
    assert mailbox.count_records_older_than(365) == 1
    assert mailbox.count_records_older_than(30) == 2
    assert mailbox.delete_records_older_than(30) == 2
    assert ids(mailbox.query_records()) == [4, 3]
    assert mailbox.count_records(RecordFilter(sender="old@")) == 0
    assert mailbox.count_records() == 2
    for bad in (0, -3, "7"):
        with pytest.raises(BimailError) as caught:
            mailbox.count_records_older_than(bad)  # type: ignore[arg-type]
        assert caught.value.code is ErrorCode.INVALID_INPUT


# -- CLI -----------------------------------------------------------------------------------
def cli_store(cli: Any, rows: Iterable[SendRecordRow]) -> str:
    url: str = cli.db_url
    cli.home.mkdir(parents=True, exist_ok=True)
    store = open_store(url)
    with store.write() as session:
        session.add_all(list(rows))
    store.dispose()
    return url


def test_cli_records_filters_and_json(cli: Any) -> None:
    cli_store(cli, [
        make_row(0, sender="bi@acme.com", template="销售日报", recipient="boss@acme.com",
                 resources=json.dumps(["/d/1", "/d/2"])),
        make_row(1, sender="alerts@acme.com", result="failure", error_code="auth_failed"),
        make_row(2, sender="bi@acme.com", template="Weekly"),
    ])
    result = cli("--json", "records", "--sender", "BI@", "--template", "日报")
    assert result.returncode == 0, result.stderr
    data = result.json()
    assert isinstance(data, list) and len(data) == 1
    record = data[0]
    for key in ("sender", "ip", "recipient", "template", "resources", "sent_at", "result",
                "error_code"):
        assert key in record
    assert record["resources"] == ["/d/1", "/d/2"]
    assert record["template"] == "销售日报"
    assert datetime.fromisoformat(record["sent_at"]).utcoffset() is not None
    assert datetime.fromisoformat(record["sent_at"]) == datetime(2024, 5, 1, 12, tzinfo=UTC)

    failures = cli("records", "--result", "failure", "--json").json()
    assert [r["error_code"] for r in failures] == ["auth_failed"]
    page = cli("--json", "records", "--limit", "1", "--offset", "1").json()
    assert [r["template"] for r in page] == ["Daily Sales"]
    text = cli("records")
    assert text.returncode == 0
    assert "销售日报" in text.stdout and "of 3" in text.stdout


def test_cli_dates_are_local_days(cli: Any) -> None:
    cli_store(cli, [
        make_row(0, sent_at=datetime(2024, 4, 30, 15, 59)),  # 04-30 23:59 in Shanghai
        make_row(1, sent_at=datetime(2024, 4, 30, 16, 0)),  # 05-01 00:00
        make_row(2, sent_at=datetime(2024, 5, 1, 15, 59)),  # 05-01 23:59
        make_row(3, sent_at=datetime(2024, 5, 1, 16, 0)),  # 05-02 00:00
    ])
    cli.env["TZ"] = "Asia/Shanghai"
    data = cli("--json", "records", "--since", "2024-05-01", "--until", "2024-05-01").json()
    assert [r["sent_at"] for r in data] == ["2024-05-01T23:59:00+08:00",
                                            "2024-05-01T00:00:00+08:00"]
    data = cli("--json", "records", "--until", "2024-04-30").json()
    assert len(data) == 1
    data = cli("--json", "records", "--since", "2024-05-01T16:00:00Z").json()
    assert [r["sent_at"] for r in data] == ["2024-05-02T00:00:00+08:00"]


@pytest.mark.parametrize(("args", "field"), [
    (["--since", "2024-02-30"], "--since"),
    (["--until", "tomorrow"], "--until"),
    (["--since", "2024-05-02", "--until", "2024-05-01"], "--until"),
    (["--result", "maybe"], "--result"),
    (["--limit", "0"], "--limit"),
    (["--offset", "x"], "--offset"),
    (["--delete-older-than", "0"], "--delete-older-than"),
])
def test_cli_bad_input_exit_2(cli: Any, args: list[str], field: str) -> None:
    result = cli("--json", "records", *args)
    assert result.returncode == 2
    error = result.json()["error"]  # type: ignore[index]
    assert error["code"] == "invalid_input"
    assert error["field"] == field
    if field == "--since":  # the same, for people
        plain = cli("records", *args)
        assert plain.returncode == 2 and field in plain.stderr


def test_cli_csv_export(cli: Any, tmp_path: Path) -> None:
    cli_store(cli, [make_row(i, template="日报" if i % 2 else "Weekly") for i in range(5)])
    out = tmp_path / "out.csv"
    result = cli("--json", "records", "--template", "日报", "--csv", str(out))
    assert result.returncode == 0, result.stderr
    assert result.json() == {"file": str(out), "rows": 2}
    bom, rows = read_csv(out)
    assert bom == b"\xef\xbb\xbf"
    assert [r[3] for r in rows[1:]] == ["日报", "日报"]


def test_cli_retention(cli: Any) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    cli_store(cli, [make_row(0, sent_at=now - timedelta(days=100)),
                          make_row(1, sent_at=now - timedelta(days=1))])
    dry = cli("--json", "records", "--delete-older-than", "30")
    assert dry.returncode == 0
    assert dry.json() == {"older_than_days": 30, "matching": 1, "deleted": 0}
    assert "--yes" in cli("records", "--delete-older-than", "30").stdout
    done = cli("--json", "records", "--delete-older-than", "30", "--yes").json()
    assert done == {"older_than_days": 30, "matching": 1, "deleted": 1}
    assert len(cli("--json", "records").json()) == 1
    mixed = cli("records", "--delete-older-than", "30", "--sender", "x")
    assert mixed.returncode == 2
    assert "delete-older-than" in cli("records", "--help").stdout


# -- CSV injection: a cell a spreadsheet would run as a formula is written as text ------------
HOSTILE = {
    "sender": "=HYPERLINK(\"http://evil\",\"x\")@acme.com",
    "recipient": "+1-555@example.com",
    "template": "-2+3",
    "server_reply": "\r550 cr first",
    "message_id": "=cmd|' /C calc'!A0",
    "resources": json.dumps(["=1+1", "/ok"]),
}


@pytest.mark.parametrize("fast", [True, False], ids=["sqlite-printf", "generic"])
def test_csv_cells_that_start_a_formula_are_neutralised(
    mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    if not fast:
        monkeypatch.setattr(RecordQueries, "fast_path", lambda self: False)
    add(mailbox, [make_row(0, result="failure", error_code="recipient_rejected", **HOSTILE),
                  make_row(1, recipient="plain@example.com", template="a=b"),
                  make_row(2, template="\tindented", server_reply="@here",
                           resources=json.dumps(["\tescaped in JSON", "b"]))])
    out = tmp_path / "records.csv"
    assert mailbox.export_records_csv(RecordFilter(), out, descending=False) == 3
    _bom, rows = read_csv(out)
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["Sender"] == "'" + HOSTILE["sender"]
    assert first["Receive Email"] == "'+1-555@example.com"
    assert first["Template Name"] == "'-2+3"
    assert first["Server Reply"] == "'\r550 cr first"
    assert first["Message ID"] == "'=cmd|' /C calc'!A0"
    assert first["Accessed Resources"] == "'=1+1; /ok"
    second = dict(zip(header, rows[2], strict=True))
    # text that only contains such a character is left exactly as it is
    assert (second["Receive Email"], second["Template Name"]) == ("plain@example.com", "a=b")
    assert second["Error Code"] == "" and second["Send Result"] == "success"
    third = dict(zip(header, rows[3], strict=True))
    assert (third["Template Name"], third["Server Reply"]) == ("'\tindented", "'@here")
    assert third["Accessed Resources"] == "'\tescaped in JSON; b"


def test_cli_csv_is_neutralised_too(cli: Any, tmp_path: Path) -> None:
    cli_store(cli, [make_row(0, recipient="=2+5@example.com")])
    out = tmp_path / "out.csv"
    assert cli("records", "--csv", str(out)).returncode == 0
    _bom, rows = read_csv(out)
    assert rows[1][2] == "'=2+5@example.com"
