"""Logging for the GUI and the CLI: a rotating file in the data folder.

Messages use %-style arguments and never carry a secret; the transport redacts AUTH
exchanges before anything is logged.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from .config import log_dir

_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


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
            handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
            )
            handler.setFormatter(logging.Formatter(_FORMAT))
            handler.setLevel(level)
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
