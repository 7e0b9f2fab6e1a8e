"""The OPD's sign-off (procedure 10): after «Sudah normal» (`callbacks.FIXED`; pressed again it
starts afresh) the reporter checks the signatory of the berita acara, signs, receives the PDF and
rates the service. «Belum normal» is the reason prompt's. The rating buttons (`callbacks.RATE`,
`<ticket>_<score>`) also work after the conversation (see `handlers`)."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks
from bot.context import BotContext
from bot.conversations import survey
from bot.conversations import wizard as w
from bot.keyboards import wizards as kb
from bot.services import users, workflow
from bot.services.domain import Signatory
from bot.services.errors import DomainError, InvalidInput
from bot.texts import wizards as t

log = logging.getLogger(__name__)

# Keys of the draft (JSON values only); "name", "nip", "position" hold a signatory typed anew.
SIGNER = "signer"  # {"name", "nip", "position"}: who signs
QUESTION = "question"  # chat and message id of the question with «Sudah normal»
NUMBER = "number"  # the ticket number, known once signed
SCORE = "score"
TYPED = ("name", "nip", "position")


async def _open(turn: w.Turn) -> w.Opening:
    """Prefills the signatory from the reporter's profile."""
    ticket_id = callbacks.parse_int(turn.data, callbacks.FIXED)
    ctx = turn.services.context(turn.actor)
    async with turn.services.uow() as uow:
        signer = await workflow.signatory_defaults(uow, ctx, ticket_id)
    question = turn.update.effective_message  # the message of the pressed button
    where = [question.chat.id, question.message_id] if question else None
    return w.Opening({w.TICKET: ticket_id, SIGNER: asdict(signer), QUESTION: where})


# --- the signatory ---------------------------------------------------------------------------


async def _sign(turn: w.Turn) -> w.Move:
    """Signs with the shown signatory, sends the berita acara and asks for the rating."""
    await turn.clear_buttons()
    draft, ctx = turn.draft, turn.services.context(turn.actor)
    ticket_id, signer = int(draft[w.TICKET]), Signatory(**draft[SIGNER])
    try:
        async with turn.services.uow() as uow:
            ba = await workflow.confirm_fixed(
                uow, ctx, ticket_id, signer, bot_username=turn.context.bot.username
            )
    except InvalidInput as error:
        return w.Go("name", f"{t.SIGNER_INVALID} {t.refusal(error)}")
    log.info("berita acara %s signed for %s", ba.number, ba.ticket_number)
    draft[NUMBER] = ba.ticket_number
    if draft.get(QUESTION):  # «Sudah normal»/«Belum normal» are answered
        await w.retire(turn.context.bot, *draft[QUESTION])
    try:
        async with turn.services.uow() as uow:
            _, pdf = await workflow.berita_acara_pdf(uow, ctx, ticket_id)
    except DomainError as error:
        await turn.say(t.refusal(error))
    else:
        await w.chat(turn.update).send_document(
            InputFile(io.BytesIO(pdf), filename=t.ba_file_name(ba.number)),
            caption=t.ba_caption(ba.number, ba.ticket_number, ba.verification_code),
        )
    return w.Go("rating")


def _field(key: str, ask: str, clean: Callable[[str], Any], *rows: list[w.Button]) -> w.Step:
    """A field of the signatory typed anew; a wrong value is told above the question again.
    After the last one the signatory is shown (or, a field missing, asked again from the name)."""

    async def take(turn: w.Turn, text: str) -> w.Move:
        draft = turn.draft
        try:
            draft[key] = clean(text)
        except InvalidInput:
            return w.Go(key, t.SIGNER_ERRORS[key])
        if key != TYPED[-1]:
            return None
        if not all(field in draft for field in TYPED):
            return w.Go("name")
        draft[SIGNER] = {field: draft.pop(field) for field in TYPED}
        return w.Go("confirm")

    return w.Step(key, ask, text=str, then=take, buttons=rows)


# --- the rating ------------------------------------------------------------------------------


def _rating_of(data: str | None) -> tuple[int, int]:
    """Returns the ticket and the score of a rating button (`<ticket>_<score>`)."""
    ticket, _, score = callbacks.parse(data, callbacks.RATE).partition("_")
    if not ticket.isdigit() or len(ticket) > 9 or not score.isdigit() or len(score) > 1:
        raise callbacks.BadCallback(data)
    return int(ticket), int(score)


async def _rate(turn: w.Turn, ticket_id: int, score: int, comment: str | None) -> str:
    """Records a rating and returns the thanks; a DomainError passes."""
    ctx = turn.services.context(turn.actor)
    async with turn.services.uow() as uow:
        view = await workflow.rate(uow, ctx, ticket_id, score, comment)
    log.info("rating %s recorded for %s", score, view.number)
    return t.thanks(view.number, score)


async def _rate_pressed(turn: w.Turn) -> None:
    """Records a score pressed outside its sign-off, without a comment."""
    try:
        thanks = await _rate(turn, *_rating_of(turn.data), None)
    except callbacks.BadCallback:
        await turn.answer(t.STALE_BUTTON)
    except DomainError as error:
        await turn.answer(t.refusal(error))
    else:
        await turn.answer()
        await turn.clear_buttons()
        await turn.say(thanks, await survey.offer(turn))


async def _choose(turn: w.Turn) -> w.Move:
    """Takes a score for this ticket and asks for a comment; another ticket's is rated now."""
    ticket_id, score = _rating_of(turn.data)
    if ticket_id != int(turn.draft[w.TICKET]) or score not in t.RATINGS:
        await _rate_pressed(turn)
        return w.STAY
    await turn.answer()
    await turn.clear_buttons()
    if turn.draft.get(SCORE) == score:
        return w.STAY  # a double tap: the comment is asked already
    turn.draft[SCORE] = score
    return w.Go("comment")


async def _comment(turn: w.Turn, comment: str | None = None) -> w.Move:
    """Records the rating with the typed comment, or without one («Lewati»)."""
    if comment is None:
        await turn.clear_buttons()
    try:
        ticket_id, score = int(turn.draft[w.TICKET]), int(turn.draft[SCORE])
        return w.Finish(
            await _rate(turn, ticket_id, score, comment), markup=await survey.offer(turn)
        )
    except InvalidInput as error:
        if error.code == "comment":
            return w.Go("comment", t.refusal(error))
        return w.Finish(t.refusal(error))


def _ending(unsigned: str, signed: str | None, lost: str | None) -> w.Ending:
    """Returns what /batal or the timeout says: before signing nothing changed; a pressed score
    is still recorded (without a comment); without a draft, `lost`."""

    async def end(turn: w.Turn) -> str | None:
        draft = turn.draft
        if draft.get(SCORE) is not None:
            try:
                return await _rate(turn, int(draft[w.TICKET]), int(draft[SCORE]), None)
            except DomainError as error:
                return t.refusal(error)
        return lost if not draft else unsigned if draft.get(NUMBER) is None else signed

    return end


RATED = {callbacks.RATE: _choose}

FLOW = w.Flow(
    name="sign_off",
    title=t.SIGN_TITLE,
    entries=[w.button(callbacks.FIXED, _open)],
    restart=True,
    action=callbacks.WIZARD_SIGN,
    steps=[
        w.Step(
            "confirm",
            lambda draft: t.signatory(Signatory(**draft[SIGNER])),
            t.NEED_SIGN,
            # «Ubah penandatangan» is an answer: the next step, the name, follows.
            buttons=[[w.Button(t.SIGN, "sign", run=_sign)], [w.Button(t.EDIT_SIGNATORY, "edit")]],
        ),
        _field("name", t.ASK_SIGNER_NAME, users.clean_name),
        _field("nip", t.ASK_SIGNER_NIP, users.clean_nip, [w.Button(t.SKIP, "skip", None)]),
        _field("position", t.ASK_SIGNER_POSITION, users.clean_position),
        w.Step(
            "rating",
            lambda draft: t.ask_rating(draft[NUMBER]),
            t.NEED_RATING,
            keyboard=lambda draft: kb.rating(int(draft[w.TICKET])),
            actions=RATED,
        ),
        w.Step(
            "comment",
            lambda draft: t.ask_comment(int(draft[SCORE])),
            text=str,
            then=_comment,
            buttons=[[w.Button(t.SKIP, "skip", run=_comment)]],
            actions=RATED,
        ),
    ],
    hint=t.NEED_TEXT,
    refusal=t.refusal,
    cancelled=_ending(t.SIGN_CANCELLED, t.RATING_LATER, t.SIGN_CANCELLED),
    # Signed but not rated: the rating buttons stay usable, no need to say more.
    timed_out=_ending(t.SIGN_TIMED_OUT, None, None),
    lost=t.DRAFT_LOST,
    busy=t.BUSY,
)


async def rate_later(update: Update, context: BotContext) -> None:
    """Records a rating pressed outside the sign-off (without a comment)."""
    await _rate_pressed(w.Turn(update, context, {}))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns the handler of rating buttons pressed outside the conversation."""
    return [CallbackQueryHandler(rate_later, pattern=callbacks.pattern(callbacks.RATE))]
