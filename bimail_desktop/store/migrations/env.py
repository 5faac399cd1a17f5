"""Alembic environment: always run from the program with a live connection."""

from __future__ import annotations

from alembic import context

from bimail_desktop.store import relay_schema  # noqa: F401  (its tables join Base.metadata)
from bimail_desktop.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the program always passes one
    raise RuntimeError("bimail-desktop runs its migrations itself at start-up")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite needs batch mode for ALTER TABLE
)
with context.begin_transaction():
    context.run_migrations()
