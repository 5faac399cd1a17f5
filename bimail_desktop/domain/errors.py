"""The error catalogue: every failure the program reports, with a title, a plain explanation
and a fix, in English and Simplified Chinese.

The GUI, the CLI and the logs all speak from this one table (CONTRACTS.md, "Error codes").
``QT_TRANSLATE_NOOP`` marks the English strings for Qt Linguist without importing Qt here;
the Chinese text also lives in this table so that the CLI and the Python API can speak it
without Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - Qt's own name
    """Marks ``text`` for pyside6-lupdate; returns it unchanged."""
    return text


class ErrorCode(StrEnum):
    DNS_FAILED = "dns_failed"
    CONNECT_REFUSED = "connect_refused"
    CONNECT_TIMEOUT = "connect_timeout"
    TLS_WRONG_MODE = "tls_wrong_mode"
    TLS_UNTRUSTED = "tls_untrusted"
    TLS_HOSTNAME_MISMATCH = "tls_hostname_mismatch"
    TLS_EXPIRED = "tls_expired"
    TLS_PIN_MISMATCH = "tls_pin_mismatch"
    STARTTLS_UNSUPPORTED = "starttls_unsupported"
    AUTH_FAILED = "auth_failed"
    AUTH_UNSUPPORTED = "auth_unsupported"
    AUTH_REQUIRES_TLS = "auth_requires_tls"
    SENDER_REJECTED = "sender_rejected"
    RECIPIENT_REJECTED = "recipient_rejected"
    MESSAGE_REJECTED = "message_rejected"
    TEMPORARY_FAILURE = "temporary_failure"
    DISCONNECTED = "disconnected"
    TIMEOUT = "timeout"
    RATE_LIMITED = "rate_limited"
    NOT_CONFIGURED = "not_configured"
    SECRET_UNAVAILABLE = "secret_unavailable"
    INVALID_INPUT = "invalid_input"
    INTERRUPTED = "interrupted"
    OAUTH_REAUTH_REQUIRED = "oauth_reauth_required"
    STORE_TOO_NEW = "store_too_new"
    STORE_UNAVAILABLE = "store_unavailable"
    STORE_CORRUPT = "store_corrupt"
    CHANGED_ELSEWHERE = "changed_elsewhere"
    NOT_FOUND = "not_found"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """One row of the catalogue."""

    code: ErrorCode
    title: str
    explanation: str
    fix: str
    title_zh: str
    explanation_zh: str
    fix_zh: str

    def text(self, lang: str = "en") -> tuple[str, str, str]:
        """(title, explanation, fix) in ``lang`` ('en' or 'zh_CN')."""
        if lang.lower().startswith("zh"):
            return self.title_zh, self.explanation_zh, self.fix_zh
        return self.title, self.explanation, self.fix


_C = "ErrorCatalogue"
_T = QT_TRANSLATE_NOOP


def _row(
    code: ErrorCode,
    title: str,
    explanation: str,
    fix: str,
    title_zh: str,
    explanation_zh: str,
    fix_zh: str,
) -> tuple[ErrorCode, ErrorInfo]:
    return code, ErrorInfo(code, title, explanation, fix, title_zh, explanation_zh, fix_zh)


CATALOGUE: dict[ErrorCode, ErrorInfo] = dict(
    [
        _row(
            ErrorCode.DNS_FAILED,
            _T(_C, "Mail server name not found"),
            _T(_C, "The name of the mail server could not be resolved to an address."),
            _T(
                _C,
                "Check the spelling of the server name. Internal mail servers may need the "
                "company VPN or an internal DNS server; an IP address works too.",
            ),
            "找不到邮件服务器名称",
            "无法将邮件服务器的名称解析为地址。",
            "请检查服务器名称的拼写。内部邮件服务器可能需要连接公司 VPN 或使用内部 DNS；也可以直接填写 IP 地址。",
        ),
        _row(
            ErrorCode.CONNECT_REFUSED,
            _T(_C, "Connection refused"),
            _T(_C, "The mail server's machine answered, but nothing accepts mail on that port."),
            _T(
                _C,
                "Check the port (usually 465 for SSL, 587 or 25 for TLS) and that the mail "
                "server is running; a firewall may also refuse the connection.",
            ),
            "连接被拒绝",
            "邮件服务器所在的机器有响应，但该端口上没有接收邮件的服务。",
            "请检查端口（SSL 通常为 465，TLS 通常为 587 或 25），并确认邮件服务器正在运行；防火墙也可能拒绝连接。",
        ),
        _row(
            ErrorCode.CONNECT_TIMEOUT,
            _T(_C, "Mail server not reachable"),
            _T(_C, "No answer came from the mail server within the time allowed."),
            _T(
                _C,
                "Check the network path to the server: firewall rules, proxy or VPN. Many "
                "networks block outgoing port 25; try 587 (TLS) or 465 (SSL).",
            ),
            "无法连接邮件服务器",
            "在允许的时间内邮件服务器没有响应。",
            "请检查到服务器的网络：防火墙规则、代理或 VPN。许多网络会封锁出站 25 端口，可尝试 587（TLS）或 465（SSL）。",
        ),
        _row(
            ErrorCode.TLS_WRONG_MODE,
            _T(_C, "Encryption does not match the port"),
            _T(
                _C,
                "The port speaks a different kind of encryption than the one chosen: SSL on "
                "a port that expects plain SMTP or STARTTLS, or TLS / Do Not Encrypt on a "
                "port that expects SSL from the first byte.",
            ),
            _T(
                _C,
                "Choose TLS for ports 587 and 25, and SSL for port 465 — or change the port "
                "to match the encryption.",
            ),
            "加密方式与端口不匹配",
            "该端口使用的加密方式与所选的不同：在只支持明文或 STARTTLS 的端口上选择了 SSL，或在一开始就要求 SSL 的端口上选择了 TLS / 不加密。",
            "端口 587 和 25 请选择 TLS，端口 465 请选择 SSL；或修改端口以匹配加密方式。",
        ),
        _row(
            ErrorCode.TLS_UNTRUSTED,
            _T(_C, "Server certificate not trusted"),
            _T(
                _C,
                "The server's certificate is self-signed or issued by a private "
                "certificate authority that this computer does not trust.",
            ),
            _T(
                _C,
                "Import your company's CA certificate into the program, or — after checking "
                "its fingerprint with the mail server's administrator — trust this server's "
                "certificate.",
            ),
            "服务器证书不受信任",
            "服务器证书是自签名的，或由本机不信任的私有证书颁发机构签发。",
            "请将公司的 CA 证书导入本程序；或在与邮件服务器管理员核对指纹后，信任该服务器的证书。",
        ),
        _row(
            ErrorCode.TLS_HOSTNAME_MISMATCH,
            _T(_C, "Certificate is for another name"),
            _T(
                _C,
                "The server's certificate was issued to a different name than the one "
                "entered (connecting by IP address to a certificate made for a name fails "
                "the same way).",
            ),
            _T(
                _C,
                "Enter the server name exactly as it appears on the certificate, or trust "
                "this certificate for this server.",
            ),
            "证书与服务器名称不符",
            "服务器证书签发给的名称与所填写的不同（用 IP 地址连接一个签发给域名的证书也会如此）。",
            "请按证书上的名称填写服务器地址，或为该服务器信任此证书。",
        ),
        _row(
            ErrorCode.TLS_EXPIRED,
            _T(_C, "Server certificate expired"),
            _T(_C, "The server's certificate is out of date (or not yet valid)."),
            _T(
                _C,
                "Ask the mail server's administrator to renew the certificate. Also check "
                "this computer's date and time.",
            ),
            "服务器证书已过期",
            "服务器证书已过期（或尚未生效）。",
            "请联系邮件服务器管理员更新证书，同时检查本机的日期和时间。",
        ),
        _row(
            ErrorCode.TLS_PIN_MISMATCH,
            _T(_C, "Server certificate changed"),
            _T(
                _C,
                "The server presented a different certificate than the one you trusted "
                "for it. The connection may be intercepted.",
            ),
            _T(
                _C,
                "Do not send. Ask the mail server's administrator whether the certificate "
                "was renewed; only then remove the old trust entry and trust the new one.",
            ),
            "服务器证书已变更",
            "服务器出示的证书与您之前信任的证书不同，连接可能被拦截。",
            "请勿发送。先向邮件服务器管理员确认证书是否已更新，确认后再删除旧的信任条目并信任新证书。",
        ),
        _row(
            ErrorCode.STARTTLS_UNSUPPORTED,
            _T(_C, "Server does not offer TLS"),
            _T(
                _C,
                "TLS (STARTTLS) was chosen, but the server — or something between — does "
                "not offer it. Nothing was sent in clear text.",
            ),
            _T(
                _C,
                "Check the server and port. Choose Do Not Encrypt only for a trusted "
                "internal server.",
            ),
            "服务器不支持 TLS",
            "已选择 TLS（STARTTLS），但服务器（或中间设备）未提供该功能。没有以明文发送任何内容。",
            "请检查服务器和端口。只有可信的内部服务器才应选择“不加密”。",
        ),
        _row(
            ErrorCode.AUTH_FAILED,
            _T(_C, "Login failed"),
            _T(
                _C,
                "The mail server refused the user name or password. Many providers need an "
                "authorisation code or app password instead of the mailbox password.",
            ),
            _T(
                _C,
                "QQ, 163, 126: use the authorisation code from the mailbox settings and "
                "enable POP3/SMTP there. Gmail: use an app password. Microsoft 365: enable "
                "SMTP AUTH for the mailbox, or sign in with OAuth2.",
            ),
            "登录失败",
            "邮件服务器拒绝了用户名或密码。许多服务商需要授权码或应用专用密码，而不是邮箱密码。",
            "QQ、163、126 邮箱：请使用邮箱设置中的授权码，并在其中开启 POP3/SMTP。Gmail：请使用应用专用密码。Microsoft 365：请为该邮箱启用 SMTP AUTH，或使用 OAuth2 登录。",
        ),
        _row(
            ErrorCode.AUTH_UNSUPPORTED,
            _T(_C, "Server does not accept login"),
            _T(_C, "The server offers no login method the program can use."),
            _T(
                _C,
                "Check that SMTP login is enabled for this mailbox; for an internal relay "
                "that needs no login, leave the password empty.",
            ),
            "服务器不支持登录",
            "服务器没有提供本程序可用的登录方式。",
            "请确认该邮箱已启用 SMTP 登录；对于无需登录的内部中继，请将密码留空。",
        ),
        _row(
            ErrorCode.AUTH_REQUIRES_TLS,
            _T(_C, "Server requires encryption"),
            _T(_C, "The server requires TLS before it accepts a login or mail."),
            _T(_C, "Choose TLS (port 587 or 25) or SSL (port 465)."),
            "服务器要求加密",
            "服务器要求先建立 TLS 加密，才接受登录或邮件。",
            "请选择 TLS（端口 587 或 25）或 SSL（端口 465）。",
        ),
        _row(
            ErrorCode.SENDER_REJECTED,
            _T(_C, "Sender address refused"),
            _T(
                _C,
                "The server does not allow this account to send as this sender address, or "
                "SMTP is not enabled for the mailbox.",
            ),
            _T(
                _C,
                "Use the address of the mailbox you log in with, and enable SMTP in the "
                "mailbox settings.",
            ),
            "发件人地址被拒绝",
            "服务器不允许此账户以该发件人地址发送，或该邮箱未开启 SMTP。",
            "请使用登录邮箱本身的地址，并在邮箱设置中开启 SMTP。",
        ),
        _row(
            ErrorCode.RECIPIENT_REJECTED,
            _T(_C, "Recipient refused"),
            _T(_C, "The server refused the recipient address."),
            _T(_C, "Check the recipient's address; the server's reply says why."),
            "收件人被拒绝",
            "服务器拒绝了该收件人地址。",
            "请检查收件人地址；服务器的回复中说明了原因。",
        ),
        _row(
            ErrorCode.MESSAGE_REJECTED,
            _T(_C, "Message refused"),
            _T(_C, "The server refused the message itself (content, size or policy)."),
            _T(
                _C,
                "Read the server's reply; check attachment sizes and the provider's sending "
                "policy.",
            ),
            "邮件被拒绝",
            "服务器拒绝了邮件本身（内容、大小或策略原因）。",
            "请查看服务器的回复，检查附件大小和服务商的发送策略。",
        ),
        _row(
            ErrorCode.TEMPORARY_FAILURE,
            _T(_C, "Temporary failure"),
            _T(
                _C,
                "The server cannot take the mail right now (greylisting, throttling or "
                "maintenance).",
            ),
            _T(_C, "Try again in a few minutes."),
            "临时失败",
            "服务器暂时无法接收邮件（灰名单、限流或维护）。",
            "请几分钟后重试。",
        ),
        _row(
            ErrorCode.DISCONNECTED,
            _T(_C, "Connection dropped"),
            _T(_C, "The mail server closed the connection before the mail was accepted."),
            _T(
                _C,
                "Try again. If it keeps happening, check the encryption and port, and ask "
                "the mail server's administrator.",
            ),
            "连接中断",
            "邮件服务器在接受邮件之前关闭了连接。",
            "请重试。如果反复出现，请检查加密方式和端口，并咨询邮件服务器管理员。",
        ),
        _row(
            ErrorCode.TIMEOUT,
            _T(_C, "Mail server stopped answering"),
            _T(_C, "The server did not answer within the time allowed."),
            _T(
                _C,
                "Try again later. If the server never greets, the port may expect SSL: "
                "choose SSL for port 465.",
            ),
            "邮件服务器无响应",
            "服务器在允许的时间内没有回复。",
            "请稍后重试。如果服务器始终不发送问候，该端口可能要求 SSL：端口 465 请选择 SSL。",
        ),
        _row(
            ErrorCode.RATE_LIMITED,
            _T(_C, "Sending too often"),
            _T(
                _C,
                "This sender has reached its limit of mails per minute; providers block "
                "senders that send more often.",
            ),
            _T(_C, "Wait until the time shown, or raise the sender's limit per minute."),
            "发送过于频繁",
            "该发件人已达到每分钟发送上限；服务商会封锁发送过于频繁的发件人。",
            "请等待到所示时间，或提高该发件人的每分钟发送上限。",
        ),
        _row(
            ErrorCode.NOT_CONFIGURED,
            _T(_C, "Mailbox not configured"),
            _T(_C, "No default sender is chosen, so the system cannot send mail."),
            _T(_C, "Choose a default sender and click Save (CLI: bimail default set ADDRESS)."),
            "邮箱未配置",
            "尚未选择默认发件人，系统无法发送邮件。",
            "请选择一个默认发件人并点击“保存”（命令行：bimail default set 地址）。",
        ),
        _row(
            ErrorCode.SECRET_UNAVAILABLE,
            _T(_C, "No secure password storage"),
            _T(
                _C,
                "The program keeps passwords only in the system keychain, and no usable "
                "keychain was found (or it is locked). Nothing was saved.",
            ),
            _T(
                _C,
                "Windows and macOS have one built in — unlock it. On Linux, install and "
                "unlock a Secret Service keychain (GNOME Keyring or KWallet), or choose a "
                "keyring backend with PYTHON_KEYRING_BACKEND.",
            ),
            "没有安全的密码存储",
            "本程序只将密码保存在系统钥匙串中，但未找到可用的钥匙串（或它已锁定）。没有保存任何内容。",
            "Windows 和 macOS 自带钥匙串，请将其解锁。Linux 上请安装并解锁 Secret Service 钥匙串（GNOME Keyring 或 KWallet），或用 PYTHON_KEYRING_BACKEND 指定 keyring 后端。",
        ),
        _row(
            ErrorCode.INVALID_INPUT,
            _T(_C, "Invalid input"),
            _T(_C, "A field has a value the program cannot use. Nothing was changed."),
            _T(_C, "Correct the field named in the message and try again."),
            "输入无效",
            "某个字段的值无法使用。没有做任何更改。",
            "请更正消息中指出的字段后重试。",
        ),
        _row(
            ErrorCode.INTERRUPTED,
            _T(_C, "Sending interrupted"),
            _T(
                _C,
                "The send was cancelled or the program stopped while it ran. The mail may "
                "or may not have been sent.",
            ),
            _T(_C, "Check with the recipient before sending again."),
            "发送被中断",
            "发送过程中被取消或程序停止。邮件可能已经发出，也可能没有。",
            "再次发送前请先与收件人确认。",
        ),
        _row(
            ErrorCode.EXPIRED,
            _T(_C, "Given up after retrying"),
            _T(
                _C,
                "The relay kept this mail and retried it for 24 hours, but the mail "
                "server refused it for the time being every time (or could not be "
                "reached).",
            ),
            _T(
                _C,
                "Look at the last error of the mail in the records, fix the sender or "
                "the server, then have the program that submitted it send it again.",
            ),
            "重试后已放弃",
            "中继保存了这封邮件并在 24 小时内反复重试，但邮件服务器每次都暂时拒绝（或无法连接）。",
            "请在发送记录中查看该邮件最后的错误，修正发件人或服务器后，让提交它的程序重新发送。",
        ),
        _row(
            ErrorCode.OAUTH_REAUTH_REQUIRED,
            _T(_C, "Sign-in needed again"),
            _T(
                _C,
                "The OAuth2 sign-in of this sender has expired or was revoked by the "
                "provider.",
            ),
            _T(
                _C,
                "Open the sender and click Sign in… again (CLI: bimail senders sign-in "
                "ADDRESS).",
            ),
            "需要重新登录",
            "该发件人的 OAuth2 登录已过期或被服务商撤销。",
            "请打开该发件人并再次点击“登录…”（命令行：bimail senders sign-in 地址）。",
        ),
        _row(
            ErrorCode.STORE_TOO_NEW,
            _T(_C, "Data was written by a newer version"),
            _T(
                _C,
                "The data store was upgraded by a newer version of this program. This "
                "version does not know its layout and leaves it untouched.",
            ),
            _T(_C, "Install the newer version of bimail-desktop, or point to another store."),
            "数据来自更新的版本",
            "数据存储已被更新版本的程序升级。当前版本无法识别其结构，因此不会修改它。",
            "请安装更新版本的 bimail-desktop，或改用其他数据存储。",
        ),
        _row(
            ErrorCode.STORE_UNAVAILABLE,
            _T(_C, "Data store cannot be opened"),
            _T(
                _C,
                "The data store could not be opened or written: its database server is not "
                "reachable, refused the login or has no free connection, or the data folder "
                "is read-only or its disk is full. Nothing was changed.",
            ),
            _T(
                _C,
                "Check the --db URL or BIMAIL_DATABASE_URL (server name, port, database, user "
                "and password), that the database server runs and accepts connections from "
                "this machine — or that the data folder is writable and its disk has space.",
            ),
            "无法打开数据存储",
            "无法打开或写入数据存储：数据库服务器无法访问、拒绝了登录或没有空闲连接，或者数据文件夹只读、磁盘已满。没有做任何更改。",
            "请检查 --db URL 或 BIMAIL_DATABASE_URL（服务器名称、端口、数据库、用户和密码），确认数据库服务器正在运行并接受来自本机的连接；或确认数据文件夹可写且磁盘有剩余空间。",
        ),
        _row(
            ErrorCode.STORE_CORRUPT,
            _T(_C, "Data store is damaged"),
            _T(
                _C,
                "The data store file is damaged, or it is not a data store of this program. "
                "It was left untouched and nothing more is written into it.",
            ),
            _T(
                _C,
                "Run `bimail doctor` to check it. Restore the file from your backup (close the "
                "program first), or point --db / BIMAIL_DATABASE_URL at the right store.",
            ),
            "数据存储已损坏",
            "数据存储文件已损坏，或者它不是本程序的数据存储。该文件未被修改，也不会再写入任何内容。",
            "请运行 `bimail doctor` 检查。从备份中恢复该文件（先关闭程序），或将 --db / BIMAIL_DATABASE_URL 指向正确的数据存储。",
        ),
        _row(
            ErrorCode.CHANGED_ELSEWHERE,
            _T(_C, "Changed by someone else"),
            _T(
                _C,
                "Another admin or program changed or removed this meanwhile. Nothing was "
                "changed.",
            ),
            _T(_C, "Look at the current state (it has been reloaded) and make the change again."),
            "已被他人更改",
            "在此期间，另一位管理员或程序更改或删除了它。没有做任何更改。",
            "请查看当前状态（已重新加载），然后再次进行更改。",
        ),
        _row(
            ErrorCode.NOT_FOUND,
            _T(_C, "Not found"),
            _T(_C, "The item named does not exist."),
            _T(_C, "Check the name; list what exists (e.g. bimail senders list)."),
            "未找到",
            "指定的项目不存在。",
            "请检查名称；可以列出现有项目（例如 bimail senders list）。",
        ),
    ]
)


class BimailError(Exception):
    """A failure the user sees: one catalogue code plus what exactly happened.

    ``detail`` is the specific sentence (e.g. which field, the server's reply); it must never
    contain a secret.
    """

    def __init__(
        self,
        code: ErrorCode,
        detail: str = "",
        *,
        field: str | None = None,
        server_reply: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.code = ErrorCode(code)
        self.detail = detail
        self.field = field
        self.server_reply = server_reply
        self.extra: dict[str, Any] = dict(extra or {})
        super().__init__(self.message())

    @property
    def info(self) -> ErrorInfo:
        return CATALOGUE[self.code]

    def message(self, lang: str = "en") -> str:
        title, explanation, _fix = self.info.text(lang)
        head = f"{title}: {self.detail}" if self.detail else f"{title}. {explanation}"
        return head

    def fix(self, lang: str = "en") -> str:
        return self.info.text(lang)[2]

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        title, explanation, fix = self.info.text(lang)
        data: dict[str, Any] = {
            "code": self.code.value,
            "title": title,
            "message": self.message(lang),
            "explanation": explanation,
            "fix": fix,
        }
        if self.field:
            data["field"] = self.field
        if self.server_reply:
            data["server_reply"] = self.server_reply
        data.update(self.extra)
        return data


class InvalidInput(BimailError):
    """Bad input in one named field; nothing was changed."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(ErrorCode.INVALID_INPUT, f"{field}: {problem}", field=field)
