"""`bimail --lang zh_CN` (or BIMAIL_LANG=zh_CN) speaks Chinese: every message, detail and
fix, except what is quoted (the server's reply, addresses, host names, codes). Real
subprocesses; the test mail goes to a real aiosmtpd server on loopback."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

CJK = re.compile(r"[\u4e00-\u9fff]")
# three English words in a row: a sentence left untranslated
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}")


def english_left(text: str, *quoted: str) -> list[str]:
    """English word runs in ``text`` once the quoted values are taken out."""
    for value in quoted:
        text = text.replace(value, " ")
    return ENGLISH_RUN.findall(text)


def error_of(result: Any) -> dict[str, Any]:
    data = json.loads(result.stdout)
    assert set(data) == {"error"}, data
    return dict(data["error"])


def assert_chinese(error: dict[str, Any], *quoted: str) -> None:
    for part in ("title", "message", "explanation", "fix"):
        text = str(error[part])
        assert CJK.search(text), (part, text)
        assert not english_left(text, *quoted), (part, text, english_left(text, *quoted))


@pytest.mark.parametrize(
    ("option", "value", "field"),
    [
        ("--address", "report example.com", "address"),
        ("--address", "report.example.com", "address"),
        ("--server", "smtp..example.com", "server"),
        ("--server", "bad_host!", "server"),
        ("--port", "http", "port"),
        ("--port", "70000", "port"),
    ],
)
def test_invalid_sender_fields_are_explained_in_chinese(
    cli: Any, option: str, value: str, field: str
) -> None:
    args = {"--server": "smtp.example.com", "--address": "bi@example.com", "--port": "587"}
    args[option] = value
    flat = [item for pair in args.items() for item in pair]
    result = cli("--lang", "zh_CN", "--json", "senders", "add", *flat)
    assert result.returncode == 2, result
    error = error_of(result)
    assert error["code"] == "invalid_input" and error["field"] == field
    assert_chinese(error, value)
    # nothing was added
    listed = cli("--json", "senders", "list")
    assert json.loads(listed.stdout) == []


def test_bimail_lang_environment_variable_works_like_the_option(cli: Any) -> None:
    cli.env["BIMAIL_LANG"] = "zh_CN"
    try:
        result = cli("--json", "senders", "add", "--server", "smtp.example.com",
                     "--address", "nobody", "--port", "25")
    finally:
        del cli.env["BIMAIL_LANG"]
    error = error_of(result)
    assert error["message"].startswith("输入无效：发件人地址：“nobody”不是邮件地址")
    # and English stays English, word for word
    english = error_of(cli("--json", "senders", "add", "--server", "smtp.example.com",
                           "--address", "nobody"))
    assert english["message"] == (
        "Invalid input: address: 'nobody' is not an email address; it needs a name, '@' and "
        "a domain, like report@example.com")


def test_default_show_without_a_default_explains_itself_in_chinese(cli: Any) -> None:
    result = cli("--lang", "zh_CN", "--json", "default", "show")
    assert result.returncode == 3
    data = json.loads(result.stdout)
    assert data["configured"] is False and data["default_sender"] is None
    assert_chinese({"title": data["message"], "message": data["message"],
                    "explanation": data["fix"], "fix": data["fix"]}, "bimail default set")
    text = cli("--lang", "zh_CN", "default", "show")
    assert text.returncode == 3 and CJK.search(text.stdout)
    assert not english_left(text.stdout, "bimail default set")


def test_a_test_mail_with_a_wrong_password_fails_in_chinese(
    cli: Any, smtp_server_factory: Any
) -> None:
    server = smtp_server_factory("plain", users={"bi@example.com": "right"},
                                 auth_require_tls=False)
    added = cli("--json", "senders", "add", "--server", "127.0.0.1", "--port",
                str(server.port), "--encryption", "none", "--address", "bi@example.com",
                "--password-stdin", stdin="wrong\n")
    assert added.returncode == 0, added
    assert cli("default", "set", "bi@example.com").returncode == 0
    result = cli("--lang", "zh_CN", "--json", "test-mail", "--to", "admin@example.com")
    assert result.returncode == 1, result
    data = json.loads(result.stdout)
    error = data.get("error") or data
    assert error["code"] == "auth_failed", data
    reply = str(error.get("server_reply", ""))
    assert reply.startswith("535"), error
    assert_chinese(error, reply, "bi@example.com", "127.0.0.1", str(server.port))
    assert not server.handler.messages  # nothing was sent


def test_a_diagnosis_reads_in_chinese(cli: Any, unused_port: int) -> None:
    """Every step of `bimail --lang zh_CN --json diagnose` (passed, failed, skipped) has a
    Chinese title and sentence; the error's message and fix are Chinese too."""
    result = cli("--lang", "zh_CN", "--json", "diagnose", "--server", "127.0.0.1",
                 "--port", str(unused_port), "--encryption", "none")
    assert result.returncode == 1, result
    report = json.loads(result.stdout)
    assert report["failed_step"] == "connect"
    for step in report["steps"]:
        for part in ("title", "detail"):
            text = str(step[part])
            assert CJK.search(text), (step["name"], part, text)
            assert not english_left(text, "127.0.0.1", str(unused_port)), (step["name"], text)
    assert_chinese(report["error"], "127.0.0.1", str(unused_port))


def test_doctor_reports_in_chinese(cli: Any, tmp_path: Any) -> None:
    """`bimail --lang zh_CN doctor`: every label and verdict in Chinese; what is quoted
    (paths, the store's address, backend names, versions) as it is."""
    db = tmp_path / "store.db"
    result = cli("--lang", "zh_CN", "--db", f"sqlite:///{db}", "doctor")
    lines = result.stdout.splitlines()
    for label in ("数据文件夹", "存储", "完整性", "资源", "翻译", "钥匙串", "中继"):
        assert any(line.startswith(label) for line in lines), (label, result.stdout)
    integrity = next(line for line in lines if line.startswith("完整性"))
    assert "检查通过" in integrity or "尚不存在" in integrity, integrity
    for line in lines:
        label = line.split("：")[0]
        assert not english_left(label), line
