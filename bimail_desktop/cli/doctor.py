"""`bimail doctor`: check that this installation has everything it needs.

For admins after installing, and for support: which version runs (installed or frozen
bundle), where the data lives, whether the store opens, which keychain (keyring backend) the
program uses — and which backends it knows at all. A frozen application that lost keyring's
backend discovery knows only the "fail" backend (pyinstaller#4569); listing them makes that
visible. Nothing secret is read: the keychain check writes, reads and deletes a canary entry.

This is an installation self-check, not a use case: it inspects keyring's registry of
backend classes directly (read-only), which no service needs to offer.
"""

from __future__ import annotations

import argparse
import platform
import sys
from typing import Any

from .. import __version__
from ..config import data_home, database_url
from ..paths import forms_dir, resources_dir
from .common import EXIT_FAILED, EXIT_OK, Context

LANGUAGES = ("zh_CN",)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "doctor",
        help="check this installation: data folder, store, keychain backend, resources",
    )
    p.set_defaults(handler=cmd_doctor)


def keyring_backends() -> dict[str, Any]:
    """The keyring backend in use, the viable ones and every backend class known."""
    import keyring
    import keyring.backend

    def name(cls: type) -> str:
        return f"{cls.__module__}.{cls.__qualname__}"

    viable = [name(type(b)) for b in keyring.backend.get_all_keyring()]
    # get_all_keyring() loaded the backends announced in keyring's metadata; every class
    # that registered itself is in the base class's registry, viable on this machine or not
    known = sorted(name(cls) for cls in keyring.backend.KeyringBackend._classes)
    return {"backend": name(type(keyring.get_keyring())), "viable": sorted(viable),
            "known": known}


def _safe_url(url: str) -> str:
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is reported by the store check
        return url.split("@")[-1]


def collect(ctx: Context) -> tuple[dict[str, Any], list[str]]:
    """Everything `doctor` reports, and the problems found (empty: all is well)."""
    problems: list[str] = []
    resources = resources_dir()
    translations = {}
    for lang in LANGUAGES:
        qm = resources / "translations" / f"bimail_{lang}.qm"
        ts = qm.with_suffix(".ts")
        translations[lang] = {"qm": qm.is_file(), "ts": ts.is_file()}
        if not (qm.is_file() or ts.is_file()):
            problems.append(f"no {lang} translation in {qm.parent}")
    if not (resources / "providers.json").is_file():
        problems.append(f"providers.json missing in {resources}")
    # Alembic reads these from files: a bundle without them cannot open a store
    from ..store.engine import MIGRATIONS_DIR

    migrations = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("0*.py"))
    if not migrations:
        problems.append("the store's migration scripts are missing")

    report: dict[str, Any] = {
        "version": __version__,
        "frozen": bool(getattr(sys, "frozen", False)),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "data_home": str(data_home()),
        "database": _safe_url(database_url(ctx.args.db)),
        "resources": str(resources),
        "forms": str(forms_dir()),
        "translations": translations,
        "migrations": migrations,
    }
    try:
        report["keyring"] = keyring_backends()
    except Exception as exc:  # noqa: BLE001 - report, never crash the check itself
        report["keyring"] = {"backend": None, "viable": [], "known": [],
                             "error": type(exc).__name__}
        problems.append(f"keyring could not be loaded ({type(exc).__name__})")
    try:
        status = ctx.mailbox.keychain_status()
        report["keyring"].update(available=status.available, message=status.message)
        report["store"] = "ok"
    except Exception as exc:  # noqa: BLE001
        report["store"] = f"failed: {exc}"
        problems.append(f"the store could not be opened: {exc}")
    report["integrity"] = _integrity(ctx, problems)
    report["relay"] = _relay_status(ctx)
    return report, problems


def _integrity(ctx: Context, problems: list[str]) -> dict[str, Any]:
    """The store checked for damage (read-only), and how to restore it from a backup."""
    from ..domain.errors import BimailError
    from ..store.engine import check_integrity, restore_advice

    url = database_url(ctx.args.db)
    try:
        ok, findings = check_integrity(url)
    except BimailError as exc:
        ok, findings = False, [exc.message(ctx.lang)]
    except Exception as exc:  # noqa: BLE001 - report, never crash the check itself
        ok, findings = False, [f"{type(exc).__name__}: {exc}"]
    advice = "" if ok else restore_advice(url)
    if not ok:
        problems.append("the store failed its integrity check: " + "; ".join(findings[:3])
                        + (f" — {advice}" if advice else ""))
    return {"ok": ok, "findings": findings, "restore": advice}


def _relay_status(ctx: Context) -> dict[str, Any]:
    """Whether a relay runs on this machine, and how many messages its outbox holds."""
    from ..relay import running_relay

    running = running_relay()
    status: dict[str, Any] = {"running": running is not None,
                              "listen": None if running is None else running.get("listen"),
                              "pid": None if running is None else running.get("pid"),
                              "queue": None}
    try:
        status["queue"] = ctx.mailbox.relay_queue_length()
    except Exception:  # noqa: BLE001 - the store problem is reported above
        pass
    return status


def cmd_doctor(args: argparse.Namespace, ctx: Context) -> int:
    report, problems = collect(ctx)
    keychain = report["keyring"]
    lines = [
        f"bimail {report['version']}" + (" (installed application)" if report["frozen"] else ""),
        f"Python {report['python']} on {report['platform']}",
        f"Data folder:   {report['data_home']}",
        f"Store:         {report['database']} — {report['store']}",
        "Integrity:     " + ("ok" if report["integrity"]["ok"] else "DAMAGED") + " — "
        + "; ".join(report["integrity"]["findings"][:3]),
        f"Resources:     {report['resources']}",
        "Translations:  " + ", ".join(
            f"{lang} ({'compiled' if t['qm'] else 'source' if t['ts'] else 'missing'})"
            for lang, t in report["translations"].items()
        ),
        f"Keychain:      {keychain.get('backend')} — "
        + ("usable" if keychain.get("available") else
           f"NOT usable: {keychain.get('message') or keychain.get('error', '')}"),
        "  viable here: " + (", ".join(keychain.get("viable", [])) or "none"),
        "  known:       " + (", ".join(keychain.get("known", [])) or "none"),
        "Relay:         " + (f"running on {report['relay']['listen']} "
                             f"(process {report['relay']['pid']})"
                             if report["relay"]["running"] else "not running")
        + ("" if report["relay"]["queue"] is None else
           f", {report['relay']['queue']} message(s) in its queue"),
    ]
    lines += [f"Problem: {p}" for p in problems]
    report["problems"] = problems
    ctx.emit(report, lines)
    return EXIT_FAILED if problems else EXIT_OK
