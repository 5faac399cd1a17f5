"""The text catalogue (bimail_desktop/domain/texts.py): every error code and every message
exists in English and Simplified Chinese with the same placeholders, and every key the code
uses is in it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bimail_desktop.domain import texts
from bimail_desktop.domain.errors import CATALOGUE, BimailError, ErrorCode, InvalidInput
from bimail_desktop.domain.texts import ERRORS, MESSAGES, Msg, placeholders

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "bimail_desktop"
CJK = re.compile(r"[\u4e00-\u9fff]")
# an English word of three letters or more: what a Chinese text must not contain outside
# what is quoted (placeholders, command lines, product and protocol names)
ENGLISH_WORD = re.compile(r"\b[a-z]{3,}\b")


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py")
                  if "generated" not in p.parts and "__pycache__" not in p.parts)


def _calls(path: Path, names: tuple[str, ...]) -> list[ast.Call]:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        # Msg(…), texts.Msg(…), msg_text(…); the CLI's ctx.t(…) only as an attribute
        if isinstance(func, ast.Name):
            name = func.id if func.id != "t" else ""
        elif isinstance(func, ast.Attribute):
            name = func.attr if func.attr != "tr" else ""
        else:
            name = ""
        if name in names:
            found.append(node)
    return found


def _branches(node: ast.expr) -> list[ast.expr]:
    """Msg("a" if … else "b" if … else "c", …): every key it may use."""
    if isinstance(node, ast.IfExp):
        return _branches(node.body) + _branches(node.orelse)
    return [node]


def _used_keys() -> dict[str, list[tuple[str, int, set[str] | None]]]:
    """key -> [(file, line, keyword names given or None when **kwargs)] for every
    Msg("key", …), msg_text("key", lang, …) and ctx.t("key", …) in the package."""
    used: dict[str, list[tuple[str, int, set[str] | None]]] = {}
    for path in _sources():
        for call in _calls(path, ("Msg", "msg_text", "t")):
            if not call.args:
                continue
            first = call.args[0]
            for option in _branches(first):
                if not isinstance(option, ast.Constant) or not isinstance(option.value, str):
                    continue
                names: set[str] | None = {k.arg for k in call.keywords if k.arg is not None}
                if any(k.arg is None for k in call.keywords):
                    names = None
                used.setdefault(option.value, []).append(
                    (str(path.relative_to(ROOT)), call.lineno, names))
    return used


def test_every_error_code_has_english_and_chinese() -> None:
    missing = [code.value for code in ErrorCode if code.value not in ERRORS]
    assert not missing, f"error codes without catalogue text: {missing}"
    unfinished = []
    for code, words in ERRORS.items():
        for part in ("title", "explanation", "fix"):
            text = getattr(words, part)
            if not text.en.strip() or not CJK.search(text.zh):
                unfinished.append(f"{code}.{part}")
    assert not unfinished, f"error texts without Chinese: {unfinished}"
    assert set(CATALOGUE) == set(ErrorCode)


@pytest.mark.parametrize("table", ["MESSAGES", "FIELDS"])
def test_every_text_has_chinese(table: str) -> None:
    mapping: dict[str, texts.Text] = getattr(texts, table)
    def words(template: str) -> bool:  # English words besides the placeholders
        return bool(re.search(r"[a-z]{2,}", re.sub(r"\{[^}]*\}", "", template)))

    lacking = [key for key, text in mapping.items()
               if not text.en.strip() or (words(text.en) and not CJK.search(text.zh))]
    assert not lacking, f"{table} entries without Chinese: {lacking}"


def test_placeholders_are_the_same_in_both_languages() -> None:
    wrong = texts.check_params(MESSAGES)
    for code, words in ERRORS.items():
        for part in ("title", "explanation", "fix"):
            text = getattr(words, part)
            if placeholders(text.en) or placeholders(text.zh):
                wrong.append(f"{code}.{part} (error texts take no parameters)")
    assert not wrong, f"placeholders differ between English and Chinese: {wrong}"


def test_every_key_used_in_the_code_is_in_the_catalogue_with_its_parameters() -> None:
    used = _used_keys()
    assert len(used) > 20
    problems = []
    for key, places in used.items():
        if key not in MESSAGES:
            problems += [f"{file}:{line}: {key!r} is not in MESSAGES" for file, line, _ in places]
            continue
        wanted = placeholders(MESSAGES[key].en)
        for file, line, names in places:
            if names is not None and names != wanted:
                problems.append(f"{file}:{line}: {key!r} takes {sorted(wanted)}, "
                                f"given {sorted(names)}")
    assert not problems, "\n".join(problems)


def test_every_message_in_the_catalogue_is_used() -> None:
    unused = sorted(set(MESSAGES) - set(_used_keys()))
    assert not unused, f"messages no code uses (remove them): {unused}"


def test_errors_carry_catalogue_keys() -> None:
    """InvalidInput and BimailError get a Msg (or a value quoted as is, such as a server's
    reply), never an English sentence."""
    found = []
    for path in _sources():
        name = str(path.relative_to(PACKAGE))
        for call in _calls(path, ("InvalidInput", "BimailError")):
            index = 1
            if len(call.args) > index:
                arg = call.args[index]
                if isinstance(arg, ast.JoinedStr) or (
                        isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                        and arg.value):
                    found.append(f"{name}:{call.lineno}")
    assert not found, f"English sentences instead of catalogue keys: {found}"


# -- rendering -----------------------------------------------------------------------------
def test_a_message_renders_with_its_parameters_in_both_languages() -> None:
    msg = Msg("port.not_number", v="abc")
    assert msg.render("en") == str(msg) == (
        "'abc' is not a number; enter a port from 1 to 65535 (25, 465 or 587 usually)")
    assert msg.render("zh_CN") == (
        "“abc”不是数字；请输入 1 到 65535 之间的端口（通常为 25、465 或 587）")


def test_invalid_input_reads_in_the_users_language() -> None:
    from bimail_desktop.domain.validation import validate_address, validate_port

    with pytest.raises(InvalidInput) as port:
        validate_port("abc")
    error = port.value
    assert error.field == "port"
    # English exactly as before: str(), .detail and to_dict() keep working
    assert error.detail == ("port: 'abc' is not a number; enter a port from 1 to 65535 "
                            "(25, 465 or 587 usually)")
    assert str(error) == f"Invalid input: {error.detail}"
    data = error.to_dict("zh_CN")
    assert data["message"] == ("输入无效：端口：“abc”不是数字；请输入 1 到 65535 之间的端口"
                               "（通常为 25、465 或 587）")
    assert data["fix"] == "请更正消息中指出的字段后重试。"
    assert data["field"] == "port" and data["code"] == "invalid_input"
    with pytest.raises(InvalidInput) as address:
        validate_address("a b@example.com", "to")
    assert address.value.detail_text("zh_CN") == "收件人：邮件地址不能包含空格、换行或控制字符"
    assert address.value.problem_text("en").startswith("the email address must not")


def test_a_specific_fix_replaces_the_codes_fix() -> None:
    error = BimailError(ErrorCode.NOT_FOUND, Msg("address.ip_domain"),
                        fix=Msg("recipients.none"))
    assert error.fix("zh_CN") == "没有收件人；请至少输入一个邮件地址"
    assert error.to_dict("en")["fix"] == "no recipient given; enter at least one email address"


def test_every_validator_problem_is_chinese_without_english_words() -> None:
    """Each problem of the sender form, rendered in Chinese with sample values, has no
    English word left (values the user typed are shown as typed)."""
    from bimail_desktop.domain import validation as v

    bad = [
        (v.validate_host, ""), (v.validate_host, "a b"), (v.validate_host, "1.2.3.999"),
        (v.validate_host, "bad_host!"), (v.validate_host, "a" * 300),
        (v.validate_port, True), (v.validate_port, "http"), (v.validate_port, 70000),
        (v.validate_encryption, "rot13"), (v.validate_address, ""),
        (v.validate_address, "a b@c.d"), (v.validate_address, "x" * 300 + "@c.d"),
        (v.validate_address, "nobody"), (v.validate_address, "x" * 70 + "@c.d"),
        (v.validate_address, "é@c.d"), (v.validate_address, ".a@c.d"),
        (v.validate_address, "a@bad_domain!"), (v.validate_address, "a@1.2.3.4"),
        (v.validate_recipients, []), (v.validate_show_name, "a\nb"),
        (v.validate_show_name, "x" * 200), (v.validate_username, "a b"),
        (v.validate_username, "x" * 300), (v.validate_password, "a\nb"),
        (v.validate_rate_limit, "fast"), (v.validate_rate_limit, -1),
        (v.validate_auth_method, "kerberos"),
    ]
    for validator, value in bad:
        with pytest.raises(InvalidInput) as raised:
            validator(value)  # type: ignore[operator]
        error = raised.value
        assert isinstance(error.problem, Msg), (validator.__name__, value)
        text = error.problem_text("zh_CN")
        for typed in (str(value),):
            text = text.replace(typed, "")
        left = [w for w in ENGLISH_WORD.findall(text)
                if w not in ("ssl", "tls", "none", "password", "oauth", "microsoft",
                             "google", "custom", "smtp", "example", "com", "report")]
        assert CJK.search(text) and not left, (validator.__name__, value, text)
