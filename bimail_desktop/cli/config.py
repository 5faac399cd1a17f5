"""`bimail config export FILE | config import FILE` (never contains passwords)."""

from __future__ import annotations

import argparse
from typing import Any

from .common import EXIT_OK, Context


def register(sub: Any) -> None:
    config = sub.add_parser("config", help="export or import the mailbox configuration "
                            "(senders, default sender, templates, trusted certificates; "
                            "never passwords)")
    csub = config.add_subparsers(dest="config_command", required=True, metavar="COMMAND")
    p = csub.add_parser("export", help="write the configuration to a JSON file")
    p.add_argument("file")
    p.set_defaults(handler=cmd_export)
    p = csub.add_parser("import", help="merge a configuration file into this mailbox")
    p.add_argument("file")
    p.set_defaults(handler=cmd_import)


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    data = ctx.mailbox.export_config_file(args.file)
    ctx.emit({"file": args.file, "senders": len(data["senders"]),
              "templates": len(data["templates"]),
              "trusted_certificates": len(data["trusted_certificates"])},
             f"Exported {len(data['senders'])} senders, {len(data['templates'])} templates and "
             f"{len(data['trusted_certificates'])} trusted certificates to {args.file} "
             "(no passwords).")
    return EXIT_OK


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    summary = ctx.mailbox.import_config_file(args.file)
    lines = [f"Imported {args.file}: {len(summary.senders_added)} senders added, "
             f"{len(summary.senders_updated)} updated, {summary.templates} templates, "
             f"{summary.certificates} trusted certificates."]
    if summary.default_sender:
        lines.append(f"Default sender: {summary.default_sender}")
    if summary.senders_added:
        lines.append("Passwords are not part of an export. Set them with: "
                     "bimail senders edit ADDRESS --password-stdin")
    ctx.emit(summary.to_dict(), lines)
    return EXIT_OK
