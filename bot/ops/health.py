"""What /healthz reports: database reachable, last update, outbox backlog, leader or standby."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from bot.ops.dedupe import DedupingApplication
from bot.services import outbox
from bot.services.container import Services

log = logging.getLogger(__name__)

DB_TIMEOUT = 3.0
LEADER = "leader"
STANDBY = "standby"


@dataclass
class Role:
    """This process's role and, once it leads, its running application."""

    name: str = STANDBY
    app: DedupingApplication | None = field(default=None)


async def health(services: Services, role: Role) -> tuple[int, dict[str, Any]]:
    """Returns the HTTP status and the JSON body of /healthz."""
    backlog: int | None = None
    try:
        async with asyncio.timeout(DB_TIMEOUT), services.uow() as uow:
            backlog = await outbox.pending_count(uow)
        reachable = True
    except Exception as error:  # any failure to answer is "unreachable" to the prober
        log.warning("health check: database unreachable (%s)", type(error).__name__)
        reachable = False
    last = role.app.last_update_at if role.app is not None else None
    body: dict[str, Any] = {
        "database": "reachable" if reachable else "unreachable",
        "seconds_since_last_update": (None if last is None else round(time.monotonic() - last, 1)),
        "outbox_backlog": backlog,
        "role": role.name,
    }
    return (200 if reachable else 503), body
