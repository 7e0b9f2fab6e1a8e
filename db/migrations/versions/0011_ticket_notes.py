"""the ticket as a conversation: notes written inside a ticket and the posts that name one

Revision ID: 0011
Revises: 0014
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ticket_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=True),
        sa.Column("source_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("source_message_id", sa.BigInteger(), nullable=False),
        sa.Column("answers_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answers_id"], ["ticket_note.id"], name=op.f("fk_ticket_note_answers_id_ticket_note")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["ticket_event.id"], name=op.f("fk_ticket_note_event_id_ticket_event")
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["user_account.id"],
            name=op.f("fk_ticket_note_sender_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_ticket_note_ticket_id_ticket")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_note")),
    )
    with op.batch_alter_table("ticket_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_note_ticket_id"), ["ticket_id"], unique=False)
    op.create_table(
        "ticket_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["note_id"], ["ticket_note.id"], name=op.f("fk_ticket_post_note_id_ticket_note")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_ticket_post_ticket_id_ticket")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_post")),
        sa.UniqueConstraint("chat_id", "message_id", name=op.f("uq_ticket_post_chat_id")),
    )
    with op.batch_alter_table("ticket_post", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_post_ticket_id"), ["ticket_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket_post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_post_ticket_id"))
    op.drop_table("ticket_post")
    with op.batch_alter_table("ticket_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_note_ticket_id"))
    op.drop_table("ticket_note")
