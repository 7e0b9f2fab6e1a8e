"""the SKM survey (PermenPANRB 14/2017): anonymous responses and per-quarter participation

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "skm_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answered_day", sa.DateTime(timezone=True), nullable=False),
        *(sa.Column(f"u{n}", sa.Integer(), nullable=False) for n in range(1, 10)),
        sa.Column("age_bracket", sa.String(length=8), nullable=True),
        sa.Column("sex", sa.String(length=8), nullable=True),
        sa.Column("education", sa.String(length=8), nullable=True),
        sa.Column("occupation", sa.String(length=12), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skm_response")),
    )
    with op.batch_alter_table("skm_response", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_skm_response_answered_day"), ["answered_day"], unique=False
        )
    op.create_table(
        "skm_participation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_skm_participation_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skm_participation")),
        sa.UniqueConstraint("user_id", "quarter", name=op.f("uq_skm_participation_user_id")),
    )


def downgrade() -> None:
    op.drop_table("skm_participation")
    with op.batch_alter_table("skm_response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_skm_response_answered_day"))
    op.drop_table("skm_response")
