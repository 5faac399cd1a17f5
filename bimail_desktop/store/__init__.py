"""The store: schema, engine and sessions, repositories, Alembic migrations.

``Store``, ``open_store`` and ``head_revision`` load the database library on first use, so
that the window's first look at the senders (:mod:`.glance`, the standard library only)
does not pay for it.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import Store, head_revision, open_store

__all__ = ["Store", "head_revision", "open_store"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
