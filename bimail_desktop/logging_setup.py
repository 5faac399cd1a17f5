"""Logging for the GUI and the CLI: a rotating file in the data folder.

Messages use %-style arguments and never carry a secret; the transport redacts AUTH
exchanges before anything is logged.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .config import log_dir

_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


class _LogFile(logging.Handler):
    """The rotating log file, opened when the first message is written: most commands
    write none, and then need not import ``logging.handlers`` (and its sockets) at all.
    A file that cannot be opened (a read-only data folder) is given up quietly: logging
    must never stop the program."""

    def __init__(self, path: Path, level: int) -> None:
        super().__init__(level)
        self.path = path
        self._file: logging.Handler | None = None
        self._unusable = False

    def _opened(self) -> logging.Handler | None:
        if self._file is None and not self._unusable:
            import logging.handlers

            try:
                self._file = logging.handlers.RotatingFileHandler(
                    self.path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
            except OSError:
                self._unusable = True
                return None
            self._file.setFormatter(self.formatter)
        return self._file

    def emit(self, record: logging.LogRecord) -> None:
        target = self._opened()
        if target is not None:
            target.emit(record)  # under this handler's lock (Handler.handle)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def setup_logging(level: int = logging.INFO, *, to_file: bool = True,
                  console_level: int | None = logging.WARNING) -> Path | None:
    """Configure the root logger once; returns the log file's path (or None)."""
    root = logging.getLogger()
    if getattr(root, "_bimail_configured", False):
        return getattr(root, "_bimail_logfile", None)
    root.setLevel(level)
    path: Path | None = None
    if to_file:
        try:
            path = log_dir() / "bimail.log"
            handler = _LogFile(path, level)
            handler.setFormatter(logging.Formatter(_FORMAT))
            root.addHandler(handler)
        except OSError:
            path = None  # a read-only data folder must not stop the program
    if console_level is not None:
        console = logging.StreamHandler()
        console.setLevel(console_level)
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(console)
    root._bimail_configured = True  # type: ignore[attr-defined]
    root._bimail_logfile = path  # type: ignore[attr-defined]
    return path
