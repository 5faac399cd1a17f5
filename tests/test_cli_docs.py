"""docs/CLI.md matches the code: every command, every option of `bimail --help` and of
each command's help, every exit code and every error code is documented there."""

from __future__ import annotations

import argparse
from pathlib import Path

from bimail_desktop.cli import build_parser
from bimail_desktop.cli.common import EXIT_FAILED, EXIT_NOT_CONFIGURED, EXIT_OK, EXIT_USAGE
from bimail_desktop.domain.errors import ErrorCode

CLI_MD = Path(__file__).resolve().parents[1] / "docs" / "CLI.md"


def _commands(parser: argparse.ArgumentParser, prefix: str = "bimail"
              ) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(prefix, parser)]
    for action in parser._actions:  # argparse keeps its sub-parsers here
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _commands(sub, f"{prefix} {name}")
    return found


def test_every_command_and_option_is_documented() -> None:
    text = CLI_MD.read_text("utf-8")
    missing = []
    for command, parser in _commands(build_parser()):
        if command != "bimail" and command not in text:
            missing.append(command)
        for action in parser._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help" and option not in text:
                    missing.append(f"{command} {option}")
    assert not missing, "not in docs/CLI.md:\n" + "\n".join(missing)


def test_every_exit_code_and_error_code_is_documented() -> None:
    text = CLI_MD.read_text("utf-8")
    for code in (EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NOT_CONFIGURED):
        assert f"| `{code}` |" in text, code
    missing = [code.value for code in ErrorCode if f"`{code.value}`" not in text]
    assert not missing, f"error codes not in docs/CLI.md: {missing}"
