<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DiagnosticsPage</name>
    <message>
        <location filename="../../bimail_desktop/gui/diagnostics_page.py" line="+16"/>
        <source>This page will show a step-by-step check of a mail server.</source>
        <translation>此页面将逐步检查邮件服务器。</translation>
    </message>
</context>
<context>
    <name>Feedback</name>
    <message>
        <location filename="../../bimail_desktop/gui/i18n.py" line="+59"/>
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
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>bimail-desktop — System mailbox</source>
        <translation>bimail-desktop — 系统邮箱</translation>
    </message>
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
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <source>&amp;About bimail-desktop</source>
        <translation>关于 bimail-desktop(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/main_window.py" line="+56"/>
        <source>&amp;Senders</source>
        <translation>发件人(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sending &amp;records</source>
        <translation>发送记录(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dia&amp;gnostics</source>
        <translation>诊断(&amp;G)</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>About bimail-desktop</source>
        <translation>关于 bimail-desktop</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>bimail-desktop %s

Sets up the BI server&apos;s system mailbox: sender accounts, the default sender, test mail, sending records and diagnosis. The same is available headless with the bimail command.</source>
        <translation>bimail-desktop %s

用于配置 BI 服务器的系统邮箱：发件人账户、默认发件人、测试邮件、发送记录和诊断。同样的功能也可以通过 bimail 命令在无界面环境中使用。</translation>
    </message>
    <message>
        <location filename="../../bimail_desktop/gui/i18n.py" line="+1"/>
        <source>What to do:</source>
        <translation>解决方法：</translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message>
        <location filename="../../bimail_desktop/gui/records_page.py" line="+17"/>
        <source>This page will show the history of every mail sent, with filters and CSV export.</source>
        <translation>此页面将显示每封已发送邮件的记录，并支持筛选和导出 CSV。</translation>
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
        <location filename="../../bimail_desktop/gui/sender_dialog.py" line="+76"/>
        <source>Add sender</source>
        <translation>添加发件人</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+112"/>
        <source>SSL</source>
        <translation>SSL</translation>
    </message>
    <message>
        <location line="-111"/>
        <source>Encrypted from the first byte (SMTPS), usually port 465</source>
        <translation>从连接开始即加密 (SMTPS)，通常使用端口 465</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+108"/>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <location line="-106"/>
        <source>Starts plain, then encrypts with STARTTLS, usually port 587 or 25 — recommended</source>
        <translation>先以明文连接，再通过 STARTTLS 加密，通常使用端口 587 或 25（推荐）</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+101"/>
        <source>Do Not Encrypt</source>
        <translation>不加密</translation>
    </message>
    <message>
        <location line="-99"/>
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
        <location line="+7"/>
        <source>Save sender</source>
        <translation>保存发件人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Edit sender — %s</source>
        <translation>编辑发件人 — %s</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Leave empty to keep the stored password</source>
        <translation>留空则保留已保存的密码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No password stored — type one to add it</source>
        <translation>尚未保存密码 — 输入密码即可添加</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>IP address of the Exchange server, e.g. 10.0.0.25</source>
        <translation>Exchange 服务器的 IP 地址，例如 10.0.0.25</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>S&amp;how</source>
        <translation>显示(&amp;H)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hi&amp;de</source>
        <translation>隐藏(&amp;D)</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Do Not Encrypt: the password travels unencrypted over the network. Use it only inside a trusted network.</source>
        <translation>不加密：密码将以明文在网络上传输。请仅在可信网络内使用。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Fill in the fields marked in red first</source>
        <translation>请先填写标红的字段</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Enter the recipient of the test mail: %s</source>
        <translation>请输入测试邮件的收件人：%s</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Fix the fields marked in red first.</source>
        <translation>请先更正标红的字段。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Sending a test mail to %s…</source>
        <translation>正在向 %s 发送测试邮件…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancelling the test mail…</source>
        <translation>正在取消测试邮件…</translation>
    </message>
    <message>
        <location line="+18"/>
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
        <location filename="../../bimail_desktop/gui/i18n.py" line="+1"/>
        <source>How to set it up</source>
        <translation>设置方法</translation>
    </message>
</context>
<context>
    <name>SendersPage</name>
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
        <location filename="../../bimail_desktop/gui/senders_page.py" line="+76"/>
        <source>Choose a default sender</source>
        <extracomment>(text, configured) — the main window repeats it in its status bar</extracomment>
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
        <location line="+1"/>
        <source>Do Not Encrypt</source>
        <translation>不加密</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location line="+36"/>
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
        <location line="+28"/>
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
        <source>Delete sender</source>
        <translation>删除发件人</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not delete the sender</source>
        <translation>无法删除该发件人</translation>
    </message>
    <message>
        <location line="+14"/>
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
        <location filename="../../bimail_desktop/gui/senders_page.py" line="-74"/>
        <source>Mail from the BI server goes out through the default sender. A new choice takes effect when you click Save.</source>
        <translation>BI 服务器的邮件通过默认发件人发出。更改后需点击“保存”才会生效。</translation>
    </message>
</context>
</TS>
