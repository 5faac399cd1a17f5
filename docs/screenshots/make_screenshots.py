"""Regenerate the README's screenshots from a temporary data folder with example senders.

    python docs/screenshots/make_screenshots.py

Runs the real program (`python -m bimail_desktop.gui.app --screenshot …`) off screen.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SUPPORT = ROOT / "tests" / "support"

SENDERS = [
    ("smtp.qq.com", "465", "ssl", "bi-reports@qq.com", "BI Reports"),
    ("10.0.0.25", "25", "none", "bi#ops&alerts@corp.example.com", "BI Alerts"),
    ("smtp.office365.com", "587", "tls", "bi@contoso.com", "Contoso BI"),
]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BIMAIL_")}
        env.update(
            BIMAIL_HOME=tmp,
            PYTHONPATH=os.pathsep.join([str(SUPPORT), str(ROOT)]),
            PYTHON_KEYRING_BACKEND="bimail_test_keyring.FileKeyring",
            BIMAIL_TEST_KEYRING_FILE=str(Path(tmp) / "keychain.json"),
        )
        env.pop("QT_QPA_PLATFORM", None)

        def run(*args: str, stdin: str | None = None) -> None:
            subprocess.run(
                [sys.executable, *args], input=stdin, text=True, env=env, check=True, cwd=ROOT
            )

        for server, port, enc, address, name in SENDERS:
            run(
                "-m",
                "bimail_desktop",
                "senders",
                "add",
                "--server",
                server,
                "--port",
                port,
                "--encryption",
                enc,
                "--address",
                address,
                "--show-name",
                name,
                "--password-stdin",
                stdin="example-authorisation-code\n",
            )
        run("-m", "bimail_desktop", "default", "set", "bi-reports@qq.com")
        run(
            "-m",
            "bimail_desktop.gui.app",
            "--screenshot",
            str(HERE / "main-window.png"),
            "--page",
            "senders",
        )
        run(
            "-m",
            "bimail_desktop.gui.app",
            "--screenshot",
            str(HERE / "sender-dialog.png"),
            "--dialog",
            "sender",
        )
        run(
            "-m",
            "bimail_desktop.gui.app",
            "--screenshot",
            str(HERE / "relay-page.png"),
            "--page",
            "relay",
        )
        daily = Path(tmp) / "daily-sales.html"
        daily.write_text(
            "<h2 style=\"font-family: 'Wingdings 3', Arial\">Daily sales — ${region}</h2>"
            "<p>Hello ${name},</p><p>yesterday's sales in ${region} reached "
            "<b>${total}</b>. The dashboard is attached.</p><p>— BI Reports</p>", "utf-8")
        run("-m", "bimail_desktop", "templates", "add", "Daily sales by region", "--subject",
            "Sales of ${day} — ${region}", "--html-file", str(daily))
        run(
            "-m",
            "bimail_desktop.gui.app",
            "--screenshot",
            str(HERE / "templates-page.png"),
            "--page",
            "templates",
        )
        # one page in Chinese: every text of the window is translated
        run(
            "-m",
            "bimail_desktop.gui.app",
            "--lang",
            "zh_CN",
            "--screenshot",
            str(HERE / "main-window-zh_CN.png"),
            "--page",
            "senders",
        )
        # the records and diagnostics pages after real sends and a real diagnosis
        run(str(HERE / "page_shots.py"), str(HERE))
    print("wrote the screenshots into", HERE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
