"""The text catalogue: every sentence the core shows a user, in English and Simplified
Chinese, written once.

Three tables:

- :data:`ERRORS` — per error code (``domain/errors.py``): title, explanation and fix.
- :data:`MESSAGES` — the specific sentences (what exactly is wrong, what was done), keyed by
  a dotted name and written with ``{named}`` placeholders: ``Msg("port.not_number",
  v="abc")``. A placeholder's value is shown as given (a server's reply, an address, a host
  name and a code are never translated); a :class:`Msg` given as a value is rendered in the
  same language.
- :data:`FIELDS` — the names of the fields a user fills in, for "field: problem" sentences.

The core raises errors carrying a :class:`Msg` (keys and parameters, not English sentences);
the CLI (``--lang`` / ``BIMAIL_LANG``) and the window render them in the user's language.
Widget texts of the window stay in Qt Linguist (``resources/translations``).
``tests/test_catalogue.py`` fails when a text lacks its Chinese, when the placeholders of the
two languages differ, or when the code uses a key that is not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from string import Formatter

ENGLISH = "en"
CHINESE = "zh_CN"


def is_chinese(lang: str | None) -> bool:
    """True for any spelling of Chinese ("zh", "zh_CN", "zh-Hans"): the one we offer."""
    return bool(lang) and str(lang).strip().lower().startswith("zh")


def language(*choices: str | None) -> str:
    """The first choice given ("zh", "zh_CN.UTF-8", "en_US"…) as "zh_CN" or "en"; English
    when none is given. The CLI passes ``--lang`` and then ``BIMAIL_LANG``."""
    for choice in choices:
        if choice and choice.strip():
            return CHINESE if is_chinese(choice) else ENGLISH
    return ENGLISH


@dataclass(frozen=True, slots=True)
class Text:
    """One text in both languages."""

    en: str
    zh: str

    def __call__(self, lang: str | None = ENGLISH) -> str:
        return self.zh if is_chinese(lang) else self.en


@dataclass(frozen=True, slots=True)
class ErrorText:
    """The catalogue's words for one error code."""

    title: Text
    explanation: Text
    fix: Text


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template uses."""
    return {name for _lit, name, _spec, _conv in Formatter().parse(template) if name}


class Msg:
    """A sentence of the catalogue with its parameters, rendered when shown:
    ``Msg("port.out_of_range", v=70000).render("zh_CN")``.

    ``str(msg)`` is the English sentence. Unknown keys render as the key itself (and
    ``tests/test_catalogue.py`` fails), never as an exception while reporting an error."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params: dict[str, object] = params

    def render(self, lang: str | None = ENGLISH) -> str:
        text = MESSAGES.get(self.key)
        if text is None:
            return self.key
        values = {name: render(value, lang) for name, value in self.params.items()}
        try:
            return text(lang).format_map(values)
        except (KeyError, IndexError, ValueError):
            return text(lang)

    def __str__(self) -> str:
        return self.render(ENGLISH)

    def __repr__(self) -> str:
        params = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Msg({self.key!r}{params})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash(self.key)


def render(value: object, lang: str | None = ENGLISH) -> str:
    """A :class:`Msg`, a :class:`Text` or a plain value as text in ``lang``."""
    if isinstance(value, Msg):
        return value.render(lang)
    if isinstance(value, Text):
        return value(lang)
    return "" if value is None else str(value)


def tr(key: str, lang: str | None = ENGLISH, /, **params: object) -> str:
    """Shorthand for ``Msg(key, **params).render(lang)``."""
    return Msg(key, **params).render(lang)


def field_name(field: str, lang: str | None = ENGLISH) -> str:
    """A field's name as shown to the user: English keeps the program's own name (the one
    ``--json`` and the Python API use); Chinese names it in words. ``senders[2].port`` keeps
    its index and translates the last part."""
    if not is_chinese(lang):
        return field
    head, dot, last = field.rpartition(".")
    name = FIELDS.get(last)
    if name is None:
        return field
    return f"{head}{dot}{name.zh}" if dot else name.zh


def join_field(field: str, problem: str, lang: str | None = ENGLISH) -> str:
    """"port: 'x' is not a number" / "端口：“x”不是数字"."""
    if not field:
        return problem
    sep = "：" if is_chinese(lang) else ": "
    return f"{field_name(field, lang)}{sep}{problem}"


def check_params(mapping: Mapping[str, Text]) -> list[str]:
    """Keys whose English and Chinese use different placeholders (for the tests)."""
    return [key for key, text in mapping.items()
            if placeholders(text.en) != placeholders(text.zh)]


T = Text

FIELDS: dict[str, Text] = {
    "server": T("server", "邮件服务器"),
    "host": T("host", "邮件服务器"),
    "port": T("port", "端口"),
    "encryption": T("encryption", "加密方式"),
    "address": T("address", "发件人地址"),
    "username": T("username", "用户名"),
    "password": T("password", "密码"),
    "show_name": T("show_name", "显示名称"),
    "rate_limit": T("rate_limit", "发送频率限制"),
    "auth_method": T("auth_method", "登录方式"),
    "to": T("to", "收件人"),
    "recipient": T("recipient", "收件人"),
    "sender": T("sender", "发件人"),
    "client_id": T("client_id", "客户端 ID"),
    "client_secret": T("client_secret", "客户端密钥"),
    "tenant": T("tenant", "租户"),
    "scopes": T("scopes", "权限范围"),
    "auth_url": T("auth_url", "授权 URL"),
    "token_url": T("token_url", "令牌 URL"),
    "device_url": T("device_url", "设备代码 URL"),
    "flow": T("flow", "登录流程"),
    "redirect_port": T("redirect_port", "本地端口"),
    "since": T("since", "开始日期"),
    "until": T("until", "结束日期"),
    "days": T("days", "天数"),
    "path": T("path", "文件"),
    "file": T("file", "文件"),
    "report": T("report", "报告文件"),
    "format": T("format", "格式"),
    "timeout": T("timeout", "超时"),
    "name": T("name", "名称"),
    "subject": T("subject", "主题"),
    "html": T("html", "HTML 正文"),
    "template": T("template", "模板"),
    "variables": T("variables", "变量"),
    "resources": T("resources", "资源"),
    "result": T("result", "结果"),
    "sort": T("sort", "排序"),
    "offset": T("offset", "偏移"),
    "limit": T("limit", "条数"),
    "up_to": T("up_to", "计数上限"),
    "id": T("id", "编号"),
    "pem": T("pem", "证书"),
    "sha256": T("sha256", "SHA-256 指纹"),
    "fingerprint": T("fingerprint", "指纹"),
    "default_sender": T("default_sender", "默认发件人"),
    "listen": T("listen", "监听地址"),
    "allow": T("allow", "允许的网络"),
    "raw_variables": T("raw_variables", "原始 HTML 变量"),
    "version": T("version", "版本"),
    "senders": T("senders", "发件人"),
    "templates": T("templates", "模板"),
    "trusted_certificates": T("trusted_certificates", "受信任的证书"),
    "kind": T("kind", "类型"),
    "oauth": T("oauth", "OAuth2 设置"),
}

MESSAGES: dict[str, Text] = {
    # --- files the program writes and reads (fileio) ----------------------------------
    "file.no_name": T("no file name given; give the path of the file to write",
                      "未指定文件名；请给出要写入的文件路径"),
    "file.nul": T("the path contains a NUL character; give a file name",
                  "路径包含 NUL 字符；请给出文件名"),
    "file.is_folder": T("'{path}' is a folder; give a file name inside it",
                        "“{path}”是文件夹；请给出其中的文件名"),
    "file.is_folder_read": T("'{path}' is a folder; give the path of a file",
                             "“{path}”是文件夹；请给出文件的路径"),
    "file.not_regular": T(
        "'{path}' is not a regular file (a device, pipe or socket); give the path of a file",
        "“{path}”不是普通文件（而是设备、管道或套接字）；请给出文件的路径"),
    "file.no_folder": T(
        "the folder '{path}' does not exist; create it first or choose another folder",
        "文件夹“{path}”不存在；请先创建它或选择其他文件夹"),
    "file.cannot_write": T("cannot write '{path}' ({reason}); {fix}",
                           "无法写入“{path}”（{reason}）；{fix}"),
    "file.cannot_read": T("cannot read '{path}' ({reason})", "无法读取“{path}”（{reason}）"),
    "file.missing": T("'{path}' does not exist; check the path",
                      "“{path}”不存在；请检查路径"),
    "file.too_large": T("'{path}' is larger than {size}; give a smaller file",
                        "“{path}”大于 {size}；请提供较小的文件"),
    "template_file.not_utf8": T("the file '{path}' is not UTF-8 text; save it as UTF-8 and "
                                "try again",
                                "文件“{path}”不是 UTF-8 文本；请将其另存为 UTF-8 后重试"),
    "file.fix.full": T("the disk is full; free some space or choose another place",
                       "磁盘已满；请释放空间或选择其他位置"),
    "file.fix.quota": T("your disk quota is used up; free some space or choose another place",
                        "磁盘配额已用完；请释放空间或选择其他位置"),
    "file.fix.denied": T("you may not write there; choose a folder you can write to",
                         "无权写入该位置；请选择您有写入权限的文件夹"),
    "file.fix.read_only": T("that place is read-only; choose a folder you can write to",
                            "该位置是只读的；请选择您有写入权限的文件夹"),
    "file.fix.name_too_long": T("the name is too long; choose a shorter file name",
                                "名称过长；请选择较短的文件名"),
    "file.fix.no_folder": T(
        "the folder does not exist; create it first or choose another folder",
        "文件夹不存在；请先创建它或选择其他文件夹"),
    "file.fix.not_folder": T("a part of the path is not a folder; choose another place",
                             "路径中有一部分不是文件夹；请选择其他位置"),
    "file.fix.is_folder": T("that is a folder; give a file name", "那是文件夹；请给出文件名"),
    "file.fix.other": T("choose another place to write the file",
                        "请选择其他位置写入该文件"),
    # --- removing a sender with an unusable keychain ----------------------------------------
    "senders.keychain_left": T(
        "The password and sign-in of {address} could not be deleted from the system keychain "
        "({reason}). {when} To delete them yourself, remove the entries {entries} of the "
        "service bimail-desktop in your keychain (and those continuing them as ENTRY#1, "
        "ENTRY#2 …), or run: keyring del bimail-desktop {first}",
        "无法从系统钥匙串中删除 {address} 的密码和登录信息（{reason}）。{when}"
        "如需自行删除，请在钥匙串中删除服务 bimail-desktop 下的条目 {entries}"
        "（以及接续它们的 ENTRY#1、ENTRY#2 …），或运行：keyring del bimail-desktop {first}"),
    "senders.keychain_retry": T(
        "They are deleted automatically the next time the program starts with a working "
        "keychain.",
        "下次程序在钥匙串可用时启动，会自动删除它们。"),
    "senders.keychain_no_retry": T(
        "The data folder could not be written, so they are not deleted automatically.",
        "数据文件夹无法写入，因此不会自动删除它们。"),
    # --- configuration import -------------------------------------------------------------
    "config.not_export": T("is not a bimail-desktop configuration export",
                           "不是 bimail-desktop 导出的配置文件"),
    "config.newer": T(
        "was written by a newer version of bimail-desktop; update this program first",
        "由更新版本的 bimail-desktop 写出；请先升级本程序"),
    "config.version": T("must be a whole number from 1, not {type}",
                        "必须是从 1 起的整数，而不是{type}"),
    "config.not_list": T("must be a list, not {type}", "必须是列表，而不是{type}"),
    "config.too_many": T("has more than {n} entries", "条目超过 {n} 个"),
    "config.not_text": T("must be text, not {type}", "必须是文本，而不是{type}"),
    "config.not_whole": T("must be a whole number, not {type}", "必须是整数，而不是{type}"),
    "config.not_object": T("must be an object, not {type}", "必须是对象，而不是{type}"),
    "config.not_sender": T("must be a sender (an object), not {type}",
                           "必须是一个发件人（对象），而不是{type}"),
    "config.not_template": T("must be a template (an object), not {type}",
                             "必须是一个模板（对象），而不是{type}"),
    "config.not_certificate": T("must be a certificate (an object), not {type}",
                                "必须是一个证书（对象），而不是{type}"),
    "config.not_address": T("must be an address, not {type}", "必须是邮件地址，而不是{type}"),
    "config.same_address": T("'{address}' is the same address as {other}; keep one of them",
                             "“{address}”与 {other} 是同一个地址；请只保留其中一个"),
    "config.same_template": T("'{name}' is the name of {other} too; keep one of them",
                              "“{name}”也是 {other} 的名称；请只保留其中一个"),
    "config.default_unknown": T("'{address}' is not among the senders",
                                "“{address}”不在发件人之中"),
    "config.kind": T("'{v}' is not a kind; use ca or pin",
                     "“{v}”不是有效的类型；请使用 ca 或 pin"),
    "config.pem_too_long": T("is longer than {n} characters", "超过 {n} 个字符"),
    "config.pem_many": T("holds more than one certificate; give one per entry",
                         "包含多个证书；每个条目只能放一个"),
    "config.sha_mismatch": T(
        "does not match the certificate; the file was changed after it was exported",
        "与证书不符；该文件在导出后被修改过"),
    "config.ca_host": T("a CA entry has no host; remove it", "CA 条目没有主机；请删除它"),
    "config.pin_host": T("'{v}' is not HOST:PORT; a pin belongs to one server and port",
                         "“{v}”不是 HOST:PORT 形式；固定证书属于一个服务器和端口"),
    "config.not_utf8": T(
        "'{path}' is not UTF-8 text; choose a configuration file exported by bimail-desktop",
        "“{path}”不是 UTF-8 文本；请选择由 bimail-desktop 导出的配置文件"),
    "config.too_deep": T("'{path}' is nested too deeply to be a configuration export",
                         "“{path}”嵌套过深，不可能是导出的配置文件"),
    "config.not_json": T(
        "'{path}' is not readable JSON ({reason}); choose a configuration file exported by "
        "bimail-desktop",
        "“{path}”不是可读的 JSON（{reason}）；请选择由 bimail-desktop 导出的配置文件"),
    "json.null": T("null", "空值（null）"),
    "json.bool": T("true/false", "布尔值"),
    "json.number": T("a number", "数字"),
    "json.text": T("text", "文本"),
    "json.list": T("a list", "列表"),
    "json.object": T("an object", "对象"),
    "trust.not_ca": T(
        "this is a server's certificate, not a CA certificate; import the CA that issued it, "
        "or pin the server's certificate (bimail trust pin HOST:PORT)",
        "这是服务器的证书，不是 CA 证书；请导入签发它的 CA，或固定该服务器的证书"
        "（bimail trust pin HOST:PORT）"),
    "trust.not_certificate": T(
        "this is not a certificate in PEM or DER format; export it again as .pem",
        "这不是 PEM 或 DER 格式的证书；请重新导出为 .pem"),
    # --- template variables -----------------------------------------------------------------
    "variables.not_mapping": T("must be a mapping of placeholder names to values",
                               "必须是占位符名称到值的映射"),
    "variables.empty_name": T("a variable has an empty name", "有一个变量的名称为空"),
    "variables.not_text": T("needs a text value", "需要文本值"),
    "variables.control": T(
        "contains the control character U+{code}; remove it (only line breaks and tabs may "
        "be part of a value)",
        "包含控制字符 U+{code}；请删除它（值中只允许换行和制表符）"),
    "variables.twice": T("is given as text and as raw HTML; give it once",
                         "同时以文本和原始 HTML 给出；请只给出一次"),
    "html.too_long": T(
        "the HTML body is longer than {n} characters; link large images instead of "
        "embedding them",
        "HTML 正文超过 {n} 个字符；请链接大图片，而不是嵌入"),
    # --- mail server (host) ------------------------------------------------------------
    "host.empty": T(
        "the mail server is empty; enter a name like smtp.example.com or an IP address",
        "邮件服务器为空；请输入类似 smtp.example.com 的名称或 IP 地址"),
    "host.bad_chars": T(
        "the mail server must not contain spaces or control characters",
        "邮件服务器不能包含空格或控制字符"),
    "host.bad_ip": T("'{v}' is not a valid IP address", "“{v}”不是有效的 IP 地址"),
    "host.bad_name": T(
        "'{v}' is not a valid host name; use letters, digits, '-' and dots, like "
        "smtp.example.com",
        "“{v}”不是有效的主机名；请使用字母、数字、“-”和点，例如 smtp.example.com"),
    "host.too_long": T("the host name is longer than {n} characters", "主机名超过 {n} 个字符"),
    # --- port ----------------------------------------------------------------------------
    "port.not_a_number": T("the port must be a number from 1 to 65535",
                           "端口必须是 1 到 65535 之间的数字"),
    "port.not_number": T(
        "'{v}' is not a number; enter a port from 1 to 65535 (25, 465 or 587 usually)",
        "“{v}”不是数字；请输入 1 到 65535 之间的端口（通常为 25、465 或 587）"),
    "port.out_of_range": T("{v} is out of range; enter a port from 1 to 65535",
                           "{v} 超出范围；请输入 1 到 65535 之间的端口"),
    # --- encryption, login method ------------------------------------------------------------
    "encryption.unknown": T("'{v}' is not an encryption method; choose ssl, tls or none",
                            "“{v}”不是有效的加密方式；请选择 ssl、tls 或 none（不加密）"),
    "auth_method.unknown": T(
        "'{v}' is not an authentication method; choose password, oauth2-microsoft, "
        "oauth2-google or oauth2-custom",
        "“{v}”不是有效的登录方式；请选择 password、oauth2-microsoft、oauth2-google 或 "
        "oauth2-custom"),
    # --- addresses -----------------------------------------------------------------------
    "address.empty": T("the email address is empty; enter one like report@example.com",
                       "邮件地址为空；请输入类似 report@example.com 的地址"),
    "address.bad_chars": T(
        "the email address must not contain spaces, line breaks or control characters",
        "邮件地址不能包含空格、换行或控制字符"),
    "address.too_long": T("the email address is longer than {n} characters",
                          "邮件地址超过 {n} 个字符"),
    "address.no_at": T(
        "'{v}' is not an email address; it needs a name, '@' and a domain, like "
        "report@example.com",
        "“{v}”不是邮件地址；地址需要包含名称、“@”和域名，例如 report@example.com"),
    "address.local_too_long": T("the part before '@' is longer than {n} characters",
                                "“@”之前的部分超过 {n} 个字符"),
    "address.local_ascii": T("the part before '@' must use ASCII characters",
                             "“@”之前的部分只能使用 ASCII 字符"),
    "address.local_bad": T(
        "'{v}' is not allowed before '@'; use letters, digits and . _ - + # & (no leading, "
        "trailing or double dots)",
        "“@”之前不允许使用“{v}”；请使用字母、数字和 . _ - + # &（不能以点开头或结尾，也不能连续两个点）"),
    "address.bad_domain": T("'{v}' after '@' is not a valid domain",
                            "“@”之后的“{v}”不是有效的域名"),
    "address.ip_domain": T("use a domain name after '@', not an IP address",
                           "“@”之后请使用域名，而不是 IP 地址"),
    "recipients.none": T("no recipient given; enter at least one email address",
                         "没有收件人；请至少输入一个邮件地址"),
    # --- names, passwords, limits ----------------------------------------------------------
    "show_name.bad_chars": T("the show name must not contain line breaks or control characters",
                             "显示名称不能包含换行或控制字符"),
    "show_name.too_long": T("the show name is longer than {n} characters",
                            "显示名称超过 {n} 个字符"),
    "username.bad_chars": T(
        "the user name must not contain spaces, line breaks or control characters",
        "用户名不能包含空格、换行或控制字符"),
    "username.too_long": T("the user name is longer than {n} characters", "用户名超过 {n} 个字符"),
    "password.line_breaks": T("the password must not contain line breaks", "密码不能包含换行"),
    "rate_limit.not_number": T("'{v}' is not a number; enter mails per minute, 0 for no limit",
                               "“{v}”不是数字；请输入每分钟的邮件数，0 表示不限制"),
    "rate_limit.out_of_range": T(
        "enter a number of mails per minute from 0 (no limit) to {n}",
        "请输入 0（不限制）到 {n} 之间的每分钟邮件数"),
    "text.control_chars": T("must not contain line breaks or control characters",
                            "不能包含换行或控制字符"),
    "recipients.not_text": T(
        "give the recipients' email addresses as text (a list of addresses, or one address)",
        "请以文本形式提供收件人的邮件地址（地址列表或单个地址）"),
    # --- numbers, dates and command-line arguments (the CLI's options, the API) -----------
    "number.not_whole": T("'{v}' is not a whole number; give one from {a} to {b}",
                          "“{v}”不是整数；请提供 {a} 到 {b} 之间的整数"),
    "number.wrong_type": T("give a whole number from {a} to {b}, not {t}",
                           "请提供 {a} 到 {b} 之间的整数，而不是 {t}"),
    "number.out_of_range": T("{v} is out of range; give a whole number from {a} to {b}",
                             "{v} 超出范围；请提供 {a} 到 {b} 之间的整数"),
    "seconds.not_number": T(
        "'{v}' is not a number; give a number of seconds above 0 and at most {m}",
        "“{v}”不是数字；请提供大于 0 且不超过 {m} 的秒数"),
    "seconds.wrong_type": T("give a number of seconds above 0 and at most {m}, not {t}",
                            "请提供大于 0 且不超过 {m} 的秒数，而不是 {t}"),
    "seconds.out_of_range": T(
        "{v} is out of range; give a number of seconds above 0 and at most {m}",
        "{v} 超出范围；请提供大于 0 且不超过 {m} 的秒数"),
    "date.out_of_range": T("{v} is out of range; give a day from {a} to {b}",
                           "{v} 超出范围；请提供 {a} 到 {b} 之间的日期"),
    "argument.not_text": T("is not text", "不是文本"),
    "argument.dashes": T("'--' is not a value this option takes; give a value, or leave the "
                         "option out",
                         "“--”不是此选项可用的值；请提供一个值，或省略该选项"),
    "candidates.not_triple": T(
        "give each server to try as (host, port, encryption), e.g. ('mail.corp', 587, 'tls')",
        "请将每个要尝试的服务器写成（主机, 端口, 加密方式），例如 ('mail.corp', 587, 'tls')"),
    # --- the Python API: an argument of the wrong kind -----------------------------------
    "api.wrong_type": T("give {e}, not {t}", "请提供{e}，而不是 {t}"),
    "api.type.text": T("text", "文本"),
    "api.type.whole_number": T("a whole number", "整数"),
    "api.type.number": T("a finite number", "有限的数字"),
    "api.type.bytes": T("bytes", "字节串（bytes）"),
    "api.type.nothing": T("nothing (None)", "空值（None）"),
    "api.type.path": T("a file path", "文件路径"),
    "api.type.list": T("a list", "列表"),
    "api.type.mapping": T("a mapping (dict)", "映射（dict）"),
    "api.type.function": T("a function", "函数"),
    "api.type.object": T("a {n}", "{n} 对象"),
    "datetime.wrong_type": T("give a date and time, not {t}", "请提供日期和时间，而不是 {t}"),
    "records.limit_too_high": T(
        "must be {n} or less; use --offset to page, or --csv for every record",
        "不能超过 {n}；请用 --offset 翻页，或用 --csv 导出全部记录"),
    "argument.nul": T("contains a NUL byte; remove it", "包含 NUL 字节；请删除它"),
    "argument.not_utf8": T(
        "is not valid UTF-8 text; type it again or fix the terminal's encoding",
        "不是有效的 UTF-8 文本；请重新输入，或修正终端的编码"),
    "argument.too_long": T("is {n} characters long; the most is {m} (put long text in a file)",
                           "长 {n} 个字符；最多 {m} 个（较长的文本请放在文件中）"),
    # --- the diagnosis steps and a send's progress (the SMTP client's steps) ---------
    "diag.step.dns": T("Name resolution", "域名解析"),
    "diag.step.connect": T("Connection", "连接"),
    "diag.step.greeting": T("Server greeting", "服务器问候"),
    "diag.step.ehlo": T("Capabilities (EHLO)", "服务器功能（EHLO）"),
    "diag.step.tls": T("Encryption (TLS)", "加密（TLS）"),
    "diag.step.auth_methods": T("Login methods", "登录方式"),
    "diag.step.login": T("Login", "登录"),
    "diag.step.rcpt": T("Sender and recipient", "发件人和收件人"),
    "diag.step.quit": T("End of session", "结束会话"),
    "diag.dns.ip": T("{host} is an IP address; no name lookup needed.", "{host} 是 IP 地址，无需域名解析。"),
    "diag.dns.resolved": T("{host} resolved to {addresses}.", "{host} 解析为 {addresses}。"),
    "diag.connect.ok": T(
        "Connected to {address} port {port} (from {local}).",
        "已连接到 {address} 端口 {port}（本机地址 {local}）。"),
    "diag.greeting.ok": T("The server greeted: {reply}", "服务器问候：{reply}"),
    "diag.ehlo.ok": T(
        "EHLO accepted; the server offers: {capabilities}.",
        "EHLO 已接受；服务器支持：{capabilities}。"),
    "diag.ehlo.helo": T(
        "The server does not speak ESMTP (HELO only): no TLS, no login.",
        "服务器不支持 ESMTP（仅 HELO）：无法加密，也无法登录。"),
    "diag.tls.none_offered": T(
        "Do Not Encrypt chosen: the conversation (and a password) travel in clear text, "
        "although the server offers STARTTLS. Choose TLS.",
        "选择了不加密：会话（以及密码）以明文传输，但服务器支持 STARTTLS。"
        "请选择 TLS。"),
    "diag.tls.none": T(
        "Do Not Encrypt chosen: the conversation travels in clear text.",
        "选择了不加密：会话以明文传输。"),
    "diag.tls.ok": T(
        "{how} established: {protocol}, {cipher}. Certificate: {subject}, issued by {issuer}; "
        "names: {names}; valid {not_before} to {not_after}; SHA-256 {sha256}. {verification}",
        "{how} 已建立：{protocol}，{cipher}。证书：{subject}，"
        "颁发者 {issuer}；名称：{names}；有效期 {not_before} 至 "
        "{not_after}；SHA-256 {sha256}。{verification}"),
    "diag.tls.ok_starttls": T(
        "{how} established: {protocol}, {cipher}. Certificate: {subject}, issued by {issuer}; "
        "names: {names}; valid {not_before} to {not_after}; SHA-256 {sha256}. {verification} "
        "Capabilities over TLS: {capabilities}.",
        "{how} 已建立：{protocol}，{cipher}。证书：{subject}，"
        "颁发者 {issuer}；名称：{names}；有效期 {not_before} 至 "
        "{not_after}；SHA-256 {sha256}。{verification}"
        " 加密后服务器支持：{capabilities}。"),
    "diag.tls.verified": T(
        "Verified against the system's trusted certificates and the certificates trusted in "
        "this program.",
        "已通过系统信任的证书和本程序信任的证书验证。"),
    "diag.tls.pinned": T(
        "Verified: matches the certificate you trusted for {pin} (pinned).",
        "已验证：与您为 {pin} 信任的证书一致（已固定）。"),
    "diag.auth.offered": T("The server offers login with {methods}.", "服务器支持的登录方式：{methods}。"),
    "diag.auth.offered_use": T(
        "The server offers login with {methods}. The program will use {mechanism}.",
        "服务器支持的登录方式：{methods}。本程序将使用 {mechanism}。"),
    "diag.auth.none_needed": T(
        "The server offers no login (none needed without a password).",
        "服务器不提供登录（没有密码时也不需要）。"),
    "diag.login.ok": T("Logged in as '{user}' with {mechanism}.", "已使用 {mechanism} 以“{user}”登录。"),
    "diag.login.oauth_ok": T(
        "Logged in with OAuth2 (XOAUTH2) as '{user}': the access token is valid.",
        "已使用 OAuth2（XOAUTH2）以“{user}”登录：访问令牌有效。"),
    "diag.login.no_password": T("No password given: login not tried.", "未提供密码：未尝试登录。"),
    "diag.rcpt.ok": T(
        "The server accepts mail from <{sender}> to <{to}> (nothing was sent: RSET before "
        "DATA).",
        "服务器接受从 <{sender}> 发往 <{to}> 的邮件（未发送任何内容：在 D"
        "ATA 之前已 RSET）。"),
    "diag.rcpt.no_recipient": T(
        "No recipient given: MAIL FROM / RCPT TO not tried.",
        "未提供收件人：未尝试 MAIL FROM / RCPT TO。"),
    "diag.quit.ok": T("Session ended: {reply}", "会话已结束：{reply}"),
    "diag.quit.no_answer": T(
        "The server closed the connection without answering QUIT (harmless).",
        "服务器未回应 QUIT 就关闭了连接（无害）。"),
    "diag.skipped": T("Not run: the step '{step}' failed.", "未运行：步骤“{step}”失败。"),
    "diag.cert.fingerprint": T("Server certificate SHA-256: {sha256}.", "服务器证书 SHA-256：{sha256}。"),
    "detect.provider": T("{domain} is a known provider: {name}", "{domain} 属于已知的服务商：{name}"),
    "detect.trying": T("Trying {host} port {port} ({encryption})…",
                       "正在尝试 {host} 端口 {port}（{encryption}）…"),
    "detect.found": T("Found {server}", "找到 {server}"),
    "progress.connect": T("Connecting to {host}:{port}…", "正在连接 {host}:{port}…"),
    "progress.tls": T("Encrypting the connection…", "正在建立加密连接…"),
    "progress.greeting": T("Waiting for the server's greeting…", "正在等待服务器问候…"),
    "progress.ehlo": T("Asking what the server offers (EHLO)…", "正在查询服务器功能（EHLO）…"),
    "progress.auth": T("Logging in…", "正在登录…"),
    "progress.mail": T("Sending to {count} recipient(s)…", "正在发送给 {count} 位收件人…"),
    "progress.data": T("Transferring the message…", "正在传送邮件…"),
}

ERRORS: dict[str, ErrorText] = {
    'dns_failed': ErrorText(
        title=Text(
            'Mail server name not found',
            '找不到邮件服务器名称',
        ),
        explanation=Text(
            'The name of the mail server could not be resolved to an address.',
            '无法将邮件服务器的名称解析为地址。',
        ),
        fix=Text(
            'Check the spelling of the server name. Internal mail servers may need the company VPN or an internal DNS server; an IP address works too.',
            '请检查服务器名称的拼写。内部邮件服务器可能需要连接公司 VPN 或使用内部 DNS；也可以直接填写 IP 地址。',
        ),
    ),
    'connect_refused': ErrorText(
        title=Text(
            'Connection refused',
            '连接被拒绝',
        ),
        explanation=Text(
            "The mail server's machine answered, but nothing accepts mail on that port.",
            '邮件服务器所在的机器有响应，但该端口上没有接收邮件的服务。',
        ),
        fix=Text(
            'Check the port (usually 465 for SSL, 587 or 25 for TLS) and that the mail server is running; a firewall may also refuse the connection.',
            '请检查端口（SSL 通常为 465，TLS 通常为 587 或 25），并确认邮件服务器正在运行；防火墙也可能拒绝连接。',
        ),
    ),
    'connect_timeout': ErrorText(
        title=Text(
            'Mail server not reachable',
            '无法连接邮件服务器',
        ),
        explanation=Text(
            'No answer came from the mail server within the time allowed.',
            '在允许的时间内邮件服务器没有响应。',
        ),
        fix=Text(
            'Check the network path to the server: firewall rules, proxy or VPN. Many networks block outgoing port 25; try 587 (TLS) or 465 (SSL).',
            '请检查到服务器的网络：防火墙规则、代理或 VPN。许多网络会封锁出站 25 端口，可尝试 587（TLS）或 465（SSL）。',
        ),
    ),
    'tls_wrong_mode': ErrorText(
        title=Text(
            'Encryption does not match the port',
            '加密方式与端口不匹配',
        ),
        explanation=Text(
            'The port speaks a different kind of encryption than the one chosen: SSL on a port that expects plain SMTP or STARTTLS, or TLS / Do Not Encrypt on a port that expects SSL from the first byte.',
            '该端口使用的加密方式与所选的不同：在只支持明文或 STARTTLS 的端口上选择了 SSL，或在一开始就要求 SSL 的端口上选择了 TLS / 不加密。',
        ),
        fix=Text(
            'Choose TLS for ports 587 and 25, and SSL for port 465 — or change the port to match the encryption.',
            '端口 587 和 25 请选择 TLS，端口 465 请选择 SSL；或修改端口以匹配加密方式。',
        ),
    ),
    'tls_untrusted': ErrorText(
        title=Text(
            'Server certificate not trusted',
            '服务器证书不受信任',
        ),
        explanation=Text(
            "The server's certificate is self-signed or issued by a private certificate authority that this computer does not trust.",
            '服务器证书是自签名的，或由本机不信任的私有证书颁发机构签发。',
        ),
        fix=Text(
            "Import your company's CA certificate into the program, or — after checking its fingerprint with the mail server's administrator — trust this server's certificate.",
            '请将公司的 CA 证书导入本程序；或在与邮件服务器管理员核对指纹后，信任该服务器的证书。',
        ),
    ),
    'tls_hostname_mismatch': ErrorText(
        title=Text(
            'Certificate is for another name',
            '证书与服务器名称不符',
        ),
        explanation=Text(
            "The server's certificate was issued to a different name than the one entered (connecting by IP address to a certificate made for a name fails the same way).",
            '服务器证书签发给的名称与所填写的不同（用 IP 地址连接一个签发给域名的证书也会如此）。',
        ),
        fix=Text(
            'Enter the server name exactly as it appears on the certificate, or trust this certificate for this server.',
            '请按证书上的名称填写服务器地址，或为该服务器信任此证书。',
        ),
    ),
    'tls_expired': ErrorText(
        title=Text(
            'Server certificate expired',
            '服务器证书已过期',
        ),
        explanation=Text(
            "The server's certificate is out of date (or not yet valid).",
            '服务器证书已过期（或尚未生效）。',
        ),
        fix=Text(
            "Ask the mail server's administrator to renew the certificate. Also check this computer's date and time.",
            '请联系邮件服务器管理员更新证书，同时检查本机的日期和时间。',
        ),
    ),
    'tls_pin_mismatch': ErrorText(
        title=Text(
            'Server certificate changed',
            '服务器证书已变更',
        ),
        explanation=Text(
            'The server presented a different certificate than the one you trusted for it. The connection may be intercepted.',
            '服务器出示的证书与您之前信任的证书不同，连接可能被拦截。',
        ),
        fix=Text(
            "Do not send. Ask the mail server's administrator whether the certificate was renewed; only then remove the old trust entry and trust the new one.",
            '请勿发送。先向邮件服务器管理员确认证书是否已更新，确认后再删除旧的信任条目并信任新证书。',
        ),
    ),
    'starttls_unsupported': ErrorText(
        title=Text(
            'Server does not offer TLS',
            '服务器不支持 TLS',
        ),
        explanation=Text(
            'TLS (STARTTLS) was chosen, but the server — or something between — does not offer it. Nothing was sent in clear text.',
            '已选择 TLS（STARTTLS），但服务器（或中间设备）未提供该功能。没有以明文发送任何内容。',
        ),
        fix=Text(
            'Check the server and port. Choose Do Not Encrypt only for a trusted internal server.',
            '请检查服务器和端口。只有可信的内部服务器才应选择“不加密”。',
        ),
    ),
    'auth_failed': ErrorText(
        title=Text(
            'Login failed',
            '登录失败',
        ),
        explanation=Text(
            'The mail server refused the user name or password. Many providers need an authorisation code or app password instead of the mailbox password.',
            '邮件服务器拒绝了用户名或密码。许多服务商需要授权码或应用专用密码，而不是邮箱密码。',
        ),
        fix=Text(
            'QQ, 163, 126: use the authorisation code from the mailbox settings and enable POP3/SMTP there. Gmail: use an app password. Microsoft 365: enable SMTP AUTH for the mailbox, or sign in with OAuth2.',
            'QQ、163、126 邮箱：请使用邮箱设置中的授权码，并在其中开启 POP3/SMTP。Gmail：请使用应用专用密码。Microsoft 365：请为该邮箱启用 SMTP AUTH，或使用 OAuth2 登录。',
        ),
    ),
    'auth_unsupported': ErrorText(
        title=Text(
            'Server does not accept login',
            '服务器不支持登录',
        ),
        explanation=Text(
            'The server offers no login method the program can use.',
            '服务器没有提供本程序可用的登录方式。',
        ),
        fix=Text(
            'Check that SMTP login is enabled for this mailbox; for an internal relay that needs no login, leave the password empty.',
            '请确认该邮箱已启用 SMTP 登录；对于无需登录的内部中继，请将密码留空。',
        ),
    ),
    'auth_requires_tls': ErrorText(
        title=Text(
            'Server requires encryption',
            '服务器要求加密',
        ),
        explanation=Text(
            'The server requires TLS before it accepts a login or mail.',
            '服务器要求先建立 TLS 加密，才接受登录或邮件。',
        ),
        fix=Text(
            'Choose TLS (port 587 or 25) or SSL (port 465).',
            '请选择 TLS（端口 587 或 25）或 SSL（端口 465）。',
        ),
    ),
    'sender_rejected': ErrorText(
        title=Text(
            'Sender address refused',
            '发件人地址被拒绝',
        ),
        explanation=Text(
            'The server does not allow this account to send as this sender address, or SMTP is not enabled for the mailbox.',
            '服务器不允许此账户以该发件人地址发送，或该邮箱未开启 SMTP。',
        ),
        fix=Text(
            'Use the address of the mailbox you log in with, and enable SMTP in the mailbox settings.',
            '请使用登录邮箱本身的地址，并在邮箱设置中开启 SMTP。',
        ),
    ),
    'recipient_rejected': ErrorText(
        title=Text(
            'Recipient refused',
            '收件人被拒绝',
        ),
        explanation=Text(
            'The server refused the recipient address.',
            '服务器拒绝了该收件人地址。',
        ),
        fix=Text(
            "Check the recipient's address; the server's reply says why.",
            '请检查收件人地址；服务器的回复中说明了原因。',
        ),
    ),
    'message_rejected': ErrorText(
        title=Text(
            'Message refused',
            '邮件被拒绝',
        ),
        explanation=Text(
            'The server refused the message itself (content, size or policy).',
            '服务器拒绝了邮件本身（内容、大小或策略原因）。',
        ),
        fix=Text(
            "Read the server's reply; check attachment sizes and the provider's sending policy.",
            '请查看服务器的回复，检查附件大小和服务商的发送策略。',
        ),
    ),
    'temporary_failure': ErrorText(
        title=Text(
            'Temporary failure',
            '临时失败',
        ),
        explanation=Text(
            'The server cannot take the mail right now (greylisting, throttling or maintenance).',
            '服务器暂时无法接收邮件（灰名单、限流或维护）。',
        ),
        fix=Text(
            'Try again in a few minutes.',
            '请几分钟后重试。',
        ),
    ),
    'disconnected': ErrorText(
        title=Text(
            'Connection dropped',
            '连接中断',
        ),
        explanation=Text(
            'The mail server closed the connection before the mail was accepted.',
            '邮件服务器在接受邮件之前关闭了连接。',
        ),
        fix=Text(
            "Try again. If it keeps happening, check the encryption and port, and ask the mail server's administrator.",
            '请重试。如果反复出现，请检查加密方式和端口，并咨询邮件服务器管理员。',
        ),
    ),
    'timeout': ErrorText(
        title=Text(
            'Mail server stopped answering',
            '邮件服务器无响应',
        ),
        explanation=Text(
            'The server did not answer within the time allowed.',
            '服务器在允许的时间内没有回复。',
        ),
        fix=Text(
            'Try again later. If the server never greets, the port may expect SSL: choose SSL for port 465.',
            '请稍后重试。如果服务器始终不发送问候，该端口可能要求 SSL：端口 465 请选择 SSL。',
        ),
    ),
    'rate_limited': ErrorText(
        title=Text(
            'Sending too often',
            '发送过于频繁',
        ),
        explanation=Text(
            'This sender has reached its limit of mails per minute; providers block senders that send more often.',
            '该发件人已达到每分钟发送上限；服务商会封锁发送过于频繁的发件人。',
        ),
        fix=Text(
            "Wait until the time shown, or raise the sender's limit per minute.",
            '请等待到所示时间，或提高该发件人的每分钟发送上限。',
        ),
    ),
    'not_configured': ErrorText(
        title=Text(
            'Mailbox not configured',
            '邮箱未配置',
        ),
        explanation=Text(
            'No default sender is chosen, so the system cannot send mail.',
            '尚未选择默认发件人，系统无法发送邮件。',
        ),
        fix=Text(
            'Choose a default sender and click Save (CLI: bimail default set ADDRESS).',
            '请选择一个默认发件人并点击“保存”（命令行：bimail default set 地址）。',
        ),
    ),
    'secret_unavailable': ErrorText(
        title=Text(
            'No secure password storage',
            '没有安全的密码存储',
        ),
        explanation=Text(
            'The program keeps passwords only in the system keychain, and no usable keychain was found (or it is locked). Nothing was saved.',
            '本程序只将密码保存在系统钥匙串中，但未找到可用的钥匙串（或它已锁定）。没有保存任何内容。',
        ),
        fix=Text(
            'Windows and macOS have one built in — unlock it. On Linux, install and unlock a Secret Service keychain (GNOME Keyring or KWallet), or choose a keyring backend with PYTHON_KEYRING_BACKEND.',
            'Windows 和 macOS 自带钥匙串，请将其解锁。Linux 上请安装并解锁 Secret Service 钥匙串（GNOME Keyring 或 KWallet），或用 PYTHON_KEYRING_BACKEND 指定 keyring 后端。',
        ),
    ),
    'invalid_input': ErrorText(
        title=Text(
            'Invalid input',
            '输入无效',
        ),
        explanation=Text(
            'A field has a value the program cannot use. Nothing was changed.',
            '某个字段的值无法使用。没有做任何更改。',
        ),
        fix=Text(
            'Correct the field named in the message and try again.',
            '请更正消息中指出的字段后重试。',
        ),
    ),
    'interrupted': ErrorText(
        title=Text(
            'Sending interrupted',
            '发送被中断',
        ),
        explanation=Text(
            'The send was cancelled or the program stopped while it ran. The mail may or may not have been sent.',
            '发送过程中被取消或程序停止。邮件可能已经发出，也可能没有。',
        ),
        fix=Text(
            'Check with the recipient before sending again.',
            '再次发送前请先与收件人确认。',
        ),
    ),
    'expired': ErrorText(
        title=Text(
            'Given up after retrying',
            '重试后已放弃',
        ),
        explanation=Text(
            'The relay kept this mail and retried it for 24 hours, but the mail server refused it for the time being every time (or could not be reached).',
            '中继保存了这封邮件并在 24 小时内反复重试，但邮件服务器每次都暂时拒绝（或无法连接）。',
        ),
        fix=Text(
            'Look at the last error of the mail in the records, fix the sender or the server, then have the program that submitted it send it again.',
            '请在发送记录中查看该邮件最后的错误，修正发件人或服务器后，让提交它的程序重新发送。',
        ),
    ),
    'oauth_reauth_required': ErrorText(
        title=Text(
            'Sign-in needed again',
            '需要重新登录',
        ),
        explanation=Text(
            'The OAuth2 sign-in of this sender has expired or was revoked by the provider.',
            '该发件人的 OAuth2 登录已过期或被服务商撤销。',
        ),
        fix=Text(
            'Open the sender and click Sign in… again (CLI: bimail senders sign-in ADDRESS).',
            '请打开该发件人并再次点击“登录…”（命令行：bimail senders sign-in 地址）。',
        ),
    ),
    'store_too_new': ErrorText(
        title=Text(
            'Data was written by a newer version',
            '数据来自更新的版本',
        ),
        explanation=Text(
            'The data store was upgraded by a newer version of this program. This version does not know its layout and leaves it untouched.',
            '数据存储已被更新版本的程序升级。当前版本无法识别其结构，因此不会修改它。',
        ),
        fix=Text(
            'Install the newer version of bimail-desktop, or point to another store.',
            '请安装更新版本的 bimail-desktop，或改用其他数据存储。',
        ),
    ),
    'not_found': ErrorText(
        title=Text(
            'Not found',
            '未找到',
        ),
        explanation=Text(
            'The item named does not exist.',
            '指定的项目不存在。',
        ),
        fix=Text(
            'Check the name; list what exists (e.g. bimail senders list).',
            '请检查名称；可以列出现有项目（例如 bimail senders list）。',
        ),
    ),
    'store_unavailable': ErrorText(
        title=Text(
            'Data store cannot be opened',
            '无法打开数据存储',
        ),
        explanation=Text(
            'The data store could not be opened or written: its database server is not reachable, refused the login or has no free connection, or the data folder is read-only or its disk is full. Nothing was changed.',
            '无法打开或写入数据存储：数据库服务器无法访问、拒绝了登录或没有空闲连接，或者数据文件夹只读、磁盘已满。没有做任何更改。',
        ),
        fix=Text(
            'Check the --db URL or BIMAIL_DATABASE_URL (server name, port, database, user and password), that the database server runs and accepts connections from this machine — or that the data folder is writable and its disk has space.',
            '请检查 --db URL 或 BIMAIL_DATABASE_URL（服务器名称、端口、数据库、用户和密码），确认数据库服务器正在运行并接受来自本机的连接；或确认数据文件夹可写且磁盘有剩余空间。',
        ),
    ),
    'store_corrupt': ErrorText(
        title=Text(
            'Data store is damaged',
            '数据存储已损坏',
        ),
        explanation=Text(
            'The data store file is damaged, or it is not a data store of this program. It was left untouched and nothing more is written into it.',
            '数据存储文件已损坏，或者它不是本程序的数据存储。该文件未被修改，也不会再写入任何内容。',
        ),
        fix=Text(
            'Run `bimail doctor` to check it. Restore the file from your backup (close the program first), or point --db / BIMAIL_DATABASE_URL at the right store.',
            '请运行 `bimail doctor` 检查。从备份中恢复该文件（先关闭程序），或将 --db / BIMAIL_DATABASE_URL 指向正确的数据存储。',
        ),
    ),
    'changed_elsewhere': ErrorText(
        title=Text(
            'Changed by someone else',
            '已被他人更改',
        ),
        explanation=Text(
            'Another admin or program changed or removed this meanwhile. Nothing was changed.',
            '在此期间，另一位管理员或程序更改或删除了它。没有做任何更改。',
        ),
        fix=Text(
            'Look at the current state (it has been reloaded) and make the change again.',
            '请查看当前状态（已重新加载），然后再次进行更改。',
        ),
    ),
}
