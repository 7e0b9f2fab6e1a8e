"""Backups: a consistent copy of the SQLite database while the bot runs; pg_dump for PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import os
import shlex
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.context import BotContext

log = logging.getLogger(__name__)

SUFFIX_SQLITE = ".db"
SUFFIX_PG = ".dump"


def sqlite_file(database_url: str) -> Path | None:
    """Returns the SQLite file of a database URL (None for PostgreSQL or in-memory)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def stamped(directory: Path, stem: str, suffix: str, now: datetime) -> Path:
    """Returns the path of a backup taken now: `<stem>-YYYYmmddTHHMMSSZ<suffix>`."""
    return directory / f"{stem}-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}{suffix}"


def backup_sqlite(database: Path, directory: Path, now: datetime) -> Path:
    """Copies the database with SQLite's online backup API (a consistent snapshot, writers keep
    going) to a timestamped file in the directory; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    target = stamped(directory, database.stem, SUFFIX_SQLITE, now)
    partial = target.with_name(target.name + ".part")
    source = sqlite3.connect(database, timeout=30)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
            # A self-contained file: no -wal beside it is needed to read it.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    finally:
        source.close()
    partial.replace(target)
    return target


def prune(directory: Path, stem: str, suffix: str, keep: int) -> list[Path]:
    """Deletes all but the newest `keep` backups of a database; returns what was deleted."""
    backups = sorted(directory.glob(f"{stem}-*{suffix}"))
    old = backups[:-keep] if keep > 0 else backups
    for path in old:
        path.unlink()
    return old


def pg_dump_argv(database_url: str, target: Path) -> tuple[list[str], dict[str, str]]:
    """Returns the pg_dump command line (custom format) and the password for its environment."""
    url = make_url(database_url)
    argv = ["pg_dump", "--format=custom", f"--file={target}"]
    if url.host:
        argv.append(f"--host={url.host}")
    if url.port:
        argv.append(f"--port={url.port}")
    if url.username:
        argv.append(f"--username={url.username}")
    argv.append(url.database or "")
    return argv, ({"PGPASSWORD": url.password} if url.password else {})


def pg_dump_hint(database_url: str, directory: Path, now: datetime) -> str:
    """Returns the pg_dump command to run for a PostgreSQL database (password left out)."""
    url = make_url(database_url)
    argv, _ = pg_dump_argv(database_url, stamped(directory, url.database or "db", SUFFIX_PG, now))
    return shlex.join(argv)


async def daily_backup(context: BotContext) -> None:
    """Takes the daily backup into BACKUP_DIR and keeps the newest BACKUP_KEEP."""
    settings = context.services.settings
    directory = Path(settings.backup_dir)
    now = context.services.now()
    database = sqlite_file(settings.database_url)
    if database is not None:
        target = await asyncio.to_thread(backup_sqlite, database, directory, now)
        removed = prune(directory, database.stem, SUFFIX_SQLITE, settings.backup_keep)
    else:
        name = make_url(settings.database_url).database or "db"
        target = stamped(directory, name, SUFFIX_PG, now)
        if shutil.which("pg_dump") is None:
            log.warning("daily backup skipped: pg_dump is not installed")
            return
        await asyncio.to_thread(directory.mkdir, parents=True, exist_ok=True)
        argv, env = pg_dump_argv(settings.database_url, target)
        process = await asyncio.create_subprocess_exec(
            *argv, env={**os.environ, **env}, stderr=asyncio.subprocess.PIPE
        )
        _, error = await process.communicate()
        if process.returncode != 0:
            log.error("daily backup failed: pg_dump exited with %s", process.returncode)
            log.debug("pg_dump said: %s", error.decode(errors="replace"))
            return
        removed = prune(directory, name, SUFFIX_PG, settings.backup_keep)
    log.info("daily backup written to %s (%d old removed)", target, len(removed))
