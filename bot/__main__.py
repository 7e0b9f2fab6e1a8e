"""Entry point: `python -m bot [run|migrate|backup [DIR]|healthcheck]`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from bot.config import Settings
from bot.texts import ops as ops_texts
from bot.texts import setup as setup_texts

log = logging.getLogger("bot")

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "[BOT_TOKEN]"
# Libraries that log request URLs (which contain the bot token) or chatter at INFO.
QUIET_LOGGERS = ("httpx", "httpcore", "apscheduler", "alembic.runtime.plugins")


class RedactingFormatter(logging.Formatter):
    """Formats log records with every secret replaced, tracebacks included."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self._secrets = [secret for secret in secrets if secret]

    def format(self, record: logging.LogRecord) -> str:
        """Returns the formatted record without any secret in it."""
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


def configure_logging(settings: Settings) -> None:
    """Sets up logging to stderr at the configured level, never printing the bot token."""
    token = settings.bot_token.get_secret_value() if settings.bot_token else ""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(LOG_FORMAT, [token, token.strip()]))
    logging.basicConfig(level=settings.log_level.upper(), handlers=[handler], force=True)
    # httpx logs every request URL at INFO, and those URLs contain the bot token.
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def load_settings() -> Settings:
    """Reads the settings, raising ValueError with a readable list of what is wrong."""
    try:
        settings = Settings()
    except ValidationError as error:
        lines = [
            f"- {'.'.join(str(part) for part in item['loc']).upper()}: {item['msg']}"
            if item["loc"]
            else f"- {item['msg'].removeprefix('Value error, ')}"
            for item in error.errors()
        ]
        raise ValueError("\n".join(lines)) from None
    if settings.log_level.upper() not in logging.getLevelNamesMapping():
        raise ValueError(f"- LOG_LEVEL: unknown level {settings.log_level!r}")
    return settings


def migrate(settings: Settings) -> None:
    """Applies database migrations."""
    from db.migrate import upgrade

    upgrade(settings.database_url)
    log.info("database is at the latest migration")


def run(settings: Settings) -> int:
    """Runs the bot (long polling, or webhook when WEBHOOK_URL is set) until interrupted.

    Only one process leads per database (see bot/ops/leader.py); the leader migrates first.
    """
    if settings.bot_token is None or not settings.bot_token.get_secret_value().strip():
        print(setup_texts.BOTFATHER_HELP, file=sys.stderr)
        return 2
    from telegram.error import InvalidToken, NetworkError

    from bot.ops import leader
    from bot.ops.runner import serve
    from bot.services.container import build_services

    try:
        lock = leader.for_database(settings.database_url)
    except leader.DatabaseInUse as error:
        print(ops_texts.DATABASE_IN_USE.format(lock=error), file=sys.stderr)
        return 2
    if settings.clock_start is not None:
        log.warning(
            "SIMULATED CLOCK ON: starts at %s, speed x%s. Do not use this in production.",
            settings.clock_start.isoformat(),
            settings.clock_speed,
        )
    log.info("bot starting (%s)", "webhook" if settings.webhook_url else "long polling")

    async def main() -> int:
        services = build_services(settings)
        try:
            return await serve(settings, services, lock)
        finally:
            await services.close()

    try:
        return asyncio.run(main())
    except InvalidToken:
        # PTB puts the rejected token itself into this exception's message: never print it.
        print(setup_texts.REJECTED_BY_TELEGRAM, file=sys.stderr)
        return 2
    except NetworkError as error:
        # Only start-up errors get here; PTB retries network errors while polling.
        message = str(error).replace(settings.bot_token.get_secret_value(), REDACTED)
        print(
            setup_texts.API_UNREACHABLE.format(url=settings.telegram_api_url, error=message),
            file=sys.stderr,
        )
        return 1


def backup(settings: Settings, directory: str | None) -> int:
    """Writes a consistent copy of the SQLite database; for PostgreSQL prints pg_dump's command."""
    from bot.ops import backup as backups

    target = Path(directory or settings.backup_dir or "backups")
    now = datetime.now(UTC)
    database = backups.sqlite_file(settings.database_url)
    if database is None:
        if settings.database_url.startswith("sqlite"):
            print(ops_texts.BACKUP_NO_DATABASE, file=sys.stderr)
            return 2
        command = backups.pg_dump_hint(settings.database_url, target, now)
        print(ops_texts.BACKUP_PG.format(command=command))
        return 0
    path = backups.backup_sqlite(database, target, now)
    print(ops_texts.BACKUP_WRITTEN.format(path=path))
    return 0


def healthcheck(settings: Settings) -> int:
    """Asks the running bot's /healthz (webhook mode) and exits 0 when it answers 200."""
    import urllib.error
    import urllib.request

    if not settings.webhook_url:
        print("long polling: no /healthz to ask")
        return 0
    wildcard = settings.webhook_listen in ("", "0.0.0.0", "::")  # noqa: S104 - compared only
    host = "127.0.0.1" if wildcard else settings.webhook_listen
    url = f"http://{host}:{settings.webhook_port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            print(response.read().decode())
            return 0
    except urllib.error.HTTPError as error:
        print(f"{url}: {error.code} {error.read().decode(errors='replace')}", file=sys.stderr)
    except OSError as error:
        print(f"{url}: {error}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    """Parses the command line and runs the chosen command."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="Batik.Net helpdesk bot")
    parser.add_argument(
        "command", nargs="?", default="run", choices=["run", "migrate", "backup", "healthcheck"]
    )
    parser.add_argument("directory", nargs="?", help="backup: where to write (BACKUP_DIR)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ValueError as error:
        print(setup_texts.INVALID_SETTINGS.format(errors=error), file=sys.stderr)
        return 2
    configure_logging(settings)
    if args.command == "migrate":
        migrate(settings)
        return 0
    if args.command == "backup":
        return backup(settings, args.directory)
    if args.command == "healthcheck":
        return healthcheck(settings)
    return run(settings)


if __name__ == "__main__":
    sys.exit(main())
