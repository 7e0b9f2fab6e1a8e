"""The fake Bot API refuses what Telegram refuses, through PTB's own response checks."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, TimedOut

from tests.fakebot import FakeBotApi, HtmlError, parse_html

CHAT = 2001
GROUP = -1002000000001


@pytest.fixture
async def api() -> FakeBotApi:
    """A fresh fake."""
    return FakeBotApi()


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    """A plain PTB bot talking to the fake."""
    bot = Bot("123456:TEST-TOKEN", request=api, get_updates_request=api)
    await bot.initialize()
    yield bot
    await bot.shutdown()


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<b>tebal", 'Can\'t find end tag corresponding to start tag "b"'),
        ("tebal</b>", "Unexpected end tag"),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("<br>", 'Unsupported start tag "br"'),
        ("<p>x</p>", 'Unsupported start tag "p"'),
        ("a < b", 'Unsupported start tag ""'),
        ("R&D", 'Unescaped "&"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ('<a href="x">x', "Can't find end tag"),
        ("<b class>x</b>", "Expected equal sign"),
    ],
)
def test_html_that_telegram_rejects_is_rejected(html: str, reason: str) -> None:
    with pytest.raises(HtmlError, match=reason.replace("(", r"\(")):
        parse_html(html)


def test_supported_html_gives_the_shown_text_and_its_entities() -> None:
    html = (
        "<b>B</b><strong>S</strong><i>I</i><em>E</em><u>U</u><ins>N</ins><s>S</s>"
        '<strike>K</strike><del>D</del><span class="tg-spoiler">P</span><tg-spoiler>Q</tg-spoiler>'
        '<a href="https://x.id/?a=1&amp;b=2">A</a><code>C</code><pre>R</pre>'
        "<blockquote expandable>Z</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
        " &lt;&gt;&amp;&quot;&#65;&#x42;"
    )
    text, entities = parse_html(html)
    assert text == 'BSIEUNSKDPQACRZ👍 <>&"AB'
    assert [kind for kind, *_ in entities] == [
        *("b", "b", "i", "i", "u", "u", "s", "s", "s", "tg-spoiler", "tg-spoiler"),
        *("a", "code", "pre", "blockquote", "tg-emoji"),
    ]
    assert ("a", 11, 1, "https://x.id/?a=1&b=2") in entities
    assert ("tg-emoji", 15, 2, "5368324170671202286") in entities  # UTF-16 units


async def test_bad_html_is_a_bad_request_and_is_recorded(bot: Bot, api: FakeBotApi) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag"):
        await bot.send_message(CHAT, "1 < 2", parse_mode=ParseMode.HTML)
    await bot.send_message(CHAT, "1 < 2")  # no parse mode: plain text
    (refused,) = api.take_refusals()
    assert refused.method == "sendMessage!refused" and refused.chat_id == CHAT
    assert [c.text for c in api.to_chat(CHAT, "sendMessage")] == ["1 < 2"]


async def test_texts_and_captions_are_limited_in_utf16_units_of_the_shown_text(
    bot: Bot, api: FakeBotApi
) -> None:
    await bot.send_message(CHAT, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    await bot.send_message(CHAT, "&amp;" * 4096, parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(CHAT, "😀" * 2049)  # 4,098 UTF-16 units
    await bot.send_photo(CHAT, "photo-id", caption="x" * 1024)
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(CHAT, "doc-id", caption="x" * 1025)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(CHAT, "<b> </b>", parse_mode=ParseMode.HTML)
    assert len(api.take_refusals()) == 3


async def test_a_callback_query_is_answered_once(bot: Bot, api: FakeBotApi) -> None:
    await bot.answer_callback_query("q-1", "Baik")
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("q-1")
    with pytest.raises(BadRequest, match="Message_too_long"):
        await bot.answer_callback_query("q-2", "x" * 201)
    assert len(api.take_refusals()) == 2


async def test_callback_data_over_64_bytes_is_refused(bot: Bot, api: FakeBotApi) -> None:
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="é" * 32)]])
    await bot.send_message(CHAT, "kartu", reply_markup=ok)
    long = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(CHAT, "kartu", reply_markup=long)
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.edit_message_reply_markup(CHAT, 1000, reply_markup=long)
    assert len(api.take_refusals()) == 2


async def test_an_edit_that_changes_nothing_is_refused(bot: Bot, api: FakeBotApi) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Ambil", callback_data="v1:claim:1")]])
    sent = await bot.send_message(CHAT, "<b>BN-1</b>", parse_mode="HTML", reply_markup=markup)
    mid = sent.message_id
    with pytest.raises(BadRequest, match="Message is not modified"):
        # Other tags, same entities: Telegram compares what is shown, not the markup.
        await bot.edit_message_text(
            "<strong>BN-1</strong>", CHAT, mid, parse_mode="HTML", reply_markup=markup
        )
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(CHAT, mid, reply_markup=markup)
    await bot.edit_message_text("<b>BN-1</b>", CHAT, mid, parse_mode="HTML")  # buttons go
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(CHAT, mid)
    await bot.edit_message_text("<i>BN-1</i>", CHAT, mid, parse_mode="HTML")
    assert await bot.delete_message(CHAT, mid)
    assert not api.shows(CHAT, mid)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("BN-1 lagi", CHAT, mid)
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        photo = await bot.send_photo(CHAT, "photo-id", caption="foto")
        await bot.edit_message_text("teks", CHAT, photo.message_id)
    assert len(api.take_refusals()) == 5


async def test_a_migrated_group_answers_with_its_new_id(bot: Bot, api: FakeBotApi) -> None:
    api.migrate(GROUP, -1009999)
    with pytest.raises(ChatMigrated) as raised:
        await bot.send_message(GROUP, "kartu")
    assert raised.value.new_chat_id == -1009999
    assert [c.method for c in api.calls if c.chat_id == GROUP] == ["sendMessage!failed"]
    await bot.send_message(-1009999, "kartu")
    assert api.take_refusals() == []  # injected, not a refusal


async def test_a_timeout_after_delivery_delivers_and_raises(bot: Bot, api: FakeBotApi) -> None:
    api.time_out("sendMessage", chat_id=GROUP)
    with pytest.raises(TimedOut):
        await bot.send_message(GROUP, "kartu")
    await bot.send_message(GROUP, "kartu")
    first, second = api.to_chat(GROUP, "sendMessage")
    assert first.timed_out and not second.timed_out
    assert first.message_id is not None and api.shows(GROUP, first.message_id)


async def test_expected_refusals_are_announced(bot: Bot, api: FakeBotApi) -> None:
    with api.expect_refusal("not modified") as refused:
        sent = await bot.send_message(CHAT, "a")
        with pytest.raises(BadRequest):
            await bot.edit_message_text("a", CHAT, sent.message_id)
    assert len(refused) == 1
    api.assert_no_refusals()
    with pytest.raises(AssertionError, match="refused nothing"), api.expect_refusal("x"):
        pass
    with pytest.raises(BadRequest):
        await bot.send_message(CHAT, "")
    with pytest.raises(AssertionError, match="Telegram refused: sendMessage!refused"):
        api.assert_no_refusals()


async def test_an_album_is_refused_as_telegram_refuses_it(bot: Bot, api: FakeBotApi) -> None:
    photo = InputMediaPhoto("p1", caption="Foto")
    with api.expect_refusal("wrong number of messages"), pytest.raises(BadRequest):
        await bot.send_media_group(CHAT, [photo])
    with api.expect_refusal("can't be mixed"), pytest.raises(BadRequest):
        await bot.send_media_group(CHAT, [photo, InputMediaDocument("d1")])
    sent = await bot.send_media_group(CHAT, [photo, InputMediaPhoto("p2")])
    assert [m.caption for m in sent] == ["Foto", None]
    assert len(api.by_method("sendMediaGroup")) == 1
