"""API tokens for the web server's write endpoints (`sahelwatch token create`). Only a SHA-256 digest of
each token is stored: the token itself is shown once, when it is made.

Revision ID: 0003_web
Revises: 0004_ops
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_web"
down_revision = "0004_ops"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("token_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("api_tokens")
