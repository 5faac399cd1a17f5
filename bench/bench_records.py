"""Sending records at scale: the product next to what a user would otherwise run.

    python -m bench.bench_records [--records N] [--rounds R] [--no-gui] [--no-export]
    python -m bench.bench_records --db postgresql://…/bimail_bench --records 1000000

Generates N records (default 5,000,000; 1,000,000 with --quick: a dozen senders, 5,000
recipients, 40 templates, two years, ~5 % failures) into a store created by the product's
own migrations (so the indexes, value table and triggers are the real ones), cached as
bench/results/records-N.db so that reruns start at once. Then, interleaved, medians of R
rounds (default 9):

* for each filter kind: the first page of 50 rows (``Mailbox.query_records``) next to the
  same question in hand-written SQL through the ``sqlite3`` module; goal <= 50 ms.
* the count the user sees first (``count_records(up_to=100,000)``: the figure or "more than
  100,000") next to the same bounded count in plain SQL; goal <= 300 ms. The exact count
  (asked for with "count all" / --count-all) is printed too, one run each, for context.
* the records page (offscreen): time to its first rows, and the memory it added.
* CSV export of the records of a date range (~10^6 rows at 5x10^6) next to the ``sqlite3``
  command line (``sqlite3 -csv``) writing the same columns of the same rows; goal <= 2x.
  Without the sqlite3 command line the baseline is Python's csv module, and says so.

Exits 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.report import figure, finish, interleaved, quick, rounds
from bimail_desktop.domain.models import RecordFilter, SendResult
from bimail_desktop.services import Mailbox
from bimail_desktop.services.records import COUNT_BOUND, day_filter
from bimail_desktop.store import open_store
from bimail_desktop.store.record_queries import VALUES_TABLE

BENCH = "bench_records"
RESULTS = Path(__file__).resolve().parent / "results"

SENDERS = [
    ("bi-report@acme.com", 30), ("alerts@acme.com", 12), ("finance.bi@acme.com", 10),
    ("noreply@数据平台.cn", 8), ("ops@acme.com", 8), ("sales-dash@acme.com", 8),
    ("hr.reports@acme.com", 6), ("exec@acme.com", 5), ("marketing@acme.com", 5),
    ("it-monitor@acme.com", 4), ("audit@acme.com", 2), ("test@acme.com", 2),
]
TEMPLATES = ["Test Mail", "Daily Sales", "Weekly Summary", "Monthly Finance", "销售日报",
             "库存周报", "Executive Dashboard", "Alert: Threshold", "Data Refresh Failed",
             "Subscription"] + [f"Report {i:02d}" for i in range(30)]
ERRORS = ["recipient_rejected", "auth_failed", "temporary_failure", "timeout",
          "connect_refused", "message_rejected"]
RAW_COLUMNS = ("id, message_id, sender, ip, recipient, template, resources, sent_at, result, "
               "error_code, error_message, server_reply, duration_ms")
EXPORT_COLUMNS = ("sender, ip, recipient, template, resources, sent_at, result, error_code, "
                  "error_message, server_reply, duration_ms, message_id")


def record_rows(n: int, seed: int = 7) -> Any:
    """``n`` generated records as tuples (message_id, sender, ip, recipient, template,
    resources, sent_at text, result, error_code, error_message, server_reply, duration)."""
    rnd = random.Random(seed)
    senders = [s for s, _ in SENDERS]
    weights = [w for _, w in SENDERS]
    recipients = [f"user{i:04d}@{rnd.choice(['acme.com', 'example.cn', 'partner.org'])}"
                  for i in range(5000)]
    recipients[:20] = [f"张伟{i}@例子.cn" for i in range(20)]
    dashboards = [f"/dashboards/{i}" for i in range(200)]
    ips = ["10.0.0.5", "10.0.0.6", "192.168.1.20", "172.16.4.2", "::1"]
    end = datetime(2025, 12, 31)
    start = end - timedelta(days=730)
    step = (end - start).total_seconds() / n

    resource_lists = [json.dumps(rnd.sample(dashboards, rnd.randint(0, 3)))
                      for _ in range(4000)]
    rcpt_choices = rnd.choices(recipients, k=1 << 16)
    sender_choices = rnd.choices(senders, weights, k=1 << 16)

    def rows() -> Any:
        mask = (1 << 16) - 1
        for i in range(n):
            sent = start + timedelta(seconds=i * step + rnd.random() * step)
            r = rnd.getrandbits(32)
            code = ERRORS[r % len(ERRORS)] if rnd.random() < 0.05 else None
            yield (
                f"<{i // 3}.bench@acme.com>",
                sender_choices[r & mask],
                ips[r % 5],
                rcpt_choices[(r >> 16) & mask],
                TEMPLATES[r % len(TEMPLATES)],
                resource_lists[r % 4000],
                sent.isoformat(sep=" ", timespec="microseconds"),
                "failure" if code else "success",
                code,
                f"{code} while sending" if code else None,
                "550 5.1.1 user unknown" if code else "250 2.0.0 OK queued",
                80 + r % 3920,
            )

    return rows()


def generate(path: Path, n: int, seed: int = 7) -> float:
    """Bulk insert ``n`` records in one transaction (the triggers of the store fire)."""
    rows = lambda: record_rows(n, seed)  # noqa: E731
    began = time.perf_counter()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = OFF")
    con.execute("PRAGMA cache_size = -400000")
    # Loading into the bare table and building its indexes and value table afterwards gives
    # the same file as inserting through them, several times faster: the index and trigger
    # definitions are the product's own (read back from the schema its migrations made),
    # and the value table is filled the way migration 0002 fills it for an existing store.
    extras = con.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'send_records' "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL").fetchall()
    con.execute("BEGIN")
    for kind, name, _sql in extras:
        con.execute(f"DROP {kind.upper()} {name}")
    con.executemany(
        "INSERT INTO send_records (message_id, sender, ip, recipient, template, resources, "
        "sent_at, result, error_code, error_message, server_reply, duration_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
    for kind, _name, sql in extras:
        if kind == "index":
            con.execute(sql)
    migration = importlib.import_module(
        "bimail_desktop.store.migrations.versions.0002_record_indexes")
    con.execute(f"DELETE FROM {VALUES_TABLE}")
    for column in migration.KINDS:
        con.execute(f"INSERT INTO {VALUES_TABLE} (kind, value, n) SELECT '{column}', "
                    f"{column}, count(*) FROM send_records GROUP BY {column}")
    for kind, _name, sql in extras:
        if kind == "trigger":
            con.execute(sql)
    con.execute("COMMIT")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return time.perf_counter() - began


def raw_where(flt: RecordFilter) -> tuple[str, list[Any]]:
    """The filter as a DBA would write it by hand: LIKE for substrings, UTC bounds."""
    conds, params = [], []
    for column in ("sender", "recipient", "template"):
        needle = getattr(flt, column)
        if needle:
            conds.append(f"{column} LIKE ?")
            params.append(f"%{needle}%")
    for bound, op in ((flt.since, ">="), (flt.until, "<")):
        if bound is not None:
            conds.append(f"sent_at {op} ?")
            params.append(bound.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"))
    if flt.result is not None:
        conds.append("result = ?")
        params.append(flt.result.value)
    return (" WHERE " + " AND ".join(conds)) if conds else "", params


def filters() -> list[tuple[str, RecordFilter]]:
    march = day_filter(date(2025, 3, 1), date(2025, 3, 31))
    quarter = day_filter(date(2025, 4, 1), date(2025, 6, 30))
    year = day_filter(date(2025, 1, 1), date(2025, 12, 31))
    return [
        ("none", RecordFilter()),
        ("sender 'alerts'", RecordFilter(sender="alerts")),
        ("sender 'acme' (broad)", RecordFilter(sender="acme")),
        ("recipient 'user0042'", RecordFilter(recipient="user0042")),
        ("recipient '张伟'", RecordFilter(recipient="张伟")),
        ("template 'weekly'", RecordFilter(template="weekly")),
        ("template '日报'", RecordFilter(template="日报")),
        ("date range (a month)", RecordFilter(since=march[0], until=march[1])),
        ("result failure", RecordFilter(result=SendResult.FAILURE)),
        ("combined", RecordFilter(sender="finance", template="report", since=quarter[0],
                                  until=quarter[1], result=SendResult.FAILURE)),
        ("combined, selective", RecordFilter(sender="acme", recipient="user0042",
                                            template="daily")),
        ("combined, broad", RecordFilter(sender="acme", recipient="acme.com",
                                        template="report")),
        ("broad + a year", RecordFilter(sender="acme", template="report", since=year[0],
                                       until=year[1])),
        # a rare sender with broad filters: just under the bound, so every match is counted
        ("rare sender, broad others", RecordFilter(sender="数据", recipient="acme.com",
                                                   template="report")),
        ("a sender's failed reports", RecordFilter(sender="finance", template="report",
                                                   result=SendResult.FAILURE)),
    ]


PAGE = 50
BOUND = COUNT_BOUND


def bench_queries(mailbox: Mailbox, db: Path, rounds: int) -> None:
    con = sqlite3.connect(db)
    queries = mailbox.records._records  # noqa: SLF001 - the benchmark measures the real count
    for name, flt in filters():
        where, params = raw_where(flt)
        raw_page_sql = (f"SELECT {RAW_COLUMNS} FROM send_records{where} "
                        f"ORDER BY sent_at DESC, id DESC LIMIT {PAGE}")
        raw_count_sql = (f"SELECT count(*) FROM (SELECT 1 FROM send_records{where} "
                         f"LIMIT {BOUND + 1})")
        rows = mailbox.query_records(flt, limit=PAGE)  # warm: the same pages for both
        raw_rows = con.execute(raw_page_sql, params).fetchall()
        same_page = [r.id for r in rows] == [r[0] for r in raw_rows]
        page_ms, raw_page_ms = interleaved(
            [lambda f=flt: mailbox.query_records(f, limit=PAGE),
             lambda s=raw_page_sql, p=params: con.execute(s, p).fetchall()], rounds)
        figure(BENCH, f"first page of {PAGE}, filter {name}", page_ms,
               baseline="hand-written SQL", baseline_value=raw_page_ms, max_value=50,
               note="" if same_page else "ROWS DIFFER from the SQL's")
        # the count shown first: the figure, or "more than 100,000"; the cache of exact
        # counts is emptied before each run so that every run counts

        def bounded(f: RecordFilter = flt) -> int:
            queries._counts.clear()  # noqa: SLF001
            return mailbox.count_records(f, up_to=BOUND)

        shown = bounded()
        raw_shown = con.execute(raw_count_sql, params).fetchone()[0]
        count_ms, raw_count_ms = interleaved(
            [bounded, lambda s=raw_count_sql, p=params: con.execute(s, p).fetchone()],
            rounds)
        text = f"more than {BOUND:,}" if shown > BOUND else f"{shown:,}"
        figure(BENCH, f"count shown, filter {name} ({text})", count_ms,
               baseline="same bounded count in SQL", baseline_value=raw_count_ms,
               max_value=300, note="" if shown == raw_shown else "COUNTS DIFFER")
    con.close()


def bench_exact_counts(mailbox: Mailbox) -> None:
    """Context: the exact count of each filter (one run; what "count all" costs)."""
    queries = mailbox.records._records  # noqa: SLF001
    for name, flt in filters():
        queries._counts.clear()  # noqa: SLF001
        began = time.perf_counter()
        n = mailbox.count_records(flt)
        took = (time.perf_counter() - began) * 1000
        figure(BENCH, f"exact count on request, filter {name} ({n:,})", took,
               note="one run; no goal")


# -- a server store (PostgreSQL, MariaDB/MySQL) --------------------------------------------
def server_load(url: str, n: int) -> None:
    """Fill the store at ``url`` with ``n`` generated records (kept for reruns: nothing
    is loaded when it holds them already)."""
    from sqlalchemy import text

    store = open_store(url)  # the product's migrations, indexes included
    try:
        with store.engine.connect() as conn:
            have = conn.execute(text("SELECT count(*) FROM send_records")).scalar() or 0
        if have >= n:
            print(f"{have:,} records there already", flush=True)
            return
        began = time.perf_counter()
        raw = store.engine.raw_connection()
        try:
            cur = raw.cursor()
            columns = ("message_id, sender, ip, recipient, template, resources, sent_at, "
                       "result, error_code, error_message, server_reply, duration_ms")
            rows = record_rows(n)
            if store.engine.dialect.name == "postgresql":
                with cur.copy(f"COPY send_records ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                sql = (f"INSERT INTO send_records ({columns}) VALUES "
                       "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
                batch: list[Any] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) == 5000:
                        cur.executemany(sql, batch)
                        batch.clear()
                if batch:
                    cur.executemany(sql, batch)
            raw.commit()
            if store.engine.dialect.name == "postgresql":
                cur.execute("ANALYZE send_records")
                raw.commit()  # the statistics are lost with the transaction otherwise
            else:
                cur.execute("ANALYZE TABLE send_records")
                cur.fetchall()
        finally:
            raw.close()
        took = time.perf_counter() - began
        print(f"loaded {n:,} records in {took:.0f} s", flush=True)
    finally:
        store.dispose()


def server_raw_where(flt: RecordFilter, postgres: bool) -> tuple[str, dict[str, Any]]:
    """The filter as a DBA would write it: ILIKE (PostgreSQL) or LIKE under the table's
    case-insensitive collation (MariaDB/MySQL), UTC bounds."""
    conds, params = [], {}
    for column in ("sender", "recipient", "template"):
        needle = getattr(flt, column)
        if needle:
            conds.append(f"{column} {'ILIKE' if postgres else 'LIKE'} :{column}")
            params[column] = f"%{needle}%"
    for name, bound, op in (("since", flt.since, ">="), ("until", flt.until, "<")):
        if bound is not None:
            conds.append(f"sent_at {op} :{name}")
            params[name] = bound.astimezone(UTC).replace(tzinfo=None)
    if flt.result is not None:
        conds.append("result = :result")
        params["result"] = flt.result.value
    return (" WHERE " + " AND ".join(conds)) if conds else "", params


def bench_server(url: str, rounds: int) -> None:
    from sqlalchemy import text

    mailbox = Mailbox.open(url)
    engine = mailbox.store.engine
    postgres = engine.dialect.name == "postgresql"
    queries = mailbox.records._records  # noqa: SLF001
    try:
        with engine.connect() as conn:
            for name, flt in filters():
                where, params = server_raw_where(flt, postgres)
                page_sql = text(f"SELECT {RAW_COLUMNS} FROM send_records{where} "
                                f"ORDER BY sent_at DESC, id DESC LIMIT {PAGE}")
                count_sql = text(f"SELECT count(*) FROM (SELECT 1 FROM send_records{where} "
                                 f"LIMIT {BOUND + 1}) AS matches")
                rows = mailbox.query_records(flt, limit=PAGE)
                raw_rows = conn.execute(page_sql, params).all()
                same = [r.id for r in rows] == [r[0] for r in raw_rows]
                page_ms, raw_page_ms = interleaved(
                    [lambda f=flt: mailbox.query_records(f, limit=PAGE),
                     lambda s=page_sql, p=params: conn.execute(s, p).all()], rounds)
                figure(BENCH, f"{engine.dialect.name}: first page of {PAGE}, filter {name}",
                       page_ms, baseline="hand-written SQL, same driver",
                       baseline_value=raw_page_ms, max_value=50,
                       note="" if same else "ROWS DIFFER from the SQL's")

                def bounded(f: RecordFilter = flt) -> int:
                    queries._counts.clear()  # noqa: SLF001
                    return mailbox.count_records(f, up_to=BOUND)

                count_ms, raw_count_ms = interleaved(
                    [bounded, lambda s=count_sql, p=params: conn.execute(s, p).scalar()],
                    rounds)
                figure(BENCH, f"{engine.dialect.name}: count shown, filter {name}", count_ms,
                       baseline="same bounded count in SQL", baseline_value=raw_count_ms,
                       max_value=300)
                conn.rollback()
    finally:
        mailbox.close()


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def bench_gui(mailbox: Mailbox) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEventLoop
    from PySide6.QtWidgets import QApplication

    from bimail_desktop.gui.records_page import RecordsPage

    app = QApplication.instance() or QApplication([])
    gc.collect()
    before = rss_mb()
    began = time.perf_counter()
    page = RecordsPage(mailbox)
    page.resize(1200, 800)
    page.show()
    model = page.model
    deadline = began + 30
    while time.perf_counter() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        if model.rowCount() > 0 and model.is_row_loaded(0):
            break
    first_rows_ms = (time.perf_counter() - began) * 1000
    while time.perf_counter() < deadline and page.shown_total() is None:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    total_ms = (time.perf_counter() - began) * 1000
    grown = rss_mb() - before
    shown = page.shown_total()
    page.shutdown()
    page.close()
    page.deleteLater()
    app.processEvents()
    return dict(first_rows_ms=first_rows_ms, count_shown_ms=total_ms, rss_growth_mb=grown,
                total=shown, pages=model.cached_pages())


def export_range(n: int) -> RecordFilter:
    """A date range holding about a fifth of the records (10^6 of 5x10^6)."""
    since, until = day_filter(date(2024, 9, 1), date(2025, 1, 31))
    return RecordFilter(since=since, until=until)


def bench_export(mailbox: Mailbox, db: Path, workdir: Path, rounds: int) -> None:
    flt = export_range(0)
    out = workdir / "export.csv"
    raw_out = workdir / "raw.csv"
    where, params = raw_where(flt)
    bound_sql = where
    for value in params:  # the sqlite3 command line takes no parameters: inline them
        bound_sql = bound_sql.replace("?", f"'{value}'", 1)
    sql = (f"SELECT sender, ip, recipient, template, resources, "
           f"strftime('%Y-%m-%d %H:%M:%S', sent_at, 'localtime'), substr(sent_at, 1, 19), "
           f"result, error_code, error_message, server_reply, duration_ms, message_id "
           f"FROM send_records{bound_sql} ORDER BY sent_at DESC, id DESC;")
    cli = shutil.which("sqlite3")
    rows: list[int] = []

    def ours() -> None:
        rows.append(mailbox.export_records_csv(flt, out))

    if cli:
        baseline = "sqlite3 -csv, same columns and rows"

        def raw() -> None:
            with open(raw_out, "wb") as handle:
                subprocess.run([cli, "-csv", "-header", str(db), sql], stdout=handle,
                               check=True)
    else:
        import csv

        baseline = "Python csv over sqlite3 (NO sqlite3 command line installed)"

        def raw() -> None:
            con = sqlite3.connect(db)
            with open(raw_out, "w", newline="", encoding="utf-8") as handle:
                csv.writer(handle).writerows(con.execute(sql))
            con.close()

    product, base = interleaved([ours, raw], rounds)
    size = out.stat().st_size / 1e6
    figure(BENCH, f"CSV export of {rows[-1]:,} records ({size:.0f} MB)", product / 1000,
           unit="s", baseline=baseline, baseline_value=base / 1000, max_ratio=2.0)
    out.unlink(missing_ok=True)
    raw_out.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000 if quick() else 5_000_000)
    parser.add_argument("--rounds", type=int, default=rounds())
    parser.add_argument("--export-rounds", type=int, default=rounds(9, 3))
    parser.add_argument("--keep", metavar="DIR", default=str(RESULTS),
                        help="where the generated store is cached (default bench/results)")
    parser.add_argument("--no-gui", action="store_true")
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--no-exact", action="store_true", help="skip the exact counts")
    parser.add_argument("--db", metavar="URL", help="a PostgreSQL or MariaDB/MySQL store "
                        "to measure instead (filled with --records records once; use a "
                        "database of its own)")
    args = parser.parse_args(argv)

    if args.db:
        print(f"{args.records:,} records in a server store; {args.rounds} rounds", flush=True)
        server_load(args.db, args.records)
        bench_server(args.db, args.rounds)
        return finish()
    workdir = Path(args.keep)
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / f"records-{args.records}.db"
    url = f"sqlite:///{db}"
    print(f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}, "
          f"{args.records:,} records in {db}; {args.rounds} rounds", flush=True)
    if not db.exists():
        partial = db.with_suffix(".part")
        partial.unlink(missing_ok=True)
        open_store(f"sqlite:///{partial}").dispose()  # the product's migrations
        seconds = generate(partial, args.records)
        partial.rename(db)
        print(f"generated in {seconds:.1f} s ({args.records / seconds:,.0f} rows/s); "
              f"file {db.stat().st_size / 1e6:.0f} MB", flush=True)
    mailbox = Mailbox.open(url)
    try:
        bench_queries(mailbox, db, args.rounds)
        if not args.no_exact and not quick():
            bench_exact_counts(mailbox)
        if not args.no_gui:
            g = bench_gui(mailbox)
            figure(BENCH, "records page: first rows shown", g["first_rows_ms"],
                   max_value=200, note=f"count shown after {g['count_shown_ms']:.0f} ms")
            figure(BENCH, "records page: memory added", g["rss_growth_mb"], unit="MB",
                   max_value=100)
        if not args.no_export:
            bench_export(mailbox, db, workdir, args.export_rounds)
    finally:
        mailbox.close()
    return finish()


if __name__ == "__main__":
    raise SystemExit(main())
