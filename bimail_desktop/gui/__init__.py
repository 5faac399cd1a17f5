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
