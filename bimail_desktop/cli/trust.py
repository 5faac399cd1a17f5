"""`bimail trust …`: certificates trusted in the program (imported CAs, pinned servers)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..domain.models import TrustedCertificate
from .common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Context, table


def register(sub: Any) -> None:
    trust = sub.add_parser(
        "trust", help="trust a company CA or one server's certificate, list and remove them"
    )
    tsub = trust.add_subparsers(dest="trust_command", required=True, metavar="COMMAND")

    p = tsub.add_parser("add", help="import a CA certificate (PEM or DER file)")
    p.add_argument("--pem", required=True, metavar="FILE", help="certificate file (.pem/.crt/.cer)")
    p.set_defaults(handler=cmd_add)

    p = tsub.add_parser("list", help="list the trusted certificates")
    p.set_defaults(handler=cmd_list)

    p = tsub.add_parser("remove", help="remove a trusted certificate by its SHA-256")
    p.add_argument("sha256", help="SHA-256 fingerprint (hex, colons allowed)")
    p.set_defaults(handler=cmd_remove)

    p = tsub.add_parser(
        "pin", help="fetch a server's certificate, show it and trust it for that server"
    )
    p.add_argument("--server", required=True, help="mail server host or IP")
    p.add_argument("--port", required=True, help="port")
    p.add_argument("--encryption", default="tls", help="ssl | tls (default tls)")
    p.add_argument(
        "--yes", action="store_true", help="trust without asking (needed without a terminal)"
    )
    p.set_defaults(handler=cmd_pin)


def _entry(cert: TrustedCertificate) -> dict[str, Any]:
    return {
        "sha256": cert.sha256,
        "kind": cert.kind,
        "host": cert.host,
        "subject": cert.subject,
        "added_at": cert.added_at.isoformat(),
    }


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    from ..fileio import read_limited
    from ..services.trust import MAX_CERTIFICATE_FILE

    data = read_limited(args.pem, MAX_CERTIFICATE_FILE, field="--pem")
    cert = ctx.mailbox.trust_import_ca(data)
    ctx.emit(_entry(cert), ctx.t("cli.trusted_ca", subject=cert.subject, sha256=cert.sha256))
    return EXIT_OK


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    certs = ctx.mailbox.trusted_certificates()
    rows = [(c.sha256, c.kind, c.host or "-", c.subject, c.added_at.isoformat()) for c in certs]
    text = (
        table(ctx.t("cli.trust_columns").split("|"), rows)
        if rows
        else [ctx.t("cli.no_trusted")]
    )
    ctx.emit([_entry(c) for c in certs], text)
    return EXIT_OK


def cmd_remove(args: argparse.Namespace, ctx: Context) -> int:
    removed = ctx.mailbox.trust_remove(args.sha256)
    ctx.emit(
        {"removed": removed},
        ctx.t("cli.trust_removed_one" if removed == 1 else "cli.trust_removed", count=removed),
    )
    return EXIT_OK


def cmd_pin(args: argparse.Namespace, ctx: Context) -> int:
    interactive = sys.stdin.isatty() and sys.stdout.isatty() and not ctx.json
    if not args.yes and not interactive:
        print(ctx.t("cli.pin_needs_yes"), file=sys.stderr)
        return EXIT_USAGE
    info = ctx.mailbox.fetch_certificate(args.server, args.port, args.encryption)
    details = [
        ctx.t("cli.cert_server", server=f"{args.server}:{args.port}"),
        ctx.t("cli.cert_subject", subject=info.subject),
        ctx.t("cli.cert_issuer", issuer=info.issuer)
        + (ctx.t("cli.cert_self_signed") if info.self_signed else ""),
        ctx.t("cli.cert_names", names=", ".join(info.alt_names) or "-"),
        ctx.t("cli.cert_valid", start=f"{info.not_before:%Y-%m-%d}",
              end=f"{info.not_after:%Y-%m-%d}")
        + (ctx.t("cli.cert_expired") if info.expired else ""),
        f"SHA-256:     {info.fingerprint}",
    ]
    if not args.yes:
        for line in details:
            print(line)
        answer = input(ctx.t("cli.pin_question"))
        if answer.strip().lower() not in ("y", "yes"):
            print(ctx.t("cli.pin_declined"), file=sys.stderr)
            return EXIT_FAILED
    cert = ctx.mailbox.trust_pin(args.server, args.port, info.pem.encode("ascii"))
    data = _entry(cert) | {"certificate": info.to_dict()}
    ctx.emit(
        data, [*details, ctx.t("cli.pinned", host=cert.host)] if args.yes
        else ctx.t("cli.pinned", host=cert.host)
    )
    return EXIT_OK
