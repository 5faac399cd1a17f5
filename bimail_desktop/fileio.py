"""The one way the program writes a file the user asked for (configuration export, sending
records CSV, diagnostics report) or keeps for itself (the pending keychain clean-up, the relay's
status file).

A file is written completely or not at all:

* the text goes to a temporary file next to the target, is flushed to disk, and then takes the
  target's place in one step (``os.replace``), so a reader never sees half a file and a failed
  write leaves the old file as it was;
* a symbolic link is written through: the file it points to is replaced, the link stays;
* only a regular file or a new name in an existing folder is written. A folder, a device
  (``/dev/stdout``), a pipe or a socket is refused before anything is written;
* every failure (missing folder, no permission, no space left, cancel) removes the temporary
  file and raises ``invalid_input`` naming the field, the path and what to do. Nothing else
  escapes: no ``OSError`` reaches the CLI or the window.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .domain.errors import InvalidInput
from .domain.texts import Msg

__all__ = ["atomic_write", "check_target", "read_limited", "write_text"]

# what the user is told to do about each kind of OS failure
_FIXES = {
    errno.ENOSPC: Msg("file.fix.full"),
    errno.EDQUOT: Msg("file.fix.quota"),
    errno.EACCES: Msg("file.fix.denied"),
    errno.EPERM: Msg("file.fix.denied"),
    errno.EROFS: Msg("file.fix.read_only"),
    errno.ENAMETOOLONG: Msg("file.fix.name_too_long"),
    errno.ENOENT: Msg("file.fix.no_folder"),
    errno.ENOTDIR: Msg("file.fix.not_folder"),
    errno.EISDIR: Msg("file.fix.is_folder"),
}


def _os_problem(path: Path, exc: OSError) -> Msg:
    """The OS's own reason is quoted as it is; what to do comes from the catalogue."""
    reason = exc.strerror or type(exc).__name__
    fix = _FIXES.get(exc.errno or 0, Msg("file.fix.other"))
    return Msg("file.cannot_write", path=str(path), reason=reason, fix=fix)


def check_target(path: str | os.PathLike[str], field: str = "path") -> Path:
    """The regular file that writing ``path`` will replace (a symbolic link resolved to the
    file it points to), or the new file's path. Anything else is ``invalid_input`` naming
    ``field``: an empty path, a folder, a device, a pipe, a missing folder."""
    text = os.fspath(path) if path is not None else ""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(field, Msg("file.no_name"))
    if "\x00" in text:
        raise InvalidInput(field, Msg("file.nul"))
    given = Path(text)
    try:
        info = os.stat(given)  # follows symbolic links
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InvalidInput(field, _os_problem(given, exc)) from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise InvalidInput(field, Msg("file.is_folder", path=str(given)))
        if not stat.S_ISREG(info.st_mode):
            raise InvalidInput(field, Msg("file.not_regular", path=str(given)))
    # a link (also a dangling one) is written through to the file it names
    target = Path(os.path.realpath(given))
    folder = target.parent
    if not folder.is_dir():
        raise InvalidInput(field, Msg("file.no_folder", path=str(folder)))
    return target


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str],
    *,
    field: str = "path",
    encoding: str = "utf-8",
    newline: str | None = None,
) -> Iterator[IO[str]]:
    """Open ``path`` for writing text, all or nothing (see the module's docstring).

        with atomic_write(path, field="file") as handle:
            handle.write(text)

    The file takes the target's place when the block ends without an exception. An
    exception in the block (a cancel, say) removes the temporary file and is raised as it
    is; an ``OSError`` anywhere becomes ``invalid_input`` naming ``field`` and the path."""
    target = check_target(path, field)
    shown = Path(os.fspath(path))
    try:
        existing_mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        existing_mode = None
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{target.name[:100]}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise InvalidInput(field, _os_problem(shown, exc)) from None
    temp = Path(temp_name)
    try:
        handle = os.fdopen(fd, "w", encoding=encoding, newline=newline)
    except BaseException:
        os.close(fd)
        temp.unlink(missing_ok=True)
        raise
    try:
        try:
            with handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            # mkstemp makes the file private; give it the mode the old file had, or the
            # mode a new file gets from the user's umask
            os.chmod(temp, existing_mode if existing_mode is not None else _default_mode())
            os.replace(temp, target)
        except OSError as exc:
            raise InvalidInput(field, _os_problem(shown, exc)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise


def write_text(path: str | os.PathLike[str], text: str, *, field: str = "path",
               encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` all or nothing; returns the path written (a symbolic link
    given is kept, the file it points to is replaced)."""
    with atomic_write(path, field=field, encoding=encoding) as handle:
        handle.write(text)
    return Path(os.fspath(path))


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def read_limited(path: str | os.PathLike[str], limit: int, *, field: str = "file") -> bytes:
    """The bytes of the regular file ``path``, refused with ``invalid_input`` naming ``field``
    when it is missing, not a regular file, or larger than ``limit`` bytes (read in bounded
    memory: a device like /dev/zero is refused, never read)."""
    given = Path(os.fspath(path))

    def check(info: os.stat_result) -> None:
        if stat.S_ISDIR(info.st_mode):
            raise InvalidInput(field, Msg("file.is_folder_read", path=str(given)))
        if not stat.S_ISREG(info.st_mode):
            raise InvalidInput(field, Msg("file.not_regular", path=str(given)))

    try:
        check(os.stat(given))  # before opening: opening a pipe would wait for a writer
        with open(given, "rb") as handle:
            check(os.fstat(handle.fileno()))
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise InvalidInput(field, Msg("file.missing", path=str(given))) from None
    except IsADirectoryError:
        raise InvalidInput(field, Msg("file.is_folder_read", path=str(given))) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InvalidInput(field, Msg("file.cannot_read", path=str(given),
                                      reason=reason)) from None
    if len(data) > limit:
        raise InvalidInput(field, Msg("file.too_large", path=str(given), size=_size(limit)))
    return data


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
