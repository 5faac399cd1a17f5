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
             ctx.t("cli.exported", senders=len(data["senders"]),
                   templates=len(data["templates"]),
                   certificates=len(data["trusted_certificates"]), file=args.file))
    return EXIT_OK


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    summary = ctx.mailbox.import_config_file(args.file)
    lines = [ctx.t("cli.imported", file=args.file, added=len(summary.senders_added),
                   updated=len(summary.senders_updated), templates=summary.templates,
                   certificates=summary.certificates)]
    if summary.default_sender:
        lines.append(ctx.t("cli.default_is", sender=summary.default_sender))
    if summary.senders_added:
        lines.append(ctx.t("cli.set_passwords"))
    ctx.emit(summary.to_dict(), lines)
    return EXIT_OK
