"""OPD administration use cases against a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services import opds, users
from bot.services.container import Services
from bot.services.context import Context
from bot.services.domain import Actor
from bot.services.errors import InvalidInput, InvalidState, NotAllowed, NotFound, NotRegistered
from tests.harness import ADMIN

ADMIN_ACTOR = Actor(ADMIN.id, "Admin")
SITI = Actor(2001, "Siti")


def _admin(services: Services) -> Context:
    return services.context(ADMIN_ACTOR)


async def test_list_includes_inactive_unless_asked(services: Services) -> None:
    async with services.uow() as uow:
        await opds.set_opd_active(uow, _admin(services), "dinkes", False)
    async with services.uow() as uow:
        everything = await opds.list_opds(uow, _admin(services))
        active = await opds.list_opds(uow, _admin(services), active_only=True)
    assert len(everything) == 31 and len(active) == 30
    assert [opd.name for opd in everything] == sorted(opd.name for opd in everything)
    assert {o.code for o in everything} - {o.code for o in active} == {"dinkes"}


async def test_only_admins_manage_opds(services: Services) -> None:
    async with services.uow() as uow:
        await users.touch_user(uow, services.context(SITI))
    async with services.uow() as uow:
        with pytest.raises(NotAllowed):
            await opds.add_opd(uow, services.context(SITI), "baru", "OPD Baru")
        with pytest.raises(NotAllowed):
            await opds.list_opds(uow, services.context(SITI))
        with pytest.raises(NotRegistered):
            await opds.check_admin(uow, services.context(Actor(9999)))


async def test_add_validates_and_keeps_codes_and_names_unique(services: Services) -> None:
    async with services.uow() as uow:
        added = await opds.add_opd(uow, _admin(services), " UPTD-Pasar ", " UPTD  Pasar ")
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
                await opds.add_opd(uow, _admin(services), code, name)
        assert raised.value.code == reason, (code, name)


async def test_rename_refuses_a_name_of_another_opd(services: Services) -> None:
    async with services.uow() as uow:
        renamed = await opds.rename_opd(
            uow, _admin(services), "dinkes", "Dinas Kesehatan Kota Pekalongan"
        )
    assert renamed.name == "Dinas Kesehatan Kota Pekalongan"
    async with services.uow() as uow:
        same = await opds.rename_opd(
            uow, _admin(services), "dinkes", "dinas kesehatan kota pekalongan"
        )
    assert same.name == "dinas kesehatan kota pekalongan"  # its own name in other case is fine
    async with services.uow() as uow:
        with pytest.raises(InvalidState, match="opd_name_taken"):
            await opds.rename_opd(
                uow, _admin(services), "dindik", "Dinas Kesehatan Kota Pekalongan"
            )
        with pytest.raises(NotFound):
            await opds.rename_opd(uow, _admin(services), "tidak-ada", "Nama Baru")


async def test_inactive_opd_gets_no_invites(services: Services) -> None:
    services.settings.invite_ttl_hours = 1
    services.settings.invite_max_uses = 2
    async with services.uow() as uow:
        dinkes = await opds.set_opd_active(uow, _admin(services), "dinkes", False)
    assert not dinkes.active
    async with services.uow() as uow:
        with pytest.raises(InvalidState, match="opd_inactive"):
            await opds.invite_for_code(uow, _admin(services), "dinkes")
        with pytest.raises(NotFound):
            await users.create_invite(uow, _admin(services), dinkes.id)
        with pytest.raises(InvalidState, match="opd_already_inactive"):
            await opds.set_opd_active(uow, _admin(services), "dinkes", False)

    async with services.uow() as uow:
        await opds.set_opd_active(uow, _admin(services), "DINKES", True)
    async with services.uow() as uow:
        invite = await opds.invite_for_code(uow, _admin(services), "dinkes")
    assert invite.opd.code == "dinkes" and invite.max_uses == 2
    assert invite.expires_at == services.now() + timedelta(hours=1)
    async with services.uow() as uow:
        with pytest.raises(NotFound):
            await opds.invite_for_code(uow, _admin(services), "x" * 100)


async def test_invite_of_a_deactivated_opd_stops_working(services: Services) -> None:
    async with services.uow() as uow:
        invite = await opds.invite_for_code(uow, _admin(services), "dinkes")
    async with services.uow() as uow:
        await opds.set_opd_active(uow, _admin(services), "dinkes", False)
    async with services.uow() as uow:
        with pytest.raises(NotFound):
            await users.check_invite(uow, services.context(), invite.token)
