"""Real bot processes (`python -m bot run`) against a fake Bot API over HTTP: one process per
SQLite database, and on PostgreSQL a standby that finishes the story of a leader killed with
SIGKILL, every update handled once and every notification delivered once."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import make_url, select, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bot.config import Settings
from bot.services import users
from bot.services.container import build_services
from bot.services.domain import Actor
from bot.services.users import Registration
from bot.texts import report as report_texts
from db.models import OutboxMessage, ProcessedUpdate, Ticket
from tests.ops_fakeapi import FakeTelegram, serve_fake_telegram

TOKEN = "123456789:AAFakeTokenForTheProcessTests"
ADMIN_ID = 1001
GROUP_ID = -1002000000001
SITI_ID = 2001
SITI: dict[str, Any] = {"id": SITI_ID, "is_bot": False, "first_name": "Siti"}
PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
ROOT = Path(__file__).resolve().parents[1]


class Bot:
    """A `python -m bot run` subprocess with its log in a file."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(log.parent), **env}
        self._out = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=clean,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    def says(self, fragment: str) -> bool:
        """Tells whether the log contains a fragment."""
        return fragment in self.log.read_text(encoding="utf-8")

    def wait_log(self, fragment: str, timeout: float = 60) -> None:
        """Waits until the log shows a fragment (fails if the process ends first)."""
        deadline = time.monotonic() + timeout
        while not self.says(fragment):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"no {fragment!r} in:\n{self.log.read_text()}")
            time.sleep(0.1)

    def stop(self) -> int:
        """Stops the process gently (SIGTERM) and returns its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        finally:
            self._out.close()

    def kill(self) -> None:
        """Kills the process with SIGKILL (no clean-up of any kind)."""
        self.process.kill()
        self.process.wait(timeout=30)
        self._out.close()


def bot_env(api_root: str, database_url: str) -> dict[str, str]:
    """The environment of a bot process: the fake API, the database, one admin, the group."""
    return {
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api_root,
        "DATABASE_URL": database_url,
        "ADMIN_IDS": str(ADMIN_ID),
        "TECH_GROUP_ID": str(GROUP_ID),
        "AUTO_DISPOSITION": "true",
        "LOG_LEVEL": "INFO",
    }


@pytest.fixture
def fake() -> Iterator[tuple[str, FakeTelegram]]:
    """The fake Bot API over HTTP."""
    with serve_fake_telegram() as served:
        yield served


def test_a_second_process_on_one_sqlite_database_is_refused(
    tmp_path: Path, fake: tuple[str, FakeTelegram]
) -> None:
    """SQLite: the running bot holds the database; a second one says so and exits 2."""
    root, api = fake
    env = bot_env(root, f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    first = Bot(env, tmp_path / "first.log")
    try:
        first.wait_log("bot running (long polling)")
        second = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env={"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert second.returncode == 2
        assert "Basis data sedang dipakai" in second.stderr
        assert "bot.db.lock" in second.stderr
        assert first.process.poll() is None  # the first one runs on
    finally:
        assert first.stop() == 0
    # Polling asks Telegram for exactly the update types the handlers use.
    polls = [c.params.get("allowed_updates") for c in api.calls if c.method == "getUpdates"]
    assert polls and all(p == ["message", "callback_query"] for p in polls)


# --- PostgreSQL: a standby takes over -----------------------------------------------------


@pytest.fixture
def pg_database() -> Iterator[str]:
    """An empty PostgreSQL database of this test's own, dropped afterwards."""
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    base = make_url(PG_URL)
    name = f"{base.database or 'test'}_standby_{os.getpid()}_{secrets.token_hex(3)}"
    admin_url = base.set(database=base.database or "postgres")

    async def admin(statement: str) -> None:
        engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(statement))
        await engine.dispose()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def register_siti(database_url: str) -> None:
    """Registers Siti as a reporter of Dinas Kesehatan, as an invite would."""
    settings = Settings(_env_file=None, database_url=database_url, admin_ids=[ADMIN_ID])
    services = build_services(settings)
    try:
        async with services.uow() as uow:
            opd = await uow.opds.by_code("dinkes")
            assert opd is not None
            invite = await users.create_invite(
                uow, services.context(Actor(ADMIN_ID, "Admin")), opd.id
            )
        async with services.uow() as uow:
            await users.register(
                uow,
                services.context(Actor(SITI_ID)),
                invite.token,
                Registration("Siti Aminah", "081234567890", None, "Pranata Komputer"),
            )
    finally:
        await services.close()


async def rows(database_url: str) -> tuple[list[int], list[OutboxMessage], int]:
    """Returns the processed update ids, the outbox rows and the number of tickets."""
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as session:
            ids = list(await session.scalars(select(ProcessedUpdate.update_id)))
            outbox = list(await session.scalars(select(OutboxMessage)))
            tickets = len(list(await session.scalars(select(Ticket.id))))
    finally:
        await engine.dispose()
    return sorted(ids), outbox, tickets


class Siti:
    """Siti talking to whichever bot process leads, through the fake Telegram."""

    def __init__(self, api: FakeTelegram, database_url: str) -> None:
        self.api = api
        self.url = database_url
        self.pushed: list[int] = []
        self._date = int(time.time())

    def _processed(self, update_id: int) -> bool:
        ids, _, _ = asyncio.run(rows(self.url))
        return update_id in ids

    def _push(self, kind: str, payload: dict[str, Any], wait: bool) -> None:
        update_id = self.api.push(kind, payload)
        self.pushed.append(update_id)
        if wait:
            self.api.wait_for(lambda: self._processed(update_id), timeout=60)

    def say(self, words: str, wait: bool = True) -> None:
        """Sends a text."""
        chat = {"id": SITI_ID, "type": "private", "first_name": "Siti"}
        message = {"message_id": 1, "date": self._date, "chat": chat, "from": SITI, "text": words}
        if words.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(words.split()[0])}
            ]
        self._push("message", message, wait)

    def choose(self, label: str, wait: bool = True) -> None:
        """Presses the button with this label on the last message that carries it."""
        call = next(c for c in reversed(self.api.sent(SITI_ID)) if label in c.buttons)
        chat = {"id": SITI_ID, "type": "private", "first_name": "Siti"}
        message_id = call.message_id
        query = {
            "id": str(len(self.pushed) + 1),
            "from": SITI,
            "chat_instance": "siti",
            "data": call.buttons[label],
            "message": {
                "message_id": message_id,
                "date": self._date,
                "chat": chat,
                "from": {"id": 7000000001, "is_bot": True, "first_name": "Batik"},
                "text": call.text,
            },
        }
        self._push("callback_query", query, wait)


def test_a_standby_finishes_the_story_of_a_killed_leader(
    tmp_path: Path, fake: tuple[str, FakeTelegram], pg_database: str
) -> None:
    """PostgreSQL: the leader dies (SIGKILL) in the middle of /lapor; the standby takes over
    within 10 s, the form goes on where it was, every notification goes out exactly once."""
    root, api = fake
    env = bot_env(root, pg_database)
    leader = Bot(env, tmp_path / "leader.log")
    standby: Bot | None = None
    try:
        leader.wait_log("bot running (long polling)")  # it migrated the empty database
        asyncio.run(register_siti(pg_database))
        standby = Bot(env, tmp_path / "standby.log")
        standby.wait_log("another process leads; standing by")

        siti = Siti(api, pg_database)
        siti.say("/lapor")
        siti.choose("Internet mati total")
        siti.choose("Seluruh kantor")
        siti.say("Ruang server lantai 2")

        leader.kill()
        killed = time.monotonic()
        standby.wait_log("bot running (long polling)", timeout=30)
        takeover = time.monotonic() - killed
        print(f"takeover after SIGKILL: {takeover:.1f} s")

        siti.say("Internet mati sejak pagi, lampu modem berkedip merah.")
        siti.choose(report_texts.PHOTOS_SKIP)
        siti.choose(report_texts.LETTER_LATER)
        siti.say("081234567890")
        siti.choose(report_texts.SEND)
        api.wait_for(lambda: any(re.search(r"BN-\d{4}-00001", c.text) for c in api.sent(GROUP_ID)))
        time.sleep(1)  # let a (wrong) second delivery show itself
    finally:
        if standby is not None:
            assert standby.stop() == 0
        if leader.process.poll() is None:
            leader.kill()

    assert standby.says("leader lock taken")
    assert takeover < 10, f"takeover took {takeover:.1f} s"
    ids, outbox, tickets = asyncio.run(rows(pg_database))
    assert tickets == 1
    assert ids == sorted(siti.pushed)  # every update recorded, each once
    assert outbox and all(row.status == "sent" for row in outbox)
    for row in outbox:  # every notification delivered exactly once
        body = str(row.payload.get("text") or row.payload.get("caption") or "")
        copies = [c for c in api.sent(row.chat_id) if c.method == row.method and c.text == body]
        assert len(copies) == 1, (row.method, row.chat_id)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_webhook_mode_in_a_real_process(tmp_path: Path, fake: tuple[str, FakeTelegram]) -> None:
    """`run` with WEBHOOK_URL: setWebhook with the secret and the update types, /healthz as
    leader, a post with the secret handled, a post without it refused, SIGTERM exits 0."""
    root, api = fake
    port = _free_port()
    secret = "a-secret-token_for-this-test-0123456789"
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    env = {
        **bot_env(root, url),
        "WEBHOOK_URL": "https://bot.example.go.id/tg/hook-7f3a",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": secret,
    }
    bot = Bot(env, tmp_path / "webhook.log")
    try:
        bot.wait_log("bot running (webhook)")
        base = f"http://127.0.0.1:{port}"
        health = httpx.get(f"{base}/healthz", timeout=10)
        update = {
            "update_id": 77,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": SITI_ID, "type": "private", "first_name": "Siti"},
                "from": SITI,
                "text": "/bantuan",
                "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
            },
        }
        forged = httpx.post(f"{base}/tg/hook-7f3a", json=update, timeout=30)
        nothing_after_forged = api.sent(SITI_ID)
        posted = httpx.post(
            f"{base}/tg/hook-7f3a",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": secret},
            timeout=30,
        )
    finally:
        status = bot.stop()
    assert status == 0
    (hook,) = [c for c in api.calls if c.method == "setWebhook"]
    assert hook.params["url"] == "https://bot.example.go.id/tg/hook-7f3a"
    assert hook.params["secret_token"] == secret
    assert hook.params["allowed_updates"] == ["message", "callback_query"]
    assert health.status_code == 200 and health.json()["role"] == "leader"
    assert forged.status_code == 403 and nothing_after_forged == []
    assert posted.status_code == 200
    assert api.sent(SITI_ID), "the bot answered the posted /bantuan"
    assert not any(c.method == "getUpdates" for c in api.calls)
