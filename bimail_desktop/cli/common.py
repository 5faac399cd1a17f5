"""What every CLI command shares: opening the mailbox, output, errors and exit codes."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from ..domain.errors import BimailError, ErrorCode
from ..domain.texts import language, msg_text

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_NOT_CONFIGURED = 3

# codes that mean "your input was wrong, nothing was changed"
_USAGE_CODES = {ErrorCode.INVALID_INPUT, ErrorCode.NOT_FOUND, ErrorCode.CHANGED_ELSEWHERE}

Handler = Callable[[argparse.Namespace, "Context"], int]


class Context:
    """Per-invocation state: the parsed global options and a lazily opened mailbox."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.json = bool(args.json)
        # --lang, else BIMAIL_LANG, else English
        self.lang: str = language(getattr(args, "lang", None), os.environ.get("BIMAIL_LANG"))
        self._mailbox: Any = None

    @property
    def mailbox(self) -> Any:
        if self._mailbox is None:
            from ..services import Mailbox

            self._mailbox = Mailbox.open(self.args.db, lang=self.lang)
        return self._mailbox

    def close(self) -> None:
        if self._mailbox is not None:
            self._mailbox.close()

    def t(self, key: str, **params: object) -> str:
        """A sentence of the text catalogue in the language of this invocation."""
        return msg_text(key, self.lang, **params)

    def store_failure(self, exc: BaseException) -> BimailError | None:
        """What an unexpected error means if it is about the store (damaged, unreachable,
        read-only, disk full); None for anything else."""
        if self._mailbox is not None:
            failure: BimailError | None = self._mailbox.store.failure(exc)
            return failure
        from ..store.failures import classify_any

        return classify_any(exc, self.args.db or "the data store")

    def emit(self, data: Any, text: str | Sequence[str] | None = None) -> None:
        """Print ``data`` as JSON with --json, else ``text`` (or a readable rendering)."""
        if self.json:
            print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
            return
        if text is None:
            text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        if isinstance(text, str):
            print(text)
        else:
            for line in text:
                print(line)


def exit_code_for(error: BimailError) -> int:
    if error.code in _USAGE_CODES:
        return EXIT_USAGE
    if error.code is ErrorCode.NOT_CONFIGURED:
        return EXIT_NOT_CONFIGURED
    return EXIT_FAILED


def report_error(ctx: Context | None, error: BimailError, as_json: bool, lang: str = "en") -> int:
    if as_json:
        print(json.dumps({"error": error.to_dict(lang)}, ensure_ascii=False, indent=2))
    else:
        data = error.to_dict(lang)
        print(msg_text("cli.error_line", lang, code=error.code.value, message=data["message"]),
              file=sys.stderr)
        if error.server_reply:
            print(msg_text("cli.server_said", lang, reply=error.server_reply), file=sys.stderr)
        if error.detail:
            print(msg_text("cli.why", lang, why=data["explanation"]), file=sys.stderr)
        print(msg_text("cli.fix", lang, fix=data["fix"]), file=sys.stderr)
    return exit_code_for(error)


def read_password_stdin() -> str:
    """The password from standard input: the first line, without its line break."""
    data = sys.stdin.readline()
    return data.rstrip("\r\n")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """A plain aligned text table."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines
