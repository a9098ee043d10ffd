"""Operations: the watch ledger and source state, alerts with their analyst state, and event merges.

Revision ID: 0004_ops
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_ops"
down_revision = "0002"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "watch_ledger",
        sa.Column("ledger_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(128), nullable=False),
        sa.Column("doc_key", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("document_id", sa.String(64)),
        sa.Column("payload", sa.Text),
        sa.Column("events_new", sa.Integer),
        sa.Column("events_merged", sa.Integer),
        sa.Column("error", sa.Text),
        sa.Column("first_seen", _TZ, nullable=False),
        sa.Column("updated_at", _TZ, nullable=False),
    )
    op.create_index("ux_ledger_key_hash", "watch_ledger", ["source", "doc_key", "content_hash"], unique=True)
    op.create_index("ix_ledger_status", "watch_ledger", ["status"])
    op.create_table(
        "watch_sources",
        sa.Column("source", sa.String(128), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("cursor", sa.Text),
        sa.Column("first_attempt", _TZ),
        sa.Column("last_attempt", _TZ),
        sa.Column("last_success", _TZ),
        sa.Column("last_new", _TZ),
        sa.Column("last_status", sa.String(16)),
        sa.Column("last_error", sa.Text),
        sa.Column("failures", sa.Integer),
        sa.Column("items_last", sa.Integer),
        sa.Column("items_history", sa.Text),
    )
    op.create_table(
        "alerts",
        sa.Column("alert_id", sa.String(40), primary_key=True),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("admin1", sa.Text),
        sa.Column("week", sa.Date),
        sa.Column("numbers", sa.Text),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("raised_at", _TZ, nullable=False),
        sa.Column("state_at", _TZ),
        sa.Column("state_note", sa.Text),
        sa.Column("delivered", sa.Text),
    )
    op.create_index("ix_alerts_rule_place", "alerts", ["rule", "place"])
    op.create_index("ix_alerts_state", "alerts", ["state"])
    op.create_table(
        "event_merges",
        sa.Column("merge_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id_cnty", sa.String(64), nullable=False),
        sa.Column("absorbed_id", sa.String(64), nullable=False),
        sa.Column("absorbed", sa.Text, nullable=False),
        sa.Column("base", sa.Text),
        sa.Column("score", sa.Float),
        sa.Column("reason", sa.Text),
        sa.Column("merged_at", _TZ, nullable=False),
        sa.Column("undone_at", _TZ),
    )
    op.create_index("ix_merges_event", "event_merges", ["event_id_cnty"])
    op.create_index("ix_merges_absorbed", "event_merges", ["absorbed_id"])


def downgrade() -> None:
    for name in ("event_merges", "alerts", "watch_sources", "watch_ledger"):
        op.drop_table(name)
