"""Mail templates: the built-in "Test Mail" (S8) and the admin's own templates.

A template has a name, a subject and an HTML body; both may hold ``${placeholders}`` that a
send fills in with :class:`string.Template` semantics (``$$`` is a literal dollar sign).
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping
from html import escape as html_escape
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy import text as sql_text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.clock import now_naive
from ..domain.errors import BimailError, ErrorCode, InvalidInput
from ..domain.models import TEST_MAIL_SUBJECT, TEST_MAIL_TEMPLATE, TEST_MAIL_TEXT, Template
from ..domain.texts import Msg
from ..domain.validation import check_header_text
from ..store import Store
from ..store.schema import TemplateRow

TEST_MAIL_HTML = (
    "<html><body>"
    f"<p style=\"font-family: Arial, SimSun, sans-serif;\">{TEST_MAIL_TEXT}</p>"
    "</body></html>"
)


MAX_NAME = 128
MAX_SUBJECT = 998
MAX_HTML = 2 * 1024 * 1024  # characters of a template's HTML body


def malformed_placeholders(text: str) -> list[str]:
    """The pieces of ``text`` that start like a placeholder but are none (``${first name}``,
    ``${}``, ``${name``, a lone ``$``), as written, in order of appearance."""
    found: list[str] = []
    for match in string.Template.pattern.finditer(text or ""):
        if match.group("invalid") is None:
            continue
        start = match.start()
        rest = text[start:]
        if rest.startswith("${"):
            end = rest.find("}")
            snippet = rest[: end + 1] if 0 <= end <= 40 else rest[:12]
        else:
            snippet = rest[:2].rstrip() or "$"
        if snippet not in found:
            found.append(snippet)
    return found


def _check_placeholders(text: str, field: str) -> None:
    bad = malformed_placeholders(text)
    if bad:
        listed = ", ".join(f"'{item}'" for item in bad)
        raise InvalidInput(
            field,
            Msg("templates.bad_placeholder", listed=listed),
        )


def validate_template_name(name: str) -> str:
    value = (name or "").strip()
    if not value:
        raise InvalidInput("name", Msg("templates.name_empty"))
    if len(value) > MAX_NAME:
        raise InvalidInput("name", Msg("templates.name_too_long", most=MAX_NAME))
    return check_header_text(value, "name")


def validate_subject(subject: str) -> str:
    value = (subject or "").strip()
    if not value:
        raise InvalidInput("subject", Msg("templates.subject_empty"))
    if len(value) > MAX_SUBJECT:
        raise InvalidInput("subject", Msg("templates.subject_too_long", most=MAX_SUBJECT))
    check_header_text(value, "subject")
    _check_placeholders(value, "subject")
    return value


def validate_html(html: str) -> str:
    if not (html or "").strip():
        raise InvalidInput("html", Msg("templates.html_empty"))
    if len(html) > MAX_HTML:
        raise InvalidInput("html", Msg("html.too_long", n=f"{MAX_HTML:,}"))
    _check_placeholders(html, "html")
    return html


def placeholders(template: Template) -> list[str]:
    """The ``${names}`` a send of ``template`` needs, in order of first use."""
    names: list[str] = []
    for text in (template.subject, template.html):
        for name in string.Template(text).get_identifiers():
            if name not in names:
                names.append(name)
    return names


def preview_template(template: Template,
                     variables: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(subject, html) as recipients will see ``template``: the placeholders filled with
    ``variables`` (a missing one shows as its own ``${name}``) and the fonts a mail client
    cannot render replaced by SimSun, as a send does (S9)."""
    from ..mail.message import fallback_fonts

    values = {name: f"${{{name}}}" for name in placeholders(template)}
    values.update({k: str(v) for k, v in (variables or {}).items()})
    subject = string.Template(template.subject).safe_substitute(values)
    # as a send does: a variable's text is escaped in the HTML body
    html = string.Template(template.html).safe_substitute(
        {k: html_escape(v, quote=True) for k, v in values.items()})
    return subject, fallback_fonts(html)


def _variable_values(variables: Mapping[str, Any] | None, field: str) -> dict[str, str]:
    values: dict[str, str] = {}
    if variables is None:
        return values
    if not isinstance(variables, Mapping):
        raise InvalidInput(field, Msg("variables.not_mapping"))
    for key, value in variables.items():
        if not isinstance(key, str) or not key.strip():
            raise InvalidInput(field, Msg("variables.empty_name"))
        if value is None or isinstance(value, bytes | bytearray):
            raise InvalidInput(f"{field}.{key}", Msg("variables.not_text"))
        text = str(value)
        bad = next((ch for ch in text if _is_refused_control(ch)), None)
        if bad is not None:
            raise InvalidInput(f"{field}.{key}",
                               Msg("variables.control", code=f"{ord(bad):04X}"))
        values[key] = text
    return values


def _is_refused_control(ch: str) -> bool:
    """NUL and the other C0/C1 control characters; line breaks and tabs are text."""
    code = ord(ch)
    return (code < 32 and ch not in "\t\n\r") or 127 <= code < 160


def render_template(
    template: Template,
    variables: Mapping[str, Any] | None = None,
    raw_variables: Mapping[str, Any] | None = None,
) -> tuple[str, str]:
    """(subject, html) of ``template`` filled with ``variables``.

    A value of ``variables`` is text: it is HTML-escaped where it goes into the HTML body
    (``<b>`` arrives as ``&lt;b&gt;``, shown as typed). ``raw_variables`` are trusted HTML,
    inserted into the body as they are. Both are put into the subject as they are (it is
    not HTML). A missing variable, a name given in both, a control character (NUL …) in a
    value, or a line break in a value the subject uses is ``invalid_input`` naming the
    variable, before anything is built (header injection)."""
    values = _variable_values(variables, "variables")
    raw = _variable_values(raw_variables, "raw_variables")
    both = sorted(set(values) & set(raw))
    if both:
        raise InvalidInput(f"raw_variables.{both[0]}", Msg("variables.twice"))
    known = {**values, **raw}
    missing = [name for name in placeholders(template) if name not in known]
    if missing:
        listed = ", ".join(f"${{{name}}}" for name in missing)
        raise InvalidInput(
            "variables",
            Msg("templates.missing_values", name=template.name, listed=listed, first=missing[0]),
        )
    for name in string.Template(template.subject).get_identifiers():
        field = "raw_variables" if name in raw else "variables"
        check_header_text(known[name], f"{field}.{name}")
    subject = string.Template(template.subject).substitute(known)
    body_values = {name: html_escape(value, quote=True) for name, value in values.items()}
    body_values.update(raw)
    html = string.Template(template.html).substitute(body_values)
    return subject, html


_TEMPLATE_BY_NAME = select(
    TemplateRow.name, TemplateRow.subject, TemplateRow.html, TemplateRow.builtin
).where(TemplateRow.name == bindparam("name"))

# read at every start (plain SQL: nothing to compile)
_BUILTIN_TEMPLATE = sql_text("SELECT html, builtin FROM templates WHERE name = :name")


class Templates:
    """Use cases on mail templates; the built-in Test Mail is kept by
    :meth:`ensure_builtin_templates`, which the Mailbox calls when it opens."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def ensure_builtin_templates(self) -> None:
        """The "Test Mail" template always exists and always says S8's sentence.

        Usually one read. Programs that start at once on a new store take turns (the
        store's start-up lock) so that exactly one of them writes the row."""
        with self.store.read() as session:
            current = session.execute(
                _BUILTIN_TEMPLATE, {"name": TEST_MAIL_TEMPLATE}).one_or_none()
        if current is not None and current.html == TEST_MAIL_HTML and bool(current.builtin):
            return
        with self.store.write() as session:
            self.store.lock_startup(session)
            row = session.scalar(select(TemplateRow).where(TemplateRow.name == TEST_MAIL_TEMPLATE))
            now = now_naive()
            if row is None:
                session.add(
                    TemplateRow(
                        name=TEST_MAIL_TEMPLATE,
                        subject=TEST_MAIL_SUBJECT,
                        html=TEST_MAIL_HTML,
                        builtin=True,
                        created_at=now,
                        updated_at=now,
                    )
                )
            elif row.html != TEST_MAIL_HTML or not row.builtin:
                row.html, row.subject, row.builtin, row.updated_at = (
                    TEST_MAIL_HTML, TEST_MAIL_SUBJECT, True, now)

    def get_template(self, name: str) -> Template | None:
        with self.store.read() as session:
            row = session.scalar(select(TemplateRow).where(TemplateRow.name == name))
            if row is None:
                return None
            return Template(row.name, row.subject, row.html, row.builtin)

    def list_templates(self) -> list[Template]:
        with self.store.read() as session:
            rows = session.scalars(select(TemplateRow).order_by(TemplateRow.name)).all()
            return [Template(r.name, r.subject, r.html, r.builtin) for r in rows]

    def require_template(self, name: str) -> Template:
        with self.store.read() as session:
            return self.require_template_in(session, name)

    @staticmethod
    def require_template_in(session: Session, name: str) -> Template:
        """``require_template`` inside the caller's transaction (a send reads its template,
        sender, trusted certificates and rate limit in one)."""
        # plain columns, no ORM object: this runs before every send
        row = session.connection().execute(_TEMPLATE_BY_NAME, {"name": name}).first()
        if row is None:
            raise BimailError(
                ErrorCode.NOT_FOUND,
                Msg("templates.not_found", name=name),
                field="template",
            )
        return Template(row.name, row.subject, row.html, bool(row.builtin))

    def add_template(self, name: str, subject: str, html: str) -> Template:
        """Create a template; the name must be new."""
        name = validate_template_name(name)
        subject = validate_subject(subject)
        html = validate_html(html)
        now = now_naive()
        try:
            with self.store.write() as session:
                if session.scalar(select(TemplateRow.id).where(TemplateRow.name == name)):
                    raise InvalidInput(
                        "name", Msg("templates.exists_choose", name=name))
                session.add(TemplateRow(name=name, subject=subject, html=html, builtin=False,
                                        created_at=now, updated_at=now))
        except IntegrityError:
            raise InvalidInput("name", Msg("templates.exists", name=name)) from None
        return Template(name, subject, html, False)

    def put_in(self, session: Session, name: str, subject: str, html: str) -> bool:
        """Add or replace the admin's template ``name`` in the caller's transaction, validated
        like :meth:`add_template`; True when it is new. The built-in Test Mail is fixed."""
        name = validate_template_name(name)
        subject = validate_subject(subject)
        html = validate_html(html)
        now = now_naive()
        row = session.scalar(select(TemplateRow).where(TemplateRow.name == name))
        if row is None:
            session.add(TemplateRow(name=name, subject=subject, html=html, builtin=False,
                                    created_at=now, updated_at=now))
            return True
        if row.builtin:
            raise InvalidInput("name", Msg("templates.builtin_unchangeable", name=row.name))
        row.subject, row.html, row.updated_at = subject, html, now
        return False

    def update_template(
        self, name: str, *, subject: str | None = None, html: str | None = None
    ) -> Template:
        """Change a template's subject and/or HTML. The built-in Test Mail is fixed."""
        new_subject = validate_subject(subject) if subject is not None else None
        new_html = validate_html(html) if html is not None else None
        with self.store.write() as session:
            row = self._template_row(session, name)
            if row.builtin:
                raise InvalidInput("name", Msg("templates.builtin_unchangeable", name=row.name))
            if new_subject is not None:
                row.subject = new_subject
            if new_html is not None:
                row.html = new_html
            row.updated_at = now_naive()
            return Template(row.name, row.subject, row.html, row.builtin)

    def remove_template(self, name: str) -> Template:
        """Delete a template (records keep its name). The built-in Test Mail stays."""
        with self.store.write() as session:
            row = self._template_row(session, name)
            if row.builtin:
                raise InvalidInput("name", Msg("templates.builtin_unremovable", name=row.name))
            removed = Template(row.name, row.subject, row.html, row.builtin)
            session.delete(row)
        return removed

    def duplicate_template(self, name: str, new_name: str | None = None) -> Template:
        """A copy of template ``name`` under ``new_name`` (default: "NAME (copy)", "NAME
        (copy 2)", … whichever is free). The copy is the admin's own, never built in."""
        original = self.require_template((name or "").strip())
        if new_name is None:
            taken = {t.name for t in self.list_templates()}
            new_name, number = f"{original.name} (copy)", 2
            while new_name in taken:
                new_name, number = f"{original.name} (copy {number})", number + 1
        return self.add_template(new_name, original.subject, original.html)

    @staticmethod
    def _template_row(session: Session, name: str) -> TemplateRow:
        row = session.scalar(select(TemplateRow).where(TemplateRow.name == (name or "").strip()))
        if row is None:
            raise BimailError(
                ErrorCode.NOT_FOUND,
                Msg("templates.not_found", name=name),
                field="name",
            )
        return row


# the largest HTML file read for a template body: room for MAX_HTML characters of UTF-8
MAX_HTML_FILE = 8 * 1024 * 1024


def read_template_file(path: str | os.PathLike[str], field: str = "html_file") -> str:
    """A template body from an HTML file (UTF-8, with or without BOM), for the window's
    import and `bimail templates add --html-file`: a regular file of at most 8 MB — never
    a device or a pipe that would not end."""
    from ..fileio import read_limited

    given = Path(os.fspath(path)).expanduser()
    data = read_limited(given, MAX_HTML_FILE, field=field)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(field, Msg("template_file.not_utf8", path=str(given))) from None
