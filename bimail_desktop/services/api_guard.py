"""Type checks at the doors of the Python API.

Other programs call the :class:`~bimail_desktop.services.mailbox.Mailbox` directly. A value
of the wrong kind — ``send("Daily", None)``, a port of ``float("nan")``, a list where a name
belongs — must come back as ``invalid_input`` naming the argument, not as a ``TypeError``
from deep inside (or, worse, half a change). Each public method is wrapped once, when the
mailbox is built: its annotations say what each argument may be, and a value that fits none
of the kinds is refused before the method runs.

The check is deliberately about kinds, not values (the validators check values): text where
text belongs (a number given as text is allowed where a number is, as the CLI and forms give
them), a finite number where a number belongs, a list or a mapping where one belongs, a path
where a file is named. Annotations naming a class check ``isinstance``; what cannot be read
is not checked.
"""

from __future__ import annotations

import functools
import inspect
import math
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..domain.errors import InvalidInput
from ..domain.texts import Msg

# a value passes when any of its annotation's kinds accepts it
Check = Callable[[Any], bool]
_INT_RANGE = 2**63


def _is_int(value: Any) -> bool:
    if isinstance(value, str):
        return True  # "587": the validators parse it
    return isinstance(value, int) and not isinstance(value, bool) \
        and -_INT_RANGE <= value < _INT_RANGE


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and math.isfinite(value)


def _is_path(value: Any) -> bool:
    return isinstance(value, str | os.PathLike)


def _is_sequence(value: Any) -> bool:
    return isinstance(value, Iterable) and not isinstance(value, bytes | bytearray | Mapping)


# what each kind is called in an error ("give text, not NoneType")
_TEXT, _WHOLE, _NUMBER = Msg("api.type.text"), Msg("api.type.whole_number"), Msg("api.type.number")
_BYTES, _NOTHING, _PATH = Msg("api.type.bytes"), Msg("api.type.nothing"), Msg("api.type.path")
_LIST, _MAPPING, _FUNCTION = Msg("api.type.list"), Msg("api.type.mapping"), Msg("api.type.function")

_SIMPLE: dict[str, tuple[Check, Msg]] = {
    "str": (lambda v: isinstance(v, str), _TEXT),
    "int": (_is_int, _WHOLE),
    "float": (_is_number, _NUMBER),
    "bytes": (lambda v: isinstance(v, bytes | bytearray | memoryview), _BYTES),
    "None": (lambda v: v is None, _NOTHING),
    "Path": (_is_path, _PATH),
    "PathLike": (_is_path, _PATH),
    "Sequence": (_is_sequence, _LIST),
    "Iterable": (_is_sequence, _LIST),
    "Collection": (_is_sequence, _LIST),
    "list": (lambda v: isinstance(v, list | tuple), _LIST),
    "tuple": (lambda v: isinstance(v, list | tuple), _LIST),
    "Mapping": (lambda v: isinstance(v, Mapping), _MAPPING),
    "dict": (lambda v: isinstance(v, Mapping), _MAPPING),
    "Callable": (callable, _FUNCTION),
}
_ANYTHING = {"Any", "object", "bool"}


def _split_union(annotation: str) -> list[str]:
    """``"str | Mapping[str, Any] | None"`` -> its alternatives (brackets respected)."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(annotation):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(annotation[start:index].strip())
            start = index + 1
    parts.append(annotation[start:].strip())
    return parts


def _kind(alternative: str, namespace: Mapping[str, Any]) -> tuple[Check, Msg] | None:
    """The check of one alternative; None when it accepts anything or cannot be read."""
    base = alternative.split("[", 1)[0].strip()
    short = base.rsplit(".", 1)[-1]  # os.PathLike, collections.abc.Mapping
    if short in _ANYTHING:
        return None
    if short in _SIMPLE:
        return _SIMPLE[short]
    found = namespace.get(base)
    if isinstance(found, type):
        return (lambda v, cls=found: isinstance(v, cls)), Msg("api.type.object", n=found.__name__)
    return None  # a name only known to the type checker: not checked


def _checker(annotation: Any, namespace: Mapping[str, Any]) -> tuple[Check, Msg] | None:
    """(accepts, what the first kind is called) for one parameter; None: not checked."""
    if not isinstance(annotation, str) or not annotation:
        return None
    checks: list[Check] = []
    wanted: Msg | None = None
    for alternative in _split_union(annotation):
        kind = _kind(alternative, namespace)
        if kind is None:
            return None  # one alternative accepts anything: nothing to check
        checks.append(kind[0])
        if wanted is None or wanted is _NOTHING:
            wanted = kind[1]
    assert wanted is not None

    def accepts(value: Any) -> bool:
        return any(check(value) for check in checks)

    return accepts, wanted


def _describe(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)  # nan, inf
    return type(value).__name__


@functools.cache
def _plan(function: Callable[..., Any]) -> tuple[tuple[str, ...], dict[str, tuple[Check, Msg]]]:
    """(names of the positional parameters after ``self``, checks by parameter name) of
    one method's function: read once per function, not per mailbox opened."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return (), {}
    namespace = getattr(function, "__globals__", {})
    checks: dict[str, tuple[Check, Msg]] = {}
    names: list[str] = []
    for parameter in list(signature.parameters.values())[1:]:  # after self
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if parameter.kind is not parameter.KEYWORD_ONLY:
            names.append(parameter.name)
        found = _checker(parameter.annotation, namespace)
        if found is not None:
            checks[parameter.name] = found
    return tuple(names), checks


def guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    """The bound ``method`` refusing arguments of the wrong kind with ``invalid_input``;
    also a wrapper of one (``functools.wraps``), checked by the method it wraps. The
    method's signature is read on its first call (once per function): opening a mailbox
    does not pay for the methods a command never calls."""
    inner = inspect.unwrap(method, stop=inspect.ismethod)
    function = getattr(inner, "__func__", None)
    if function is None:
        return method

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        names, checks = _plan(function)
        if checks:
            for name, value in (*zip(names, args, strict=False), *kwargs.items()):
                found = checks.get(name)
                if found is not None and not found[0](value):
                    raise InvalidInput(name, Msg("api.wrong_type", e=found[1],
                                                 t=_describe(value)))
        return method(*args, **kwargs)

    return wrapper
