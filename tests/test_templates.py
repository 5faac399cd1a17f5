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
    assert html == "<p>A&B: 3 $</p>"


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
