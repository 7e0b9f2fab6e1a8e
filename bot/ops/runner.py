"""Runs the bot: one leader per database, long polling or webhook, stopped by SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from typing import Any

from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError

from bot.app import build_application
from bot.config import Settings
from bot.context import BotApp
from bot.ops import leader
from bot.ops.dedupe import ALLOWED_UPDATES, DedupingApplication
from bot.ops.health import LEADER, Role
from bot.ops.webhook import WebServer, asgi_app, start_server
from bot.services.container import Services
from db.migrate import upgrade_async

log = logging.getLogger(__name__)

# Long polling: how long one getUpdates waits for news, and the pause after a failed call.
POLL_TIMEOUT = 25
POLL_RETRY_SECONDS = 3.0

# Exit status when leadership was lost: the service manager starts the process again, as a
# standby.
LOST_LEADERSHIP = 3


async def serve(
    settings: Settings,
    services: Services,
    lock: leader.Leadership,
    build: Callable[[Services], BotApp] = build_application,
    stop: asyncio.Event | None = None,
) -> int:
    """Waits to lead, migrates, then runs the bot until stopped; returns the exit status."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    role = Role()
    server: WebServer | None = None
    try:
        if settings.webhook_url:
            # A standby answers /healthz too (role "standby") and 503 to webhook posts.
            server = await start_server(
                asgi_app(settings, services, role), settings.webhook_listen, settings.webhook_port
            )
            log.info(
                "listening on %s:%s (%s and /healthz)",
                settings.webhook_listen,
                server.port,
                settings.webhook_path,
            )
        if not await lock.acquire(stop):
            return 0
        # Only the leader migrates: a standby never touches the schema under a running leader.
        await upgrade_async(settings.database_url)
        app = build(services)
        return await _lead(settings, app, role, lock, stop)
    finally:
        if server is not None:
            await server.stop()
        await lock.release()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


async def _lead(
    settings: Settings, app: BotApp, role: Role, lock: leader.Leadership, stop: asyncio.Event
) -> int:
    async with app:  # initialize() ... shutdown()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        if isinstance(app, DedupingApplication):
            role.app = app
        role.name = LEADER
        if settings.webhook_url:
            await app.bot.set_webhook(
                url=settings.webhook_url,
                secret_token=settings.webhook_secret.get_secret_value(),
                allowed_updates=ALLOWED_UPDATES,
            )
            log.info("bot running (webhook)")
        else:
            # A webhook left by an earlier run would make getUpdates fail.
            await app.bot.delete_webhook()
            log.info("bot running (long polling)")
        poller = None if settings.webhook_url else asyncio.create_task(poll(app), name="poll")
        waiters: list[asyncio.Task[Any]] = [
            asyncio.create_task(stop.wait()),
            asyncio.create_task(lock.lost.wait()),
        ]
        if poller is not None:
            waiters.append(poller)
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()
        if poller is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await poller  # raises InvalidToken if that ended it
        role.app = None
        await app.stop()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
    if lock.lost.is_set():
        log.error("leadership lost; exiting so that a restart comes back as a standby")
        return LOST_LEADERSHIP
    log.info("bot stopped")
    return 0


async def poll(app: BotApp) -> None:
    """Long polling that confirms an update only after it was processed.

    PTB's Updater confirms a batch when it asks for the next one, before the queued updates are
    handled: a process killed meanwhile would lose them. Here the offset moves past an update only
    once `process_update` returned, so Telegram hands an unfinished update to the next leader,
    which skips it if its effects were committed (the processed-update record).
    """
    offset = 0
    while True:
        try:
            updates = await app.bot.get_updates(
                offset=offset,
                timeout=POLL_TIMEOUT,
                allowed_updates=ALLOWED_UPDATES,
                read_timeout=POLL_TIMEOUT + 10,
            )
        except InvalidToken:
            raise
        except Conflict:
            log.error("getUpdates conflict: another process polls with this token; retrying")
            await asyncio.sleep(POLL_RETRY_SECONDS)
            continue
        except (NetworkError, TelegramError) as error:
            log.warning("getUpdates failed (%s); retrying", type(error).__name__)
            await asyncio.sleep(POLL_RETRY_SECONDS)
            continue
        for update in updates:
            try:
                await app.process_update(update)
            except Exception:  # PTB's error handlers already ran; one update must not stop all
                log.exception("update %s could not be processed", update.update_id)
            offset = update.update_id + 1
