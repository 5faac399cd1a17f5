"""Files the user names as input or output: read with a size bound, never a device.

A template's HTML body, a configuration file or a certificate is read whole into memory; a
path such as ``/dev/zero`` or a named pipe would never end (or never start), and a huge file
would take the memory of the machine. Only regular files are read, and at most a fixed
number of bytes; anything else is refused as invalid input naming the field, before anything
is changed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..domain.errors import InvalidInput
from ..domain.validation import MAX_INPUT_FILE


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size / 1024:g} KB"


def read_input_file(path: str | os.PathLike[str], field: str, *,
                    limit: int = MAX_INPUT_FILE) -> bytes:
    """The bytes of the regular file ``path``; at most ``limit`` bytes, else refused."""
    target = Path(path).expanduser()
    if not str(path) or "\x00" in str(path):
        raise InvalidInput(field, "give the path of a file")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        # non-blocking: opening a named pipe must not wait for a writer
        descriptor = os.open(target, flags)
    except FileNotFoundError:
        raise InvalidInput(field, f"the file '{target}' does not exist") from None
    except IsADirectoryError:
        raise InvalidInput(field, f"'{target}' is a folder; give a file") from None
    except OSError as exc:
        raise InvalidInput(field, f"the file '{target}' cannot be read "
                                  f"({exc.strerror or exc})") from None
    except ValueError:  # a path the system cannot even name
        raise InvalidInput(field, "give the path of a file") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise InvalidInput(field, f"'{target}' is a folder; give a file")
        raise InvalidInput(field, f"'{target}' is not a regular file (a device, a pipe or a "
                                  "socket); give a file")
    with os.fdopen(descriptor, "rb") as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise InvalidInput(field, f"the file '{target}' cannot be read "
                                      f"({exc.strerror or exc})") from None
    if len(data) > limit:
        raise InvalidInput(field, f"the file '{target}' is larger than {_size_text(limit)}; "
                                  "give a smaller file")
    return data


def read_text_file(path: str | os.PathLike[str], field: str, *,
                   limit: int = MAX_INPUT_FILE) -> str:
    """The UTF-8 text (with or without BOM) of the regular file ``path``, size-bounded."""
    data = read_input_file(path, field, limit=limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(field, f"the file '{Path(path).expanduser()}' is not UTF-8 text; "
                                  "save it as UTF-8 and try again") from None


def check_output_path(path: str | os.PathLike[str], field: str) -> Path:
    """A path a file can be written to: it names a file (not a folder) in a folder that
    exists. Refused as invalid input otherwise, before anything is written."""
    text = str(path)
    if not text.strip() or "\x00" in text:
        raise InvalidInput(field, "give the name of the file to write")
    target = Path(path).expanduser()
    if not target.name or target.is_dir():
        raise InvalidInput(field, f"'{target}' is a folder; give a file name")
    if not target.parent.is_dir():
        raise InvalidInput(field, f"the folder '{target.parent}' does not exist; create it "
                                  "or give another file name")
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target  # a new file
    except OSError as exc:
        raise InvalidInput(field, f"cannot write '{target}': {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        # a device, a pipe or a socket is never replaced by the file written
        raise InvalidInput(field, f"'{target}' is not a regular file (a device, a pipe or a "
                                  "socket); give a file name")
    return target
