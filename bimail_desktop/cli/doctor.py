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
from ..domain.texts import Msg
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
    lang = ctx.lang
    resources = resources_dir()
    translations = {}
    for lang in LANGUAGES:
        qm = resources / "translations" / f"bimail_{lang}.qm"
        ts = qm.with_suffix(".ts")
        translations[lang] = {"qm": qm.is_file(), "ts": ts.is_file()}
        if not (qm.is_file() or ts.is_file()):
            problems.append(Msg("doctor.no_translation", lang=lang,
                                folder=str(qm.parent)).render(ctx.lang))
    if not (resources / "providers.json").is_file():
        problems.append(Msg("doctor.no_providers", folder=str(resources)).render(lang))
    # Alembic reads these from files: a bundle without them cannot open a store
    from ..store.engine import MIGRATIONS_DIR

    migrations = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("0*.py"))
    if not migrations:
        problems.append(Msg("doctor.no_migrations").render(lang))

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
        problems.append(Msg("doctor.no_keyring", error=type(exc).__name__).render(lang))
    try:
        status = ctx.mailbox.keychain_status()
        report["keyring"].update(available=status.available,
                                 message=status.message_in(lang))
        report["store"] = "ok"
    except Exception as exc:  # noqa: BLE001
        report["store"] = Msg("doctor.store_failed", error=exc).render(lang)
        problems.append(Msg("doctor.store_not_opened", error=exc).render(lang))
    report["integrity"] = _integrity(ctx, problems)
    report["relay"] = _relay_status(ctx)
    return report, problems


def _integrity(ctx: Context, problems: list[str]) -> dict[str, Any]:
    """The store checked for damage (read-only), and how to restore it from a backup."""
    from ..domain.errors import BimailError
    from ..store.engine import check_integrity, restore_advice

    url = database_url(ctx.args.db)
    try:
        ok, findings = check_integrity(url, ctx.lang)
    except BimailError as exc:
        ok, findings = False, [exc.message(ctx.lang)]
    except Exception as exc:  # noqa: BLE001 - report, never crash the check itself
        ok, findings = False, [f"{type(exc).__name__}: {exc}"]
    advice = "" if ok else restore_advice(url, ctx.lang)
    if not ok:
        problems.append(Msg("doctor.damaged", findings="; ".join(findings[:3]),
                            advice=f" — {advice}" if advice else "").render(ctx.lang))
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
    ctx.emit(report | {"problems": problems}, doctor_lines(report, problems, ctx.lang))
    return EXIT_FAILED if problems else EXIT_OK


def doctor_lines(report: dict[str, Any], problems: list[str], lang: str | None) -> list[str]:
    """The report as an admin reads it, in ``lang`` (names, paths and versions as they are)."""

    def say(msg: Msg) -> str:
        return msg.render(lang)

    keychain = report["keyring"]
    integrity = report["integrity"]
    relay = report["relay"]
    store = report["store"]
    none = say(Msg("doctor.none"))
    translations = ", ".join(
        say(Msg("doctor.translation_compiled", lang=code) if t["qm"] else
            Msg("doctor.translation_source", lang=code) if t["ts"] else
            Msg("doctor.translation_missing", lang=code))
        for code, t in report["translations"].items()
    )
    if keychain.get("available"):
        keychain_line = say(Msg("doctor.keychain_usable", backend=keychain.get("backend")))
    else:
        keychain_line = say(Msg("doctor.keychain_unusable", backend=keychain.get("backend"),
                            reason=keychain.get("message") or keychain.get("error", "")))
    relay_line = (say(Msg("doctor.relay_running", listen=relay["listen"], pid=relay["pid"]))
                  if relay["running"] else say(Msg("doctor.relay_stopped")))
    if relay["queue"] is not None:
        relay_line += say(Msg("doctor.relay_queue", count=relay["queue"]))
    return [
        f"bimail {report['version']}" + (say(Msg("doctor.installed")) if report["frozen"] else ""),
        say(Msg("doctor.python", version=report["python"], platform=report["platform"])),
        say(Msg("doctor.data_folder", path=report["data_home"])),
        say(Msg("doctor.store", url=report["database"],
            state=say(Msg("doctor.store_ok")) if store == "ok" else store)),
        say(Msg("doctor.integrity",
            state=say(Msg("doctor.integrity_ok") if integrity["ok"]
                      else Msg("doctor.integrity_damaged")),
            findings="; ".join(integrity["findings"][:3]))),
        say(Msg("doctor.resources", path=report["resources"])),
        say(Msg("doctor.translations", list=translations)),
        keychain_line,
        say(Msg("doctor.viable", list=", ".join(keychain.get("viable", [])) or none)),
        say(Msg("doctor.known", list=", ".join(keychain.get("known", [])) or none)),
        relay_line,
        *(say(Msg("doctor.problem", problem=p)) for p in problems),
    ]
