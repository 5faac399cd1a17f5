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

One module on purpose: the catalogue is data, and one file lets a translator see both
languages of every sentence side by side.
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
        values = {name: _value(value, lang) for name, value in self.params.items()}
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
    """A :class:`Msg`, a :class:`Text`, an error of the program or a plain value as text in
    ``lang``."""
    shown = _value(value, lang)
    return "" if shown is None else str(shown)


def _value(value: object, lang: str | None) -> object:
    """A parameter as a template shows it: texts and the program's errors in ``lang``; any
    other value as given (so that ``{n:g}`` and ``{v!r}`` work as in an f-string)."""
    if isinstance(value, Msg):
        return value.render(lang)
    if isinstance(value, Text):
        return value(lang)
    message = getattr(value, "message", None)
    if isinstance(value, Exception) and callable(message):
        return message(lang)  # a BimailError: its one-line message in the same language
    if isinstance(value, str) and isinstance(message, Msg):
        return message.render(lang)  # a text that carries its catalogue message (a step line)
    return value


def msg_text(key: str, lang: str | None = ENGLISH, /, **params: object) -> str:
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
    "candidate": T("candidate", "候选服务器"),
    "var": T("var", "变量"),
    "html_file": T("html_file", "HTML 文件"),
    "tls_cert": T("tls_cert", "TLS 证书"),
    "tls_key": T("tls_key", "TLS 私钥"),
    "max_size": T("max_size", "大小上限"),
    "max_clients": T("max_clients", "最大客户端数"),
    "auth": T("auth", "登录方式"),
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
    "sending.program_stopped": T(
        "the program stopped while this mail was being sent; it may have been sent",
        "发送这封邮件时程序停止了；邮件可能已经发出"),
    "oauth.warn_microsoft_password": T(
        "{provider} switches password sign-in for SMTP off by default at the end of December "
        "2026 (then 535 5.7.139 / 550 5.7.30 Basic authentication is not supported). Switch "
        "this sender to OAuth2 — Microsoft 365 (bimail senders edit {who} --auth "
        "oauth2-microsoft --client-id ID, then bimail senders sign-in {who}).",
        "{provider}：自 2026 年 12 月底起，现有租户默认关闭密码方式的 SMTP 登录（535 5.7.139 / "
        "550 5.7.30）。请将该发件人改为“OAuth2 — Microsoft 365”（bimail senders edit {who} "
        "--auth oauth2-microsoft --client-id ID，然后 bimail senders sign-in {who}）。"),
    "oauth.warn_google_password": T(
        "Gmail accepts only an app password or OAuth2 sign-in, never the Google account "
        "password. Use an app password, or switch this sender to OAuth2 — Google (bimail "
        "senders edit {who} --auth oauth2-google --client-id ID --client-secret-stdin).",
        "Gmail 只接受应用专用密码或 OAuth2 登录，不接受 Google 账号密码。请使用应用专用密码，"
        "或将该发件人改为“OAuth2 — Google”（bimail senders edit {who} --auth oauth2-google "
        "--client-id ID --client-secret-stdin）。"),
    "oauth.warn_needs_sign_in": T(
        "Needs sign-in: click Sign in… in the sender's settings (or run bimail senders "
        "sign-in {address}).",
        "需要登录：请在发件人设置中点击“登录…”（或运行 bimail senders sign-in {address}）。"),
    "records.bad_date": T(
        "{text!r} is not a date; use YYYY-MM-DD (a day in your time zone) or ISO 8601 such "
        "as {example}",
        "{text!r} 不是日期；请使用 YYYY-MM-DD（本机时区的日期）或 ISO 8601 格式，例如 {example}"),
    "records.nothing_to_resend": T(
        "record {record_id} was delivered to every recipient of its message; there is nothing "
        "to send again",
        "记录 {record_id} 的邮件已送达所有收件人；没有需要重新发送的内容"),
    "records.relayed_resend": T(
        "its template 'Relay' does not exist any more; a relayed mail is sent again with "
        "'bimail relay retry'",
        "其模板“Relay”已不存在；中继的邮件请用“bimail relay retry”重新发送"),
    "records.template_gone": T(
        "its template '{template}' does not exist any more; add the template again first",
        "其模板“{template}”已不存在；请先重新添加该模板"),
    "records.var_alone": T("only goes with --resend-failed", "只能与 --resend-failed 一起使用"),
    "records.resend_alone": T(
        "does not combine with --{name}; it sends one record's message again",
        "不能与 --{name} 一起使用；它会重新发送某一条记录的邮件"),
    "records.csv_columns": T(
        "Sender|IP Address|Receive Email|Template Name|Accessed Resources|Send Time|"
        "Send Time (UTC)|Send Result|Error Code|Error Message|Server Reply|Duration (ms)|"
        "Message ID",
        "发件人|IP 地址|收件邮箱|模板名称|访问的资源|发送时间|发送时间（UTC）|发送结果|错误代码|"
        "错误信息|服务器回复|耗时（毫秒）|邮件 ID"),
    # --- progress of a send -----------------------------------------------------------
    "progress.done": T("Done.", "完成。"),
    "progress.some_failed": T("{failed} of {total} recipient(s) failed.",
                              "{total} 个收件人中有 {failed} 个失败。"),
    # --- the CLI's own lines -------------------------------------------------------------
    "cli.error_line": T("error [{code}]: {message}", "错误 [{code}]：{message}"),
    "cli.server_said": T("server said: {reply}", "服务器回复：{reply}"),
    "cli.why": T("why: {why}", "原因：{why}"),
    "cli.fix": T("fix: {fix}", "解决方法：{fix}"),
    # bimail doctor
    "doctor.installed": T(" (installed application)", "（安装的应用程序）"),
    "doctor.python": T("Python {version} on {platform}", "Python {version}，运行于 {platform}"),
    "doctor.data_folder": T("Data folder:   {path}", "数据文件夹：  {path}"),
    "doctor.store": T("Store:         {url} — {state}", "存储：        {url} — {state}"),
    "doctor.store_ok": T("ok", "正常"),
    "doctor.store_failed": T("failed: {error}", "失败：{error}"),
    "doctor.integrity": T("Integrity:     {state} — {findings}",
                          "完整性：      {state} — {findings}"),
    "doctor.integrity_ok": T("ok", "正常"),
    "doctor.integrity_damaged": T("DAMAGED", "已损坏"),
    "doctor.resources": T("Resources:     {path}", "资源：        {path}"),
    "doctor.translations": T("Translations:  {list}", "翻译：        {list}"),
    "doctor.translation_compiled": T("{lang} (compiled)", "{lang}（已编译）"),
    "doctor.translation_source": T("{lang} (source)", "{lang}（源文件）"),
    "doctor.translation_missing": T("{lang} (missing)", "{lang}（缺失）"),
    "doctor.keychain_usable": T("Keychain:      {backend} — usable",
                                "钥匙串：      {backend} — 可用"),
    "doctor.keychain_unusable": T("Keychain:      {backend} — NOT usable: {reason}",
                                  "钥匙串：      {backend} — 不可用：{reason}"),
    "doctor.viable": T("  viable here: {list}", "  本机可用：  {list}"),
    "doctor.known": T("  known:       {list}", "  已知：      {list}"),
    "doctor.none": T("none", "无"),
    "doctor.relay_running": T("Relay:         running on {listen} (process {pid})",
                              "中继：        运行于 {listen}（进程 {pid}）"),
    "doctor.relay_stopped": T("Relay:         not running", "中继：        未运行"),
    "doctor.relay_queue": T(", {count} message(s) in its queue", "，队列中有 {count} 封邮件"),
    "doctor.problem": T("Problem: {problem}", "问题：{problem}"),
    "doctor.no_translation": T("no {lang} translation in {folder}",
                               "{folder} 中没有 {lang} 翻译"),
    "doctor.no_providers": T("providers.json missing in {folder}",
                             "{folder} 中缺少 providers.json"),
    "doctor.no_migrations": T("the store's migration scripts are missing",
                              "缺少存储的迁移脚本"),
    "doctor.no_keyring": T("keyring could not be loaded ({error})",
                           "无法加载 keyring（{error}）"),
    "doctor.store_not_opened": T("the store could not be opened: {error}",
                                 "无法打开存储：{error}"),
    "doctor.damaged": T("the store failed its integrity check: {findings}{advice}",
                        "存储未通过完整性检查：{findings}{advice}"),
    "integrity.in_memory": T("an in-memory store: nothing to check",
                             "内存中的存储：无需检查"),
    "integrity.not_yet": T("{path} does not exist yet (it is created on first use)",
                           "{path} 尚不存在（首次使用时创建）"),
    "integrity.ok": T("{path} checks out", "{path} 检查通过"),
    "integrity.ok_mark_removed": T("{path} checks out; the damage mark {mark} was removed",
                                   "{path} 检查通过；已删除损坏标记 {mark}"),
    "integrity.ok_mark_stuck": T("{path} checks out, but {mark} could not be removed ({error})",
                                 "{path} 检查通过，但无法删除 {mark}（{error}）"),
    "integrity.server_ok": T("{url} answers; schema revision {revision}",
                             "{url} 有响应；架构版本 {revision}"),
    "restore.sqlite": T(
        "To restore from a backup: close every bimail program, move {path} (and {name}-wal, "
        "{name}-shm next to it) aside, copy the backup to {path}, then run `bimail doctor` "
        "again. Without a backup, `sqlite3 {path} .recover | sqlite3 recovered.db` saves "
        "what can still be read.",
        "从备份恢复：关闭所有 bimail 程序，把 {path}（以及旁边的 {name}-wal、{name}-shm）移到别处，"
        "把备份复制到 {path}，然后再次运行 `bimail doctor`。没有备份时，"
        "`sqlite3 {path} .recover | sqlite3 recovered.db` 可保存仍能读取的内容。"),
    "restore.postgresql": T(
        "To restore from a backup: stop every bimail program, restore the database from its "
        "pg_dump (`pg_restore --clean -d DATABASE backup.dump`), then run `bimail doctor` "
        "again.",
        "从备份恢复：停止所有 bimail 程序，用 pg_dump 的备份恢复数据库"
        "（`pg_restore --clean -d DATABASE backup.dump`），然后再次运行 `bimail doctor`。"),
    "restore.mysql": T(
        "To restore from a backup: stop every bimail program, load the database's dump "
        "(`mariadb DATABASE < backup.sql` or `mysql DATABASE < backup.sql`), then run "
        "`bimail doctor` again.",
        "从备份恢复：停止所有 bimail 程序，载入数据库的转储"
        "（`mariadb DATABASE < backup.sql` 或 `mysql DATABASE < backup.sql`），"
        "然后再次运行 `bimail doctor`。"),
    "credentials.password_elsewhere": T(
        "the password of {address} is not on this machine (passwords stay in each machine's "
        "keychain); enter it here with `bimail senders edit {address} --password-stdin` or in "
        "the sender's settings",
        "{address} 的密码不在本机上（密码保存在每台机器自己的钥匙串中）；请在本机用 "
        "`bimail senders edit {address} --password-stdin` 或在发件人设置中输入"),
    "senders.raced": T(
        "the sender '{address}' was changed or removed elsewhere meanwhile; nothing was changed",
        "发件人“{address}”在此期间已在别处被更改或删除；没有做任何更改"),
    "store.raced": T(
        "another admin or program changed the same data at the same moment; nothing was "
        "changed — look again and repeat the change",
        "另一位管理员或程序在同一时刻更改了相同的数据；没有做任何更改，请重新查看后再次更改"),
    "senders.changed_elsewhere": T(
        "the sender '{address}' was changed elsewhere meanwhile (version {version}, this change "
        "was made from {expected}); nothing was changed",
        "发件人“{address}”在此期间已在别处被更改（版本 {version}，本次更改基于版本 {expected}）；"
        "没有做任何更改"),
    "cli.sender_line": T("{name} via {server}:{port} ({encryption})",
                         "{name}，经由 {server}:{port}（{encryption}）"),
    "cli.default_mark": T(" [default]", " [默认]"),
    "cli.senders_columns": T(
        "Default|Address|Show name|Server|Port|Encryption|User name|Per minute|Sign-in|"
        "Last check",
        "默认|地址|显示名称|服务器|端口|加密方式|用户名|每分钟|登录方式|上次检查"),
    "cli.no_senders": T(
        "No senders yet. Add one with: bimail senders add --server HOST --address ADDRESS "
        "--password-stdin",
        "还没有发件人。添加发件人：bimail senders add --server 主机 --address 地址 "
        "--password-stdin"),
    "cli.warning": T("warning: {address}: {warning}", "警告：{address}：{warning}"),
    "cli.username_is_address": T("(address)", "（同地址）"),
    "cli.sender_added": T("Added sender {sender}.", "已添加发件人 {sender}。"),
    "cli.sender_saved": T("Saved sender {sender}.", "已保存发件人 {sender}。"),
    "cli.not_configured_yet": T(
        "The mailbox is not configured yet: bimail default set {address}",
        "邮箱尚未配置：bimail default set {address}"),
    "cli.sender_removed_only": T("Removed sender {address}.", "已删除发件人 {address}。"),
    "cli.sender_removed": T("Removed sender {address} and its stored password.",
                            "已删除发件人 {address} 及其保存的密码。"),
    "cli.removed_default": T(
        "It was the default sender: the mailbox is now not configured. Choose another with: "
        "bimail default set ADDRESS",
        "它是默认发件人：邮箱现在未配置。请选择其他默认发件人：bimail default set 地址"),
    "cli.default_is": T("Default sender: {sender}", "默认发件人：{sender}"),
    "cli.default_saved": T("Default sender saved: {sender}", "已保存默认发件人：{sender}"),
    "cli.default_cleared": T("Default sender cleared: the mailbox is not configured.",
                             "已清除默认发件人：邮箱未配置。"),
    "cli.sign_in_next": T("Sign this sender in with: {command}", "请为该发件人登录：{command}"),
    "cli.app_signed_in": T(
        "The application signed in (client credentials): {address} can send mail now.",
        "应用程序已登录（客户端凭据）：{address} 现在可以发送邮件。"),
    "cli.opening_browser": T(
        "Opening the browser to sign in. If it does not open, visit this URL on this "
        "computer:\n{url}",
        "正在打开浏览器登录。如果没有打开，请在本机访问此 URL：\n{url}"),
    "cli.device_code": T("Code: {code}", "代码：{code}"),
    "cli.waiting_sign_in": T("Waiting for the sign-in… (Ctrl+C to stop)",
                             "正在等待登录…（按 Ctrl+C 停止）"),
    "cli.signed_in": T("Signed in as {account}: {address} can send mail now.",
                       "已以 {account} 登录：{address} 现在可以发送邮件。"),
    "cli.sent": T(
        "Sent '{template}' from {sender} to {count} recipient(s) in {ms} ms (message "
        "{message}).",
        "已从 {sender} 发送“{template}”给 {count} 个收件人，用时 {ms} 毫秒（邮件 {message}）。"),
    "cli.recipient_ok": T("  ok      {recipient}", "  成功    {recipient}"),
    "cli.recipient_failed": T("  FAILED  {recipient}: [{code}] {message}",
                              "  失败    {recipient}：[{code}] {message}"),
    "cli.some_failed": T("{failed} of {total} recipient(s) failed; the others got the mail.",
                         "{total} 个收件人中有 {failed} 个失败；其他人已收到邮件。"),
    "cli.yes": T("yes", "是"),
    "cli.templates_columns": T("Name|Subject|Built-in|Placeholders", "名称|主题|内置|占位符"),
    "cli.template_added": T("Added template '{name}'.", "已添加模板“{name}”。"),
    "cli.template_saved": T("Saved template '{name}'.", "已保存模板“{name}”。"),
    "cli.template_copied": T("Added template '{name}' (a copy of '{original}').",
                             "已添加模板“{name}”（“{original}”的副本）。"),
    "cli.template_removed": T("Removed template '{name}'.", "已删除模板“{name}”。"),
    "cli.suggestion": T(
        "suggestion: use {encryption} on port {port} (--encryption {value} --port {port})",
        "建议：在端口 {port} 上使用 {encryption}（--encryption {value} --port {port}）"),
    "cli.report_written": T("Report written to {path}", "报告已写入 {path}"),
    "cli.diagnosis_passed": T("All steps passed for {server} port {port} ({encryption}).",
                              "{server} 端口 {port}（{encryption}）的所有步骤都已通过。"),
    "cli.diagnosis_failed": T(
        "Diagnosis failed at '{step}' for {server} port {port} ({encryption}).",
        "{server} 端口 {port}（{encryption}）的诊断在“{step}”失败。"),
    "cli.trust_hint": T("To trust this certificate after checking its fingerprint: {command}",
                        "核对指纹后如要信任此证书：{command}"),
    "cli.detect_found": T("Settings found for {address} (best first; nothing was saved):",
                          "为 {address} 找到的设置（最佳的在前；没有保存任何内容）："),
    "cli.more": T("more: {link}", "详情：{link}"),
    "cli.detect_add": T("To add it: {command}", "添加方法：{command}"),
    "store.folder_disk_full": T("the disk of {folder} is full — free some space",
                                "{folder} 所在的磁盘已满，请释放一些空间"),
    "store.folder_read_only": T("the data folder {folder} is read-only here — make it writable",
                                "数据文件夹 {folder} 在此处只读，请使其可写"),
    "store.folder_problem": T("{url}: {cause}; nothing was changed", "{url}：{cause}；没有做任何更改"),
    "store.damaged_marked": T(
        "{url} reported damage; the mark {mark} says so; nothing more is written into it",
        "{url} 已报告损坏（标记文件 {mark} 表明了这一点）；不会再写入任何内容"),
    'store.damaged_before': T(
        '{url} reported damage earlier; nothing more is written into it',
        '{url} 之前已报告损坏；不会再写入任何内容'),
    'store.lock_timeout': T(
        "another program held the store's schema lock for more than {seconds} s",
        '另一个程序占用数据存储的结构锁超过 {seconds} 秒'),
    'store.not_a_file': T(
        "{path} is not a file; point --db / BIMAIL_DATABASE_URL at the store's file (bimail.db)",
        '{path} 不是文件；请将 --db / BIMAIL_DATABASE_URL 指向数据存储文件（bimail.db）'),
    'store.cannot_open': T(
        '{path}: {reason}',
        '{path}：{reason}'),
    'store.no_driver': T(
        "{url}: the driver for {backend} is not installed ({exc}); install it with pip install 'bimail-desktop[{extra}]'",
        "{url}：没有安装 {backend} 的驱动（{exc}）；请用 pip install 'bimail-desktop[{extra}]' 安装"),
    'store.unknown_backend': T(
        '--db / BIMAIL_DATABASE_URL: {url!r} names the database {backend!r}; the store can be SQLite, PostgreSQL or MySQL/MariaDB — {help}',
        '--db / BIMAIL_DATABASE_URL：{url!r} 指定的数据库是 {backend!r}；数据存储只能是 SQLite、PostgreSQL 或 MySQL/MariaDB — {help}'),
    'store.no_database': T(
        '--db / BIMAIL_DATABASE_URL: {url!r} names no database; add it after the server, e.g. {drivername}://user@host/bimail',
        '--db / BIMAIL_DATABASE_URL：{url!r} 没有指定数据库；请在服务器之后加上，例如 {drivername}://user@host/bimail'),
    'store.server_unavailable': T(
        '{url}: {reason} ({error})',
        '{url}：{reason}（{error}）'),
    'store.bad_url': T(
        '--db / BIMAIL_DATABASE_URL: {url!r} is not a database URL; {help}',
        '--db / BIMAIL_DATABASE_URL：{url!r} 不是数据库 URL；{help}'),
    'store.corrupt_file': T(
        '{url}: {error}; the file was left untouched',
        '{url}：{error}；该文件未被修改'),
    'store.read_only': T(
        '{url}: the store is read-only here (the file or its folder cannot be written); nothing was changed',
        '{url}：数据存储在此处只读（文件或其文件夹不可写）；没有做任何更改'),
    'store.disk_full': T(
        '{url}: the disk is full; nothing was changed — free some space',
        '{url}：磁盘已满；没有做任何更改，请释放一些空间'),
    'store.cannot_open_file': T(
        '{url}: {error} (check that the folder exists and can be written, and that its disk has space); nothing was changed',
        '{url}：{error}（请检查文件夹是否存在且可写，以及磁盘是否有剩余空间）；没有做任何更改'),
    'store.folder_not_writable': T(
        '{url}: the data folder cannot be written ({strerror}); nothing was changed',
        '{url}：数据文件夹不可写（{strerror}）；没有做任何更改'),
    'store.no_free_connection': T(
        'the server has no free connection (too many connections)',
        '服务器没有空闲连接（连接过多）'),
    'store.user_connections': T(
        'the user has no free connection left (max_user_connections)',
        '该用户已没有可用的连接（max_user_connections）'),
    "store.per_user_limit": T(
        "the user has no free connection left (a per-user limit of the server)",
        "该用户已没有可用的连接（服务器对每个用户的限制）"),
    'store.database_denied': T(
        'the user may not use this database',
        '该用户无权使用此数据库'),
    'store.login_refused': T(
        'the server refused the login (user or password)',
        '服务器拒绝了登录（用户名或密码）'),
    'store.no_such_database': T(
        'the database does not exist',
        '数据库不存在'),
    'store.unreachable': T(
        'the server is not reachable',
        '无法连接服务器'),
    'store.unknown_server': T(
        'the server name is unknown',
        '服务器名称未知'),
    'store.closed': T(
        'the server closed the connection',
        '服务器关闭了连接'),
    'store.lost': T(
        'the connection to the server was lost',
        '与服务器的连接已断开'),
    'store.connection_failed': T(
        'the connection failed',
        '连接失败'),
    'store.unreachable_or_refused': T(
        'the server is not reachable or refused the connection',
        '无法连接服务器，或服务器拒绝了连接'),
    'store.closed_or_shutting_down': T(
        'the server closed the connection or is shutting down',
        '服务器关闭了连接或正在关闭'),
    'store.url_help': T(
        'write it like sqlite:///path/to/bimail.db, postgresql://user:password@host/database or mysql://user:password@host/database',
        '请写成 sqlite:///path/to/bimail.db、postgresql://user:password@host/database 或 mysql://user:password@host/database 的形式'),
    'smtp.xoauth2_refused': T(
        'the server refused the OAuth2 access token{detail}; check that the app has the mail-sending permission and that SMTP AUTH is enabled for the mailbox',
        '服务器拒绝了 OAuth2 访问令牌{detail}；请检查该应用是否有发送邮件的权限，以及该邮箱是否已启用 SMTP AUTH'),
    'tls.none_no_certificate': T(
        'Do Not Encrypt has no certificate; choose SSL or TLS to fetch it.',
        '“不加密”没有证书；请选择 SSL 或 TLS 来获取证书。'),
    'smtp.no_recipient': T(
        'No recipient given.',
        '没有给出收件人。'),
    'smtp.username_ascii': T(
        "username: the mail server's login takes only ASCII characters; enter the user name without accents or Chinese characters (e.g. the full address).",
        '用户名：邮件服务器的登录只接受 ASCII 字符；请输入不含重音符号或中文字符的用户名（例如完整的邮件地址）。'),
    'smtp.password_ascii': T(
        "password: it contains characters other than ASCII letters, digits and punctuation (e.g. full-width characters from an input method), which SMTP login cannot carry. Re-type it with the input method switched off, or use the provider's authorisation code / app password.",
        '密码：其中包含 ASCII 字母、数字和标点以外的字符（例如输入法输入的全角字符），SMTP 登录无法传送。请关闭输入法后重新输入，或使用服务商的授权码 / 应用专用密码。'),
    'smtp.password_without_auth': T(
        'The server offers no login (AUTH), but a password is set. For a relay that needs no login, leave the user name and password empty.',
        '服务器不提供登录（AUTH），但设置了密码。对于无需登录的中继，请将用户名和密码留空。'),
    'smtp.no_usable_mechanism': T(
        'The server offers only login methods this program does not use: {offered}',
        '服务器只提供本程序不使用的登录方式：{offered}'),
    'smtp.no_smtputf8': T(
        'An address contains non-ASCII characters before the @, and the server does not support international addresses (SMTPUTF8).',
        '某个地址在 @ 之前包含非 ASCII 字符，而服务器不支持国际化地址（SMTPUTF8）。'),
    'smtp.login_after_starttls': T(
        'The server offers login only after STARTTLS: choose TLS.',
        '服务器只在 STARTTLS 之后才提供登录：请选择 TLS。'),
    'smtp.no_xoauth2': T(
        'The server does not offer OAuth2 login (XOAUTH2); it offers: {offered}',
        '服务器不提供 OAuth2 登录（XOAUTH2）；它提供的是：{offered}'),
    'smtp.pin_mismatch': T(
        '{host}:{port} presented the certificate {actual}, but the certificate trusted for it is {pins}. Nothing was sent.',
        '{host}:{port} 出示的证书是 {actual}，但为它信任的证书是 {pins}。没有发送任何内容。'),
    'smtp.dns_timeout': T(
        "No answer from DNS for '{host}' within {timeout:g} s.",
        'DNS 在 {timeout:g} 秒内没有回答“{host}”。'),
    'smtp.no_address': T(
        "'{host}' has no address.",
        '“{host}”没有地址。'),
    'smtp.ssl_port_speaks': T(
        'SSL was chosen, but port {port} speaks {label}.',
        '选择了 SSL，但端口 {port} 使用的是 {label}。'),
    'smtp.no_login_offered': T(
        'The server offers no login (AUTH is not in its EHLO reply).',
        '服务器不提供登录（其 EHLO 回复中没有 AUTH）。'),
    'diag.cancelled': T(
        'the diagnosis was cancelled',
        '诊断已取消'),
    'smtp.xoauth2_not_offered': T(
        'the server does not offer OAuth2 login (XOAUTH2); it offers: {offered}',
        '服务器不提供 OAuth2 登录（XOAUTH2）；它提供的是：{offered}'),
    # --- the SMTP conversation ------------------------------------------------------
    'smtp.unexpected_failure': T(
        'Unexpected failure with {where}: {name}',
        '与 {where} 通信时发生意外故障：{name}'),
    'smtp.no_answer_at': T(
        '{where} did not answer {step}{secs}.',
        '{where} 没有回应 {step}{secs}。'),
    'smtp.expects_ssl': T(
        '{host}:{port} expects SSL from the first byte (it answered a TLS handshake but sent no SMTP greeting). Choose SSL for this port.',
        '{host}:{port} 要求一开始就使用 SSL（它回应了 TLS 握手，但没有发送 SMTP 问候）。请为此端口选择 SSL。'),
    'smtp.no_starttls': T(
        '{host}:{port} does not offer STARTTLS. The connection was closed; nothing (no login, no mail) was sent in clear text.',
        '{host}:{port} 不提供 STARTTLS。连接已关闭；没有以明文发送任何内容（没有登录，也没有邮件）。'),
    'smtp.cancelled_at': T(
        'Cancelled during {step}.',
        '在 {step} 期间已取消。'),
    'smtp.tls_failed': T(
        'The encrypted connection to {where} failed ({reason}).',
        '与 {where} 的加密连接失败（{reason}）。'),
    'smtp.protocol_broken': T(
        '{where} broke the SMTP protocol during {step} ({problem}); it began: “{words}”. The connection was closed.',
        '{where} 在 {step} 期间违反了 SMTP 协议（{problem}）；其开头为：“{words}”。连接已关闭。'),
    'smtp.not_supported': T(
        '{where} does not support this: {reply}',
        '{where} 不支持此操作：{reply}'),
    'smtp.error_with': T(
        'SMTP error with {where}: {reply}',
        '与 {where} 通信时出现 SMTP 错误：{reply}'),
    'smtp.dns_failed': T(
        "The name '{host}' could not be resolved to an address.",
        '无法将名称“{host}”解析为地址。'),
    'smtp.refused': T(
        'Nothing accepts connections on {where}.',
        '{where} 上没有接受连接的服务。'),
    'smtp.unreachable': T(
        '{where} cannot be reached from this computer.',
        '从本机无法访问 {where}。'),
    'smtp.lost_at': T(
        'The connection to {where} was lost during {step} ({name}).',
        '在 {step} 期间与 {where} 的连接断开（{name}）。'),
    'smtp.bad_characters': T(
        'A value contains characters the mail server cannot take.',
        '某个值包含邮件服务器无法接受的字符。'),
    'smtp.no_connection': T(
        'No connection to {where}{secs}.',
        '{secs}无法连接 {where}。'),
    'smtp.no_greeting': T(
        '{where} accepted the connection but sent no greeting{secs}. The port may expect SSL from the first byte (usually port 465): choose SSL.',
        '{where} 接受了连接，但{secs}没有发送问候。该端口可能要求一开始就使用 SSL（通常为端口 465）：请选择 SSL。'),
    'smtp.no_ssl_answer': T(
        '{where} did not answer the SSL handshake{secs}. The port may expect plain SMTP or STARTTLS: choose TLS (ports 587 and 25).',
        '{where} {secs}没有回应 SSL 握手。该端口可能要求明文 SMTP 或 STARTTLS：请选择 TLS（端口 587 和 25）。'),
    'smtp.ssl_on_plain_port': T(
        'SSL was chosen, but {where} does not speak SSL from the first byte (it answered in plain SMTP). Choose TLS for this port, or port 465 for SSL.',
        '选择了 SSL，但 {where} 并非一开始就使用 SSL（它以明文 SMTP 回应）。请为此端口选择 TLS，或将 SSL 用于端口 465。'),
    'smtp.old_tls': T(
        '{where} offers only outdated TLS versions (below TLS 1.2), which are not safe; the mail server must be updated.',
        '{where} 只提供过时的 TLS 版本（低于 TLS 1.2），不安全；邮件服务器需要升级。'),
    'smtp.closed_in_handshake': T(
        '{where} closed the connection during the encryption handshake.',
        '{where} 在加密握手期间关闭了连接。'),
    'smtp.closed_before_greeting': T(
        '{where} closed the connection before greeting.',
        '{where} 在问候之前关闭了连接。'),
    'smtp.closed_during': T(
        '{where} closed the connection during {step}.',
        '{where} 在 {step} 期间关闭了连接。'),
    'smtp.the_server': T(
        'the server',
        '服务器'),
    'smtp.within': T(
        ' within {seconds:g} s',
        '在 {seconds:g} 秒内'),
    'smtp.auth_qq': T(
        "The server refused the login. QQ, 163 and 126 mailboxes need the authorisation code (授权码) generated in the mailbox's web settings, not the mailbox password; POP3/SMTP must be enabled there too.",
        '服务器拒绝了登录。QQ、163 和 126 邮箱需要使用在邮箱网页设置中生成的授权码，而不是邮箱密码；并且需要在其中开启 POP3/SMTP。'),
    'smtp.auth_gmail': T(
        'Gmail needs an app password (2-Step Verification is on): create one at myaccount.google.com/apppasswords and use it instead of the account password, or use OAuth2.',
        'Gmail 需要应用专用密码（已开启两步验证）：请在 myaccount.google.com/apppasswords 创建一个，用它代替账号密码，或使用 OAuth2。'),
    'smtp.auth_microsoft': T(
        "Microsoft 365 refused password login: SMTP AUTH (basic authentication) is disabled for this mailbox or tenant. An administrator must enable 'Authenticated SMTP' for the mailbox in the Microsoft 365 admin center, or sign in with OAuth2.",
        'Microsoft 365 拒绝了密码登录：该邮箱或租户已禁用 SMTP AUTH（基本身份验证）。管理员需要在 Microsoft 365 管理中心为该邮箱启用“经过身份验证的 SMTP”，或改用 OAuth2 登录。'),
    'smtp.sender_163': T(
        "The mailbox is not allowed to send by SMTP: enable POP3/SMTP (or IMAP/SMTP) in the mailbox's web settings and use the authorisation code it shows as the password.",
        '该邮箱不允许通过 SMTP 发送：请在邮箱网页设置中开启 POP3/SMTP（或 IMAP/SMTP），并将其显示的授权码用作密码。'),
    'smtp.auth_generic': T(
        'The server refused the user name or password. Check both; many providers need an authorisation code or app password instead of the mailbox password.',
        '服务器拒绝了用户名或密码。请检查两者；许多服务商需要授权码或应用专用密码，而不是邮箱密码。'),
    'smtp.at_greeting': T(
        ' instead of greeting',
        '（代替问候）'),
    'smtp.at_ehlo': T(
        ' after EHLO',
        '（在 EHLO 之后）'),
    'smtp.at_login': T(
        ' at login',
        '（在登录时）'),
    'smtp.at_mail': T(
        ' at MAIL FROM',
        '（在 MAIL FROM 时）'),
    'smtp.at_rcpt': T(
        ' at RCPT TO',
        '（在 RCPT TO 时）'),
    'smtp.at_data': T(
        ' at DATA',
        '（在 DATA 时）'),
    'smtp.closed_421': T(
        'The server closed the connection{at}: {reply}',
        '服务器关闭了连接{at}：{reply}'),
    'smtp.not_smtp': T(
        'The server sent an answer that is not SMTP: {reply}',
        '服务器发送的回答不是 SMTP：{reply}'),
    'smtp.login_needs_tls': T(
        'The server accepts a login only over an encrypted connection: {reply}',
        '服务器只接受通过加密连接登录：{reply}'),
    'smtp.login_method_unsupported': T(
        'The server does not support this login method: {reply}',
        '服务器不支持此登录方式：{reply}'),
    'smtp.login_deferred': T(
        'Login temporarily refused: {reply}',
        '登录被暂时拒绝：{reply}'),
    'smtp.sender_deferred': T(
        'The sender was deferred by the server: {reply}',
        '服务器暂缓接受发件人：{reply}'),
    'smtp.recipient_deferred': T(
        'The recipient was deferred by the server: {reply}',
        '服务器暂缓接受收件人：{reply}'),
    'smtp.message_deferred': T(
        'The message was deferred by the server: {reply}',
        '服务器暂缓接受邮件：{reply}'),
    'smtp.request_deferred': T(
        'The request was deferred by the server: {reply}',
        '服务器暂缓处理请求：{reply}'),
    'smtp.requires_tls_first': T(
        'The server requires encryption (or a login) first: {reply}',
        '服务器要求先加密（或先登录）：{reply}'),
    'smtp.requires_login': T(
        'The server requires a login before it accepts mail: enter the user name and password. ({reply})',
        '服务器要求先登录才接受邮件：请填写用户名和密码。（{reply}）'),
    'smtp.sender_refused': T(
        'The server refused the sender address: {reply}',
        '服务器拒绝了发件人地址：{reply}'),
    'smtp.recipient_refused': T(
        'The server refused the recipient {recipient}: {reply}',
        '服务器拒绝了收件人 {recipient}：{reply}'),
    'smtp.a_recipient_refused': T(
        'The server refused the recipient: {reply}',
        '服务器拒绝了收件人：{reply}'),
    'smtp.message_refused': T(
        'The server refused the message: {reply}',
        '服务器拒绝了邮件：{reply}'),
    'smtp.refused_client': T(
        'The server refused to talk to this computer: {reply}',
        '服务器拒绝与本机通信：{reply}'),
    'smtp.starttls_refused': T(
        'The server refused STARTTLS: {reply}. Nothing was sent in clear text.',
        '服务器拒绝了 STARTTLS：{reply}。没有以明文发送任何内容。'),
    'smtp.unexpected_reply': T(
        'Unexpected answer from the server: {reply}',
        '服务器的回答出乎意料：{reply}'),
    'smtp.cert_wrong_name': T(
        "The certificate of {where} is not issued to '{host}' ({reason}).",
        '{where} 的证书不是签发给“{host}”的（{reason}）。'),
    'smtp.cert_wrong_name_ip': T(
        "The certificate of {where} is not issued to '{host}' ({reason}). You connected by IP address: enter the server's DNS name instead.",
        '{where} 的证书不是签发给“{host}”的（{reason}）。您是用 IP 地址连接的：请改为填写服务器的 DNS 名称。'),
    'smtp.cert_expired': T(
        'The certificate of {where} is out of date ({reason}).',
        '{where} 的证书已过期（{reason}）。'),
    'smtp.cert_untrusted': T(
        'The certificate of {where} is not trusted ({reason}).',
        '{where} 的证书不受信任（{reason}）。'),
    "cli.trusted_ca": T("Trusted CA {subject}\nSHA-256 {sha256}",
                        "已信任 CA {subject}\nSHA-256 {sha256}"),
    "cli.trust_columns": T("SHA-256|KIND|SERVER|SUBJECT|ADDED", "SHA-256|类型|服务器|主题|添加时间"),
    "cli.no_trusted": T(
        "No certificates are trusted in the program (the system's own store still is).",
        "本程序中没有受信任的证书（系统自己的证书存储仍然有效）。"),
    "cli.trust_removed_one": T("Removed {count} trusted certificate entry",
                               "已删除 {count} 个受信任证书条目"),
    "cli.trust_removed": T("Removed {count} trusted certificate entries",
                           "已删除 {count} 个受信任证书条目"),
    "cli.pin_needs_yes": T(
        "bimail: error [invalid_input]: no terminal to confirm with; check the fingerprint "
        "(bimail diagnose shows it) and pass --yes to trust the certificate",
        "bimail：错误 [invalid_input]：没有可用于确认的终端；请核对指纹（bimail diagnose "
        "会显示它），然后加上 --yes 来信任该证书"),
    "cli.cert_server": T("Server:      {server}", "服务器：    {server}"),
    "cli.cert_subject": T("Subject:     {subject}", "主题：      {subject}"),
    "cli.cert_issuer": T("Issuer:      {issuer}", "颁发者：    {issuer}"),
    "cli.cert_self_signed": T("  (self-signed)", "  （自签名）"),
    "cli.cert_names": T("Names:       {names}", "名称：      {names}"),
    "cli.cert_valid": T("Valid:       {start} to {end}", "有效期：    {start} 至 {end}"),
    "cli.cert_expired": T("  (EXPIRED or not yet valid)", "  （已过期或尚未生效）"),
    "cli.check_line": T("{when} {what}: {result}", "{when} {what}：{result}"),
    "cli.check_test_mail": T("test mail", "测试邮件"),
    "cli.check_diagnosis": T("diagnosis", "诊断"),
    "cli.check_success": T("success", "成功"),
    "cli.check_failure": T("failure", "失败"),
    "cli.pin_question": T(
        "Compare the fingerprint with the mail server's administrator. Trust this certificate "
        "for this server? [y/N] ",
        "请与邮件服务器管理员核对指纹。是否为该服务器信任此证书？[y/N] "),
    "cli.pin_declined": T("Not trusted; nothing was changed.", "未信任；没有做任何更改。"),
    "cli.pinned": T("Trusted for {host}.", "已为 {host} 信任。"),
    "cli.exported": T(
        "Exported {senders} senders, {templates} templates and {certificates} trusted "
        "certificates to {file} (no passwords).",
        "已将 {senders} 个发件人、{templates} 个模板和 {certificates} 个受信任证书导出到 {file}"
        "（不含密码）。"),
    "cli.imported": T(
        "Imported {file}: {added} senders added, {updated} updated, {templates} templates, "
        "{certificates} trusted certificates.",
        "已导入 {file}：新增 {added} 个发件人，更新 {updated} 个，{templates} 个模板，"
        "{certificates} 个受信任证书。"),
    "cli.set_passwords": T(
        "Passwords are not part of an export. Set them with: bimail senders edit ADDRESS "
        "--password-stdin",
        "导出文件中不含密码。请用以下命令设置：bimail senders edit 地址 --password-stdin"),
    "cli.csv_written_one": T("{count:,} record written to {file}", "已将 {count:,} 条记录写入 {file}"),
    "cli.csv_written": T("{count:,} records written to {file}", "已将 {count:,} 条记录写入 {file}"),
    "cli.more_than": T("more than {count:,}", "超过 {count:,}"),
    "cli.no_records": T("No sending records match.", "没有符合条件的发送记录。"),
    "cli.no_records_at": T("No records at offset {offset:,}; {matching} match.",
                           "偏移 {offset:,} 处没有记录；共有 {matching} 条符合条件。"),
    "cli.records_columns": T(
        "Send Time|Sender|IP Address|Receive Email|Template Name|Accessed Resources|Send Result",
        "发送时间|发件人|IP 地址|收件人|模板名称|访问的资源|发送结果"),
    "cli.records_range": T("records {first:,}–{last:,} of {matching}",
                           "第 {first:,}–{last:,} 条，共 {matching} 条"),
    "cli.more_with_offset": T(" (more with --offset)", "（用 --offset 查看更多）"),
    "cli.count_all_hint": T("; --count-all for the exact figure", "；用 --count-all 得到准确数字"),
    "cli.purge_question": T("Delete {count:,} sending records older than {days} days? [y/N] ",
                            "删除 {count:,} 条超过 {days} 天的发送记录？[y/N] "),
    "cli.purged_one": T("{count:,} sending record older than {days} days deleted.",
                        "已删除 {count:,} 条超过 {days} 天的发送记录。"),
    "cli.purged": T("{count:,} sending records older than {days} days deleted.",
                    "已删除 {count:,} 条超过 {days} 天的发送记录。"),
    "cli.purge_would_one": T(
        "{count:,} sending record older than {days} days would be deleted; nothing was "
        "deleted. Add --yes to delete them.",
        "将删除 {count:,} 条超过 {days} 天的发送记录；尚未删除任何记录。加上 --yes 即可删除。"),
    "cli.purge_would": T(
        "{count:,} sending records older than {days} days would be deleted; nothing was "
        "deleted. Add --yes to delete them.",
        "将删除 {count:,} 条超过 {days} 天的发送记录；尚未删除任何记录。加上 --yes 即可删除。"),
    "cli.relay_stopping": T("stopping: finishing the message in hand…", "正在停止：先完成手头的邮件…"),
    "cli.relay_user_added": T("relay user {name} added", "已添加中继用户 {name}"),
    "cli.relay_user_password": T("relay user {name} has a new password", "中继用户 {name} 已设置新密码"),
    "cli.relay_user_removed": T("relay user {name} removed", "已删除中继用户 {name}"),
    "cli.no_relay_users": T("no relay users", "没有中继用户"),
    "cli.queue_columns": T("ID|STATUS|ATTEMPTS|NEXT ATTEMPT|SENDER|RECIPIENTS|LAST ERROR",
                           "编号|状态|尝试次数|下次尝试|发件人|收件人|最后的错误"),
    "cli.queue_empty": T("the relay's queue is empty", "中继队列为空"),
    "cli.relay_flushed": T("{count} waiting message(s) will be tried now by the running relay",
                           "正在运行的中继将立即尝试发送 {count} 封等待中的邮件"),
    "cli.relay_retry": T("message {id} will be sent again by the running relay",
                         "正在运行的中继将重新发送邮件 {id}"),
    "cli.password_sign_in": T("password", "密码"),
    "encryption.ssl": T("SSL", "SSL"),
    "encryption.tls": T("TLS", "TLS"),
    "encryption.none": T("Do Not Encrypt", "不加密"),
    "keychain.no_backend": T("no keychain backend", "没有钥匙串后端"),
    "keychain.no_backend_named": T("no keychain backend ({backend})", "没有钥匙串后端（{backend}）"),
    "keychain.write_failed": T("write failed: {error}", "写入失败：{error}"),
    "keychain.read_failed": T("read failed: {error}", "读取失败：{error}"),
    "keychain.delete_failed": T("delete failed: {error}", "删除失败：{error}"),
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
    'cli.diagnose.server_options': T(
        '--port, --encryption, --username and --address go with --server',
        '--port、--encryption、--username 和 --address 只能与 --server 一起使用'),
    'cli.diagnose.bad_candidate': T(
        "'{value}' is not HOST:PORT:ENCRYPTION, e.g. mail.corp:587:tls",
        '“{value}”不是 主机:端口:加密方式 的格式，例如 mail.corp:587:tls'),
    'cli.diagnose.bad_candidate_parts': T(
        "'{value}': the port must be a number from 1 to 65535 and the encryption ssl, tls or none",
        '“{value}”：端口必须是 1 到 65535 之间的数字，加密方式必须是 ssl、tls 或 none'),
    'records.until_before_since': T(
        'is before --since; give a range that ends after it starts',
        '早于 --since；请给出结束晚于开始的范围'),
    'records.yes_alone': T(
        'only goes with --delete-older-than',
        '只能与 --delete-older-than 一起使用'),
    'records.bad_result': T(
        '{result!r} is not a result; use success or failure',
        '{result!r} 不是有效的发送结果；请使用 success 或 failure'),
    'records.delete_alone': T(
        'does not combine with --{name}; it deletes every finished record older than the given days',
        '不能与 --{name} 一起使用；它会删除所有早于指定天数的已完成记录'),
    'relay.count_out_of_range': T(
        '{value} is out of range; give 1 to 100000',
        '{value} 超出范围；请输入 1 到 100000'),
    'relay.password_stdin': T(
        'pass --password-stdin and type the password on standard input (never on the command line)',
        '请加上 --password-stdin 并在标准输入中输入密码（切勿写在命令行上）'),
    'number.not_whole_quoted': T(
        "'{text}' is not a whole number",
        '“{text}”不是整数'),
    'relay.bad_message_id': T(
        "'{id}' is not a message id; see `bimail relay queue`",
        '“{id}”不是邮件编号；请查看 `bimail relay queue`'),
    'relay.bad_max_size': T(
        "'{max_size}' is not a number of MB",
        '“{max_size}”不是以 MB 计的数字'),
    'relay.cannot_listen': T(
        'cannot listen on {host}:{port} ({why}); choose another address or port or stop the program that uses it',
        '无法在 {host}:{port} 上监听（{why}）；请选择其他地址或端口，或停止占用它的程序'),
    'senders.oauth_options_need_auth': T(
        'OAuth2 options need --auth oauth2-microsoft, oauth2-google or oauth2-custom',
        'OAuth2 选项需要同时给出 --auth oauth2-microsoft、oauth2-google 或 oauth2-custom'),
    'templates.nothing_to_change': T(
        'nothing to change; give --subject and/or --html-file',
        '没有要修改的内容；请给出 --subject 和/或 --html-file'),
    'sending.bad_variable': T(
        "'{pair}' is not KEY=VALUE",
        '“{pair}”不是 KEY=VALUE 的格式'),
    'detect.nothing_usable': T(
        "no usable mail server found for '{domain}' (tried {tried})",
        '没有为“{domain}”找到可用的邮件服务器（已尝试 {tried}）'),
    'detect.nothing_to_try': T(
        'no server to try',
        '没有可尝试的服务器'),
    'detect.cancelled': T(
        'the detection was cancelled',
        '检测已取消'),
    'detect.no_name_resolves': T(
        "none of the usual server names of '{domain}' could be resolved (tried {tried}); enter the server by hand",
        '“{domain}”的常用服务器名称都无法解析（已尝试 {tried}）；请手动填写服务器'),
    'detect.no_answer': T(
        "no mail server answered for '{domain}' (tried {tried}); enter the server by hand",
        '“{domain}”没有邮件服务器响应（已尝试 {tried}）；请手动填写服务器'),
    'file.missing_or_folder': T(
        "the file '{path}' does not exist or is not a file",
        '文件“{path}”不存在或不是文件'),
    'oauth.not_https': T(
        "'{value}' is not an https:// URL; the provider's endpoints must use https",
        '“{value}”不是 https:// URL；服务商的端点必须使用 https'),
    'oauth.unreachable': T(
        '{where} could not be reached ({name})',
        '无法连接 {where}（{name}）'),
    'oauth.not_oauth_answer': T(
        'the sign-in service {host} gave an answer that is not OAuth2; check the endpoint URLs',
        '登录服务 {host} 的回答不是 OAuth2；请检查端点 URL'),
    'oauth.client_id_empty': T(
        'enter the application (client) ID of the app registered for this program',
        '请输入为本程序注册的应用程序（客户端）ID'),
    'oauth.one_word': T(
        'must be one word without spaces (at most 256 characters)',
        '必须是一个不含空格的词（最多 256 个字符）'),
    'text.no_control_chars': T(
        'must not contain control characters',
        '不能包含控制字符'),
    'oauth.bad_flow': T(
        "'{flow}' is not a sign-in flow; choose interactive or client-credentials",
        '“{flow}”不是登录流程；请选择 interactive（用户登录）或 client-credentials（客户端凭据）'),
    'oauth.scopes_empty': T(
        'enter the scopes the provider needs for sending mail (e.g. its SMTP scope and offline_access)',
        '请输入服务商发送邮件所需的权限范围（例如其 SMTP 权限范围和 offline_access）'),
    'oauth.untrusted': T(
        '{where}: certificate not trusted ({verify_message})',
        '{where}：证书不受信任（{verify_message}）'),
    'oauth.dns_failed': T(
        '{where}: the name could not be resolved',
        '{where}：无法解析该名称'),
    'oauth.refused': T(
        '{where} refused the connection',
        '{where} 拒绝了连接'),
    'oauth.timeout': T(
        '{where} did not answer in time',
        '{where} 没有及时响应'),
    'oauth.http_error': T(
        'the sign-in service {host} answered HTTP {status}; check the endpoint URLs',
        '登录服务 {host} 返回了 HTTP {status}；请检查端点 URL'),
    'oauth.provider_error': T(
        'the provider did not sign in ({error}{description})',
        '服务商未完成登录（{error}{description}）'),
    'oauth.url_empty': T(
        "enter the provider's endpoint URL (https://…)",
        '请输入服务商的端点 URL（https://…）'),
    'oauth.url_no_host': T(
        "'{value}' has no host name; enter a full https:// URL",
        '“{value}”缺少主机名；请输入完整的 https:// URL'),
    'text.no_spaces_or_control': T(
        'must not contain spaces or control characters',
        '不能包含空格或控制字符'),
    'oauth.bad_tenant': T(
        "enter the tenant ID (a GUID), its domain (contoso.onmicrosoft.com) or 'organizations'",
        '请输入租户 ID（GUID）、其域名（contoso.onmicrosoft.com）或“organizations”'),
    'oauth.google_no_app_sign_in': T(
        'Google offers no client-credentials sign-in for mail; sign in interactively',
        'Google 不支持用客户端凭据登录发送邮件；请以用户身份登录'),
    'oauth.app_needs_tenant': T(
        'the client-credentials sign-in needs your tenant (its ID or contoso.onmicrosoft.com)',
        '客户端凭据登录需要您的租户（租户 ID 或 contoso.onmicrosoft.com）'),
    'oauth.cancelled': T(
        'sign-in cancelled',
        '登录已取消'),
    'oauth.not_signed_in': T(
        'this sender has no saved sign-in',
        '该发件人没有已保存的登录'),
    'oauth.app_needs_secret_short': T(
        "the client-credentials sign-in needs the application's client secret",
        '客户端凭据登录需要应用程序的客户端密钥'),
    'oauth.no_access_token': T(
        "the provider's answer holds no access token",
        '服务商的回答中没有访问令牌'),
    'oauth.no_device_flow': T(
        'this provider has no device sign-in; sign in with a browser (--browser)',
        '该服务商不支持设备代码登录；请使用浏览器登录（--browser）'),
    'oauth.device_refused': T(
        'the provider refused the device sign-in ({error})',
        '服务商拒绝了设备代码登录（{error}）'),
    'oauth.http_busy': T(
        'the sign-in service {host} answered HTTP {status}; try again later',
        '登录服务 {host} 返回了 HTTP {status}；请稍后重试'),
    'oauth.port_unusable': T(
        'the local port {port} cannot be used ({name}); choose another or 0',
        '无法使用本地端口 {port}（{name}）；请选择其他端口，或填 0'),
    'oauth.refused_sign_in': T(
        'the provider refused the sign-in ({exc})',
        '服务商拒绝了登录（{exc}）'),
    'oauth.refused_renew': T(
        'the provider refused to renew the sign-in ({exc})',
        '服务商拒绝续期登录（{exc}）'),
    'oauth.refused_app': T(
        "the provider refused the application's sign-in ({exc}); check the client ID, the client secret (it may have expired) and the admin consent",
        '服务商拒绝了应用程序的登录（{exc}）；请检查客户端 ID、客户端密钥（可能已过期）和管理员同意'),
    'oauth.device_timed_out': T(
        'nobody signed in before the time ran out; run the sign-in again',
        '在时限内没有人完成登录；请重新登录'),
    'oauth.browser_timed_out': T(
        'the sign-in was not completed in the browser in time; try again',
        '没有在时限内在浏览器中完成登录；请重试'),
    'oauth.saved_sign_in_refused': T(
        'the provider no longer accepts the saved sign-in ({error})',
        '服务商不再接受已保存的登录（{error}）'),
    'oauth.declined': T(
        'the sign-in was declined in the browser',
        '已在浏览器中拒绝登录'),
    'oauth.code_expired': T(
        'the sign-in code expired before the sign-in finished; run the sign-in again',
        '登录完成前登录代码已过期；请重新登录'),
    'relay.bad_listen': T(
        "'{value}' is not HOST:PORT; e.g. 127.0.0.1:2525",
        '“{value}”不是 主机:端口 的格式，例如 127.0.0.1:2525'),
    'relay.bad_port': T(
        "the port '{port_text}' is not a number from 0 to 65535",
        '端口“{port_text}”不是 0 到 65535 之间的数字'),
    'relay.cert_and_key': T(
        'give both --tls-cert and --tls-key, or neither',
        '请同时给出 --tls-cert 和 --tls-key，或都不给'),
    'relay.bad_size': T(
        'the size limit is in MB, from 1 to 1024',
        '大小上限以 MB 计，范围 1 到 1024'),
    'relay.open_relay': T(
        'listening on {host} would make an open relay for every machine that can reach it; add --require-auth (clients log in as a relay user) or --allow CIDR (the addresses that may send), or listen on 127.0.0.1',
        '在 {host} 上监听会成为所有能连接它的机器都可使用的开放中继；请加上 --require-auth（客户端以中继用户登录）或 --allow CIDR（允许发送的地址），或只在 127.0.0.1 上监听'),
    'relay.client_refused': T(
        'the relay at {host}:{port} did not take the mail: {error}',
        '{host}:{port} 上的中继没有接收这封邮件：{error}'),
    'relay.client_unreachable': T(
        'the relay at {host}:{port} cannot be reached: {error}',
        '无法连接 {host}:{port} 上的中继：{error}'),
    'relay.client_recipient_refused': T(
        'the relay refused the recipient: {code} {reply}',
        '中继拒绝了收件人：{code} {reply}'),
    'relay.client_answered': T(
        'the relay answered {text}',
        '中继回复：{text}'),
    'relay.bad_network': T(
        "'{item}' is not an address or network; e.g. 10.0.0.0/8 or 192.168.1.20",
        '“{item}”不是地址或网段；例如 10.0.0.0/8 或 192.168.1.20'),
    'relay.bad_cert': T(
        '{cert_file} is not a readable PEM certificate ({error})',
        '{cert_file} 不是可读取的 PEM 证书（{error}）'),
    'relay.pem_missing': T(
        '{path} does not exist; give the path of a PEM file',
        '{path} 不存在；请提供 PEM 文件的路径'),
    'relay.bad_cert_pair': T(
        'the certificate {cert_file} or its key {key_file} cannot be used ({error}); give a PEM certificate and its unencrypted PEM key',
        '无法使用证书 {cert_file} 或其私钥 {key_file}（{error}）；请提供 PEM 证书及其未加密的 PEM 私钥'),
    'keychain.unusable': T(
        'the system keychain cannot be used ({why}); nothing was saved',
        '无法使用系统钥匙串（{why}）；没有保存任何内容'),
    'credentials.method_unavailable': T(
        "the sign-in method '{auth_method}' of {address} is not available in this version",
        '{address} 的登录方式“{auth_method}”在此版本中不可用'),
    'diagnose.bad_format': T(
        'choose markdown or json',
        '请选择 markdown 或 json'),
    'diagnose.bad_timeout': T(
        'enter a timeout from 1 to 600 seconds',
        '请输入 1 到 600 秒之间的超时'),
    'senders.not_found': T(
        "no sender with the address '{address}'",
        '没有地址为“{address}”的发件人'),
    'diagnose.no_default': T(
        'no default sender to check; name a sender or a server',
        '没有可检查的默认发件人；请指定发件人或服务器'),
    'text.no_line_breaks': T(
        'must not contain line breaks',
        '不能包含换行'),
    'oauth.password_sender': T(
        'this sender signs in with a password; choose an OAuth2 method first',
        '该发件人使用密码登录；请先选择一种 OAuth2 方式'),
    'oauth.device_not_allowed': T(
        'this provider does not allow the device sign-in for mail; sign in with a browser (bimail senders sign-in ADDRESS --browser; on a server without one, forward the port with ssh -L and open the printed URL on your computer)',
        '该服务商不允许用设备代码登录发送邮件；请使用浏览器登录（bimail senders sign-in 地址 --browser；在没有浏览器的服务器上，用 ssh -L 转发端口，并在您的电脑上打开显示的 URL）'),
    'oauth.not_signed_in_yet': T(
        '{address} is not signed in yet',
        '{address} 尚未登录'),
    'senders.removed': T(
        "the sender '{address}' was removed",
        '发件人“{address}”已被删除'),
    'records.bad_sort': T(
        'cannot sort by {sort!r}; use one of {columns}',
        '无法按 {sort!r} 排序；请使用以下之一：{columns}'),
    'number.whole_zero_or_more': T(
        'must be a whole number, 0 or more',
        '必须是大于或等于 0 的整数'),
    'records.no_record': T(
        'there is no sending record {record_id}',
        '没有编号为 {record_id} 的发送记录'),
    'records.export_cancelled': T(
        'the export was cancelled; no file was written',
        '导出已取消；没有写入任何文件'),
    'relay.user_name_empty': T(
        "the relay user's name is empty; give a name such as finebi",
        '中继用户名为空；请输入名称，例如 finebi'),
    'relay.user_name_bad': T(
        "a relay user's name is at most 128 characters, without spaces or control characters",
        '中继用户名最多 128 个字符，不能包含空格或控制字符'),
    'relay.rate_limited': T(
        '{address} may send at most {rate_limit} mail(s) per minute; the relay sends this one at {due}',
        '{address} 每分钟最多发送 {rate_limit} 封邮件；中继将于 {due} 发送这一封'),
    'relay.last_error': T(
        'last error: {error}',
        '最后的错误：{error}'),
    'relay.password_empty': T(
        'the password is empty; type one on standard input',
        '密码为空；请在标准输入中输入密码'),
    'relay.no_sender': T(
        "no configured sender matches the mail's sender, and no default sender is chosen",
        '没有与邮件发件人匹配的已配置发件人，也没有选择默认发件人'),
    'relay.sender_removed': T(
        'the sender {address} of this relayed mail was removed',
        '这封中继邮件的发件人 {address} 已被删除'),
    'relay.no_user': T(
        "there is no relay user '{name}'",
        '没有中继用户“{name}”'),
    'relay.no_message': T(
        "the relay's queue has no message {message}; see `bimail relay queue`",
        '中继队列中没有编号为 {message} 的邮件；请查看 `bimail relay queue`'),
    'relay.message_busy': T(
        'message {message} is being sent right now; wait for the attempt to finish',
        '邮件 {message} 正在发送；请等待这次尝试结束'),
    'relay.no_recipient': T(
        'the message has no recipient',
        '这封邮件没有收件人'),
    'senders.unknown_setting': T(
        'is not a sender setting',
        '不是发件人的设置项'),
    'senders.no_default': T(
        'no default sender is chosen',
        '尚未选择默认发件人'),
    'senders.gone': T(
        'that sender no longer exists',
        '该发件人已不存在'),
    'senders.exists': T(
        "a sender with the address '{address}' already exists; edit it instead",
        '地址为“{address}”的发件人已存在；请改为编辑该发件人'),
    'senders.address_taken': T(
        "another sender already uses '{address}'; choose another address",
        '另一个发件人已在使用“{address}”；请选择其他地址'),
    'sending.rate_limited': T(
        '{address} may send at most {rate_limit} mail(s) per minute; the next send is possible in {wait} second(s)',
        '{address} 每分钟最多发送 {rate_limit} 封邮件；{wait} 秒后可以再次发送'),
    'sending.resource_empty': T(
        'a resource is empty; give a file path or a URL',
        '有一个资源为空；请提供文件路径或 URL'),
    'sending.stopped': T(
        'the send was stopped (Ctrl+C); the mail may or may not have been sent',
        '发送被停止（Ctrl+C）；邮件可能已经发出，也可能没有'),
    'sending.crashed': T(
        'the send stopped on an unexpected {name}; the mail may have been sent',
        '发送因意外的 {name} 而停止；邮件可能已经发出'),
    'templates.bad_placeholder': T(
        '{listed} is not a placeholder; write placeholders as ${{name}} (letters, digits and _ only, no spaces) and a dollar sign as $$',
        '{listed} 不是占位符；占位符请写成 ${{name}}（只能用字母、数字和 _，不能有空格），美元符号请写成 $$'),
    'templates.name_empty': T(
        'the template name is empty',
        '模板名称为空'),
    'templates.name_too_long': T(
        'the template name is longer than {most} characters',
        '模板名称超过 {most} 个字符'),
    'templates.subject_empty': T(
        'the subject is empty',
        '主题为空'),
    'templates.subject_too_long': T(
        'the subject is longer than {most} characters',
        '主题超过 {most} 个字符'),
    'templates.html_empty': T(
        'the HTML body is empty',
        'HTML 正文为空'),
    'templates.missing_values': T(
        "the template '{name}' needs a value for {listed}; give it with --var {first}=VALUE",
        '模板“{name}”需要 {listed} 的值；请用 --var {first}=值 给出'),
    'templates.not_found': T(
        "no template named '{name}' (list them with: bimail templates list)",
        '没有名为“{name}”的模板（列出模板：bimail templates list）'),
    'templates.exists': T(
        "a template named '{name}' already exists",
        '名为“{name}”的模板已存在'),
    'templates.builtin_unchangeable': T(
        "the built-in template '{name}' cannot be changed",
        '内置模板“{name}”不能修改'),
    'templates.builtin_unremovable': T(
        "the built-in template '{name}' cannot be removed",
        '内置模板“{name}”不能删除'),
    'templates.exists_choose': T(
        "a template named '{name}' already exists; choose another name or update it",
        '名为“{name}”的模板已存在；请换一个名称，或更新该模板'),
    'trust.file_empty': T(
        'the file is empty; choose a certificate file (.pem, .crt, .cer)',
        '文件为空；请选择证书文件（.pem、.crt、.cer）'),
    'trust.bad_fingerprint': T(
        'enter the SHA-256 fingerprint: 64 hexadecimal digits (colons allowed)',
        '请输入 SHA-256 指纹：64 位十六进制数字（可以带冒号）'),
    'trust.no_certificate': T(
        'the file contains no certificate (a private key or request is not a certificate); choose the CA certificate file',
        '文件中没有证书（私钥或证书请求不是证书）；请选择 CA 证书文件'),
    'trust.bytes_expected': T(
        "expected the certificate's bytes (DER or PEM)",
        '需要证书的字节内容（DER 或 PEM）'),
    'trust.not_found': T(
        'No trusted certificate has the fingerprint {fingerprint} (list them with: bimail trust list).',
        '没有指纹为 {fingerprint} 的受信任证书（列出证书：bimail trust list）。'),
    'trust.pem_damaged': T(
        'the PEM block is damaged; export the certificate again',
        'PEM 块已损坏；请重新导出证书'),
    'store.too_new_revision': T(
        'the store is at schema revision {revisions}, which this version (newest {head}) does not know; it was left untouched',
        '数据存储的结构版本为 {revisions}，当前版本（最新为 {head}）无法识别；未做任何改动'),
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
