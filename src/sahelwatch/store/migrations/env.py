"""Alembic environment: the store passes its live connection in ``config.attributes``."""

from alembic import context

from sahelwatch.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when alembic is run by hand
    raise RuntimeError("run migrations through sahelwatch.open(), which provides the connection")

context.configure(
    connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite"
)
with context.begin_transaction():
    context.run_migrations()
