"""The ticket as a conversation: the OPD and the technicians write to each other inside a ticket.

A message (a "note") is never downloaded: the bot relays it with `copyMessage` from the chat it
was written in, under a header naming the ticket and the writer, to the other side: from the OPD
to the technician handling the ticket, the technician group (the ticket's forum topic, or a
reply to its job card) and, while the report waits for its disposition, the coordinators; from
a technician or coordinator to the OPD person who wrote (or the ticket's reporter). Every note is
a ticket event (`msg_<kind>`) on the timeline and a row of `ticket_note`.

Every bot message about a ticket is remembered as a `ticket_post` (chat, message id): a reply to
it is a message to that ticket. Lookups are per chat, so a reply can only name a message of the
chat it was written in, and the writer's right to the ticket is checked on every note.

The technician group's place of a ticket is decided when a call is delivered (the topic is only
known once Telegram created it): calls carry a `PLACE` marker that :func:`place_payload`
resolves (see there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple

from bot.services import history
from bot.services.context import Context
from bot.services.domain import Role, Status, TicketView
from bot.services.errors import InvalidState, NotFound
from bot.services.notices import TicketNotice
from bot.services.tech_group import FORUM_KEY, tech_group_id
from bot.services.uow import UnitOfWork
from bot.services.users import require_user
from db.models import Ticket, TicketEvent, TicketNote, User

# Purposes of `ticket_message` rows: the job card (the outbox's own purpose), the ticket's forum
# topic (its `message_id` is the topic's message_thread_id) and the mark that it was closed.
JOB_CARD = "job_card"
TOPIC = "forum_topic"
TOPIC_CLOSED = "forum_topic_closed"
# Payload keys the delivery reads and removes before the call goes out.
PLACE = "ticket_place"
NOTE = "ticket_note"
TOPIC_NAME_MAX = 128  # Telegram's limit of a topic name
FLOOD_LIMIT = 20  # notes per person per ticket ...
FLOOD_WINDOW = timedelta(minutes=1)  # ... within this window
EXCERPT_MAX = 300
EVENT_PREFIX = "msg_"
CLOSED = frozenset({Status.CLOSED, Status.CANCELLED})


class Place(StrEnum):
    """Where in the technician group a call goes (resolved at delivery)."""

    CREATE = "create"  # createForumTopic: only in a forum, once per ticket
    TOPIC = "topic"  # into the ticket's topic, if it has one
    REPLY = "reply"  # into the topic, else as a reply to the job card
    PIN = "pin"  # pin the job card in the topic (skipped without a topic)
    CLOSE = "close"  # close the topic (skipped without one, or once closed)


class Side(StrEnum):
    """Who wrote a note: the OPD (reporters) or Kominfo (technicians and coordinators)."""

    OPD = "opd"
    STAFF = "staff"


class Kind(StrEnum):
    """What a note is (the timeline and the header say so)."""

    TEXT = "text"
    PHOTO = "photo"
    DOCUMENT = "document"
    VOICE = "voice"
    VIDEO = "video"
    AUDIO = "audio"
    VIDEO_NOTE = "video_note"
    ANIMATION = "animation"
    LOCATION = "location"
    OTHER = "other"


class Offer(StrEnum):
    """Buttons under a relayed note."""

    WRITE = "write"  # «Kirim pesan» (answer in the ticket)
    RESUME = "resume"  # «Lanjutkan» (an answer to a hold, for the technician)


class GroupPlace(NamedTuple):
    """The ticket's place in the technician group: the chat, its topic, or the job card."""

    chat_id: int
    message_thread_id: int | None
    reply_to_message_id: int | None


@dataclass(frozen=True)
class Incoming:
    """A message someone wrote to a ticket, as the chat holds it."""

    chat_id: int
    message_id: int
    kind: Kind
    text: str | None  # the text or caption
    in_group: bool = False


@dataclass(frozen=True)
class NoteView:
    """One note of a ticket, for the header of its relay, the list and a resend."""

    id: int
    number: int  # the note's position in its ticket (1, 2, ...)
    ticket_id: int
    ticket_number: str
    opd_name: str
    sender_name: str
    side: Side
    kind: Kind
    excerpt: str | None
    source_chat_id: int
    source_message_id: int
    at: datetime


class NoteRelay(TicketNotice):
    """Relay a note to one chat: its header, the copy, and the buttons offered under it."""

    note: NoteView
    group: bool  # the technician group: the ticket's place is resolved at delivery
    offers: tuple[Offer, ...] = ()
    forum: bool = False  # the group is a forum: the note is in the ticket's topic
    held: bool = False  # the ticket waits for the OPD: an OPD note may be its answer


@dataclass(frozen=True)
class Sent:
    """What the writer is told: the ticket and how many chats the note goes to."""

    ticket: TicketView
    note: NoteView
    recipients: int


# --- the ticket's place in the technician group ----------------------------------------------


async def group_place(uow: UnitOfWork, ctx: Context, ticket_id: int) -> GroupPlace | None:
    """Returns where a message about a ticket goes in the technician group now: its forum topic
    (message_thread_id), else a reply to its job card; None without a technician group.

    For a call queued now and delivered later, :data:`PLACE` in the payload is surer (the topic
    and the card may still be on their way): see :func:`place_payload`.
    """
    group = await tech_group_id(uow, ctx.settings)
    if group is None:
        return None
    topic = await _open_topic(uow, group, ticket_id)
    if topic is not None:
        return GroupPlace(group, topic, None)
    card = await uow.ticket_messages.get(group, JOB_CARD, ticket_id=ticket_id)
    return GroupPlace(group, None, card.message_id if card else None)


async def _open_topic(uow: UnitOfWork, chat_id: int, ticket_id: int) -> int | None:
    topic = await uow.ticket_messages.get(chat_id, TOPIC, ticket_id=ticket_id)
    if topic is None or await uow.ticket_messages.get(chat_id, TOPIC_CLOSED, ticket_id=ticket_id):
        return None
    return topic.message_id


async def is_forum(uow: UnitOfWork, chat_id: int) -> bool:
    """Tells whether a chat was last seen as a forum supergroup."""
    return await uow.settings.get(f"{FORUM_KEY}{chat_id}") == "1"


async def note_forum(uow: UnitOfWork, chat_id: int, forum: bool) -> None:
    """Records whether a group is a forum (as its updates show it); a group never recorded is
    not one, so a plain group costs no write."""
    if await is_forum(uow, chat_id) == forum:
        return
    await uow.settings.set(f"{FORUM_KEY}{chat_id}", "1" if forum else "0")
    await uow.commit()


def topic_name(number: str, opd_name: str) -> str:
    """Returns the name of a ticket's topic: its number and OPD, within Telegram's limit."""
    name = f"{number} · {opd_name}"
    return name if len(name) <= TOPIC_NAME_MAX else name[: TOPIC_NAME_MAX - 1] + "…"


async def place_payload(
    uow: UnitOfWork, chat_id: int, ticket_id: int | None, payload: dict[str, Any]
) -> dict[str, Any] | None:
    """Resolves a call's :data:`PLACE` marker just before delivery; None skips the call.

    `create` is skipped unless the chat is a forum and the ticket has no topic there; `topic`
    adds the topic's message_thread_id; `reply` adds it, or else replies to the job card (the
    reply survives a deleted card); `pin` pins the job card in the topic and `close` closes the
    topic, both skipped without an open topic.
    """
    kwargs = {k: v for k, v in payload.items() if k not in (PLACE, NOTE)}
    place = payload.get(PLACE)
    if place is None or ticket_id is None:
        return kwargs
    topic = await _open_topic(uow, chat_id, ticket_id)
    match Place(place):
        case Place.CREATE:
            known = await uow.ticket_messages.get(chat_id, TOPIC, ticket_id=ticket_id)
            return kwargs if known is None and await is_forum(uow, chat_id) else None
        case Place.TOPIC | Place.CLOSE if topic is not None:
            return {**kwargs, "message_thread_id": topic}
        case Place.REPLY:
            if topic is not None:
                return {**kwargs, "message_thread_id": topic}
            card = await uow.ticket_messages.get(chat_id, JOB_CARD, ticket_id=ticket_id)
            if card is not None:
                kwargs["reply_parameters"] = {
                    "message_id": card.message_id,
                    "allow_sending_without_reply": True,
                }
            return kwargs
        case Place.PIN if topic is not None:
            card = await uow.ticket_messages.get(chat_id, JOB_CARD, ticket_id=ticket_id)
            return {**kwargs, "message_id": card.message_id} if card is not None else None
        case Place.TOPIC:
            return kwargs
    return None


async def remember(
    uow: UnitOfWork,
    method: str,
    chat_id: int,
    ticket_id: int | None,
    payload: dict[str, Any],
    message_id: int | None,
) -> None:
    """Records what a delivered call about a ticket left in a chat (nothing is committed): a
    topic, a closed topic, or a message a reply to which is a message to the ticket."""
    if ticket_id is None:
        return
    if method == "createForumTopic" and message_id is not None:
        await uow.ticket_messages.save(chat_id, TOPIC, message_id, ticket_id=ticket_id)
    elif method == "closeForumTopic":
        await uow.ticket_messages.save(chat_id, TOPIC_CLOSED, 0, ticket_id=ticket_id)
    elif message_id is not None and method.startswith(("send", "copy")):
        note = payload.get(NOTE)
        await _post(uow, ticket_id, chat_id, message_id, int(note) if note else None)


async def _post(
    uow: UnitOfWork, ticket_id: int, chat_id: int, message_id: int, note_id: int | None
) -> None:
    await uow.ticket_messages.add_post(ticket_id, chat_id, message_id, note_id)


async def remember_direct(uow: UnitOfWork, ticket_id: int, chat_id: int, message_id: int) -> None:
    """Records a message the bot sent directly about a ticket (e.g. `/tiket`) and commits."""
    await uow.ticket_messages.add_post(ticket_id, chat_id, message_id)
    await uow.commit()


# --- finding the ticket a message is about ---------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The ticket a message is written to, and the note it answers (if any)."""

    ticket_id: int
    answers_id: int | None = None


async def by_reply(uow: UnitOfWork, chat_id: int, message_id: int) -> Target | None:
    """Returns the ticket of a bot message in a chat (a reply to it writes to the ticket)."""
    post = await uow.ticket_messages.post_at(chat_id, message_id)
    return Target(post.ticket_id, post.note_id) if post is not None else None


async def by_topic(uow: UnitOfWork, chat_id: int, thread_id: int) -> Target | None:
    """Returns the ticket whose forum topic this is, in the technician group only."""
    topic = await uow.ticket_messages.recorded_at(chat_id, TOPIC, thread_id)
    return Target(topic.ticket_id) if topic is not None and topic.ticket_id else None


# --- who may write and read ------------------------------------------------------------------


def side_of(user: User, ticket: Ticket, *, in_group: bool) -> Side:
    """Returns on which side a user writes to a ticket; refuses everyone else like a missing
    ticket (other OPDs' tickets stay private)."""
    roles = user.roles
    staff = bool(roles & {Role.TECHNICIAN.value, Role.COORDINATOR.value})
    opd = Role.REPORTER.value in roles and user.opd_id == ticket.opd_id
    if opd and not in_group:
        return Side.OPD
    if staff:
        return Side.STAFF
    raise NotFound(what="ticket")


def may_read(user: User, ticket: Ticket) -> bool:
    """Tells whether a user may read a ticket's conversation (its OPD, technicians and
    coordinators; not the other staff who may see the ticket itself)."""
    try:
        side_of(user, ticket, in_group=False)
    except NotFound:
        return False
    return True


async def _ticket_for(
    uow: UnitOfWork, ctx: Context, ticket_id: int, *, in_group: bool = False
) -> tuple[User, Ticket, Side]:
    user = await require_user(uow, ctx.who)
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        raise NotFound(what="ticket")
    return user, ticket, side_of(user, ticket, in_group=in_group)


def _open(ticket: Ticket) -> None:
    if Status(ticket.status) in CLOSED:
        raise InvalidState("ticket_closed_note", number=ticket.number)


async def check_answer(uow: UnitOfWork, ctx: Context, note_id: int) -> tuple[int, str]:
    """Refuses early whoever may not answer a note now; returns its ticket's id and number."""
    note = await uow.notes.get(note_id)
    if note is None:
        raise NotFound(what="ticket")
    return note.ticket_id, await check_write(uow, ctx, note.ticket_id)


async def check_write(uow: UnitOfWork, ctx: Context, ticket_id: int) -> str:
    """Refuses early (before «Kirim pesan» asks) whoever may not write to the ticket now;
    returns the ticket's number."""
    _user, ticket, _side = await _ticket_for(uow, ctx, ticket_id)
    _open(ticket)
    return ticket.number


# --- writing ---------------------------------------------------------------------------------


def excerpt(text: str | None) -> str | None:
    """Returns the start of a text or caption as the timeline keeps it."""
    if not text or not text.strip():
        return None
    one = " ".join(text.split())
    return one if len(one) <= EXCERPT_MAX else one[: EXCERPT_MAX - 1] + "…"


async def _flooding(uow: UnitOfWork, user: User, ticket_id: int, now: datetime) -> bool:
    return await uow.notes.count_since(ticket_id, user.id, now - FLOOD_WINDOW) >= FLOOD_LIMIT


async def _position(uow: UnitOfWork, ticket_id: int, note_id: int) -> int:
    return await uow.notes.position(ticket_id, note_id)


async def _view(uow: UnitOfWork, note: TicketNote, ticket: Ticket) -> NoteView:
    return NoteView(
        id=note.id,
        number=await _position(uow, ticket.id, note.id),
        ticket_id=ticket.id,
        ticket_number=ticket.number,
        opd_name=ticket.opd.name,
        sender_name=note.sender.full_name,
        side=Side(note.side),
        kind=Kind(note.kind),
        excerpt=note.excerpt,
        source_chat_id=note.source_chat_id,
        source_message_id=note.source_message_id,
        at=note.at,
    )


async def write(uow: UnitOfWork, ctx: Context, target: Target, message: Incoming) -> Sent:
    """Records a note written to a ticket and relays it to the other side, in one commit."""
    from bot.services.tickets import ticket_view  # tickets imports the flow this module uses

    user, ticket, side = await _ticket_for(uow, ctx, target.ticket_id, in_group=message.in_group)
    _open(ticket)
    if await _flooding(uow, user, ticket.id, ctx.now):
        raise InvalidState("note_flood", limit=FLOOD_LIMIT, number=ticket.number)
    answers = await _answered(uow, target, ticket)
    text = excerpt(message.text)
    event = history.entry(
        TicketEvent,
        ctx.now,
        user,
        f"{EVENT_PREFIX}{message.kind.value}",
        note=text,
        ticket_id=ticket.id,
    )
    uow.events.add(event)
    await uow.tickets.flush()
    note = TicketNote(
        ticket_id=ticket.id,
        event_id=event.id,
        sender_id=user.id,
        side=side.value,
        kind=message.kind.value,
        excerpt=text,
        source_chat_id=message.chat_id,
        source_message_id=message.message_id,
        answers_id=answers.id if answers else None,
        at=ctx.now,
    )
    await uow.notes.add(note)
    await _post(uow, ticket.id, message.chat_id, message.message_id, note.id)
    view = ticket_view(ticket)
    note_view = await _view(uow, note, ticket)
    recipients = await _deliver(uow, ctx, user, ticket, view, note_view, side, answers, message)
    await uow.commit()
    return Sent(view, note_view, recipients)


async def _answered(uow: UnitOfWork, target: Target, ticket: Ticket) -> TicketNote | None:
    if target.answers_id is None:
        return None
    note = await uow.notes.get(target.answers_id)
    # A post names its note, and both the ticket: a note of another ticket is no answer.
    return note if note is not None and note.ticket_id == ticket.id else None


async def _deliver(
    uow: UnitOfWork,
    ctx: Context,
    writer: User,
    ticket: Ticket,
    view: TicketView,
    note: NoteView,
    side: Side,
    answers: TicketNote | None,
    message: Incoming,
) -> int:
    """Queues the relays of a note; returns to how many chats."""
    chats: dict[int, tuple[Offer, ...]] = {}
    group = await tech_group_id(uow, ctx.settings)
    held = side is Side.OPD and Status(ticket.status) is Status.ON_HOLD
    if side is Side.OPD:
        if ticket.assignee is not None:
            chats[ticket.assignee.telegram_id] = (
                (Offer.WRITE, Offer.RESUME) if held else (Offer.WRITE,)
            )
        if Status(ticket.status) is Status.NEW:
            for coordinator in await uow.users.with_role(Role.COORDINATOR.value):
                chats.setdefault(coordinator.telegram_id, (Offer.WRITE,))
    else:
        opd_writer = answers.sender if answers is not None and answers.side == Side.OPD else None
        still_opd = (
            opd_writer is not None and opd_writer.active and opd_writer.opd_id == ticket.opd_id
        )
        reader = opd_writer if still_opd and opd_writer is not None else ticket.reporter
        chats[reader.telegram_id] = (Offer.WRITE,)
        if (
            ticket.assignee is not None
            and ticket.assignee_id != writer.id
            and not message.in_group
        ):
            chats[ticket.assignee.telegram_id] = (Offer.WRITE,)
    chats.pop(writer.telegram_id, None)
    chats.pop(message.chat_id, None)
    for chat_id, offers in chats.items():
        uow.notify(NoteRelay(chat_id, view, note, False, offers, held=held))
    # The group sees the whole conversation, except what was written there.
    if group is not None and not (message.in_group and message.chat_id == group):
        forum = await is_forum(uow, group)
        uow.notify(NoteRelay(group, view, note, True, forum=forum, held=held))
        return len(chats) + 1
    return len(chats)


# --- reading ---------------------------------------------------------------------------------


async def _readable(uow: UnitOfWork, ctx: Context, ticket_id: int) -> Ticket:
    _user, ticket, _side = await _ticket_for(uow, ctx, ticket_id)
    return ticket


async def notes(
    uow: UnitOfWork, ctx: Context, ticket_id: int, limit: int = 10
) -> tuple[str, list[NoteView]]:
    """Returns a ticket's number and its last notes, oldest first (to its OPD, technicians and
    coordinators only)."""
    ticket = await _readable(uow, ctx, ticket_id)
    rows = await uow.notes.last(ticket.id, limit)
    return ticket.number, [await _view(uow, row, ticket) for row in reversed(rows)]


async def note_for_resend(uow: UnitOfWork, ctx: Context, note_id: int) -> NoteView:
    """Returns a note to send again to whoever may read its ticket."""
    note = await uow.notes.get(note_id)
    if note is None:
        raise NotFound(what="ticket")
    ticket = await _readable(uow, ctx, note.ticket_id)
    return await _view(uow, note, ticket)
