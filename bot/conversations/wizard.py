"""The conversation engine: a flow declares its entries, steps and summary; the engine builds
the persistent PTB `ConversationHandler` and does what every form shares.

The engine owns: the draft (JSON in `user_data[flow.key]`, with a nonce that every button
carries, so buttons of an earlier form or step are stale), prompts and re-prompts, wrong kinds of
input, file collection, the summary with its field menu, send and cancel, /batal, the timeout, a
lost draft, and one form at a time (`user_data[FORM]` names the open flow; an entry of another
engine flow is refused while it is open). `report_fault.py` is the fullest example.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import json
import logging
import re
import secrets
import unicodedata
import warnings
from collections.abc import Awaitable, Callable, Collection, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import (
    Bot,
    Chat,
    Contact,
    ForceReply,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import callbacks
from bot.config import Settings
from bot.context import BotContext, actor_of
from bot.keyboards import wizards as kb
from bot.services import attachments
from bot.services.container import Services
from bot.services.domain import Actor, FileRef
from bot.services.errors import DomainError, InvalidInput
from bot.texts import wizards as t

log = logging.getLogger(__name__)

END = ConversationHandler.END
NONCE = "nonce"
TICKET = "ticket_id"
# user_data key naming the engine flow whose form is open (one form at a time).
FORM = "form"
# Draft keys of the engine (next to the flow's own).
REVIEWED = "reviewed"  # the summary was shown: a finished answer returns to it
SHOWN = "shown"  # [message id, digest ("" without buttons)] of the last edit, against no-op edits
# The target of `Go` that is the summary; the codes of its built-in buttons.
SUMMARY = "summary"
SEND = "send"
EDIT = "edit"
CANCEL = "cancel"
BACK = "back"

Draft = dict[str, Any]
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply
StepResult = int | None
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, StepResult]]
DraftCallback = Callable[[Update, BotContext, Draft], Coroutine[Any, Any, StepResult]]

# Besides white space and format characters (zero-width spaces and joiners, direction marks,
# soft hyphens, the byte order mark), these show nothing: the Hangul fillers, the Braille blank
# and the combining grapheme joiner, the usual ways to send a "blank" Telegram message.
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")


# --- what a flow's code returns --------------------------------------------------------------


@dataclass(frozen=True)
class Go:
    """Asks a step (by its key, or `SUMMARY`) next, after an optional hint."""

    step: str
    hint: str = ""


class Finish:
    """Ends the flow with these messages; the last one carries the markup, if any. `after`
    learns the chat and message id of that last message once it is shown (e.g. so a reply to a
    receipt can be recognised as being about its ticket)."""

    def __init__(
        self,
        *texts: str,
        markup: InlineKeyboardMarkup | None = None,
        after: Callable[[int, int], Awaitable[None]] | None = None,
    ) -> None:
        self.texts = texts
        self.markup = markup
        self.after = after


@dataclass(frozen=True)
class Stay:
    """Stays at the step without asking again; a text is sent with the step's keyboard."""

    text: str = ""


@dataclass(frozen=True)
class Refresh:
    """Shows the question of the step (or the summary) again in the pressed message; `renew`
    gives its buttons a new nonce, so a second tap sent before they arrived (a double tap on
    «drop the last item») is stale instead of acting twice."""

    renew: bool = False


STAY = Stay()
REFRESH = Refresh()
RENEW = Refresh(renew=True)
# None: the default, the next step (or the summary once it was shown).
Move = Go | Finish | Stay | Refresh | None


@dataclass
class Turn:
    """One update as a flow's code sees it: the update, the context and the draft."""

    update: Update
    context: BotContext
    draft: Draft
    answered: bool = False

    @property
    def services(self) -> Services:
        """Returns the application's services."""
        return self.context.services

    @property
    def actor(self) -> Actor:
        """Returns who acts."""
        return actor_of(self.update)

    @property
    def args(self) -> list[str]:
        """Returns the words after the command (the payload of a deep link)."""
        return list(self.context.args or [])

    @property
    def data(self) -> str | None:
        """Returns the data of the pressed button, if any."""
        query = self.update.callback_query
        return query.data if query else None

    async def say(self, text: str, markup: Markup | None = None) -> Message:
        """Sends a message to the chat."""
        return await say(self.update, text, markup)

    async def answer(self, text: str | None = None) -> None:
        """Answers the pressed button once (with an alert when there is a text)."""
        query = self.update.callback_query
        if query is not None and not self.answered:
            self.answered = True
            await (query.answer(text, show_alert=True) if text else query.answer())

    async def edit(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        """Changes the pressed message, unless it shows this already (a double tap)."""
        query = self.update.callback_query
        if query is None or query.message is None:
            return
        content = json.dumps([text, markup.to_dict() if markup else None], sort_keys=True)
        shown = [query.message.message_id, hashlib.sha256(content.encode()).hexdigest()[:16]]
        if self.draft.get(SHOWN) == shown:
            return  # Telegram refuses an edit that changes nothing
        self.draft[SHOWN] = shown
        await query.edit_message_text(text, reply_markup=markup)

    async def clear_buttons(self) -> None:
        """Removes the buttons of the pressed message, unless they are gone already (a double
        tap: Telegram refuses an edit that changes nothing)."""
        query = self.update.callback_query
        if query is None or query.message is None:
            return
        cleared = [query.message.message_id, ""]
        if self.draft.get(SHOWN) == cleared:
            return
        self.draft[SHOWN] = cleared
        await query.edit_message_reply_markup(None)


Then = Callable[[Turn, Any], Awaitable[Move]]
Action = Callable[[Turn], Awaitable[Move]]
Ending = str | Callable[[Turn], Awaitable[str | None]]


# --- the declaration -------------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    """An inline button of a step: pressing it stores `value` as the step's answer (after
    replacing the question by `echo`, or removing its buttons), or runs `run` instead."""

    label: str
    code: str
    value: Any = None
    echo: str | None = None
    run: Action | None = None


Rows = Sequence[Sequence[Button]]


@dataclass(frozen=True)
class Step:
    """One question: how it is asked, which kinds of input it takes, what an answer does.

    A message is parsed (`text`, `contact`, or a photo/`files` document as JSON), then stored
    as `draft[key]`, or handed to `then`; a button stores its value or runs its action.
    InvalidInput raised on the way is shown with the step's keyboard (a button asks the step
    again after it); another DomainError ends the flow with the flow's refusal.
    """

    key: str
    ask: str | Callable[[Draft], str]
    hint: str = ""  # the re-prompt for input of a kind the step does not take
    text: Callable[[str], Any] | None = None
    contact: Callable[[Contact, Actor], Any] | None = None
    files: Collection[str] | None = None  # document types taken (photos always are)
    # Any other message, as it is (a message relayed by copyMessage): parsed by this.
    anything: Callable[[Message], Any] | None = None
    buttons: Rows | Callable[[Draft], Rows] = ()
    # A reply keyboard, or inline buttons of other callback actions (taken by `actions`).
    keyboard: Markup | Callable[[Draft], Markup | None] | None = None
    then: Then | None = None
    errors: Callable[[DomainError], str] | None = None
    when: Callable[[Draft], bool] | None = None  # skipped (in order) when false
    reopen: str = ""  # the hint when reopened from the field menu
    collect: bool = False  # the answer is a list, begun empty and emptied when reopened
    # Other callback actions taken at this step (action -> run; run reads `turn.data`).
    actions: Mapping[str, Action] = field(default_factory=dict)


@dataclass(frozen=True)
class Menu:
    """The summary's field menu: the button that opens it, its question, the fields (step key
    -> label, in the menu's order) and the way back to the summary."""

    button: str
    question: str
    fields: Mapping[str, str]
    back: str


@dataclass(frozen=True)
class Summary:
    """The summary at the end: send, the field menu, cancel."""

    text: Callable[[Draft], str]
    submit: Action
    send: str
    cancel: str
    hint: str
    menu: Menu | None = None
    # Another layout; buttons coded SEND, EDIT and CANCEL keep the engine's meaning.
    buttons: Callable[[Draft], Rows] | None = None


@dataclass(frozen=True)
class Opening:
    """The first values of a new draft, and a message to send before the first question."""

    values: Draft
    intro: str = ""


Opener = Callable[[Turn], Awaitable[Opening]]


@dataclass(frozen=True)
class Entry:
    """A way into a flow: a command, a `/start` deep link, or a button. `open` checks the
    start with the services (a DomainError refuses it) and returns the opening."""

    open: Opener
    command: str = ""
    link: str = ""
    button: str = ""


def command(name: str, open_: Opener) -> Entry:
    """Returns the entry of a command in a private chat."""
    return Entry(open_, command=name)


def deep_link(pattern: str, open_: Opener) -> Entry:
    """Returns the entry of `/start <payload>` (the whole text matching `pattern`, private)."""
    return Entry(open_, link=pattern)


def button(action: str, open_: Opener) -> Entry:
    """Returns the entry of a button with a callback action."""
    return Entry(open_, button=action)


class Reask(enum.Enum):
    """How a hint and the question asked again are sent."""

    JOINED = "joined"  # one message: the hint, a blank line, the question
    SEPARATE = "separate"  # the hint, then the question
    HINT = "hint"  # only the hint (the question stays above)


@dataclass(frozen=True)
class Flow:
    """A form: its entries, its steps in order (state n is step n), an optional summary."""

    name: str  # of the conversation in the persistence, and the draft's key by default
    title: str  # what is being filled, for "another form is open"
    entries: Sequence[Entry]
    steps: Sequence[Step]
    refusal: Callable[[DomainError], str]
    cancelled: Ending
    timed_out: Ending
    lost: str
    busy: str  # the answer to another command while the form is open
    hint: str = ""  # the default of `Step.hint`
    errors: Callable[[DomainError], str] | None = None  # wrong answers; default `refusal`
    summary: Summary | None = None
    action: str = ""  # the callback action of the flow's own buttons
    draft_key: str = ""
    restart: bool = False  # an entry used while the form is open starts it afresh
    reask: Reask = Reask.JOINED
    busy_reasks: bool = False  # `busy` is a hint before the question asked again
    reply_keyboard: bool = False  # the engine's own endings remove a reply keyboard
    replace_summary: bool = False  # the outcome replaces the summary, else follows it
    updated: str = ""  # said before the summary when a changed answer leads back to it

    @property
    def key(self) -> str:
        """Returns the user_data key of the draft."""
        return self.draft_key or self.name


def column(
    options: Mapping[Any, str], echo: Callable[[str], str] | None = None
) -> list[list[Button]]:
    """Returns one button per option (value or enum -> label), each in its own row."""
    rows = []
    for option, label in options.items():
        value = option.value if isinstance(option, enum.Enum) else option
        rows.append([Button(label, str(value), value, echo(label) if echo else None)])
    return rows


def collect_files(
    key: str,
    ask: str,
    hint: str,
    *,
    types: Collection[str],
    limit: int,
    received: Callable[[int], str],
    buttons: tuple[str, str],
    reopen: str = "",
) -> Step:
    """Returns a step that collects photos (and documents of `types`) until its button (labels:
    with files, without) is pressed; `draft[key]` is the list (JSON), emptied when reopened."""
    done, skip = buttons

    async def add(turn: Turn, ref: dict[str, Any]) -> Move:
        if len(turn.draft[key]) >= limit:
            raise InvalidInput(attachments.TOO_MANY_PHOTOS, max=limit)
        turn.draft[key].append(ref)
        return Stay(received(len(turn.draft[key])))

    async def finish(turn: Turn) -> Move:
        await turn.clear_buttons()
        return None

    def button(draft: Draft) -> Rows:
        return [[Button(done if draft[key] else skip, "done", run=finish)]]

    return Step(key, ask, hint, files=types, buttons=button, then=add, reopen=reopen, collect=True)


# --- one form at a time ----------------------------------------------------------------------

_FLOWS: dict[str, Flow] = {}


def open_form(context: BotContext) -> Flow | None:
    """Returns the engine flow whose form the user has open, if any."""
    data = context.user_data or {}
    flow = _FLOWS.get(str(data.get(FORM)))
    return flow if flow is not None and isinstance(data.get(flow.key), dict) else None


# --- the engine ------------------------------------------------------------------------------


def build(flow: Flow, settings: Settings) -> ConversationHandler[BotContext]:
    """Returns the persistent conversation handler of a flow."""
    _FLOWS[flow.name] = flow
    return _Engine(flow).handler(settings)


Handlers = list[BaseHandler[Update, BotContext, object]]


def persistent(
    name: str,
    entries: Handlers,
    states: dict[object, Handlers],
    timed_out: Callable[[Update, BotContext], Coroutine[Any, Any, None]],
    settings: Settings,
    *,
    per_chat: bool = True,
    allow_reentry: bool = False,
) -> ConversationHandler[BotContext]:
    """Returns a persistent conversation handler (of a flow, or of the reason prompt) that ends
    with `timed_out` after the settings' timeout."""

    async def time_out(update: Update, context: BotContext) -> None:
        try:
            await timed_out(update, context)
        finally:
            if update.effective_user is not None:
                # A job runs this, not an update: PTB would not save the changed user_data.
                user = update.effective_user.id
                context.application.mark_data_for_update_persistence(user_ids=user)

    timeout: Handlers = [TypeHandler(Update, time_out)]
    # PTB advises per_message=True for conversations with buttons. Ours track presses per chat
    # and user on purpose (every button carries its draft's nonce against stale presses), so
    # the advice is silenced here, for the construction only.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "If 'per_message=False'", PTBUserWarning)
        return ConversationHandler(
            entry_points=entries,
            states={**states, ConversationHandler.TIMEOUT: timeout},
            fallbacks=[],
            name=name,
            persistent=True,
            conversation_timeout=settings.conversation_timeout_minutes * 60,
            per_chat=per_chat,
            allow_reentry=allow_reentry,
        )


class _Engine:
    """Runs one flow; state n is step n, the summary is the state after the last step."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.summary_state = len(flow.steps) + 1
        self.last_state = self.summary_state if flow.summary else len(flow.steps)
        keys = [s.key for s in flow.steps]
        menu = flow.summary.menu if flow.summary else None
        if len(set(keys)) != len(keys) or not set(menu.fields if menu else ()) <= set(keys):
            raise ValueError(f"{flow.name}: step keys must differ, the menu's fields be steps")

    # -- the handler --

    def handler(self, settings: Settings) -> ConversationHandler[BotContext]:
        flow = self.flow
        private = filters.ChatType.PRIVATE
        new = filters.UpdateType.MESSAGE
        entries: list[BaseHandler[Update, BotContext, object]] = []
        for entry in flow.entries:
            enter = self._enter(entry)
            if entry.command:
                entries.append(CommandHandler(entry.command, enter, filters=private))
            elif entry.link:
                link = new & private & filters.Regex(entry.link)
                entries.append(CommandHandler("start", enter, filters=link))
            else:
                entries.append(
                    CallbackQueryHandler(enter, pattern=callbacks.pattern(entry.button))
                )
        # Also the buttons of older versions of the flow (`<action>_...`): answered as stale.
        own = rf"^{callbacks.VERSION}:{re.escape(flow.action)}(?:_[a-z]+)?:"
        states: dict[object, list[BaseHandler[Update, BotContext, object]]] = {}
        for state in range(1, self.last_state + 1):
            handlers: list[BaseHandler[Update, BotContext, object]] = []
            if state != self.summary_state:
                for action, run in self._step(state).actions.items():
                    act = functools.partial(self._act, run)
                    pattern = callbacks.pattern(action)
                    handlers.append(CallbackQueryHandler(self._at(state, act), pattern=pattern))
            if flow.action:
                handlers.append(CallbackQueryHandler(self._at(state, self._press), pattern=own))
            handlers += [
                MessageHandler(new & ~filters.COMMAND, self._at(state, self._receive)),
                CommandHandler("batal", self._cancel),
                *(entries if flow.restart else []),
                MessageHandler(new & filters.COMMAND, self._at(state, self._busy)),
            ]
            states[state] = handlers
        outside: list[BaseHandler[Update, BotContext, object]] = []
        if flow.action:
            outside.append(CallbackQueryHandler(self._stale, pattern=own))
        return persistent(flow.name, [*entries, *outside], states, self._time_out, settings)

    # -- entry and endings --

    def _enter(self, entry: Entry) -> Callback:
        async def enter(update: Update, context: BotContext) -> StepResult:
            """Opens the form, unless another one is open or the services refuse."""
            return await self._open(entry, update, context)

        return enter

    async def _open(self, entry: Entry, update: Update, context: BotContext) -> StepResult:
        flow = self.flow
        data = user_data(context)
        turn = Turn(update, context, {})
        # While open, a refused restart keeps the form (END would end it).
        keep = None if isinstance(data.get(flow.key), dict) else END
        other = open_form(context)
        if other is not None and other.name != flow.name:
            await self._refuse(turn, t.form_open(other.title))
            return keep
        try:
            opening = await entry.open(turn)
        except callbacks.BadCallback:
            await turn.answer(t.STALE_BUTTON)
            return keep
        except DomainError as error:
            self._drop(context)
            await self._refuse(turn, flow.refusal(error))
            return END
        await turn.answer()
        turn.draft = {NONCE: secrets.token_hex(3), **opening.values}
        for step in flow.steps:
            if step.collect:
                turn.draft.setdefault(step.key, [])
        data[flow.key] = turn.draft
        data[FORM] = flow.name
        if opening.intro:
            await turn.say(opening.intro)
        return await self._ask(turn, self._next(turn.draft, 0))

    async def _refuse(self, turn: Turn, text: str) -> None:
        if turn.update.callback_query is not None:
            await turn.answer(text)
        else:
            await turn.say(text, self._remove())

    def _remove(self) -> ReplyKeyboardRemove | None:
        return ReplyKeyboardRemove() if self.flow.reply_keyboard else None

    def _drop(self, context: BotContext) -> None:
        data = user_data(context)
        data.pop(self.flow.key, None)
        if data.get(FORM) == self.flow.name:
            del data[FORM]

    async def _ending(self, ending: Ending, turn: Turn) -> str | None:
        return ending if isinstance(ending, str) else await ending(turn)

    async def _cancel(self, update: Update, context: BotContext) -> StepResult:
        """Drops the form on /batal."""
        turn = Turn(update, context, self._draft(context) or {})
        text = await self._ending(self.flow.cancelled, turn)
        self._drop(context)
        if text:
            await turn.say(text, self._remove())
        return END

    async def _time_out(self, update: Update, context: BotContext) -> None:
        """Drops the form after the timeout and says so."""
        turn = Turn(update, context, self._draft(context) or {})
        self._drop(context)
        text = await self._ending(self.flow.timed_out, turn)
        if text:
            await turn.say(text, self._remove())

    async def _lost(self, update: Update, context: BotContext) -> StepResult:
        """Ends a form whose draft disappeared."""
        turn = Turn(update, context, {})
        await turn.answer()
        self._drop(context)
        await turn.say(self.flow.lost, self._remove())
        return END

    async def _stale(self, update: Update, context: BotContext) -> StepResult:
        """Answers a button of the flow pressed when no form is open."""
        await Turn(update, context, {}).answer(t.STALE_BUTTON)
        # END, not None: None would start a timeout for a conversation that does not exist.
        return END

    async def _finish(self, turn: Turn, finish: Finish, replace: bool) -> StepResult:
        self._drop(turn.context)
        texts = list(finish.texts)
        last: Message | None = None
        if replace and texts:
            await turn.edit(texts.pop(0), None if texts else finish.markup)
            query = turn.update.callback_query
            last = query.message if query and isinstance(query.message, Message) else None
        for i, text in enumerate(texts, 1):
            last = await turn.say(text, finish.markup if i == len(texts) else None)
        if finish.after is not None and last is not None:
            await finish.after(last.chat.id, last.message_id)
        return END

    # -- asking --

    def _draft(self, context: BotContext) -> Draft | None:
        draft = user_data(context).get(self.flow.key)
        return draft if isinstance(draft, dict) else None

    def _step(self, state: int) -> Step:
        return self.flow.steps[state - 1]

    def _state(self, key: str) -> int:
        if key == SUMMARY:
            return self.summary_state
        for number, step in enumerate(self.flow.steps, 1):
            if step.key == key:
                return number
        raise LookupError(f"{self.flow.name}: no step {key!r}")

    def _next(self, draft: Draft, state: int) -> int:
        """Returns the state after an answer at `state`: the next step that applies."""
        if self.flow.summary and draft.get(REVIEWED):
            return self.summary_state
        for number, step in enumerate(self.flow.steps[state:], state + 1):
            if step.when is None or step.when(draft):
                return number
        if self.flow.summary is None:
            raise LookupError(f"{self.flow.name}: no step after {state}")
        return self.summary_state

    def _rows(self, draft: Draft, state: int) -> Rows:
        summary = self.flow.summary
        if state != self.summary_state or summary is None:
            buttons = self._step(state).buttons
            return buttons(draft) if callable(buttons) else buttons
        if summary.buttons is not None:
            return summary.buttons(draft)
        send, cancel = Button(summary.send, SEND), Button(summary.cancel, CANCEL)
        if summary.menu is not None:
            return [[send], [Button(summary.menu.button, EDIT), cancel]]
        return [[send], [cancel]]

    def _menu(self, draft: Draft) -> Rows:
        menu = self.flow.summary.menu if self.flow.summary else None
        if menu is None:
            return []
        rows = []
        for key, label in menu.fields.items():
            step = self._step(self._state(key))
            if step.when is None or step.when(draft):
                rows.append([Button(label, f"f{self._state(key)}")])
        return [*rows, [Button(menu.back, BACK)]]

    def _inline(self, draft: Draft, state: int, rows: Rows) -> InlineKeyboardMarkup:
        labels = [[(b.label, b.code) for b in row] for row in rows]
        return kb.choices(self.flow.action, f"{draft[NONCE]}_{state}", labels)

    def _question(self, draft: Draft, state: int) -> tuple[str, Markup | None]:
        rows = self._rows(draft, state)
        markup: Markup | None = self._inline(draft, state, rows) if rows else None
        summary = self.flow.summary
        if state == self.summary_state and summary is not None:
            return summary.text(draft), markup
        step = self._step(state)
        text = step.ask if isinstance(step.ask, str) else step.ask(draft)
        if markup is None:
            markup = step.keyboard(draft) if callable(step.keyboard) else step.keyboard
        return text, markup

    async def _ask(self, turn: Turn, state: int, hint: str = "") -> int:
        """Asks the question of a state (after a hint) and enters it."""
        text, markup = self._question(turn.draft, state)
        if hint and self.flow.reask is not Reask.JOINED:
            await turn.say(hint)
            if self.flow.reask is Reask.HINT:
                return state
            hint = ""
        await turn.say(f"{hint}\n\n{text}" if hint else text, markup)
        return state

    async def _after(self, turn: Turn, state: int, move: Move) -> StepResult:
        """Carries out where an answer at `state` leads."""
        if isinstance(move, Stay):
            if move.text:
                await turn.say(move.text, self._question(turn.draft, state)[1])
            return None
        if isinstance(move, Refresh):
            if move.renew:
                turn.draft[NONCE] = secrets.token_hex(3)
            text, markup = self._question(turn.draft, state)
            await turn.edit(text, markup if isinstance(markup, InlineKeyboardMarkup) else None)
            return None
        if isinstance(move, Finish):
            replace = state == self.summary_state and self.flow.replace_summary
            return await self._finish(turn, move, replace)
        target = self._state(move.step) if move else self._next(turn.draft, state)
        if target == self.summary_state and state != self.summary_state:
            if turn.draft.get(REVIEWED) and self.flow.updated:
                await turn.say(self.flow.updated, self._remove())
            turn.draft[REVIEWED] = True
            # A new nonce: the buttons of an earlier summary show what was changed since.
            turn.draft[NONCE] = secrets.token_hex(3)
        return await self._ask(turn, target, move.hint if move else "")

    # -- input --

    def _errors(self, state: int) -> Callable[[DomainError], str]:
        step = self._step(state) if state != self.summary_state else None
        return (step and step.errors) or self.flow.errors or self.flow.refusal

    def _at(self, state: int, handle: Callable[[Turn, int], Awaitable[StepResult]]) -> Callback:
        """Returns the callback of an update at a state: `handle` with the draft, or «lost»."""

        async def at_state(update: Update, context: BotContext) -> StepResult:
            draft = self._draft(context)
            if draft is None:
                return await self._lost(update, context)
            return await handle(Turn(update, context, draft), state)

        return at_state

    async def _press(self, turn: Turn, state: int) -> StepResult:
        """Answers a press of one of the flow's buttons at a state."""
        found = self._button(turn, state)
        if found is None:
            await turn.answer(t.STALE_BUTTON)
            return None
        await turn.answer()
        try:
            if found.run is not None:
                move = await found.run(turn)
            else:
                await (turn.edit(found.echo) if found.echo else turn.clear_buttons())
                turn.draft[self._step(state).key] = found.value
                move = None
        except InvalidInput as error:
            return await self._ask(turn, state, self._errors(state)(error))
        except DomainError as error:
            move = Finish(self.flow.refusal(error))
        return await self._after(turn, state, move)

    def _button(self, turn: Turn, state: int) -> Button | None:
        """Returns the pressed button if it belongs to this draft and state."""
        try:
            ident = callbacks.parse(turn.data, self.flow.action)
        except callbacks.BadCallback:
            return None
        nonce, _, rest = ident.partition("_")
        at, _, code = rest.partition("_")
        if nonce != turn.draft.get(NONCE) or at != str(state):
            return None
        rows = [*self._rows(turn.draft, state)]
        if state == self.summary_state:
            rows += self._menu(turn.draft)
        found = next((b for row in rows for b in row if b.code == code), None)
        if found is None or found.run is not None or state != self.summary_state:
            return found
        return Button(found.label, code, run=self._summary_action(code))

    def _summary_action(self, code: str) -> Action:
        async def act(turn: Turn) -> Move:
            summary = self.flow.summary
            assert summary is not None  # noqa: S101 - only summary buttons get here
            if code == EDIT and summary.menu is not None:
                menu = self._inline(turn.draft, self.summary_state, self._menu(turn.draft))
                await turn.edit(summary.menu.question, menu)
                return STAY
            if code == BACK:
                return REFRESH
            if code not in (SEND, CANCEL) or not self.flow.replace_summary:
                await turn.clear_buttons()
            if code == SEND:
                return await summary.submit(turn)
            if code == CANCEL:
                said = await self._ending(self.flow.cancelled, turn)
                return Finish(*([said] if said else []))
            step = self._step(int(code.removeprefix("f")))
            if step.collect:
                turn.draft[step.key] = []
            return Go(step.key, step.reopen)

        return act

    async def _act(self, run: Action, turn: Turn, state: int) -> StepResult:
        """Runs a step's own action for a press of another callback action."""
        try:
            move = await run(turn)
        except callbacks.BadCallback:
            await turn.answer(t.STALE_BUTTON)
            return None
        except InvalidInput as error:
            await turn.answer()
            return await self._ask(turn, state, self._errors(state)(error))
        except DomainError as error:
            move = Finish(self.flow.refusal(error))
        await turn.answer()
        return await self._after(turn, state, move)

    async def _receive(self, turn: Turn, state: int) -> StepResult:
        """Takes a message at a state: an answer, or input of the wrong kind."""
        summary = self.flow.summary
        if state == self.summary_state and summary is not None:
            return await self._ask(turn, state, summary.hint)
        step = self._step(state)
        try:
            value = self._read(step, message(turn.update), turn.actor)
            if value is _WRONG:
                return await self._ask(turn, state, step.hint or self.flow.hint)
            move = await self._store(turn, state, value)
        except InvalidInput as error:
            await turn.say(self._errors(state)(error), self._question(turn.draft, state)[1])
            return None
        except DomainError as error:
            move = Finish(self.flow.refusal(error))
        return await self._after(turn, state, move)

    @staticmethod
    def _read(step: Step, source: Message, actor: Actor) -> Any:
        """Returns the parsed answer in a message, or _WRONG for a kind the step does not take."""
        if source.contact is not None and step.contact is not None:
            return step.contact(source.contact, actor)
        if source.text is not None and step.text is not None:
            return step.text(visible_text(source.text))
        if step.files is not None and source.photo:
            return attachments.to_json(photo_ref(source))
        if step.files is not None and source.document is not None:
            return attachments.to_json(document_ref(source, frozenset(step.files)))
        if step.anything is not None:
            return step.anything(source)
        return _WRONG

    async def _store(self, turn: Turn, state: int, value: Any) -> Move:
        step = self._step(state)
        if step.then is not None:
            return await step.then(turn, value)
        turn.draft[step.key] = value
        return None

    async def _busy(self, turn: Turn, state: int) -> StepResult:
        """Answers another command while the form is open."""
        if self.flow.busy_reasks:
            return await self._ask(turn, state, self.flow.busy)
        await turn.say(self.flow.busy)
        return None


_WRONG = object()


# --- helpers, also used by the flows not yet declared on the engine ---------------------------


def chat(update: Update) -> Chat:
    """Returns the chat of an update (every wizard update has one)."""
    found = update.effective_chat
    if found is None:
        raise ValueError("update without a chat")
    return found


def message(update: Update) -> Message:
    """Returns the message of an update."""
    found = update.effective_message
    if found is None:
        raise ValueError("update without a message")
    return found


async def say(update: Update, text: str, markup: Markup | None = None) -> Message:
    """Sends a message to the chat of the update."""
    return await chat(update).send_message(text, reply_markup=markup)


def user_data(context: BotContext) -> dict[Any, Any]:
    """Returns the user's data, where drafts live."""
    data = context.user_data
    if data is None:
        raise ValueError("update without a user")
    return data


async def retire(bot: Bot, chat_id: int, message_id: int, text: str | None = None) -> None:
    """Takes the buttons off an earlier message (and replaces its text, if given); a message
    too old, deleted or already changed stays as it is (its buttons refuse anyway)."""
    try:
        if text is None:
            await bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
        else:
            await bot.edit_message_text(text, chat_id, message_id)
    except TelegramError:
        log.debug("could not change message %s in chat %s", message_id, chat_id, exc_info=True)


async def clear_buttons(update: Update) -> None:
    """Removes the buttons of the pressed message, so it cannot be pressed twice."""
    if update.callback_query is not None:
        await update.callback_query.edit_message_reply_markup(None)


def visible_text(text: str | None) -> str:
    """Returns the text, or "" when none of its characters shows anything."""
    return "" if text is None or all(_invisible(char) for char in text) else text


def _invisible(char: str) -> bool:
    # Formatting (Cf: zero-width) and control (Cc) characters show nothing either.
    return char.isspace() or char in _FILLERS or unicodedata.category(char) in ("Cf", "Cc")


def photo_ref(source: Message) -> FileRef:
    """Returns the checked reference of a photo message (its largest size)."""
    size = source.photo[-1]
    return attachments.photo(size.file_id, size.file_unique_id, size.file_size)


def document_ref(source: Message, allowed: frozenset[str]) -> FileRef:
    """Returns the checked reference of a document of an allowed type."""
    document = source.document
    if document is None:
        raise ValueError("message without a document")
    return attachments.document(
        document.file_id,
        document.file_unique_id,
        document.mime_type,
        document.file_name,
        document.file_size,
        allowed=allowed,
    )


def start_payload_id(context: BotContext, prefix: str) -> int:
    """Returns the ticket id of a `/start <prefix><id>` deep link (the entry filter checked it)."""
    payload = context.args[0] if context.args else ""
    return int(payload.removeprefix(prefix))
