"""Entry point: `python -m bot [run|migrate]`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterable

from pydantic import ValidationError

from bot.config import Settings
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
    """Runs the bot with long polling until interrupted."""
    if settings.bot_token is None or not settings.bot_token.get_secret_value().strip():
        print(setup_texts.BOTFATHER_HELP, file=sys.stderr)
        return 2
    from telegram.error import InvalidToken, NetworkError

    from bot.app import build_application
    from bot.services.container import build_services

    services = build_services(settings)
    if settings.clock_start is not None:
        log.warning(
            "SIMULATED CLOCK ON: starts at %s, speed x%s. Do not use this in production.",
            settings.clock_start.isoformat(),
            settings.clock_speed,
        )
    app = build_application(services)
    log.info("bot starting (long polling)")
    try:
        app.run_polling(allowed_updates=["message", "callback_query", "my_chat_member"])
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
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parses the command line and runs the chosen command."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="Batik.Net helpdesk bot")
    parser.add_argument("command", nargs="?", default="run", choices=["run", "migrate"])
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
    return run(settings)


if __name__ == "__main__":
    sys.exit(main())
