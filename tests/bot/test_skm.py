"""The SKM survey as its users meet it: the offer after closing and rating a ticket, declining
it, once per quarter, /survei, anonymous answers, and /skm for the kabid and admins with figures
worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect, select

from bot.conversations import survey
from bot.services import skm
from bot.services.domain import Actor, Role
from bot.texts import refusals
from bot.texts import skm as t
from bot.texts import wizards as wt
from db.models import SkmParticipation, SkmResponse
from tests.factories import Person
from tests.fakebot import ApiCall
from tests.harness import ADMIN, Harness
from tests.stories import BUDI, PJ, SITI, repaired

WIB = ZoneInfo("Asia/Jakarta")
KABID = Person(5001, "Bu", "Kabid")
RINA = Person(2002, "Rina", "Wati")
JOKO = Person(2003, "Joko")
DEWI = Person(2004, "Dewi")
ANSWERS = [t.QUESTIONS[code][1] for code in skm.CODES]

# The four questionnaires of the hand-computed example (tests/unit/test_skm.py): per element
# NRR 3.50 3.25 2.75 4.00 3.25 3.25 3.75 2.75 2.75; total 117 / 36 = IKM 3.25; x 25 = 81.25, B.
FOUR = [
    (4, 4, 3, 4, 3, 3, 4, 3, 3),
    (3, 3, 3, 4, 3, 3, 3, 3, 3),
    (4, 3, 2, 4, 3, 4, 4, 2, 3),
    (3, 3, 3, 4, 4, 3, 4, 3, 2),
]


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """The cast: reporters of two OPDs, the technician, the coordinator and the kabid."""
    await harness.reporter(SITI, "dinkes")
    await harness.reporter(RINA, "dinkes")
    await harness.reporter(JOKO, "dinhub")
    await harness.reporter(DEWI, "dinhub")
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(PJ, Role.COORDINATOR)
    await harness.staff(KABID, Role.SUPERVISOR)
    return harness


async def _closed_and_rated(h: Harness, score: str = "Sangat baik") -> ApiCall:
    """Closes a repaired ticket as Siti (sign-off), rates it without a comment and returns the
    thanks message."""
    await repaired(h)
    await h.choose(SITI, "Sudah normal")
    await h.choose(SITI, wt.SIGN)
    await h.choose(SITI, score)
    await h.choose(SITI, wt.SKIP)
    thanks = h.last_reply(SITI)
    assert "telah dicatat" in thanks.text
    return thanks


async def _answer_all(h: Harness, person: Person, values: tuple[int, ...]) -> None:
    for code, value in zip(skm.CODES, values, strict=True):
        assert h.last_reply(person).text.startswith(f"<b>{skm.CODES.index(code) + 1}/9</b>")
        label = t.QUESTIONS[code][1][value - 1]
        await h.choose(person, f"{t.LETTERS[value - 1]}. {label}")


async def _rows(h: Harness, model: type[SkmResponse] | type[SkmParticipation]) -> list[object]:
    async with h.services.uow() as uow:
        return list(await uow.session.scalars(select(model)))


def _last_answer(h: Harness) -> str:
    return str(h.api.by_method("answerCallbackQuery")[-1].params.get("text") or "")


async def test_the_survey_is_offered_after_closing_and_rating_and_saved_anonymously(
    h: Harness,
) -> None:
    thanks = await _closed_and_rated(h)
    assert [label for label, _ in thanks.buttons] == [t.OFFER_FILL, t.OFFER_LATER]

    await h.press(SITI, thanks, t.OFFER_FILL)

    intro, first = h.replies_to(SITI)[-2:]
    assert intro.text == t.INTRO and "anonim" in intro.text
    assert "Umur" in first.text
    cleared = h.api.by_method("editMessageReplyMarkup")[-1]
    assert cleared.params["message_id"] == thanks.message_id  # the offer is used up
    await h.choose(SITI, "25–34 tahun")
    await h.choose(SITI, "Perempuan")
    await h.choose(SITI, t.SKIP)  # education
    await h.choose(SITI, "PNS")
    await _answer_all(h, SITI, FOUR[0])
    summary = h.last_reply(SITI)
    assert "Umur: 25–34 tahun" in summary.text and "Pendidikan: -" in summary.text
    assert "1. Persyaratan: <b>Sangat sesuai</b>" in summary.text
    assert "4. Biaya/Tarif: <b>Gratis</b>" in summary.text
    assert "8. Penanganan Pengaduan, Saran dan Masukan: <b>Berfungsi kurang maksimal</b>" in (
        summary.text
    )

    await h.press(SITI, summary, t.SEND)

    assert h.last_reply(SITI).text == t.THANKS
    (response,) = await _rows(h, SkmResponse)
    assert isinstance(response, SkmResponse)
    values = tuple(getattr(response, code.lower()) for code in skm.CODES)
    assert values == FOUR[0]
    assert (response.age_bracket, response.sex, response.education, response.occupation) == (
        "25_34",
        "p",
        None,
        "pns",
    )
    # Only the start of the local day, not the time the answers were sent.
    assert response.answered_day == datetime(2026, 11, 30, tzinfo=WIB)
    (taken,) = await _rows(h, SkmParticipation)
    assert isinstance(taken, SkmParticipation)
    assert (taken.quarter, taken.status) == ("2026-Q4", "answered")


def test_the_answer_rows_cannot_name_anyone() -> None:
    """The response table has no user, ticket or time-of-day column and no foreign key; the
    participation table has no answer."""
    table = inspect(SkmResponse).local_table
    assert not table.foreign_keys
    assert {c.name for c in table.columns} == {
        "id",
        "answered_day",
        *(code.lower() for code in skm.CODES),
        "age_bracket",
        "sex",
        "education",
        "occupation",
    }
    columns = {c.name for c in inspect(SkmParticipation).local_table.columns}
    assert columns == {"id", "user_id", "quarter", "status"}


async def test_lain_kali_declines_and_the_next_rating_of_the_quarter_offers_nothing(
    h: Harness,
) -> None:
    thanks = await _closed_and_rated(h, "Baik")

    await h.press(SITI, thanks, t.OFFER_LATER)

    assert h.last_reply(SITI).text == t.DECLINED
    assert h.api.by_method("editMessageReplyMarkup")[-1].params["message_id"] == (
        thanks.message_id
    )
    sent = len(h.replies_to(SITI))
    await h.press(SITI, thanks, t.OFFER_LATER)  # a double tap: answered, nothing more
    assert len(h.replies_to(SITI)) == sent
    (taken,) = await _rows(h, SkmParticipation)
    assert isinstance(taken, SkmParticipation) and taken.status == "declined"
    assert await _rows(h, SkmResponse) == []

    # The second ticket of the quarter: thanks without an offer.
    h.advance(days=2)
    again = await _closed_and_rated(h)
    assert again.buttons == []
    # Declining is not refusing: /survei still opens the survey.
    await h.say(SITI, "/survei")
    assert h.last_reply(SITI).text == t.ask_profile("age_bracket")


async def test_at_most_once_per_quarter_and_again_in_the_next(h: Harness) -> None:
    await _closed_and_rated(h)
    await h.choose(SITI, t.OFFER_FILL)
    await h.choose(SITI, t.SKIP_PROFILE)
    await _answer_all(h, SITI, (3,) * 9)
    await h.choose(SITI, t.SEND)

    await h.say(SITI, "/survei")

    assert h.last_reply(SITI).text == refusals.REFUSALS["skm_answered"].format(quarter="4/2026")
    h.advance(days=1)
    assert (await _closed_and_rated(h)).buttons == []
    # January is the next quarter: offered again.
    h.advance(days=40)
    thanks = await _closed_and_rated(h)
    assert [label for label, _ in thanks.buttons] == [t.OFFER_FILL, t.OFFER_LATER]
    rows = await _rows(h, SkmParticipation)
    quarters = {(r.quarter, r.status) for r in rows if isinstance(r, SkmParticipation)}
    assert quarters == {("2026-Q4", "answered"), ("2027-Q1", "offered")}


async def test_survei_any_time_with_the_profile_skipped_and_an_answer_changed(
    h: Harness,
) -> None:
    await h.say(RINA, "/survei")
    assert h.replies_to(RINA)[-2].text == t.INTRO
    await h.choose(RINA, t.SKIP_PROFILE)
    await _answer_all(h, RINA, (2,) * 9)
    await h.choose(RINA, t.EDIT)
    await h.choose(RINA, "3. Waktu Penyelesaian")
    await h.choose(RINA, "d. Sangat cepat")
    summary = h.last_reply(RINA)
    assert "3. Waktu Penyelesaian: <b>Sangat cepat</b>" in summary.text
    assert "Umur: -" in summary.text

    await h.press(RINA, summary, t.SEND)

    (response,) = await _rows(h, SkmResponse)
    assert isinstance(response, SkmResponse)
    assert (response.u2, response.u3, response.age_bracket) == (2, 4, None)


async def test_cancelled_or_wrong_input_saves_nothing(h: Harness) -> None:
    await h.say(JOKO, "/survei")
    await h.choose(JOKO, t.SKIP_PROFILE)
    await h.say(JOKO, "sangat puas")
    assert h.last_reply(JOKO).text.startswith(t.NEED_BUTTON)
    await h.process(h.updates.sticker(JOKO))
    assert h.last_reply(JOKO).text.startswith(t.NEED_BUTTON)
    await h.say(JOKO, "/skm")
    assert h.last_reply(JOKO).text == t.BUSY

    await h.say(JOKO, "/batal")

    assert h.last_reply(JOKO).text == t.CANCELLED
    assert await _rows(h, SkmResponse) == [] and await _rows(h, SkmParticipation) == []


async def test_only_registered_reporters_fill_the_survey(h: Harness) -> None:
    await h.say(BUDI, "/survei")
    assert h.last_reply(BUDI).text == refusals.REFUSALS["skm_reporter_only"]
    stranger = Person(9001, "Orang", "Lain")
    await h.say(stranger, "/survei")
    assert h.last_reply(stranger).text == refusals.REFUSALS["not_registered"]
    await h.press_data(BUDI, "v1:skm_no:0", BUDI.id)
    assert _last_answer(h) == refusals.REFUSALS["skm_reporter_only"]
    await h.press_data(BUDI, "v1:skm_go:0", BUDI.id)
    assert _last_answer(h) == refusals.REFUSALS["skm_reporter_only"]
    assert await _rows(h, SkmResponse) == []


async def _submit(
    h: Harness, person: Person, values: tuple[int, ...], now: datetime | None = None
) -> None:
    ctx = h.services.context(Actor(person.id))
    if now is not None:
        ctx = replace(ctx, now=now)
    async with h.services.uow() as uow:
        await skm.submit(uow, ctx, skm.SurveyAnswers(values))


async def test_skm_shows_the_hand_computed_figures_to_the_kabid_and_admin(h: Harness) -> None:
    for person, values in zip((SITI, RINA, JOKO, DEWI), FOUR, strict=True):
        await _submit(h, person, values)
    # Last quarter, all lowest: counted in the year, not in this quarter.
    await _submit(h, SITI, (1,) * 9, now=datetime(2026, 9, 15, 10, tzinfo=WIB))

    await h.say(KABID, "/skm")

    text = h.last_reply(KABID).text
    assert "Periode: 1 Oktober 2026 – 31 Desember 2026 (triwulan ini)" in text
    assert "Jumlah responden: <b>4</b>" in text
    for line in [
        "U1 Persyaratan: 3,50; 0,389",
        "U2 Sistem, Mekanisme, dan Prosedur: 3,25; 0,361",
        "U3 Waktu Penyelesaian: 2,75; 0,306",
        "U4 Biaya/Tarif: 4,00; 0,444",
        "U7 Perilaku Pelaksana: 3,75; 0,417",
        "U9 Sarana dan Prasarana: 2,75; 0,306",
        "IKM (skala 1–4): <b>3,250</b>",
        "IKM konversi (× 25): <b>81,25</b>",
        "Mutu pelayanan: <b>B</b>",
        "Kinerja unit pelayanan: <b>Baik</b>",
    ]:
        assert line in text, line
    for name in ("Siti", "Rina", "Joko", "Dewi"):
        assert name not in text

    # The year: 117 + 9 = 126 over 5 x 9 values -> IKM 2.8, 70.00, C.
    await h.choose(KABID, "Tahun ini")
    year = h.last_reply(KABID)
    assert year.method == "editMessageText"
    assert "Jumlah responden: <b>5</b>" in year.text
    assert "U1 Persyaratan: 3,00; 0,333" in year.text
    assert "IKM konversi (× 25): <b>70,00</b>" in year.text
    assert "Mutu pelayanan: <b>C</b>" in year.text and "<b>Kurang Baik</b>" in year.text

    await h.say(ADMIN, "/skm 2026-09-01 2026-09-30")
    september = h.last_reply(ADMIN).text
    assert "Jumlah responden: <b>1</b>" in september
    assert "IKM konversi (× 25): <b>25,00</b>" in september and "<b>Tidak Baik</b>" in september
    await h.say(ADMIN, "/skm bulan ini")
    assert "Periode: 1 November 2026 – 30 November 2026 (bulan ini)" in h.last_reply(ADMIN).text
    await h.say(ADMIN, "/skm 2026-12-01 2026-12-31")
    empty = h.last_reply(ADMIN).text
    assert "Jumlah responden: <b>0</b>" in empty and "Belum ada responden" in empty


@pytest.mark.parametrize(
    "words",
    ["kemarin", "2026-02-30 2026-03-01", "2026-12-31 2026-01-01", "2025-01-01 2026-01-02"],
)
async def test_skm_bad_periods_get_the_usage(h: Harness, words: str) -> None:
    await h.say(KABID, f"/skm {words}")
    assert h.last_reply(KABID).text == refusals.REFUSALS["skm_period"]


async def test_skm_is_refused_to_everyone_else(h: Harness) -> None:
    await _submit(h, SITI, (4,) * 9)
    for person in (SITI, BUDI, PJ, Person(9001, "Orang")):
        await h.say(person, "/skm")
        assert h.last_reply(person).text == refusals.REFUSALS["skm_staff_only"]
    await h.press_data(SITI, "v1:skm_p:tahun", SITI.id)
    assert _last_answer(h) == refusals.REFUSALS["skm_staff_only"]
    await h.press_data(KABID, "v1:skm_p:abad", KABID.id)
    assert _last_answer(h) == refusals.REFUSALS["stale_button"]


def test_the_offer_buttons_are_the_flows_entry_and_the_decline() -> None:
    """«Isi survei kepuasan» opens the form, «Lain kali» declines."""
    rows = survey.offer_markup().inline_keyboard
    labels = [(b.text, b.callback_data) for row in rows for b in row]
    assert labels == [(t.OFFER_FILL, "v1:skm_go:0"), (t.OFFER_LATER, "v1:skm_no:0")]
