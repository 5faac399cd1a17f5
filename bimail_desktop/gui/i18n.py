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
import re
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
ERROR_CONTEXT = "ErrorCatalogue"

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
    language = normalize_language(lang) or installed_language()
    if isinstance(error.problem, str) and error.problem:
        title = error.info.text(language)[0]
        sep = "：" if language == CHINESE else ": "
        return f"{title}{sep}{detail_text(error, language)}"
    return error.message(language)


# --- the specific sentence of an error ----------------------------------------------------
# BimailError.detail is English, written by the core (which imports no Qt and has no
# translator): "port: 'x' is not a number; enter a port from 1 to 65535 …". The GUI shows it
# right next to a field or under the catalogue's title, so in Chinese it is translated here:
# each problem sentence of the validators as a pattern (values in named groups, kept as
# typed). A sentence no pattern knows is shown as written. tests/test_i18n.py triggers every
# validator of the forms and fails when one of their sentences is not translated.

_V = r"'(?P<v>.*)'"  # a value the user typed, quoted by the validators
_DETAIL_PATTERNS_ZH: tuple[tuple[str, str], ...] = (
    # hosts
    (r"the mail server is empty; enter a name like smtp\.example\.com or an IP address",
     "邮件服务器为空；请输入类似 smtp.example.com 的名称或 IP 地址"),
    (r"the mail server must not contain spaces or control characters",
     "邮件服务器不能包含空格或控制字符"),
    (_V + r" is not a valid IP address", "“{v}”不是有效的 IP 地址"),
    (_V + r" is not a valid host name; use letters, digits, '-' and dots, like "
     r"smtp\.example\.com",
     "“{v}”不是有效的主机名；请使用字母、数字、“-”和点，例如 smtp.example.com"),
    (_V + r" is not a valid host name", "“{v}”不是有效的主机名"),
    (r"the host name is longer than (?P<n>\d+) characters", "主机名超过 {n} 个字符"),
    # ports
    (r"the port must be a number from 1 to 65535", "端口必须是 1 到 65535 之间的数字"),
    (_V + r" is not a number; enter a port from 1 to 65535 \(25, 465 or 587 usually\)",
     "“{v}”不是数字；请输入 1 到 65535 之间的端口（通常为 25、465 或 587）"),
    (r"(?P<v>\S+) is out of range; enter a port from 1 to 65535",
     "{v} 超出范围；请输入 1 到 65535 之间的端口"),
    # encryption and login method
    (_V + r" is not an encryption method; choose ssl, tls or none",
     "“{v}”不是有效的加密方式；请选择 SSL、TLS 或不加密"),
    (_V + r" is not an authentication method; choose password, oauth2-microsoft, "
     r"oauth2-google or oauth2-custom",
     "“{v}”不是有效的登录方式；请选择 password、oauth2-microsoft、oauth2-google 或 "
     "oauth2-custom"),
    # addresses
    (r"the email address is empty; enter one like report@example\.com",
     "邮件地址为空；请输入类似 report@example.com 的地址"),
    (r"the email address must not contain spaces, line breaks or control characters",
     "邮件地址不能包含空格、换行或控制字符"),
    (r"the email address is longer than (?P<n>\d+) characters", "邮件地址超过 {n} 个字符"),
    (_V + r" is not an email address; it needs a name, '@' and a domain, like "
     r"report@example\.com",
     "“{v}”不是邮件地址；地址需要包含名称、“@”和域名，例如 report@example.com"),
    (r"the part before '@' is longer than (?P<n>\d+) characters", "“@”之前的部分超过 {n} 个字符"),
    (r"the part before '@' must use ASCII characters", "“@”之前的部分只能使用 ASCII 字符"),
    (_V + r" is not allowed before '@'; use letters, digits and \. _ - \+ # & \(no leading, "
     r"trailing or double dots\)",
     "“@”之前不允许使用“{v}”；请使用字母、数字和 . _ - + # &"
     "（不能以点开头或结尾，也不能连续两个点）"),
    (_V + r" after '@' is not a valid domain", "“@”之后的“{v}”不是有效的域名"),
    (r"use a domain name after '@', not an IP address", "“@”之后请使用域名，而不是 IP 地址"),
    (r"no recipient given; enter at least one email address",
     "没有收件人；请至少输入一个邮件地址"),
    (r"a sender with the address (?P<v>'.*') already exists; edit it instead",
     "地址为 {v} 的发件人已存在；请改为编辑该发件人"),
    (r"another sender already uses (?P<v>'.*'); choose another address",
     "另一个发件人已在使用 {v}；请选择其他地址"),
    # names, passwords, limits
    (r"the show name must not contain line breaks or control characters",
     "显示名称不能包含换行或控制字符"),
    (r"the show name is longer than (?P<n>\d+) characters", "显示名称超过 {n} 个字符"),
    (r"the user name must not contain spaces, line breaks or control characters",
     "用户名不能包含空格、换行或控制字符"),
    (r"the user name is longer than (?P<n>\d+) characters", "用户名超过 {n} 个字符"),
    (r"the password must not contain line breaks", "密码不能包含换行"),
    (_V + r" is not a number; enter mails per minute, 0 for no limit",
     "“{v}”不是数字；请输入每分钟的邮件数，0 表示不限制"),
    (r"enter a number of mails per minute from 0 \(no limit\) to (?P<n>\d+)",
     "请输入 0（不限制）到 {n} 之间的每分钟邮件数"),
    (r"must not contain line breaks or control characters", "不能包含换行或控制字符"),
    # OAuth2
    (r"enter the application \(client\) ID of the app registered for this program",
     "请输入为本程序注册的应用程序（客户端）ID"),
    (r"must be one word without spaces \(at most (?P<n>\d+) characters\)",
     "必须是一个不含空格的词（最多 {n} 个字符）"),
    (r"enter the tenant ID \(a GUID\), its domain \(contoso\.onmicrosoft\.com\) or "
     r"'organizations'",
     "请输入租户 ID（GUID）、其域名（contoso.onmicrosoft.com）或“organizations”"),
    (r"must not contain control characters", "不能包含控制字符"),
    (r"enter the provider's endpoint URL \(https://…\)", "请输入服务商的端点 URL（https://…）"),
    (_V + r" has no host name; enter a full https:// URL",
     "“{v}”缺少主机名；请输入完整的 https:// URL"),
    (r"must not contain spaces or control characters", "不能包含空格或控制字符"),
    (_V + r" is not an https:// URL; the provider's endpoints must use https",
     "“{v}”不是 https:// URL；服务商的端点必须使用 https"),
    (r"enter the scopes the provider needs for sending mail \(e\.g\. its SMTP scope and "
     r"offline_access\)",
     "请输入服务商发送邮件所需的权限范围（例如其 SMTP 权限范围和 offline_access）"),
    (r"this provider has no device sign-in; sign in with a browser \(--browser\)",
     "该服务商不支持设备代码登录；请使用浏览器登录（--browser）"),
    (r"the local port (?P<v>\S+) cannot be used \((?P<why>.*)\); choose another or 0",
     "无法使用本地端口 {v}（{why}）；请选择其他端口，或填 0"),
    (r"is not a sender setting", "不是发件人的设置项"),
    (_V + r" is not a sign-in flow; choose interactive or client-credentials",
     "“{v}”不是登录方式；请选择 interactive 或 client-credentials"),
    (r"Google offers no client-credentials sign-in for mail; sign in interactively",
     "Google 不支持用客户端凭据登录发送邮件；请以用户身份登录"),
    (r"the client-credentials sign-in needs your tenant \(its ID or "
     r"contoso\.onmicrosoft\.com\)",
     "客户端凭据登录需要您的租户（租户 ID 或 contoso.onmicrosoft.com）"),
    (r"the client-credentials sign-in needs the application's client secret \(Entra ID: "
     r"App registrations > the app > Certificates & secrets\)",
     "客户端凭据登录需要应用程序的客户端密钥（Entra ID：应用注册 > 该应用 > 证书和密码）"),
    # records and files
    (r"(?P<v>'.*'|\".*\") is not a date; use YYYY-MM-DD \(a day in your time zone\) or "
     r"ISO 8601 such as (?P<e>\S+)",
     "{v} 不是日期；请使用 YYYY-MM-DD（本机时区的日期）或 ISO 8601 格式，例如 {e}"),
    (r"(?P<v>.+) is a folder; give a file name", "{v} 是文件夹；请提供文件名"),
    (r"the folder (?P<v>.+) does not exist", "文件夹 {v} 不存在"),
    (r"cannot write '?(?P<v>.+?)'?: (?P<why>.+)", "无法写入 {v}：{why}"),
    (r"enter a timeout from 1 to 600 seconds", "请输入 1 到 600 秒之间的超时"),
)
_compiled_patterns: list[tuple[re.Pattern[str], str]] = []


def _patterns() -> list[tuple[re.Pattern[str], str]]:
    if not _compiled_patterns:
        _compiled_patterns.extend(
            (re.compile(pattern, re.DOTALL), text) for pattern, text in _DETAIL_PATTERNS_ZH
        )
    return _compiled_patterns


def translate_problem(problem: str, lang: str | None = None) -> str:
    """One problem sentence in the language in use (as written when no pattern knows it)."""
    if (normalize_language(lang) or installed_language()) != CHINESE:
        return problem
    for pattern, text in _patterns():
        match = pattern.fullmatch(problem.strip())
        if match:
            return text.format(**match.groupdict())
    return problem


def detail_text(error: BimailError, lang: str | None = None) -> str:
    """What exactly happened, in the language in use: for ``invalid_input`` the field's name
    and the problem ("端口：“x”不是数字…"); quoted things (server replies, file names) as
    they are."""
    language = normalize_language(lang) or installed_language()
    if not isinstance(error.problem, str):
        return error.detail_text(language)
    detail = error.detail or ""
    if language != CHINESE or not detail:
        return detail
    field = error.field or ""
    if field and detail.startswith(f"{field}: "):
        from ..domain.texts import field_name

        problem = translate_problem(detail[len(field) + 2 :], CHINESE)
        return f"{field_name(field, CHINESE)}：{problem}"
    return translate_problem(detail, CHINESE)


def problem_text(error: BimailError, lang: str | None = None) -> str:
    """The problem of an ``invalid_input`` error without the field's name, for a message
    shown right next to that field; in the language in use."""
    language = normalize_language(lang) or installed_language()
    if not isinstance(error.problem, str):
        text = error.problem_text(language)
    else:
        text = translate_problem(error.problem, language) if error.problem else ""
    return text[:1].upper() + text[1:] if text else error_message(error, language)
