"""Administration of OPDs (Organisasi Perangkat Daerah, the city agencies on Batik.Net)."""

from __future__ import annotations

import re

from bot.services.context import Context
from bot.services.domain import OpdView
from bot.services.errors import InvalidInput, InvalidState, NotFound, found
from bot.services.uow import UnitOfWork
from bot.services.users import InviteView, create_invite, opd_view, require_admin
from bot.services.validation import within
from db.models import Opd

CODE_MAX = 32
NAME_MIN = 3
NAME_MAX = 150
_CODE = re.compile(rf"^[a-z0-9][a-z0-9-]{{1,{CODE_MAX - 1}}}$")


def clean_code(text: str) -> str:
    """Validates an OPD code: lowercase letters, digits and hyphens, 2 to 32 characters."""
    code = text.strip().lower()
    if not _CODE.match(code):
        raise InvalidInput("opd_code")
    return code


def clean_opd_name(text: str) -> str:
    """Validates an OPD's name."""
    return within(text, NAME_MIN, NAME_MAX, "opd_name", one_line=True, letter=True)


async def _admin_opd(uow: UnitOfWork, ctx: Context, code: str) -> Opd:
    """Returns the OPD with this code to an admin; refuses anyone else, or an unknown code."""
    await require_admin(uow, ctx)
    opd = await uow.opds.by_code(code.strip().lower()) if len(code) <= CODE_MAX else None
    return found(opd, NotFound(what="opd", opd_code=code))


async def check_admin(uow: UnitOfWork, ctx: Context) -> None:
    """Refuses anyone but an admin (e.g. before showing the admin commands' usage)."""
    await require_admin(uow, ctx)


async def list_opds(uow: UnitOfWork, ctx: Context, *, active_only: bool = False) -> list[OpdView]:
    """Returns the OPDs ordered by name, inactive ones included unless asked otherwise."""
    await require_admin(uow, ctx)
    return [opd_view(opd) for opd in await uow.opds.list(active_only=active_only)]


async def add_opd(uow: UnitOfWork, ctx: Context, code: str, name: str) -> OpdView:
    """Adds an active OPD with a unique code and name (admins only)."""
    await require_admin(uow, ctx)
    code = clean_code(code)
    name = clean_opd_name(name)
    if await uow.opds.by_code(code) is not None:
        raise InvalidState("opd_code_taken", opd_code=code)
    if await uow.opds.by_name(name) is not None:
        raise InvalidState("opd_name_taken", name=name)
    opd = Opd(code=code, name=name, kind="", active=True)
    uow.opds.add(opd)
    await uow.commit()
    return opd_view(opd)


async def rename_opd(uow: UnitOfWork, ctx: Context, code: str, name: str) -> OpdView:
    """Gives an OPD a new name, unique among OPDs (admins only)."""
    opd = await _admin_opd(uow, ctx, code)
    name = clean_opd_name(name)
    same_name = await uow.opds.by_name(name)
    if same_name is not None and same_name.id != opd.id:
        raise InvalidState("opd_name_taken", name=name)
    opd.name = name
    await uow.commit()
    return opd_view(opd)


async def set_opd_active(uow: UnitOfWork, ctx: Context, code: str, active: bool) -> OpdView:
    """Deactivates an OPD (no invites, its reporters cannot report) or reactivates it."""
    opd = await _admin_opd(uow, ctx, code)
    if opd.active == active:
        reason = "opd_already_active" if active else "opd_already_inactive"
        raise InvalidState(reason, name=opd.name)
    opd.active = active
    await uow.commit()
    return opd_view(opd)


async def invite_for_code(uow: UnitOfWork, ctx: Context, code: str) -> InviteView:
    """Creates a registration invite for the active OPD with this code (admins only)."""
    opd = await _admin_opd(uow, ctx, code)
    if not opd.active:
        raise InvalidState("opd_inactive", name=opd.name)
    return await create_invite(uow, ctx, opd.id)
