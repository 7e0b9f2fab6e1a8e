"""Webhook mode after PTB's custom-webhook example: an ASGI app (Starlette) served by uvicorn.

One port serves Telegram's posts on the path of WEBHOOK_URL and GET /healthz. A post is
processed before it is answered: if the process dies midway, Telegram delivers the update again
and the processed-update record decides whether it still has to be handled.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update

from bot.config import Settings
from bot.ops.health import Role, health
from bot.services.container import Services

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


def asgi_app(settings: Settings, services: Services, role: Role) -> Starlette:
    """Returns the ASGI app: the webhook path and /healthz."""
    secret = settings.webhook_secret.get_secret_value().encode()
    # One update at a time, as PTB processes them by default: conversation steps stay in order.
    one_at_a_time = asyncio.Lock()

    async def telegram(request: Request) -> Response:
        """Handles one update posted by Telegram."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, secret):
            # Logged without its body: a forged post may carry anything.
            log.warning(
                "webhook post refused: %s secret token (from %s)",
                "wrong" if given else "no",
                request.client.host if request.client else "?",
            )
            return Response(status_code=403)
        app = role.app
        if app is None:
            # A standby: the proxy may try the next server, Telegram retries later.
            return Response(status_code=503)
        try:
            update = Update.de_json(json.loads(await request.body()), app.bot)
        except (ValueError, TypeError, KeyError):
            log.warning("webhook post refused: not an update")
            return Response(status_code=400)
        if update is None:
            return Response(status_code=400)
        async with one_at_a_time:
            await app.process_update(update)
        return Response(status_code=200)

    async def healthz(request: Request) -> Response:
        """Reports health as JSON: 200, or 503 when the database is unreachable."""
        status, body = await health(services, role)
        return JSONResponse(body, status_code=status)

    async def leader(request: Request) -> Response:
        """Like /healthz, but 503 unless this process leads (for a proxy's active checks)."""
        status, body = await health(services, role)
        return JSONResponse(body, status_code=status if role.app is not None else 503)

    return Starlette(
        routes=[
            Route(settings.webhook_path, telegram, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/healthz/leader", leader, methods=["GET"]),
        ]
    )


@dataclass
class WebServer:
    """A running uvicorn server."""

    server: uvicorn.Server
    task: asyncio.Task[None]

    @property
    def port(self) -> int:
        """Returns the port bound (useful with port 0)."""
        sockets = self.server.servers[0].sockets
        return int(sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stops accepting requests and lets running ones finish."""
        self.server.should_exit = True
        await self.task


async def start_server(app: Starlette, host: str, port: int) -> WebServer:
    """Starts uvicorn on host:port in this event loop and waits until it listens."""
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    # serve() would take SIGINT/SIGTERM over and raise them again on exit; the bot's runner
    # owns the signals and stops this server itself, so the body of serve() is run directly.
    task = asyncio.create_task(server._serve(), name="webhook-server")
    while not server.started:
        if task.done():
            await task  # raises why it could not start
            raise OSError(f"cannot listen on {host}:{port}")
        await asyncio.sleep(0.01)
    return WebServer(server, task)
