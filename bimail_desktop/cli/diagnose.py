"""`bimail diagnose …` and `bimail detect ADDRESS`: the Diagnostics page, headless."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..domain.errors import InvalidInput
from ..domain.models import Encryption
from ..domain.texts import Msg, is_chinese, msg_text
from ..domain.validation import validate_host, validate_port
from .common import EXIT_FAILED, EXIT_OK, Context, read_password_stdin

_MARK = {"pass": "PASS", "fail": "FAIL", "skipped": "skip"}

DIAGNOSE_EPILOG = """\
Steps: dns, connect, greeting, ehlo, tls, auth_methods, login, rcpt, quit. Each is printed
as it runs; the first failure says why and what to do, and the later steps are skipped.
Nothing is ever sent: with --to the server is only asked whether it accepts the recipient
(MAIL FROM / RCPT TO, then RSET).

Without --sender or --server the default sender is checked. A stored sender's password is
used unless --password-stdin gives another one.

Exit codes: 0 every step passed; 1 a step failed; 2 bad usage; 3 no default sender.

Find settings for an address instead: bimail diagnose --detect ADDRESS (same as
bimail detect ADDRESS).
"""

DETECT_EPILOG = """\
Known providers come from the bundled list (no network needed). For other domains the
usual names (smtp.DOMAIN, mail.DOMAIN, DOMAIN) are tried on ports 587 (TLS), 25 (TLS) and
465 (SSL) at the same time, and what answered is listed best first: trusted encryption,
then encryption with a certificate not trusted yet, then plain text. Nothing is saved:
add the sender you choose with `bimail senders add`.
"""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "diagnose",
        help="check a mail server step by step (or --detect settings for an address)",
        description="Check a mail server step by step: which step fails, why, and the fix.",
        epilog=DIAGNOSE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    who = p.add_mutually_exclusive_group()
    who.add_argument("--sender", metavar="ADDR", help="check this stored sender")
    who.add_argument("--server", metavar="HOST", help="check this server (not stored)")
    who.add_argument("--detect", metavar="ADDRESS",
                     help="suggest server settings for this address instead")
    p.add_argument("--port", help="port with --server (default 25)")
    p.add_argument("--encryption", help="ssl | tls | none with --server (default tls)")
    p.add_argument("--username", help="login name with --server")
    p.add_argument("--address", help="sender address with --server (used for MAIL FROM)")
    p.add_argument("--to", metavar="RCPT",
                   help="also check that the server accepts this recipient (nothing is sent)")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password (or authorisation code) from standard input")
    p.add_argument("--report", metavar="FILE",
                   help="write a report for support: FILE.md (Markdown) or FILE.json")
    p.add_argument("--timeout", default=10.0, metavar="S",
                   help="seconds to wait for each answer (default 10)")
    p.add_argument("--candidate", action="append", metavar="HOST:PORT:ENC", default=None,
                   help="with --detect: try only these (repeatable), e.g. mail.corp:587:tls")
    p.set_defaults(handler=cmd_diagnose)

    d = sub.add_parser(
        "detect",
        help="suggest server settings for an address",
        description="Suggest mail server settings for an address (nothing is saved).",
        epilog=DETECT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    d.add_argument("address")
    d.add_argument("--timeout", default=5.0, metavar="S",
                   help="seconds to wait for each server (default 5)")
    d.add_argument("--candidate", action="append", metavar="HOST:PORT:ENC", default=None,
                   help="try only these (repeatable), e.g. mail.corp:587:tls")
    d.set_defaults(handler=cmd_detect)


# --------------------------------------------------------------------------- diagnose


def _print_step(step: Any, lang: str) -> None:
    status = step.status.value
    if status == "running":
        return
    from ..mail.diagnosis_report import step_title

    detail = step.text(lang)
    print(f"[{_MARK.get(status, status)}] {step_title(step.name, lang)} ({step.name}, "
          f"{step.duration_ms} ms)")
    if detail:
        print(f"       {detail}")
    if step.error is not None:
        data = step.error.to_dict(lang)
        print("       " + msg_text("cli.error_line", lang, code=data["code"],
                                     message=data["title"]))
        if step.error.server_reply:
            print("       " + msg_text("cli.server_said", lang, reply=step.error.server_reply))
        print("       " + msg_text("cli.why", lang, why=data["explanation"]))
        print("       " + msg_text("cli.fix", lang, fix=data["fix"]))
    if step.suggestion:
        enc = Encryption(step.suggestion["encryption"])
        print("       " + msg_text("cli.suggestion", lang, encryption=enc.label_in(lang),
                                 port=step.suggestion["port"], value=enc.value))
    sys.stdout.flush()


def _timeout(value: Any) -> float:
    from ..domain.validation import validate_seconds

    return validate_seconds(value, "--timeout")


def cmd_diagnose(args: argparse.Namespace, ctx: Context) -> int:
    args.timeout = _timeout(args.timeout)
    if args.detect:
        return _detect(ctx, args.detect, args.candidate, args.timeout)
    if args.server is None and any(v is not None for v in (args.port, args.encryption,
                                                           args.username, args.address)):
        raise InvalidInput("server", Msg("cli.diagnose.server_options"))
    if args.report:
        # a report that cannot be written is refused before the diagnosis runs (and notes
        # its result): a refused command changes nothing
        from ..fileio import check_target

        check_target(args.report, "report")
    password = read_password_stdin() if args.password_stdin else None
    kwargs: dict[str, Any] = {"to": args.to, "password": password, "timeout": args.timeout}
    if args.server is not None:
        kwargs["settings"] = {
            "server": args.server,
            "port": args.port,
            "encryption": args.encryption,
            "username": args.username,
            "address": args.address,
        }
    else:
        kwargs["sender"] = args.sender
    if not ctx.json:
        kwargs["progress"] = lambda step: _print_step(step, ctx.lang)
    report = ctx.mailbox.diagnose(**kwargs)
    if args.report:
        path = ctx.mailbox.export_diagnostics_report(report, args.report)
        if not ctx.json:
            print(ctx.t("cli.report_written", path=path))
    if ctx.json:
        ctx.emit(report.to_dict(ctx.lang))
    else:
        if report.ok:
            print(ctx.t("cli.diagnosis_passed", server=report.server, port=report.port,
                        encryption=report.encryption.label_in(ctx.lang)))
        else:
            failed = report.failed_step
            print(ctx.t("cli.diagnosis_failed", step=failed.title if failed else "?",
                        server=report.server, port=report.port,
                        encryption=report.encryption.label_in(ctx.lang)))
            cert = (report.certificate or {}) if failed and failed.name == "tls" else {}
            if cert.get("sha256") and failed is not None and failed.error is not None and \
                    failed.error.code.value in ("tls_untrusted", "tls_hostname_mismatch",
                                                "tls_expired"):
                print(ctx.t("cli.trust_hint", command=(
                    f"bimail trust pin --server {report.server} --port {report.port} "
                    f"--encryption {report.encryption.value}")))
    return EXIT_OK if report.ok else EXIT_FAILED


# --------------------------------------------------------------------------- detect


def _parse_candidates(values: list[str] | None) -> list[tuple[str, int, str]] | None:
    if not values:
        return None
    result = []
    for value in values:
        host, sep, rest = value.rpartition(":")
        host2, sep2, port = host.rpartition(":")
        if not sep or not sep2 or not host2:
            raise InvalidInput("candidate", Msg("cli.diagnose.bad_candidate", value=value))
        try:
            mode = Encryption(rest.lower()).value
            number = validate_port(port, "candidate")
        except (ValueError, InvalidInput):
            raise InvalidInput("candidate",
                               Msg("cli.diagnose.bad_candidate_parts", value=value)) from None
        result.append((validate_host(host2, "candidate"), number, mode))
    return result


def _detect(ctx: Context, address: str, candidates: list[str] | None, timeout: float) -> int:
    def progress(text: Any) -> None:
        line = text.text(ctx.lang) if callable(getattr(text, "text", None)) else text
        print(f"  {line}", flush=True)

    found = ctx.mailbox.detect_settings(
        address, candidates=_parse_candidates(candidates), timeout=timeout,
        progress=None if ctx.json else progress
    )
    lines = [ctx.t("cli.detect_found", address=address)]
    for index, server in enumerate(found, 1):
        lines.append(f"{index}. {server.describe()}")
        if server.note:
            lines.append(f"   {server.note}")
        if server.hint:
            hint = server.hint_zh if is_chinese(ctx.lang) and server.hint_zh else server.hint
            lines.append(f"   {hint}")
        if server.link:
            lines.append("   " + ctx.t("cli.more", link=server.link))
    best = found[0]
    lines.append("")
    lines.append(ctx.t("cli.detect_add", command=(
        f"bimail senders add --server {best.host} --port {best.port} "
        f"--encryption {best.encryption.value} --address {address} --password-stdin")))
    ctx.emit({"address": address, "servers": [s.to_dict() for s in found]}, lines)
    return EXIT_OK


def cmd_detect(args: argparse.Namespace, ctx: Context) -> int:
    args.timeout = _timeout(args.timeout)
    return _detect(ctx, args.address, args.candidate, args.timeout)
