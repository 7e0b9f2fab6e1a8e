"""partial indexes for the lists of open tickets (a technician's jobs, the unclaimed ones)

Revision ID: 0014
Revises: 0010
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As db.models spells them (the queries repeat these terms literally).
OPEN_TICKET = (
    "status IN ('NEW', 'DISPOSED', 'CHECKING', 'AWAITING_APPROVAL', 'REPAIRING', 'REPAIRED', "
    "'ON_HOLD')"
)
UNASSIGNED = "assignee_id IS NULL"


def upgrade() -> None:
    op.create_index(
        "ix_ticket_open_assignee",
        "ticket",
        ["assignee_id", "received_at", "id"],
        sqlite_where=sa.text(OPEN_TICKET),
        postgresql_where=sa.text(OPEN_TICKET),
    )
    op.create_index(
        "ix_ticket_unassigned",
        "ticket",
        ["status", "received_at", "id"],
        sqlite_where=sa.text(UNASSIGNED),
        postgresql_where=sa.text(UNASSIGNED),
    )


def downgrade() -> None:
    op.drop_index("ix_ticket_unassigned", table_name="ticket")
    op.drop_index("ix_ticket_open_assignee", table_name="ticket")
