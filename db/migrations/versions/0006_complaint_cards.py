"""complaint cards: the card mapping and the outbox also know complaints

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Neither table is referenced by another, so SQLite may copy them.
    with op.batch_alter_table("ticket_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("complaint_id", sa.Integer(), nullable=True))
        batch_op.alter_column("ticket_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_ticket_message_complaint_id_complaint"),
            "complaint",
            ["complaint_id"],
            ["id"],
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_ticket_message_complaint_id"), ["complaint_id", "chat_id", "purpose"]
        )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("complaint_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_complaint_id_complaint"), "complaint", ["complaint_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_complaint_id_complaint"), type_="foreignkey"
        )
        batch_op.drop_column("complaint_id")
    # Complaint cards cannot be kept without their complaint column: they are forgotten (a
    # later edit posts a fresh card).
    op.execute("DELETE FROM ticket_message WHERE ticket_id IS NULL")
    with op.batch_alter_table("ticket_message", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_ticket_message_complaint_id"), type_="unique")
        batch_op.drop_constraint(
            batch_op.f("fk_ticket_message_complaint_id_complaint"), type_="foreignkey"
        )
        batch_op.alter_column("ticket_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("complaint_id")
