"""The `bimail` command under generated argument vectors (hypothesis).

At least 2,000 vectors per run, built from a grammar of the real commands and options
mixed with hostile values (NaN, huge numbers, dates at and beyond the calendar's ends,
devices, folders and pipes as files, NUL bytes, bytes that are not UTF-8, very long text,
options in the wrong place). Every vector runs through the CLI's ``main`` in this process
and must end with exit 0, 1, 2 or 3 and no traceback; a refused command (exit 2) must leave
the store and the keychain exactly as they were.

Nothing leaves the machine: the senders point at a local aiosmtpd server or a closed
loopback port, name lookups answer only for loopback names and connections go only to those
two ports. The keychain is the in-memory one of tests/conftest.py.

Runs are deterministic when the environment variable CI is set; BIMAIL_FUZZ_EXAMPLES sets
the number of vectors (default 2,000) and BIMAIL_FUZZ_SEED a seed for a local run.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import io
import json
import logging
import os
import socket
import sqlite3
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from bimail_desktop.cli import main
from bimail_desktop.services import Mailbox

EXAMPLES = int(os.environ.get("BIMAIL_FUZZ_EXAMPLES", "2000"))
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1"}


# -- the world the vectors run in ------------------------------------------------------------
@dataclass
class World:
    db: str
    db_file: Path
    smtp_port: int
    closed_port: int
    inputs: list[str] = field(default_factory=list)     # files to read
    outputs: list[str] = field(default_factory=list)    # files to write


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def world(tmp_path: Path, smtp_server_factory: Any, smtp_ca_pem: str,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    server = smtp_server_factory("plain")
    files = tmp_path / "files"
    files.mkdir()
    (files / "daily.html").write_text("<p>Hello ${name}</p>", encoding="utf-8")
    (files / "latin1.html").write_bytes("<p>caf\xe9</p>".encode("latin-1"))
    (files / "ca.pem").write_text(smtp_ca_pem, encoding="ascii")
    (files / "garbage.pem").write_text("-----BEGIN CERTIFICATE-----\nAAAA\n"
                                       "-----END CERTIFICATE-----\n", encoding="ascii")
    (files / "nested.json").write_text("[" * 100_000, encoding="ascii")
    (files / "wrong.json").write_text(json.dumps({"format": "bimail-desktop-config",
                                                  "version": "abc", "senders": 5}))
    with open(files / "huge.json", "wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: takes no disk, refused after 8 MB
    os.mkfifo(files / "pipe")
    (files / "folder").mkdir()
    db_file = tmp_path / "fuzz.db"
    db = f"sqlite:///{db_file}"
    box = Mailbox.open(db)
    box.add_sender({"server": "127.0.0.1", "port": server.port, "encryption": "none",
                    "address": "bi@example.com", "rate_limit": 0})
    box.set_default_sender("bi@example.com")
    box.add_template("Daily", "Daily ${name}", "<p>${name}</p>")
    box.export_config_file(files / "config.json")
    box.close()
    world = World(db, db_file, server.port, _closed_port())
    world.inputs = [str(files / n) for n in ("daily.html", "latin1.html", "ca.pem",
                                             "garbage.pem", "nested.json", "wrong.json",
                                             "huge.json", "pipe", "folder", "config.json",
                                             "missing.html")] + ["/dev/zero", "/", ""]
    world.outputs = [str(tmp_path / "out" / n) for n in ("records.csv", "config.json",
                                                          "report.md", "report.json")]
    world.outputs += [str(files / "folder"), "/", str(tmp_path / "missing" / "x.csv"),
                      str(files / "pipe"), "out.csv", ""]
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path / "out")  # relative output paths land here
    _fence_network(monkeypatch, {server.port, world.closed_port})
    # the root logger is set up by the first command; no console handler on a captured stream
    monkeypatch.setattr(logging.getLogger(), "_bimail_configured", True, raising=False)
    yield world


def _fence_network(monkeypatch: pytest.MonkeyPatch, ports: set[int]) -> None:
    """Name lookups answer for loopback names only; connections go to ``ports`` on
    loopback only (everything else is refused at once, as by a firewall)."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.strip("[]").lower() not in LOOPBACK_NAMES:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (fuzz fence)")
        return real_getaddrinfo(host, *args, **kwargs)

    def allowed(address: Any) -> bool:
        return (isinstance(address, tuple) and len(address) >= 2
                and str(address[0]) in ("127.0.0.1", "::1") and address[1] in ports)

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not allowed(address):
            raise ConnectionRefusedError(111, "Connection refused (fuzz fence)")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not allowed(address):
            return 111
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


def snapshot(world: World, keychain: Any) -> str:
    """Everything a command may change: every table of the store, and the keychain."""
    digest = hashlib.sha256()
    with contextlib.closing(sqlite3.connect(world.db_file)) as connection:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            digest.update(table.encode())
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr(row).encode("utf-8", "backslashreplace"))
    digest.update(repr(sorted(keychain.entries.items())).encode("utf-8", "backslashreplace"))
    return digest.hexdigest()


# -- the grammar -----------------------------------------------------------------------------
HOSTILE = [
    "", " ", "-", "--", "nan", "NaN", "inf", "-inf", "1e308", "-1", "0", "1.5",
    "99999999999999999999", "9" * 400, "0x10", "１２", "0001-01-01", "9999-12-31",
    "1900-01-01", "9999-12-31T23:59:59-12:00", "2024-02-30", "\x00", "a\x00b", "caf\udce9",
    "\udcff\udcfe", "x" * 65_536, "é" * 20_000, "' OR 1=1 --", "%s%n%x", "${name", "$$",
    "=HYPERLINK(\"http://x\")", "\r\nBcc: victim@example.com", "日报", "\u202eevil",
    "--json", "--help-me", "a@b", "@", "bi@[127.0.0.1]", "bi@例子.测试", "BI@EXAMPLE.COM",
    "../../x", "~", "*", "\t", "\n",
]
# random text: never a path separator (nothing may be written outside the test's folder)
TEXT = st.text(alphabet=st.characters(blacklist_characters="/\\",
                                      blacklist_categories=("Cs",)), max_size=24)


def pick(*valid: str, hostile: int = 15) -> st.SearchStrategy[str]:
    """A valid value of this option, or (``hostile`` times in 100) a hostile one or random
    text."""
    wild = st.one_of(st.sampled_from(HOSTILE), st.sampled_from(HOSTILE), TEXT)
    if not valid:
        return wild
    tame = st.sampled_from(valid)
    return st.integers(0, 99).flatmap(lambda n: wild if n < hostile else tame)


@dataclass
class Spec:
    words: tuple[str, ...]
    positional: tuple[str, ...] = ()          # kinds of positional arguments
    required: tuple[str, ...] = ()            # options to (almost) always give
    optional: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    weight: int = 1


SPECS = [
    Spec(("senders", "list")),
    Spec(("senders", "add"), required=("--server", "--address"),
         optional=("--port", "--encryption", "--username", "--show-name", "--rate-limit",
                   "--auth", "--client-id", "--tenant", "--scopes", "--token-url",
                   "--auth-url", "--device-url", "--oauth-flow"),
         flags=("--password-stdin", "--client-secret-stdin"), weight=4),
    Spec(("senders", "edit"), positional=("address",),
         optional=("--server", "--port", "--encryption", "--address", "--username",
                   "--show-name", "--rate-limit", "--auth", "--client-id", "--if-version"),
         flags=("--password-stdin",), weight=3),
    Spec(("senders", "remove"), positional=("address",)),
    Spec(("senders", "sign-in"), positional=("address",), optional=("--timeout", "--port"),
         flags=("--browser",)),
    Spec(("default", "show")), Spec(("default", "clear")),
    Spec(("default", "set"), positional=("address",)),
    Spec(("test-mail",), required=("--to",), optional=("--sender", "--timeout"), weight=3),
    Spec(("send",), required=("--template", "--to"),
         optional=("--to", "--resource", "--var", "--var", "--var-raw", "--sender", "--timeout"),
         weight=3),
    Spec(("templates", "list")),
    Spec(("templates", "add"), positional=("name",), required=("--subject", "--html-file"),
         weight=2),
    Spec(("templates", "update"), positional=("name",), optional=("--subject", "--html-file"),
         weight=2),
    Spec(("templates", "remove"), positional=("name",)),
    Spec(("templates", "duplicate"), positional=("name",), optional=("--as",)),
    Spec(("records",), optional=("--sender", "--recipient", "--template", "--since",
                                 "--until", "--result", "--limit", "--offset", "--sort",
                                 "--csv"),
         flags=("--oldest-first", "--count-all", "--json"), weight=6),
    Spec(("records",), required=("--delete-older-than",), optional=("--since",),
         flags=("--yes", "--json"), weight=2),
    Spec(("records",), required=("--resend-failed",), optional=("--var", "--timeout")),
    Spec(("diagnose",), optional=("--sender", "--server", "--port", "--encryption",
                                  "--username", "--address", "--to", "--report",
                                  "--timeout"),
         flags=("--password-stdin",), weight=3),
    Spec(("diagnose",), required=("--detect",), optional=("--candidate", "--timeout")),
    Spec(("detect",), positional=("address",), optional=("--candidate", "--timeout")),
    Spec(("trust", "add"), required=("--pem",)), Spec(("trust", "list")),
    Spec(("trust", "remove"), positional=("sha256",)),
    Spec(("trust", "pin"), required=("--server", "--port"), optional=("--encryption",),
         flags=("--yes",)),
    Spec(("config", "export"), positional=("output",), weight=2),
    Spec(("config", "import"), positional=("input",), weight=2),
    Spec(("relay", "users", "add"), positional=("name",), flags=("--password-stdin",)),
    Spec(("relay", "users", "remove"), positional=("name",)),
    Spec(("relay", "users", "list")), Spec(("relay", "queue")), Spec(("relay", "flush")),
    Spec(("relay", "retry"), positional=("id",)),
    Spec(("doctor",)),
]
OPTION_NAMES = sorted({o for s in SPECS for o in s.required + s.optional + s.flags}
                      | {"--db", "--lang", "--version", "--help"})


def value_for(kind: str, world: World) -> st.SearchStrategy[str]:
    loop = ("127.0.0.1", "localhost", "::1")
    address = ("bi@example.com", "boss@example.com", "BI@Example.com", "new@example.com",
               "ops@example.com")
    kinds: dict[str, st.SearchStrategy[str]] = {
        "--server": pick(*loop, "smtp.example.com"),
        "--address": pick(*address), "address": pick(*address),
        "--to": pick("boss@example.com", "a@example.com,b@example.com", "x@example.org"),
        "--sender": pick(*address, "bi@", "example"),
        "--recipient": pick("boss", "example.com", "%", "_"),
        "--port": pick(str(world.smtp_port), str(world.closed_port), "25", "465", "587",
                       "65535", "65536", "0"),
        "--encryption": pick("ssl", "tls", "none", "starttls", "SSL"),
        "--username": pick("bi", "bi@example.com"),
        "--show-name": pick("BI Server", "报表"),
        "--rate-limit": pick("0", "1", "10", "10000", "10001"),
        "--timeout": pick("0.5", "1", "3600", "3601", "0.001"),
        "--template": pick("Test Mail", "Daily", "Missing", "test mail"),
        "name": pick("Daily", "Weekly", "Test Mail", "报表"),
        "--as": pick("Daily copy", "Test Mail"),
        "--subject": pick("Daily ${name}", "Report", "${", "Bad\r\nBcc: x@y.z"),
        "--html-file": st.sampled_from(world.inputs) if world.inputs else TEXT,
        "--pem": st.sampled_from(world.inputs),
        "input": st.sampled_from(world.inputs),
        "--csv": st.sampled_from(world.outputs), "--report": st.sampled_from(world.outputs),
        "output": st.sampled_from(world.outputs),
        "--resource": pick(world.inputs[0], "https://bi.example.com/dash/1", "/dev/zero",
                           "ftp://x"),
        "--var": pick("name=Ann", "name=<script>alert(1)</script>", "=x", "novalue",
                      "name=\x00", "name=a\r\nb"),
        "--var-raw": pick("name=<b>Ann</b>", "name=<script>x</script>", "name"),
        "--since": pick("2024-05-01", "2024-05-01T08:30+08:00", "1900-01-02", "9999-12-30",
                        "2030-01-01Z"),
        "--until": pick("2024-05-31", "2100-01-01", "9999-12-30", "1900-01-02"),
        "--result": pick("success", "failure", "FAILURE", "pending"),
        "--limit": pick("1", "100", "10000", "10001"),
        "--offset": pick("0", "5", "1000000000", "1000000001"),
        "--sort": pick("sent_at", "sender", "recipient", "template", "result", "ip", "id"),
        "--delete-older-than": pick("1", "365", "36600", "36601"),
        "--detect": pick(*address, "bi@gmail.com", "bi@qq.com"),
        "--candidate": pick(f"127.0.0.1:{world.smtp_port}:none",
                            f"localhost:{world.closed_port}:tls", "127.0.0.1:99999:tls",
                            "x:25", ":::"),
        "sha256": pick("AB" * 32, ":".join(["AB"] * 32), "zz"),
        "--auth": pick("oauth2-custom", "oauth2-microsoft", "oauth2-google", "password"),
        "--client-id": pick("client-1"), "--tenant": pick("organizations", "contoso"),
        "--scopes": pick("https://outlook.office.com/SMTP.Send offline_access"),
        "--token-url": pick(f"https://127.0.0.1:{world.closed_port}/token"),
        "--auth-url": pick(f"https://127.0.0.1:{world.closed_port}/auth"),
        "--device-url": pick(f"https://127.0.0.1:{world.closed_port}/device"),
        "--oauth-flow": pick("interactive", "client-credentials"),
        "id": pick("1", "2", "999"), "--if-version": pick("1", "2", "3", "0"),
        "--resend-failed": pick("1", "2", "3", "999"),
    }
    return kinds.get(kind, pick())


@st.composite
def vectors(draw: Callable[..., Any], world: World) -> list[str]:
    spec = draw(st.sampled_from([s for s in SPECS for _ in range(s.weight)]))
    argv: list[str] = []
    if draw(st.booleans()):
        argv.append("--json")
    if draw(st.integers(0, 4)) == 0:
        argv += ["--lang", draw(pick("en", "zh_CN", hostile=5))]
    argv += list(spec.words)
    parts: list[list[str]] = []
    for kind in spec.positional:
        if draw(st.integers(0, 9)):
            argv.append(draw(value_for(kind, world)))
    for option in spec.required:
        if draw(st.integers(0, 9)):
            parts.append([option, draw(value_for(option, world))])
    for option in spec.optional:
        if draw(st.integers(0, 2)) == 0:
            parts.append([option, draw(value_for(option, world))])
    for flag in spec.flags:
        if draw(st.integers(0, 2)) == 0:
            parts.append([flag])
    parts = draw(st.permutations(parts)) if parts else parts
    for part in parts:
        if len(part) == 2 and draw(st.integers(0, 5)) == 0:
            argv.append(f"{part[0]}={part[1]}")  # --option=value
        else:
            argv += part
    # now and then: a token out of place, an option without its value, a stray value
    for _ in range(draw(st.integers(0, 2)) if draw(st.integers(0, 3)) == 0 else 0):
        token = draw(st.one_of(st.sampled_from(OPTION_NAMES), st.sampled_from(HOSTILE), TEXT))
        argv.insert(draw(st.integers(0, len(argv))), token)
    if argv and draw(st.integers(0, 9)) == 0:
        argv.pop(draw(st.integers(0, len(argv) - 1)))
    return ["--db", world.db, *argv]


# -- the test --------------------------------------------------------------------------------
@dataclass
class Outcome:
    code: int | None
    out: str
    err: str
    crash: str | None


def run_cli(argv: list[str]) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    stdin = io.StringIO("secret-password\nclient-secret\n")
    crash = None
    code: int | None = None
    real_stdin = os.sys.stdin  # type: ignore[attr-defined]
    os.sys.stdin = stdin  # type: ignore[attr-defined]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse: usage errors (2) and --help (0)
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Exception:  # noqa: BLE001 - the finding of the fuzz (MemoryError included)
        crash = traceback.format_exc()
    finally:
        os.sys.stdin = real_stdin  # type: ignore[attr-defined]
    return Outcome(code, out.getvalue(), err.getvalue(), crash)


def _show(argv: list[str]) -> str:
    return " ".join(repr(a) if len(a) < 80 else repr(a[:60]) + f"…({len(a)} chars)"
                    for a in argv[2:])


@pytest.mark.timeout(900)  # about 80 s alone; a loaded machine takes longer
def test_generated_argument_vectors(world: World, keychain: Any) -> None:
    seen: list[int] = []
    # BIMAIL_FUZZ_STATS=1 (with -s): what the vectors ended with, most frequent first
    want_stats = bool(os.environ.get("BIMAIL_FUZZ_STATS"))
    stats: collections.Counter[str] = collections.Counter()
    codes: dict[int, int] = {}
    deterministic = bool(os.environ.get("CI"))
    config = settings(
        max_examples=EXAMPLES,
        derandomize=deterministic,
        deadline=None,
        database=None,
        phases=(Phase.generate, Phase.shrink) if not deterministic else (Phase.generate,),
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )

    @config
    @given(argv=vectors(world))
    def one_vector(argv: list[str]) -> None:
        seen.append(1)
        before = snapshot(world, keychain)
        outcome = run_cli(argv)
        where = f"bimail {_show(argv)}"
        assert outcome.crash is None, f"{where}\n{outcome.crash}"
        assert outcome.code in (0, 1, 2, 3), f"{where}: exit {outcome.code}\n{outcome.err}"
        assert "Traceback" not in outcome.err, f"{where}\n{outcome.err}"
        codes[outcome.code] = codes.get(outcome.code, 0) + 1
        if want_stats:
            first = (outcome.err or outcome.out).strip().splitlines()
            stats[f"{outcome.code} {argv[2:4] if outcome.code != 2 else ''}"
                  f"{first[-1][:100] if first and outcome.code == 2 else ''}"] += 1
        if outcome.code == 2:
            assert snapshot(world, keychain) == before, \
                f"{where}: refused (exit 2) but changed the store\n{outcome.err}"

    fixed = os.environ.get("BIMAIL_FUZZ_SEED")
    (seed(int(fixed))(one_vector) if fixed and not deterministic else one_vector)()
    if os.environ.get("BIMAIL_FUZZ_STATS"):
        for text, count in stats.most_common(80):
            print(f"{count:6} {text}")
    assert len(seen) >= EXAMPLES
    # the grammar reaches past the argument checks: commands succeed and fail too
    assert codes.get(0, 0) > EXAMPLES // 20 and codes.get(1, 0) > 0, codes
