"""Smoke test of the installed application built by `make bundle` (build_installer.spec).

Runs the frozen programs in dist/bimail-desktop/ as an admin would: the versions, the GUI
rendering its window to a PNG (offscreen, in both languages), the CLI adding a sender and
sending the test mail to a real local SMTP server, and keyring's backend discovery inside
the bundle. Skipped unless BIMAIL_TEST_BUNDLE=1 and the bundle has been built::

    make bundle && BIMAIL_TEST_BUNDLE=1 .venv/bin/python -m pytest tests/test_bundle.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bimail_desktop import __version__
from bimail_desktop.domain.models import TEST_MAIL_TEXT

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist" / "bimail-desktop"
EXE = ".exe" if sys.platform == "win32" else ""
if sys.platform == "darwin" and (ROOT / "dist" / "bimail-desktop.app").is_dir():
    DIST = ROOT / "dist" / "bimail-desktop.app" / "Contents" / "MacOS"
GUI = DIST / f"bimail-desktop{EXE}"
CLI = DIST / f"bimail{EXE}"

pytestmark = [
    pytest.mark.bundle,
    pytest.mark.skipif(os.environ.get("BIMAIL_TEST_BUNDLE") != "1",
                       reason="set BIMAIL_TEST_BUNDLE=1 to test the built bundle"),
    pytest.mark.skipif(not (GUI.is_file() and CLI.is_file()),
                       reason="no bundle in dist/: run `make bundle` first"),
]

# the backends keyring ships; all must be known inside the bundle on every platform
KEYRING_BACKENDS = (
    "keyring.backends.SecretService.Keyring",
    "keyring.backends.Windows.WinVaultKeyring",
    "keyring.backends.macOS.Keyring",
    "keyring.backends.kwallet.DBusKeyring",
    "keyring.backends.libsecret.Keyring",
)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A clean environment: own data folder, keyring left to discover its backend itself,
    nothing of the source checkout on the path."""
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("BIMAIL_", "PYTHON", "QT_"))}
    clean.update(BIMAIL_HOME=str(tmp_path / "home"), PYTHONIOENCODING="utf-8")
    return clean


def run(program: Path, *args: str, env: dict[str, str], stdin: str | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(program), *args], input=stdin, capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=timeout,
                          cwd=Path(env["BIMAIL_HOME"]).parent)


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_versions(env: dict[str, str]) -> None:
    assert ok(run(CLI, "--version", env=env)).stdout.strip() == f"bimail {__version__}"
    assert ok(run(GUI, "--version", env=env)).stdout.strip() == f"bimail-desktop {__version__}"


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_gui_renders_its_main_window(env: dict[str, str], tmp_path: Path, lang: str,
                                     qapp: Any) -> None:
    from PySide6.QtGui import QImage

    picture = tmp_path / f"main-{lang}.png"
    ok(run(GUI, "--screenshot", str(picture), "--lang", lang,
           env={**env, "QT_QPA_PLATFORM": "offscreen"}, timeout=120))
    image = QImage(str(picture))
    assert not image.isNull() and image.width() >= 600 and image.height() >= 400
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert len(colours) > 10, "the picture is blank"
    if os.environ.get("BIMAIL_SCREENSHOTS"):
        target = Path(os.environ["BIMAIL_SCREENSHOTS"])
        target.mkdir(parents=True, exist_ok=True)
        image.save(str(target / f"bundle-main-{lang}.png"))


def _doctor(env: dict[str, str]) -> dict[str, Any]:
    result = run(CLI, "--json", "doctor", env=env)
    assert result.returncode in (0, 1), result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


@pytest.fixture
def keychain_env(env: dict[str, str], tmp_path: Path) -> Iterator[dict[str, str]]:
    """An environment with a working system keychain for the frozen CLI.

    Windows, macOS and a Linux desktop session have one. A headless Linux box (CI) gets a
    private D-Bus session with an unlocked GNOME Keyring (the Secret Service), so that the
    bundle must discover and use the real Secret Service backend — no test keyring."""
    if _doctor(env)["keyring"].get("available"):
        yield env
        return
    tools = [shutil.which(t) for t in ("dbus-daemon", "gnome-keyring-daemon")]
    if not sys.platform.startswith("linux") or not all(tools):
        pytest.skip("no usable keychain here (Linux: install dbus-daemon and gnome-keyring)")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    session = {**env, "HOME": str(tmp_path / "user"), "XDG_RUNTIME_DIR": str(runtime),
               "XDG_DATA_HOME": str(tmp_path / "user" / "share")}
    bus = subprocess.Popen([str(tools[0]), "--session", "--nofork", "--nopidfile",
                            "--print-address=1"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True, env=session)
    daemon: subprocess.Popen[str] | None = None
    try:
        assert bus.stdout is not None
        session["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
        daemon = subprocess.Popen(
            [str(tools[1]), "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            text=True, env=session)
        assert daemon.stdin is not None
        daemon.stdin.write("keychain-password-of-the-test")  # unlocks the login keyring
        daemon.stdin.close()
        deadline = time.monotonic() + 20
        while not _doctor(session)["keyring"].get("available"):
            assert time.monotonic() < deadline, "the Secret Service did not come up"
            time.sleep(0.2)
        yield session
    finally:
        for process in (daemon, bus):
            if process is not None:
                process.terminate()
                process.wait(timeout=10)
        if bus.stdout is not None:
            bus.stdout.close()


def test_the_bundle_stores_passwords_in_the_system_keychain(
    keychain_env: dict[str, str],
) -> None:
    keychain = _doctor(keychain_env)["keyring"]
    assert not keychain["backend"].startswith(("keyring.backends.fail.",
                                               "keyring.backends.null.")), keychain
    assert keychain["available"] is True, keychain


def test_cli_adds_a_sender_and_sends_the_test_mail(keychain_env: dict[str, str],
                                                   tmp_path: Path) -> None:
    """STARTTLS with a company CA imported into the program, AUTH with the password kept in
    the system keychain: ssl, truststore, keyring and the store all work frozen."""
    from smtp_servers import SmtpTestServer, ca_pem, issue_certificate, make_ca

    env = keychain_env
    ca = make_ca()
    ca_file = tmp_path / "company-ca.pem"
    ca_file.write_text(ca_pem(ca), "utf-8")
    certificate = issue_certificate(ca, "localhost", "127.0.0.1")
    users = {"reports@example.com": "app-code-123"}
    with SmtpTestServer("starttls", certificate=certificate, users=users) as server:
        ok(run(CLI, "senders", "add", "--server", "127.0.0.1", "--port", str(server.port),
               "--encryption", "tls", "--address", "reports@example.com",
               "--show-name", "BI Reports", "--password-stdin", env=env,
               stdin="app-code-123\n"))
        listed = json.loads(ok(run(CLI, "--json", "senders", "list", env=env)).stdout)
        assert [s["address"] for s in listed] == ["reports@example.com"]
        assert listed[0]["port"] == server.port and listed[0]["encryption"] == "tls"
        assert "app-code-123" not in json.dumps(listed)
        ok(run(CLI, "default", "set", "reports@example.com", env=env))
        ok(run(CLI, "trust", "add", "--pem", str(ca_file), env=env))
        sent = ok(run(CLI, "test-mail", "--to", "admin@example.com", env=env))
        assert "admin@example.com" in sent.stdout
        (message,) = server.handler.messages
        assert message.rcpt_tos == ["admin@example.com"]
        assert message.tls and message.login == "reports@example.com"
        assert TEST_MAIL_TEXT.encode() in message.content.replace(b"=\r\n", b"")
    records = json.loads(ok(run(CLI, "--json", "records", env=env)).stdout)
    assert [r["result"] for r in records] == ["success"]


def test_cli_error_in_chinese(keychain_env: dict[str, str]) -> None:
    from smtp_servers import unused_port

    env = keychain_env
    ok(run(CLI, "senders", "add", "--server", "127.0.0.1", "--port", str(unused_port()),
           "--encryption", "none", "--address", "reports@example.com", env=env))
    failed = run(CLI, "--lang", "zh_CN", "test-mail", "--to", "admin@example.com",
                 "--sender", "reports@example.com", env=env)
    assert failed.returncode == 1, failed.stderr
    assert "connect_refused" in failed.stderr and "连接被拒绝" in failed.stderr, failed.stderr


def test_the_bundle_has_its_resources_translations_and_migrations(env: dict[str, str]) -> None:
    report = _doctor(env)
    assert report["frozen"] is True
    assert report["problems"] == [], report["problems"]
    assert report["translations"]["zh_CN"]["qm"] is True
    assert "0001_initial.py" in report["migrations"]
    assert report["store"] == "ok"
    # Qt's own Chinese (OK / Cancel / Yes / No) ships too
    root = DIST.parent if DIST.name == "MacOS" else DIST
    assert any(root.rglob("qtbase_zh_CN.qm")), "Qt's own translations are missing"


def test_keyring_discovers_its_backends_inside_the_bundle(env: dict[str, str]) -> None:
    """A frozen app that lost keyring's entry points knows only the fail backend. Where the
    machine offers a keychain (a desktop session, Windows, macOS) the bundle must pick it,
    exactly like the same code run from source; on a headless CI box without a Secret
    Service there is no keychain to pick, so we check that discovery works: the bundle
    knows every backend keyring ships, and chooses what the source install chooses."""
    report = _doctor(env)
    keychain = report["keyring"]
    missing = [b for b in KEYRING_BACKENDS if b not in keychain["known"]]
    assert not missing, f"keyring backends lost in the bundle: {missing}"

    # what keyring picks on this machine when run from source, with the same environment
    probe = ("import json, keyring, keyring.backend as b; k = keyring.get_keyring(); "
             "print(json.dumps([type(k).__module__ + '.' + type(k).__qualname__, "
             "sorted(type(x).__module__ + '.' + type(x).__qualname__ "
             "for x in b.get_all_keyring())]))")
    source_env = {**env, "PYTHONPATH": str(ROOT)}
    chosen, viable = json.loads(subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=source_env,
        check=True, timeout=60).stdout)
    assert sorted(keychain["viable"]) == viable
    assert keychain["backend"] == chosen
    if not chosen.startswith("keyring.backends.fail."):
        assert not keychain["backend"].startswith("keyring.backends.fail.")
        assert keychain["available"] is True, keychain


def test_the_frozen_relay_accepts_a_mail(env: dict[str, str], tmp_path: Path) -> None:
    """The relay runs inside the installed application (its SMTP server is part of it): it
    starts, answers EHLO and queues a submitted mail, then stops cleanly on SIGTERM."""
    import signal
    import smtplib

    from smtp_servers import unused_port

    # the default sender's server is down: the mail waits in the queue
    ok(run(CLI, "senders", "add", "--server", "127.0.0.1", "--port", str(unused_port()),
           "--encryption", "none", "--address", "reports@example.com", env=env))
    ok(run(CLI, "default", "set", "reports@example.com", env=env))
    port = unused_port()
    relay = subprocess.Popen([str(CLI), "relay", "serve", "--listen", f"127.0.0.1:{port}"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, cwd=Path(env["BIMAIL_HOME"]).parent)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client = smtplib.SMTP("127.0.0.1", port, timeout=5)
                break
            except OSError:
                assert relay.poll() is None, relay.communicate()
                assert time.monotonic() < deadline, "the frozen relay did not start"
                time.sleep(0.2)
        with client:
            code, _ = client.ehlo()
            assert code == 250
            refused = client.sendmail("app@example.com", ["admin@example.com"],
                                      "Subject: hello\r\n\r\nfrom the BI server\r\n")
            assert refused == {}
    finally:
        relay.send_signal(signal.SIGTERM)
        out, err = relay.communicate(timeout=30)
    assert "Traceback" not in err, err
    queue = ok(run(CLI, "--json", "relay", "queue", env=env))
    assert len(json.loads(queue.stdout)) == 1, queue.stdout
