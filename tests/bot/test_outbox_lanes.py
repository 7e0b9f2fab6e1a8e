"""Delivery lanes: each chat paced at Telegram's limits, no chat waiting for another."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.app import build_application
from bot.context import DELIVERY_KEY
from bot.outbox import OutboxDelivery
from bot.pacing import TELEGRAM, Pacer, SimulatedTime
from bot.services.clock import FrozenClock
from bot.services.container import Services
from bot.services.notices import OutboxDraft
from tests.fakebot import ApiCall, FakeBotApi, TelegramLimits
from tests.harness import GROUP_ID, Harness, stop_application

REPORTERS = [5001 + n for n in range(8)]


class Burst:
    """The application over a fake Bot API that enforces Telegram's limits, in simulated time."""

    def __init__(self, services: Services, clock: FrozenClock) -> None:
        start = clock.now()
        self.time = SimulatedTime(on_advance=lambda t: clock.set(start + timedelta(seconds=t)))
        self.api = FakeBotApi(limits=TelegramLimits(clock=self.time.monotonic))
        self.app = build_application(services, request=self.api, pacer=Pacer(TELEGRAM, self.time))
        self.services = services
        self.committed: dict[str, float] = {}

    @property
    def delivery(self) -> OutboxDelivery:
        delivery = self.app.bot_data[DELIVERY_KEY]
        assert isinstance(delivery, OutboxDelivery)
        return delivery

    def report_at(self, when: float, number: int) -> None:
        """A report at a simulated time: a card for the group and a notice for its reporter."""

        async def commit() -> None:
            async with self.services.uow() as uow:
                now = self.services.now()
                uow.queue(OutboxDraft(GROUP_ID, "sendMessage", {"text": f"card {number}"}), now)
                reporter = REPORTERS[number % len(REPORTERS)]
                notice = OutboxDraft(reporter, "sendMessage", {"text": f"notice {number}"})
                uow.queue(notice, now)
                await uow.commit()
            self.delivery.kick()  # drafts queued by hand: the commit kicks only for notices
            self.committed[f"notice {number}"] = self.time.now

        self.time.at(when, commit)

    async def run(self) -> None:
        """Fires every report and waits until the outbox is empty."""
        while self.time.pending:
            await self.delivery.wait_idle()
            if self.time.pending:
                await self.time.run_next()
        await self.delivery.wait_idle()

    def sent(self, chat_id: int) -> list[ApiCall]:
        return self.api.to_chat(chat_id, "sendMessage")


@pytest.fixture
async def burst(services: Services, clock: FrozenClock) -> AsyncIterator[Burst]:
    burst = Burst(services, clock)
    await burst.app.initialize()
    try:
        yield burst
    finally:
        await burst.delivery.wait_idle()
        await stop_application(burst.app)


def _numbers(calls: list[ApiCall]) -> list[int]:
    return [int(call.text.split()[-1]) for call in calls]


async def test_a_group_backlog_never_delays_private_notices_nor_trips_a_limit(
    burst: Burst,
) -> None:
    for number in range(40):
        burst.report_at(number * 0.5, number)  # 40 reports in 20 s: two minutes of cards

    await burst.run()

    limits = burst.api.limits
    assert limits is not None
    assert limits.refused == 0
    cards = burst.sent(GROUP_ID)
    assert _numbers(cards) == list(range(40))
    times = [card.at for card in cards if card.at is not None]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= 3.0  # 20 per minute, spaced: never a burst
    for reporter in REPORTERS:
        notices = burst.sent(reporter)
        assert _numbers(notices) == sorted(_numbers(notices))
        for notice in notices:
            assert notice.at is not None
            assert notice.at - burst.committed[notice.text] <= 2.0


async def test_a_429_holds_only_its_chat_for_as_long_as_telegram_asks(burst: Burst) -> None:
    burst.api.fail(
        "sendMessage",
        status=429,
        description="Too Many Requests: retry after 30",
        retry_after=30,
        chat_id=GROUP_ID,
    )
    for number in range(4):
        burst.report_at(number * 2.0, number)

    await burst.run()

    (refused,) = burst.api.to_chat(GROUP_ID, "sendMessage!failed")
    cards = burst.sent(GROUP_ID)
    assert _numbers(cards) == [0, 1, 2, 3]  # the refused card first, then the rest in order
    assert cards[0].at is not None and cards[0].at >= 30.0
    notices = [call for r in REPORTERS for call in burst.sent(r)]
    assert len(notices) == 4
    assert all(n.at is not None and n.at - burst.committed[n.text] <= 2.0 for n in notices)
    assert refused.error is not None and "retry after" in refused.error


async def test_a_chat_held_by_a_429_stays_held_across_a_restart(harness: Harness) -> None:
    h = harness
    h.api.fail(
        "sendMessage",
        status=429,
        description="Too Many Requests: retry after 40",
        retry_after=40,
        chat_id=GROUP_ID,
    )
    async with h.services.uow() as uow:
        now = h.services.now()
        for number in range(3):
            uow.queue(OutboxDraft(GROUP_ID, "sendMessage", {"text": f"card {number}"}), now)
        await uow.commit()
    h.delivery.kick()
    await h.delivery.wait_idle()
    assert _numbers(h.api.to_chat(GROUP_ID, "sendMessage")) == []

    await h.restart()
    h.advance(seconds=10)
    await h.run_job("outbox-retry")
    assert _numbers(h.api.to_chat(GROUP_ID, "sendMessage")) == []  # the later cards wait too
    h.advance(seconds=31)
    await h.run_job("outbox-retry")
    assert _numbers(h.api.to_chat(GROUP_ID, "sendMessage")) == [0, 1, 2]
