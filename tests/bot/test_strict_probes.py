"""Findings of issue 14 that the strict fake Bot API catches: before the fixes Telegram refused
a call in each (an edit that changes nothing, a message too long)."""

from __future__ import annotations

from bot.services.domain import Role
from bot.texts import complaints as tc
from bot.texts import registration as tr
from tests.factories import Person
from tests.harness import ADMIN, GROUP_ID, Harness

SITI = Person(2001, "Siti", "Aminah")
BUDI = Person(3001, "Budi", "Santoso")
PEJABAT = Person(5001, "Drajat", "Pejabat")


async def test_a_double_tap_on_next_page_is_answered_without_a_second_edit(
    harness: Harness,
) -> None:
    h = harness
    await h.say(ADMIN, "/undang")
    picker = h.last_reply(ADMIN)

    # Both taps leave before the first edit arrives: both carry the same button.
    await h.press(ADMIN, picker, "Berikutnya »")
    await h.press(ADMIN, picker, "Berikutnya »")

    assert len(h.api.by_method("answerCallbackQuery")) == 2
    assert "halaman 2 dari" in h.api.by_method("editMessageText")[-1].text


async def test_a_double_tap_on_edit_data_is_answered_without_a_second_edit(
    harness: Harness,
) -> None:
    h = harness
    await h.say(ADMIN, "/undang dinkes")
    token = h.last_reply(ADMIN).text.split("?start=")[1].split()[0].split("<")[0]
    await h.say(SITI, f"/start {token}")
    await h.say(SITI, "Siti Aminah, S.Kom.")
    await h.process(h.updates.contact(SITI, "+62 812-3456-7890"))
    await h.say(SITI, tr.SKIP_BUTTON)
    await h.say(SITI, "Pranata Komputer")
    summary = h.last_reply(SITI)

    await h.press(SITI, summary, tr.EDIT_BUTTON)
    await h.press(SITI, summary, tr.EDIT_BUTTON)

    assert len(h.api.by_method("answerCallbackQuery")) == 2
    assert h.api.by_method("editMessageText")[-1].text == tr.CHOOSE_FIELD


async def test_a_long_complaint_with_a_long_answer_reaches_the_official(
    harness: Harness,
) -> None:
    h = harness
    await h.reporter(SITI)
    await h.staff(BUDI, Role.TECHNICIAN)
    await h.staff(PEJABAT, Role.OFFICIAL)
    complaint = ("Laporan gangguan kami belum ditangani petugas sejak pekan lalu. " * 40)[:2000]
    answer = ("Mohon maaf, teknisi dijadwalkan datang besok pagi pukul 08.00. " * 40)[:2000]
    await h.say(SITI, "/aduan")
    await h.choose(SITI, "Gangguan tidak ditangani")
    await h.choose(SITI, tc.SKIP)
    await h.say(SITI, complaint)
    await h.choose(SITI, tc.SKIP)
    await h.choose(SITI, tc.NO)
    await h.choose(SITI, tc.SEND)
    await h.choose(BUDI, tc.TAKE_BUTTON, GROUP_ID)
    await h.say(BUDI, "/start adu_1")
    await h.say(BUDI, answer)
    await h.choose(BUDI, tc.SEND_ANSWER)

    await h.choose(SITI, tc.NOT_SOLVED_BUTTON)
    await h.say(SITI, "Teknisi tidak datang sesuai jadwal yang dijanjikan.")

    received = "\n".join(call.text for call in h.api.to_chat(PEJABAT.id))
    assert "ADU-2026-00001" in received and "Teknisi tidak datang" in received
    # Whole, somewhere in what the official received (the thread shows previews).
    assert complaint.strip() in received and answer.strip() in received
    h.with_button(PEJABAT.id, tc.ANSWER_BUTTON)

    # The official can open the answer form and read the complaint with /tiket afterwards.
    await h.say(PEJABAT, "/start adu_1")
    assert "Tuliskan <b>jawaban</b>" in h.last_reply(PEJABAT).text
    await h.say(PEJABAT, "/batal")
    await h.say(PEJABAT, "/tiket ADU-2026-00001")
    shown = "\n".join(call.text for call in h.api.to_chat(PEJABAT.id)[-5:])
    assert complaint.strip() in shown and answer.strip() in shown
