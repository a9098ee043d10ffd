"""The first schema: events, their history, imports and rejections, documents, claims.

Revision ID: 0001
Revises:
"""
from alembic import op

from sahelwatch.store import schema

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TABLES = ("events", "events_history", "imports", "rejections", "documents", "claims")


def upgrade() -> None:
    # The baseline is created from the table definitions as they stand at revision 0001;
    # every later change to schema.py comes with its own revision using explicit ops.
    schema.metadata.create_all(op.get_bind(), tables=[schema.metadata.tables[t] for t in _TABLES])


def downgrade() -> None:
    schema.metadata.drop_all(op.get_bind(), tables=[schema.metadata.tables[t] for t in reversed(_TABLES)])
