"""Migration 0005: existing tickets get their current stage from the event log."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from sqlalchemy import text

from db.migrate import alembic_config, upgrade_async
from db.session import create_engine

AT = "2026-11-30 0{}:00:00.000000"


async def test_upgrade_backfills_the_stage_and_keeps_old_firings(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'stage.db'}"
    await upgrade_async(url, "0004")
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO user_account (id, telegram_id, full_name, active, created_at) "
                    "VALUES (1, 11, 'Siti', 1, :at)"
                ),
                {"at": AT.format(1)},
            )
            await conn.execute(
                text(
                    "INSERT INTO ticket (id, number, opd_id, reporter_id, status, category, "
                    "impact, location, description, contact_phone, letter_status, received_at, "
                    "target_due_at, deadline_due_at, updated_at, reopen_count) VALUES "
                    "(1, 'BN-2026-00001', 1, 1, 'ON_HOLD', 'slow', 'one_room', 'TU', 'x', "
                    "'0812', 'follows', :at, :at, :at, :at, 0)"
                ),
                {"at": AT.format(1)},
            )
            # reported, disposed, claimed, material requested, reassigned, held, an SLA step
            events = [
                (1, None, "NEW"),
                (2, "NEW", "DISPOSED"),
                (3, "DISPOSED", "CHECKING"),
                (4, "CHECKING", "AWAITING_APPROVAL"),
                (5, "AWAITING_APPROVAL", "AWAITING_APPROVAL"),
                (6, "AWAITING_APPROVAL", "ON_HOLD"),
                (7, None, None),
            ]
            for hour, before, after in events:
                await conn.execute(
                    text(
                        "INSERT INTO ticket_event (id, ticket_id, at, kind, from_status, "
                        "to_status) VALUES (:id, 1, :at, 'x', :before, :after)"
                    ),
                    {"id": hour, "at": AT.format(hour), "before": before, "after": after},
                )
            await conn.execute(
                text(
                    "INSERT INTO sla_firing (ticket_id, step, fired_at) "
                    "VALUES (1, 'response_reminder', :at)"
                ),
                {"at": AT.format(2)},
            )
    finally:
        await engine.dispose()

    await upgrade_async(url)
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            stage = (
                await conn.execute(text("SELECT state_entry_id, state_entered_at FROM ticket"))
            ).one()
            firing = (await conn.execute(text("SELECT step, entry_id FROM sla_firing"))).one()
    finally:
        await engine.dispose()
    assert tuple(stage) == (4, AT.format(4))  # the request, not the reassignment or the hold
    assert tuple(firing) == ("response_reminder", 0)

    await asyncio.to_thread(command.downgrade, alembic_config(url), "0004")
