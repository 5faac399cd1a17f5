"""The languages of the GUI: English (the source text) and Simplified Chinese.

Which language: ``--lang en|zh_CN`` on the command line, else the choice stored with
:func:`set_language` (a menu in the GUI), else the operating system's language
(``QLocale.system()``): any Chinese locale gets Simplified Chinese, everything else English.

Where the translations come from, most robust first:

1. ``resources/translations/bimail_<lang>.qm`` compiled by ``make translations`` (also run by
   ``make run``, ``make test`` and ``make bundle``; the PyInstaller bundle ships it as
   ``bimail_desktop/resources/translations``). The .qm is never committed.
2. When that file is missing or older than the ``.ts`` beside it (a fresh checkout where
   nobody ran ``make translations``, or a .ts edited since), the ``.ts`` XML itself is read
   by :class:`TsTranslator` — slower to load (a few ms) but never wrong or stale, and it needs
   no Qt tools at run time (``pyside6-lrelease`` is absent from many installs).

Qt's own strings (standard buttons such as OK / Cancel, the context menu of a line edit)
come from ``qtbase_zh_CN.qm`` in PySide6's translations folder.

Errors are not Qt strings: the text catalogue (``domain/texts.py``) carries their English
and Chinese, and :func:`error_text` / :func:`detail_text` render them in the language in use.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTranslator,
)

from ..config import data_home, ensure_private_dir
from ..paths import resource

if TYPE_CHECKING:  # imported when an error is shown: the window paints without the catalogue
    from ..domain.errors import BimailError, ErrorCode, ErrorInfo

log = logging.getLogger(__name__)

ENGLISH = "en"
CHINESE = "zh_CN"
SUPPORTED = (ENGLISH, CHINESE)
#: each language's name in that language, for a language menu (never translated)
LANGUAGE_NAMES = {ENGLISH: "English", CHINESE: "简体中文"}
#: key in the settings file; value "en", "zh_CN", or "" (= follow the operating system)
SETTINGS_KEY = "ui/language"

# Strings lupdate cannot see where they are used — passed to a helper that takes a variable
# (feedback.py's ``_tr(text)``), or a ``self.tr()`` inside an f-string — are marked here so
# that they reach the .ts file. tests/test_i18n.py lists any that are missing.
DYNAMIC_STRINGS = (
    QT_TRANSLATE_NOOP("Feedback", "Unexpected error: %s"),
    QT_TRANSLATE_NOOP("Feedback", "What to do:"),
    QT_TRANSLATE_NOOP("Feedback", "The server replied:"),
    QT_TRANSLATE_NOOP("Feedback", "Cancelled before the mail was handed to the server: "
                                  "nothing was sent."),
    QT_TRANSLATE_NOOP("Feedback", "Server address: %1"),
    QT_TRANSLATE_NOOP("MainWindow", "What to do:"),
    QT_TRANSLATE_NOOP("SenderDialog", "How to set it up"),
    QT_TRANSLATE_NOOP("MainWindow", "Configuration (*.json)"),  # parent.tr(): lupdate guesses
    QT_TRANSLATE_NOOP("RecordsPage", "None"),
    QT_TRANSLATE_NOOP("RecordsPage", "Error"),
    QT_TRANSLATE_NOOP("RecordsPage", "Fix:"),
    QT_TRANSLATE_NOOP("RecordsPage", "Server reply"),
    # certificate_dialog.choose_ca_file(parent): parent.tr() runs in the caller's context
    QT_TRANSLATE_NOOP("CertificateDialog", "Import CA certificate"),
    QT_TRANSLATE_NOOP("CertificateDialog", "Certificates (*.pem *.crt *.cer *.der);;All files (*)"),
    QT_TRANSLATE_NOOP("TrustedCertificatesDialog", "Import CA certificate"),
    QT_TRANSLATE_NOOP(
        "TrustedCertificatesDialog", "Certificates (*.pem *.crt *.cer *.der);;All files (*)"
    ),
)

# the translators installed now: QCoreApplication does not own them, so we keep them alive
_installed: list[QTranslator] = []
_current: str | None = None


def normalize_language(lang: str | None) -> str | None:
    """"zh", "zh-CN", "zh_Hans_CN", "zh_CN.UTF-8" -> "zh_CN"; "en_US" -> "en";
    None, "" or "system" -> None (follow the system). Anything else: ValueError."""
    if lang is None:
        return None
    text = lang.strip().replace("-", "_").split(".", 1)[0].lower()
    if text in ("", "system", "auto"):
        return None
    if text == "zh" or text.startswith("zh_"):
        return CHINESE
    if text in ("c", "posix") or text == "en" or text.startswith("en_"):
        return ENGLISH
    raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(SUPPORTED)}")


def system_language(locale: QLocale | None = None) -> str:
    """The language the operating system asks for: Simplified Chinese for any Chinese
    locale (the only Chinese we offer), else English."""
    locale = locale or QLocale.system()
    for name in [*locale.uiLanguages(), locale.name()]:
        if name.replace("-", "_").lower().startswith("zh"):
            return CHINESE
        if name.replace("-", "_").lower().startswith("en"):
            return ENGLISH
    return CHINESE if locale.language() == QLocale.Language.Chinese else ENGLISH


# --- the stored preference ---------------------------------------------------------------
def settings_file() -> Path:
    """The GUI's per-user settings (INI) in the data folder, shared with the main window's
    geometry (main_window.gui_settings): moves with BIMAIL_HOME, never the registry.

    Per user and per machine on purpose: the store may be a database shared by a team of
    admins, but each of them reads their own language."""
    return data_home() / "gui.ini"


def _settings() -> QSettings:
    return QSettings(str(settings_file()), QSettings.Format.IniFormat)


def preferred_language() -> str | None:
    """The language chosen in the settings, or None to follow the operating system."""
    value = _settings().value(SETTINGS_KEY, "")
    try:
        return normalize_language(str(value or ""))
    except ValueError:
        log.warning("ignoring unknown language %r in %s", value, settings_file())
        return None


def set_language(lang: str | None) -> None:
    """Store the language for the next start (None: follow the operating system).

    To switch at once, call :func:`install_translator` again: Qt then sends every widget a
    ``LanguageChange`` event (widgets built from ``ui/`` forms re-run ``retranslateUi``)."""
    value = normalize_language(lang) or ""
    ensure_private_dir(settings_file().parent)
    settings = _settings()
    settings.setValue(SETTINGS_KEY, value)
    settings.sync()


def resolve_language(lang: str | None = None) -> str:
    """The language to use: ``lang`` (e.g. from --lang), else the BIMAIL_LANG environment
    variable, else the stored preference, else the operating system's."""
    for choice in (lang, os.environ.get("BIMAIL_LANG")):
        normalized = normalize_language(choice)
        if normalized:
            return normalized
    return preferred_language() or system_language()


def current_language() -> str:
    """The language the GUI speaks now ("en" or "zh_CN")."""
    return _current or resolve_language()


def installed_language() -> str:
    """The language of the translators installed now — what ``tr()`` shows: English until
    :func:`install_translator` chose another (texts built without an explicit language
    follow this, so that they always match the widgets around them)."""
    return _current or ENGLISH


# --- loading translations ----------------------------------------------------------------
class TsTranslator(QTranslator):
    """A translator that reads a Qt Linguist ``.ts`` file directly (fallback when the
    compiled ``.qm`` is missing or stale). Unfinished and vanished entries are ignored,
    like lrelease does."""

    def __init__(self, ts_file: Path, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._messages: dict[tuple[str, str, str], str] = {}
        self._language = ""
        self._path = ts_file
        import xml.etree.ElementTree as ET  # only when the .qm is missing: keeps start-up light

        root = ET.parse(ts_file).getroot()
        self._language = root.get("language", "")
        for context in root.iter("context"):
            name = context.findtext("name", "")
            for message in context.iter("message"):
                translation = message.find("translation")
                if translation is None:
                    continue
                if translation.get("type") in ("unfinished", "vanished", "obsolete"):
                    continue
                forms = [f.text or "" for f in translation.iter("numerusform")]
                text = forms[0] if forms else (translation.text or "")
                if not text:
                    continue
                source = message.findtext("source", "")
                comment = message.findtext("comment", "")
                self._messages[(name, source, comment)] = text

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None (a null QString) means "no translation here": Qt then asks the next
        # translator or keeps the source text. An empty string would blank the text out.
        key = (context or "", source or "", disambiguation or "")
        return self._messages.get(key)

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return not self._messages

    def language(self) -> str:
        return self._language

    def filePath(self) -> str:  # noqa: N802 - Qt's name
        return str(self._path)

    def __len__(self) -> int:
        return len(self._messages)


def translation_files(lang: str) -> tuple[Path, Path]:
    """(compiled .qm, source .ts) of the program's own translation for ``lang``."""
    folder = resource("translations")
    return folder / f"bimail_{lang}.qm", folder / f"bimail_{lang}.ts"


def load_app_translator(lang: str) -> QTranslator | None:
    """The program's own translator for ``lang`` (None when there is nothing to load)."""
    qm, ts = translation_files(lang)
    qm_fresh = qm.is_file() and (not ts.is_file() or qm.stat().st_mtime >= ts.stat().st_mtime)
    if qm_fresh:
        translator = QTranslator()
        if translator.load(str(qm)):
            return translator
        log.warning("could not load %s; reading %s instead", qm, ts)
    if ts.is_file():
        from xml.etree.ElementTree import ParseError

        try:
            return TsTranslator(ts)
        except (ParseError, OSError) as exc:
            log.warning("could not read %s: %s", ts, exc)
            return None
    log.warning("no translation for %s in %s", lang, qm.parent)
    return None


def qt_translations_dirs() -> list[Path]:
    """Where Qt's own translations (qtbase_*.qm) may be: Qt's configured path first, then
    the places PySide6 wheels and PyInstaller bundles use."""
    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    try:
        import PySide6

        base = Path(PySide6.__file__).resolve().parent
        dirs += [base / "Qt" / "translations", base / "translations"]
    except (ImportError, AttributeError, TypeError):  # pragma: no cover
        pass
    return list(dict.fromkeys(dirs))


def load_qt_translator(lang: str) -> QTranslator | None:
    """Qt's own translations (standard buttons, line-edit menus) for ``lang``."""
    for folder in qt_translations_dirs():
        for base in ("qtbase", "qt"):
            path = folder / f"{base}_{lang}.qm"
            if path.is_file():
                translator = QTranslator()
                if translator.load(str(path)):
                    return translator
    log.info("Qt's own %s translations not found", lang)
    return None


def install_translator(app: QCoreApplication, lang: str | None = None) -> str:
    """Install the translators for ``lang`` (or the resolved default, see
    :func:`resolve_language`) and return the language in use: "en" or "zh_CN".

    Safe to call again to switch languages: the previous translators are removed first.
    English is the source language and needs no translator."""
    global _current
    chosen = resolve_language(lang)
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if chosen != ENGLISH:
        for translator in (load_qt_translator(chosen), load_app_translator(chosen)):
            if translator is not None and app.installTranslator(translator):
                _installed.append(translator)
    # numbers and dates follow the chosen language when it differs from the system's
    if chosen != system_language():
        QLocale.setDefault(QLocale(chosen if chosen != ENGLISH else "en_US"))
    else:
        QLocale.setDefault(QLocale.system())
    _current = chosen
    return chosen


# --- the error catalogue in the GUI ------------------------------------------------------
def error_text(
    error: BimailError | ErrorCode | str, lang: str | None = None
) -> tuple[str, str, str]:
    """(title, explanation, fix) of a catalogue error in the language in use: the words of
    the text catalogue (``domain/texts.py``), the same the CLI prints with ``--lang``."""
    from ..domain.errors import CATALOGUE, BimailError, ErrorCode

    language = normalize_language(lang) or installed_language()
    if isinstance(error, BimailError):
        title, explanation, _fix = error.info.text(language)
        return title, explanation, error.fix(language)
    info: ErrorInfo = CATALOGUE[ErrorCode(error)]
    return info.text(language)


def error_message(error: BimailError, lang: str | None = None) -> str:
    """The one-line message of ``error`` (title and what exactly happened) in the language
    in use."""
    return error.message(normalize_language(lang) or installed_language())


# --- the specific sentence of an error ----------------------------------------------------
def detail_text(error: BimailError, lang: str | None = None) -> str:
    """What exactly happened, in the language in use: for ``invalid_input`` the field's name
    and the problem ("端口：“x”不是数字…"); quoted things (server replies, file names) as
    they are. The words come from the text catalogue (``domain/texts.py``)."""
    return error.detail_text(normalize_language(lang) or installed_language())


def problem_text(error: BimailError, lang: str | None = None) -> str:
    """The problem of an ``invalid_input`` error without the field's name, for a message
    shown right next to that field; in the language in use."""
    language = normalize_language(lang) or installed_language()
    text = error.problem_text(language)
    return text[:1].upper() + text[1:] if text else error.message(language)
