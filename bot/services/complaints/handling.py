"""Handling a complaint: officers take, answer and forward it; the complainant gives a verdict
on the answer; the official (or the officer before escalation) resolves and closes it.

Each use case executes one row of the transition table (:mod:`.table`), then tells whoever
must know and edits the complaint's card, all in one commit. The acting person is the
context's actor.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.services.complaints.model import (
    AnswerStart,
    ComplaintStatus,
    ComplaintView,
    clean_delivery,
)
from bot.services.complaints.routing import (
    complaint_view,
    load,
    official_chats,
    sees_identity,
    staff_view,
    tell,
    tell_officer,
    tell_officials,
    update_card,
    views,
)
from bot.services.complaints.sweep import schedule
from bot.services.complaints.table import (
    Action,
    Transition,
    Who,
    clean_note,
    permit,
    takes_first,
)
from bot.services.complaints.transitions import apply, load_officer, move
from bot.services.context import Context
from bot.services.errors import InvalidInput, InvalidState
from bot.services.notices import ComplaintInfo, ComplaintNews, ComplaintResponse
from bot.services.uow import UnitOfWork
from bot.services.users import find_user
from db.models import Complaint, User

# What a move tells whoever must know, given the fresh complaint, its full and its hidden view.
News = Callable[[Complaint, ComplaintView, ComplaintView], Awaitable[None]]


async def _officer_and_complaint(
    uow: UnitOfWork, ctx: Context, complaint_id: int
) -> tuple[User, Complaint]:
    """Returns the acting officer (or official), refusing anyone else, and the complaint."""
    user = await load_officer(uow, ctx.who)
    return user, await load(uow, complaint_id)


async def _finish(
    uow: UnitOfWork, ctx: Context, complaint_id: int, news: News
) -> tuple[Complaint, ComplaintView, ComplaintView]:
    """Follows a move: sweep rescheduled, news told, card edited, all committed; fresh views."""
    fresh, full, hidden = await views(uow, complaint_id)
    await schedule(uow, fresh, ctx.calendar)
    await news(fresh, full, hidden)
    await update_card(uow, fresh, full, hidden, ctx.settings)
    await uow.commit()
    return fresh, full, hidden


def _to_complainant(uow: UnitOfWork, news: ComplaintNews) -> News:
    """Returns the news that tells the complainant (if in the bot) the whole thread."""

    async def told(fresh: Complaint, full: ComplaintView, _hidden: ComplaintView) -> None:
        tell(uow, fresh.complainant, full, news)

    return told


# --- officers -----------------------------------------------------------------------------


async def take(uow: UnitOfWork, ctx: Context, complaint_id: int) -> ComplaintView:
    """Assigns a new complaint to the officer who takes it («Tangani»); exactly one wins."""
    officer, complaint = await _officer_and_complaint(uow, ctx, complaint_id)
    await move(uow, complaint, Action.TAKE, by=officer, now=ctx.now, officer_id=officer.id)
    _, full, hidden = await _finish(
        uow, ctx, complaint_id, _to_complainant(uow, ComplaintNews.TAKEN)
    )
    return staff_view(officer, full, hidden)


async def begin_answer(uow: UnitOfWork, ctx: Context, complaint_id: int) -> AnswerStart:
    """Checks that the actor may answer now; an officer answering a new complaint takes it."""
    user, complaint = await _officer_and_complaint(uow, ctx, complaint_id)
    if takes_first(ComplaintStatus(complaint.status), complaint.escalated, Action.ANSWER):
        view = await take(uow, ctx, complaint_id)
        return AnswerStart(view, False, not view.complainant_in_bot)
    rule = permit(complaint, Action.ANSWER, user)
    events = await uow.complaints.events_for(complaint_id)
    view = complaint_view(complaint, events, identity=sees_identity(user, complaint))
    return AnswerStart(view, rule.who is Who.OFFICIAL, not view.complainant_in_bot)


async def respond(
    uow: UnitOfWork, ctx: Context, complaint_id: int, text: str, delivery: str | None
) -> ComplaintView:
    """Records the answer of the officer (or, after escalation, the official) and sends it."""
    user, complaint = await _officer_and_complaint(uow, ctx, complaint_id)
    rule = permit(complaint, Action.ANSWER, user)
    answer = clean_note(rule, text)
    if complaint.complainant_id is None:
        if not delivery:
            raise InvalidInput("complaint_delivery")
        delivery = clean_delivery(delivery)
    else:
        delivery = None
    as_official = rule.who is Who.OFFICIAL
    values: dict[str, object] = {
        "response": answer,
        "response_delivery": delivery,
        "responded_at": ctx.now,
        "response_count": complaint.response_count + 1,
    }
    if as_official:
        values["official_id"] = user.id
    note = answer if delivery is None else f"{answer}\n({delivery})"
    await apply(uow, complaint, rule, by=user, now=ctx.now, note=note, **values)

    async def answered(fresh: Complaint, full: ComplaintView, _hidden: ComplaintView) -> None:
        if fresh.complainant is not None:
            uow.notify(ComplaintResponse(fresh.complainant.telegram_id, full, as_official))
        if as_official:
            # The other officials see that it was answered, so nobody answers twice.
            for chat in await official_chats(uow, ctx.settings):
                if chat != user.telegram_id:
                    uow.notify(ComplaintInfo(chat, full, ComplaintNews.OFFICIAL_RESPONDED))

    _, full, hidden = await _finish(uow, ctx, complaint_id, answered)
    return staff_view(user, full, hidden)


async def begin_forward(uow: UnitOfWork, ctx: Context, complaint_id: int) -> ComplaintView:
    """Checks that the actor may forward the complaint to the official."""
    user, complaint = await _officer_and_complaint(uow, ctx, complaint_id)
    permit(complaint, Action.FORWARD, user)
    return complaint_view(complaint, identity=sees_identity(user, complaint))


async def forward(uow: UnitOfWork, ctx: Context, complaint_id: int, reason: str) -> ComplaintView:
    """Forwards a complaint the officer cannot solve to the Kominfo official (reason required)."""
    user, complaint = await _officer_and_complaint(uow, ctx, complaint_id)
    await move(
        uow,
        complaint,
        Action.FORWARD,
        by=user,
        now=ctx.now,
        note=reason,
        officer_id=complaint.officer_id or user.id,
    )

    async def forwarded(fresh: Complaint, full: ComplaintView, _hidden: ComplaintView) -> None:
        await tell_officials(uow, full, ctx.settings, ComplaintNews.FORWARDED)
        tell(uow, fresh.complainant, full, ComplaintNews.ESCALATED)

    _, full, hidden = await _finish(uow, ctx, complaint_id, forwarded)
    return staff_view(user, full, hidden)


# --- the complainant's verdict ------------------------------------------------------------


async def _verdict(
    uow: UnitOfWork, ctx: Context, complaint_id: int, round_: int, action: Action
) -> tuple[User | None, Complaint, Transition]:
    """Checks the complainant's verdict on the answer of this round (the latest only)."""
    user = await find_user(uow, ctx.who)
    complaint = await load(uow, complaint_id)
    rule = permit(complaint, action, user)
    if complaint.response_count != round_:
        raise InvalidState("complaint_moved", number=complaint.number)
    return user, complaint, rule


async def begin_not_solved(
    uow: UnitOfWork, ctx: Context, complaint_id: int, round_: int
) -> ComplaintView:
    """Checks that the complainant may still say the answer did not solve the complaint."""
    _, complaint, _ = await _verdict(uow, ctx, complaint_id, round_, Action.NOT_SOLVED)
    return complaint_view(complaint, identity=True)


async def confirm_solved(
    uow: UnitOfWork, ctx: Context, complaint_id: int, round_: int
) -> ComplaintView:
    """Records that the complainant is satisfied with the answer: the complaint is resolved."""
    user, complaint, rule = await _verdict(uow, ctx, complaint_id, round_, Action.SOLVED)
    await apply(uow, complaint, rule, by=user, now=ctx.now)

    async def solved(fresh: Complaint, full: ComplaintView, hidden: ComplaintView) -> None:
        handler = fresh.official or fresh.officer
        tell(uow, handler, staff_view(handler, full, hidden), ComplaintNews.SOLVED)

    _, full, _ = await _finish(uow, ctx, complaint_id, solved)
    return full


async def not_solved(
    uow: UnitOfWork, ctx: Context, complaint_id: int, round_: int, reason: str
) -> ComplaintView:
    """Escalates to the official because the complainant says the answer did not solve it."""
    user, complaint, rule = await _verdict(uow, ctx, complaint_id, round_, Action.NOT_SOLVED)
    await apply(uow, complaint, rule, by=user, now=ctx.now, note=clean_note(rule, reason))

    async def escalated(fresh: Complaint, full: ComplaintView, hidden: ComplaintView) -> None:
        await tell_officials(uow, full, ctx.settings, ComplaintNews.NOT_SOLVED)
        tell_officer(uow, fresh, hidden, ComplaintNews.NOT_SOLVED)

    _, full, _ = await _finish(uow, ctx, complaint_id, escalated)
    return full


# --- resolving and closing ----------------------------------------------------------------


async def resolve(uow: UnitOfWork, ctx: Context, complaint_id: int) -> ComplaintView:
    """Declares an answered complaint resolved (the official; the officer before escalation)."""
    return await _settle(uow, ctx, complaint_id, Action.RESOLVE, ComplaintNews.RESOLVED)


async def close(uow: UnitOfWork, ctx: Context, complaint_id: int) -> ComplaintView:
    """Closes a resolved complaint's file; the complainant is told."""
    return await _settle(uow, ctx, complaint_id, Action.CLOSE, ComplaintNews.CLOSED)


async def _settle(
    uow: UnitOfWork, ctx: Context, complaint_id: int, action: Action, news: ComplaintNews
) -> ComplaintView:
    user, complaint = await _officer_and_complaint(uow, ctx, complaint_id)
    await move(uow, complaint, action, by=user, now=ctx.now)
    _, full, hidden = await _finish(uow, ctx, complaint_id, _to_complainant(uow, news))
    return staff_view(user, full, hidden)
