"""Building mails: headers from validated fields only, plain text + HTML, attachments, and
the SimSun fallback for fonts mail clients cannot render (S9)."""

from __future__ import annotations

import email
import email.generator
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest

from bimail_desktop.domain.errors import ErrorCode, InvalidInput
from bimail_desktop.mail.message import (
    Attachment,
    MailContent,
    build_message,
    fallback_fonts,
    html_to_text,
)
from bimail_desktop.mail.ratelimit import seconds_until_allowed, whole_seconds


def _parse(built_message: EmailMessage) -> EmailMessage:
    raw = built_message.as_bytes()
    parsed = email.message_from_bytes(raw, policy=default_policy)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _build(**overrides: object):  # type: ignore[no-untyped-def]
    kwargs: dict[str, object] = {
        "address": "bi@example.com",
        "show_name": "BI Reports",
        "recipients": ["boss@example.com"],
        "content": MailContent("Daily report", "<html><body><p>Hello</p></body></html>"),
    }
    kwargs.update(overrides)
    return build_message(**kwargs)  # type: ignore[arg-type]


def test_message_has_every_header_and_both_parts() -> None:
    built = _build()
    msg = _parse(built.message)
    assert msg["From"] == "BI Reports <bi@example.com>"
    assert msg["To"] == "boss@example.com"
    assert msg["Subject"] == "Daily report"
    assert msg["Date"]
    assert msg["Message-ID"] == built.message_id
    assert built.message_id.endswith("@example.com>")
    assert msg.get_content_type() == "multipart/alternative"
    plain = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content().strip() == "Hello"
    assert "<p>Hello</p>" in html.get_content()


def test_non_ascii_show_name_and_subject_are_encoded() -> None:
    built = _build(show_name="报表中心", content=MailContent("日报 ünï", "<p>x</p>"))
    raw = built.message.as_bytes()
    assert raw.isascii()
    msg = _parse(built.message)
    assert msg["From"].addresses[0].display_name == "报表中心"
    assert msg["From"].addresses[0].addr_spec == "bi@example.com"
    assert msg["Subject"] == "日报 ünï"


def test_hash_and_ampersand_addresses_pass_unchanged() -> None:
    built = _build(address="bi#1&x@example.com", recipients=["a&b@example.org", "c#d@example.org"])
    assert built.envelope_from == "bi#1&x@example.com"
    assert built.envelope_to == ("a&b@example.org", "c#d@example.org")
    msg = _parse(built.message)
    assert msg["From"].addresses[0].addr_spec == "bi#1&x@example.com"
    assert [a.addr_spec for a in msg["To"].addresses] == ["a&b@example.org", "c#d@example.org"]


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("subject", {"content": MailContent("Hi\r\nBcc: evil@example.net", "<p>x</p>")}),
        ("subject", {"content": MailContent("Hi\nX-Evil: 1", "<p>x</p>")}),
        ("show_name", {"show_name": "BI\r\nBcc: evil@example.net"}),
        ("to", {"recipients": ["boss@example.com\r\nBcc: evil@example.net"]}),
        ("address", {"address": "bi@example.com\nBcc: evil@example.net"}),
    ],
)
def test_header_injection_is_refused_naming_the_field(
    field: str, overrides: dict[str, object]
) -> None:
    with pytest.raises(InvalidInput) as caught:
        _build(**overrides)
    assert caught.value.code is ErrorCode.INVALID_INPUT
    assert caught.value.field == field


def test_attachments_and_links() -> None:
    content = MailContent(
        "Report",
        "<html><body><p>See below</p></body></html>",
        links=("https://bi.example.com/report?id=1&x=2",),
        attachments=(Attachment("sales.csv", b"a,b\n1,2\n", "text/csv"),),
    )
    msg = _parse(_build(content=content).message)
    assert msg.get_content_type() == "multipart/mixed"
    attachments = list(msg.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["sales.csv"]
    assert attachments[0].get_content() == "a,b\n1,2\n"
    html = msg.get_body(("html",))
    assert html is not None
    assert 'href="https://bi.example.com/report?id=1&amp;x=2"' in html.get_content()
    plain = msg.get_body(("plain",))
    assert plain is not None
    assert "https://bi.example.com/report?id=1&x=2" in plain.get_content()


def test_missing_attachment_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pdf"
    with pytest.raises(InvalidInput) as caught:
        Attachment.from_path(missing)
    assert caught.value.field == "resources"
    assert "nope.pdf" in caught.value.detail


def test_attachment_from_path_guesses_the_type(tmp_path: Path) -> None:
    path = tmp_path / "chart.png"
    path.write_bytes(b"\x89PNG\r\n")
    attachment = Attachment.from_path(path)
    assert (attachment.filename, attachment.content_type) == ("chart.png", "image/png")


# -- S9 ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<p style="font-family: \'Wingdings 3\'">x</p>', '<p style="font-family: SimSun">x</p>'),
        ('<p style="font-family: Wingdings 3, Arial">x</p>',
         '<p style="font-family: SimSun, Arial">x</p>'),
        ("<p style='font-family: \"Times New Roman\", SimSun; color: red'>x</p>",
         "<p style='font-family: SimSun; color: red'>x</p>"),
        ('<style>td { font-family: Microsoft-YaHei, sans-serif }</style>',
         '<style>td { font-family: SimSun, sans-serif }</style>'),
        ('<p style="font-family:&quot;Wingdings 3&quot;,Arial">x</p>',
         '<p style="font-family:SimSun, Arial">x</p>'),
        ('<font face="Wingdings 3">x</font>', '<font face="SimSun">x</font>'),
        ("<font color=red face='Comic Sans MS, Arial'>x</font>",
         "<font color=red face='SimSun,Arial'>x</font>"),
        ("<font face=Arial size=3>x</font>", '<font face="Arial" size=3>x</font>'),
        ('<p style="font-family: Arial, sans-serif">x</p>',
         '<p style="font-family: Arial, sans-serif">x</p>'),
    ],
)
def test_unrenderable_fonts_fall_back_to_simsun(html: str, expected: str) -> None:
    assert fallback_fonts(html) == expected


def test_generated_html_has_the_fallback() -> None:
    content = MailContent("x", '<p style="font-family: Wingdings 3">Sales</p>'
                               '<font face="Wingdings 3">up</font>')
    html = _parse(_build(content=content).message).get_body(("html",))
    assert html is not None
    text = html.get_content()
    assert "Wingdings" not in text
    assert text.count("SimSun") == 2


def test_html_to_text_is_readable() -> None:
    text = html_to_text("<html><head><style>p{}</style></head><body><h1>Title</h1>"
                        "<p>One &amp; two</p><br><table><tr><td>a</td><td>b</td></tr></table>"
                        "<script>x()</script></body></html>")
    assert "Title" in text and "One & two" in text and "a" in text
    assert "p{}" not in text and "x()" not in text


# -- T3 arithmetic ---------------------------------------------------------------------------
def test_rate_limit_arithmetic() -> None:
    from datetime import datetime, timedelta

    now = datetime(2026, 1, 1, 12, 0, 0)
    starts = [now - timedelta(seconds=50), now - timedelta(seconds=10)]
    assert seconds_until_allowed(starts, 3, now) == 0.0
    assert seconds_until_allowed(starts, 2, now) == pytest.approx(10.0)
    assert seconds_until_allowed(starts, 1, now) == pytest.approx(50.0)
    assert seconds_until_allowed(starts, 0, now) == 0.0  # no limit
    assert seconds_until_allowed([now - timedelta(seconds=61)], 1, now) == 0.0
    assert whole_seconds(9.2) == 10
    assert whole_seconds(0.01) == 1
    assert whole_seconds(0) == 0


def test_recipients_checked_skips_only_the_recipient_check() -> None:
    recipients = ["a&b@example.org", "c#d@example.org"]
    built = _build(recipients=recipients, recipients_checked=True)
    assert built.envelope_to == tuple(recipients)
    assert [a.addr_spec for a in _parse(built.message)["To"].addresses] == recipients
    with pytest.raises(InvalidInput) as info:
        _build(address="not an address", recipients_checked=True)
    assert info.value.field == "address"
    with pytest.raises(InvalidInput) as info:
        _build(content=MailContent("a\nb", "<p>x</p>"), recipients_checked=True)
    assert info.value.field == "subject"


def test_the_header_class_cache_changes_no_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    from email.policy import SMTP

    import bimail_desktop.mail.message as message_module

    monkeypatch.setattr(message_module, "make_msgid", lambda domain: f"<fixed@{domain}>")
    monkeypatch.setattr(email.generator.Generator, "_make_boundary",
                        classmethod(lambda cls, text=None: "==fixed-boundary=="))
    kwargs = {
        "show_name": "报表中心 \"BI\"",
        "recipients": [f"reader{i}&team#{i}@example.org" for i in range(60)],
        "content": MailContent("日报 ünï " + "long subject " * 8,
                               "<html><body><p>Hallo, 世界</p></body></html>",
                               ("https://bi.example.com/r?x=1&y=2",),
                               (Attachment("数据.csv", b"a,b\n1,2\n", "text/csv"),)),
        "date": datetime(2026, 1, 5, 8, 30, tzinfo=UTC),
    }
    cached = _build(**kwargs).message.as_bytes()
    monkeypatch.setattr(message_module, "_POLICY", SMTP)
    assert _build(**kwargs).message.as_bytes() == cached
