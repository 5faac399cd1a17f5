"""Validation of every field the admin types, shared by the GUI, the CLI and the API.

Each validator returns the normalised value or raises :class:`InvalidInput` naming the field
and what to do. Nothing here touches the store: a refused value changes nothing.
"""

from __future__ import annotations

import ipaddress
import math
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from .errors import InvalidInput
from .models import (
    DEFAULT_ENCRYPTION,
    DEFAULT_PORT,
    DEFAULT_RATE_LIMIT,
    SENDER_FIELDS,
    AuthMethod,
    Encryption,
    SenderSettings,
)
from .texts import Msg

MAX_SHOW_NAME = 128
MAX_ADDRESS = 254
MAX_LOCAL_PART = 64
MAX_USERNAME = 256
MAX_RATE_LIMIT = 10_000

# RFC 5322 atext: letters, digits and these; '#' and '&' are explicitly welcome (S5).
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_DOT_ATOM = re.compile(rf"^{_ATEXT}+(?:\.{_ATEXT}+)*$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text)


def validate_host(value: str, field: str = "server") -> str:
    """A DNS host name (IDNA allowed) or an IPv4/IPv6 literal; returned as typed, trimmed."""
    host = (value or "").strip()
    if not host:
        raise InvalidInput(field, Msg("host.empty"))
    if any(ch.isspace() for ch in host) or _has_control(host):
        raise InvalidInput(field, Msg("host.bad_chars"))
    literal = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        ipaddress.ip_address(literal)
        return literal
    except ValueError:
        pass
    if re.fullmatch(r"[0-9.]+", host):
        raise InvalidInput(field, Msg("host.bad_ip", v=host))
    name = host[:-1] if host.endswith(".") else host
    try:
        ascii_name = name.encode("idna").decode("ascii") if not name.isascii() else name
    except UnicodeError:
        raise InvalidInput(field, Msg("host.bad_name", v=host)) from None
    if len(ascii_name) > 253:
        raise InvalidInput(field, Msg("host.too_long", n=253))
    labels = ascii_name.split(".")
    if not all(_LABEL.match(label) for label in labels):
        raise InvalidInput(field, Msg("host.bad_name", v=host))
    return name


def validate_port(value: Any, field: str = "port") -> int:
    if value is None or value == "":
        return DEFAULT_PORT
    if isinstance(value, bool):
        raise InvalidInput(field, Msg("port.not_a_number"))
    try:
        port = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise InvalidInput(field, Msg("port.not_number", v=value)) from None
    if not 1 <= port <= 65535:
        raise InvalidInput(field, Msg("port.out_of_range", v=port))
    return port


def validate_encryption(value: Any, field: str = "encryption") -> Encryption:
    if value is None or value == "":
        return DEFAULT_ENCRYPTION
    if isinstance(value, Encryption):
        return value
    text = str(value).strip().lower().replace("_", " ")
    aliases = {
        "ssl": Encryption.SSL,
        "smtps": Encryption.SSL,
        "tls": Encryption.TLS,
        "starttls": Encryption.TLS,
        "none": Encryption.NONE,
        "do not encrypt": Encryption.NONE,
        "plain": Encryption.NONE,
    }
    if text not in aliases:
        raise InvalidInput(field, Msg("encryption.unknown", v=value))
    return aliases[text]


def address_key(address: str) -> str:
    """The one form in which addresses are compared, stored as a key and counted for the
    rate limit — the same on every database: the local part case-folded, the domain in
    its IDNA (ASCII) form. ``bot@BÜCHER.de``, ``bot@bücher.de`` and
    ``BOT@xn--bcher-kva.de`` are one sender."""
    text = (address or "").strip()
    local, at, domain = text.rpartition("@")
    if not at:
        return text.casefold()
    domain = domain.rstrip(".")
    try:
        domain = domain.encode("idna").decode("ascii") if not domain.isascii() else domain
    except UnicodeError:
        pass  # not a valid name: compared as written, case-folded
    return f"{local.casefold()}@{domain.casefold()}"


def validate_address(value: str, field: str = "address") -> str:
    """An RFC 5322 addr-spec (dot-atom local part, '#' and '&' allowed); trimmed."""
    address = (value or "").strip()
    if not address:
        raise InvalidInput(field, Msg("address.empty"))
    if _has_control(address) or any(ch.isspace() for ch in address):
        raise InvalidInput(field, Msg("address.bad_chars"))
    if len(address) > MAX_ADDRESS:
        raise InvalidInput(field, Msg("address.too_long", n=MAX_ADDRESS))
    local, sep, domain = address.rpartition("@")
    if not sep or not local or not domain:
        raise InvalidInput(field, Msg("address.no_at", v=address))
    if len(local) > MAX_LOCAL_PART:
        raise InvalidInput(field, Msg("address.local_too_long", n=MAX_LOCAL_PART))
    if not local.isascii():
        raise InvalidInput(field, Msg("address.local_ascii"))
    if not _DOT_ATOM.match(local):
        raise InvalidInput(field, Msg("address.local_bad", v=local))
    try:
        validate_host(domain, field)
    except InvalidInput:
        raise InvalidInput(field, Msg("address.bad_domain", v=domain)) from None
    if domain.startswith("[") or re.fullmatch(r"[0-9.:]+", domain):
        raise InvalidInput(field, Msg("address.ip_domain"))
    return address


def validate_recipients(values: Any, field: str = "to") -> list[str]:
    """Addresses given as a list (or one text), each item perhaps comma-separated."""
    if isinstance(values, str):
        values = [values]
    if not values:
        raise InvalidInput(field, Msg("recipients.none"))
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise InvalidInput(field, Msg("recipients.not_text"))
    result: list[str] = []
    seen: set[str] = set()
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            address = validate_address(part, field)
            if address.lower() not in seen:
                seen.add(address.lower())
                result.append(address)
    if not result:
        raise InvalidInput(field, Msg("recipients.none"))
    return result


def validate_show_name(value: str | None, field: str = "show_name") -> str:
    name = (value or "").strip()
    if _has_control(name):
        raise InvalidInput(field, Msg("show_name.bad_chars"))
    if len(name) > MAX_SHOW_NAME:
        raise InvalidInput(field, Msg("show_name.too_long", n=MAX_SHOW_NAME))
    return name


def validate_username(value: str | None, field: str = "username") -> str:
    name = (value or "").strip()
    if _has_control(name) or any(ch.isspace() for ch in name):
        raise InvalidInput(field, Msg("username.bad_chars"))
    if len(name) > MAX_USERNAME:
        raise InvalidInput(field, Msg("username.too_long", n=MAX_USERNAME))
    return name


def validate_password(value: str | None, field: str = "password") -> str | None:
    """None means "keep the stored password"; "" means "no password"."""
    if value is None:
        return None
    if "\r" in value or "\n" in value or "\x00" in value:
        raise InvalidInput(field, Msg("password.line_breaks"))
    return value


def validate_rate_limit(value: Any, field: str = "rate_limit") -> int:
    if value is None or value == "":
        return DEFAULT_RATE_LIMIT
    try:
        limit = int(value)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInput(field, Msg("rate_limit.not_number", v=value)) from None
    if isinstance(value, bool) or not 0 <= limit <= MAX_RATE_LIMIT:
        raise InvalidInput(field, Msg("rate_limit.out_of_range", n=MAX_RATE_LIMIT))
    return limit


def validate_auth_method(value: Any, field: str = "auth_method") -> AuthMethod:
    """How the sender logs in; the CLI's dashed spellings (oauth2-google) are accepted."""
    method = AuthMethod.parse(value)
    if method is None:
        raise InvalidInput(field, Msg("auth_method.unknown", v=value))
    return method


def validate_sender(data: Mapping[str, Any] | SenderSettings) -> SenderSettings:
    """Validate a whole sender form; the first bad field raises."""
    if isinstance(data, SenderSettings):
        data = {name: getattr(data, name) for name in SENDER_FIELDS}
    return SenderSettings(
        server=validate_host(str(data.get("server") or "")),
        port=validate_port(data.get("port")),
        encryption=validate_encryption(data.get("encryption")),
        address=validate_address(str(data.get("address") or "")),
        username=validate_username(data.get("username")),
        show_name=validate_show_name(data.get("show_name")),
        rate_limit=validate_rate_limit(data.get("rate_limit")),
        auth_method=validate_auth_method(data.get("auth_method")),
    )


def check_header_text(value: str, field: str) -> str:
    """Refuse CR/LF and control characters in anything that ends up in a mail header."""
    if _has_control(value):
        raise InvalidInput(field, Msg("text.control_chars"))
    return value


# -- ranges shared by the CLI's options and the window's date and number fields -------------
# The calendar days a records filter may name: one day inside Python's date range at either
# end, so that converting a local day to UTC (up to a day either way) never leaves it.
MIN_DATE = date(1900, 1, 2)
MAX_DATE = date(9999, 12, 30)
# "delete records older than N days": 1 day to about a hundred years
MAX_RETENTION_DAYS = 36_600
MIN_PORT = 1
MAX_PORT = 65_535
# seconds one network wait may take (timeouts of sending, diagnosis, detection, sign-in)
MAX_TIMEOUT = 3_600.0
# paging through the records
MAX_OFFSET = 1_000_000_000
# one command-line argument: longer than any address, name, subject or path it may hold
MAX_ARGUMENT = 16_384
# the largest text file read as input (an HTML template body, a configuration file)
MAX_INPUT_FILE = 8 * 1024 * 1024


def _number_text(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def validate_whole_number(value: Any, field: str, *, minimum: int, maximum: int) -> int:
    """A whole number from ``minimum`` to ``maximum``, given as an int or as text."""
    a, b = f"{minimum:,}", f"{maximum:,}"
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInput(field, Msg("number.wrong_type", a=a, b=b, t=type(value).__name__))
    if isinstance(value, int):
        number = value
    else:
        text = value.strip()
        # ASCII digits only (a sign allowed): no '1_000', no '١٢', no 5,000-digit parse
        if not re.fullmatch(r"[+-]?[0-9]{1,4000}", text):
            raise InvalidInput(field, Msg("number.not_whole", v=_number_text(value), a=a, b=b))
        number = int(text)
    if not minimum <= number <= maximum:
        raise InvalidInput(field, Msg("number.out_of_range", v=_number_text(number), a=a, b=b))
    return number


def validate_days(value: Any, field: str = "days") -> int:
    """A retention period: 1 to :data:`MAX_RETENTION_DAYS` days."""
    return validate_whole_number(value, field, minimum=1, maximum=MAX_RETENTION_DAYS)


def validate_seconds(value: Any, field: str = "timeout", *, maximum: float = MAX_TIMEOUT) -> float:
    """A wait in seconds: a finite number above 0, at most ``maximum``."""
    most = f"{maximum:g}"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidInput(field, Msg("seconds.wrong_type", m=most, t=type(value).__name__))
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"[+-]?(?:[0-9]{1,20}(?:\.[0-9]{0,20})?|\.[0-9]{1,20})"
                            r"(?:[eE][+-]?[0-9]{1,3})?", text):
            raise InvalidInput(field, Msg("seconds.not_number", v=_number_text(value), m=most))
        seconds = float(text)
    else:
        seconds = float(value)
    if not math.isfinite(seconds) or not 0 < seconds <= maximum:
        raise InvalidInput(field, Msg("seconds.out_of_range", v=_number_text(value), m=most))
    return seconds


def validate_day(day: date, field: str) -> date:
    """A calendar day the records can be filtered by (:data:`MIN_DATE` to :data:`MAX_DATE`)."""
    if not MIN_DATE <= day <= MAX_DATE:
        raise InvalidInput(field, Msg("date.out_of_range", v=day.isoformat(),
                                      a=MIN_DATE.isoformat(), b=MAX_DATE.isoformat()))
    return day


def validate_instant(value: datetime, field: str) -> datetime:
    """A point in time whose day (as written) lies in the range of :func:`validate_day`."""
    validate_day(value.date(), field)
    return value


def validate_argument(value: str, field: str) -> str:
    """One command-line argument: text (no NUL byte, valid UTF-8) of a bounded length."""
    if "\x00" in value:
        raise InvalidInput(field, Msg("argument.nul"))
    if not _encodable(value):
        raise InvalidInput(field, Msg("argument.not_utf8"))
    if len(value) > MAX_ARGUMENT:
        raise InvalidInput(field, Msg("argument.too_long", n=f"{len(value):,}",
                                      m=f"{MAX_ARGUMENT:,}"))
    return value


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
