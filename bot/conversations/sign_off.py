"""The OPD's sign-off (procedure 10): after «Sudah normal» (`callbacks.FIXED`; pressed again it
starts afresh) the reporter confirms the repair and chooses who signs the berita acara (PIHAK
KEDUA): themselves, another registered person of the OPD (who confirms with their own account,
see `ba_confirm`), or themselves "a.n." an official not registered in the bot; receives the PDF
once the berita acara is final, and rates the service. «Belum normal» is the reason prompt's.
The rating buttons (`callbacks.RATE`, `<ticket>_<score>`) also work after the conversation (see
`handlers`)."""

from __future__ import annotations

import io
import logging
from typing import Any

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks
from bot.context import BotContext
from bot.conversations import survey
from bot.conversations import wizard as w
from bot.conversations.ba_confirm import photo_loader
from bot.keyboards import wizards as kb
from bot.services import users, workflow
from bot.services.berita_acara import confirmations
from bot.services.berita_acara.confirmations import Candidate
from bot.services.domain import Signatory
from bot.services.errors import DomainError, InvalidInput
from bot.texts import berita_acara as bt
from bot.texts import wizards as t

log = logging.getLogger(__name__)

# Keys of the draft (JSON values only).
SIGNER = "signer"  # {"name", "nip", "position"}: the person answering, from their profile
CANDIDATES = "candidates"  # [[user id, name, position]]: other people of the OPD
CHOICE = "choice"  # {"kind", "user_id", "name", "behalf_name", "behalf_position"}
OWN_POSITION = "own_position"  # the jabatan asked when the profile has none
QUESTION = "question"  # chat and message id of the question with «Sudah normal»
NUMBER = "number"  # the ticket number, known once confirmed
SCORE = "score"


async def _open(turn: w.Turn) -> w.Opening:
    """Prefills the signatory from the reporter's profile and lists the OPD's other people."""
    ticket_id = callbacks.parse_int(turn.data, callbacks.FIXED)
    ctx = turn.services.context(turn.actor)
    async with turn.services.uow() as uow:
        start = await workflow.sign_off_start(uow, ctx, ticket_id)
    question = turn.update.effective_message  # the message of the pressed button
    where = [question.chat.id, question.message_id] if question else None
    signer = {"name": start.name, "nip": start.nip, "position": start.position}
    others = [[c.user_id, c.name, c.position] for c in start.candidates]
    return w.Opening(
        {w.TICKET: ticket_id, SIGNER: signer, CANDIDATES: others, CHOICE: {}, QUESTION: where}
    )


# --- the signatory ---------------------------------------------------------------------------


def _username(turn: w.Turn) -> str | None:
    user = turn.update.effective_user
    return user.username if user else None


async def _sign(turn: w.Turn) -> w.Move:
    """Confirms with the chosen signatory; sends the berita acara when it is final, else says
    who it waits for; then asks for the rating."""
    await turn.clear_buttons()
    draft, ctx = turn.draft, turn.services.context(turn.actor)
    ticket_id, chosen = int(draft[w.TICKET]), draft.get(CHOICE, {})
    choice = confirmations.SignerChoice(
        confirmations.SignerKind(chosen.get("kind", "self")),
        chosen.get("user_id"),
        chosen.get("behalf_name"),
        chosen.get("behalf_position"),
    )
    try:
        async with turn.services.uow() as uow:
            outcome = await workflow.confirm_fixed(
                uow,
                ctx,
                ticket_id,
                choice,
                username=_username(turn),
                position=draft.get(OWN_POSITION),
                bot_username=turn.context.bot.username,
                photos=photo_loader(turn),
            )
    except InvalidInput as error:
        again = {"position": OWN_POSITION, "signatory": "who"}.get(error.code, "behalf_name")
        return w.Go(again, t.refusal(error))
    log.info("sign-off recorded for %s", outcome.ticket_number)
    draft[NUMBER] = outcome.ticket_number
    if draft.get(QUESTION):  # «Sudah normal»/«Belum normal» are answered
        await w.retire(turn.context.bot, *draft[QUESTION])
    if outcome.berita_acara is None:
        await turn.say(bt.waiting(outcome.waiting))
        return w.Go("rating")
    try:
        async with turn.services.uow() as uow:
            _, pdf = await workflow.berita_acara_pdf(uow, ctx, ticket_id)
    except DomainError as error:
        await turn.say(t.refusal(error))
    else:
        ba = outcome.berita_acara
        await w.chat(turn.update).send_document(
            InputFile(io.BytesIO(pdf), filename=t.ba_file_name(ba.number)),
            caption=t.ba_caption(ba.number, ba.ticket_number, ba.verification_code),
        )
    return w.Go("rating")


def _signing(kind: str) -> w.Action:
    """Returns the action that signs as the person answering (`self`, or `behalf` "a.n."),
    asking their jabatan first when the profile has none."""

    async def sign(turn: w.Turn) -> w.Move:
        turn.draft.setdefault(CHOICE, {})["kind"] = kind
        if not turn.draft[SIGNER].get("position") and not turn.draft.get(OWN_POSITION):
            await turn.clear_buttons()
            return w.Go(OWN_POSITION)
        return await _sign(turn)

    return sign


def _go(step: str) -> w.Action:
    async def go(turn: w.Turn) -> w.Move:
        await turn.clear_buttons()
        return w.Go(step)

    return go


def _pick(user_id: int, name: str) -> w.Action:
    async def pick(turn: w.Turn) -> w.Move:
        await turn.clear_buttons()
        turn.draft[CHOICE] = {"kind": "other", "user_id": user_id, "name": name}
        return w.Go("other")

    return pick


def _who(draft: w.Draft) -> w.Rows:
    rows: list[list[w.Button]] = [
        [w.Button(bt.candidate_label(Candidate(i, n, p)), f"u{i}", run=_pick(i, n))]
        for i, n, p in draft.get(CANDIDATES, [])
    ]
    rows.append([w.Button(bt.OTHER_SIGNER, "an", run=_go("behalf_name"))])
    rows.append([w.Button(bt.BACK, "back", run=_go("confirm"))])
    return rows


def _ask_who(draft: w.Draft) -> str:
    return bt.ask_who([Candidate(i, n, p) for i, n, p in draft.get(CANDIDATES, [])])


async def _behalf_name(turn: w.Turn, name: str) -> w.Move:
    turn.draft[CHOICE] = {"kind": "behalf", "behalf_name": name}
    return None


async def _behalf_position(turn: w.Turn, position: str) -> w.Move:
    turn.draft.setdefault(CHOICE, {})["behalf_position"] = position
    return w.Go("behalf")


def _ask_behalf(draft: w.Draft) -> str:
    signer, chosen = draft[SIGNER], draft.get(CHOICE, {})
    position = draft.get(OWN_POSITION) or signer.get("position") or "-"
    return bt.confirm_behalf(
        chosen.get("behalf_name", ""),
        chosen.get("behalf_position", ""),
        signer["name"],
        signer.get("nip"),
        position,
    )


async def _own_position(turn: w.Turn, position: str) -> w.Move:
    turn.draft[OWN_POSITION] = position
    return await _sign(turn)


def _signatory(draft: w.Draft) -> str:
    signer = draft[SIGNER]
    shown = t.signatory(Signatory(signer["name"], signer.get("nip"), signer.get("position") or ""))
    return f"{shown}\n\n{bt.OTHER_SIGNATORY_HINT}"


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
            _signatory,
            t.NEED_SIGN,
            buttons=[
                [w.Button(t.SIGN, "sign", run=_signing("self"))],
                [w.Button(t.EDIT_SIGNATORY, "edit", run=_go("who"))],
            ],
        ),
        # States 1-6 keep the numbers of the earlier sign-off (typed signatory fields at 2-4),
        # so a form persisted across an upgrade finds its rating and comment where they were.
        w.Step("who", _ask_who, t.NEED_BUTTON, buttons=_who),
        w.Step("behalf_name", bt.ASK_BEHALF_NAME, text=users.clean_name, then=_behalf_name),
        w.Step(
            "behalf_position",
            bt.ASK_BEHALF_POSITION,
            text=users.clean_position,
            then=_behalf_position,
        ),
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
        w.Step(
            "other",
            lambda draft: bt.confirm_other(draft.get(CHOICE, {}).get("name", "")),
            t.NEED_BUTTON,
            buttons=[
                [w.Button(bt.SEND_TO_OTHER, "send", run=_sign)],
                [w.Button(bt.BACK, "back", run=_go("who"))],
            ],
        ),
        w.Step(
            "behalf",
            _ask_behalf,
            t.NEED_BUTTON,
            buttons=[
                [w.Button(bt.SIGN_BEHALF, "sign", run=_signing("behalf"))],
                [w.Button(bt.BACK, "back", run=_go("who"))],
            ],
        ),
        w.Step(OWN_POSITION, bt.ASK_OWN_POSITION, text=users.clean_position, then=_own_position),
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
