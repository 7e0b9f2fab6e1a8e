"""Drives the real Application offline: updates in via process_update, calls out to the fake."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from telegram import Update
from telegram.ext import AIORateLimiter, ConversationHandler

from bot.app import build_application
from bot.context import DELIVERY_KEY, BotApp, BotContext
from bot.outbox import OutboxDelivery
from bot.pacing import NO_LIMITS, Pacer
from bot.services import users
from bot.services.clock import FrozenClock
from bot.services.container import Services
from bot.services.domain import Actor, Role, UserView
from bot.services.users import Registration
from tests.factories import Person, UpdateFactory
from tests.fakebot import ApiCall, FakeBotApi

ADMIN = Person(1001, "Admin", "Kominfo")
GROUP_ID = -1002000000001


async def start_application(
    services: Services, api: FakeBotApi, first: ConversationHandler[BotContext] | None = None
) -> BotApp:
    """Builds and initialises the real Application against the fake Bot API (with one more
    conversation first among the handlers, when given); its scheduler starts paused."""
    app = build_application(
        services,
        request=api,
        rate_limiter=AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=0),
        pacer=Pacer(NO_LIMITS),
    )
    if first is not None:
        app.handlers[0].insert(0, first)
    await app.initialize()
    # PTB ignores conversation timeouts (with a warning) unless the scheduler runs; paused, it
    # holds the jobs without firing them, and tests run them by hand (Harness.run_job).
    assert app.job_queue is not None
    app.job_queue.scheduler.start(paused=True)
    return app


async def stop_application(app: BotApp) -> None:
    """Stops the application's job queue when it runs and shuts the application down."""
    if app.job_queue is not None and app.job_queue.scheduler.running:
        await app.job_queue.stop(wait=False)
    await app.shutdown()


@asynccontextmanager
async def running(
    services: Services,
    api: FakeBotApi,
    clock: FrozenClock,
    first: ConversationHandler[BotContext] | None = None,
) -> AsyncIterator[Harness]:
    """Yields a harness over a started application and stops the application afterwards."""
    harness = Harness(await start_application(services, api, first), api, services, clock)
    try:
        yield harness
    finally:
        await harness.delivery.wait_idle()
        await stop_application(harness.app)


class Harness:
    """The bot under test, with helpers to talk to it like its users do."""

    def __init__(
        self, app: BotApp, api: FakeBotApi, services: Services, clock: FrozenClock
    ) -> None:
        self.app = app
        self.api = api
        self.services = services
        self.clock = clock
        self.updates = UpdateFactory(app.bot)
        self.transcript: list[str] = []

    @property
    def delivery(self) -> OutboxDelivery:
        """Returns the outbox delivery of the application."""
        delivery = self.app.bot_data[DELIVERY_KEY]
        assert isinstance(delivery, OutboxDelivery)
        return delivery

    async def process(self, update: Update) -> None:
        """Processes one update and waits for the outbox deliveries it caused."""
        seen = len(self.api.calls)
        self.transcript.append(_describe_update(update))
        await self.app.process_update(update)
        await self.delivery.wait_idle()
        self.transcript.extend(_describe_call(call) for call in self.api.calls[seen:])
        # A refusal fails the test even when the bot's error handling hid it from the user.
        self.api.assert_no_refusals()

    async def restart(self) -> None:
        """Stops the application as a shutdown would and starts a new one on the same database."""
        await self.app.update_persistence()
        await self.delivery.wait_idle()
        self.api.assert_no_refusals()
        await stop_application(self.app)
        app = await start_application(self.services, self.api)
        self.app = app
        self.updates.bot = app.bot

    async def say(self, person: Person, text: str, chat_id: int | None = None) -> None:
        """Sends a text (or command) as a person."""
        await self.process(self.updates.text(person, text, chat_id))

    async def reply(self, person: Person, call: ApiCall, text: str) -> None:
        """Answers a message the bot sent with a reply (as a ForceReply prompt asks)."""
        assert call.message_id is not None
        await self.process(
            self.updates.text(person, text, call.chat_id, reply_to=(call.message_id, call.text))
        )

    async def press(self, person: Person, call: ApiCall, label: str) -> None:
        """Presses the button with a label on a message the bot sent."""
        data = dict(call.buttons).get(label)
        assert data is not None, f"no button {label!r} in {call.buttons}"
        assert call.message_id is not None and call.chat_id is not None
        await self.process(
            self.updates.press(person, data, call.message_id, call.chat_id, call.text)
        )

    async def press_data(
        self, person: Person, data: str, chat_id: int, message_id: int = 1
    ) -> None:
        """Presses a button with arbitrary (possibly forged) data."""
        await self.process(self.updates.press(person, data, message_id, chat_id))

    async def run_job(self, name: str) -> None:
        """Runs a named repeating job once, as the JobQueue would."""
        assert self.app.job_queue is not None
        (job,) = self.app.job_queue.get_jobs_by_name(name)
        await job.run(self.app)
        await self.delivery.wait_idle()
        self.api.assert_no_refusals()

    def advance(self, **delta: float) -> None:
        """Moves the frozen clock forward."""
        self.clock.advance(timedelta(**delta))

    def replies_to(self, person: Person) -> list[ApiCall]:
        """Returns every message sent to a person's private chat."""
        return self.api.to_chat(person.id)

    def with_button(self, chat_id: int, label: str) -> ApiCall:
        """Returns the last message to a chat that carries a button with this label."""
        for call in reversed(self.api.to_chat(chat_id)):
            if label in dict(call.buttons):
                return call
        raise AssertionError(f"no message to {chat_id} with button {label!r}")

    async def choose(self, person: Person, label: str, chat_id: int | None = None) -> None:
        """Presses the button with this label on the last message to the chat (by default the
        person's own) that carries it."""
        await self.press(person, self.with_button(chat_id or person.id, label), label)

    def last_reply(self, person: Person) -> ApiCall:
        """Returns the last message sent to a person's private chat."""
        return self.api.last_to(person.id)

    # --- arranging through services ------------------------------------------------------

    async def reporter(
        self, person: Person, opd_code: str = "dinkes", phone: str = "081234567890"
    ) -> UserView:
        """Registers a person as a reporter of an OPD, as an invite would."""
        services = self.services
        async with services.uow() as uow:
            opd = await uow.opds.by_code(opd_code)
            assert opd is not None
            invite = await users.create_invite(
                uow, services.context(Actor(ADMIN.id, "Admin")), opd.id
            )
        async with services.uow() as uow:
            return await users.register(
                uow,
                services.context(Actor(person.id)),
                invite.token,
                Registration(
                    f"{person.first_name} {person.last_name}".strip(),
                    phone,
                    None,
                    "Pranata Komputer",
                ),
            )

    async def staff(self, person: Person, *roles: Role) -> UserView:
        """Records a Kominfo staff member with roles, as an admin would with /peran."""
        services = self.services
        async with services.uow() as uow:
            view = await users.touch_user(
                uow, services.context(Actor(person.id, person.first_name))
            )
        for role in roles:
            async with services.uow() as uow:
                view = await users.set_role(
                    uow, services.context(Actor(ADMIN.id, "Admin")), person.id, role, True
                )
        return view


def _describe_update(update: Update) -> str:
    user = update.effective_user
    who = f"{user.full_name} ({user.id})" if user else "?"
    where = (
        ""
        if update.effective_chat is None or update.effective_chat.type == "private"
        else f" in {update.effective_chat.id}"
    )
    if update.callback_query is not None:
        return f">>> {who}{where} presses [{update.callback_query.data}]"
    message = update.effective_message
    if message is None:
        return f">>> {who}{where}: (update)"
    if message.text:
        return f">>> {who}{where}: {message.text}"
    if message.photo:
        return f">>> {who}{where}: (photo {message.photo[-1].file_id})"
    if message.document:
        return f">>> {who}{where}: (document {message.document.file_name})"
    if message.contact:
        return f">>> {who}{where}: (contact {message.contact.phone_number})"
    return f">>> {who}{where}: (other message)"


def _describe_call(call: ApiCall) -> str:
    head = f"<<< {call.method} -> {call.chat_id}"
    if call.error:
        head += f" ({call.error})"
    if call.timed_out:
        head += " (delivered, but timed out)"
    body = call.text
    buttons = " ".join(f"[{label}]" for label, _ in call.buttons)
    keyboard = " ".join(f"[{label}]" for label in call.keyboard)
    extras = "\n".join(x for x in (buttons, keyboard) if x)
    lines = [head]
    if body:
        lines.append(_indent(body))
    if call.method == "sendMediaGroup":
        lines.append(_indent(f"({len(call.params.get('media') or [])} photos)"))
    if extras:
        lines.append(_indent(extras))
    return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join("      " + line for line in text.splitlines())
