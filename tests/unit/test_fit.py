"""Fitting messages into Telegram's limits: previews, shared budgets, pages and whole texts.

What Telegram shows is checked with the strict fake's own HTML parser, so a cut inside a tag or
an entity, or a page over the limit, fails here as it would fail in Telegram.
"""

from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.common import file, message, within_limits
from bot.services.domain import FileRef, Media
from bot.texts.fit import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    Clip,
    continued,
    fit,
    full_texts,
    preview,
    shown,
    split,
    split_raw,
    subject,
)
from bot.texts.labels import esc
from tests.fakebot import parse_html

# Words, HTML's special characters, line breaks and characters of two UTF-16 units.
TEXT = st.text(alphabet=st.sampled_from([*"ab <&>\n", "🙂", "é"]), max_size=300)


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _shown(markup: str) -> str:
    return parse_html(markup)[0]


@settings(max_examples=300, deadline=None)
@given(raw=TEXT, budget=st.integers(min_value=1, max_value=320))
def test_a_preview_is_valid_html_within_its_budget_and_starts_the_text(
    raw: str, budget: int
) -> None:
    cut = preview(raw, budget)
    seen = _shown(cut)  # raises on a cut inside an entity
    assert _units(seen) <= max(budget, 1)
    assert shown(cut) == _units(seen)
    if _units(raw) <= budget:
        assert seen == raw
    else:
        assert seen.endswith("…") and raw.startswith(seen[:-1].rstrip())


@settings(max_examples=200, deadline=None)
@given(raw=TEXT, budget=st.integers(min_value=2, max_value=120))
def test_split_raw_keeps_every_character_in_parts_within_the_budget(raw: str, budget: int) -> None:
    parts = split_raw(raw, budget)
    assert all(_units(part) <= budget for part in parts)
    assert "".join(parts).replace(" ", "").replace("\n", "") == raw.replace(" ", "").replace(
        "\n", ""
    )


def test_a_message_that_fits_is_left_as_it_is() -> None:
    fitted = fit(lambda clip: f"<b>Uraian</b>: {clip('a & b', 'Uraian')}", note="catatan")
    assert fitted.text == "<b>Uraian</b>: a &amp; b" and fitted.cuts == ()


def test_the_longest_fields_are_cut_first_and_come_back_whole() -> None:
    short, long, longer = "Ruang TU", "🙂" * 1500 + " <x>", "&" * 3000

    def build(clip: Clip) -> str:
        return "\n".join(
            [
                f"Lokasi: {clip(short, 'Lokasi')}",
                f"Uraian: {clip(long, 'Uraian')}",
                f"Alasan: {clip(longer, 'Alasan')}",
            ]
        )

    fitted = fit(build, note="<i>dipotong</i>")

    seen = _shown(fitted.text)
    assert _units(seen) <= TEXT_LIMIT
    assert "Lokasi: Ruang TU\n" in seen and seen.endswith("dipotong")
    assert [(c.label, c.text) for c in fitted.cuts] == [("Uraian", long), ("Alasan", longer)]
    # Both got the same share, and the share is nearly all of the room.
    uraian = seen.split("Uraian: ")[1].split("\n")[0]
    alasan = seen.split("Alasan: ")[1].split("\n")[0]
    assert abs(_units(uraian) - _units(alasan)) <= 2
    assert _units(seen) > TEXT_LIMIT - 10


def test_names_stay_whole_while_cutting_the_long_fields_is_enough() -> None:
    name, text = "Nama " * 40, "Uraian " * 1000

    def build(clip: Clip) -> str:
        return f"{clip.name(name, 'Nama')}\n{clip(text, 'Uraian')}"

    enough = fit(build)
    assert _shown(enough.text).startswith(name.strip()) and len(enough.cuts) == 1
    # With too little room for the name, it shares the budget after all.
    tight = fit(build, 100)
    assert _units(_shown(tight.text)) <= 100 and [c.label for c in tight.cuts] == [
        "Nama",
        "Uraian",
    ]


def test_a_list_is_cut_as_one_and_comes_back_whole() -> None:
    items = [(f"Barang{n}", "spesifikasi <panjang> & " * 10) for n in range(20)]

    def build(clip: Clip) -> str:
        lines = clip.lines("Daftar", items, lambda field, i: f"{field(i[0])}: {field(i[1])}")
        return "\n".join(["<b>Daftar</b>", *lines])

    fitted = fit(build, 1000)

    assert _units(_shown(fitted.text)) <= 1000
    assert all(f"Barang{n}" in fitted.text for n in range(20))
    ((label, lines),) = [(c.label, c.lines) for c in fitted.cuts]
    assert label == "Daftar" and lines[3] == f"Barang3: {esc(items[3][1])}"


def test_fixed_parts_too_long_for_any_budget_are_still_cut_to_the_limit() -> None:
    fitted = fit(lambda clip: "<b>" + "x" * 5000 + "</b>", 100)
    assert _units(_shown(fitted.text)) <= 100


@settings(max_examples=100, deadline=None)
@given(lines=st.lists(TEXT.map(esc), min_size=1, max_size=40), limit=st.integers(60, 400))
def test_split_pages_are_valid_within_the_limit_and_keep_the_order(
    lines: list[str], limit: int
) -> None:
    markup = "\n".join(f"<b>{n}</b> {line}" for n, line in enumerate(lines))
    head = continued("<code>BN-2026-00001</code>")
    pages = split(markup, limit, head)
    assert all(_units(_shown(page)) <= limit for page in pages)
    if len(pages) > 1:
        assert all(page.startswith(head) for page in pages[1:])
    joined = "".join(_shown(page).replace(_shown(head), "") for page in pages)
    assert "".join(_shown(markup).split()) == "".join(joined.split())


def test_full_texts_carry_a_long_text_whole_in_numbered_parts() -> None:
    raw = "Kabel <LAN> & 🙂 putus; " * 400
    fitted = fit(lambda clip: clip(raw, "Uraian gangguan"))

    parts = full_texts(subject("BN-2026-00001"), fitted.cuts)

    assert len(parts) == 3
    seen = [_shown(part) for part in parts]
    assert all(_units(s) <= TEXT_LIMIT for s in seen)
    assert seen[0].startswith("BN-2026-00001 · Uraian gangguan, teks lengkap (bagian 1 dari 3)")
    bodies = "".join(s.split("\n\n", 1)[1] for s in seen)
    assert bodies.replace(" ", "") == raw.strip().replace(" ", "")


def test_a_text_cut_twice_is_sent_whole_once() -> None:
    answer = "Jawaban " * 400
    fitted = fit(lambda clip: f"{clip(answer, 'Jawaban')}\n{clip(answer, 'Riwayat, Dijawab')}")
    assert len(fitted.cuts) == 2
    (whole,) = full_texts(subject("ADU-2026-00001"), fitted.cuts)
    assert "<b>Jawaban</b>" in whole and answer.strip() in whole


def test_the_render_guard_splits_and_shortens_what_still_outgrew_a_limit(
    caplog: pytest.LogCaptureFixture,
) -> None:
    long_text = "\n".join(f"<b>{n}</b> " + "🙂" * 100 for n in range(40))
    photo = FileRef("f", "fu", Media.PHOTO)
    drafts = [
        message(1, long_text, purpose="sla_digest"),
        file(1, photo, "<i>" + "&amp;" * 2000 + "</i>"),
    ]

    with caplog.at_level(logging.WARNING, logger="bot.render.common"):
        guarded = within_limits(drafts)

    texts = [d.payload["text"] for d in guarded if d.method == "sendMessage"]
    assert len(texts) > 1 and all(_units(_shown(t)) <= TEXT_LIMIT for t in texts)
    assert guarded[len(texts) - 1].purpose == "sla_digest"
    (caption,) = [d.payload["caption"] for d in guarded if d.method == "sendPhoto"]
    assert _units(_shown(caption)) <= CAPTION_LIMIT
    assert len(caplog.records) == 2
