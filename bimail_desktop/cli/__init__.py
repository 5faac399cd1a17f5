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
# The group that registers each command: a command builds only its own group's parser
# (tests/test_cli_startup.py checks that this list matches what the groups register).
COMMANDS = {
    "senders": "senders", "default": "senders", "config": "config",
    "test-mail": "sending", "send": "sending", "templates": "sending",
    "doctor": "doctor", "diagnose": "diagnose", "detect": "diagnose", "trust": "trust",
    "records": "records", "relay": "relay",
}
LANGUAGES = ("en", "zh_CN")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        from .common import EXIT_USAGE

        self.print_usage(sys.stderr)
        print(f"bimail: error [invalid_input]: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser(groups: Sequence[str] = COMMAND_GROUPS) -> argparse.ArgumentParser:
    """The parser of ``groups`` (default: every command, as ``--help`` lists them)."""
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
    for name in groups:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The command word after the global options, or None (help, a bad option, none)."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--lang", "--db"):
            i += 2
        elif arg == "--json" or arg.startswith(("--db=", "--lang=")):
            i += 1
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


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


def _argument_name(arguments: Sequence[str], index: int) -> str:
    """The option an argument belongs to, for an error that names it."""
    arg = arguments[index]
    if arg.startswith("--") and len(arg) > 2:
        return arg.split("=", 1)[0][:40]
    if index > 0 and arguments[index - 1].startswith("-") and len(arguments[index - 1]) > 1:
        return arguments[index - 1].split("=", 1)[0][:40]
    return f"argument {index + 1}"


def _plain(arg: object) -> bool:
    """Surely a usable argument: short UTF-8 text without NUL."""
    if not isinstance(arg, str) or len(arg) > 1024 or "\x00" in arg or arg.endswith("=--"):
        return False
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_arguments(arguments: Sequence[str]) -> int | None:
    """Refuse, before anything runs, an argument no command can use: not text (a NUL byte,
    bytes that are not UTF-8), or absurdly long. Exit 2 naming it; None when all are fine."""
    if all(_plain(arg) for arg in arguments):
        return None  # the usual case, without importing the validation (--version is fast)
    from ..domain.errors import InvalidInput
    from ..domain.texts import Msg
    from ..domain.validation import validate_argument

    for index, arg in enumerate(arguments):
        if not isinstance(arg, str):
            error = InvalidInput(f"argument {index + 1}", Msg("argument.not_text"))
        elif arg.startswith("--") and arg.endswith("=--"):
            # argparse (Python 3.11) turns the value '--' of --option=-- into an empty list
            error = InvalidInput(_argument_name(arguments, index), Msg("argument.dashes"))
        else:
            try:
                validate_argument(arg, _argument_name(arguments, index))
                continue
            except InvalidInput as refused:
                error = refused
        import os

        from ..domain.texts import language
        from .common import report_error

        given = next((arguments[i + 1] for i in range(len(arguments) - 1)
                      if arguments[i] == "--lang" and arguments[i + 1] in LANGUAGES), None)
        lang = language(given, os.environ.get("BIMAIL_LANG"))
        return report_error(None, error, "--json" in arguments, lang)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    refused = _check_arguments(arguments)
    if refused is not None:
        return refused
    if _asks_version(arguments):
        print(f"bimail {__version__}")
        return 0
    group = COMMANDS.get(_command(arguments) or "")
    # only the invoked command's group: the other groups' modules are not even imported;
    # anything else (help, a typo, no command) gets the whole parser and its messages
    parser = build_parser([group] if group else COMMAND_GROUPS)
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
