"""The complaint's due times: when the sweep next looks at a complaint, and what it does then.

The response and resolution times (:func:`bot.services.sla.complaint_clocks`) are swept in
office hours. A missed time hands the complaint to the official (the table's due rows); one that
is already with the official only reminds the officials. Each firing is recorded under a unique
(complaint, step) key, so it never repeats.
"""

from __future__ import annotations

from datetime import datetime

from bot.services import history
from bot.services.calendar import BusinessCalendar
from bot.services.complaints.model import OPEN_STATES, SWEEP_LIMIT, ComplaintStatus, Step
from bot.services.complaints.routing import (
    load,
    tell,
    tell_officer,
    tell_officials,
    update_card,
    views,
)
from bot.services.complaints.table import Action
from bot.services.complaints.transitions import move
from bot.services.context import Context
from bot.services.errors import InvalidState
from bot.services.notices import ComplaintNews
from bot.services.uow import UnitOfWork
from db.models import Complaint, ComplaintEvent


async def schedule(uow: UnitOfWork, complaint: Complaint, calendar: BusinessCalendar) -> None:
    """Sets when the sweep next looks at the complaint (None once nothing can fall due)."""
    fired = await uow.complaints.fired(complaint.id)
    status = ComplaintStatus(complaint.status)
    moments: list[datetime] = []
    if (
        status in (ComplaintStatus.NEW, ComplaintStatus.IN_PROGRESS)
        and complaint.responded_at is None
        and Step.RESPONSE_PASSED.value not in fired
    ):
        moments.append(complaint.response_due_at)
    if status.value in OPEN_STATES and Step.RESOLUTION_PASSED.value not in fired:
        moments.append(complaint.resolution_due_at)
    complaint.next_check_at = calendar.next_opening(min(moments)) if moments else None


async def sweep(uow: UnitOfWork, ctx: Context) -> int:
    """Escalates complaints whose response or resolution time passed (office hours only)."""
    if not ctx.calendar.is_open(ctx.now):
        return 0
    fired = 0
    for complaint in await uow.complaints.due(ctx.now, SWEEP_LIMIT):
        for step in _due_steps(complaint, ctx.now):
            if not await uow.complaints.record_firing(complaint.id, step.value, ctx.now):
                continue  # another sweep fired it
            fired += 1
            await _fire(uow, ctx, complaint, step)
            complaint = await load(uow, complaint.id)
        await schedule(uow, complaint, ctx.calendar)
    await uow.commit()
    return fired


def _due_steps(complaint: Complaint, now: datetime) -> list[Step]:
    steps: list[Step] = []
    status = complaint.status
    if (
        status in (ComplaintStatus.NEW.value, ComplaintStatus.IN_PROGRESS.value)
        and complaint.responded_at is None
        and complaint.response_due_at <= now
    ):
        steps.append(Step.RESPONSE_PASSED)
    if status in OPEN_STATES and complaint.resolution_due_at <= now:
        steps.append(Step.RESOLUTION_PASSED)
    return steps


async def _fire(uow: UnitOfWork, ctx: Context, complaint: Complaint, step: Step) -> None:
    news = ComplaintNews(step.event)
    if complaint.status == ComplaintStatus.ESCALATED.value:
        # Already with the official: the missed time is recorded and the officials reminded.
        uow.complaints.add_event(
            history.entry(ComplaintEvent, ctx.now, None, step.event, complaint_id=complaint.id)
        )
        _, full, _ = await views(uow, complaint.id)
        await tell_officials(uow, full, ctx.settings, news)
        return
    try:
        await move(uow, complaint, Action(step.event), by=None, now=ctx.now)
    except InvalidState:
        return  # it moved on meanwhile
    fresh, full, hidden = await views(uow, complaint.id)
    await tell_officials(uow, full, ctx.settings, news)
    tell(uow, fresh.complainant, full, ComplaintNews.ESCALATED)
    tell_officer(uow, fresh, hidden, news)
    await update_card(uow, fresh, full, hidden, ctx.settings)
