"""`bimail senders …` and `bimail default …`."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain.models import Sender
from .common import EXIT_NOT_CONFIGURED, EXIT_OK, Context, read_password_stdin, table


def _sender_options(parser: argparse.ArgumentParser, *, adding: bool) -> None:
    parser.add_argument("--server", required=adding, help="mail server (SMTP) host or IP")
    parser.add_argument("--port", default=25 if adding else None,
                        help="port (default 25)")
    parser.add_argument("--encryption", default="tls" if adding else None,
                        help="ssl | tls | none (default tls)")
    if adding:
        parser.add_argument("--address", required=True, help="sender address")
    else:
        parser.add_argument("--address", dest="new_address", help="new sender address")
    parser.add_argument("--username", help="login name, if not the address")
    parser.add_argument("--show-name", dest="show_name", help="display name of the sender")
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the password (or authorisation code) from standard input")
    parser.add_argument("--rate-limit", dest="rate_limit",
                        help="at most N mails per minute from this sender (0 = no limit; "
                             "default 10)")


def register(sub: Any) -> None:
    senders = sub.add_parser("senders", help="list, add, edit and remove sender accounts")
    ssub = senders.add_subparsers(dest="senders_command", required=True, metavar="COMMAND")
    p = ssub.add_parser("list", help="list the stored senders")
    p.set_defaults(handler=cmd_list)
    p = ssub.add_parser("add", help="add one sender account")
    _sender_options(p, adding=True)
    p.set_defaults(handler=cmd_add)
    p = ssub.add_parser("edit", help="change a sender account")
    p.add_argument("address", help="the sender's current address")
    _sender_options(p, adding=False)
    p.set_defaults(handler=cmd_edit)
    p = ssub.add_parser("remove", help="delete a sender account (and its stored password)")
    p.add_argument("address")
    p.set_defaults(handler=cmd_remove)

    default = sub.add_parser("default", help="show, set or clear the default sender")
    dsub = default.add_subparsers(dest="default_command", required=True, metavar="COMMAND")
    dsub.add_parser("show", help="show the default sender").set_defaults(handler=cmd_default_show)
    p = dsub.add_parser("set", help="make a sender the default sender")
    p.add_argument("address")
    p.set_defaults(handler=cmd_default_set)
    dsub.add_parser("clear", help="clear the default sender").set_defaults(
        handler=cmd_default_clear)


def _describe(sender: Sender) -> str:
    name = f"{sender.show_name} <{sender.address}>" if sender.show_name else sender.address
    return (f"{name} via {sender.server}:{sender.port} ({sender.encryption.label})"
            + (" [default]" if sender.is_default else ""))


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    senders = ctx.mailbox.list_senders(check_secrets=True)
    rows = [[("*" if s.is_default else ""), s.address, s.show_name, s.server, s.port,
             s.encryption.label, s.username or "(address)", s.rate_limit] for s in senders]
    text = (table(["Default", "Address", "Show name", "Server", "Port", "Encryption",
                   "User name", "Per minute"], rows)
            if senders else ["No senders yet. Add one with: bimail senders add --server HOST "
                             "--address ADDRESS --password-stdin"])
    ctx.emit([s.to_public_dict() for s in senders], text)
    return EXIT_OK


def _fields(args: argparse.Namespace, *, adding: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "server": args.server,
        "port": args.port,
        "encryption": args.encryption,
        "username": args.username,
        "show_name": args.show_name,
        "rate_limit": args.rate_limit,
    }
    if adding:
        fields["address"] = args.address
    elif args.new_address is not None:
        fields["address"] = args.new_address
    return {k: v for k, v in fields.items() if v is not None}


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    password = read_password_stdin() if args.password_stdin else None
    sender = ctx.mailbox.add_sender(_fields(args, adding=True), password=password)
    ctx.emit(sender.to_public_dict(), f"Added sender {_describe(sender)}.")
    if not ctx.json and not ctx.mailbox.is_configured():
        print(f"The mailbox is not configured yet: bimail default set {sender.address}")
    return EXIT_OK


def cmd_edit(args: argparse.Namespace, ctx: Context) -> int:
    password = read_password_stdin() if args.password_stdin else None
    sender = ctx.mailbox.edit_sender(args.address, _fields(args, adding=False),
                                     password=password)
    ctx.emit(sender.to_public_dict(), f"Saved sender {_describe(sender)}.")
    return EXIT_OK


def cmd_remove(args: argparse.Namespace, ctx: Context) -> int:
    sender = ctx.mailbox.remove_sender(args.address)
    lines = [f"Removed sender {sender.address} and its stored password."]
    if sender.is_default:
        lines.append("It was the default sender: the mailbox is now not configured. "
                     "Choose another with: bimail default set ADDRESS")
    ctx.emit({"removed": sender.to_public_dict(), "configured": ctx.mailbox.is_configured()},
             lines)
    return EXIT_OK


def cmd_default_show(args: argparse.Namespace, ctx: Context) -> int:
    sender = ctx.mailbox.default_sender()
    if sender is None:
        ctx.emit({"configured": False, "default_sender": None},
                 "Mailbox not configured: no default sender. "
                 "Choose one with: bimail default set ADDRESS")
        return EXIT_NOT_CONFIGURED
    ctx.emit({"configured": True, "default_sender": sender.to_public_dict()},
             f"Default sender: {_describe(sender)}")
    return EXIT_OK


def cmd_default_set(args: argparse.Namespace, ctx: Context) -> int:
    sender = ctx.mailbox.set_default_sender(args.address)
    ctx.emit({"configured": True, "default_sender": sender.to_public_dict()},
             f"Default sender saved: {_describe(sender)}")
    return EXIT_OK


def cmd_default_clear(args: argparse.Namespace, ctx: Context) -> int:
    ctx.mailbox.clear_default_sender()
    ctx.emit({"configured": False, "default_sender": None},
             "Default sender cleared: the mailbox is not configured.")
    return EXIT_OK
