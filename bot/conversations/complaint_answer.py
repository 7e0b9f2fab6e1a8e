"""Answering complaints in a private chat: the officer's or official's answer, the officer's
reason for forwarding to the official, and the complainant's reason for "not solved".

Group buttons cannot start a private conversation, so they answer with a deep link
(`t.me/<bot>?start=adu_<id>`, `..._t` to forward); `/start adu_<id>` enters here. A reason is
sent as soon as it is written; an answer is shown once more before it is sent.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import ConversationHandler

from bot import callbacks
from bot.config import Settings
from bot.conversations import wizard as w
from bot.keyboards import complaints as kb
from bot.services import complaints
from bot.services.complaints import ComplaintView
from bot.services.errors import NotFound
from bot.texts import complaints as t

# Keys of the draft (kept from before the engine, so saved drafts survive) and its modes.
MODE = "mode"
PROMPT = "prompt"
ANSWER = "answer"
FORWARD = "forward"
NOT_SOLVED = "not_solved"
LINK = r"^/start(@\w+)?\s+adu_\d{1,12}(_t)?\s*$"


def _opening(mode: str, view: ComplaintView, prompt: str, delivery: bool = False) -> w.Opening:
    # The prompt shows the complaint, which the draft does not hold otherwise.
    values = {MODE: mode, "id": view.id, "round": view.response_count, "number": view.number}
    return w.Opening({**values, "needs_delivery": delivery, PROMPT: prompt})


async def _from_link(turn: w.Turn) -> w.Opening:
    """Opens an answer (`/start adu_<id>`) or a forwarding (`/start adu_<id>_t`)."""
    ident, _, forward = turn.args[0].removeprefix("adu_").partition("_")
    complaint_id = callbacks.db_id(ident)
    if complaint_id is None:
        raise NotFound()
    ctx = turn.services.context(turn.actor)
    async with turn.services.uow() as uow:
        if forward:
            view = await complaints.begin_forward(uow, ctx, complaint_id)
            return _opening(FORWARD, view, t.ask_forward(view))
        start = await complaints.begin_answer(uow, ctx, complaint_id)
    prompt = t.ask_answer(start.complaint, start.as_official)
    return _opening(ANSWER, start.complaint, prompt, start.needs_delivery)


async def _not_solved(turn: w.Turn) -> w.Opening:
    """Opens the complainant's reason why the answer (of its round) did not solve it."""
    ident, _, round_ = callbacks.parse(turn.data, callbacks.COMPLAINT_NOT_SOLVED).partition("_")
    if not (ident.isdigit() and round_.isdigit()):
        raise callbacks.BadCallback(turn.data)
    async with turn.services.uow() as uow:
        ctx = turn.services.context(turn.actor)
        view = await complaints.begin_not_solved(uow, ctx, int(ident), int(round_))
    await turn.clear_buttons()
    return _opening(NOT_SOLVED, view, t.ask_not_solved(view))


async def _take(turn: w.Turn, text: str) -> w.Move:
    """Keeps an answer for the summary; sends a reason at once."""
    draft, ctx = turn.draft, turn.services.context(turn.actor)
    if draft[MODE] == ANSWER:
        draft["text"] = complaints.clean_answer(text)
        return None
    async with turn.services.uow() as uow:
        if draft[MODE] == FORWARD:
            view = await complaints.forward(uow, ctx, draft["id"], text)
            return w.Finish(t.forwarded(view))
        view = await complaints.not_solved(uow, ctx, draft["id"], draft["round"], text)
    return w.Finish(t.not_solved_sent(view))


def _summary(draft: w.Draft) -> str:
    return t.answer_summary(draft["number"], draft["text"], draft.get("delivery"))


async def _respond(turn: w.Turn) -> w.Move:
    draft = turn.draft
    async with turn.services.uow() as uow:
        ctx = turn.services.context(turn.actor)
        view = await complaints.respond(
            uow, ctx, draft["id"], draft["text"], draft.get("delivery")
        )
    return w.Finish(t.answered(view), markup=kb.after_answer(view))


FLOW = w.Flow(
    "complaint_answer",
    t.ANSWER_TITLE,
    [w.deep_link(LINK, _from_link), w.button(callbacks.COMPLAINT_NOT_SOLVED, _not_solved)],
    [
        w.Step("text", lambda draft: str(draft.get(PROMPT, "")), text=str, then=_take),
        w.Step(
            "delivery",
            t.ASK_DELIVERY,
            text=complaints.clean_delivery,
            when=lambda draft: bool(draft["needs_delivery"]),
        ),
    ],
    t.refusal,
    t.ANSWER_CANCELLED,
    t.ANSWER_TIMED_OUT,
    t.DRAFT_LOST,
    t.ANSWER_BUSY,
    reask=w.Reask.HINT,  # the question shows the whole complaint: a hint alone reminds
    hint=t.NEED_TEXT,
    summary=w.Summary(_summary, _respond, t.SEND_ANSWER, t.CANCEL, t.NEED_ANSWER_BUTTON),
    action=callbacks.COMPLAINT_ANSWER_FORM,
)


def conversation(settings: Settings) -> ConversationHandler[Any]:
    """Returns the persistent answer conversation handler."""
    return w.build(FLOW, settings)
