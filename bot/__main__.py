"""Entry point: `python -m bot [run|migrate]`."""

from __future__ import annotations

import argparse
import logging
import sys

from bot.config import Settings
from bot.texts import setup as setup_texts

log = logging.getLogger("bot")


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL at INFO, and those URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


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
    app.run_polling(allowed_updates=["message", "callback_query", "my_chat_member"])
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parses the command line and runs the chosen command."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="Batik.Net helpdesk bot")
    parser.add_argument("command", nargs="?", default="run", choices=["run", "migrate"])
    args = parser.parse_args(argv)
    settings = Settings()
    _configure_logging(settings.log_level)
    if args.command == "migrate":
        migrate(settings)
        return 0
    return run(settings)


if __name__ == "__main__":
    sys.exit(main())
