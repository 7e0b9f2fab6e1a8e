"""Webhook mode: Telegram's posts over real HTTP with the secret token, /healthz, and every
update id handled once."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, TypeHandler

from bot.config import Settings
from bot.ops.dedupe import ALLOWED_UPDATES, DedupingApplication, processed_ids
from bot.ops.health import LEADER, STANDBY, Role
from bot.ops.webhook import SECRET_HEADER, WebServer, asgi_app, start_server
from bot.services.clock import FrozenClock
from bot.services.container import Services, build_services
from bot.services.uow import CURRENT_UPDATE, UpdateMark
from bot.texts import report as report_texts
from db.models import OutboxMessage, ProcessedUpdate, Ticket
from tests.fakebot import FakeBotApi
from tests.harness import GROUP_ID, Harness, running
from tests.stories import SITI, fill_report_form

pytestmark = pytest.mark.auto_disposition

SECRET = "s3cret-token_for-the-webhook-0123456789"
LOCATION = "Ruang server lantai 2"
DESCRIPTION = "Internet mati sejak pagi, lampu modem berkedip merah."
HOOK = "https://bot.example.go.id/tg/hook-path"


def webhook_settings(settings: Settings) -> Settings:
    """The test settings in webhook mode on an ephemeral loopback port."""
    return Settings(
        **{
            **settings.model_dump(),
            "webhook_url": HOOK,
            "webhook_secret": SECRET,
            "webhook_listen": "127.0.0.1",
            "webhook_port": 0,
        }
    )


class WebhookHarness(Harness):
    """The harness whose updates reach the bot as Telegram's posts to the webhook."""

    client: httpx.AsyncClient
    url: str
    delivered: list[int]

    async def post(self, update: Update, secret: str | None = SECRET) -> httpx.Response:
        """Posts an update as Telegram would, with the given secret token header."""
        headers = {} if secret is None else {SECRET_HEADER: secret}
        return await self.client.post(self.url, json=update.to_dict(), headers=headers)

    async def process(self, update: Update) -> None:
        """Delivers the update through the webhook and waits for what it caused."""
        seen = len(self.api.calls)
        response = await self.post(update)
        assert response.status_code == 200, response.text
        self.delivered.append(update.update_id)
        await self.delivery.wait_idle()
        self.transcript.extend(f"{c.method} {c.chat_id}" for c in self.api.calls[seen:])
        self.api.assert_no_refusals()


@pytest.fixture
async def web(
    services: Services, api: FakeBotApi, clock: FrozenClock
) -> AsyncIterator[tuple[WebhookHarness, WebServer, Role]]:
    """The real Application behind a real webhook server on 127.0.0.1, leading."""
    settings = webhook_settings(services.settings)
    async with running(services, api, clock) as plain:
        assert isinstance(plain.app, DedupingApplication)
        role = Role(LEADER, plain.app)
        server = await start_server(asgi_app(settings, services, role), "127.0.0.1", 0)
        h = WebhookHarness(plain.app, api, services, clock)
        h.delivered = []
        h.url = f"http://127.0.0.1:{server.port}{settings.webhook_path}"
        try:
            async with httpx.AsyncClient(timeout=30) as client:
                h.client = client
                await h.reporter(SITI)
                yield h, server, role
        finally:
            await server.stop()


async def _count(services: Services, model: type[Ticket | OutboxMessage | ProcessedUpdate]) -> int:
    async with services.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_report_filed_through_the_webhook(
    web: tuple[WebhookHarness, WebServer, Role],
) -> None:
    """The /lapor story over HTTP: every post answered 200, the ticket filed, the card out."""
    h, _, _ = web
    await fill_report_form(
        h, SITI, "Internet mati total", "Seluruh kantor", LOCATION, DESCRIPTION, "081234567890"
    )
    await h.choose(SITI, report_texts.SEND)

    assert "BN-2026-00001" in h.last_reply(SITI).text
    assert await _count(h.services, Ticket) == 1
    assert any("BN-2026-00001" in c.text for c in h.api.to_chat(GROUP_ID, "sendMessage"))
    # Every post of the story is recorded as processed.
    assert await processed_ids(h.services) == h.delivered


@pytest.mark.parametrize("secret", [None, "", "wrong-" + SECRET[6:], SECRET + "x"])
async def test_a_post_without_the_right_secret_gets_403_and_changes_nothing(
    web: tuple[WebhookHarness, WebServer, Role],
    secret: str | None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A forged post is refused before it is read; no reply, no record, the body not logged."""
    h, _, _ = web
    before = len(h.api.calls)
    with caplog.at_level(logging.INFO):
        response = await h.post(h.updates.text(SITI, "/lapor rahasia-pribadi"), secret=secret)

    assert response.status_code == 403
    assert len(h.api.calls) == before
    assert await processed_ids(h.services) == []
    assert "webhook post refused" in caplog.text
    assert "rahasia-pribadi" not in caplog.text


async def test_the_same_update_posted_twice_is_handled_once(
    web: tuple[WebhookHarness, WebServer, Role],
) -> None:
    """Telegram redelivers an update it saw no answer to: the second delivery does nothing."""
    h, _, _ = web
    await fill_report_form(
        h, SITI, "Internet mati total", "Seluruh kantor", LOCATION, DESCRIPTION, "081234567890"
    )
    summary = h.with_button(SITI.id, report_texts.SEND)
    data = dict(summary.buttons)[report_texts.SEND]
    assert summary.message_id is not None
    submit = h.updates.press(SITI, data, summary.message_id, SITI.id, summary.text)
    await h.process(submit)
    calls, outbox = len(h.api.calls), await _count(h.services, OutboxMessage)

    response = await h.post(submit)

    assert response.status_code == 200
    assert len(h.api.calls) == calls
    assert await _count(h.services, Ticket) == 1
    assert await _count(h.services, OutboxMessage) == outbox


async def test_the_same_update_processed_twice_in_process_is_handled_once(
    harness: Harness,
) -> None:
    """A redelivered update (same id) is skipped also when PTB polls."""
    await harness.reporter(SITI)
    update = harness.updates.text(SITI, "/lapor")
    await harness.process(update)
    calls = len(harness.api.calls)
    await harness.process(update)

    assert len(harness.api.calls) == calls
    assert update.update_id in await processed_ids(harness.services)


async def test_the_update_id_is_written_only_with_a_commit(services: Services) -> None:
    """The record belongs to the transaction of the update's effects: no commit, no record."""
    token = CURRENT_UPDATE.set(UpdateMark(424242))
    try:
        async with services.uow() as uow:
            await uow.rollback()
        assert await processed_ids(services) == []
        async with services.uow() as uow:
            await uow.commit()
        async with services.uow() as uow:
            await uow.commit()  # a second commit of the same update writes nothing more
    finally:
        CURRENT_UPDATE.reset(token)
    assert await processed_ids(services) == [424242]


async def test_healthz_reports_the_leader(web: tuple[WebhookHarness, WebServer, Role]) -> None:
    """GET /healthz: database reachable, seconds since the last update, backlog, role."""
    h, server, _ = web
    await h.say(SITI, "/lapor")
    async with httpx.AsyncClient() as client:
        response = await client.get(f"http://127.0.0.1:{server.port}/healthz")
        leading = await client.get(f"http://127.0.0.1:{server.port}/healthz/leader")

    assert response.status_code == leading.status_code == 200
    body = response.json()
    assert body["database"] == "reachable"
    assert body["role"] == "leader"
    assert body["outbox_backlog"] == 0
    assert 0 <= body["seconds_since_last_update"] < 60


async def test_a_standby_answers_healthz_and_refuses_posts(
    services: Services,
) -> None:
    """A standby serves /healthz (role standby) and answers 503 to a post, so a proxy tries
    the leader and Telegram retries."""
    settings = webhook_settings(services.settings)
    server = await start_server(asgi_app(settings, services, Role()), "127.0.0.1", 0)
    try:
        async with httpx.AsyncClient() as client:
            health = await client.get(f"http://127.0.0.1:{server.port}/healthz")
            leading = await client.get(f"http://127.0.0.1:{server.port}/healthz/leader")
            post = await client.post(
                f"http://127.0.0.1:{server.port}{settings.webhook_path}",
                content=json.dumps({"update_id": 1}),
                headers={SECRET_HEADER: SECRET},
            )
    finally:
        await server.stop()
    assert health.status_code == 200
    assert health.json()["role"] == STANDBY
    assert health.json()["seconds_since_last_update"] is None
    assert post.status_code == 503
    assert leading.status_code == 503


async def test_healthz_is_503_when_the_database_is_unreachable(
    settings: Settings, clock: FrozenClock, tmp_path: Path
) -> None:
    """A database that cannot be opened makes /healthz answer 503."""
    broken = Settings(
        **{
            **webhook_settings(settings).model_dump(),
            "database_url": f"sqlite+aiosqlite:///{tmp_path}",
        }
    )
    services = build_services(broken, clock=clock)
    server = await start_server(asgi_app(broken, services, Role()), "127.0.0.1", 0)
    try:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"http://127.0.0.1:{server.port}/healthz")
    finally:
        await server.stop()
        await services.close()
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def _update_types(handler: BaseHandler[Any, Any, Any]) -> set[str]:
    if isinstance(handler, ConversationHandler):
        inner = [*handler.entry_points, *handler.fallbacks]
        inner += [h for steps in handler.states.values() for h in steps]
        return set().union(*(_update_types(h) for h in inner))
    if isinstance(handler, CallbackQueryHandler):
        return {Update.CALLBACK_QUERY}
    if isinstance(handler, TypeHandler):
        return set()  # sees whatever arrives
    return {Update.MESSAGE}  # message and command handlers (edited messages are not wanted)


def test_allowed_updates_are_what_the_handlers_use(harness: Harness) -> None:
    """Telegram is asked for exactly the update types some handler takes."""
    used: set[str] = set()
    for handlers in harness.app.handlers.values():
        for handler in handlers:
            used |= _update_types(handler)
    assert set(ALLOWED_UPDATES) == used


async def test_old_update_records_are_pruned(harness: Harness) -> None:
    """Records older than Telegram could redeliver are deleted by the hourly job."""
    await harness.reporter(SITI)
    old = harness.updates.text(SITI, "/bantuan")
    await harness.process(old)
    harness.advance(days=8)
    recent = harness.updates.text(SITI, "/bantuan")
    await harness.process(recent)

    await harness.run_job("update-prune")

    assert await processed_ids(harness.services) == [recent.update_id]
