"""Each CLI command loads only what it uses: `bimail --version` and `--help` answer without
the database library, and listing senders loads neither the OAuth2 sign-in (Authlib, an
HTTP server) nor the diagnosis. Checked in a fresh interpreter, through ``sys.modules``
after the command ran (the timings themselves are in bench/bench_startup.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# runs `bimail ARGS` in this interpreter, then prints the loaded modules as JSON on stderr
PROBE = r"""
import json, sys
from bimail_desktop.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
sys.stderr.write("\nMODULES " + json.dumps(sorted(sys.modules)) + "\n")
raise SystemExit(code)
"""


def loaded_by(cli, *args: str) -> tuple[int, str, set[str]]:  # type: ignore[no-untyped-def]
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                          text=True, encoding="utf-8", env=cli.env, timeout=120)
    marker = proc.stderr.rindex("MODULES ")
    modules = set(json.loads(proc.stderr[marker + len("MODULES "):]))
    return proc.returncode, proc.stdout, modules


def heavy(modules: set[str], *names: str) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.mark.parametrize("args", [["--version"], ["--json", "--lang", "zh_CN", "--version"]])
def test_version_answers_without_the_database_library(cli, args) -> None:  # type: ignore[no-untyped-def]
    code, out, modules = loaded_by(cli, *args)
    assert code == 0
    assert out.strip() == "bimail 0.1.0"
    assert heavy(modules, "sqlalchemy", "keyring", "alembic", "authlib") == []


def test_help_lists_every_command_without_the_database_library(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, modules = loaded_by(cli, "--help")
    assert code == 0
    for command in ("senders", "test-mail", "send", "records", "diagnose", "trust", "config"):
        assert command in out
    assert heavy(modules, "sqlalchemy", "keyring", "authlib", "http.server") == []


def test_listing_senders_loads_no_sign_in_and_no_diagnosis(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("senders", "add", "--server", "smtp.example.com", "--port", "587",
               "--address", "bi@example.com").returncode == 0
    code, out, modules = loaded_by(cli, "senders", "list")
    assert code == 0
    assert "bi@example.com" in out
    assert heavy(modules, "authlib", "http.server", "bimail_desktop.mail.diagnostics",
                 "bimail_desktop.mail.autodetect", "bimail_desktop.mail.oauth_flow") == []
    # nothing that only sending needs, either
    assert heavy(modules, "smtplib", "bimail_desktop.mail.transport",
                 "bimail_desktop.mail.message") == []
    # nor the use cases built on first use (relay, configuration transfer), the
    # MySQL dialect on an SQLite store, or the log file's handlers when nothing is logged
    assert heavy(modules, "bimail_desktop.services.relaying",
                 "bimail_desktop.services.config_transfer",
                 "bimail_desktop.store.relay_schema", "sqlalchemy.dialects.mysql",
                 "sqlalchemy.dialects.postgresql", "logging.handlers", "alembic") == []


def test_a_bad_option_before_version_is_still_an_error(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--lang", "xx", "--version")
    assert result.returncode == 2
    assert "--lang" in result.stderr
    assert "bimail 0.1.0" not in result.stdout


def test_each_command_is_known_with_the_group_that_registers_it() -> None:
    """A command builds only its own group's parser: the table of commands must name every
    command each group registers, and only those."""
    import argparse
    import importlib

    from bimail_desktop.cli import COMMAND_GROUPS, COMMANDS

    registered: dict[str, str] = {}
    for group in COMMAND_GROUPS:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(f"bimail_desktop.cli.{group}").register(sub)
        registered.update({name: group for name in sub.choices})
    assert registered == COMMANDS


def test_listing_senders_builds_only_the_senders_commands(cli) -> None:  # type: ignore[no-untyped-def]
    code, _out, modules = loaded_by(cli, "--json", "senders", "list")
    assert code == 0
    others = heavy(modules, *(f"bimail_desktop.cli.{g}" for g in
                              ("config", "sending", "doctor", "diagnose", "trust", "records",
                               "relay")))
    assert others == []


def test_a_mistyped_command_still_lists_every_command(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("sendrs", "list")
    assert result.returncode == 2
    for command in ("senders", "test-mail", "records", "relay", "trust", "detect"):
        assert command in result.stderr
