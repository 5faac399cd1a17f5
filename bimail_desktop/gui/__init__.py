"""The desktop GUI (PySide6): the only package that imports Qt."""

import sys


def _keep_none_alive() -> None:
    """PySide6 6.12 gives back ``None`` from some calls (``processEvents``, slots that
    return nothing) one reference short. Python 3.12 and newer never free ``None``; on
    3.11 every such call lowers its count, and after some tens of thousands of events the
    program stops with "Fatal Python error: none_dealloc". Giving ``None`` a count no
    window session can use up keeps the window running (what 3.12 does for every
    interpreter)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    count = ctypes.c_ssize_t.from_address(id(None))
    if count.value < 1 << 40:
        count.value += 1 << 40


_keep_none_alive()


def _uses_pyside(module: object) -> bool:
    """Whether ``module``'s source mentions PySide6 — what PySide6 asks of every module
    imported after it — read as bytes instead of through ``inspect.getsource``."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False  # built-in, extension or source-less: inspect finds no source either
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def lighten_import_hook() -> None:
    """PySide6 checks every module imported after it for the word "PySide6" in its source
    (for ``from __feature__ import …``, which this program does not use) with
    ``inspect.getsource``: decoding and splitting each file into lines, kept in
    ``linecache``. For the few hundred modules the window imports after Qt that is a tenth
    of its start-up. The same check on the file's bytes gives the same answer at a fraction
    of the cost. Nothing changes where PySide6 has no such check."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _uses_pyside  # type: ignore[attr-defined]
