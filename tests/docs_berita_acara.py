"""Writes the berita acara of the repair story as a PDF, for the picture in `docs/`.

    .venv/bin/python -m tests.docs_berita_acara docs/berita-acara-contoh.pdf   (or: make docs)

The repair story of tests/bot/test_story.py runs against the real Application (the tests' fake
Bot API, a temporary SQLite file), with a Kepala Bidang (role supervisor) and with the NIP and
position of every signatory filled in, as their profiles hold them; the berita acara the bot
generated is then read from the database. Nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config import Settings
from bot.services import users
from bot.services.clock import FrozenClock
from bot.services.container import Services, build_services
from bot.services.domain import Actor, Role, UserView
from db.migrate import upgrade_async
from db.models import BeritaAcara
from tests.bot.test_story import BUDI, SITI, run_repair_story
from tests.factories import Person
from tests.fakebot import FakeBotApi
from tests.harness import ADMIN, GROUP_ID, Harness, start_application, stop_application

KABID = Person(5001, "Bambang Wicaksono")
# Name with titles, NIP and position of each signatory, keyed by Telegram id.
PROFILES = {
    SITI.id: ("Siti Aminah, S.Kom.", "199003152015032001", "Pranata Komputer Ahli Pertama"),
    BUDI.id: ("Budi Santoso, A.Md.", "198705122010011003", "Teknisi Jaringan"),
    KABID.id: ("Bambang Wicaksono, S.T., M.T.", "197502101999031002", "Kepala Bidang"),
}


class _ProfiledHarness(Harness):
    """The harness whose registered reporters also carry their profile."""

    async def reporter(
        self, person: Person, opd_code: str = "dinkes", phone: str = "081234567890"
    ) -> UserView:
        view = await super().reporter(person, opd_code, phone)
        await _fill_profile(self.services, person)
        return view


async def _fill_profile(services: Services, person: Person) -> None:
    name, nip, position = PROFILES[person.id]
    async with services.uow() as uow:
        user = await uow.users.by_telegram_id(person.id)
        assert user is not None
        user.full_name, user.nip, user.position = name, nip, position
        await uow.commit()


async def _staff(h: Harness, person: Person, *roles: Role) -> None:
    async with h.services.uow() as uow:
        await users.touch_user(uow, h.services.context(Actor(person.id, person.first_name)))
    await h.staff(person, *roles)
    await _fill_profile(h.services, person)


def main(target: Path) -> None:
    """Plays the repair story and writes its berita acara to `target`."""
    pdf = asyncio.run(story_pdf())
    target.write_bytes(pdf)
    print(f"{target}: {len(pdf)} bytes")


async def story_pdf() -> bytes:
    """Plays the repair story and returns the berita acara it produced."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'docs.db'}"
        await upgrade_async(url)
        settings = Settings(
            _env_file=None,
            bot_token="123456:DOCS",
            database_url=url,
            admin_ids=[ADMIN.id],
            tech_group_id=GROUP_ID,
            # A fixed key keeps the code, the QR code and so the picture the same run to run.
            ba_secret="kunci-contoh-dokumentasi",
            # The office's published contacts (the service standard); no street address is
            # invented here.
            institution_address=(
                "Telepon (0285) 421243, (0285) 420223 · Laman kominfo.pekalongankota.go.id"
            ),
        )
        clock = FrozenClock(datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")))
        services = build_services(settings, clock=clock)
        api = FakeBotApi()
        app = await start_application(services, api)
        harness = _ProfiledHarness(app, api, services, clock)
        try:
            await _staff(harness, KABID, Role.SUPERVISOR)
            await _staff(harness, BUDI)
            await run_repair_story(harness)
            async with services.uow() as uow:
                ba = (await uow.session.scalars(select(BeritaAcara))).one()
        finally:
            await stop_application(app)
            await services.close()
    return ba.pdf


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.docs_berita_acara OUTPUT.pdf")
    main(Path(sys.argv[1]))
