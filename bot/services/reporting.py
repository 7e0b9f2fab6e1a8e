"""What the fault-report conversation needs to know before it starts."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.context import Context
from bot.services.domain import Role
from bot.services.errors import NotAllowed
from bot.services.uow import UnitOfWork
from bot.services.users import require_role


@dataclass(frozen=True)
class ReporterInfo:
    """The reporter's OPD and the phone number offered as the default contact."""

    opd_name: str
    phone: str | None


async def reporter_info(uow: UnitOfWork, ctx: Context) -> ReporterInfo:
    """Returns the reporter's OPD and phone, refusing users who may not report."""
    user = await require_role(uow, ctx.who, Role.REPORTER)
    if user.opd is None or not user.opd.active:
        raise NotAllowed("no_opd")
    return ReporterInfo(opd_name=user.opd.name, phone=user.phone)
