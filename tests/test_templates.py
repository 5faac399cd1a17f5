"""Templates: create, list, update, remove; placeholders with string.Template semantics;
the built-in Test Mail stays."""

from __future__ import annotations

import pytest

from bimail_desktop.domain.errors import BimailError, ErrorCode, InvalidInput
from bimail_desktop.domain.models import TEST_MAIL_TEMPLATE, TEST_MAIL_TEXT, Template
from bimail_desktop.services import Mailbox
from bimail_desktop.services.templates import placeholders, render_template


def test_builtin_test_mail_exists(mailbox: Mailbox) -> None:
    template = mailbox.get_template(TEST_MAIL_TEMPLATE)
    assert template is not None and template.builtin
    assert TEST_MAIL_TEXT in template.html
    assert [t.name for t in mailbox.list_templates()] == [TEST_MAIL_TEMPLATE]


def test_add_list_update_remove(mailbox: Mailbox) -> None:
    added = mailbox.add_template("Daily", "Sales for ${day}", "<p>Total: ${total} $$</p>")
    assert added == Template("Daily", "Sales for ${day}", "<p>Total: ${total} $$</p>", False)
    assert [t.name for t in mailbox.list_templates()] == ["Daily", TEST_MAIL_TEMPLATE]

    changed = mailbox.update_template("Daily", subject="Sales of ${day}")
    assert changed.subject == "Sales of ${day}" and changed.html == added.html
    changed = mailbox.update_template("Daily", html="<p>${total}</p>")
    assert mailbox.get_template("Daily") == changed

    removed = mailbox.remove_template("Daily")
    assert removed.name == "Daily"
    assert mailbox.get_template("Daily") is None


def test_duplicate_name_refused(mailbox: Mailbox) -> None:
    mailbox.add_template("Daily", "S", "<p>x</p>")
    with pytest.raises(InvalidInput) as caught:
        mailbox.add_template("Daily", "Other", "<p>y</p>")
    assert caught.value.field == "name"
    assert mailbox.get_template("Daily") == Template("Daily", "S", "<p>x</p>", False)


@pytest.mark.parametrize(
    ("name", "subject", "html", "field"),
    [
        ("", "S", "<p>x</p>", "name"),
        ("Bad\nname", "S", "<p>x</p>", "name"),
        ("T", "", "<p>x</p>", "subject"),
        ("T", "Hi\r\nBcc: x@example.net", "<p>x</p>", "subject"),
        ("T", "S", "", "html"),
        ("T", "S", "<p>costs $5</p>", "html"),
        ("T", "Price $", "<p>x</p>", "subject"),
    ],
)
def test_bad_template_refused_and_nothing_stored(
    mailbox: Mailbox, name: str, subject: str, html: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        mailbox.add_template(name, subject, html)
    assert caught.value.field == field
    assert [t.name for t in mailbox.list_templates()] == [TEST_MAIL_TEMPLATE]


def test_builtin_cannot_be_removed_or_changed(mailbox: Mailbox) -> None:
    with pytest.raises(InvalidInput):
        mailbox.remove_template(TEST_MAIL_TEMPLATE)
    with pytest.raises(InvalidInput):
        mailbox.update_template(TEST_MAIL_TEMPLATE, html="<p>other</p>")
    template = mailbox.get_template(TEST_MAIL_TEMPLATE)
    assert template is not None and TEST_MAIL_TEXT in template.html


def test_unknown_template_is_not_found(mailbox: Mailbox) -> None:
    for call in (lambda: mailbox.remove_template("Nope"),
                 lambda: mailbox.update_template("Nope", subject="x")):
        with pytest.raises(BimailError) as caught:
            call()
        assert caught.value.code is ErrorCode.NOT_FOUND


def test_render_fills_placeholders() -> None:
    template = Template("T", "Report ${day}", "<p>${name}: ${total} $$</p>")
    assert placeholders(template) == ["day", "name", "total"]
    subject, html = render_template(template, {"day": "Mon", "name": "A&B", "total": "3",
                                               "unused": "x"})
    assert subject == "Report Mon"
    assert html == "<p>A&amp;B: 3 $</p>"  # a variable is text: escaped in the body


def test_missing_variable_is_named() -> None:
    template = Template("T", "Report ${day}", "<p>${total}</p>")
    with pytest.raises(InvalidInput) as caught:
        render_template(template, {"day": "Mon"})
    assert caught.value.field == "variables"
    assert "${total}" in caught.value.detail


def test_variable_cannot_inject_a_header() -> None:
    template = Template("T", "Report ${day}", "<p>${total}</p>")
    with pytest.raises(InvalidInput) as caught:
        render_template(template, {"day": "Mon\r\nBcc: evil@example.net", "total": "1"})
    assert caught.value.field == "variables.day"
    # line breaks in the body are fine
    _subject, html = render_template(template, {"day": "Mon", "total": "1\n2"})
    assert html == "<p>1\n2</p>"


def test_variables_are_escaped_unless_given_as_raw_html() -> None:
    template = Template("T", "Report ${who}", "<p>${who}</p><div>${chart}</div>")
    script = '<script>alert("x")</script>'
    subject, html = render_template(template, {"who": script, "chart": "<b>1</b>"})
    assert subject == f"Report {script}"  # the subject is not HTML
    assert html == ("<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>"
                    "<div>&lt;b&gt;1&lt;/b&gt;</div>")
    _subject, html = render_template(template, {"who": "Ann"},
                                     raw_variables={"chart": "<table><tr><td>1</td></tr></table>"})
    assert html == "<p>Ann</p><div><table><tr><td>1</td></tr></table></div>"


@pytest.mark.parametrize("value, code", [("a\x00b", "U+0000"), ("\x1b[31m", "U+001B"),
                                         ("x\x7f", "U+007F"), ("x\x85", "U+0085")])
def test_control_characters_in_a_variable_are_refused(value: str, code: str) -> None:
    template = Template("T", "Report", "<p>${total}</p>")
    with pytest.raises(InvalidInput) as caught:
        render_template(template, {"total": value})
    assert caught.value.field == "variables.total" and code in str(caught.value)
    with pytest.raises(InvalidInput) as caught:
        render_template(template, raw_variables={"total": value})
    assert caught.value.field == "raw_variables.total"


def test_a_variable_given_twice_or_without_text_is_refused() -> None:
    template = Template("T", "Report", "<p>${total}</p>")
    with pytest.raises(InvalidInput) as caught:
        render_template(template, {"total": "1"}, {"total": "<b>1</b>"})
    assert caught.value.field == "raw_variables.total"
    with pytest.raises(InvalidInput) as caught:
        render_template(template, {"total": None})  # type: ignore[dict-item]
    assert caught.value.field == "variables.total"
    with pytest.raises(InvalidInput) as caught:
        render_template(template, ["total"])  # type: ignore[arg-type]
    assert caught.value.field == "variables"
