"""Every field of the sender form is validated the same way in the GUI, the CLI and the API."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bimail_desktop.domain.errors import ErrorCode, InvalidInput
from bimail_desktop.domain.models import Encryption
from bimail_desktop.domain.validation import (
    MAX_SHOW_NAME,
    check_header_text,
    validate_address,
    validate_encryption,
    validate_host,
    validate_port,
    validate_recipients,
    validate_sender,
    validate_show_name,
)


@pytest.mark.parametrize(
    "host",
    ["smtp.example.com", "SMTP.Example.COM", "10.0.0.25", "::1", "[2001:db8::1]", "mail",
     "smtp.例子.中国", "smtp-relay.corp.example.com."],
)
def test_valid_servers_are_accepted(host: str) -> None:
    assert validate_host(host)


@pytest.mark.parametrize(
    "host,fragment",
    [("", "empty"), ("smtp example.com", "spaces"), ("smtp.exa\nmple.com", "spaces"),
     ("300.1.1.1", "not a valid IP"), ("-bad.example.com", "not a valid host"),
     ("smtp..example.com", "not a valid host"), ("smtp_x.example.com", "not a valid host")],
)
def test_bad_servers_name_the_field_and_the_problem(host: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as info:
        validate_host(host)
    assert info.value.code is ErrorCode.INVALID_INPUT
    assert info.value.field == "server"
    assert fragment in str(info.value)


def test_port_defaults_to_25_and_refuses_out_of_range() -> None:
    assert validate_port(None) == 25
    assert validate_port("587") == 587
    for bad in (0, 65536, "abc", -1, True):
        with pytest.raises(InvalidInput) as info:
            validate_port(bad)
        assert info.value.field == "port"


def test_encryption_defaults_to_tls_and_knows_the_three_methods() -> None:
    assert validate_encryption(None) is Encryption.TLS
    assert validate_encryption("SSL") is Encryption.SSL
    assert validate_encryption("Do Not Encrypt") is Encryption.NONE
    assert validate_encryption("starttls") is Encryption.TLS
    with pytest.raises(InvalidInput, match="choose ssl, tls or none"):
        validate_encryption("ssl3")


@pytest.mark.parametrize(
    "address",
    ["report@example.com", "r#e&p@example.com", "a.b+c@sub.example.cn", "x&y#z@example.com",
     "o'neil@example.com"],
)
def test_addresses_with_hash_and_ampersand_are_valid(address: str) -> None:  # S5
    assert validate_address(address) == address


@pytest.mark.parametrize(
    "address",
    ["", "no-at-sign", "@example.com", "user@", "a..b@example.com", ".a@example.com",
     "a b@example.com", "a@exa mple.com", "a@1.2.3.4", "用户@example.com",
     "a@example.com\r\nBcc: x@y.com", "a@-example.com"],
)
def test_bad_addresses_are_refused(address: str) -> None:
    with pytest.raises(InvalidInput) as info:
        validate_address(address)
    assert info.value.field == "address"


def test_show_name_is_free_unicode_text_without_line_breaks() -> None:
    assert validate_show_name("  报表机器人 BI  ") == "报表机器人 BI"
    with pytest.raises(InvalidInput, match="line breaks"):
        validate_show_name("Evil\r\nBcc: victim@example.com")
    with pytest.raises(InvalidInput, match=str(MAX_SHOW_NAME)):
        validate_show_name("x" * (MAX_SHOW_NAME + 1))


def test_recipients_are_split_deduplicated_and_validated() -> None:
    assert validate_recipients(["a@example.com, B@example.com", "b@example.com"]) == [
        "a@example.com",
        "B@example.com",
    ]
    with pytest.raises(InvalidInput) as info:
        validate_recipients([])
    assert info.value.field == "to"


def test_whole_form_uses_defaults_and_names_the_first_bad_field() -> None:
    settings_ = validate_sender({"server": "smtp.example.com", "address": "bi@example.com"})
    assert (settings_.port, settings_.encryption, settings_.rate_limit) == (25, Encryption.TLS, 10)
    assert settings_.login == "bi@example.com"
    with pytest.raises(InvalidInput) as info:
        validate_sender({"server": "smtp.example.com", "address": "bi@example.com",
                         "port": "99999"})
    assert info.value.field == "port"


# -- fuzzing: the validators never crash, and what they accept is safe in a header ---------

_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=80)


@settings(max_examples=300, deadline=None)
@given(_text)
def test_fuzz_address_accepts_only_header_safe_values(value: str) -> None:
    try:
        result = validate_address(value)
    except InvalidInput as error:
        assert error.field == "address"
        return
    assert "\r" not in result and "\n" not in result and " " not in result
    assert result.count("@") >= 1
    check_header_text(result, "address")


@settings(max_examples=300, deadline=None)
@given(_text)
def test_fuzz_host_accepts_only_names_without_spaces(value: str) -> None:
    try:
        result = validate_host(value)
    except InvalidInput as error:
        assert error.field == "server"
        return
    assert result and not any(ch.isspace() for ch in result)


@settings(max_examples=200, deadline=None)
@given(_text)
def test_fuzz_show_name_never_lets_a_line_break_through(value: str) -> None:
    try:
        result = validate_show_name(value)
    except InvalidInput as error:
        assert error.field == "show_name"
        return
    assert "\n" not in result and "\r" not in result
    check_header_text(result, "show_name")


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(), _text, st.none()))
def test_fuzz_port_is_always_in_range(value: object) -> None:
    try:
        port = validate_port(value)
    except InvalidInput as error:
        assert error.field == "port"
        return
    assert 1 <= port <= 65535
