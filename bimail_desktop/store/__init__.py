"""The store: schema, engine and sessions, repositories, Alembic migrations."""

from .engine import Store, head_revision, open_store

__all__ = ["Store", "head_revision", "open_store"]
