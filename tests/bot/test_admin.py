"""Admin commands: /undang, /opd and /peran, and who may use them."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from bot import callbacks
from bot.services import opds, tickets
from bot.services.domain import Actor, Category, Impact, Role
from bot.services.errors import NotAllowed
from bot.services.tickets import ReportDraft
from bot.texts import admin as t
from db.models import Invite, Opd, Ticket
from tests.factories import Person
from tests.harness import ADMIN, GROUP_ID, Harness
from tests.stories import INTERNET_DOWN, file_report

SITI = Person(2001, "Siti", "Aminah")
BUDI = Person(3001, "Budi", "Santoso")
STRANGER = Person(4001, "Orang", "Asing")


async def _opd(h: Harness, code: str) -> Opd:
    async with h.services.uow() as uow:
        opd = await uow.opds.by_code(code)
        assert opd is not None
        return opd


async def _invite_count(h: Harness) -> int:
    async with h.services.uow() as uow:
        return len((await uow.session.scalars(select(Invite))).all())


@pytest.mark.parametrize("command", ["/undang", "/undang dinkes", "/opd", "/opd nonaktif dinkes"])
async def test_reporters_cannot_use_admin_commands(harness: Harness, command: str) -> None:
    h = harness
    await h.reporter(SITI)
    invites = await _invite_count(h)

    await h.say(SITI, command)

    assert "tidak berwenang" in h.last_reply(SITI).text
    assert await _invite_count(h) == invites
    assert (await _opd(h, "dinkes")).active


@pytest.mark.parametrize("command", ["/peran", "/peran 2001", "/peran 2001 admin"])
async def test_strangers_cannot_manage_roles(harness: Harness, command: str) -> None:
    h = harness
    await h.reporter(SITI)

    await h.say(STRANGER, command)

    assert "belum terdaftar" in h.last_reply(STRANGER).text
    async with h.services.uow() as uow:
        siti = await uow.users.by_telegram_id(SITI.id)
        assert siti is not None and siti.roles == frozenset({"reporter"})


async def test_forged_invite_button_from_a_non_admin_creates_nothing(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    dinkes = await _opd(h, "dinkes")
    invites = await _invite_count(h)

    await h.press_data(SITI, callbacks.make(callbacks.INVITE_OPD, dinkes.id), SITI.id)
    await h.press_data(SITI, callbacks.make(callbacks.INVITE_PAGE, 1), SITI.id)

    answers = h.api.by_method("answerCallbackQuery")
    assert len(answers) == 2
    assert all("tidak berwenang" in a.params["text"] for a in answers)
    assert await _invite_count(h) == invites
    assert h.api.by_method("editMessageText") == []


async def test_admin_commands_in_a_group_point_to_the_private_chat(harness: Harness) -> None:
    h = harness
    await h.say(ADMIN, "/opd", chat_id=GROUP_ID)
    assert h.api.last_to(GROUP_ID).text == t.PRIVATE_ONLY


async def test_opd_list_shows_active_and_inactive(harness: Harness) -> None:
    h = harness
    await h.say(ADMIN, "/opd nonaktif rsud-bendan")
    await h.say(ADMIN, "/opd")

    listing = h.last_reply(ADMIN).text
    assert "(30 aktif, 1 nonaktif)" in listing
    assert "✅ <code>dinkes</code> — Dinas Kesehatan" in listing
    assert "⛔ <code>rsud-bendan</code>" in listing
    assert "/opd tambah KODE NAMA" in listing


async def test_opd_add_rename_and_validation(harness: Harness) -> None:
    h = harness
    await h.say(ADMIN, "/opd tambah uptd-pasar UPTD Pasar <Banjarsari>")
    assert "UPTD Pasar &lt;Banjarsari&gt;" in h.last_reply(ADMIN).text
    added = await _opd(h, "uptd-pasar")
    assert added.name == "UPTD Pasar <Banjarsari>" and added.active

    await h.say(ADMIN, "/opd tambah UPTD-PASAR Unit Lain")
    assert "sudah dipakai" in h.last_reply(ADMIN).text
    await h.say(ADMIN, "/opd tambah puskesmas dinas kesehatan")
    assert "sudah terdaftar" in h.last_reply(ADMIN).text
    await h.say(ADMIN, "/opd tambah kode_salah! Nama")
    assert h.last_reply(ADMIN).text == t.REFUSALS["opd_code"]
    await h.say(ADMIN, "/opd tambah baru")
    assert h.last_reply(ADMIN).text == t.OPD_USAGE
    await h.say(ADMIN, f"/opd tambah panjang {'N' * 151}")
    assert h.last_reply(ADMIN).text == t.REFUSALS["opd_name"]

    await h.say(ADMIN, "/opd ubah uptd-pasar UPTD Pasar Banjarsari")
    assert "diubah menjadi <b>UPTD Pasar Banjarsari</b>" in h.last_reply(ADMIN).text
    assert (await _opd(h, "uptd-pasar")).name == "UPTD Pasar Banjarsari"
    await h.say(ADMIN, "/opd ubah uptd-pasar Dinas Kesehatan")
    assert "sudah terdaftar" in h.last_reply(ADMIN).text
    await h.say(ADMIN, "/opd ubah tidak-ada Nama Baru")
    assert h.last_reply(ADMIN).text == t.NOT_FOUND["opd"]
    await h.say(ADMIN, "/opd hapus dinkes")
    assert h.last_reply(ADMIN).text == t.OPD_USAGE


async def test_deactivated_opd_gets_no_invites_until_reactivated(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI, "dinkes")
    await h.say(ADMIN, "/undang")
    picker = h.last_reply(ADMIN)
    dinkes = await _opd(h, "dinkes")

    await h.say(ADMIN, "/opd nonaktif dinkes")
    assert "telah dinonaktifkan" in h.last_reply(ADMIN).text
    assert not (await _opd(h, "dinkes")).active

    await h.say(ADMIN, "/undang dinkes")
    assert "sedang nonaktif" in h.last_reply(ADMIN).text
    await h.press_data(
        ADMIN, callbacks.make(callbacks.INVITE_OPD, dinkes.id), ADMIN.id, picker.message_id or 1
    )
    assert h.api.by_method("answerCallbackQuery")[-1].params["text"] == t.NOT_FOUND["opd"]
    assert await _invite_count(h) == 1  # the one h.reporter used
    async with h.services.uow() as uow:
        offered = await opds.list_opds(uow, h.services.context(Actor(ADMIN.id)), active_only=True)
    assert "dinkes" not in {opd.code for opd in offered} and len(offered) == 30
    async with h.services.uow() as uow:
        with pytest.raises(NotAllowed, match="no_opd"):
            await tickets.create_report(
                uow,
                h.services.context(Actor(SITI.id)),
                ReportDraft(
                    Category.SLOW,
                    Impact.ONE_ROOM,
                    "Ruang rapat",
                    "Internet lambat sejak pagi.",
                    "081234567890",
                ),
            )
    await h.say(ADMIN, "/opd nonaktif dinkes")
    assert "sudah nonaktif" in h.last_reply(ADMIN).text

    await h.say(ADMIN, "/opd aktif dinkes")
    assert "diaktifkan kembali" in h.last_reply(ADMIN).text
    await h.say(ADMIN, "/undang dinkes")
    assert "https://t.me/" in h.last_reply(ADMIN).text
    assert await _invite_count(h) == 2


async def test_peran_usage_lists_the_roles(harness: Harness) -> None:
    h = harness
    for command in ("/peran", "/peran bukan-angka", "/peran 3001 raja", "/peran 3001 teknisi x"):
        await h.say(ADMIN, command)
        usage = h.last_reply(ADMIN).text
        assert "/peran ID PERAN cabut" in usage, command
        assert "<code>teknisi</code> — Teknisi" in usage
        assert "<code>kabid</code> — Kepala bidang" in usage


async def test_peran_for_an_unknown_user_asks_them_to_start_first(harness: Harness) -> None:
    h = harness
    await h.say(ADMIN, f"/peran {BUDI.id} teknisi")
    assert h.last_reply(ADMIN).text == t.NOT_FOUND["user"]
    await h.say(ADMIN, f"/peran {BUDI.id}")
    assert h.last_reply(ADMIN).text == t.NOT_FOUND["user"]


@pytest.mark.auto_disposition
async def test_peran_grants_and_revokes_and_the_technician_can_claim(harness: Harness) -> None:
    h = harness
    await h.say(BUDI, "/start")
    assert f"<code>{BUDI.id}</code>" in h.last_reply(BUDI).text

    await h.say(ADMIN, f"/peran {BUDI.id} teknisi")
    granted = h.last_reply(ADMIN).text
    assert "Peran <b>Teknisi</b> telah diberikan kepada Budi" in granted
    await h.say(ADMIN, f"/peran {BUDI.id} Penanggung_Jawab")
    await h.say(ADMIN, f"/peran {BUDI.id}")
    assert "Peran: Teknisi, Penanggung jawab" in h.last_reply(ADMIN).text

    await h.reporter(SITI)
    await file_report(h, SITI, replace(INTERNET_DOWN, location="Lt. 2"))
    card = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    await h.press(BUDI, card, "Ambil")
    async with h.services.uow() as uow:
        ticket = (await uow.session.scalars(select(Ticket))).one()
        assert ticket.assignee is not None and ticket.assignee.telegram_id == BUDI.id

    await h.say(ADMIN, f"/peran {BUDI.id} teknisi cabut")
    assert "telah dicabut dari" in h.last_reply(ADMIN).text
    async with h.services.uow() as uow:
        budi = await uow.users.by_telegram_id(BUDI.id)
        assert budi is not None and budi.roles == frozenset({Role.COORDINATOR.value})


async def test_admin_role_makes_another_admin(harness: Harness) -> None:
    h = harness
    await h.say(BUDI, "/start")
    await h.say(ADMIN, f"/peran {BUDI.id} admin")

    await h.say(BUDI, "/undang dinkes")

    assert "https://t.me/" in h.last_reply(BUDI).text
    await h.say(ADMIN, f"/peran {BUDI.id} admin cabut")
    await h.say(BUDI, "/opd")
    assert "tidak berwenang" in h.last_reply(BUDI).text
