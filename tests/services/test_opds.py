"""OPD administration use cases against a real database."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TypedDict

import pytest

from bot.services import opds, users
from bot.services.container import Services
from bot.services.domain import Actor
from bot.services.errors import InvalidInput, InvalidState, NotAllowed, NotFound, NotRegistered
from tests.harness import ADMIN

ADMIN_ACTOR = Actor(ADMIN.id, "Admin")
SITI = Actor(2001, "Siti")


class _AdminArgs(TypedDict):
    now: datetime
    admin_ids: Iterable[int]


class _InviteLimits(TypedDict):
    ttl: timedelta
    max_uses: int


def _admin(services: Services) -> _AdminArgs:
    return {"now": services.now(), "admin_ids": services.settings.admin_ids}


async def test_list_includes_inactive_unless_asked(services: Services) -> None:
    async with services.uow() as uow:
        await opds.set_opd_active(uow, ADMIN_ACTOR, "dinkes", False, **_admin(services))
    async with services.uow() as uow:
        everything = await opds.list_opds(uow, ADMIN_ACTOR, **_admin(services))
        active = await opds.list_opds(uow, ADMIN_ACTOR, active_only=True, **_admin(services))
    assert len(everything) == 31 and len(active) == 30
    assert [opd.name for opd in everything] == sorted(opd.name for opd in everything)
    assert {o.code for o in everything} - {o.code for o in active} == {"dinkes"}


async def test_only_admins_manage_opds(services: Services) -> None:
    async with services.uow() as uow:
        await users.touch_user(uow, SITI, services.now())
    async with services.uow() as uow:
        with pytest.raises(NotAllowed):
            await opds.add_opd(uow, SITI, "baru", "OPD Baru", **_admin(services))
        with pytest.raises(NotAllowed):
            await opds.list_opds(uow, SITI, **_admin(services))
        with pytest.raises(NotRegistered):
            await opds.check_admin(uow, Actor(9999), **_admin(services))


async def test_add_validates_and_keeps_codes_and_names_unique(services: Services) -> None:
    async with services.uow() as uow:
        added = await opds.add_opd(
            uow, ADMIN_ACTOR, " UPTD-Pasar ", " UPTD  Pasar ", **_admin(services)
        )
    assert (added.code, added.name, added.active) == ("uptd-pasar", "UPTD Pasar", True)
    async with services.uow() as uow:
        assert await uow.opds.by_code("uptd-pasar") is not None

    cases = [
        ("uptd-pasar", "Nama Lain", InvalidState, "opd_code_taken"),
        ("lain", "uptd pasar", InvalidState, "opd_name_taken"),
        ("a", "Nama Cukup", InvalidInput, "opd_code"),
        ("-awal", "Nama Cukup", InvalidInput, "opd_code"),
        ("kode salah", "Nama Cukup", InvalidInput, "opd_code"),
        ("x" * 33, "Nama Cukup", InvalidInput, "opd_code"),
        ("oke", "AB", InvalidInput, "opd_name"),
        ("oke", "12345", InvalidInput, "opd_name"),
        ("oke", "N" * 151, InvalidInput, "opd_name"),
    ]
    for code, name, error, reason in cases:
        async with services.uow() as uow:
            with pytest.raises(error) as raised:
                await opds.add_opd(uow, ADMIN_ACTOR, code, name, **_admin(services))
        assert raised.value.code == reason, (code, name)


async def test_rename_refuses_a_name_of_another_opd(services: Services) -> None:
    async with services.uow() as uow:
        renamed = await opds.rename_opd(
            uow, ADMIN_ACTOR, "dinkes", "Dinas Kesehatan Kota Pekalongan", **_admin(services)
        )
    assert renamed.name == "Dinas Kesehatan Kota Pekalongan"
    async with services.uow() as uow:
        same = await opds.rename_opd(
            uow, ADMIN_ACTOR, "dinkes", "dinas kesehatan kota pekalongan", **_admin(services)
        )
    assert same.name == "dinas kesehatan kota pekalongan"  # its own name in other case is fine
    async with services.uow() as uow:
        with pytest.raises(InvalidState, match="opd_name_taken"):
            await opds.rename_opd(
                uow, ADMIN_ACTOR, "dindik", "Dinas Kesehatan Kota Pekalongan", **_admin(services)
            )
        with pytest.raises(NotFound):
            await opds.rename_opd(uow, ADMIN_ACTOR, "tidak-ada", "Nama Baru", **_admin(services))


async def test_inactive_opd_gets_no_invites(services: Services) -> None:
    limits: _InviteLimits = {"ttl": timedelta(hours=1), "max_uses": 2}
    async with services.uow() as uow:
        dinkes = await opds.set_opd_active(uow, ADMIN_ACTOR, "dinkes", False, **_admin(services))
    assert not dinkes.active
    async with services.uow() as uow:
        with pytest.raises(InvalidState, match="opd_inactive"):
            await opds.invite_for_code(uow, ADMIN_ACTOR, "dinkes", **limits, **_admin(services))
        with pytest.raises(NotFound):
            await users.create_invite(uow, ADMIN_ACTOR, dinkes.id, **limits, **_admin(services))
        with pytest.raises(InvalidState, match="opd_already_inactive"):
            await opds.set_opd_active(uow, ADMIN_ACTOR, "dinkes", False, **_admin(services))

    async with services.uow() as uow:
        await opds.set_opd_active(uow, ADMIN_ACTOR, "DINKES", True, **_admin(services))
    async with services.uow() as uow:
        invite = await opds.invite_for_code(
            uow, ADMIN_ACTOR, "dinkes", **limits, **_admin(services)
        )
    assert invite.opd.code == "dinkes" and invite.max_uses == 2
    assert invite.expires_at == services.now() + timedelta(hours=1)
    async with services.uow() as uow:
        with pytest.raises(NotFound):
            await opds.invite_for_code(uow, ADMIN_ACTOR, "x" * 100, **limits, **_admin(services))


async def test_invite_of_a_deactivated_opd_stops_working(services: Services) -> None:
    async with services.uow() as uow:
        invite = await opds.invite_for_code(
            uow, ADMIN_ACTOR, "dinkes", ttl=timedelta(hours=1), max_uses=2, **_admin(services)
        )
    async with services.uow() as uow:
        await opds.set_opd_active(uow, ADMIN_ACTOR, "dinkes", False, **_admin(services))
    async with services.uow() as uow:
        with pytest.raises(NotFound):
            await users.check_invite(uow, invite.token, services.now())
