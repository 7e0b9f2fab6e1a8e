"""berita acara verification: look-up by code, and the key of the codes kept in the database

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same key and length as bot.services.verification (a migration does not import the app).
_CODE_KEY_SETTING = "ba_secret"
_app_setting = sa.table("app_setting", sa.column("key", sa.String), sa.column("value", sa.String))


def upgrade() -> None:
    # `/verifikasi` finds a berita acara by the code printed on it.
    with op.batch_alter_table("berita_acara", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_berita_acara_verification_code"), ["verification_code"], unique=False
        )
    # The key of the codes is generated once, here, so two first signatures cannot race to
    # create it; the bot generates it itself should the row ever be missing.
    conn = op.get_bind()
    stored = conn.execute(
        sa.select(_app_setting.c.key).where(_app_setting.c.key == _CODE_KEY_SETTING)
    ).first()
    if stored is None:
        key = secrets.token_urlsafe(32)
        op.bulk_insert(_app_setting, [{"key": _CODE_KEY_SETTING, "value": key}])


def downgrade() -> None:
    # The key stays: codes printed with it remain checkable after a later upgrade.
    with op.batch_alter_table("berita_acara", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_berita_acara_verification_code"))
