"""How the GUI shows outcomes: catalogue errors as title / explanation / fix, and the two
status colours (chosen to read on light and dark themes alike; everything else uses the
palette)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from .i18n import detail_text, installed_language, problem_text

if TYPE_CHECKING:  # imported when an error is shown: the window paints without the catalogue
    from ..domain.errors import BimailError

# Mid-tone colours: legible on white and on a dark window background.
OK_COLOUR = "#2e9e4f"
WARN_COLOUR = "#c77c02"
ERROR_COLOUR = "#d9453b"
BANNER_STYLE = (
    "QLabel { background-color: rgba(230, 160, 0, 0.22); "
    "border: 1px solid rgba(200, 130, 0, 0.85); border-radius: 4px; }"
)


def coloured(text: str, colour: str, *, bold: bool = True) -> str:
    import html  # here: its entity table costs start-up time before any text is coloured

    weight = "font-weight:600;" if bold else ""
    return f'<span style="color:{colour};{weight}">{html.escape(text)}</span>'


def field_problem(error: BimailError) -> str:
    """The problem sentence of an invalid_input error without the "field: " prefix (the
    GUI shows it right next to the field), in the language of the window."""
    return problem_text(error)


def error_html(error: BaseException, lang: str | None = None) -> str:
    """Rich text for an error: the title in the error colour, then what happened, the plain
    explanation, the fix and the server's reply when there is one (``lang``: default the
    window's language)."""
    import html

    from ..domain.errors import BimailError, ErrorCode

    lang = lang or installed_language()
    if not isinstance(error, BimailError):
        # a programming error: say so without a trace; details are in the log
        return coloured(_tr("Unexpected error: %s") % type(error).__name__, ERROR_COLOUR)
    data: dict[str, Any] = error.to_dict(lang)
    parts = [coloured(str(data["title"]), ERROR_COLOUR)]
    explanation = str(data["explanation"])
    nothing_left = nothing_was_sent(error)
    if nothing_left:
        # cancelled before the mail was handed over: no "may or may not have been sent"
        explanation = _tr("Cancelled before the mail was handed to the server: nothing was "
                          "sent.")
    elif error.detail:
        detail = detail_text(error, lang)
        if not says_the_same(detail, explanation):  # no explanation twice
            parts.append(html.escape(detail))
    ip = (error.extra or {}).get("ip")
    if ip:
        parts.append(html.escape(_tr("Server address: %1").replace("%1", str(ip))))
    parts.append(html.escape(explanation))
    if error.code is not ErrorCode.INTERRUPTED:
        fix = html.escape(str(data["fix"]))
        parts.append("<b>" + html.escape(_fix_label(lang)) + "</b> " + fix)
    reply = data.get("server_reply")
    if reply:
        parts.append(
            html.escape(_reply_label(lang)) + " <code>" + html.escape(str(reply)) + "</code>"
        )
    return "<br>".join(parts)


def nothing_was_sent(error: BaseException) -> bool:
    """An interrupted send that stopped before the mail's content went to the server."""
    from ..domain.errors import BimailError, ErrorCode

    if not isinstance(error, BimailError) or error.code is not ErrorCode.INTERRUPTED:
        return False
    stage = str((error.extra or {}).get("stage") or "")
    return stage in {"dns", "connect", "greeting", "tls", "ehlo", "auth", "mail", "rcpt"}


def says_the_same(first: str, second: str) -> bool:
    """Whether two sentences say mostly the same (so that only one is shown): most of the
    shorter one's three-letter runs are in the other — in English and in Chinese alike."""
    def runs(text: str) -> set[str]:
        text = " ".join(text.lower().split())
        return {text[i:i + 3] for i in range(max(len(text) - 2, 0))}

    a, b = runs(first), runs(second)
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= 0.6


def error_plain(error: BaseException, lang: str | None = None) -> str:
    from ..domain.errors import BimailError

    lang = lang or installed_language()
    if not isinstance(error, BimailError):
        return _tr("Unexpected error: %s") % type(error).__name__
    title, explanation, _fix = error.info.text(lang)
    fix = error.fix(lang)
    lines = [title]
    if error.detail:
        lines.append(detail_text(error, lang))
    lines += [explanation, f"{_fix_label(lang)} {fix}"]
    return "\n".join(lines)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Feedback", text)


def _fix_label(lang: str) -> str:
    return _tr("What to do:")


def _reply_label(lang: str) -> str:
    return _tr("The server replied:")
