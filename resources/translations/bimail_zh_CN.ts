<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <location filename="../../bimail_desktop/gui/app.py" line="+246"/>
        <source>Could not open the data store</source>
        <extracomment>what build_parser() gives for an empty command line</extracomment>
        <translation>无法打开数据存储</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the --db URL or BIMAIL_DATABASE_URL, and that the data folder is writable.</source>
        <translation>请检查 --db URL 或 BIMAIL_DATABASE_URL，并确认数据文件夹可写。</translation>
    </message>
</context>
<context>
    <name>CertificateDialog</name>
    <message>
        <source>Server certificate</source>
        <translation>服务器证书</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/certificate_dialog.py" line="+101"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>服务器：</translation>
    </message>
    <message>
        <source>Issued to:</source>
        <translation>颁发给：</translation>
    </message>
    <message>
        <source>Issued by:</source>
        <translation>颁发者：</translation>
    </message>
    <message>
        <source>Names:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Valid from:</source>
        <translation>有效期自：</translation>
    </message>
    <message>
        <source>Valid until:</source>
        <translation>有效期至：</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint:</source>
        <translation>SHA-256 指纹：</translation>
    </message>
    <message>
        <source>Trusted before:</source>
        <translation>之前信任的证书：</translation>
    </message>
    <message>
        <source>Trust this certificate</source>
        <translation>信任此证书</translation>
    </message>
    <message>
        <source>Import CA certificate…</source>
        <translation>导入 CA 证书…</translation>
    </message>
    <message>
        <source>Trusted certificates…</source>
        <translation>受信任的证书…</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/certificate_dialog.py" line="+32"/>
        <source>Warning: the server&apos;s certificate has changed</source>
        <translation>警告：服务器证书已变更</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1:%2 presented a different certificate than the one you trusted for it. The connection may be intercepted. The program refuses it. Ask the mail server&apos;s administrator whether the certificate was renewed; only then remove the old entry under Trusted certificates and trust the new one.</source>
        <translation>%1:%2 出示的证书与您之前为其信任的证书不同，连接可能被拦截，本程序已拒绝该连接。请先向邮件服务器管理员确认证书是否已更新；确认后再在“受信任的证书”中删除旧条目并信任新证书。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The certificate is out of date: it is valid from %1 until %2. The mail server&apos;s administrator should renew it; also check this computer&apos;s date and time.</source>
        <translation>证书已不在有效期内：有效期为 %1 至 %2。请邮件服务器管理员更新证书，同时检查本机的日期和时间。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The certificate was issued for %1, not for %2. Enter the server name exactly as it appears on the certificate, or trust this certificate for this server.</source>
        <translation>该证书是为 %1 签发的，而不是 %2。请按证书上的名称填写服务器地址，或为该服务器信任此证书。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The certificate is self-signed: no certificate authority vouches for it. Check its fingerprint with the mail server&apos;s administrator before you trust it.</source>
        <translation>该证书是自签名的，没有任何证书颁发机构为其担保。信任之前，请与邮件服务器管理员核对其指纹。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The certificate was issued by a certificate authority this computer does not trust (for example your company&apos;s private CA). Import that CA certificate, or trust this server&apos;s certificate.</source>
        <translation>该证书由本机不信任的证书颁发机构（例如公司的私有 CA）签发。请导入该 CA 证书，或信任此服务器的证书。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Trusting accepts exactly this certificate (by its SHA-256 fingerprint) for %1 only. If the server later presents another certificate, the program refuses it and warns you.</source>
        <translation>信任后，仅对 %1 接受这一张证书（按其 SHA-256 指纹识别）。如果服务器以后出示其他证书，本程序会拒绝连接并提醒您。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>You accept a certificate that is out of date: the server still needs a renewed one.</source>
        <translation>您接受的是一张已过期的证书：服务器仍需更新证书。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You accept a certificate that was made for another name.</source>
        <translation>您接受的是一张为其他名称签发的证书。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You accept that no certificate authority vouches for it.</source>
        <translation>您接受该证书没有任何证书颁发机构担保。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The certificate could not be read.</source>
        <translation>无法读取该证书。</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/i18n.py" line="+76"/>
        <source>Import CA certificate</source>
        <translation>导入 CA 证书</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Certificates (*.pem *.crt *.cer *.der);;All files (*)</source>
        <translation>证书 (*.pem *.crt *.cer *.der);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>DetectDialog</name>
    <message>
        <source>Find server settings</source>
        <translation>查找服务器设置</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/detect_dialog.py" line="+49"/>
        <source>Use these settings</source>
        <translation>使用这些设置</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Looking for the mail server of %1…</source>
        <translation>正在查找 %1 的邮件服务器…</translation>
    </message>
    <message numerus="yes">
        <location line="+61"/>
        <source>Found %n setting(s), best first. Check them and click &quot;Use these settings&quot; — nothing is saved until you save the sender.</source>
        <translation>
            <numerusform>找到 %n 组设置，最合适的排在最前。请检查后点击“使用这些设置”— 在保存发件人之前不会保存任何内容。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server&apos;s certificate is not trusted yet: run the diagnosis to see it and trust it.</source>
        <translation>服务器证书尚未受信任：请运行诊断以查看并信任该证书。</translation>
    </message>
</context>
<context>
    <name>DiagnoseDialog</name>
    <message>
        <source>Diagnose mail server</source>
        <translation>诊断邮件服务器</translation>
    </message>
    <message>
        <source>The values of the sender form are checked step by step; nothing is saved and no mail is sent.</source>
        <translation>将逐步检查发件人表单中的设置；不会保存任何内容，也不会发送邮件。</translation>
    </message>
</context>
<context>
    <name>DiagnosticsPage</name>
    <message>
        <location filename="../../bimail_desktop/gui/diagnostics_page.py" line="+50"/>
        <source>Name resolution</source>
        <translation>域名解析</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server greeting</source>
        <translation>服务器问候</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Capabilities (EHLO)</source>
        <translation>服务器功能 (EHLO)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encryption (TLS)</source>
        <translation>加密 (TLS)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Login methods</source>
        <translation>登录方式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Login</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sender and recipient</source>
        <translation>发件人和收件人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>End of session</source>
        <translation>结束会话</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+256"/>
        <source>SSL</source>
        <translation>SSL</translation>
    </message>
    <message>
        <location line="-256"/>
        <location line="+256"/>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <location line="-255"/>
        <location line="+256"/>
        <source>Do Not Encrypt</source>
        <translation>不加密</translation>
    </message>
    <message>
        <location line="-245"/>
        <source>smtp.example.com or an IP address</source>
        <translation>smtp.example.com 或 IP 地址</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>(none — enter a server below)</source>
        <translation>（无 — 请在下方输入服务器）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> (default)</source>
        <translation>（默认）</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>Checking %1 port %2…</source>
        <translation>正在检查 %1 端口 %2…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fix</source>
        <translation>解决方法</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server said</source>
        <translation>服务器回复</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>All steps passed for %1 port %2.</source>
        <translation>%1 端口 %2 的所有步骤均已通过。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Failed at: %1</source>
        <translation>失败步骤：%1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Switch to %1 (port %2)</source>
        <translation>切换为 %1（端口 %2）</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Export diagnostics report</source>
        <translation>导出诊断报告</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Markdown (*.md);;JSON (*.json)</source>
        <translation>Markdown (*.md);;JSON (*.json)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Report written to %1</source>
        <translation>报告已保存到 %1</translation>
    </message>
    <message>
        <source>Check a mail server step by step — name resolution, connection, encryption, login and recipient — to see which step fails, why, and what to do. Nothing is sent.</source>
        <translation>逐步检查邮件服务器 — 域名解析、连接、加密、登录和收件人 — 找出哪一步失败、原因以及解决方法。不会发送任何邮件。</translation>
    </message>
    <message>
        <source>Server to check</source>
        <translation>要检查的服务器</translation>
    </message>
    <message>
        <source>Sender:</source>
        <translation>发件人：</translation>
    </message>
    <message>
        <source>A stored sender fills in its server, port and encryption, and its stored password is used.</source>
        <translation>选择已保存的发件人将自动填入其服务器、端口和加密方式，并使用其已保存的密码。</translation>
    </message>
    <message>
        <source>Mail server (SMTP):</source>
        <translation>邮件服务器 (SMTP)：</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <source>Encryption:</source>
        <translation>加密方式：</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Optional: to check the login</source>
        <translation>可选：用于检查登录</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Optional: leave empty to use the sender&apos;s stored password</source>
        <translation>可选：留空则使用该发件人已保存的密码</translation>
    </message>
    <message>
        <source>Recipient:</source>
        <translation>收件人：</translation>
    </message>
    <message>
        <source>Optional: check that the server accepts this recipient (nothing is sent)</source>
        <translation>可选：检查服务器是否接受该收件人（不会发送邮件）</translation>
    </message>
    <message>
        <source>Run diagnosis</source>
        <translation>运行诊断</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Trust certificate…</source>
        <translation>信任证书…</translation>
    </message>
    <message>
        <source>Trusted certificates…</source>
        <translation>受信任的证书…</translation>
    </message>
    <message>
        <source>Export report…</source>
        <translation>导出报告…</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>SMTP transcript (passwords and login data removed):</source>
        <translation>SMTP 会话记录（已移除密码和登录数据）：</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>Feedback</name>
    <message>
        <location filename="../../bimail_desktop/gui/i18n.py" line="-15"/>
        <source>Unexpected error: %s</source>
        <extracomment>each language&apos;s name in that language, for a language menu (never translated) key in the settings file; value &quot;en&quot;, &quot;zh_CN&quot;, or &quot;&quot; (= follow the operating system)</extracomment>
        <translation>意外错误：%s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What to do:</source>
        <translation>解决方法：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server replied:</source>
        <translation>服务器回复：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled before the mail was handed to the server: nothing was sent.</source>
        <translation>在邮件交给服务器之前已取消：没有发送任何内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server address: %1</source>
        <translation>服务器地址：%1</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <location filename="../../bimail_desktop/gui/help_menu.py" line="+102"/>
        <source>&amp;User guide</source>
        <translation>用户指南(&amp;U)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open &amp;data folder</source>
        <translation>打开数据文件夹(&amp;D)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open &amp;log file</source>
        <translation>打开日志文件(&amp;L)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Copy diagnostics summary</source>
        <translation>复制诊断摘要(&amp;C)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Versions and settings for a support ticket (never a password)</source>
        <translation>用于支持工单的版本和设置信息（从不包含密码）</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>User guide</source>
        <translation>用户指南</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Open in &amp;browser</source>
        <translation>在浏览器中打开(&amp;B)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Log file</source>
        <translation>日志文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no log file yet: %1</source>
        <translation>还没有日志文件：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Diagnostics summary copied: paste it into your support ticket.</source>
        <translation>诊断摘要已复制：请粘贴到您的支持工单中。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>bimail-desktop %1</source>
        <translation>bimail-desktop %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sets up the BI server&apos;s system mailbox: sender accounts, the default sender, templates, test mail, sending records and diagnosis. The same is available headless with the bimail command.</source>
        <translation>设置 BI 服务器的系统邮箱：发件人账户、默认发件人、模板、测试邮件、发送记录和诊断。同样的功能也可以通过 bimail 命令在无界面环境下使用。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Data folder: %1</source>
        <translation>数据文件夹：%1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/main_window.py" line="+85"/>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <source>&amp;About bimail-desktop</source>
        <translation>关于 bimail-desktop(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/main_window.py" line="+17"/>
        <location line="+8"/>
        <source>Opening the data store…</source>
        <translation>正在打开数据存储…</translation>
    </message>
    <message>
        <location line="-9"/>
        <location line="+36"/>
        <source>&amp;Senders</source>
        <translation>发件人(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sending &amp;records</source>
        <translation>发送记录(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Templates</source>
        <translation>模板(&amp;T)</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Dia&amp;gnostics</source>
        <translation>诊断(&amp;G)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Re&amp;lay</source>
        <translation>中继(&amp;L)</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>A mail could not be sent.</source>
        <translation>有一封邮件未能发送。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show its record</source>
        <translation>查看其发送记录</translation>
    </message>
    <message>
        <location line="+134"/>
        <source>About bimail-desktop</source>
        <translation>关于 bimail-desktop</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>The new language is used when bimail-desktop starts again. Restart now? Nothing typed in an open dialog is kept.</source>
        <translation>新语言将在 bimail-desktop 重新启动后生效。现在重新启动吗？已打开的对话框中输入的内容不会保留。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Restart now</source>
        <translation>立即重新启动(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Later</source>
        <translation>稍后(&amp;L)</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Could not start bimail-desktop again; please start it yourself.</source>
        <translation>无法重新启动 bimail-desktop，请手动启动。</translation>
    </message>
    <message>
        <location line="-31"/>
        <location line="+30"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Export configuration</source>
        <translation>导出配置</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Exported %1 senders, %2 templates and %3 trusted certificates to %4.

Passwords are never part of an export.</source>
        <translation>已将 %1 个发件人、%2 个模板和 %3 个受信任的证书导出到 %4。

导出内容中从不包含密码。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Import configuration</source>
        <translation>导入配置</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 senders added, %2 updated, %3 templates, %4 trusted certificates.</source>
        <translation>新增 %1 个发件人，更新 %2 个，%3 个模板，%4 个受信任的证书。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Passwords are not part of an export: open each new sender and enter its password.</source>
        <translation>导出内容不包含密码：请打开每个新发件人并输入其密码。</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/i18n.py" line="+1"/>
        <source>What to do:</source>
        <translation>解决方法：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Configuration (*.json)</source>
        <translation>配置文件 (*.json)</translation>
    </message>
    <message>
        <source>&amp;Export configuration…</source>
        <translation>导出配置(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the senders, the default sender, templates and trusted certificates to a file (never passwords)</source>
        <translation>将发件人、默认发件人、模板和受信任的证书保存到文件（从不包含密码）</translation>
    </message>
    <message>
        <source>&amp;Import configuration…</source>
        <translation>导入配置(&amp;I)…</translation>
    </message>
    <message>
        <source>Add the senders, templates and trusted certificates of an exported file to this mailbox</source>
        <translation>将导出文件中的发件人、模板和受信任的证书添加到此邮箱</translation>
    </message>
    <message>
        <source>Se&amp;ttings</source>
        <translation>设置(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Same as the &amp;system</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>System mailbox</source>
        <translation>系统邮箱</translation>
    </message>
</context>
<context>
    <name>OAuthPanel</name>
    <message>
        <location filename="../../bimail_desktop/gui/oauth_panel.py" line="+92"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OAuth2 — Microsoft 365</source>
        <translation>OAuth2 — Microsoft 365</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OAuth2 — Google</source>
        <translation>OAuth2 — Google</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OAuth2 — other provider</source>
        <translation>OAuth2 — 其他服务商</translation>
    </message>
    <message>
        <source>Sign-in method:</source>
        <translation>登录方式：</translation>
    </message>
    <message>
        <source>Application (client) ID</source>
        <translation>应用程序（客户端）ID</translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation>客户端密钥</translation>
    </message>
    <message>
        <source>Tenant ID or domain (contoso.onmicrosoft.com); &apos;organizations&apos; signs in any work account</source>
        <translation>租户 ID 或域名（contoso.onmicrosoft.com）；填写 &apos;organizations&apos; 可登录任意工作账户</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Client ID:</source>
        <translation>客户端 ID：</translation>
    </message>
    <message>
        <source>Client secret:</source>
        <translation>客户端密钥：</translation>
    </message>
    <message>
        <source>Tenant:</source>
        <translation>租户：</translation>
    </message>
    <message>
        <source>Scopes:</source>
        <translation>权限范围：</translation>
    </message>
    <message>
        <source>Authorisation URL:</source>
        <translation>授权 URL：</translation>
    </message>
    <message>
        <source>Token URL:</source>
        <translation>令牌 URL：</translation>
    </message>
    <message>
        <source>Device code URL:</source>
        <translation>设备代码 URL：</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>登录…</translation>
    </message>
    <message>
        <source>Cancel sign-in</source>
        <translation>取消登录</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/oauth_panel.py" line="-13"/>
        <source>A user (signs in once)</source>
        <translation>用户（登录一次）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This application (client credentials, for servers)</source>
        <translation>本应用程序（客户端凭据，用于服务器）</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Leave empty to keep the saved client secret</source>
        <translation>留空则保留已保存的客户端密钥</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>No sign-in step: the application signs in with its client secret when it sends.</source>
        <translation>无需登录步骤：应用程序在发送时用其客户端密钥自行登录。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+54"/>
        <source>this account</source>
        <translation>此账户</translation>
    </message>
    <message>
        <location line="-53"/>
        <location line="+54"/>
        <source>Signed in as %s (saved with the sender)</source>
        <translation>已登录为 %s（随发件人保存）</translation>
    </message>
    <message>
        <location line="-50"/>
        <location line="+43"/>
        <source>Signed in as %s</source>
        <translation>已登录为 %s</translation>
    </message>
    <message>
        <location line="-40"/>
        <source>Needs sign-in: click Sign in…</source>
        <translation>需要登录：请点击“登录…”</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Finish the sign-in in your browser…</source>
        <translation>请在浏览器中完成登录…</translation>
    </message>
    <message>
        <source>Who signs in:</source>
        <translation>登录身份：</translation>
    </message>
    <message>
        <source>A user signs in once in the browser; or the application signs in by itself with its client secret (client credentials: for a server or the relay, no user, no sign-in step)</source>
        <translation>由用户在浏览器中登录一次；或由应用程序用其客户端密钥自行登录（客户端凭据：用于服务器或中继，无需用户，无需登录步骤）</translation>
    </message>
</context>
<context>
    <name>Progress</name>
    <message>
        <location filename="../../bimail_desktop/gui/templates_page.py" line="+63"/>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sending to %1 recipient(s)…</source>
        <translation>正在发送给 %1 个收件人…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 of %2 recipient(s) failed.</source>
        <translation>%2 个收件人中有 %1 个发送失败。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message>
        <location filename="../../bimail_desktop/gui/records_page.py" line="+64"/>
        <location line="+750"/>
        <source>Sender</source>
        <translation>发件人</translation>
    </message>
    <message>
        <location line="-749"/>
        <location line="+750"/>
        <source>IP Address</source>
        <translation>IP 地址</translation>
    </message>
    <message>
        <location line="-749"/>
        <location line="+750"/>
        <source>Receive Email</source>
        <translation>收件邮箱</translation>
    </message>
    <message>
        <location line="-749"/>
        <location line="+750"/>
        <source>Template Name</source>
        <translation>模板名称</translation>
    </message>
    <message>
        <location line="-749"/>
        <source>Accessed Resources</source>
        <translation>访问资源</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+749"/>
        <source>Send Time</source>
        <translation>发送时间</translation>
    </message>
    <message>
        <location line="-748"/>
        <source>Send Result</source>
        <translation>发送结果</translation>
    </message>
    <message>
        <location line="+198"/>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location line="+38"/>
        <location line="+45"/>
        <location line="+18"/>
        <source>Success</source>
        <translation>成功</translation>
    </message>
    <message>
        <location line="-61"/>
        <location line="+44"/>
        <source>Failure</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="-43"/>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>Export sending records</source>
        <translation>导出发送记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Copy rows</source>
        <translation>复制行(&amp;C)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The selected rows as tab-separated text, for a spreadsheet or a ticket</source>
        <translation>将所选行复制为制表符分隔的文本，可粘贴到电子表格或工单</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy &amp;record</source>
        <translation>复制记录(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ctrl+Shift+C</source>
        <translation>Ctrl+Shift+C</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show &amp;details…</source>
        <translation>查看详情(&amp;D)…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Send again to the failed recipients…</source>
        <translation>重新发送给失败的收件人(&amp;S)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>Sending record %1</source>
        <translation>发送记录 %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The template %1 does not exist any more; nothing can be sent again.</source>
        <translation>模板 %1 已不存在，无法重新发送。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Any time</source>
        <translation>全部时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chosen days</source>
        <translation>自选日期</translation>
    </message>
    <message>
        <location line="+103"/>
        <source>The &quot;To&quot; day is before the &quot;From&quot; day.</source>
        <translation>“至”日期早于“从”日期。</translation>
    </message>
    <message>
        <location line="+46"/>
        <location line="+6"/>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>count all</source>
        <translation>统计全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>More than %1 records</source>
        <translation>超过 %1 条记录</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 record</source>
        <translation>1 条记录</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 records</source>
        <translation>%1 条记录</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Duration</source>
        <translation>耗时</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message ID</source>
        <translation>邮件 ID</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 records exported to %2</source>
        <translation>已将 %1 条记录导出到 %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export cancelled; no file was written.</source>
        <translation>导出已取消，未写入任何文件。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>No records are older than %1 days.</source>
        <translation>没有超过 %1 天的记录。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete %1 sending records older than %2 days? This cannot be undone.</source>
        <translation>要删除 %1 条超过 %2 天的发送记录吗？此操作无法撤销。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete old records</source>
        <translation>删除旧记录</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Deleting…</source>
        <translation>正在删除…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 old records deleted.</source>
        <translation>已删除 %1 条旧记录。</translation>
    </message>
    <message>
        <source>&amp;Sender:</source>
        <translation>发件人(&amp;S)：</translation>
    </message>
    <message>
        <source>any sender</source>
        <translation>任意发件人</translation>
    </message>
    <message>
        <source>Show records whose sender address contains this text (case does not matter)</source>
        <translation>显示发件人地址包含此文本的记录（不区分大小写）</translation>
    </message>
    <message>
        <source>&amp;Recipient:</source>
        <translation>收件人(&amp;R)：</translation>
    </message>
    <message>
        <source>any recipient</source>
        <translation>任意收件人</translation>
    </message>
    <message>
        <source>Show records whose recipient (Receive Email) contains this text</source>
        <translation>显示收件人（收件邮箱）包含此文本的记录</translation>
    </message>
    <message>
        <source>&amp;Template:</source>
        <translation>模板(&amp;T)：</translation>
    </message>
    <message>
        <source>any template</source>
        <translation>任意模板</translation>
    </message>
    <message>
        <source>Show records whose template name contains this text</source>
        <translation>显示模板名称包含此文本的记录</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>从(&amp;F)：</translation>
    </message>
    <message>
        <source>Show records sent on or after this day (your time zone); &quot;Any day&quot; for no limit</source>
        <translation>显示在此日期当天或之后发送的记录（按本机时区）；选择“不限”则不限制</translation>
    </message>
    <message>
        <source>Any day</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>T&amp;o:</source>
        <translation>至(&amp;O)：</translation>
    </message>
    <message>
        <source>Show records sent on or before this day (inclusive); &quot;Any day&quot; for no limit</source>
        <translation>显示在此日期当天或之前发送的记录（含当天）；选择“不限”则不限制</translation>
    </message>
    <message>
        <source>Res&amp;ult:</source>
        <translation>结果(&amp;U)：</translation>
    </message>
    <message>
        <source>Failures only</source>
        <translation>仅失败</translation>
    </message>
    <message>
        <source>Show only the mails that could not be sent</source>
        <translation>只显示未能发送的邮件</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>Show every record again</source>
        <translation>重新显示所有记录</translation>
    </message>
    <message>
        <source>Select a record to see everything stored about it.</source>
        <translation>选择一条记录查看详情。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the export; no file is written</source>
        <translation>停止导出，不写入任何文件</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>导出 CSV(&amp;E)…</translation>
    </message>
    <message>
        <source>Save every record that matches the filters as a CSV file (opens in Excel)</source>
        <translation>将符合筛选条件的所有记录保存为 CSV 文件（可用 Excel 打开）</translation>
    </message>
    <message>
        <source>Delete records older than</source>
        <translation>删除早于以下天数的记录</translation>
    </message>
    <message>
        <source>Records older than this many days can be deleted; &quot;Keep everything&quot; keeps them all</source>
        <translation>可删除超过此天数的记录；选择“全部保留”则保留所有记录</translation>
    </message>
    <message>
        <source>Keep everything</source>
        <translation>全部保留</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>Delete the finished records older than the chosen number of days (asks first)</source>
        <translation>删除超过所选天数的已完成记录（会先确认）</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/i18n.py" line="+1"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fix:</source>
        <translation>解决方法：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server reply</source>
        <translation>服务器回复</translation>
    </message>
    <message>
        <source>Choose a common range of days; From and To below show what it means</source>
        <translation>选择常用的日期范围；“从”和“到”会显示具体日期</translation>
    </message>
</context>
<context>
    <name>RelayPage</name>
    <message>
        <location filename="../../bimail_desktop/gui/relay_page.py" line="+47"/>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sending</source>
        <translation>发送中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Cannot listen on {0}: {1}. Choose another port, or stop the program that uses it.</source>
        <translation>无法在 {0} 上监听：{1}。请换一个端口，或停止占用该端口的程序。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Listening on {0}:{1}. Programs on this machine send to server {0}, port {1}, without encryption. STARTTLS certificate SHA-256: {2}</source>
        <translation>正在 {0}:{1} 上监听。本机的程序发信时填写服务器 {0}、端口 {1}，不加密。STARTTLS 证书 SHA-256：{2}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Stopping: finishing the mail in hand…</source>
        <translation>正在停止：先处理完正在接收的邮件…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The relay is stopped. Mail waiting in the queue is sent when it starts again.</source>
        <translation>中继已停止。队列中等待的邮件会在中继再次启动后发送。</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+4"/>
        <location line="+8"/>
        <source>Add relay user</source>
        <translation>添加中继用户</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Name the program logs in with:</source>
        <translation>程序登录时使用的名称：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Password for {0}:</source>
        <translation>{0} 的密码：</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+8"/>
        <source>Remove relay user</source>
        <translation>删除中继用户</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Remove {0}? Programs that log in as {0} can no longer send through the relay.</source>
        <translation>要删除 {0} 吗？以 {0} 登录的程序将无法再通过中继发信。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>The queue is empty.</source>
        <translation>队列为空。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} mail(s) in the queue.</source>
        <translation>队列中有 {0} 封邮件。</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Send again</source>
        <translation>重新发送</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The relay stopped while sending this mail, so the provider may have it already. Send it again?</source>
        <translation>中继在发送这封邮件时停止了，服务商可能已经收到它。要重新发送吗？</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The relay took the mail ({0}); it appears in the queue until it is sent, then in the sending records.</source>
        <translation>中继已接收该邮件（{0}）；发送前它显示在队列中，发送后显示在发送记录中。</translation>
    </message>
    <message>
        <source>The relay lets the BI server and other programs send through this mailbox&apos;s senders: point their SMTP settings at the address below (no encryption needed on this machine). Every mail is kept in the queue until the provider has it, and lands in the sending records with the program&apos;s address.</source>
        <translation>中继让 BI 服务器和其他程序通过本邮箱的发件人发信：把它们的 SMTP 设置指向下方地址（本机上无需加密）。每封邮件都保存在队列中，直到服务商收到为止，并带着程序的地址记入发送记录。</translation>
    </message>
    <message>
        <source>Relay</source>
        <translation>中继</translation>
    </message>
    <message>
        <source>Listen on:</source>
        <translation>监听地址：</translation>
    </message>
    <message>
        <source>127.0.0.1:2525</source>
        <translation>127.0.0.1:2525</translation>
    </message>
    <message>
        <source>HOST:PORT, e.g. 127.0.0.1:2525</source>
        <translation>主机:端口，例如 127.0.0.1:2525</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>启动(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>The relay is stopped.</source>
        <translation>中继已停止。</translation>
    </message>
    <message>
        <source>Relay users</source>
        <translation>中继用户</translation>
    </message>
    <message>
        <source>Programs on other machines log in with one of these (SMTP AUTH).</source>
        <translation>其他机器上的程序用其中一个用户登录（SMTP AUTH）。</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>添加(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Next attempt</source>
        <translation>下次尝试</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>发件人</translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>Try all &amp;now</source>
        <translation>立即全部重试(&amp;N)</translation>
    </message>
    <message>
        <source>Try every waiting mail now, e.g. after the mail server is back</source>
        <translation>立即重试所有等待中的邮件，例如邮件服务器恢复之后</translation>
    </message>
    <message>
        <source>Send &amp;again</source>
        <translation>重新发送(&amp;A)</translation>
    </message>
    <message>
        <source>Send an interrupted mail again (it may have been sent already)</source>
        <translation>重新发送已中断的邮件（它可能已经发出）</translation>
    </message>
    <message>
        <source>Send a test through the relay</source>
        <translation>通过中继发送测试邮件</translation>
    </message>
    <message>
        <source>Recipient:</source>
        <translation>收件人：</translation>
    </message>
    <message>
        <source>someone@example.com</source>
        <translation>someone@example.com</translation>
    </message>
    <message>
        <source>Send &amp;test</source>
        <translation>发送测试(&amp;T)</translation>
    </message>
</context>
<context>
    <name>ResendDialog</name>
    <message>
        <location filename="../../bimail_desktop/gui/resend_dialog.py" line="+46"/>
        <source>Send again to the failed recipients</source>
        <translation>重新发送给失败的收件人</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Send the template %1 again from %2 to:</source>
        <translation>从 %2 重新发送模板 %1 给：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This is a new mail with new sending records; the records of the first attempt stay as they are.</source>
        <translation>这是一封新邮件，会生成新的发送记录；第一次发送的记录保持不变。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sending records do not keep the values of the placeholders: type them again.</source>
        <translation>发送记录不保存占位符的值：请重新填写。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&amp;Send again</source>
        <translation>重新发送(&amp;S)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel sending</source>
        <translation>取消发送</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sent to %1.</source>
        <translation>已发送给 %1。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 of %2 recipients failed again.</source>
        <translation>%2 个收件人中有 %1 个再次失败。</translation>
    </message>
</context>
<context>
    <name>SendTemplateDialog</name>
    <message>
        <location filename="../../bimail_desktop/gui/templates_page.py" line="+211"/>
        <source>Send “%1”</source>
        <translation>发送“%1”</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Default sender (%1)</source>
        <translation>默认发件人（%1）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>value of ${%1}</source>
        <translation>${%1} 的值</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>There is no sender yet: add one on the Senders page first.</source>
        <translation>还没有发件人：请先在“发件人”页添加一个。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Recipients: enter at least one address (several separated by commas).</source>
        <translation>收件人：请至少输入一个地址（多个地址用逗号分隔）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Enter a value for %1.</source>
        <translation>请为 %1 输入值。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Sending to %1…</source>
        <translation>正在发送给 %1…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Sent to %1 of %2 recipients. Not sent to: %3</source>
        <translation>已发送给 %2 个收件人中的 %1 个。未发送给：%3</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Sent to %1 recipients (%2 ms).</source>
        <translation>已发送给 %1 个收件人（%2 毫秒）。</translation>
    </message>
    <message>
        <source>Send a template</source>
        <translation>发送模板</translation>
    </message>
    <message>
        <source>Template:</source>
        <translation>模板：</translation>
    </message>
    <message>
        <source>&amp;Recipients:</source>
        <translation>收件人(&amp;R)：</translation>
    </message>
    <message>
        <source>a@example.com, b@example.com</source>
        <translation>a@example.com, b@example.com</translation>
    </message>
    <message>
        <source>Se&amp;nder:</source>
        <translation>发件人(&amp;N)：</translation>
    </message>
    <message>
        <source>Placeholder values</source>
        <translation>占位符的值</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>发送(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Cancel sending</source>
        <translation>取消发送(&amp;C)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>SenderDialog</name>
    <message>
        <source>Sender</source>
        <translation>发件人</translation>
    </message>
    <message>
        <source>Mail &amp;server (SMTP):</source>
        <translation>邮件服务器 (SMTP)(&amp;S)：</translation>
    </message>
    <message>
        <source>Pick a known provider, or type the mail server&apos;s host name or IP address</source>
        <translation>选择一个常见服务商，或输入邮件服务器的主机名或 IP 地址</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <source>Usually 465 for SSL, 587 or 25 for TLS</source>
        <translation>SSL 通常为 465，TLS 通常为 587 或 25</translation>
    </message>
    <message>
        <source>&amp;Encryption:</source>
        <translation>加密方式(&amp;E)：</translation>
    </message>
    <message>
        <source>Sender &amp;address:</source>
        <translation>发件人地址(&amp;A)：</translation>
    </message>
    <message>
        <source>report@example.com</source>
        <translation>report@example.com</translation>
    </message>
    <message>
        <source>User &amp;name:</source>
        <translation>用户名(&amp;N)：</translation>
    </message>
    <message>
        <source>Same as the sender address</source>
        <translation>与发件人地址相同</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>密码(&amp;W)：</translation>
    </message>
    <message>
        <source>Mailbox password or the provider&apos;s authorisation code</source>
        <translation>邮箱密码或服务商提供的授权码</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/sender_dialog.py" line="+107"/>
        <source>Add sender</source>
        <translation>添加发件人</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Trust certificate…</source>
        <translation>信任证书(&amp;T)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>See the server&apos;s certificate and trust it</source>
        <translation>查看服务器证书并信任它</translation>
    </message>
    <message>
        <location line="+38"/>
        <location line="+171"/>
        <source>SSL</source>
        <translation>SSL</translation>
    </message>
    <message>
        <location line="-170"/>
        <source>Encrypted from the first byte (SMTPS), usually port 465</source>
        <translation>从连接开始即加密 (SMTPS)，通常使用端口 465</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+167"/>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <location line="-165"/>
        <source>Starts plain, then encrypts with STARTTLS, usually port 587 or 25 — recommended</source>
        <translation>先以明文连接，再通过 STARTTLS 加密，通常使用端口 587 或 25（推荐）</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+160"/>
        <source>Do Not Encrypt</source>
        <translation>不加密</translation>
    </message>
    <message>
        <location line="-158"/>
        <source>No encryption: only for trusted internal servers, e.g. an on-premises Exchange on port 25</source>
        <translation>不加密：仅适用于可信的内部服务器，例如端口 25 上的本地 Exchange</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%s — type the server&apos;s IP address</source>
        <translation>%s — 请输入服务器的 IP 地址</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Port %d, %s</source>
        <translation>端口 %d，%s</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Pick a provider, or type smtp.example.com or an IP address</source>
        <translation>选择服务商，或输入 smtp.example.com 或 IP 地址</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Save sender</source>
        <translation>保存发件人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Edit sender — %s</source>
        <translation>编辑发件人 — %s</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Leave empty to keep the stored password</source>
        <translation>留空则保留已保存的密码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No password stored — type one to add it</source>
        <translation>尚未保存密码 — 输入密码即可添加</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Discard changes?</source>
        <translation>放弃更改？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The sender has changes that are not saved. Discard them?</source>
        <translation>发件人有未保存的更改。要放弃这些更改吗？</translation>
    </message>
    <message>
        <location line="+134"/>
        <source>IP address of the Exchange server, e.g. 10.0.0.25</source>
        <translation>Exchange 服务器的 IP 地址，例如 10.0.0.25</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>S&amp;how</source>
        <translation>显示(&amp;H)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hi&amp;de</source>
        <translation>隐藏(&amp;D)</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Do Not Encrypt: the password travels unencrypted over the network. Use it only inside a trusted network.</source>
        <translation>不加密：密码将以明文在网络上传输。请仅在可信网络内使用。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Fill in the fields marked in red first</source>
        <translation>请先填写标红的字段</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Detect settings…</source>
        <translation>自动检测设置…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The mail server of %1 is not known yet:</source>
        <translation>尚不知道 %1 的邮件服务器：</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Enter the recipient of the test mail: %s</source>
        <translation>请输入测试邮件的收件人：%s</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Fix the fields marked in red first.</source>
        <translation>请先更正标红的字段。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Sending a test mail to %s…</source>
        <translation>正在向 %s 发送测试邮件…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancelling the test mail…</source>
        <translation>正在取消测试邮件…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Test mail sent to %s. The mail server accepted it; check that mailbox.</source>
        <translation>测试邮件已发送至 %s。邮件服务器已接收，请查看该邮箱。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>(%d ms)</source>
        <translation>（%d 毫秒）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Success</source>
        <translation>成功</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Certificate trusted. Send the test mail again to check.</source>
        <translation>证书已信任。请再次发送测试邮件进行检查。</translation>
    </message>
    <message>
        <source>Show or hide the password</source>
        <translation>显示或隐藏密码</translation>
    </message>
    <message>
        <source>Show na&amp;me:</source>
        <translation>显示名称(&amp;M)：</translation>
    </message>
    <message>
        <source>The name recipients see, e.g. BI Reports</source>
        <translation>收件人看到的名称，例如“BI 报表”</translation>
    </message>
    <message>
        <source>&amp;Rate limit:</source>
        <translation>发送频率限制(&amp;R)：</translation>
    </message>
    <message>
        <source> mails per minute</source>
        <translation> 封/分钟</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限制</translation>
    </message>
    <message>
        <source>At most this many mails per minute from this sender; many providers refuse more</source>
        <translation>该发件人每分钟最多发送的邮件数；许多服务商会拒绝超出限制的邮件</translation>
    </message>
    <message>
        <source>Test mail</source>
        <translation>测试邮件</translation>
    </message>
    <message>
        <source>Send a test mail &amp;to:</source>
        <translation>测试邮件收件人(&amp;T)：</translation>
    </message>
    <message>
        <source>recipient@example.com</source>
        <translation>recipient@example.com</translation>
    </message>
    <message>
        <source>Send test mai&amp;l</source>
        <translation>发送测试邮件(&amp;L)</translation>
    </message>
    <message>
        <source>Send a test mail with the values in this form, saved or not</source>
        <translation>使用此表单中的设置发送测试邮件（无论是否已保存）</translation>
    </message>
    <message>
        <source>St&amp;op</source>
        <translation>停止(&amp;O)</translation>
    </message>
    <message>
        <source>Cancel the test mail</source>
        <translation>取消测试邮件</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/i18n.py" line="-5"/>
        <source>How to set it up</source>
        <translation>设置方法</translation>
    </message>
    <message>
        <source>&amp;Detect settings…</source>
        <translation>自动检测设置(&amp;D)…</translation>
    </message>
    <message>
        <source>Find the mail server, port and encryption for the sender address; you confirm before anything is filled in</source>
        <translation>根据发件人地址查找邮件服务器、端口和加密方式；填入之前会先请您确认</translation>
    </message>
    <message>
        <source>D&amp;iagnose…</source>
        <translation>诊断(&amp;I)…</translation>
    </message>
    <message>
        <source>Check step by step, with the values in this form, whether the mail server can be reached and accepts the login</source>
        <translation>使用此表单中的设置，逐步检查能否连接邮件服务器以及服务器是否接受登录</translation>
    </message>
</context>
<context>
    <name>SendersPage</name>
    <message>
        <source>Password not on this machine</source>
        <translation>此计算机上没有密码</translation>
    </message>
    <message>
        <source>Sender accounts — the mail accounts through which the BI server sends mail:</source>
        <translation>发件人账户 — BI 服务器用于发送邮件的邮箱账户：</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Show name</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Encryption</source>
        <translation>加密方式</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/senders_page.py" line="+90"/>
        <source>Choose a default sender</source>
        <translation>选择默认发件人</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Could not read the senders</source>
        <translation>无法读取发件人</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>SSL</source>
        <translation>SSL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <location line="-68"/>
        <location line="+69"/>
        <source>Do Not Encrypt</source>
        <translation>不加密</translation>
    </message>
    <message>
        <location line="-68"/>
        <location line="+85"/>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location line="-94"/>
        <source>Last check</source>
        <extracomment>(text, configured) — the main window repeats it in its status bar the record id of a test mail that failed in a sender dialog</extracomment>
        <translation>最近检查</translation>
    </message>
    <message>
        <location line="+131"/>
        <source>Never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No test mail or diagnosis of this sender yet</source>
        <translation>尚未对该发件人发送测试邮件或进行诊断</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Test mail</source>
        <translation>测试邮件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Diagnosis</source>
        <translation>诊断</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="-130"/>
        <location line="+154"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OAuth2 — signed in</source>
        <translation>OAuth2 — 已登录</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OAuth2 — needs sign-in</source>
        <translation>OAuth2 — 需要登录</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Mailbox not configured — choose a default sender and click Save</source>
        <translation>邮箱未配置 — 请选择默认发件人并点击“保存”</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(add a sender first).</source>
        <translation>（请先添加发件人）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mailbox configured — default sender: %s</source>
        <translation>邮箱已配置 — 默认发件人：%s</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Not saved yet: click Save to make %s the default sender.</source>
        <translation>尚未保存：点击“保存”将 %s 设为默认发件人。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Could not open the sender</source>
        <translation>无法打开该发件人</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Delete the sender %s and its stored password?</source>
        <translation>要删除发件人 %s 及其已保存的密码吗？</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This sender is the default sender. After deleting it no default sender is set and the mailbox is not configured until you choose another one and click Save.</source>
        <translation>该发件人是默认发件人。删除后将没有默认发件人，邮箱处于未配置状态，直到您选择另一个发件人并点击“保存”。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+10"/>
        <source>Delete sender</source>
        <translation>删除发件人</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Could not delete the sender</source>
        <translation>无法删除该发件人</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Could not save the default sender</source>
        <translation>无法保存默认发件人</translation>
    </message>
    <message>
        <source>&amp;Add sender…</source>
        <translation>添加发件人(&amp;A)…</translation>
    </message>
    <message>
        <source>Add one sender account (mail server, address and password)</source>
        <translation>添加一个发件人账户（邮件服务器、地址和密码）</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>Change the selected sender (double-click a row does the same)</source>
        <translation>修改所选发件人（双击行也可以）</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>Delete the selected sender and its stored password</source>
        <translation>删除所选发件人及其已保存的密码</translation>
    </message>
    <message>
        <source>Default sender</source>
        <translation>默认发件人</translation>
    </message>
    <message>
        <source>Defa&amp;ult sender:</source>
        <translation>默认发件人(&amp;U)：</translation>
    </message>
    <message>
        <source>Sa&amp;ve</source>
        <translation>保存(&amp;V)</translation>
    </message>
    <message>
        <source>Make the chosen sender the system&apos;s default sender</source>
        <translation>将所选发件人设为系统的默认发件人</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/senders_page.py" line="-80"/>
        <source>Mail from the BI server goes out through the default sender. A new choice takes effect when you click Save.</source>
        <translation>BI 服务器的邮件通过默认发件人发出。更改后需点击“保存”才会生效。</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>登录方式</translation>
    </message>
</context>
<context>
    <name>TemplateDialog</name>
    <message>
        <location filename="../../bimail_desktop/gui/templates_page.py" line="-284"/>
        <source>Edit template</source>
        <translation>编辑模板</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New template</source>
        <translation>新建模板</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>To rename a template, duplicate it and delete the old one.</source>
        <translation>要重命名模板，请复制它并删除旧模板。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Import HTML file</source>
        <translation>导入 HTML 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HTML files (*.html *.htm);;All files (*)</source>
        <translation>HTML 文件 (*.html *.htm);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Discard changes?</source>
        <translation>放弃更改？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The template has changes that are not saved. Discard them?</source>
        <translation>模板有尚未保存的更改。要放弃这些更改吗？</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+63"/>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <location line="-63"/>
        <location line="+64"/>
        <source>HTML body</source>
        <translation>HTML 正文</translation>
    </message>
    <message>
        <location line="-60"/>
        <source>%1: %2 is not a placeholder. Write placeholders as ${name} (letters, digits and _ only, no spaces) and a dollar sign as $$.</source>
        <translation>%1：%2 不是占位符。占位符请写成 ${name}（只用字母、数字和 _，不含空格），美元符号请写成 $$。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Placeholders (filled in at sending): %1</source>
        <translation>占位符（发送时填入）：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No placeholders.</source>
        <translation>没有占位符。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Subject:</source>
        <translation>主题：</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>e.g. Daily sales report</source>
        <translation>例如 每日销售报表</translation>
    </message>
    <message>
        <source>&amp;Subject:</source>
        <translation>主题(&amp;S)：</translation>
    </message>
    <message>
        <source>e.g. Sales report for ${day}</source>
        <translation>例如 ${day} 销售报表</translation>
    </message>
    <message>
        <source>&amp;HTML body:</source>
        <translation>HTML 正文(&amp;H)：</translation>
    </message>
    <message>
        <source>Preview (as recipients will see it):</source>
        <translation>预览（收件人看到的样子）：</translation>
    </message>
    <message>
        <source>&amp;Import HTML file…</source>
        <translation>导入 HTML 文件(&amp;I)…</translation>
    </message>
</context>
<context>
    <name>TemplatesPage</name>
    <message>
        <location filename="../../bimail_desktop/gui/templates_page.py" line="+218"/>
        <source>&amp;Edit…</source>
        <extracomment>a send from this page failed: the first failed record&apos;s id (or None)</extracomment>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>D&amp;uplicate</source>
        <translation>复制(&amp;U)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+D</source>
        <translation>Ctrl+D</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Send…</source>
        <translation>发送(&amp;S)…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Import HTML file</source>
        <translation>导入 HTML 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HTML files (*.html *.htm);;All files (*)</source>
        <translation>HTML 文件 (*.html *.htm);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>(built in)</source>
        <translation>（内置）</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>No template selected.</source>
        <translation>未选择模板。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Subject:</source>
        <translation>主题：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Placeholders (filled in at sending): %1</source>
        <translation>占位符（发送时填入）：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No placeholders.</source>
        <translation>没有占位符。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The built-in Test Mail cannot be changed; duplicate it to make your own.</source>
        <translation>内置的测试邮件不能修改；请复制一份作为自己的模板。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Template “%1” added.</source>
        <translation>已添加模板“%1”。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Template “%1” saved.</source>
        <translation>已保存模板“%1”。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Template “%1” added (a copy of “%2”).</source>
        <translation>已添加模板“%1”（“%2”的副本）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Delete template</source>
        <translation>删除模板</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the template “%1”? Sending records keep its name.</source>
        <translation>删除模板“%1”？发送记录会保留它的名称。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Template “%1” deleted.</source>
        <translation>已删除模板“%1”。</translation>
    </message>
    <message>
        <source>Mail templates — the subject and HTML body of the mail the BI server sends; ${name} marks a value filled in at sending:</source>
        <translation>邮件模板——BI 服务器所发邮件的主题和 HTML 正文；${name} 表示发送时填入的值：</translation>
    </message>
    <message>
        <source>The mail as recipients will see it (placeholders shown as ${name}; fonts a mail client cannot show replaced by SimSun)</source>
        <translation>收件人看到的邮件（占位符显示为 ${name}；邮件客户端无法显示的字体换成宋体 SimSun）</translation>
    </message>
    <message>
        <source>&amp;New template…</source>
        <translation>新建模板(&amp;N)…</translation>
    </message>
    <message>
        <source>Write a new template: name, subject and HTML body</source>
        <translation>编写新模板：名称、主题和 HTML 正文</translation>
    </message>
    <message>
        <source>Copy the selected template under a new name</source>
        <translation>以新名称复制所选模板</translation>
    </message>
    <message>
        <source>&amp;Import HTML file…</source>
        <translation>导入 HTML 文件(&amp;I)…</translation>
    </message>
    <message>
        <source>Make a new template from an HTML file (UTF-8)</source>
        <translation>用 HTML 文件（UTF-8）新建模板</translation>
    </message>
    <message>
        <source>Send the selected template to recipients you choose</source>
        <translation>把所选模板发送给你指定的收件人</translation>
    </message>
</context>
<context>
    <name>TrustedCertificatesDialog</name>
    <message>
        <source>Trusted certificates</source>
        <translation>受信任的证书</translation>
    </message>
    <message>
        <source>Certificates trusted in this program, in addition to the system&apos;s: imported CA certificates, and certificates of one server (pinned).</source>
        <translation>除系统信任的证书外，本程序额外信任的证书：导入的 CA 证书，以及固定到某台服务器的证书。</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Import CA certificate…</source>
        <translation>导入 CA 证书…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/certificate_dialog.py" line="+56"/>
        <source>Pinned server certificate</source>
        <translation>固定的服务器证书</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CA certificate</source>
        <translation>CA 证书</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(any server)</source>
        <translation>（任意服务器）</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Connections to %1 will fail again until its certificate is trusted anew.</source>
        <translation>在重新信任其证书之前，连接 %1 将再次失败。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Servers with certificates from this authority will be untrusted again.</source>
        <translation>由该颁发机构签发证书的服务器将再次不受信任。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove %1 from the trusted certificates?</source>
        <translation>要将 %1 从受信任的证书中删除吗？</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove trusted certificate</source>
        <translation>删除受信任的证书</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Removed: %1</source>
        <translation>已删除：%1</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/i18n.py" line="+9"/>
        <source>Import CA certificate</source>
        <translation>导入 CA 证书</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Certificates (*.pem *.crt *.cer *.der);;All files (*)</source>
        <translation>证书 (*.pem *.crt *.cer *.der);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <location filename="../../bimail_desktop/gui/main_window.py" line="-61"/>
        <source>Configuration (*.json)</source>
        <translation>配置文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/certificate_dialog.py" line="-240"/>
        <source>Import CA certificate</source>
        <translation>导入 CA 证书</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Certificates (*.pem *.crt *.cer *.der);;All files (*)</source>
        <translation>证书 (*.pem *.crt *.cer *.der);;所有文件 (*)</translation>
    </message>
</context>
</TS>
