"""The pacer's slots: a group every 3.05 s, a chat every 1.05 s, all chats 29 a second."""

from __future__ import annotations

from typing import Any

from bot.pacing import OUTBOX_SEND, TELEGRAM, PacedLimiter, Pacer, SimulatedTime

GROUP = -1001
PRIVATE = 2001


def test_a_group_waits_its_interval_and_other_chats_only_the_overall_one() -> None:
    time = SimulatedTime()
    pacer = Pacer(TELEGRAM, time)
    pacer.take(GROUP)
    assert pacer.ready_at(GROUP) == TELEGRAM.group
    assert pacer.ready_at(PRIVATE) == TELEGRAM.overall  # not held up by the group
    time.now = 0.5
    pacer.take(PRIVATE)
    assert pacer.ready_at(PRIVATE) == 0.5 + TELEGRAM.private
    assert 60 / TELEGRAM.group < 20 and 1 / TELEGRAM.overall < 30  # under Telegram's limits


async def test_a_direct_reply_takes_its_slot_and_an_outbox_send_counts_once() -> None:
    time = SimulatedTime()
    pacer = Pacer(TELEGRAM, time)
    limiter = PacedLimiter(pacer)

    async def send(**_kwargs: Any) -> bool:
        return True

    await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": PRIVATE}, None)
    assert pacer.ready_at(PRIVATE) == TELEGRAM.private
    token = OUTBOX_SEND.set(True)
    try:
        await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": GROUP}, None)
    finally:
        OUTBOX_SEND.reset(token)
    assert pacer.ready_at(GROUP) == TELEGRAM.overall  # only the overall slot of the reply
    await limiter.process_request(send, (), {}, "answerCallbackQuery", {"chat_id": GROUP}, None)
    assert pacer.ready_at(GROUP) == TELEGRAM.overall  # answers are not messages
