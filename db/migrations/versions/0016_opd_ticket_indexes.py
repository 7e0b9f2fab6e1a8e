"""partial indexes for an OPD's ticket list (/status of a reporter): open ones, finished ones

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As db.models spells them (the queries render these terms literally, in this order).
OPEN_TICKET = (
    "status IN ('NEW', 'DISPOSED', 'CHECKING', 'AWAITING_APPROVAL', 'REPAIRING', 'REPAIRED', "
    "'ON_HOLD')"
)
DONE_TICKET = "status IN ('CLOSED', 'CANCELLED')"


def upgrade() -> None:
    op.create_index(
        "ix_ticket_opd_open",
        "ticket",
        ["opd_id", "received_at", "id"],
        sqlite_where=sa.text(OPEN_TICKET),
        postgresql_where=sa.text(OPEN_TICKET),
    )
    op.create_index(
        "ix_ticket_opd_done",
        "ticket",
        ["opd_id", "received_at", "id"],
        sqlite_where=sa.text(DONE_TICKET),
        postgresql_where=sa.text(DONE_TICKET),
    )


def downgrade() -> None:
    op.drop_index("ix_ticket_opd_done", table_name="ticket")
    op.drop_index("ix_ticket_opd_open", table_name="ticket")
