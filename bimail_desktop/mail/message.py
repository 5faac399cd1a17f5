"""Building the mails the program sends: headers from validated fields only, a plain-text
and an HTML part, attachments.

Every value that ends up in a header is checked for line breaks and control characters
*before* anything is built (header injection), and each refusal names the field. The
HTML is passed through :func:`fallback_fonts` (S9): font families that mail clients
cannot render — names with spaces or ``-`` such as ``Wingdings 3`` — become ``SimSun``.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from ..domain.errors import InvalidInput
from ..domain.texts import Msg
from ..domain.validation import (
    check_header_text,
    validate_address,
    validate_recipients,
    validate_show_name,
)

FALLBACK_FONT = "SimSun"

# CSS generic families: every mail client renders them, even though "sans-serif" has a "-".
GENERIC_FAMILIES = frozenset(
    {
        "serif",
        "sans-serif",
        "monospace",
        "cursive",
        "fantasy",
        "system-ui",
        "ui-serif",
        "ui-sans-serif",
        "ui-monospace",
        "ui-rounded",
        "emoji",
        "math",
        "fangsong",
        "inherit",
        "initial",
        "unset",
        "revert",
    }
)


# the largest file attached to a mail (servers commonly accept 10 to 35 MB in all)
MAX_ATTACHMENT = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Attachment:
    """A local file attached to the mail (read before the SMTP conversation starts)."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"

    @classmethod
    def from_path(cls, path: Path, field_name: str = "resources") -> Attachment:
        if not path.is_file():
            raise InvalidInput(field_name, Msg("file.missing_or_folder", path=path))
        check_header_text(path.name, field_name)
        from ..fileio import read_limited

        # a regular file of at most 50 MB: more than any mail server accepts in one mail,
        # and never a device or a huge file read into memory
        data = read_limited(path, MAX_ATTACHMENT, field=field_name)
        guessed, encoding = mimetypes.guess_type(path.name)
        content_type = guessed if guessed and not encoding else "application/octet-stream"
        return cls(path.name, data, content_type)


@dataclass(frozen=True, slots=True)
class MailContent:
    """What a mail says: subject, HTML body, linked URLs and attached files."""

    subject: str
    html: str
    links: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


# -- addresses ----------------------------------------------------------------------------
def ascii_address(address: str) -> str:
    """``address`` with its domain IDNA-encoded (the local part is ASCII already)."""
    local, _, domain = address.rpartition("@")
    if domain.isascii():
        return address
    return f"{local}@{domain.encode('idna').decode('ascii')}"


def _header_address(address: str, display_name: str = "") -> Address:
    local, _, domain = ascii_address(address).rpartition("@")
    # username/domain instead of addr_spec: '#' and '&' go through untouched, unparsed
    return Address(display_name=display_name, username=local, domain=domain)


# -- S9: fonts ----------------------------------------------------------------------------
_FAMILY_ITEM = r"""(?:"[^"<>]*"|'[^'<>]*'|&quot;[^"<>]*?&quot;|[^;,"'<>{}\s][^;,"'<>{}]*)"""
_CSS_FONT_FAMILY = re.compile(
    rf"(?P<head>font-family\s*:\s*)(?P<list>{_FAMILY_ITEM}(?:\s*,\s*{_FAMILY_ITEM})*)",
    re.IGNORECASE,
)
_FONT_FACE = re.compile(
    r"""(?P<head><font\b[^>]*?\bface\s*=\s*)(?P<value>"[^"]*"|'[^']*'|[^\s>]+)""",
    re.IGNORECASE,
)


def _unquote(item: str) -> str:
    item = item.strip()
    if item.startswith("&quot;") and item.endswith("&quot;") and len(item) >= 12:
        return item[6:-6].strip()
    if len(item) >= 2 and item[0] == item[-1] and item[0] in "\"'":
        return item[1:-1].strip()
    return item


def renderable_font(name: str) -> bool:
    """False for font families that mail clients cannot render (spaces or '-')."""
    bare = _unquote(name)
    if bare.lower() in GENERIC_FAMILIES:
        return True
    return not any(ch.isspace() or ch == "-" for ch in bare)


def _fallback_family_list(items: Iterable[str]) -> list[str]:
    result: list[str] = []
    seen: set[str] = set()
    for raw in items:
        item = raw.strip()
        if not item:
            continue
        if not renderable_font(item):
            item = FALLBACK_FONT
        key = _unquote(item).lower()
        if key not in seen:
            seen.add(key)
            result.append(item)
    return result


def _split_family_list(text: str) -> list[str]:
    return re.findall(_FAMILY_ITEM, text)


def fallback_fonts(html: str) -> str:
    """S9: replace unrenderable font families in ``font-family`` CSS (style attributes
    and ``<style>`` blocks) and in ``<font face>`` with ``SimSun``."""

    def css(match: re.Match[str]) -> str:
        text = match["list"]
        families = _fallback_family_list(_split_family_list(text))
        trailing = text[len(text.rstrip()) :]
        return match["head"] + ", ".join(families) + trailing

    def face(match: re.Match[str]) -> str:
        value = match["value"]
        quote = value[0] if value[:1] in ("'", '"') else ""
        inner = value[1:-1] if quote else value
        families = _fallback_family_list(_unquote(f) for f in inner.split(","))
        quote = quote or '"'
        return f"{match['head']}{quote}{','.join(families)}{quote}"

    return _FONT_FACE.sub(face, _CSS_FONT_FAMILY.sub(css, html))


# -- plain-text alternative ----------------------------------------------------------------
class _TextExtractor(HTMLParser):
    _BLOCK = frozenset(
        {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
         "ul", "ol", "blockquote", "pre", "hr", "section", "article", "header", "footer"}
    )
    _SKIP = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """A readable plain-text version of ``html`` for the text/plain part."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def add_links(html: str, links: Sequence[str]) -> str:
    """List the URL resources at the end of the HTML body."""
    if not links:
        return html
    items = "".join(f'<li><a href="{escape(url)}">{escape(url)}</a></li>' for url in links)
    block = f"<ul class=\"bimail-resources\">{items}</ul>"
    closing = re.search(r"</body\s*>", html, re.IGNORECASE)
    if closing is None:
        return html + block
    return html[: closing.start()] + block + html[closing.start() :]


# -- the message ---------------------------------------------------------------------------
class _HeaderClasses(HeaderRegistry):
    """The standard header registry, making each header class once per header name: the
    standard library builds a new class with type() every time a header is set (a message
    sets about fifteen, a third of the time it takes to build one). Same classes, same
    parsing and folding: the bytes on the wire do not change."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made


# email.policy.SMTP (CRLF line ends, RFC 2047 headers) with the registry above
_POLICY = SMTP.clone(header_factory=_HeaderClasses())


@dataclass(frozen=True, slots=True)
class BuiltMessage:
    message: EmailMessage
    message_id: str
    envelope_from: str
    envelope_to: tuple[str, ...]


def check_headers(
    *, address: str, show_name: str, recipients: Sequence[str], subject: str,
    recipients_checked: bool = False,
) -> tuple[str, str, list[str], str]:
    """Validate every header value; raises :class:`InvalidInput` naming the field.
    ``recipients_checked``: they come from ``validate_recipients`` already."""
    valid_address = validate_address(address, "address")
    valid_name = validate_show_name(show_name, "show_name")
    valid_to = (list(recipients) if recipients_checked
                else validate_recipients(list(recipients), "to"))
    valid_subject = check_header_text(subject, "subject")
    return valid_address, valid_name, valid_to, valid_subject


def build_message(
    *,
    address: str,
    show_name: str,
    recipients: Sequence[str],
    content: MailContent,
    date: datetime | None = None,
    recipients_checked: bool = False,
) -> BuiltMessage:
    """A multipart/alternative (plain text + HTML) mail, attachments after it.

    ``recipients_checked``: ``recipients`` is the result of ``validate_recipients`` already
    (a send checks them before anything else); checking a thousand addresses again would
    cost as much as a fifth of a local send."""
    address, show_name, to, subject = check_headers(
        address=address, show_name=show_name, recipients=recipients, subject=content.subject,
        recipients_checked=recipients_checked,
    )
    html = fallback_fonts(add_links(content.html, content.links))
    domain = ascii_address(address).rpartition("@")[2]
    message_id = make_msgid(domain=domain)

    msg = EmailMessage(policy=_POLICY)
    msg["From"] = _header_address(address, show_name)
    msg["To"] = [_header_address(r) for r in to]
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date or datetime.now().astimezone())
    msg["Message-ID"] = message_id
    msg.set_content(html_to_text(html))
    msg.add_alternative(html, subtype="html")
    for attachment in content.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        msg.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype or "octet-stream",
            filename=attachment.filename,
        )
    return BuiltMessage(
        message=msg,
        message_id=message_id,
        envelope_from=ascii_address(address),
        envelope_to=tuple(ascii_address(r) for r in to),
    )
