"""sla rounds: the stage a ticket is in, and ladder steps that fire once per stage

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The event that started a ticket's current stage: the last one that changed its state, other
# than a hold or a resume (a held ticket resumes the same stage).
_STAGE_EVENT = """
    SELECT max(e.id) FROM ticket_event e
    WHERE e.ticket_id = ticket.id
      AND e.to_status IS NOT NULL
      AND e.to_status <> 'ON_HOLD'
      AND (e.from_status IS NULL OR (e.from_status <> e.to_status AND e.from_status <> 'ON_HOLD'))
"""


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("state_entered_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("state_entry_id", sa.Integer(), nullable=True))
    op.execute(f"UPDATE ticket SET state_entry_id = ({_STAGE_EVENT})")  # noqa: S608 - constant
    op.execute(
        "UPDATE ticket SET state_entered_at = "
        "(SELECT e.at FROM ticket_event e WHERE e.id = ticket.state_entry_id) "
        "WHERE state_entry_id IS NOT NULL"
    )
    with op.batch_alter_table("sla_firing", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("entry_id", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.drop_constraint("uq_sla_firing_ticket_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_sla_firing_ticket_id", ["ticket_id", "step", "entry_id"]
        )


def downgrade() -> None:
    # Keep one firing per (ticket, step) so the old unique key can be restored.
    op.execute(
        "DELETE FROM sla_firing WHERE id NOT IN "
        "(SELECT min(id) FROM sla_firing GROUP BY ticket_id, step)"
    )
    with op.batch_alter_table("sla_firing", schema=None) as batch_op:
        batch_op.drop_constraint("uq_sla_firing_ticket_id", type_="unique")
        batch_op.create_unique_constraint("uq_sla_firing_ticket_id", ["ticket_id", "step"])
        batch_op.drop_column("entry_id")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): copying the ticket table would fail on
    # SQLite with foreign keys on once other tables refer to tickets.
    with op.batch_alter_table("ticket", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("state_entry_id")
        batch_op.drop_column("state_entered_at")
