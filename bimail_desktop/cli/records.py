"""`bimail records …`: query, export and purge the sending records (R1, R2)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..domain.errors import InvalidInput
from ..domain.models import RecordFilter, SendRecord, SendResult
from ..domain.texts import Msg
from ..domain.validation import MAX_OFFSET, validate_days, validate_whole_number
from .common import EXIT_OK, Context, table
from .sending import _positive_seconds, _run_send, _variables

DEFAULT_LIMIT = 100
MAX_PAGE = 10_000  # the most records one page shows (services.records.MAX_PAGE)
RESULTS = ("success", "failure")

EPILOG = """\
Dates are YYYY-MM-DD (a calendar day in your time zone) or ISO 8601
(2024-05-01T08:30+08:00); --until includes the whole day it names. Text filters
match substrings, ignoring case; filters combine.

examples:
  bimail records --sender bi@acme.com --since 2024-05-01 --until 2024-05-31
  bimail records --result failure --limit 20
  bimail --json records --recipient boss@
  bimail records --template 日报 --csv report.csv   (every matching record, UTF-8)

sending again (an admin's explicit action; never done by itself):
  bimail records --resend-failed 1234             (the failed recipients of record
                                                   1234's message get it again: new records)
  bimail records --resend-failed 1234 --var day=2024-05-01   (placeholders' values)

retention:
  bimail records --delete-older-than 365          (says how many would go)
  bimail records --delete-older-than 365 --yes    (deletes them)
"""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "records",
        help="list, filter and export the sending records; delete old ones",
        description="The record of every mail sent: sender, IP address, recipient, template, "
        "accessed resources, send time and result.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--sender", metavar="S", default="", help="sender address contains S")
    p.add_argument("--recipient", metavar="R", default="", help="recipient contains R")
    p.add_argument("--template", metavar="T", default="", help="template name contains T")
    p.add_argument("--since", metavar="DATE", help="sent on or after DATE")
    p.add_argument("--until", metavar="DATE", help="sent on or before DATE (inclusive)")
    p.add_argument("--result", metavar="success|failure", help="only successes or failures")
    p.add_argument("--limit", metavar="N", default=str(DEFAULT_LIMIT),
                   help=f"show at most N records (default {DEFAULT_LIMIT})")
    p.add_argument("--offset", metavar="N", default="0",
                   help="skip the first N records (paging; default 0)")
    p.add_argument("--sort", default="sent_at",
                   help="sort by sent_at (default), sender, recipient, template, result, ip")
    p.add_argument("--oldest-first", action="store_true", help="oldest records first")
    p.add_argument("--count-all", action="store_true", dest="count_all",
                   help="count every match exactly (by default the count stops at "
                        "100,000 and says \"more than 100,000\")")
    p.add_argument("--csv", metavar="FILE", help="write every matching record to FILE as CSV "
                   "(UTF-8 with BOM, opens in Excel); --limit/--offset do not apply")
    p.add_argument("--delete-older-than", metavar="DAYS", dest="delete_older_than",
                   help="delete records sent more than DAYS days ago (asks first; see --yes)")
    p.add_argument("--resend-failed", metavar="ID", dest="resend_failed",
                   help="send the message of record ID again to those of its recipients it "
                        "failed for (same template, sender and resources; new records)")
    p.add_argument("--var", action="append", default=[], metavar="KEY=VALUE",
                   help="with --resend-failed: a value for a placeholder of the template "
                        "(records do not keep them)")
    p.add_argument("--timeout", type=_positive_seconds, metavar="SECONDS", default=None,
                   help="with --resend-failed: give up on the server after SECONDS")
    p.add_argument("--yes", action="store_true", help="with --delete-older-than: delete "
                   "without asking")
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                   help="machine-readable output (same as the global --json)")
    p.set_defaults(handler=cmd_records)




def build_filter(args: argparse.Namespace) -> RecordFilter:
    from ..services.records import parse_date_bound

    result: SendResult | None = None
    if args.result:
        value = args.result.strip().lower()
        if value not in RESULTS:
            raise InvalidInput("--result", Msg("records.bad_result", result=args.result))
        result = SendResult(value)
    since = parse_date_bound(args.since, field="--since", end=False) \
        if args.since is not None else None
    until = parse_date_bound(args.until, field="--until", end=True) \
        if args.until is not None else None
    if since is not None and until is not None and since >= until:
        raise InvalidInput("--until", Msg("records.until_before_since"))
    return RecordFilter(sender=args.sender, recipient=args.recipient, template=args.template,
                        since=since, until=until, result=result)


def _row(record: SendRecord) -> list[object]:
    from ..services.records import to_local

    outcome = record.result.value
    if record.error_code:
        outcome = f"{outcome} ({record.error_code})"
    return [
        to_local(record.sent_at).strftime("%Y-%m-%d %H:%M:%S"),
        record.sender,
        record.ip,
        record.recipient,
        record.template,
        ", ".join(record.resources),
        outcome,
    ]


def cmd_records(args: argparse.Namespace, ctx: Context) -> int:
    if args.resend_failed is not None:
        return _resend(args, ctx)
    if args.var:
        raise InvalidInput("--var", Msg("records.var_alone"))
    if args.delete_older_than is not None:
        return _purge(args, ctx)
    if args.yes:
        raise InvalidInput("--yes", Msg("records.yes_alone"))
    flt = build_filter(args)
    limit = validate_whole_number(args.limit, "--limit", minimum=1, maximum=MAX_OFFSET)
    if limit > MAX_PAGE:
        raise InvalidInput("--limit", Msg("records.limit_too_high", n=f"{MAX_PAGE:,}"))
    offset = validate_whole_number(args.offset, "--offset", minimum=0, maximum=MAX_OFFSET)
    mailbox = ctx.mailbox
    if args.csv:
        rows = mailbox.export_records_csv(flt, args.csv, sort=args.sort,
                                          descending=not args.oldest_first)
        ctx.emit({"file": args.csv, "rows": rows},
                 ctx.t("cli.csv_written_one" if rows == 1 else "cli.csv_written", count=rows,
                       file=args.csv))
        return EXIT_OK
    records = mailbox.query_records(flt, sort=args.sort, descending=not args.oldest_first,
                                    offset=offset, limit=limit)
    if ctx.json:
        from ..services.records import record_to_dict

        ctx.emit([record_to_dict(r) for r in records])
        return EXIT_OK
    from ..services.records import COUNT_BOUND

    bound = None if getattr(args, "count_all", False) else max(COUNT_BOUND, offset + limit)
    total = mailbox.count_records(flt, up_to=bound)
    more = bound is not None and total > bound
    matching = ctx.t("cli.more_than", count=bound) if more else f"{total:,}"
    if not records:
        print(ctx.t("cli.no_records") if total == 0 else
              ctx.t("cli.no_records_at", offset=offset, matching=matching))
        return EXIT_OK
    lines = table(ctx.t("cli.records_columns").split("|"), [_row(r) for r in records])
    first = offset + 1
    last = offset + len(records)
    lines.append("")
    lines.append(ctx.t("cli.records_range", first=first, last=last, matching=matching)
                 + (ctx.t("cli.more_with_offset") if last < total else "")
                 + (ctx.t("cli.count_all_hint") if more else ""))
    ctx.emit(None, lines)
    return EXIT_OK


def _resend(args: argparse.Namespace, ctx: Context) -> int:
    for name in ("sender", "recipient", "template", "since", "until", "result", "csv",
                 "delete_older_than"):
        if getattr(args, name):
            raise InvalidInput("--resend-failed", Msg("records.resend_alone",
                                                      name=name.replace("_", "-")))
    record_id = validate_whole_number(args.resend_failed, "--resend-failed", minimum=1,
                                      maximum=2**63 - 1)
    variables = _variables(args.var)
    return _run_send(ctx, lambda: ctx.mailbox.resend_failed(
        record_id, variables=variables, timeout=args.timeout))


def _purge(args: argparse.Namespace, ctx: Context) -> int:
    for name in ("sender", "recipient", "template", "since", "until", "result", "csv"):
        if getattr(args, name):
            raise InvalidInput("--delete-older-than", Msg("records.delete_alone", name=name))
    days = validate_days(args.delete_older_than, "--delete-older-than")
    mailbox = ctx.mailbox
    matching = mailbox.count_records_older_than(days)
    confirmed = args.yes
    if not confirmed and matching and not ctx.json and sys.stdin.isatty():
        answer = input(ctx.t("cli.purge_question", count=matching, days=days))
        confirmed = answer.strip().lower() in {"y", "yes"}
    deleted = mailbox.delete_records_older_than(days) if confirmed and matching else 0
    if confirmed or not matching:
        text = ctx.t("cli.purged_one" if deleted == 1 else "cli.purged", count=deleted,
                     days=days)
    else:
        text = ctx.t("cli.purge_would_one" if matching == 1 else "cli.purge_would",
                     count=matching, days=days)
    ctx.emit({"older_than_days": days, "matching": matching, "deleted": deleted}, text)
    return EXIT_OK
