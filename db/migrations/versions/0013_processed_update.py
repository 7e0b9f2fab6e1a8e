"""processed Telegram updates: each update id recorded with its effects (exactly-once)

Revision ID: 0013
Revises: 0016
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "processed_update",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_processed_update")),
    )
    op.create_index(
        "ix_processed_update_processed_at", "processed_update", ["processed_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_processed_update_processed_at", table_name="processed_update")
    op.drop_table("processed_update")
