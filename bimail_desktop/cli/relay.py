"""`bimail relay …`: the SMTP relay for the BI server and other programs.

  bimail relay serve [--listen HOST:PORT] [--require-auth] [--allow CIDR …]
                     [--tls-cert FILE --tls-key FILE] [--max-size MB]
  bimail relay users add NAME --password-stdin | users remove NAME | users list
  bimail relay queue [--json] | relay flush | relay retry ID
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any

from ..domain.errors import InvalidInput
from ..domain.texts import Msg
from .common import EXIT_OK, Context, read_password_stdin, table


def register(sub: Any) -> None:
    relay = sub.add_parser(
        "relay", help="the SMTP relay: other programs send through the mailbox's senders"
    )
    rsub = relay.add_subparsers(dest="relay_command", required=True, metavar="COMMAND")

    p = rsub.add_parser("serve", help="accept mail on HOST:PORT and deliver it (until "
                        "Ctrl+C or SIGTERM)")
    p.add_argument("--listen", default="127.0.0.1:2525", metavar="HOST:PORT",
                   help="address to listen on (default 127.0.0.1:2525)")
    p.add_argument("--require-auth", action="store_true",
                   help="clients must log in as a relay user (see `relay users`)")
    p.add_argument("--allow", action="append", default=[], metavar="CIDR",
                   help="addresses that may send without logging in (repeatable)")
    p.add_argument("--tls-cert", metavar="FILE", help="PEM certificate for STARTTLS "
                   "(default: one the relay generates; its fingerprint is shown)")
    p.add_argument("--tls-key", metavar="FILE", help="PEM key of --tls-cert")
    p.add_argument("--max-size", metavar="MB", help="largest message in MB (default 25)")
    p.add_argument("--max-clients", metavar="N", default="100",
                   help="clients connected at once (default 100)")
    p.add_argument("--max-recipients", metavar="N", default="100",
                   help="recipients per message (default 100)")
    p.set_defaults(handler=cmd_serve)

    users = rsub.add_parser("users", help="the users the relay's clients log in as")
    usub = users.add_subparsers(dest="users_command", required=True, metavar="COMMAND")
    p = usub.add_parser("add", help="add a relay user (or set a new password)")
    p.add_argument("name")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from standard input (required)")
    p.set_defaults(handler=cmd_users_add)
    p = usub.add_parser("remove", help="remove a relay user")
    p.add_argument("name")
    p.set_defaults(handler=cmd_users_remove)
    p = usub.add_parser("list", help="list the relay users")
    p.set_defaults(handler=cmd_users_list)

    p = rsub.add_parser("queue", help="the messages waiting in the relay's outbox")
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                   help="machine-readable output (same as the global --json)")
    p.set_defaults(handler=cmd_queue)
    p = rsub.add_parser("flush", help="try every waiting message now")
    p.set_defaults(handler=cmd_flush)
    p = rsub.add_parser("retry", help="send an interrupted message again")
    p.add_argument("id", help="the message's id (see `relay queue`)")
    p.set_defaults(handler=cmd_retry)


def _count(text: str, name: str) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise InvalidInput(name, Msg("number.not_whole_quoted", text=text)) from None
    if not 1 <= value <= 100_000:
        raise InvalidInput(name, Msg("relay.count_out_of_range", value=value))
    return value


def cmd_serve(args: argparse.Namespace, ctx: Context) -> int:
    from ..relay import Relay, RelayOptions

    max_size: float | None = None
    if args.max_size is not None:
        try:
            max_size = float(args.max_size)
        except ValueError:
            raise InvalidInput(
                "max_size", Msg("relay.bad_max_size", max_size=args.max_size)) from None
    options = RelayOptions.parse(
        listen=args.listen, require_auth=args.require_auth, allow=args.allow,
        tls_cert=args.tls_cert, tls_key=args.tls_key, max_size=max_size,
        max_clients=_count(args.max_clients, "max_clients"),
        max_recipients=_count(args.max_recipients, "max_recipients"),
    )
    relay = Relay(ctx.mailbox, options)
    stop = threading.Event()

    def on_signal(_number: int, _frame: Any) -> None:
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            host, port = relay.start()
        except OSError as error:
            raise InvalidInput("listen", Msg("relay.cannot_listen", host=options.host,
                                             port=options.port,
                                             why=error.strerror or error)) from None
        print(f"listening on {host}:{port}", flush=True)
        assert relay.certificate is not None
        print(f"STARTTLS certificate SHA-256 {relay.certificate.sha256}", flush=True)
        while not stop.wait(0.5):
            pass
        print(ctx.t("cli.relay_stopping"), file=sys.stderr, flush=True)
        relay.stop()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return EXIT_OK


def cmd_users_add(args: argparse.Namespace, ctx: Context) -> int:
    if not args.password_stdin:
        raise InvalidInput("password", Msg("relay.password_stdin"))
    password = read_password_stdin()
    new = ctx.mailbox.add_relay_user(args.name, password)
    ctx.emit({"name": args.name.strip(), "added": new},
             ctx.t("cli.relay_user_added" if new else "cli.relay_user_password",
                   name=args.name.strip()))
    return EXIT_OK


def cmd_users_remove(args: argparse.Namespace, ctx: Context) -> int:
    ctx.mailbox.remove_relay_user(args.name)
    ctx.emit({"name": args.name.strip(), "removed": True},
             ctx.t("cli.relay_user_removed", name=args.name.strip()))
    return EXIT_OK


def cmd_users_list(args: argparse.Namespace, ctx: Context) -> int:
    names = ctx.mailbox.list_relay_users()
    ctx.emit([{"name": n} for n in names], names or [ctx.t("cli.no_relay_users")])
    return EXIT_OK


def cmd_queue(args: argparse.Namespace, ctx: Context) -> int:
    queue = ctx.mailbox.relay_queue()
    rows = [(q.id, q.status, q.attempts,
             "" if q.next_attempt is None else q.next_attempt.astimezone()
             .isoformat(timespec="seconds"),
             q.sender, ", ".join(q.recipients),
             "" if q.last_error_code is None else
             f"[{q.last_error_code}] {q.last_error_message or ''}") for q in queue]
    text = (table(ctx.t("cli.queue_columns").split("|"), rows) if rows
            else [ctx.t("cli.queue_empty")])
    ctx.emit([q.to_dict() for q in queue], text)
    return EXIT_OK


def cmd_flush(args: argparse.Namespace, ctx: Context) -> int:
    count = ctx.mailbox.relay_flush()
    ctx.emit({"due_now": count}, ctx.t("cli.relay_flushed", count=count))
    return EXIT_OK


def cmd_retry(args: argparse.Namespace, ctx: Context) -> int:
    from ..domain.validation import validate_whole_number

    try:
        message = validate_whole_number(args.id, "id", minimum=1, maximum=2**63 - 1)
    except InvalidInput:
        raise InvalidInput("id", Msg("relay.bad_message_id", id=args.id[:40])) from None
    queued = ctx.mailbox.relay_retry(message)
    ctx.emit(queued.to_dict(), ctx.t("cli.relay_retry", id=queued.id))
    return EXIT_OK
