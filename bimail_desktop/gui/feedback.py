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
    if error.detail:
        parts.append(html.escape(detail_text(error, lang)))
    parts.append(html.escape(str(data["explanation"])))
    if error.code is not ErrorCode.INTERRUPTED:
        fix = html.escape(str(data["fix"]))
        parts.append("<b>" + html.escape(_fix_label(lang)) + "</b> " + fix)
    reply = data.get("server_reply")
    if reply:
        parts.append(
            html.escape(_reply_label(lang)) + " <code>" + html.escape(str(reply)) + "</code>"
        )
    return "<br>".join(parts)


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
