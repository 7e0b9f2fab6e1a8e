"""What the technician's two forms share (material request, repair report): the deep link that
opens them for one ticket, equipment entered field by field, photos, longer texts, the rest."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.conversations import wizard as w
from bot.services import attachments, profiles, workflow
from bot.services.domain import MaterialLine
from bot.services.errors import DomainError, InvalidInput
from bot.services.ticket_flow import Action
from bot.services.uow import UnitOfWork
from bot.texts import wizards as t
from bot.texts.common import esc

NUMBER = "number"  # the ticket's number, in the draft
Item = dict[str, Any]
Extra = Callable[[UnitOfWork, int], Awaitable[w.Draft]]
Done = Callable[[w.Turn, Item], Awaitable[w.Move]]


def deep_link(
    prefix: str, action: Action, intro: str, extra: Extra | None = None, *, needs: str = ""
) -> w.Entry:
    """Returns the entry `/start <prefix><id>`: the action's precheck lets in, `extra` adds;
    with `needs`, that draft key lists what the berita acara needs of the actor's profile."""

    async def open_(turn: w.Turn) -> w.Opening:
        ticket_id = w.start_payload_id(turn.context, prefix)
        ctx = turn.services.context(turn.actor)
        async with turn.services.uow() as uow:
            view = await workflow.precheck(uow, ctx, action, ticket_id)
            values = await extra(uow, ticket_id) if extra else {}
            if needs:
                values[needs] = await profiles.document_needs(uow, ctx)
        values |= {w.TICKET: ticket_id, NUMBER: view.number}
        return w.Opening(values, intro.format(number=esc(view.number), opd=esc(view.opd_name)))

    return w.deep_link(rf"^/start\s+{prefix}\d{{1,9}}$", open_)


def flow(
    names: tuple[str, str, str],
    texts: tuple[str, str, str],
    entry: w.Entry,
    summary: w.Summary,
    steps: Sequence[w.Step],
) -> w.Flow:
    """Returns a technician's form; its hints, refusals, lost and busy texts are shared."""
    # names: of the conversation, the draft and the buttons' callback action; texts: the title,
    # what /batal says and what the timeout says.
    (name, draft_key, action), (title, cancelled, timed_out) = names, texts
    return w.Flow(
        name,
        title,
        [entry],
        steps,
        t.refusal,
        cancelled,
        timed_out,
        t.DRAFT_LOST,
        t.BUSY,
        hint=t.NEED_TEXT,
        errors=t.file_error,
        summary=summary,
        action=action,
        draft_key=draft_key,
    )


# --- equipment, field by field ---------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One typed field of an item: key, question, parser, its error text, unit buttons or not."""

    key: str
    ask: str | Callable[[w.Draft], str]
    parse: Callable[[str], Any]
    error: str
    units: bool = False


def checked(**values: Any) -> MaterialLine:
    """Returns fields checked as a whole line by the service (the others harmless)."""
    line = {"name": "barang", "specification": "", "quantity": 1, "unit": "unit", **values}
    return workflow.clean_material_line(MaterialLine(**line))


def _quantity(text: str) -> int:
    raw = text.strip()
    if not raw.isdigit() or len(raw) > len(str(workflow.QUANTITY_MAX)):
        raise InvalidInput("item")
    return checked(quantity=int(raw)).quantity


def name(ask: str | Callable[[w.Draft], str]) -> Field:
    """Returns the name field, asked with `ask`."""
    return Field("name", ask, lambda text: checked(name=text).name, t.ITEM_NAME_ERROR)


QUANTITY = Field("quantity", t.ASK_QUANTITY, _quantity, t.QUANTITY_ERROR)
UNIT = Field("unit", t.ASK_UNIT, lambda text: checked(unit=text).unit, t.UNIT_ERROR, units=True)


def item_steps(record: str, fields: Sequence[Field], done: Done) -> list[w.Step]:
    """Returns the steps (`<record>_<field>`) that enter one item into `draft[record]`."""
    # Each asks the next by name, so an item is entered whole even after the summary was shown;
    # an item `done` refuses (a field lost) is entered again from its first field.
    keys = [f"{record}_{field.key}" for field in fields]

    def take(index: int) -> w.Then:
        async def then(turn: w.Turn, value: Any) -> w.Move:
            earlier = (turn.draft.get(record) or {}) if index else {}
            item = turn.draft[record] = {**earlier, fields[index].key: value}
            if index + 1 < len(keys):
                return w.Go(keys[index + 1])
            turn.draft[record] = {}
            try:
                return await done(turn, item)
            except InvalidInput as error:
                return w.Go(keys[0], t.refusal(error))

        return then

    def step(index: int, field: Field) -> w.Step:
        then = take(index)
        units = [w.Button(unit, f"u{i}", run=go(then, unit)) for i, unit in enumerate(t.UNITS)]
        buttons = [units] if field.units else []
        errors = fixed(field.error)
        return w.Step(
            keys[index], field.ask, text=field.parse, buttons=buttons, then=then, errors=errors
        )

    return [step(index, field) for index, field in enumerate(fields)]


def fixed(text: str) -> Callable[[DomainError], str]:
    """Returns the errors of a step that always shows one text."""
    return lambda error: text


def go(then: str | w.Then | None, value: Any = None) -> w.Action:
    """Returns a button's action that removes the buttons and asks a step (key or `w.SUMMARY`),
    goes on (None), or hands `value` to a `then` as if typed."""

    async def press(turn: w.Turn) -> w.Move:
        await turn.clear_buttons()
        if callable(then):
            return await then(turn, value)
        return w.Go(then) if then else None

    return press


def add_row(label: str, step: str, items: Sequence[Item]) -> list[w.Button]:
    """Returns the row of the button that adds one more item, empty at the maximum."""
    return [w.Button(label, "add", run=go(step))] if len(items) < workflow.ITEMS_MAX else []


# --- photos and longer texts ------------------------------------------------------------------

# The photo step (photos or JPEG/PNG files into `draft["photos"]`): photos(ask, reopen=...).
photos = functools.partial(
    w.collect_files,
    "photos",
    hint=t.NEED_PHOTO,
    types=attachments.IMAGE_TYPES,
    limit=workflow.PHOTOS_MAX,
    received=t.photo_received,
    buttons=(t.DONE, t.SKIP),
)


def long_text(key: str, ask: str) -> w.Step:
    """Returns a step taking a longer text (diagnosis, actions, reason) refused with its key."""
    return w.Step(key, ask, text=functools.partial(workflow.clean_long_text, code=key))
