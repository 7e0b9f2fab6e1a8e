"""the OPD's request letter as the berita acara cites it: its number and date

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN: SQLite adds a nullable column in place, without copying the table.
    op.add_column("ticket", sa.Column("letter_number", sa.String(length=80), nullable=True))
    op.add_column("ticket", sa.Column("letter_date", sa.Date(), nullable=True))


def downgrade() -> None:
    # In place (SQLite's DROP COLUMN): a table copy would trip over the rows that refer to tickets.
    with op.batch_alter_table("ticket", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("letter_date")
        batch_op.drop_column("letter_number")
