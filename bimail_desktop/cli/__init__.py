"""The `bimail` command: the headless twin of the GUI (docs/CLI.md).

Start-up matters for a command run from scripts: ``--version`` answers before anything
else is imported, and each command imports the services it uses when it runs (the command
modules import only argparse-level code), so that ``bimail senders list`` loads neither
the OAuth2 sign-in nor the diagnosis (tests/test_cli_startup.py).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .. import __version__

# Each command group (a module of this package) registers its own sub-commands; new groups
# are added to this list by module name (imported when the parser is built, not for
# --version).
COMMAND_GROUPS = ["senders", "config", "sending", "doctor", "diagnose", "trust", "records",
                  "relay"]
LANGUAGES = ("en", "zh_CN")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        from .common import EXIT_USAGE

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
    parser.add_argument("--lang", choices=list(LANGUAGES), help="language of messages")
    parser.add_argument("--version", action="version", version=f"bimail {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=_Parser)
    for name in COMMAND_GROUPS:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def _asks_version(argv: Sequence[str]) -> bool:
    """``--version`` among the global options, before the command (as argparse reads it)."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--version":
            return True
        if arg == "--lang":
            if i + 1 >= len(argv) or argv[i + 1] not in LANGUAGES:
                return False  # argparse names the bad value
            i += 2
        elif arg == "--db":
            i += 2
        elif arg == "--json" or arg.startswith(("--db=", "--lang=")):
            if arg.startswith("--lang=") and arg.split("=", 1)[1] not in LANGUAGES:
                return False
            i += 1
        else:
            return False  # help comes first, an unknown option, or the command started
    return False


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if _asks_version(arguments):
        print(f"bimail {__version__}")
        return 0
    parser = build_parser()
    args = parser.parse_args(arguments)
    import logging

    from ..domain.errors import BimailError
    from ..logging_setup import setup_logging
    from .common import EXIT_FAILED, Context, report_error

    setup_logging(logging.INFO, console_level=logging.WARNING)
    ctx = Context(args)
    try:
        return int(args.handler(args, ctx))
    except BimailError as error:
        return report_error(ctx, error, ctx.json, ctx.lang)
    except KeyboardInterrupt:
        print("bimail: interrupted", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:
        failure = ctx.store_failure(exc)
        if failure is None:
            raise
        logging.getLogger(__name__).info("store failure: %s", failure.detail)
        return report_error(ctx, failure, ctx.json, ctx.lang)
    finally:
        ctx.close()


if __name__ == "__main__":
    raise SystemExit(main())
