"""`bimail senders …` and `bimail default …`."""

from __future__ import annotations

import argparse
from typing import Any

from ..config import KEYRING_SERVICE
from ..domain.models import AuthMethod, Sender
from ..domain.texts import Msg, msg_text
from ..domain.validation import validate_auth_method
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
    _oauth_options(parser)


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
    p.add_argument("--if-version", type=int, metavar="N", dest="if_version",
                   help="change it only if it is still at version N (as `senders list "
                   "--json` showed it); otherwise changed_elsewhere, nothing changed")
    p.set_defaults(handler=cmd_edit)
    p = ssub.add_parser("remove", help="delete a sender account (and its stored password)")
    p.add_argument("address")
    p.set_defaults(handler=cmd_remove)
    _register_sign_in(ssub)

    default = sub.add_parser("default", help="show, set or clear the default sender")
    dsub = default.add_subparsers(dest="default_command", required=True, metavar="COMMAND")
    dsub.add_parser("show", help="show the default sender").set_defaults(handler=cmd_default_show)
    p = dsub.add_parser("set", help="make a sender the default sender")
    p.add_argument("address")
    p.set_defaults(handler=cmd_default_set)
    dsub.add_parser("clear", help="clear the default sender").set_defaults(
        handler=cmd_default_clear)


def _describe(sender: Sender, lang: str = "en") -> str:
    name = f"{sender.show_name} <{sender.address}>" if sender.show_name else sender.address
    line = msg_text("cli.sender_line", lang, name=name, server=sender.server,
                    port=sender.port, encryption=sender.encryption.label_in(lang))
    return line + (msg_text("cli.default_mark", lang) if sender.is_default else "")


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    senders = ctx.mailbox.list_senders(check_secrets=True)
    checks = ctx.mailbox.last_checks()
    rows = [[("*" if s.is_default else ""), s.address, s.show_name, s.server, s.port,
             s.encryption.label_in(ctx.lang), s.username or ctx.t("cli.username_is_address"),
             s.rate_limit, _sign_in_label(ctx, s),
             _check_label(ctx, checks.get(s.address.lower()))]
            for s in senders]
    text = (table(ctx.t("cli.senders_columns").split("|"), rows)
            if senders else [ctx.t("cli.no_senders")])
    text += [ctx.t("cli.warning", address=s.address, warning=w) for s in senders
             for w in ctx.mailbox.sender_warnings(s)]
    listed = []
    for sender in senders:
        data = _with_oauth(ctx, sender)
        check = checks.get(sender.address.lower())
        data["last_check"] = check.to_dict() if check is not None else None
        listed.append(data)
    ctx.emit(listed, text)
    return EXIT_OK


def _check_label(ctx: Context, check: Any) -> str:
    """'2024-05-01 08:30 test mail: success' (local time, in the chosen language) or ''
    when never checked."""
    if check is None:
        return ""
    when = check.at.astimezone().strftime("%Y-%m-%d %H:%M")
    what = (ctx.t("cli.check_test_mail") if check.kind == "test_mail"
            else ctx.t("cli.check_diagnosis"))
    result = (ctx.t("cli.check_success") if check.result == "success"
              else ctx.t("cli.check_failure") if check.result == "failure" else check.result)
    if check.error_code:
        result += f" ({check.error_code})"
    return ctx.t("cli.check_line", when=when, what=what, result=result)


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
    oauth = _oauth_request(args, ctx, None)
    sender = ctx.mailbox.add_sender(_fields(args, adding=True), password=password)
    sender = _apply_oauth(ctx, sender, oauth, adding=True)
    ctx.emit(sender.to_public_dict(), ctx.t("cli.sender_added", sender=_describe(sender, ctx.lang)))
    if not ctx.json and not ctx.mailbox.is_configured():
        print(ctx.t("cli.not_configured_yet", address=sender.address))
    return EXIT_OK


def cmd_edit(args: argparse.Namespace, ctx: Context) -> int:
    password = read_password_stdin() if args.password_stdin else None
    oauth = _oauth_request(args, ctx, args.address)
    sender = ctx.mailbox.edit_sender(args.address, _fields(args, adding=False),
                                     password=password,
                                     expected_version=getattr(args, "if_version", None))
    sender = _apply_oauth(ctx, sender, oauth, adding=False)
    ctx.emit(sender.to_public_dict(), ctx.t("cli.sender_saved", sender=_describe(sender, ctx.lang)))
    return EXIT_OK


def cmd_remove(args: argparse.Namespace, ctx: Context) -> int:
    removal = ctx.mailbox.remove_sender_report(args.address)
    sender = removal.sender
    keychain: dict[str, Any] = {"cleaned": removal.keychain_cleaned}
    if removal.keychain_cleaned:
        lines = [ctx.t("cli.sender_removed", address=sender.address)]
    else:
        advice = removal.keychain_advice(ctx.lang)
        lines = [ctx.t("cli.sender_removed_only", address=sender.address), advice]
        keychain.update(left=list(removal.keychain_left), service=KEYRING_SERVICE,
                        retry_on_start=removal.retry_on_start, message=advice)
    if sender.is_default:
        lines.append(ctx.t("cli.removed_default"))
    ctx.emit({"removed": sender.to_public_dict(), "configured": ctx.mailbox.is_configured(),
              "keychain": keychain}, lines)
    return EXIT_OK



def cmd_default_show(args: argparse.Namespace, ctx: Context) -> int:
    sender = ctx.mailbox.default_sender()
    if sender is None:
        from ..domain.errors import BimailError, ErrorCode

        error = BimailError(ErrorCode.NOT_CONFIGURED, Msg("senders.no_default"))
        ctx.emit({"configured": False, "default_sender": None,
                  "message": error.message(ctx.lang), "fix": error.fix(ctx.lang)},
                 [error.message(ctx.lang), ctx.t("cli.fix", fix=error.fix(ctx.lang))])
        return EXIT_NOT_CONFIGURED
    ctx.emit({"configured": True, "default_sender": sender.to_public_dict()},
             ctx.t("cli.default_is", sender=_describe(sender, ctx.lang)))
    return EXIT_OK


def cmd_default_set(args: argparse.Namespace, ctx: Context) -> int:
    sender = ctx.mailbox.set_default_sender(args.address)
    ctx.emit({"configured": True, "default_sender": sender.to_public_dict()},
             ctx.t("cli.default_saved", sender=_describe(sender, ctx.lang)))
    return EXIT_OK


def cmd_default_clear(args: argparse.Namespace, ctx: Context) -> int:
    ctx.mailbox.clear_default_sender()
    ctx.emit({"configured": False, "default_sender": None},
             ctx.t("cli.default_cleared"))
    return EXIT_OK


# -- OAuth2 senders ------------------------------------------------------------------------
_AUTH_CHOICES = ["password", "oauth2-microsoft", "oauth2-google", "oauth2-custom"]
_OAUTH_FIELDS = ("client_id", "tenant", "scopes", "auth_url", "token_url", "device_url",
                 "flow")


def _oauth_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("OAuth2 sign-in (Microsoft 365, Google, other)")
    group.add_argument("--auth", choices=_AUTH_CHOICES,
                       help="how the sender logs in (default: password)")
    group.add_argument("--client-id", dest="client_id",
                       help="application (client) ID of the app registered for this program")
    group.add_argument("--client-secret-stdin", dest="client_secret_stdin",
                       action="store_true",
                       help="read the client secret from standard input (Google; after the "
                            "password line when --password-stdin is given too)")
    group.add_argument("--tenant", help="Microsoft 365 tenant (default: organizations)")
    group.add_argument("--scopes", help="scopes, space-separated (default: the provider's)")
    group.add_argument("--auth-url", dest="auth_url", help="authorisation endpoint (other "
                                                          "provider)")
    group.add_argument("--token-url", dest="token_url", help="token endpoint (other provider)")
    group.add_argument("--device-url", dest="device_url",
                       help="device authorisation endpoint (other provider; optional)")
    group.add_argument("--oauth-flow", dest="flow",
                       choices=["interactive", "client-credentials"],
                       help="interactive (default): a user signs in once; client-credentials: "
                            "the application signs in with its client secret (Microsoft 365 "
                            "SMTP.SendAsApp; for servers and the relay: no user, no sign-in)")


def _register_sign_in(ssub: Any) -> None:
    p = ssub.add_parser(
        "sign-in",
        help="sign an OAuth2 sender in (device code shown here; --browser for the browser)")
    p.add_argument("address")
    p.add_argument("--browser", action="store_true",
                   help="sign in through the system browser and a local redirect instead of "
                        "a device code")
    p.add_argument("--timeout", default=300.0,
                   help="seconds to wait for the sign-in (default 300)")
    p.add_argument("--port", default=0,
                   help="with --browser: local port of the redirect (default: a free one; "
                        "fix it to forward it with ssh -L)")
    p.set_defaults(handler=cmd_sign_in)


def _oauth_request(args: argparse.Namespace, ctx: Context,
                   address: str | None) -> tuple[AuthMethod, dict[str, str], str | None] | None:
    """(method, settings, client secret) from the options, checked before anything is
    saved; None when no OAuth2 option was given."""
    given = {name: getattr(args, name) for name in _OAUTH_FIELDS
             if getattr(args, name, None) is not None}
    if args.auth is None and not given and not args.client_secret_stdin:
        return None
    secret = read_password_stdin() if args.client_secret_stdin else None
    current: dict[str, str] = {}
    method = args.auth
    has_secret = False
    if address is not None:
        current = ctx.mailbox.sender_oauth_settings(address).to_dict()
        has_secret = ctx.mailbox.sender_has_client_secret(address)
        if method is None:
            method = ctx.mailbox.get_sender(address).auth_method
    method = validate_auth_method(method, "auth")  # either spelling: oauth2-google too
    if method is AuthMethod.PASSWORD and (given or secret):
        from ..domain.errors import InvalidInput

        raise InvalidInput("auth", Msg("senders.oauth_options_need_auth"))
    settings = {**current, **given}
    ctx.mailbox.check_oauth_settings(method, settings, client_secret=secret,
                                     has_saved_secret=has_secret)
    return method, settings, secret


def _apply_oauth(ctx: Context, sender: Sender,
                 oauth: tuple[AuthMethod, dict[str, str], str | None] | None, *,
                 adding: bool) -> Sender:
    if oauth is None:
        return sender
    method, settings, secret = oauth
    try:
        sender = ctx.mailbox.set_sender_oauth(sender.address, method, settings,
                                              client_secret=secret)
    except BaseException:
        if adding:  # nothing half-added
            ctx.mailbox.remove_sender(sender.address)
        raise
    app = settings.get("flow", "").replace("-", "_") == "client_credentials"
    if method is not AuthMethod.PASSWORD and not ctx.json and not app:
        print(ctx.t("cli.sign_in_next", command=f"bimail senders sign-in {sender.address}"
                    + (" --browser" if method is AuthMethod.OAUTH2_GOOGLE else "")))
    return sender


def _sign_in_label(ctx: Context, sender: Sender) -> str:
    if sender.auth_method is AuthMethod.PASSWORD:
        return ctx.t("cli.password_sign_in")
    status = ctx.mailbox.oauth_status(sender.address)
    return f"{sender.auth_method.replace('_', '-')} ({status.replace('_', ' ')})"


def _with_oauth(ctx: Context, sender: Sender) -> dict[str, Any]:
    data = sender.to_public_dict()
    data["oauth_status"] = ctx.mailbox.oauth_status(sender)
    data["warnings"] = ctx.mailbox.sender_warnings(sender)
    if sender.auth_method is not AuthMethod.PASSWORD:
        data["oauth"] = ctx.mailbox.sender_oauth_settings(sender.address).to_dict()
    return data


def cmd_sign_in(args: argparse.Namespace, ctx: Context) -> int:
    import sys

    from ..domain.validation import MAX_PORT, validate_seconds, validate_whole_number

    args.timeout = validate_seconds(args.timeout, "--timeout")
    args.port = validate_whole_number(args.port, "--port", minimum=0, maximum=MAX_PORT)
    say = sys.stderr if ctx.json else sys.stdout
    if ctx.mailbox.sender_oauth_settings(args.address).client_credentials:
        # no user signs in: fetch the application's token now, to check the settings
        ctx.mailbox.oauth_access_token(args.address, force_refresh=True)
        ctx.emit({"address": args.address, "oauth_status": "signed_in", "account": ""},
                 ctx.t("cli.app_signed_in", address=args.address))
        return EXIT_OK
    if args.browser:
        def show_url(url: str) -> None:
            print(ctx.t("cli.opening_browser", url=url), file=say, flush=True)

        account = ctx.mailbox.oauth_sign_in(args.address, timeout=args.timeout,
                                            port=args.port, on_url=show_url)
    else:
        def show_code(device: Any) -> None:
            print(device.instructions(), file=say, flush=True)
            print(ctx.t("cli.device_code", code=device.user_code), file=say, flush=True)
            print(ctx.t("cli.waiting_sign_in"), file=say, flush=True)

        account = ctx.mailbox.oauth_device_sign_in(args.address, show=show_code,
                                                   timeout=args.timeout)
    ctx.emit({"address": args.address, "oauth_status": ctx.mailbox.oauth_status(args.address),
              "account": account},
             ctx.t("cli.signed_in", account=account, address=args.address))
    return EXIT_OK
