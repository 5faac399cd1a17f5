"""`bimail test-mail`, `bimail send` and `bimail templates …`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..domain.errors import InvalidInput
from ..domain.models import Template
from ..domain.texts import Msg, msg_text
from .common import EXIT_FAILED, EXIT_OK, Context, table


def _positive_seconds(text: str) -> float:
    from ..domain.validation import validate_seconds

    try:
        return validate_seconds(text)
    except InvalidInput as error:
        raise argparse.ArgumentTypeError(error.problem_text()) from None


def register(sub: Any) -> None:
    p = sub.add_parser("test-mail", help="send the test mail (\"Congratulation! …\")")
    p.add_argument("--to", required=True, metavar="RCPT", help="recipient of the test mail")
    p.add_argument("--sender", metavar="ADDR", help="stored sender to send from "
                   "(default: the default sender)")
    p.add_argument("--timeout", type=_positive_seconds, metavar="SECONDS",
                   help="time allowed for connecting and for every server reply (default 30)")
    p.set_defaults(handler=cmd_test_mail)

    p = sub.add_parser("send", help="send a template to one or more recipients")
    p.add_argument("--template", required=True, metavar="NAME", help="template name")
    p.add_argument("--to", required=True, action="append", metavar="RCPT",
                   help="recipient (repeat, or separate with commas)")
    p.add_argument("--resource", action="append", default=[], metavar="R",
                   help="a local file to attach, or a URL to list in the mail (repeatable)")
    p.add_argument("--var", action="append", default=[], metavar="KEY=VALUE",
                   help="value of a ${KEY} placeholder of the template, as text: HTML "
                   "characters are escaped in the body (repeatable)")
    p.add_argument("--var-raw", action="append", default=[], metavar="KEY=HTML",
                   help="value of a ${KEY} placeholder as trusted HTML, put into the body "
                   "as it is (repeatable)")
    p.add_argument("--sender", metavar="ADDR", help="stored sender to send from "
                   "(default: the default sender)")
    p.add_argument("--timeout", type=_positive_seconds, metavar="SECONDS",
                   help="time allowed for connecting and for every server reply (default 30)")
    p.set_defaults(handler=cmd_send)

    templates = sub.add_parser("templates", help="list, add, update and remove mail templates")
    tsub = templates.add_subparsers(dest="templates_command", required=True, metavar="COMMAND")
    tsub.add_parser("list", help="list the templates").set_defaults(handler=cmd_templates_list)
    p = tsub.add_parser("add", help="add a template")
    p.add_argument("name")
    p.add_argument("--subject", required=True, help="subject; may hold ${placeholders}")
    p.add_argument("--html-file", required=True, metavar="F",
                   help="file with the HTML body (UTF-8); may hold ${placeholders}")
    p.set_defaults(handler=cmd_templates_add)
    p = tsub.add_parser("update", help="change a template's subject or HTML body")
    p.add_argument("name")
    p.add_argument("--subject")
    p.add_argument("--html-file", metavar="F")
    p.set_defaults(handler=cmd_templates_update)
    p = tsub.add_parser("remove", help="remove a template (the Test Mail stays)")
    p.add_argument("name")
    p.set_defaults(handler=cmd_templates_remove)
    p = tsub.add_parser("duplicate", help="copy a template under a new name")
    p.add_argument("name")
    p.add_argument("--as", dest="new_name", metavar="NEW",
                   help="name of the copy (default: NAME (copy))")
    p.set_defaults(handler=cmd_templates_duplicate)


# -- sending -------------------------------------------------------------------------------
def _outcome_lines(outcome: Any, lang: str) -> list[str]:
    lines: list[str] = []
    sent = [r.recipient for r in outcome.recipients if r.success]
    if sent:
        lines.append(msg_text("cli.sent", lang, template=outcome.template, sender=outcome.sender,
                        count=len(sent), ms=outcome.duration_ms, message=outcome.message_id))
    for result in outcome.recipients:
        if result.success:
            lines.append(msg_text("cli.recipient_ok", lang, recipient=result.recipient))
        else:
            error = result.error
            lines.append(msg_text("cli.recipient_failed", lang, recipient=result.recipient,
                            code=error.code.value, message=error.message(lang)))
            if error.server_reply:
                lines.append("          " + msg_text("cli.server_said", lang,
                                                      reply=error.server_reply))
    return lines


def _run_send(ctx: Context, call: Any) -> int:
    from ..domain.models import SendFailed

    try:
        outcome = call()
    except SendFailed as failed:
        if not ctx.json and len(failed.outcome.recipients) > 1:
            for line in _outcome_lines(failed.outcome, ctx.lang):
                print(line, file=sys.stderr)
        raise
    lines = _outcome_lines(outcome, ctx.lang)
    if not outcome.ok:
        failed_count = len(outcome.failed)
        lines.append(ctx.t("cli.some_failed", failed=failed_count,
                           total=len(outcome.recipients)))
    ctx.emit(outcome.to_dict(ctx.lang), lines)
    return EXIT_OK if outcome.ok else EXIT_FAILED


def cmd_test_mail(args: argparse.Namespace, ctx: Context) -> int:
    return _run_send(ctx, lambda: ctx.mailbox.send_test_mail(
        args.to, sender=args.sender, timeout=args.timeout))


def _variables(pairs: list[str], option: str = "var") -> dict[str, str]:
    variables: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(option, Msg("sending.bad_variable", pair=pair))
        variables[key.strip()] = value
    return variables


def cmd_send(args: argparse.Namespace, ctx: Context) -> int:
    variables = _variables(args.var)
    raw_variables = _variables(args.var_raw, "var_raw")
    return _run_send(ctx, lambda: ctx.mailbox.send(
        args.template, args.to, resources=args.resource, variables=variables,
        raw_variables=raw_variables, sender=args.sender, timeout=args.timeout))


# -- templates -----------------------------------------------------------------------------
def _template_dict(template: Template) -> dict[str, Any]:
    from ..services.templates import placeholders

    return {
        "name": template.name,
        "subject": template.subject,
        "builtin": template.builtin,
        "placeholders": placeholders(template),
        "html": template.html,
    }


def _read_html(path_text: str) -> str:
    from ..services.templates import read_template_file

    return read_template_file(path_text, "--html-file")


def cmd_templates_list(args: argparse.Namespace, ctx: Context) -> int:
    from ..services.templates import placeholders

    templates = ctx.mailbox.list_templates()
    rows = [[t.name, t.subject, ctx.t("cli.yes") if t.builtin else "",
             ", ".join(placeholders(t))] for t in templates]
    ctx.emit([_template_dict(t) for t in templates],
             table(ctx.t("cli.templates_columns").split("|"), rows))
    return EXIT_OK


def cmd_templates_add(args: argparse.Namespace, ctx: Context) -> int:
    template = ctx.mailbox.add_template(args.name, args.subject, _read_html(args.html_file))
    ctx.emit(_template_dict(template), ctx.t("cli.template_added", name=template.name))
    return EXIT_OK


def cmd_templates_update(args: argparse.Namespace, ctx: Context) -> int:
    if args.subject is None and args.html_file is None:
        raise InvalidInput("subject", Msg("templates.nothing_to_change"))
    html = _read_html(args.html_file) if args.html_file is not None else None
    template = ctx.mailbox.update_template(args.name, subject=args.subject, html=html)
    ctx.emit(_template_dict(template), ctx.t("cli.template_saved", name=template.name))
    return EXIT_OK


def cmd_templates_duplicate(args: argparse.Namespace, ctx: Context) -> int:
    template = ctx.mailbox.duplicate_template(args.name, args.new_name)
    ctx.emit(_template_dict(template), ctx.t("cli.template_copied", name=template.name,
                                             original=args.name))
    return EXIT_OK


def cmd_templates_remove(args: argparse.Namespace, ctx: Context) -> int:
    template = ctx.mailbox.remove_template(args.name)
    ctx.emit({"removed": _template_dict(template)},
             ctx.t("cli.template_removed", name=template.name))
    return EXIT_OK
