"""The `bimail` command: the headless twin of the GUI (CONTRACTS.md, "CLI")."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from .. import __version__
from ..domain.errors import BimailError
from ..logging_setup import setup_logging
from . import config, diagnose, doctor, records, relay, senders, sending, trust
from .common import EXIT_FAILED, EXIT_USAGE, Context, report_error

# Each command group registers its own sub-commands; new groups are added to this list.
COMMAND_GROUPS = [senders, config, sending, doctor, diagnose, trust, records, relay]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"bimail: error [invalid_input]: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bimail",
        description="Set up the system mailbox of a BI server: senders, the default sender, "
        "test mail, sending records and diagnosis.",
    )
    parser.add_argument("--db", metavar="URL", help="SQLAlchemy URL of the store "
                        "(default: BIMAIL_DATABASE_URL or the data folder)")
    parser.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    parser.add_argument("--lang", choices=["en", "zh_CN"], help="language of messages")
    parser.add_argument("--version", action="version", version=f"bimail {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=_Parser)
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(logging.INFO, console_level=logging.WARNING)
    ctx = Context(args)
    try:
        return int(args.handler(args, ctx))
    except BimailError as error:
        return report_error(ctx, error, ctx.json, ctx.lang)
    except KeyboardInterrupt:
        print("bimail: interrupted", file=sys.stderr)
        return EXIT_FAILED
    finally:
        ctx.close()


if __name__ == "__main__":
    raise SystemExit(main())
