"""Sending records at scale: the product's queries next to hand-written SQL.

    python -m bench.bench_records [--records N] [--keep DIR] [--no-gui] [--no-export]

Generates N records (default 1,000,000: a dozen senders, 5,000 recipients, 40 templates,
two years, ~5 % failures) into a temporary store created by the product's own migrations
(so the indexes, value table and triggers are the real ones), then prints for each filter
kind the product's first-page and count times next to the same question asked in plain SQL
through the ``sqlite3`` module on the same file, the time the records page needs to show
its first rows (offscreen) with the memory it added, and the CSV export next to
``sqlite3 -csv`` on the same query.

Targets: first page <= 50 ms and <= 2x the raw query; count <= 300 ms; the page's first
rows <= 200 ms with <= 100 MB more memory; export <= 3x sqlite3 -csv.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bimail_desktop.domain.models import RecordFilter, SendResult
from bimail_desktop.services import Mailbox
from bimail_desktop.services.records import day_filter
from bimail_desktop.store import open_store

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


def generate(path: Path, n: int, seed: int = 7) -> float:
    """Bulk insert ``n`` records in one transaction (the triggers of the store fire)."""
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

    def rows() -> Any:
        for i in range(n):
            sent = start + timedelta(seconds=i * step + rnd.random() * step)
            failed = rnd.random() < 0.05
            code = rnd.choice(ERRORS) if failed else None
            yield (
                f"<{i // 3}.bench@acme.com>",
                rnd.choices(senders, weights)[0],
                rnd.choice(ips),
                rnd.choice(recipients),
                rnd.choice(TEMPLATES),
                json.dumps(rnd.sample(dashboards, rnd.randint(0, 3))),
                sent.strftime("%Y-%m-%d %H:%M:%S.%f"),
                "failure" if failed else "success",
                code,
                f"{code} while sending" if failed else None,
                "550 5.1.1 user unknown" if failed else "250 2.0.0 OK queued",
                rnd.randint(80, 4000),
            )

    began = time.perf_counter()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = OFF")
    con.execute("PRAGMA cache_size = -200000")
    con.execute("BEGIN")
    con.executemany(
        "INSERT INTO send_records (message_id, sender, ip, recipient, template, resources, "
        "sent_at, result, error_code, error_message, server_reply, duration_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
    con.execute("COMMIT")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return time.perf_counter() - began


def timed(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Median wall time in ms over ``repeat`` runs (after one warm-up) and the last value."""
    value = fn()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        value = fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), value


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
    ]


def bench_queries(mailbox: Mailbox, db: Path) -> list[dict[str, Any]]:
    con = sqlite3.connect(db)
    out = []
    for name, flt in filters():
        where, params = raw_where(flt)
        page_ms, rows = timed(lambda f=flt: mailbox.query_records(f, limit=100))
        count_ms, count = timed(lambda f=flt: mailbox.count_records(f), repeat=3)
        raw_page_ms, raw_rows = timed(lambda w=where, p=params: con.execute(
            f"SELECT {RAW_COLUMNS} FROM send_records{w} ORDER BY sent_at DESC, id DESC "
            f"LIMIT 100", p).fetchall())
        raw_count_ms, raw_count = timed(lambda w=where, p=params: con.execute(
            f"SELECT count(*) FROM send_records{w}", p).fetchone()[0], repeat=3)
        same = [r.id for r in rows] == [r[0] for r in raw_rows] and count == raw_count
        out.append(dict(name=name, count=count, page_ms=page_ms, raw_page_ms=raw_page_ms,
                        count_ms=count_ms, raw_count_ms=raw_count_ms, same=same))
    con.close()
    return out


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


def bench_export(mailbox: Mailbox, db: Path, workdir: Path) -> dict[str, Any]:
    out = workdir / "export.csv"
    began = time.perf_counter()
    rows = mailbox.export_records_csv(RecordFilter(), out)
    ours = time.perf_counter() - began
    sql = f"SELECT {EXPORT_COLUMNS} FROM send_records ORDER BY sent_at DESC, id DESC;"
    cli = shutil.which("sqlite3")
    raw_out = workdir / "raw.csv"
    began = time.perf_counter()
    if cli:
        with open(raw_out, "wb") as handle:
            subprocess.run([cli, "-csv", "-header", str(db), sql], stdout=handle, check=True)
        baseline = "sqlite3 -csv"
    else:
        import csv

        con = sqlite3.connect(db)
        with open(raw_out, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(con.execute(sql))
        con.close()
        baseline = "Python csv over sqlite3 (sqlite3 CLI not installed)"
    raw = time.perf_counter() - began
    return dict(rows=rows, ours_s=ours, raw_s=raw, baseline=baseline,
                size_mb=out.stat().st_size / 1e6)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--keep", metavar="DIR", help="reuse/keep the generated store here")
    parser.add_argument("--no-gui", action="store_true")
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args(argv)

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bimail-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / f"records-{args.records}.db"
    url = f"sqlite:///{db}"
    print(f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}, "
          f"{args.records:,} records in {db}")
    if not db.exists():
        open_store(url).dispose()  # the product's migrations create the schema
        seconds = generate(db, args.records)
        print(f"generated in {seconds:.1f} s ({args.records / seconds:,.0f} rows/s, "
              f"triggers included); file {db.stat().st_size / 1e6:.0f} MB")
    mailbox = Mailbox.open(url)
    failed = False
    try:
        print()
        print(f"{'filter':<24}{'matches':>10}  {'page ms':>8}{'raw':>8}{'ratio':>7}  "
              f"{'count ms':>9}{'raw':>8}{'ratio':>7}  same")
        for r in bench_queries(mailbox, db):
            page_ratio = r["page_ms"] / max(r["raw_page_ms"], 0.001)
            count_ratio = r["count_ms"] / max(r["raw_count_ms"], 0.001)
            ok = r["page_ms"] <= 50 and (page_ratio <= 2 or r["page_ms"] <= 5) \
                and r["count_ms"] <= 300 and r["same"]
            failed |= not ok
            print(f"{r['name']:<24}{r['count']:>10,}  {r['page_ms']:>8.1f}"
                  f"{r['raw_page_ms']:>8.1f}{page_ratio:>7.2f}  {r['count_ms']:>9.1f}"
                  f"{r['raw_count_ms']:>8.1f}{count_ratio:>7.2f}  "
                  f"{'yes' if r['same'] else 'NO'}{'' if ok else '  <-- over target'}")
        print("targets: page <= 50 ms and <= 2x raw (or <= 5 ms); count <= 300 ms")
        if not args.no_gui:
            g = bench_gui(mailbox)
            ok = g["first_rows_ms"] <= 200 and g["rss_growth_mb"] <= 100
            failed |= not ok
            print(f"\nrecords page: first rows after {g['first_rows_ms']:.0f} ms, total "
                  f"{g['total']:,} shown after {g['count_shown_ms']:.0f} ms, memory "
                  f"+{g['rss_growth_mb']:.0f} MB, {g['pages']} page(s) cached "
                  f"(targets <= 200 ms, <= 100 MB){'' if ok else '  <-- over target'}")
        if not args.no_export:
            e = bench_export(mailbox, db, workdir)
            ratio = e["ours_s"] / max(e["raw_s"], 0.001)
            failed |= ratio > 3
            print(f"\nCSV export of {e['rows']:,} rows ({e['size_mb']:.0f} MB): "
                  f"{e['ours_s']:.2f} s; {e['baseline']}: {e['raw_s']:.2f} s; "
                  f"ratio {ratio:.2f} (target <= 3){'' if ratio <= 3 else '  <-- over target'}")
    finally:
        mailbox.close()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
