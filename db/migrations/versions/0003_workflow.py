"""workflow

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "berita_acara",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("signatory_name", sa.String(length=100), nullable=False),
        sa.Column("signatory_nip", sa.String(length=18), nullable=True),
        sa.Column("signatory_position", sa.String(length=100), nullable=False),
        sa.Column("signed_by_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verification_code", sa.String(length=16), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["signed_by_id"],
            ["user_account.id"],
            name=op.f("fk_berita_acara_signed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_berita_acara_ticket_id_ticket")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_berita_acara")),
        sa.UniqueConstraint("number", name=op.f("uq_berita_acara_number")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_berita_acara_ticket_id")),
    )
    op.create_table(
        "material_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("technician_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_material_request_decided_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["technician_id"],
            ["user_account.id"],
            name=op.f("fk_material_request_technician_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_material_request_ticket_id_ticket")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_material_request")),
    )
    with op.batch_alter_table("material_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_material_request_ticket_id"), ["ticket_id"], unique=False
        )

    op.create_table(
        "repair_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("technician_id", sa.Integer(), nullable=False),
        sa.Column("diagnosis", sa.Text(), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["technician_id"],
            ["user_account.id"],
            name=op.f("fk_repair_report_technician_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_repair_report_ticket_id_ticket")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repair_report")),
    )
    with op.batch_alter_table("repair_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_repair_report_ticket_id"), ["ticket_id"], unique=False
        )

    op.create_table(
        "material_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("specification", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["material_request.id"],
            name=op.f("fk_material_item_request_id_material_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_material_item")),
    )
    with op.batch_alter_table("material_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_material_item_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "replaced_equipment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("old_serial", sa.String(length=64), nullable=True),
        sa.Column("new_serial", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["repair_report.id"],
            name=op.f("fk_replaced_equipment_report_id_repair_report"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replaced_equipment")),
    )
    with op.batch_alter_table("replaced_equipment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_replaced_equipment_report_id"), ["report_id"], unique=False
        )

    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("classification", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("disposition_note", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("reopen_count", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("rating", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("rating_comment", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_column("rating_comment")
        batch_op.drop_column("rating")
        batch_op.drop_column("reopen_count")
        batch_op.drop_column("disposition_note")
        batch_op.drop_column("classification")

    with op.batch_alter_table("replaced_equipment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_replaced_equipment_report_id"))

    op.drop_table("replaced_equipment")
    with op.batch_alter_table("material_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_material_item_request_id"))

    op.drop_table("material_item")
    with op.batch_alter_table("repair_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_repair_report_ticket_id"))

    op.drop_table("repair_report")
    with op.batch_alter_table("material_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_material_request_ticket_id"))

    op.drop_table("material_request")
    op.drop_table("berita_acara")
