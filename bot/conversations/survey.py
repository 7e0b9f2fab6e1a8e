"""The Survei Kepuasan Masyarakat (PermenPANRB 14/2017) as a form on the engine: the optional
respondent profile, the nine questions with four graded answers each, the summary, send.

It opens with `/survei` or with «Isi survei kepuasan», the offer the reporter gets with the
thanks for the quick rating once a ticket closed (`offer`, at most once per quarter); «Lain
kali» on that offer declines it (`bot.handlers.skm`)."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import ConversationHandler

from bot import callbacks
from bot.config import Settings
from bot.context import BotContext
from bot.conversations import wizard as w
from bot.services import skm
from bot.services.errors import DomainError
from bot.texts import refusals
from bot.texts import skm as t

log = logging.getLogger(__name__)

ACTION = "svy"  # the form's own buttons (not `skm`: the engine takes `skm_*` as its old buttons)
START = "skm_go"  # «Isi survei kepuasan» on the offer: opens the form
LATER = "skm_no"  # «Lain kali» on the offer: declines it for this quarter
PROFILE_FIELDS = tuple(skm.PROFILE)


def offer_markup() -> InlineKeyboardMarkup:
    """Returns the offer's two buttons."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(t.OFFER_FILL, callback_data=callbacks.make(START, 0))],
            [InlineKeyboardButton(t.OFFER_LATER, callback_data=callbacks.make(LATER, 0))],
        ]
    )


async def offer(turn: w.Turn) -> InlineKeyboardMarkup | None:
    """Returns the survey offer to show with the rating's thanks: to a reporter, at most once
    per quarter (recorded as offered); None otherwise."""
    async with turn.services.uow() as uow:
        offered = await skm.offer_after_rating(uow, turn.services.context(turn.actor))
    return offer_markup() if offered else None


async def _open(turn: w.Turn) -> w.Opening:
    """Starts the survey, unless the reporter answered it this quarter already."""
    async with turn.services.uow() as uow:
        await skm.begin(uow, turn.services.context(turn.actor))
    await turn.clear_buttons()  # the offer, once taken up
    return w.Opening({}, t.INTRO)


def _skip_profile(field: str) -> w.Action:
    """Returns the action of «Lewati data responden» at a profile question: the rest of the
    profile stays empty and the questions follow."""

    async def skip(turn: w.Turn) -> w.Move:
        await turn.edit(t.profile_echo(field, t.NOT_FILLED))
        for other in PROFILE_FIELDS:
            turn.draft.setdefault(other, None)
        return w.Go(w.SUMMARY if turn.draft.get(w.REVIEWED) else skm.CODES[0])

    return skip


def _profile(field: str) -> w.Step:
    """An optional profile question: its options two to a row, «Lewati» and «Lewati data
    responden»."""
    options = [
        w.Button(label, code, code, t.profile_echo(field, label))
        for code, label in t.PROFILE_OPTIONS[field].items()
    ]
    rows: list[list[w.Button]] = [options[i : i + 2] for i in range(0, len(options), 2)]
    rows.append([w.Button(t.SKIP, "skip", None, t.profile_echo(field, t.NOT_FILLED))])
    rows.append([w.Button(t.SKIP_PROFILE, "skip_all", run=_skip_profile(field))])
    return w.Step(field, t.ask_profile(field), t.NEED_BUTTON, buttons=rows)


def _question(code: str) -> w.Step:
    """One of the nine questions: four answers valued 1-4 (a-d)."""
    answers = t.QUESTIONS[code][1]
    rows = [
        [w.Button(f"{t.LETTERS[v - 1]}. {label}", str(v), v, t.echo(code, v))]
        for v, label in enumerate(answers, 1)
    ]
    return w.Step(code, t.ask(code), t.NEED_BUTTON, buttons=rows)


def answers_of(draft: w.Draft) -> skm.SurveyAnswers:
    """Returns the questionnaire a finished draft holds."""
    profile = {field: draft.get(field) for field in PROFILE_FIELDS}
    return skm.SurveyAnswers(tuple(int(draft[code]) for code in skm.CODES), **profile)


async def _submit(turn: w.Turn) -> w.Move:
    """Saves the questionnaire anonymously."""
    async with turn.services.uow() as uow:
        await skm.submit(uow, turn.services.context(turn.actor), answers_of(turn.draft))
    log.info("an SKM questionnaire was saved")  # no one named: the answers are anonymous
    return w.Finish(t.THANKS)


def _refusal(error: DomainError) -> str:
    return refusals.refusal(error)


FLOW = w.Flow(
    name="skm_survey",
    title=t.TITLE,
    entries=[w.command("survei", _open), w.button(START, _open)],
    action=ACTION,
    steps=[*(_profile(field) for field in PROFILE_FIELDS), *map(_question, skm.CODES)],
    summary=w.Summary(
        t.summary,
        _submit,
        send=t.SEND,
        cancel=t.CANCEL,
        hint=t.NEED_SUMMARY,
        menu=w.Menu(t.EDIT, t.EDIT_QUESTION, t.menu_fields(), t.BACK),
    ),
    hint=t.NEED_BUTTON,
    refusal=_refusal,
    cancelled=t.CANCELLED,
    timed_out=t.TIMED_OUT,
    lost=t.LOST,
    busy=t.BUSY,
)


def conversation(settings: Settings) -> ConversationHandler[BotContext]:
    """Returns the survey's conversation handler."""
    return w.build(FLOW, settings)
