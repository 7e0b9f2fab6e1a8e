"""Plays the story tests against the real Application and prints what every user saw.

    .venv/bin/python -m tests.transcript [> transcript.txt]

Nothing leaves the machine: the Bot API is the tests' fake, the database a temporary SQLite file.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.services.clock import FrozenClock
from bot.services.container import build_services
from db.migrate import upgrade_async
from tests.bot.test_story import run_repair_story, run_story
from tests.fakebot import FakeBotApi
from tests.harness import ADMIN, GROUP_ID, Harness, start_application, stop_application


async def main() -> None:
    """Runs both stories, each on a fresh database, and prints the transcripts."""
    for title, story in (("First slice", run_story), ("Repair procedure", run_repair_story)):
        print(f"===== {title} =====")
        await play(story)


async def play(story: Callable[[Harness], Awaitable[None]]) -> None:
    """Runs one story and prints its transcript."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'story.db'}"
        await upgrade_async(url)
        settings = Settings(
            _env_file=None,
            bot_token="123456:TRANSCRIPT",
            database_url=url,
            admin_ids=[ADMIN.id],
            tech_group_id=GROUP_ID,
        )
        clock = FrozenClock(datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")))
        services = build_services(settings, clock=clock)
        api = FakeBotApi()
        app = await start_application(services, api)
        harness = Harness(app, api, services, clock)
        try:
            await story(harness)
        finally:
            await stop_application(app)
            await services.close()
        print("\n".join(harness.transcript))


if __name__ == "__main__":
    asyncio.run(main())
