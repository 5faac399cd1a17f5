"""The desktop window's speed: responsiveness during a test mail, and start-up time.

    python -m bench.bench_gui [--delay 5] [--runs 5]

1. UI responsiveness: a QTimer probe fires every 5 ms and records the longest gap between
   two ticks while the sender dialog sends a test mail to a local SMTP server that waits
   ``--delay`` seconds before greeting. Baseline: the same probe on the idle dialog in the
   same run. Target: the longest stall <= 50 ms.
2. Start-up: wall time from starting the process to the first paint of the main window
   (store opened, migrations checked, keychain probed), next to a bare PySide6
   QMainWindow started the same way in the same run. Target: <= 1.5x the bare window.

Both run on the offscreen platform (QT_QPA_PLATFORM may override it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUPPORT = ROOT / "tests" / "support"
sys.path.insert(0, str(SUPPORT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_KEEP: list[object] = []
PROBE_MS = 5
STALL_TARGET_MS = 50.0
STARTUP_TARGET = 1.5

_PAINT_PROBE = r"""
import os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication([sys.argv[0]])

def ready(window):
    # the product's window is usable once its pages exist; a bare window at once
    return getattr(window, "mailbox", True) is not None

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj.isWidgetType() \
                and isinstance(obj.window(), QMainWindow):
            app.removeEventFilter(self)
            sys.stdout.write("painted\n")
            sys.stdout.flush()
            window = obj.window()
            def poll():
                if ready(window):
                    sys.stdout.write("ready\n")
                    sys.stdout.flush()
                    os._exit(0)
                QTimer.singleShot(2, poll)
            poll()
        return False

probe = FirstPaint()
app.installEventFilter(probe)
"""

_BARE = (
    _PAINT_PROBE
    + r"""
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(960, 600)
window.show()
app.exec()
"""
)

_PRODUCT = (
    _PAINT_PROBE
    + r"""
from bimail_desktop.gui.app import main
main([])
"""
)


# --------------------------------------------------------------------------- responsiveness
class _Probe:
    """Records the longest gap between ticks of a 5 ms timer on the GUI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest = 0.0
        self.ticks = 0

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.last:
            self.longest = max(self.longest, now - self.last)
        self.last = now
        self.ticks += 1

    def start(self) -> None:
        self.last = 0.0
        self.longest = 0.0
        self.ticks = 0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.longest * 1000


def _spin(until: float, condition: object = None) -> None:
    from PySide6.QtWidgets import QApplication

    while time.perf_counter() < until:
        if callable(condition) and condition():
            return
        QApplication.processEvents()
        time.sleep(0.001)


def bench_responsiveness(delay: float) -> tuple[float, float, str]:
    """(longest stall during the send, longest stall idle, outcome text) in ms."""
    import keyring
    from bimail_test_keyring import MemoryKeyring
    from PySide6.QtWidgets import QApplication
    from smtp_servers import SmtpTestServer

    from bimail_desktop.gui.sender_dialog import SenderDialog
    from bimail_desktop.secrets import SecretStore
    from bimail_desktop.services import Mailbox

    keyring.set_keyring(MemoryKeyring())
    app = QApplication.instance() or QApplication([sys.argv[0]])
    with (
        tempfile.TemporaryDirectory() as tmp,
        SmtpTestServer("plain", greeting_delay=delay) as server,
    ):
        os.environ["BIMAIL_HOME"] = tmp
        mailbox = Mailbox.open(f"sqlite:///{Path(tmp) / 'bimail.db'}", secrets=SecretStore())
        dialog = SenderDialog(mailbox)
        dialog.show()
        ui = dialog.ui
        line = ui.serverCombo.lineEdit()
        assert line is not None
        line.setText("127.0.0.1")
        ui.portSpin.setValue(server.port)
        ui.encryptionCombo.setCurrentIndex(ui.encryptionCombo.findData("none"))
        ui.addressEdit.setText("bench@example.com")
        ui.testRecipientEdit.setText("admin@example.com")
        _spin(time.perf_counter() + 0.3)

        probe = _Probe()
        probe.start()
        _spin(time.perf_counter() + min(delay, 2.0))
        idle = probe.stop()

        probe.start()
        ui.testMailButton.click()
        _spin(time.perf_counter() + delay + 30, lambda: not dialog.test_running)
        during = probe.stop()
        outcome = ui.testResultLabel.text()
        dialog.close()
        dialog.deleteLater()
        _spin(time.perf_counter() + 0.1)
        mailbox.close()
    _KEEP.append(app)  # destroyed at exit, after every widget
    return during, idle, outcome


# --------------------------------------------------------------------------- start-up
def _time_to_paint(code: str, env: dict[str, str]) -> tuple[float, float]:
    """(ms to the first paint, ms until the window is usable) of a fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    painted = proc.stdout.readline()
    t_paint = time.perf_counter() - start
    ready = proc.stdout.readline()
    t_ready = time.perf_counter() - start
    proc.wait(30)
    if painted.strip() != "painted" or ready.strip() != "ready":
        raise RuntimeError("the window was never painted")
    return t_paint * 1000, t_ready * 1000


def bench_startup(runs: int) -> tuple[float, float, float]:
    """Medians: (product first paint, product usable, bare window first paint) in ms."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.update(
            BIMAIL_HOME=tmp,
            PYTHONPATH=os.pathsep.join([str(SUPPORT), str(ROOT), env.get("PYTHONPATH", "")]),
            PYTHON_KEYRING_BACKEND="bimail_test_keyring.MemoryKeyring",
        )
        env.pop("BIMAIL_DATABASE_URL", None)
        _time_to_paint(_PRODUCT, env)  # first start creates the store; not counted
        paint, usable, bare = [], [], []
        for _ in range(runs):
            bare.append(_time_to_paint(_BARE, env)[0])
            p, u = _time_to_paint(_PRODUCT, env)
            paint.append(p)
            usable.append(u)
    return statistics.median(paint), statistics.median(usable), statistics.median(bare)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_gui", description=__doc__)
    parser.add_argument(
        "--delay", type=float, default=5.0, help="seconds the test server waits before greeting"
    )
    parser.add_argument("--runs", type=int, default=5, help="start-ups measured of each")
    args = parser.parse_args(argv)

    during, idle, outcome = bench_responsiveness(args.delay)
    ok = during <= STALL_TARGET_MS
    print(
        f"GUI responsiveness during a {args.delay:g} s test mail: longest stall "
        f"{during:.1f} ms (idle dialog baseline {idle:.1f} ms; probe every {PROBE_MS} ms; "
        f"target <= {STALL_TARGET_MS:.0f} ms) {'OK' if ok else 'MISSED'}"
    )
    if "Success" not in outcome:
        print("  note: the test mail did not succeed:", outcome[:200])

    paint, usable, bare = bench_startup(args.runs)
    ratio = paint / bare if bare else float("inf")
    ok2 = ratio <= STARTUP_TARGET
    print(
        f"Start-up to first painted main window: {paint:.0f} ms (bare PySide6 window "
        f"baseline {bare:.0f} ms; {ratio:.2f}x; target <= {STARTUP_TARGET}x; median of "
        f"{args.runs}) {'OK' if ok2 else 'MISSED'}"
    )
    print(
        f"  pages filled (store opened, senders listed): {usable:.0f} ms "
        f"({usable / bare if bare else float('inf'):.2f}x the bare window)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
