"""berita acara confirmations by both parties, pangkat/golongan, the old device's disposition

Revision ID: 0009
Revises: 0011
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN (SQLite has it): a batch copy of user_account would drop a
    # table that other rows reference.
    op.add_column("user_account", sa.Column("rank", sa.String(length=60), nullable=True))
    op.add_column(
        "replaced_equipment", sa.Column("disposition", sa.String(length=16), nullable=True)
    )
    op.create_table(
        "ba_confirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("repair_report_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("username", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("nip", sa.String(length=18), nullable=True),
        sa.Column("position", sa.String(length=100), nullable=True),
        sa.Column("rank", sa.String(length=60), nullable=True),
        sa.Column("on_behalf_name", sa.String(length=100), nullable=True),
        sa.Column("on_behalf_position", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["repair_report_id"],
            ["repair_report.id"],
            name=op.f("fk_ba_confirmation_repair_report_id_repair_report"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_ba_confirmation_requested_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_ba_confirmation_ticket_id_ticket")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_ba_confirmation_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ba_confirmation")),
        sa.UniqueConstraint(
            "repair_report_id", "party", name=op.f("uq_ba_confirmation_repair_report_id")
        ),
    )
    with op.batch_alter_table("ba_confirmation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ba_confirmation_confirmed_at"), ["confirmed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ba_confirmation_ticket_id"), ["ticket_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ba_confirmation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ba_confirmation_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_ba_confirmation_confirmed_at"))
    op.drop_table("ba_confirmation")
    # ALTER TABLE DROP COLUMN (SQLite 3.35+), not a batch copy: see upgrade().
    op.drop_column("replaced_equipment", "disposition")
    op.drop_column("user_account", "rank")
