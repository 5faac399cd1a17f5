"""Every path and URL the program uses is decided here (like Vorta's config.py).

``BIMAIL_HOME`` moves the data folder; ``BIMAIL_DATABASE_URL`` (or ``--db``) points at any
SQLAlchemy URL. The folder is created private to the user.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "bimail-desktop"
APP_AUTHOR = "bimail"
KEYRING_SERVICE = "bimail-desktop"


def data_home() -> Path:
    override = os.environ.get("BIMAIL_HOME")
    if override:
        return Path(override).expanduser()
    import platformdirs  # not needed when BIMAIL_HOME is set; keeps start-up light

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=True))


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) readable by the user only.

    A folder that already exists is left as it is: the admin may point the store into a
    shared folder (``--db sqlite:////srv/bi/bimail.db``), whose permissions are not ours
    to change."""
    if path.is_dir():
        return path
    old = os.umask(0o077)
    try:
        path.mkdir(parents=True, exist_ok=True)
    finally:
        os.umask(old)
    if os.name == "posix":
        try:
            path.chmod(0o700)
        except OSError:
            pass
    return path


def default_store_file() -> Path:
    """The embedded SQLite store in the data folder (nothing is created here)."""
    return data_home() / "bimail.db"


def database_url(explicit: str | None = None) -> str:
    if explicit:
        return explicit
    env = os.environ.get("BIMAIL_DATABASE_URL")
    if env:
        return env
    path = default_store_file()
    ensure_private_dir(path.parent)
    return f"sqlite:///{path}"


def log_dir() -> Path:
    return ensure_private_dir(data_home() / "logs")
