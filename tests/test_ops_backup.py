"""Backups: a consistent SQLite copy while the bot writes, restored and served; the command line;
the start-up refusals of webhook mode."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.ops import backup
from bot.services.clock import FrozenClock
from bot.services.container import build_services
from tests.fakebot import FakeBotApi
from tests.harness import Harness, running
from tests.stories import SITI, file_report
from tests.test_entrypoint import run_bot

pytestmark = pytest.mark.auto_disposition

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _tickets(path: Path) -> list[tuple[int, str, int]]:
    """(id, number, events) of every ticket in a database file."""
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return list(
            conn.execute(
                "SELECT t.id, t.number, (SELECT count(*) FROM ticket_event e "
                "WHERE e.ticket_id = t.id) FROM ticket t ORDER BY t.id"
            )
        )


async def test_a_backup_taken_while_the_bot_writes_is_consistent_and_restores(
    harness: Harness, tmp_path: Path, api: FakeBotApi, clock: FrozenClock
) -> None:
    """Copies taken during a stream of reports hold whole reports only; a restored copy starts
    and shows the reporter the same tickets."""
    source = backup.sqlite_file(harness.services.settings.database_url)
    if source is None:
        pytest.skip("PostgreSQL is backed up with pg_dump")
    await harness.reporter(SITI)
    stop = asyncio.Event()

    async def write() -> int:
        filed = 0
        while not stop.is_set():
            await file_report(harness)
            filed += 1
        return filed

    writer = asyncio.create_task(write())
    copies = []
    for n in range(3):
        await asyncio.sleep(0.05)
        copies.append(
            await asyncio.to_thread(
                backup.backup_sqlite, source, tmp_path / "backups", NOW + timedelta(seconds=n)
            )
        )
    stop.set()
    filed = await writer
    final = backup.backup_sqlite(source, tmp_path / "backups", NOW + timedelta(minutes=1))

    everything = _tickets(source)
    assert len(everything) == filed >= 3
    for copy in copies:
        taken = _tickets(copy)
        # A snapshot: the reports filed before it, each with all of its events.
        assert taken == everything[: len(taken)]
    assert _tickets(final) == everything
    assert [p.name for p in sorted((tmp_path / "backups").iterdir())] == [
        "test-20261130T090000Z.db",
        "test-20261130T090001Z.db",
        "test-20261130T090002Z.db",
        "test-20261130T090100Z.db",
    ]

    # Restore: the copy becomes the database file of a fresh bot.
    restored = tmp_path / "restored" / "batiknet.db"
    restored.parent.mkdir()
    shutil.copy(final, restored)
    settings = Settings(
        **{
            **harness.services.settings.model_dump(),
            "database_url": f"sqlite+aiosqlite:///{restored}",
        }
    )
    services = build_services(settings, clock=clock)
    try:
        async with running(services, FakeBotApi(), clock) as h:
            await h.say(SITI, "/status")
            shown = h.last_reply(SITI).text
    finally:
        await services.close()
    for _, number, _ in everything[-3:]:
        assert number in shown


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    """Only the newest BACKUP_KEEP copies of the database stay; other files are left alone."""
    for day in range(1, 6):
        (tmp_path / f"batiknet-202611{day:02d}T170000Z.db").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("x")

    removed = backup.prune(tmp_path, "batiknet", ".db", keep=2)

    assert [p.name for p in removed] == [f"batiknet-202611{d:02d}T170000Z.db" for d in (1, 2, 3)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "batiknet-20261104T170000Z.db",
        "batiknet-20261105T170000Z.db",
        "notes.txt",
    ]


def test_the_backup_command_writes_a_timestamped_copy(tmp_path: Path) -> None:
    """`python -m bot backup DIR` copies the SQLite database into DIR."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    assert run_bot(["migrate"], tmp_path, DATABASE_URL=url).returncode == 0

    result = run_bot(["backup", str(tmp_path / "copies")], tmp_path, DATABASE_URL=url)

    assert result.returncode == 0, result.stderr
    (copy,) = (tmp_path / "copies").iterdir()
    assert copy.name.startswith("bot-") and copy.suffix == ".db"
    assert str(copy) in result.stdout
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*) FROM opd").fetchone()[0] == 31


def test_the_backup_command_gives_the_pg_dump_command_for_postgresql(tmp_path: Path) -> None:
    """For PostgreSQL the command prints how to run pg_dump, never the password."""
    url = "postgresql+asyncpg://bot:sangat-rahasia@db.internal:5433/helpdesk"

    result = run_bot(["backup", "/srv/backup"], tmp_path, DATABASE_URL=url)

    assert result.returncode == 0, result.stderr
    assert "pg_dump --format=custom --file=/srv/backup/helpdesk-" in result.stdout
    assert "--host=db.internal --port=5433 --username=bot helpdesk" in result.stdout
    assert "sangat-rahasia" not in result.stdout + result.stderr


@pytest.mark.parametrize("secret", ["", "pendek", "x" * 31, "spasi tidak boleh " * 3])
def test_webhook_mode_refuses_to_start_without_a_strong_secret(
    tmp_path: Path, secret: str
) -> None:
    """WEBHOOK_URL without a WEBHOOK_SECRET of 32+ allowed characters: exit 2 and why."""
    result = run_bot(
        ["run"],
        tmp_path,
        BOT_TOKEN="123456789:AAFakeTokenThatMustNeverBePrinted",
        WEBHOOK_URL="https://bot.example.go.id/tg/hook",
        WEBHOOK_SECRET=secret,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
    )

    assert result.returncode == 2
    assert "WEBHOOK_SECRET is required with WEBHOOK_URL" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "bot.db").exists()


async def test_the_daily_backup_job_copies_and_keeps_backup_keep(
    settings: Settings, clock: FrozenClock, tmp_path: Path
) -> None:
    """With BACKUP_DIR the leader's daily job writes a copy and prunes to BACKUP_KEEP."""
    if backup.sqlite_file(settings.database_url) is None:
        pytest.skip("the PostgreSQL job runs pg_dump, which this test does not need")
    folder = tmp_path / "daily"
    folder.mkdir()
    stem = backup.sqlite_file(settings.database_url).stem  # type: ignore[union-attr]
    for day in range(1, 4):
        (folder / f"{stem}-202601{day:02d}T170000Z.db").write_bytes(b"")
    configured = Settings(**{**settings.model_dump(), "backup_dir": str(folder), "backup_keep": 2})
    services = build_services(configured, clock=clock)
    try:
        async with running(services, FakeBotApi(), clock) as h:
            await h.run_job("backup")
    finally:
        await services.close()
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == 2 and kept[0] == f"{stem}-20260103T170000Z.db"
    assert _tickets(folder / kept[1]) == []  # a real, readable copy of the (empty) database
